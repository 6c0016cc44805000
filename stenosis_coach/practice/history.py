"""A patient's stored sessions, read into the engine's records in few queries."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import ExerciseResult as EngineResult
from stenosis_coach.programme import SessionRecord as EngineSession
from stenosis_coach.programme import StopReason

from .models import ExerciseResult, SessionRecord

# Sessions are in this order everywhere (the engine's too): by start, then as stored.
# A session whose device clock was not trusted starts when the server estimates it did.
SESSION_ORDER = ("started_at", "pk")
NEWEST_FIRST = ("-started_at", "-pk")


def with_details(sessions: QuerySet[SessionRecord]) -> QuerySet[SessionRecord]:
    """Sessions with their version, results (in session order) and pain: 3 queries."""
    return sessions.select_related("prescription").prefetch_related(
        Prefetch("results", queryset=ExerciseResult.objects.order_by("exercise__position")),
        "pain_checkins",
    )


def patient_sessions(patient: Patient) -> list[SessionRecord]:
    """All of a patient's sessions, oldest first, with results and pain prefetched."""
    return list(with_details(patient.sessions.order_by(*SESSION_ORDER)))


def newest_sessions(patient: Patient) -> QuerySet[SessionRecord]:
    """The patient's sessions, newest first, with details: slice it (a page) before reading
    it, and each slice is 4 queries (3, and the count a Paginator asks for)."""
    return with_details(patient.sessions.order_by(*NEWEST_FIRST))


def recent_sessions(patient: Patient, count: int) -> list[SessionRecord]:
    """The patient's latest `count` sessions, oldest first: 3 queries, however many."""
    newest = with_details(patient.sessions.order_by(*NEWEST_FIRST))[:count]
    return list(newest)[::-1]


def sessions_around(
    patient: Patient, record: SessionRecord, before: int, after: int
) -> list[SessionRecord]:
    """`record` with up to `before` of the patient's sessions before it and `after` after
    it, oldest first: 5 queries, however long the history."""
    sessions = patient.sessions
    # (started_at, pk) before or after the record's; the plain bound on started_at lets the
    # database walk its (patient, started_at) index from the record, not from an end.
    at = record.started_at
    earlier = sessions.filter(Q(started_at__lt=at) | Q(pk__lt=record.pk), started_at__lte=at)
    later = sessions.filter(Q(started_at__gt=at) | Q(pk__gt=record.pk), started_at__gte=at)
    wanted = [
        record.pk,
        *earlier.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[:before],
        *later.order_by(*SESSION_ORDER).values_list("pk", flat=True)[:after],
    ]
    return list(with_details(sessions.filter(pk__in=wanted).order_by(*SESSION_ORDER)))


def engine_history(sessions: list[SessionRecord], zone: ZoneInfo) -> list[EngineSession]:
    return [to_engine(session, zone) for session in sessions]


def to_engine(session: SessionRecord, zone: ZoneInfo) -> EngineSession:
    """The engine's record of a session; its day is the date where the patient lives (two
    sessions on the same evening count as one day, wherever the server is)."""
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
                kept_back_flat=result.kept_back_flat,
            )
            for result in session.results.all()
        ),
        leg_pain_before=before.leg_pain if before else None,
        leg_pain_after=after.leg_pain if after else None,
        day=session.started_at.astimezone(zone).date(),
        prescription_version=session.prescription.number,
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
