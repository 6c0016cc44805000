"""Triage through the real actions: the hooks in the actions that store data, one open alert
per rule, no alerts for a patient with no clinic, and a bounded cost per upload."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stenosis_coach.clinic import triage
from stenosis_coach.clinic.models import Alert
from stenosis_coach.outcomes.actions import (
    choose_activities,
    record_function_check,
    record_walking_test,
)
from stenosis_coach.patients.actions import clear_red_flag_hold, record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import record_pain_answers
from stenosis_coach.practice.uploads import parse_pain_upload
from tests.patient_pages import ALL_CLEAR, do_session, ready

HURT = {"curl-up": {"completed": False, "stop_reason": "back-pain"}}


def rules_raised(patient: Patient) -> list[str]:
    return sorted(Alert.objects.filter(patient=patient).values_list("rule", flat=True))


def acknowledge_all(patient: Patient) -> None:
    Alert.objects.filter(patient=patient).update(acknowledged_at=timezone.now())


def pain_answers(patient: Patient, leg: int, uuid: str) -> None:
    upload = {"uuid": uuid, "taken_at": timezone.now().isoformat(), "leg": leg, "back": 2}
    record_pain_answers(patient, parse_pain_upload(upload))


def every_event(patient: Patient) -> None:
    """One history that raises every rule an upload can raise (no_sessions is the sweep's)."""
    for days in (17, 16):
        do_session(patient, days_ago=days, leg_before=2, leg_after=2)
    do_session(patient, days_ago=2, leg_before=5, leg_after=5, overrides=HURT)
    do_session(patient, days_ago=1, leg_before=9, leg_after=9, overrides=HURT)
    do_session(patient, days_ago=0.5, new_leg_symptoms=True)
    record_walking_test(
        patient,
        seconds=900,
        stopped_by_symptoms=True,
        when=timezone.now() - dt.timedelta(days=8),
    )
    record_walking_test(patient, seconds=300, stopped_by_symptoms=True)
    check = choose_activities(patient, [("Gardening", 7)])
    garden = check.scores.get().activity
    record_function_check(patient, {garden.pk: 3}, impression=7)
    record_screening(patient, {**ALL_CLEAR, "night-pain": True})
    # The therapist clears the red flag after a check, and the next screening is clear.
    clear_red_flag_hold(patient, by="therapist")
    record_screening(patient, ALL_CLEAR)


def test_every_hook_raises_its_rule_through_the_real_actions(alice: Patient) -> None:
    every_event(ready(alice))
    assert triage.sweep_inactive(timezone.now() + dt.timedelta(days=6)) == 1
    assert rules_raised(alice) == sorted(
        [
            "red_flag",
            "leg_pain_rising",
            "exercise_paused",
            "leg_pain_high",
            "new_numbness",
            "walking_down",
            "function_down",
            "feels_worse",
            "no_sessions",
        ]
    )


def test_a_patient_with_no_clinic_gets_no_alert(dave: Patient, mailoutbox: list[Any]) -> None:
    every_event(ready(dave))
    assert triage.sweep_inactive(timezone.now() + dt.timedelta(days=6)) == 0
    pain_answers(dave, 10, "0b7f7e0e-5d53-4c55-9d4a-2b1b8d1f0c01")
    assert not Alert.objects.exists()


def test_one_open_alert_per_rule(alice: Patient) -> None:
    ready(alice)
    for days in (3, 2, 1):
        do_session(alice, days_ago=days, leg_before=9)
    pain_answers(alice, 10, "0b7f7e0e-5d53-4c55-9d4a-2b1b8d1f0c02")
    [alert] = Alert.objects.filter(patient=alice, rule="leg_pain_high")
    # The open alert keeps the numbers that first fired it.
    assert alert.values["leg"] == 9
    assert alert.values["day"] == (timezone.now() - dt.timedelta(days=3)).date().isoformat()


def test_acknowledged_then_fired_again_is_a_new_alert(alice: Patient) -> None:
    ready(alice)
    do_session(alice, days_ago=2, leg_before=8)
    acknowledge_all(alice)
    do_session(alice, days_ago=1, leg_before=9)
    alerts = Alert.objects.filter(patient=alice, rule="leg_pain_high").order_by("pk")
    assert [(a.values["leg"], a.is_open) for a in alerts] == [(8, False), (9, True)]


def test_a_session_sent_twice_raises_nothing_new(alice: Patient, payload_for: Any) -> None:
    from stenosis_coach.practice.actions import record_session
    from stenosis_coach.practice.uploads import parse_session_upload

    ready(alice)
    upload = parse_session_upload(payload_for(alice, leg_before=9))
    record_session(alice, upload)
    acknowledge_all(alice)
    record_session(alice, upload)  # the phone's retry: stored once, triaged once
    assert Alert.objects.filter(patient=alice).count() == 1


def test_a_race_for_the_same_rule_keeps_the_upload_and_one_alert(
    alice: Patient, monkeypatch: Any
) -> None:
    """Two uploads at once both see no open alert: the second insert fails on the unique
    constraint inside its savepoint, and its upload is still stored."""
    ready(alice)
    do_session(alice, days_ago=2, leg_before=9)
    monkeypatch.setattr(triage, "has_open_alert", lambda patient, rule_id: False)
    record = do_session(alice, days_ago=1, leg_before=9)
    assert record.pk is not None
    assert Alert.objects.filter(patient=alice, rule="leg_pain_high").count() == 1


def test_alerts_roll_back_with_the_upload(alice: Patient) -> None:
    ready(alice)

    def failing_request() -> None:
        with transaction.atomic():
            do_session(alice, days_ago=1, leg_before=9, new_leg_symptoms=True)
            raise RuntimeError("the request failed after the upload")

    with pytest.raises(RuntimeError):
        failing_request()
    assert not Alert.objects.exists()


def test_no_sessions_fires_once_per_gap(alice: Patient) -> None:
    ready(alice)
    do_session(alice, days_ago=10)
    later = timezone.now() - dt.timedelta(days=4)
    assert triage.sweep_inactive(later) == 1
    acknowledge_all(alice)
    # Still no session: the next sweeps are about the same gap.
    assert triage.sweep_inactive(later + dt.timedelta(hours=1)) == 0
    assert triage.sweep_inactive(later + dt.timedelta(days=3)) == 0
    # A session, then a new gap: a new alert.
    do_session(alice, days_ago=0)
    assert triage.sweep_inactive(timezone.now() + dt.timedelta(days=6)) == 1
    assert Alert.objects.filter(rule="no_sessions").count() == 2


def test_no_sessions_skips_a_patient_held_by_a_red_flag(alice: Patient) -> None:
    ready(alice)
    do_session(alice, days_ago=1)
    record_screening(alice, {**ALL_CLEAR, "bowel": True})
    assert triage.sweep_inactive(timezone.now() + dt.timedelta(days=6)) == 0
    assert rules_raised(alice) == ["red_flag"]


def test_no_sessions_sweep_is_one_query_for_every_quiet_patient(alice: Patient) -> None:
    ready(alice)
    do_session(alice, days_ago=0)
    with CaptureQueriesContext(connection) as queries:
        assert triage.sweep_inactive() == 0
    assert len(queries) == 1


def session_queries(patient: Patient) -> int:
    record = do_session(patient, days_ago=0, leg_before=3)
    with CaptureQueriesContext(connection) as queries:
        triage.session_recorded(patient, record)
    return len(queries)


def test_triage_of_a_session_costs_the_same_after_a_long_history(alice: Patient, bob: Any) -> None:
    from django.contrib.auth.models import User

    from stenosis_coach.patients.actions import create_patient

    ready(alice)
    short = session_queries(alice)
    long_history = ready(
        create_patient(
            User.objects.create_user("long", password="unused-Long-pw-1"),
            clinic=alice.clinic,
            therapist=bob,
        )
    )
    for days in range(60, 0, -1):
        do_session(long_history, days_ago=days, leg_before=3)
    assert session_queries(long_history) == short
