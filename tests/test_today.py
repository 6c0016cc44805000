"""Today: the session at a glance, what changed and why, what is due, a daily tip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation

from stenosis_coach.outcomes.actions import record_walking_test, start_function_tracking
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import record_session
from stenosis_coach.practice.today import POSTURE_TIPS, today_for
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


def test_start_comes_before_the_list_of_exercises(alice_client: Client) -> None:
    """Today leads with Start, so it is on screen without scrolling on a small phone
    (tests/browser/test_today_layout.py measures it)."""
    html = page(alice_client)
    start = html.index('class="button start" href="/session/"')
    assert start < html.index('class="plan-list"')
    assert start < html.index("Knees to chest")
    assert html.index("It takes about 8 minutes.") < start


def test_an_exercise_on_hold_is_told_once(alice_client: Client, ready: Patient) -> None:
    """Its reason is under "On hold", not again under "What changed since last time"."""
    hurt = {"curl-up": {"completed": False, "worse": True, "stop_reason": "back-pain"}}
    for days_ago in (2, 1):
        payload = session_payload(ready, days_ago=days_ago, overrides=hurt)
        record_session(ready, parse_session_upload(payload))
    html = page(alice_client)
    assert html.count("It is on hold for now.") == 1
    assert html.count("<strong>Curl-up:</strong>") == 1
    hold = html[html.index('id="hold-title"') :]
    assert "It is on hold for now." in hold


def test_today_links_to_the_urgent_advice(alice_client: Client) -> None:
    html = page(alice_client)
    assert '<a class="button" href="/urgent/">When to get help fast</a>' in html


def test_a_tip_says_what_the_exercises_can_and_cannot_do() -> None:
    tip = (
        "The exercises alone may not take your leg pain away. But they make it easier to stand "
        "and walk in a comfortable way."
    )
    assert tip in POSTURE_TIPS
    with translation.override("es"):
        assert translation.gettext(tip).startswith("Puede que los ejercicios solos no le quiten")


def test_the_tip_of_the_day_goes_round_every_tip(ready: Patient) -> None:
    days = [timezone.now() + dt.timedelta(days=n) for n in range(len(POSTURE_TIPS))]
    assert {today_for(ready, now=day).tip for day in days} == set(POSTURE_TIPS)
