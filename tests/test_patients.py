"""Patients and their red-flag screenings: a "yes" holds the exercises until the patient
says a doctor has checked them (or their therapist clears it) and a new check is clear."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from stenosis_coach.patients.actions import (
    clear_red_flag_hold,
    create_patient,
    record_screening,
    request_screening,
)
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


def test_a_later_clear_screening_does_not_lift_a_hold(alice: Patient) -> None:
    flagged = record_screening(alice, {**ALL_NO, "fall-or-injury": True})
    record_screening(alice, ALL_NO)
    assert alice.red_flag_hold() == flagged
    assert alice.stopped_by_red_flag
    assert alice.programme_paused


def test_a_cleared_hold_still_waits_for_a_clear_screening(alice: Patient) -> None:
    flagged = record_screening(alice, {**ALL_NO, "bladder": True})
    assert clear_red_flag_hold(alice, by="patient") == flagged
    assert alice.red_flag_hold() is None
    assert alice.stopped_by_red_flag  # the questions come first
    assert alice.programme_paused
    record_screening(alice, ALL_NO)
    assert not alice.stopped_by_red_flag
    assert not alice.programme_paused


def test_a_yes_after_a_clearance_is_a_new_hold(alice: Patient) -> None:
    first = record_screening(alice, {**ALL_NO, "fever": True})
    clear_red_flag_hold(alice, by="patient")
    second = record_screening(alice, {**ALL_NO, "night-pain": True})
    assert alice.red_flag_hold() == second
    first.refresh_from_db()
    assert first.cleared_by == "patient"
    assert alice.programme_paused


@pytest.mark.parametrize("by", ["patient", "therapist"])
def test_clearing_keeps_who_cleared_and_when(alice: Patient, by: str) -> None:
    flagged = record_screening(alice, {**ALL_NO, "walking": True})
    before = timezone.now()
    clear_red_flag_hold(alice, by=by)
    flagged.refresh_from_db()
    assert flagged.cleared_by == by
    assert flagged.cleared_at is not None
    assert flagged.cleared_at >= before


def test_clearing_twice_changes_nothing(alice: Patient) -> None:
    flagged = record_screening(alice, {**ALL_NO, "walking": True})
    clear_red_flag_hold(alice, by="patient")
    flagged.refresh_from_db()
    first = flagged.cleared_at
    assert clear_red_flag_hold(alice, by="therapist") is None
    flagged.refresh_from_db()
    assert (flagged.cleared_at, flagged.cleared_by) == (first, "patient")


def test_clearing_with_no_hold_changes_nothing(alice: Patient) -> None:
    clear = record_screening(alice, ALL_NO)
    assert clear_red_flag_hold(alice, by="patient") is None
    clear.refresh_from_db()
    assert clear.cleared_at is None
    assert not alice.programme_paused


def test_only_the_patient_or_the_therapist_can_clear(alice: Patient) -> None:
    flagged = record_screening(alice, {**ALL_NO, "bowel": True})
    with pytest.raises(ValueError, match="cleared_by"):
        clear_red_flag_hold(alice, by="neighbour")
    flagged.refresh_from_db()
    assert flagged.cleared_at is None


def test_clearing_ones_own_hold_leaves_anothers(alice: Patient, dave: Patient) -> None:
    record_screening(alice, {**ALL_NO, "bowel": True})
    record_screening(dave, {**ALL_NO, "bowel": True})
    clear_red_flag_hold(dave, by="patient")
    assert alice.red_flag_hold() is not None
    assert dave.red_flag_hold() is None


def test_new_leg_symptoms_ask_the_questions_again(alice: Patient) -> None:
    record_screening(alice, ALL_NO)
    request_screening(alice)
    alice.refresh_from_db()
    assert alice.screening_requested
    assert alice.programme_paused
    assert not alice.stopped_by_red_flag  # a question, not a hold
    record_screening(alice, ALL_NO)
    assert not alice.screening_requested
    assert not alice.programme_paused


def test_a_request_is_never_moved_back(alice: Patient) -> None:
    record_screening(alice, ALL_NO)
    request_screening(alice)
    alice.refresh_from_db()
    latest = alice.screening_requested_at
    assert latest is not None
    request_screening(alice, at=latest - dt.timedelta(hours=1))
    alice.refresh_from_db()
    assert alice.screening_requested_at == latest


def test_a_request_older_than_the_latest_screening_asks_nothing(alice: Patient) -> None:
    screening = record_screening(alice, ALL_NO)
    request_screening(alice, at=screening.taken_at - dt.timedelta(minutes=5))
    alice.refresh_from_db()
    assert not alice.screening_requested
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
