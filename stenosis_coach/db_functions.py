"""Database functions the ORM does not have, written for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db.models import Func, IntegerField


class EpochSeconds(Func):
    """A moment as whole seconds since 1970 (UTC). The caseload reads thousands of moments:
    an integer costs nothing to read back, where each datetime costs a parse."""

    output_field = IntegerField()
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    @property
    def convert_value(self) -> Any:
        # The SQL casts to an integer already: no Python converter on each of those rows.
        return self._convert_value_noop
