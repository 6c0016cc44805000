"""Patients and their red-flag screenings."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from stenosis_coach.patients.actions import create_patient, record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import ScreeningError, red_flag_questions

ALL_NO = {question.id: False for question in red_flag_questions()}


def test_a_patient_belongs_to_a_clinic_and_therapist_or_to_none(
    alice: Patient, dave: Patient, bob: User
) -> None:
    assert alice.therapist == bob
    assert alice.clinic is not None
    assert dave.therapist is None
    assert dave.clinic is None


def test_the_programme_waits_for_a_first_screening(alice: Patient) -> None:
    assert alice.programme_paused


def test_a_clear_screening_opens_the_programme(alice: Patient) -> None:
    screening = record_screening(alice, ALL_NO)
    assert screening.outcome == "clear"
    assert screening.flagged == []
    assert not alice.programme_paused


@pytest.mark.parametrize(("flag", "outcome"), [("bladder", "emergency"), ("fever", "same-day")])
def test_any_yes_pauses_the_programme(alice: Patient, flag: str, outcome: str) -> None:
    record_screening(alice, ALL_NO)
    screening = record_screening(alice, {**ALL_NO, flag: True})
    assert screening.outcome == outcome
    assert screening.flagged == [flag]
    assert alice.programme_paused


def test_a_later_clear_screening_lifts_the_pause(alice: Patient) -> None:
    record_screening(alice, {**ALL_NO, "fall-or-injury": True})
    record_screening(alice, ALL_NO)
    assert not alice.programme_paused


def test_incomplete_answers_store_nothing(alice: Patient) -> None:
    answers = dict(ALL_NO)
    del answers["bowel"]
    with pytest.raises(ScreeningError):
        record_screening(alice, answers)
    assert not alice.screenings.exists()


def test_create_patient_is_one_transaction(db: None) -> None:
    user = User.objects.create_user("erin")
    patient = create_patient(user, language="en")
    assert patient.prescriptions.count() == 1
