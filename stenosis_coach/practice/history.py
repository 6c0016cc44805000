"""A patient's stored sessions, read into the engine's records in few queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import ExerciseResult as EngineResult
from stenosis_coach.programme import SessionRecord as EngineSession
from stenosis_coach.programme import StopReason

from .models import ExerciseResult, SessionRecord


def patient_sessions(patient: Patient) -> list[SessionRecord]:
    """All of a patient's sessions, oldest first, with results and pain prefetched."""
    sessions: QuerySet[SessionRecord] = patient.sessions.order_by(
        "started_at", "pk"
    ).prefetch_related(
        Prefetch("results", queryset=ExerciseResult.objects.order_by("exercise__position")),
        "pain_checkins",
    )
    return list(sessions)


def engine_history(sessions: list[SessionRecord]) -> list[EngineSession]:
    return [to_engine(session) for session in sessions]


def to_engine(session: SessionRecord) -> EngineSession:
    pain = {checkin.moment: checkin for checkin in session.pain_checkins.all()}
    before = pain.get(PainCheckIn.Moment.BEFORE)
    after = pain.get(PainCheckIn.Moment.AFTER)
    return EngineSession(
        results=tuple(
            EngineResult(
                exercise_id=result.exercise_id,
                dose=result.dose,
                completed=result.completed,
                worse=result.worse,
                stop_reason=StopReason(result.stop_reason) if result.stop_reason else None,
            )
            for result in session.results.all()
        ),
        leg_pain_before=before.leg_pain if before else None,
        leg_pain_after=after.leg_pain if after else None,
    )


def done_counts(result: ExerciseResult) -> tuple[int, int]:
    """The reps (holds) and sets finished. A finished exercise did its whole dose."""
    dose = result.dose
    if result.completed:
        return dose.total_reps, dose.sets
    return result.reps_done, result.sets_done


def seconds_done(result: ExerciseResult) -> int:
    """Seconds under load that were done: the holds finished times the hold, or the sets
    finished times their seconds for timed work (the march). A stop at rep 3 of 8 is 3 holds."""
    dose = result.dose
    reps, sets = done_counts(result)
    if dose.work_seconds is not None:
        return sets * dose.work_seconds
    return reps * (dose.hold_seconds or 0)
