"""Writes about prescriptions and sessions. Each runs in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from stenosis_coach.clinic import summaries, triage
from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import (
    Dose,
    Prescription,
    Progression,
    ProgressionDecision,
    progress,
    rate_sessions,
    starting_prescription,
)

from .history import engine_history, recent_sessions, sessions_around
from .models import ExerciseResult, PrescriptionItem, PrescriptionVersion, SessionRecord
from .uploads import DOES_NOT_MATCH, PainUpload, SessionUpload, Timing, UploadError

# How many of the latest sessions the engine is given. Its rules look back only a few
# sessions of each exercise: two greens on two different days to step up, two reds in a row
# to pause, the pelvic tilt's two clean sessions to open the march. 30 is a month of daily
# sessions (two weeks at twice a day): far more than those rules need, even for an exercise
# done on some weekdays only, while each upload costs the same however long the history.
ENGINE_WINDOW = 30


class SessionConflict(Exception):
    """The session's UUID is already used by another patient's session."""


@dataclass(frozen=True)
class RecordedSession:
    record: SessionRecord
    created: bool  # False when this UUID had been stored before
    progression: Progression | None  # None when nothing new was stored


def lock_patient(patient: Patient) -> None:
    """One writer per patient at a time, until the transaction ends: two uploads at once
    would otherwise both number their new prescription version N + 1 (PostgreSQL; SQLite's
    IMMEDIATE transactions already take turns)."""
    Patient.objects.select_for_update().only("pk").get(pk=patient.pk)


def current_prescription(patient: Patient) -> PrescriptionVersion:
    """The patient's newest prescription version (every patient has one from the start)."""
    return patient.prescriptions.prefetch_related("items").latest("number")


@transaction.atomic
def save_prescription(
    patient: Patient,
    prescription: Prescription,
    source: PrescriptionVersion.Source,
    *,
    by: AbstractBaseUser | None = None,
    note: str = "",
    decisions: Sequence[ProgressionDecision] = (),
) -> PrescriptionVersion:
    """Keep `prescription` as the patient's next version, with who made it and why."""
    lock_patient(patient)
    latest = patient.prescriptions.order_by("-number").values_list("number", flat=True).first()
    version = PrescriptionVersion.objects.create(
        patient=patient,
        number=(latest or 0) + 1,
        source=source,
        created_by=by,
        note=note,
        sessions_per_day=prescription.schedule.sessions_per_day,
        weekdays=sorted(prescription.schedule.weekdays),
    )
    reasons = {decision.exercise_id: decision for decision in decisions}
    PrescriptionItem.objects.bulk_create(
        PrescriptionItem(
            version=version,
            exercise_id=item.exercise_id,
            enabled=item.enabled,
            locked=item.locked,
            paused=item.paused,
            step_up_from=item.step_up_from.to_dict() if item.step_up_from else None,
            **item.dose.to_dict(),
            **decision_fields(reasons.get(item.exercise_id)),
        )
        for item in prescription.exercises
    )
    return version


def decision_fields(decision: ProgressionDecision | None) -> dict[str, Any]:
    """What a PrescriptionItem keeps of the engine's decision: the reason in words and what
    it is made from, so it can be said again in another language."""
    if decision is None:
        return {}
    return {
        "action": decision.action.value,
        "reason": decision.reason,
        "reason_code": decision.reason_code,
        "reason_values": dict(decision.reason_values),
        "previous_dose": decision.old_dose.to_dict(),
    }


def start_programme(patient: Patient) -> PrescriptionVersion:
    """Version 1: every exercise at the start of its ladder, the march locked."""
    return save_prescription(patient, starting_prescription(), PrescriptionVersion.Source.START)


@transaction.atomic
def record_session(patient: Patient, upload: SessionUpload) -> RecordedSession:
    """Store a finished session once (by its UUID), rate it, and progress the prescription.

    Raises UploadError when the upload does not fit the patient's prescription, and
    SessionConflict when another patient's session has this UUID. While a red flag holds
    the programme the session is kept (it may have been done offline before the answer),
    but no dose changes.
    """
    lock_patient(patient)
    existing = SessionRecord.objects.filter(uuid=upload.uuid).first()
    if existing is not None:
        return already_stored(patient, existing)
    version = patient.prescriptions.filter(number=upload.prescription_version).first()
    if version is None:
        raise UploadError(
            {"prescription_version": "no such prescription for this patient"}, DOES_NOT_MATCH
        )
    # Only exercises that were part of that day's session can have results.
    items = {item.exercise_id: item for item in version.items.all() if item.to_engine().active}
    played = played_doses(items, upload)
    try:
        with transaction.atomic():
            record = store_session(patient, version, played, upload, upload.timing(timezone.now()))
    except IntegrityError:
        # The same UUID arrived at once for another patient: the other request stored it.
        return already_stored(patient, SessionRecord.objects.get(uuid=upload.uuid))
    update_lights(patient, record)
    if upload.new_leg_symptoms:
        ask_red_flag_questions_again(patient)
    progression = None if patient.stopped_by_red_flag else progress_patient(patient)
    triage.session_recorded(patient, record)  # alerts for the therapist, if any
    summaries.session_stored(patient, record)  # the caseload's figures
    return RecordedSession(record, created=True, progression=progression)


def played_doses(items: dict[str, PrescriptionItem], upload: SessionUpload) -> dict[str, Dose]:
    """The dose each result was done at: the prescribed one, unless the player says it
    played the dose before a step-up (pain higher than last time). UploadError for an
    exercise that was not in the session, or a dose that was not on offer."""
    unknown = [r.exercise_id for r in upload.results if r.exercise_id not in items]
    if unknown:
        raise UploadError(
            {"results": f"not in this prescription: {', '.join(unknown)}"}, DOES_NOT_MATCH
        )
    played, wrong = {}, {}
    for index, result in enumerate(upload.results):
        item = items[result.exercise_id].to_engine()
        dose = result.played_dose or item.dose
        if dose not in (item.dose, item.step_up_from):
            wrong[f"results.{index}.dose"] = "neither the prescribed dose nor the one before it"
        played[result.exercise_id] = dose
    if wrong:
        raise UploadError(wrong, DOES_NOT_MATCH)
    return played


def ask_red_flag_questions_again(patient: Patient) -> None:
    """New numbness, tingling or weakness in the legs: no exercise until the red-flag
    questions have been answered again."""
    from stenosis_coach.patients.actions import request_screening  # patients imports us

    request_screening(patient)


@transaction.atomic
def record_pain_answers(patient: Patient, upload: PainUpload) -> tuple[PainCheckIn, bool]:
    """Keep pain answers that no session followed (pain too high to exercise today), once
    by their UUID. Returns the check-in and whether it is new. SessionConflict when the UUID
    is another patient's."""
    existing = PainCheckIn.objects.filter(uuid=upload.uuid).first()
    if existing is None:
        try:
            with transaction.atomic():
                checkin = PainCheckIn.objects.create(
                    patient=patient,
                    uuid=upload.uuid,
                    moment=PainCheckIn.Moment.BEFORE,
                    recorded_at=upload.recorded_at(timezone.now()),
                    leg_pain=upload.leg,
                    back_pain=upload.back,
                )
        except IntegrityError:  # the same answers, sent twice at once
            existing = PainCheckIn.objects.get(uuid=upload.uuid)
        else:
            triage.pain_answers_recorded(patient, checkin)  # alerts for the therapist, if any
            return checkin, True
    if existing.patient_id != patient.pk:
        raise SessionConflict(str(upload.uuid))
    return existing, False


def already_stored(patient: Patient, record: SessionRecord) -> RecordedSession:
    if record.patient_id != patient.pk:
        raise SessionConflict(str(record.uuid))
    return RecordedSession(record, created=False, progression=None)


def store_session(
    patient: Patient,
    version: PrescriptionVersion,
    played: dict[str, Dose],
    upload: SessionUpload,
    timing: Timing,
) -> SessionRecord:
    record = SessionRecord.objects.create(
        uuid=upload.uuid,
        patient=patient,
        prescription=version,
        started_at=timing.started_at,
        finished_at=timing.finished_at,
        paused_seconds=upload.paused_seconds,
        clock_trusted=timing.clock_trusted,
        device_started_at=timing.device_started_at,
        locale=upload.locale,
        gentle=upload.gentle,
        new_leg_symptoms=upload.new_leg_symptoms,
    )
    ExerciseResult.objects.bulk_create(
        ExerciseResult(
            session=record,
            exercise_id=result.exercise_id,
            completed=result.completed,
            worse=result.worse or bool(result.stop_reason and result.stop_reason.is_pain),
            stop_reason=result.stop_reason.value if result.stop_reason else "",
            sets_done=result.sets_done,
            reps_done=result.reps_done,
            kept_back_flat=result.kept_back_flat,
            # Rated for real by update_lights once the session is in the history.
            light="",
            light_cause="",
            **played[result.exercise_id].to_dict(),
        )
        for result in upload.results
    )
    checkins = [(PainCheckIn.Moment.BEFORE, upload.pain_before, timing.started_at)]
    if upload.pain_after is not None:
        checkins.append((PainCheckIn.Moment.AFTER, upload.pain_after, timing.finished_at))
    PainCheckIn.objects.bulk_create(
        PainCheckIn(
            patient=patient,
            session=record,
            moment=moment,
            recorded_at=when,
            leg_pain=scores.leg,
            back_pain=scores.back,
        )
        for moment, scores, when in checkins
    )
    return record


def update_lights(patient: Patient, new: SessionRecord) -> None:
    """Rate the new session, and re-rate its neighbours: a session's light depends on the
    session after it (leg pain higher at its start), so a new one can turn the one before
    it amber, and a late offline upload lands in the middle. The one after it is re-rated
    too, with the one after that for its own rating; nothing further can change. So an
    upload costs the same after years of sessions."""
    sessions = sessions_around(patient, new, before=1, after=2)
    ratings = rate_sessions(engine_history(sessions, patient.zone))
    # Up to the one after the new session: the last one read is context, not re-rated.
    through = [session.pk for session in sessions].index(new.pk) + 2
    changed = []
    for session, session_ratings in list(zip(sessions, ratings, strict=True))[:through]:
        for result in session.results.all():
            rating = session_ratings[result.exercise_id]
            if (result.light, result.light_cause) != (rating.light.value, rating.cause.value):
                result.light, result.light_cause = rating.light.value, rating.cause.value
                changed.append(result)
    ExerciseResult.objects.bulk_update(changed, ["light", "light_cause"])


def progress_patient(patient: Patient) -> Progression:
    """Run the engine over the patient's recent history (ENGINE_WINDOW); keep a new version
    when anything changed."""
    version = current_prescription(patient)
    history = engine_history(recent_sessions(patient, ENGINE_WINDOW), patient.zone)
    progression = progress(
        version.to_engine(), history, locale=patient.language, step_ups=patient.auto_progression
    )
    if progression.changed:
        save_prescription(
            patient,
            progression.prescription,
            PrescriptionVersion.Source.ENGINE,
            decisions=progression.decisions,
        )
    return progression
