"""Reads about a patient's practice that more than one page or endpoint needs."""

from __future__ import annotations

import statistics

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient

# The usual leg pain follows the patient: the middle value of the leg pain before the last
# few sessions (or before a day without one), so the 3-point rule still works for someone
# whose pain has settled, or whose usual pain is 8.
USUAL_PAIN_SESSIONS = 7
# With fewer answers than this, the patient's own estimate from getting started counts too.
USUAL_PAIN_FEWEST = 3


def usual_leg_pain(patient: Patient) -> int | None:
    """The median of the leg pain before the last 7 sessions (lower middle of an even
    count: the gentle session is offered sooner, not later); None before any answer."""
    recent = list(
        PainCheckIn.objects.filter(patient=patient, moment=PainCheckIn.Moment.BEFORE)
        .order_by("-recorded_at", "-pk")
        .values_list("leg_pain", flat=True)[:USUAL_PAIN_SESSIONS]
    )
    if len(recent) < USUAL_PAIN_FEWEST and patient.usual_leg_pain is not None:
        recent.append(patient.usual_leg_pain)
    return statistics.median_low(recent) if recent else None


def first_session(patient: Patient) -> bool:
    """No session has been stored yet: the player starts with a short briefing."""
    return not patient.sessions.exists()


def last_leg_pain_before(patient: Patient) -> int | None:
    """Leg pain before the latest stored session (sessions in the engine's order: by start,
    then by when stored); None before any session. A step-up is not played when leg pain now
    is higher than this."""
    return (
        PainCheckIn.objects.filter(session__patient=patient, moment=PainCheckIn.Moment.BEFORE)
        .order_by("-session__started_at", "-session__pk")
        .values_list("leg_pain", flat=True)
        .first()
    )
