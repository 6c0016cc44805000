"""The session upload is checked field by field, with messages that name the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.uploads import UploadError, parse_session_upload
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


@pytest.mark.parametrize(
    ("minutes_long", "problem"),
    [(-5, "before started_at"), (60 * 4, "more than 3 hours")],
)
def test_durations_must_be_sane(alice: Patient, minutes_long: int, problem: str) -> None:
    payload = session_payload(alice)
    started = dt.datetime.fromisoformat(payload["finished_at"]) - dt.timedelta(minutes=minutes_long)
    payload["started_at"] = started.isoformat()
    assert problem in errors_for(payload)["session"]


def test_a_session_cannot_finish_in_the_future(alice: Patient) -> None:
    payload = session_payload(alice, days_ago=-1)
    assert "future" in errors_for(payload)["session"]
