"""Writes about patients. Each runs in one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

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
    return RedFlagScreening.objects.create(
        patient=patient,
        taken_at=timezone.now(),
        answers=dict(answers),
        outcome=result.outcome.value,
        flagged=list(result.flagged),
    )
