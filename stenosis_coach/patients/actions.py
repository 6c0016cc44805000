"""Writes about patients. Each runs in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from stenosis_coach.clinic import triage
from stenosis_coach.practice.actions import start_programme
from stenosis_coach.programme import evaluate_screening

from .models import Clinic, Patient, RedFlagScreening


@transaction.atomic
def create_patient(
    user: AbstractBaseUser,
    *,
    clinic: Clinic | None = None,
    therapist: AbstractBaseUser | None = None,
    language: str = "en",
) -> Patient:
    """A patient record for `user`, with the engine's starting prescription as version 1."""
    patient = Patient.objects.create(
        user=user, clinic=clinic, therapist=therapist, language=language
    )
    start_programme(patient)
    return patient


@transaction.atomic
def record_screening(patient: Patient, answers: Mapping[str, bool]) -> RedFlagScreening:
    """Store a red-flag screening; any "yes" pauses the programme (ScreeningError if the
    answers do not match the questions)."""
    result = evaluate_screening(answers, patient.language)
    screening = RedFlagScreening.objects.create(
        patient=patient,
        taken_at=timezone.now(),
        answers=dict(answers),
        outcome=result.outcome.value,
        flagged=list(result.flagged),
    )
    triage.screening_recorded(patient, screening)  # alerts for the therapist, if any
    return screening


CLEARED_BY = ("patient", "therapist")


@transaction.atomic
def clear_red_flag_hold(patient: Patient, *, by: str) -> RedFlagScreening | None:
    """Lift the patient's red-flag hold: by="patient" when they say a doctor has checked them
    and said they can go on, by="therapist" when their therapist clears it. The exercises
    still wait for a new screening that is clear. Returns the cleared screening, or None
    when there was no hold (so clearing twice changes nothing)."""
    if by not in CLEARED_BY:
        raise ValueError(f"cleared_by must be one of {CLEARED_BY}, not {by!r}")
    # Lock the patient's row, so two clearances at once cannot both write.
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    screening = patient.red_flag_hold()
    if screening is None:
        return None
    screening.cleared_at = timezone.now()
    screening.cleared_by = by
    screening.save(update_fields=["cleared_at", "cleared_by"])
    return screening


@transaction.atomic
def request_screening(patient: Patient, at: dt.datetime | None = None) -> None:
    """New numbness, tingling or weakness in the legs: the red-flag questions are asked again
    before any more exercise (screening_due is true until a screening is taken after `at`).

    at: when the patient said so (default: now); a later request is never moved back."""
    when = at or timezone.now()
    stored = Patient.objects.select_for_update().get(pk=patient.pk).screening_requested_at
    if stored is None or when > stored:
        Patient.objects.filter(pk=patient.pk).update(screening_requested_at=when)
        stored = when
    patient.screening_requested_at = stored


@transaction.atomic
def sign_up(email: str, password: str, language: str = "en", time_zone: str = "") -> Patient:
    """A new patient account (the email is the user name), with its starting prescription,
    in the language the person signed up in, and the browser's time zone if it sent one
    (an IANA name the caller has checked)."""
    from django.contrib.auth.models import User

    user = User.objects.create_user(username=email, email=email, password=password)
    patient = create_patient(user, language=language)
    if time_zone:
        set_time_zone(patient, time_zone)
    return patient


@transaction.atomic
def set_time_zone(patient: Patient, time_zone: str) -> None:
    """The zone the patient's days are counted in (an IANA name the caller has checked)."""
    patient.time_zone = time_zone
    patient.save(update_fields=["time_zone"])


@transaction.atomic
def record_browser_zone(patient: Patient, time_zone: str) -> bool:
    """The browser's zone, for a patient who has none yet; a zone already there (one
    picked in settings, or sent by another page) is never replaced. True if saved."""
    saved = Patient.objects.filter(pk=patient.pk, time_zone="").update(time_zone=time_zone)
    if saved:
        patient.time_zone = time_zone
    return bool(saved)


@transaction.atomic
def set_language(patient: Patient, language: str) -> None:
    """The language of the patient's pages, plans, spoken cues and reasons."""
    patient.language = language
    patient.save(update_fields=["language"])


@transaction.atomic
def set_diagnosis(patient: Patient, confirmed: bool) -> None:
    patient.diagnosis_confirmed = confirmed
    patient.save(update_fields=["diagnosis_confirmed"])


@transaction.atomic
def set_usual_pain(patient: Patient, *, leg_pain: int, back_pain: int) -> None:
    """The baseline: what today's pain is compared with (a gentle session at 3+ above)."""
    patient.usual_leg_pain, patient.usual_back_pain = leg_pain, back_pain
    patient.save(update_fields=["usual_leg_pain", "usual_back_pain"])


@transaction.atomic
def set_usual_walking(patient: Patient, minutes: int) -> None:
    patient.usual_walking_minutes = minutes
    patient.save(update_fields=["usual_walking_minutes"])


@transaction.atomic
def finish_onboarding(patient: Patient, session_time: dt.time | None) -> None:
    patient.preferred_session_time = session_time
    patient.onboarded_at = timezone.now()
    patient.save(update_fields=["preferred_session_time", "onboarded_at"])
