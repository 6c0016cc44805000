"""Keep the Exercise table in step with the catalogue data file."""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction

from stenosis_coach.programme import load_catalogue


def sync_catalogue(using: str = "default") -> int:
    """Create or update an Exercise row for each catalogue exercise; returns how many."""
    from .models import Exercise

    catalogue = load_catalogue()
    with transaction.atomic(using=using):
        for position, exercise in enumerate(catalogue.exercises):
            Exercise.objects.using(using).update_or_create(
                id=exercise.id, defaults={"kind": exercise.kind.value, "position": position}
            )
    return len(catalogue.exercises)


def sync_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """Runs after `migrate`; skipped when the practice tables have been migrated away."""
    from .models import Exercise

    if Exercise._meta.db_table in connections[using].introspection.table_names():
        sync_catalogue(using)
