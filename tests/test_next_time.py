"""The session summary's "Next time": what each exercise will be, and why. One that is
locked (the march, until the pelvic tilt is at its goal) or on hold has no dose there, only
its reason, which says when it opens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from stenosis_coach.patients.models import Patient
from tests.conftest import session_payload
from tests.patient_pages import logged_in, ready


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    return logged_in(ready(alice))


def next_time(client: Client, payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    response = client.post("/api/sessions/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    return {change["exercise_id"]: change for change in response.json()["next"]}


def test_a_locked_exercise_has_no_dose_next_time(alice_client: Client, alice: Patient) -> None:
    changes = next_time(alice_client, session_payload(alice))
    march = changes["hook-lying-march"]
    assert march["active"] is False
    assert march["dose_text"] == ""
    assert march["reason"].startswith("This one opens when the")
    assert changes["back-flexion"]["dose_text"] == "4 times, hold 10 seconds"


def test_an_exercise_on_hold_has_no_dose_next_time(alice_client: Client, alice: Patient) -> None:
    hurt = {"curl-up": {"completed": False, "worse": True, "stop_reason": "back-pain"}}
    next_time(alice_client, session_payload(alice, days_ago=1, overrides=hurt))
    changes = next_time(alice_client, session_payload(alice, overrides=hurt))
    assert changes["curl-up"]["active"] is False
    assert changes["curl-up"]["dose_text"] == ""
    assert "It is on hold for now." in changes["curl-up"]["reason"]


def test_a_late_upload_shows_the_current_reasons_not_a_stale_session(
    alice_client: Client, alice: Patient
) -> None:
    """An offline session done under an older version arrives after the engine made a newer
    one: it changes nothing, and "Next time" tells what the current version says and why."""
    late = session_payload(alice, days_ago=4)  # made on version 1, sent last
    next_time(alice_client, session_payload(alice, days_ago=3))
    stepped = next_time(alice_client, session_payload(alice, days_ago=2))
    (up,) = [change for change in stepped.values() if change["action"] == "up"]
    changes = next_time(alice_client, late)
    assert changes[up["exercise_id"]]["reason"] == up["reason"]
    assert not any("changed after your last session" in c["reason"] for c in changes.values())
