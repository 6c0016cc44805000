"""Today: the session at a glance, what changed and why, what is due, a daily tip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from stenosis_coach.outcomes.actions import record_walking_test, start_function_tracking
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import record_session
from stenosis_coach.practice.today import POSTURE_TIPS
from stenosis_coach.practice.uploads import parse_session_upload
from stenosis_coach.programme import red_flag_questions
from tests.conftest import session_payload

ALL_NO = {question.id: False for question in red_flag_questions()}


@pytest.fixture
def ready(alice: Patient) -> Patient:
    """Alice, onboarded, with a clear screening, a walk and a function check done."""
    record_screening(alice, ALL_NO)
    record_walking_test(alice, minutes=Decimal(10), stopped_by_symptoms=True)
    start_function_tracking(alice, [("Standing to cook", 4)])
    alice.onboarded_at = timezone.now()
    alice.usual_leg_pain = 3
    alice.save()
    return alice


@pytest.fixture
def alice_client(ready: Patient) -> Client:
    client = Client()
    client.force_login(ready.user)
    return client


def page(client: Client) -> str:
    response = client.get("/today/")
    assert response.status_code == 200
    return response.content.decode()


def test_today_needs_a_login(client: Client, db: None) -> None:
    response = client.get("/today/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/today/"


def test_today_shows_the_session_at_a_glance(alice_client: Client) -> None:
    html = page(alice_client)
    assert "Knees to chest" in html
    assert "4 times, hold 10 seconds" in html
    assert "Lying march" not in html  # locked until the pelvic tilt is at its goal
    assert "It takes about 8 minutes." in html
    assert 'href="/session/"' in html


def test_today_says_what_changed_and_why(alice_client: Client, ready: Patient) -> None:
    for days_ago in (2, 1):
        payload = session_payload(ready, days_ago=days_ago, leg_before=3, leg_after=3)
        record_session(ready, parse_session_upload(payload))
    html = page(alice_client)
    assert "What changed since last time" in html
    assert "So the hold goes from 10 to 15 seconds." in html


def test_no_changes_section_for_a_new_programme(alice_client: Client) -> None:
    assert "What changed since last time" not in page(alice_client)


def test_a_paused_exercise_is_shown_on_hold(alice_client: Client, ready: Patient) -> None:
    hurt = {"curl-up": {"completed": False, "worse": True, "stop_reason": "back-pain"}}
    for days_ago in (2, 1):
        payload = session_payload(ready, days_ago=days_ago, overrides=hurt)
        record_session(ready, parse_session_upload(payload))
    html = page(alice_client)
    assert "On hold" in html
    assert "Please talk to your therapist" in html


def test_done_for_today_after_a_session(alice_client: Client, ready: Patient) -> None:
    record_session(ready, parse_session_upload(session_payload(ready)))
    assert "You have done your session for today." in page(alice_client)


def test_weekly_check_appears_when_due(alice_client: Client, ready: Patient) -> None:
    assert "Your weekly safety check" not in page(alice_client)
    ready.screenings.update(taken_at=timezone.now() - dt.timedelta(days=8))
    assert "Your weekly safety check" in page(alice_client)


def test_walking_test_and_function_check_when_due(alice_client: Client, ready: Patient) -> None:
    html = page(alice_client)
    assert "Time for a timed walk" not in html
    assert "How are things going?" not in html
    ready.walking_tests.update(taken_at=timezone.now() - dt.timedelta(days=7))
    ready.function_checks.update(taken_at=timezone.now() - dt.timedelta(days=14))
    html = page(alice_client)
    assert "Time for a timed walk" in html
    assert "How are things going?" in html


def test_a_posture_tip_every_day(alice_client: Client) -> None:
    html = page(alice_client)
    assert any(tip in html for tip in POSTURE_TIPS)


def test_a_red_flag_in_the_weekly_check_blocks_today(alice_client: Client) -> None:
    response = alice_client.post("/check/", {**{k: "no" for k in ALL_NO}, "night-pain": "yes"})
    assert response["Location"] == "/check/result/"
    assert alice_client.get("/today/")["Location"] == "/check/result/"
