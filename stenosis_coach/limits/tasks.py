"""The daily sweep of ended counters (registered in stenosis_coach/jobs/schedule.py)."""

from __future__ import annotations

from django_tasks import task

from .store import prune


@task()
def prune_counters(slot: str) -> int:
    return prune()
