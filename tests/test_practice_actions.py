"""Storing sessions: once per UUID, rated, progressed, all in one transaction."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from django.db import DatabaseError

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import (
    SessionConflict,
    current_prescription,
    record_session,
)
from stenosis_coach.practice.models import (
    ExerciseResult,
    PrescriptionVersion,
    SessionRecord,
)
from stenosis_coach.practice.uploads import UploadError, parse_session_upload
from tests.conftest import session_payload


def upload(patient: Patient, **kwargs: object):  # type: ignore[no-untyped-def]
    return record_session(patient, parse_session_upload(session_payload(patient, **kwargs)))


def test_new_patient_starts_on_version_one_with_the_march_locked(alice: Patient) -> None:
    version = current_prescription(alice)
    assert version.number == 1
    assert version.source == PrescriptionVersion.Source.START
    items = {item.exercise_id: item for item in version.items.all()}
    assert list(items) == [
        "back-flexion",
        "pelvic-tilt",
        "hook-lying-march",
        "curl-up",
        "childs-pose",
    ]
    assert items["hook-lying-march"].locked
    assert (items["back-flexion"].hold_seconds, items["back-flexion"].reps) == (10, 4)


def test_a_session_is_stored_with_results_pain_and_lights(alice: Patient) -> None:
    recorded = upload(alice, leg_before=4, leg_after=4)
    assert recorded.created
    record = SessionRecord.objects.get(uuid=recorded.record.uuid)
    assert record.patient == alice
    assert record.results.count() == 4
    assert set(record.results.values_list("light", flat=True)) == {"green"}
    pain = {checkin.moment: checkin.leg_pain for checkin in record.pain_checkins.all()}
    assert pain == {"before": 4, "after": 4}


def test_the_same_upload_twice_is_stored_once(alice: Patient) -> None:
    payload = session_payload(alice)
    first = record_session(alice, parse_session_upload(payload))
    second = record_session(alice, parse_session_upload(payload))
    assert first.created
    assert not second.created
    assert second.record.pk == first.record.pk
    assert SessionRecord.objects.count() == 1
    assert ExerciseResult.objects.count() == 4
    assert PainCheckIn.objects.count() == 2


def test_another_patients_uuid_is_a_conflict_and_changes_nothing(
    alice: Patient, dave: Patient
) -> None:
    payload = session_payload(alice)
    record_session(alice, parse_session_upload(payload))
    payload_for_dave = session_payload(dave, uuid=payload["uuid"])
    with pytest.raises(SessionConflict):
        record_session(dave, parse_session_upload(payload_for_dave))
    assert SessionRecord.objects.get().patient == alice
    assert not dave.sessions.exists()


def test_a_prescription_version_of_someone_else_is_refused(alice: Patient, dave: Patient) -> None:
    payload = session_payload(alice, prescription_version=99)
    with pytest.raises(UploadError) as error:
        record_session(alice, parse_session_upload(payload))
    assert "prescription_version" in error.value.errors
    assert not SessionRecord.objects.exists()


def test_an_exercise_not_in_the_prescription_is_refused(alice: Patient) -> None:
    # The march is locked in version 1, so it cannot have been done.
    payload = session_payload(alice)
    payload["results"].append({"exercise_id": "hook-lying-march", "completed": True})
    with pytest.raises(UploadError, match="not in this prescription"):
        record_session(alice, parse_session_upload(payload))


def test_the_stored_dose_comes_from_the_prescription_not_the_client(alice: Patient) -> None:
    recorded = upload(alice)
    result = recorded.record.results.get(exercise_id="back-flexion")
    assert (result.hold_seconds, result.reps, result.sets) == (10, 4, 1)


def test_a_failure_midway_leaves_nothing_half_saved(alice: Patient) -> None:
    payload = session_payload(alice)
    with (
        mock.patch.object(PainCheckIn.objects, "bulk_create", side_effect=DatabaseError("disk")),
        pytest.raises(DatabaseError),
    ):
        record_session(alice, parse_session_upload(payload))
    assert not SessionRecord.objects.exists()
    assert not ExerciseResult.objects.exists()
    assert current_prescription(alice).number == 1


def test_two_green_sessions_step_up_with_a_reason(alice: Patient) -> None:
    upload(alice, days_ago=2)
    assert current_prescription(alice).number == 1
    recorded = upload(alice, days_ago=1)
    assert recorded.progression is not None
    assert recorded.progression.changed
    version = current_prescription(alice)
    assert version.number == 2
    assert version.source == PrescriptionVersion.Source.ENGINE
    assert version.created_by is None
    stretch = version.items.get(exercise_id="back-flexion")
    assert stretch.hold_seconds == 15
    assert stretch.action == "up"
    assert "from 10 to 15 seconds" in stretch.reason


def test_it_hurts_makes_the_exercise_red_and_steps_it_down(alice: Patient) -> None:
    upload(alice, days_ago=3)
    upload(alice, days_ago=2)  # two greens: back flexion goes to 15 s
    hurt = {"back-flexion": {"completed": False, "worse": True, "stop_reason": "leg-pain"}}
    recorded = upload(alice, days_ago=1, overrides=hurt)
    result = recorded.record.results.get(exercise_id="back-flexion")
    assert (result.light, result.light_cause, result.stop_reason) == ("red", "hurt", "leg-pain")
    item = current_prescription(alice).items.get(exercise_id="back-flexion")
    assert (item.hold_seconds, item.action) == (10, "down")


def test_two_reds_in_a_row_pause_the_exercise(alice: Patient) -> None:
    hurt = {"curl-up": {"completed": False, "stop_reason": "back-pain"}}
    upload(alice, days_ago=2, overrides=hurt)
    upload(alice, days_ago=1, overrides=hurt)
    item = current_prescription(alice).items.get(exercise_id="curl-up")
    assert item.paused
    assert item.action == "pause"
    assert "therapist" in item.reason


def test_higher_pain_next_time_turns_the_session_before_amber(alice: Patient) -> None:
    first = upload(alice, days_ago=2, leg_before=2, leg_after=2)
    upload(alice, days_ago=1, leg_before=5, leg_after=5)
    lights = set(first.record.results.values_list("light", "light_cause"))
    assert lights == {("amber", "pain-next-day")}
    # Amber breaks the two-green run, so nothing went up.
    assert current_prescription(alice).number == 1


def test_a_late_offline_upload_is_rated_in_its_place(alice: Patient) -> None:
    upload(alice, days_ago=1, leg_before=5, leg_after=5)
    late = upload(alice, days_ago=2, leg_before=2, leg_after=2)
    assert set(late.record.results.values_list("light", flat=True)) == {"amber"}


def test_uuid_is_unique_in_the_database(alice: Patient) -> None:
    recorded = upload(alice)
    assert SessionRecord.objects.filter(uuid=recorded.record.uuid).count() == 1
    assert isinstance(recorded.record.uuid, uuid.UUID)
