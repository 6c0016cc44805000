"""Storing sessions: once per UUID, rated, progressed, all in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice import actions
from stenosis_coach.practice.actions import (
    ENGINE_WINDOW,
    SessionConflict,
    current_prescription,
    record_session,
    save_prescription,
)
from stenosis_coach.practice.history import engine_history, patient_sessions
from stenosis_coach.practice.models import (
    ExerciseResult,
    PrescriptionVersion,
    SessionRecord,
)
from stenosis_coach.practice.uploads import DOES_NOT_MATCH, UploadError, parse_session_upload
from stenosis_coach.programme import Dose, red_flag_questions
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


# --- Issue 10: sessions that are never lost ---------------------------------------------------


def test_a_paused_session_is_stored_with_its_pause(alice: Patient) -> None:
    payload = session_payload(alice, paused_seconds=int(3.5 * 3600))
    finished = dt.datetime.fromisoformat(payload["finished_at"])
    payload["started_at"] = (finished - dt.timedelta(hours=4)).isoformat()
    record = record_session(alice, parse_session_upload(payload)).record
    record.refresh_from_db()
    assert (record.paused_seconds, record.clock_trusted) == (int(3.5 * 3600), True)
    assert record.started_at == finished - dt.timedelta(hours=4)


def test_a_session_from_a_reset_clock_is_stored_and_ordered_by_its_arrival(
    alice: Patient,
) -> None:
    yesterday = upload(alice, days_ago=1).record
    reset = session_payload(alice)
    reset["started_at"] = "1970-01-01T00:00:00+00:00"
    reset["finished_at"] = "1970-01-01T00:12:00+00:00"
    before = timezone.now()
    record = record_session(alice, parse_session_upload(reset)).record
    record.refresh_from_db()
    assert not record.clock_trusted
    assert record.device_started_at == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert before <= record.finished_at <= timezone.now()
    assert record.finished_at - record.started_at == dt.timedelta(minutes=12)
    checkins = {c.moment: c.recorded_at for c in record.pain_checkins.all()}
    assert checkins == {"before": record.started_at, "after": record.finished_at}
    assert [s.pk for s in patient_sessions(alice)] == [yesterday.pk, record.pk]


def test_a_session_from_a_clock_far_ahead_is_stored(alice: Patient) -> None:
    record = upload(alice, days_ago=-2).record
    record.refresh_from_db()
    assert not record.clock_trusted
    assert record.finished_at <= timezone.now()


def step_up_waiting(patient: Patient) -> None:
    """A version in which back flexion has stepped up from 10 s to 15 s, not yet played."""
    prescription = current_prescription(patient).to_engine()
    stretch = prescription.get("back-flexion")
    stepped = replace(
        stretch,
        dose=Dose(reps=4, hold_seconds=15),
        step_up_from=Dose(reps=4, hold_seconds=10),
    )
    save_prescription(patient, prescription.with_item(stepped), PrescriptionVersion.Source.ENGINE)


def test_the_dose_before_a_step_up_is_stored_as_played(alice: Patient) -> None:
    step_up_waiting(alice)
    item = current_prescription(alice).items.get(exercise_id="back-flexion")
    assert item.step_up_from == Dose(reps=4, hold_seconds=10).to_dict()
    earlier = {"sets": 1, "reps": 4, "hold_seconds": 10}
    overrides = {"back-flexion": {"dose": earlier}}
    record = upload(alice, overrides=overrides).record
    assert record.results.get(exercise_id="back-flexion").dose == Dose(reps=4, hold_seconds=10)
    assert (
        record.results.get(exercise_id="curl-up").dose
        == current_prescription(alice).items.get(exercise_id="curl-up").dose
    )


def test_a_dose_that_was_not_on_offer_is_refused(alice: Patient) -> None:
    step_up_waiting(alice)
    overrides = {"back-flexion": {"dose": {"sets": 1, "reps": 6, "hold_seconds": 30}}}
    payload = session_payload(alice, overrides=overrides)
    with pytest.raises(UploadError) as error:
        record_session(alice, parse_session_upload(payload))
    assert "results.0.dose" in error.value.errors
    assert error.value.message == DOES_NOT_MATCH
    assert not SessionRecord.objects.exists()


def test_the_back_flat_answer_is_stored(alice: Patient) -> None:
    overrides = {"pelvic-tilt": {"kept_back_flat": False}}
    record = upload(alice, overrides=overrides).record
    assert record.results.get(exercise_id="pelvic-tilt").kept_back_flat is False
    assert record.results.get(exercise_id="curl-up").kept_back_flat is None


def test_the_engine_gets_the_day_where_the_patient_lives_the_version_and_the_answer(
    alice: Patient,
) -> None:
    alice.time_zone = "America/Los_Angeles"
    alice.save()
    payload = session_payload(alice, overrides={"pelvic-tilt": {"kept_back_flat": True}})
    # 03:00 UTC on 2 November is still 1 November in Los Angeles.
    payload["started_at"] = "2026-11-02T03:00:00+00:00"
    payload["finished_at"] = "2026-11-02T03:12:00+00:00"
    record_session(alice, parse_session_upload(payload))
    (session,) = engine_history(patient_sessions(alice), alice.zone)
    assert session.day == dt.date(2026, 11, 1)
    assert session.prescription_version == 1
    tilt = session.result_for("pelvic-tilt")
    assert tilt is not None
    assert tilt.kept_back_flat is True


def red_flag(patient: Patient) -> None:
    answers = {question.id: False for question in red_flag_questions()}
    answers[next(iter(answers))] = True
    record_screening(patient, answers)
    assert patient.stopped_by_red_flag


def test_during_a_red_flag_hold_a_session_is_stored_but_no_dose_changes(alice: Patient) -> None:
    upload(alice, days_ago=2)
    red_flag(alice)
    recorded = upload(alice, days_ago=1)  # done offline before the answer, sent after it
    assert recorded.created
    assert recorded.progression is None
    assert SessionRecord.objects.filter(patient=alice).count() == 2
    assert set(recorded.record.results.values_list("light", flat=True)) == {"green"}
    assert current_prescription(alice).number == 1  # two greens, yet no step-up


def test_a_late_upload_in_the_middle_rates_itself_and_the_one_before(alice: Patient) -> None:
    first = upload(alice, days_ago=3, leg_before=2, leg_after=2).record
    last = upload(alice, days_ago=1, leg_before=2, leg_after=2).record
    assert set(first.results.values_list("light", flat=True)) == {"green"}
    middle = upload(alice, days_ago=2, leg_before=5, leg_after=5).record
    assert set(first.results.values_list("light_cause", flat=True)) == {"pain-next-day"}
    assert set(middle.results.values_list("light", flat=True)) == {"green"}
    assert set(last.results.values_list("light", flat=True)) == {"green"}


def queries_for_one_more(patient: Patient) -> int:
    """Queries to store a session that changes nothing (leg pain rose: amber, hold). The
    one before it, amber too, has played any step-up waiting (which makes a version)."""
    amber = {"leg_before": 3, "leg_after": 6}
    record_session(patient, parse_session_upload(session_payload(patient, days_ago=0.6, **amber)))
    payload = session_payload(patient, days_ago=0.5, **amber)
    with CaptureQueriesContext(connection) as queries:
        recorded = record_session(patient, parse_session_upload(payload))
    assert recorded.progression is not None
    assert not recorded.progression.changed
    return len(queries)


def test_an_upload_costs_the_same_queries_however_long_the_history(
    alice: Patient, dave: Patient
) -> None:
    # Both at a clinic, so both uploads are triaged (a patient with no clinic is not).
    dave.clinic = alice.clinic
    dave.save(update_fields=["clinic"])
    # Both past their first week (a session in it also updates the caseload's first-week
    # pain: one query more, whatever the history).
    for patient, earlier in ((alice, 10), (dave, 60)):
        for days_ago in range(earlier, 0, -1):
            record_session(
                patient, parse_session_upload(session_payload(patient, days_ago=days_ago))
            )
    assert queries_for_one_more(alice) == queries_for_one_more(dave)
    # What is read stays bounded too: the engine gets the latest 30 sessions, and rating
    # reads the new session, one before it and two after it (none here).
    with (
        mock.patch.object(actions, "progress", wraps=actions.progress) as engine,
        mock.patch.object(actions, "rate_sessions", wraps=actions.rate_sessions) as rating,
    ):
        record_session(dave, parse_session_upload(session_payload(dave, days_ago=0.4)))
    assert len(engine.call_args.args[1]) == ENGINE_WINDOW == 30
    assert len(rating.call_args.args[0]) == 2
