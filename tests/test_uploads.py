"""The session upload is checked field by field, with messages that name the field."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.uploads import (
    TOO_LONG,
    Timing,
    UnreadableUpload,
    UploadError,
    decode_upload,
    parse_pain_upload,
    parse_session_upload,
)
from stenosis_coach.programme import Dose
from tests.conftest import session_payload


def errors_for(payload: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(UploadError) as error:
        parse_session_upload(payload)
    return error.value.errors


def test_a_valid_upload_parses(alice: Patient) -> None:
    upload = parse_session_upload(session_payload(alice))
    assert upload.pain_before.leg == 3
    assert [r.exercise_id for r in upload.results][:2] == ["back-flexion", "pelvic-tilt"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain_before": {"leg": 11, "back": 2}}, "pain_before.leg"),
        ({"pain_before": {"leg": -1, "back": 2}}, "pain_before.leg"),
        ({"pain_before": {"leg": "3", "back": 2}}, "pain_before.leg"),
        ({"pain_before": {"leg": True, "back": 2}}, "pain_before.leg"),
        ({"pain_after": {"leg": 2, "back": 10.5}}, "pain_after.back"),
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"prescription_version": 0}, "prescription_version"),
        ({"started_at": "2026-11-01T10:00:00"}, "started_at"),
        ({"started_at": "yesterday"}, "started_at"),
        ({"gentle": "no"}, "gentle"),
        ({"results": []}, "results"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_fields_are_named(alice: Patient, change: dict[str, Any], field: str) -> None:
    payload = session_payload(alice)
    payload.update(change)
    assert field in errors_for(payload)


def test_a_missing_field_is_named(alice: Patient) -> None:
    payload = session_payload(alice)
    del payload["uuid"]
    assert errors_for(payload)["uuid"] == "Field required"


def test_an_unknown_exercise_is_refused(alice: Patient) -> None:
    payload = session_payload(alice)
    payload["results"][0]["exercise_id"] = "headstand"
    assert "unknown exercise 'headstand'" in errors_for(payload)["results.0"]


def test_an_exercise_twice_is_refused(alice: Patient) -> None:
    payload = session_payload(alice)
    payload["results"].append(dict(payload["results"][0]))
    assert "twice" in errors_for(payload)["session"]


def test_a_completed_exercise_has_no_stop_reason(alice: Patient) -> None:
    payload = session_payload(alice, overrides={"curl-up": {"stop_reason": "skipped"}})
    assert "no stop reason" in errors_for(payload)["results.2"]


def test_an_unknown_stop_reason_is_refused(alice: Patient) -> None:
    overrides = {"curl-up": {"completed": False, "stop_reason": "bored"}}
    payload = session_payload(alice, overrides=overrides)
    assert "results.2.stop_reason" in errors_for(payload)


# --- Active time, not the wall clock ---------------------------------------------------------


def timed(patient: Patient, started: dt.datetime, finished: dt.datetime, **fields: Any) -> Any:
    payload = session_payload(patient, **fields)
    payload.update(started_at=started.isoformat(), finished_at=finished.isoformat())
    return payload


NOW = dt.datetime.now(dt.UTC)


def test_four_hours_of_exercise_is_too_long(alice: Patient) -> None:
    payload = timed(alice, NOW - dt.timedelta(hours=5), NOW - dt.timedelta(hours=1))
    with pytest.raises(UploadError) as error:
        parse_session_upload(payload)
    assert "more than 3 hours" in error.value.errors["session"]
    assert error.value.message == TOO_LONG


def test_a_session_paused_for_three_and_a_half_hours_is_not_too_long(alice: Patient) -> None:
    started = NOW - dt.timedelta(hours=4)
    payload = timed(alice, started, NOW, paused_seconds=int(3.5 * 3600))
    upload = parse_session_upload(payload)
    assert upload.active_length() == dt.timedelta(minutes=30)
    assert upload.timing(NOW) == Timing(upload.started_at, upload.finished_at, True, None)


def test_started_late_evening_and_finished_next_morning_after_a_night_paused(
    alice: Patient,
) -> None:
    evening = (NOW - dt.timedelta(days=1)).replace(hour=22, minute=50)
    morning = evening + dt.timedelta(hours=9)
    payload = timed(alice, evening, morning, paused_seconds=8 * 3600 + 30 * 60)
    assert parse_session_upload(payload).active_length() == dt.timedelta(minutes=30)


@pytest.mark.parametrize("paused", [-1, 2**31, "60", 1.5, True])
def test_paused_seconds_is_a_whole_number_in_bounds(alice: Patient, paused: Any) -> None:
    assert "paused_seconds" in errors_for(session_payload(alice, paused_seconds=paused))


# --- Device clocks that cannot be trusted: stored, never refused ------------------------------


@pytest.mark.parametrize(
    ("started", "finished"),
    [
        # A phone reset after a flat battery: 1970, and a session that "lasted" 56 years.
        (dt.datetime(1970, 1, 1, tzinfo=dt.UTC), NOW - dt.timedelta(minutes=1)),
        (dt.datetime(1970, 1, 1, tzinfo=dt.UTC), dt.datetime(1970, 1, 1, 0, 20, tzinfo=dt.UTC)),
        # A clock a day ahead.
        (NOW + dt.timedelta(days=1), NOW + dt.timedelta(days=1, minutes=20)),
        # A clock set back during the session: it finished before it started.
        (NOW - dt.timedelta(minutes=5), NOW - dt.timedelta(minutes=25)),
    ],
)
def test_an_untrusted_clock_is_replaced_by_the_time_received(
    alice: Patient, started: dt.datetime, finished: dt.datetime
) -> None:
    upload = parse_session_upload(timed(alice, started, finished))
    received = NOW + dt.timedelta(seconds=1)
    timing = upload.timing(received)
    assert not timing.clock_trusted
    assert timing.finished_at == received
    active = finished - started
    expected = active if dt.timedelta(0) <= active <= dt.timedelta(hours=3) else dt.timedelta(0)
    assert timing.started_at == received - expected
    assert timing.device_started_at == started


def test_a_clock_ten_minutes_ahead_is_still_believed(alice: Patient) -> None:
    ahead = NOW + dt.timedelta(minutes=9)
    upload = parse_session_upload(timed(alice, ahead - dt.timedelta(minutes=20), ahead))
    assert upload.timing(NOW).clock_trusted


def test_a_time_the_database_cannot_hold_is_not_kept(alice: Patient) -> None:
    # Year 1 at +05:00 is year 0 in UTC: no database can store it.
    year_one = "0001-01-01T00:00:00+05:00"
    payload = session_payload(alice, started_at=year_one)
    timing = parse_session_upload(payload).timing(NOW)
    assert not timing.clock_trusted
    assert timing.device_started_at is None
    assert timing.started_at == timing.finished_at == NOW


@pytest.mark.parametrize("when", [1_700_000_000, "0000-01-01T00:00:00Z", "2026-02-30T10:00Z"])
def test_a_time_must_be_a_real_date_as_text(alice: Patient, when: Any) -> None:
    assert "started_at" in errors_for(session_payload(alice, started_at=when))


def test_untrusted_pain_answers_are_timed_when_they_arrive(alice: Patient) -> None:
    answers = {"uuid": str(uuid.uuid4()), "leg": 9, "back": 2}
    tomorrow = parse_pain_upload({**answers, "taken_at": (NOW + dt.timedelta(days=1)).isoformat()})
    assert tomorrow.recorded_at(NOW) == NOW
    reset = parse_pain_upload({**answers, "taken_at": "1970-01-01T00:00:00Z"})
    assert reset.recorded_at(NOW) == NOW
    an_hour_ago = NOW - dt.timedelta(hours=1)
    believed = parse_pain_upload({**answers, "taken_at": an_hour_ago.isoformat()})
    assert believed.recorded_at(NOW) == an_hour_ago


# --- The played dose and the back-flat check -------------------------------------------------


def test_a_played_dose_must_be_a_possible_dose(alice: Patient) -> None:
    both = {"sets": 1, "reps": 4, "hold_seconds": 10, "work_seconds": 30}
    payload = session_payload(alice, overrides={"back-flexion": {"dose": both}})
    assert "results.0.dose" in errors_for(payload)
    huge = {"sets": 1, "reps": 10**6, "hold_seconds": 10}
    payload = session_payload(alice, overrides={"back-flexion": {"dose": huge}})
    assert "results.0.dose.reps" in errors_for(payload)


def test_a_played_dose_and_the_back_flat_answer_are_read(alice: Patient) -> None:
    dose = {"sets": 1, "reps": 8, "hold_seconds": 10}
    overrides = {"pelvic-tilt": {"dose": dose, "kept_back_flat": True}}
    upload = parse_session_upload(session_payload(alice, overrides=overrides))
    tilt = upload.results[1]
    assert tilt.played_dose == Dose(sets=1, reps=8, hold_seconds=10)
    assert tilt.kept_back_flat is True
    assert upload.results[0].played_dose is None
    assert upload.results[0].kept_back_flat is None


@pytest.mark.parametrize("answer", ["yes", 1])
def test_the_back_flat_answer_is_true_false_or_null(alice: Patient, answer: Any) -> None:
    payload = session_payload(alice, overrides={"pelvic-tilt": {"kept_back_flat": answer}})
    assert "results.1.kept_back_flat" in errors_for(payload)


# --- Numbers and text that fit the database ---------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"prescription_version": 2**31}, "prescription_version"),
        ({"locale": "en\x00"}, "locale"),
        ({"locale": "e"}, "locale"),
    ],
)
def test_values_must_fit_the_database(alice: Patient, change: dict[str, Any], field: str) -> None:
    payload = session_payload(alice)
    payload.update(change)
    assert field in errors_for(payload)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"[" * 21 + b"]" * 21, "nested more than 20 deep"),
        (b"[" * 5000 + b"]" * 5000, "nested more than 20 deep"),
        (b'{"n": ' + b"9" * 19 + b"}", "longer than 18 digits"),
        (b'{"n": -' + b"9" * 5000 + b"}", "longer than 18 digits"),
        (b'{"n": NaN}', "not a number"),
        (b'{"n": Infinity}', "not a number"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"{nope", "not JSON"),
        (b"", "not JSON"),
    ],
)
def test_unreadable_bodies_say_why(body: bytes, problem: str) -> None:
    with pytest.raises(UnreadableUpload) as error:
        decode_upload(body)
    assert problem in error.value.errors["body"]


def test_brackets_inside_text_do_not_count_as_nesting() -> None:
    text = '{"note": "' + "[" * 100 + '\\"{{"}'
    assert decode_upload(text.encode()) == {"note": "[" * 100 + '"{{'}
    assert decode_upload(b'{"n": ' + b"9" * 18 + b"}") == {"n": 10**18 - 1}
