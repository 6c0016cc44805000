"""Counting hits in the database: one UPDATE per hit, atomic on SQLite and PostgreSQL, so
two app servers counting at once never lose a hit."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from .models import Counter


@dataclass(frozen=True)
class Rate:
    hits: int  # allowed in one window
    seconds: int  # the window's length, from its first hit


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)


def now() -> dt.datetime:
    """The store's clock (tests move it)."""
    return timezone.now()


def record_hit(scope: str, key: str, rate: Rate) -> Verdict:
    """Count one hit for (scope, key) and say whether it is within the rate. A window that
    has ended starts again with this hit."""
    moment = now()
    ends = moment + dt.timedelta(seconds=rate.seconds)
    rows = Counter.objects.filter(scope=scope, key=key)
    # One UPDATE: both values are worked out from the row as it was.
    bump = {
        "hits": Case(When(window_ends__lte=moment, then=Value(1)), default=F("hits") + 1),
        "window_ends": Case(When(window_ends__lte=moment, then=Value(ends)), default="window_ends"),
    }
    with transaction.atomic():
        if not rows.update(**bump):
            try:
                with transaction.atomic():  # another server may insert the same row first
                    Counter.objects.create(scope=scope, key=key, window_ends=ends, hits=1)
            except IntegrityError:
                rows.update(**bump)
        hits, window_ends = rows.values_list("hits", "window_ends").get()
    if hits <= rate.hits:
        return Verdict(True, 0)
    return Verdict(False, max(1, math.ceil((window_ends - moment).total_seconds())))


def prune() -> int:
    """Delete the counters whose window has ended; how many."""
    deleted, _ = Counter.objects.filter(window_ends__lt=now()).delete()
    return deleted
