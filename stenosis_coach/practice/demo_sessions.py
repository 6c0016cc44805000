"""A session as the player uploads it, for the demos: every active exercise of the current
prescription done in full, or stopped where `stops` says it made the leg pain worse."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from stenosis_coach.patients.models import Patient

from .actions import current_prescription


def demo_session_payload(
    patient: Patient,
    when: dt.datetime,
    leg: int,
    *,
    minutes: int,
    stops: Callable[[int], bool] = lambda index: False,
) -> dict[str, Any]:
    """`stops(index)` is asked once per active exercise, in order (a seeded random one
    gives the same history every time)."""
    version = current_prescription(patient)
    results = []
    for item in version.items.all():
        if not item.to_engine().active:
            continue
        stopped = stops(len(results))
        results.append(
            {
                "exercise_id": item.exercise_id,
                "completed": not stopped,
                "worse": stopped,
                "stop_reason": "leg-pain" if stopped else None,
                "sets_done": item.sets,
                "reps_done": item.dose.total_reps,
            }
        )
    leg = max(0, min(10, leg))
    pain = {"leg": leg, "back": max(0, leg - 2)}
    return {
        "uuid": str(uuid.uuid4()),
        "prescription_version": version.number,
        "started_at": (when - dt.timedelta(minutes=minutes)).isoformat(),
        "finished_at": when.isoformat(),
        "pain_before": pain,
        "pain_after": dict(pain),
        "results": results,
    }
