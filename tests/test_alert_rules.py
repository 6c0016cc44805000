"""Each alert rule at its threshold and just short of it, through the real actions, and the
alert said in words with the numbers that fired it (clinic/rules.py, clinic/triage.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import formats, timezone, translation

from stenosis_coach.clinic import rules, triage
from stenosis_coach.clinic.models import Alert
from stenosis_coach.clinic.rules import RULES, describe_alert
from stenosis_coach.outcomes.actions import (
    choose_activities,
    record_function_check,
    record_walking_test,
)
from stenosis_coach.patients.actions import record_screening, set_usual_pain
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription, record_pain_answers
from stenosis_coach.practice.uploads import parse_pain_upload
from tests.patient_pages import ALL_CLEAR, do_session, ready

HURT = {"curl-up": {"completed": False, "stop_reason": "back-pain"}}


def alerts(patient: Patient, rule: str) -> list[Alert]:
    return list(Alert.objects.filter(patient=patient, rule=rule))


def the_alert(patient: Patient, rule: str) -> Alert:
    [alert] = alerts(patient, rule)
    return alert


def said_day(day: dt.date) -> str:
    return formats.date_format(day, "MONTH_DAY_FORMAT")


def days_ago(days: float) -> dt.date:
    return (timezone.now() - dt.timedelta(days=days)).date()


@pytest.fixture
def patient(alice: Patient) -> Patient:
    return ready(alice)


# ---------------------------------------------------------------------------------------
# Every rule has a severity, a title and its threshold in words


def test_every_rule_has_its_severity_and_threshold_in_words() -> None:
    severities = {rule.id: rule.severity for rule in RULES.values()}
    assert severities == {
        "red_flag": "critical",
        "new_numbness": "critical",
        "exercise_paused": "high",
        "leg_pain_high": "high",
        "no_sessions": "medium",
        "leg_pain_rising": "medium",
        "walking_down": "medium",
        "function_down": "low",
        "feels_worse": "low",
    }
    assert "8/10" in str(RULES["leg_pain_high"].explanation)
    assert "8/10 or more and above" in str(RULES["leg_pain_high"].explanation)
    assert "3 or more points above the usual" in str(RULES["leg_pain_high"].explanation)
    assert "30%" in str(RULES["walking_down"].explanation)
    assert "up 2 or more points over 14 days" in str(RULES["leg_pain_rising"].explanation)
    assert str(RULES["no_sessions"].explanation).startswith("4 scheduled days")
    assert "down 2 or more" in str(RULES["function_down"].explanation)


def test_an_alert_reads_with_its_numbers_and_day_in_the_active_language() -> None:
    day = dt.date(timezone.localdate().year, 3, 3)
    alert = Alert(
        rule="leg_pain_high",
        values={"day": day.isoformat(), "leg": 8, "usual": 4, "session": True},
    )
    with translation.override("en"):
        assert describe_alert(alert) == "Leg pain 8/10 before the session on March 3, usual 4"
        last_year = Alert(rule="new_numbness", values={"day": f"{day.year - 1}-03-03"})
        assert f"March 3, {day.year - 1}" in describe_alert(last_year)
    with translation.override("es"):
        assert "3 de marzo" in describe_alert(alert)


# ---------------------------------------------------------------------------------------
# Critical


def test_red_flag_fires_on_a_yes_with_the_question_named(patient: Patient) -> None:
    record_screening(patient, ALL_CLEAR)
    assert alerts(patient, "red_flag") == []

    record_screening(patient, {**ALL_CLEAR, "fever": True})
    alert = the_alert(patient, "red_flag")
    assert alert.severity == "critical"
    assert alert.values["outcome"] == "same-day"
    words = describe_alert(alert)
    assert words.startswith(f"Red-flag “yes” on {said_day(timezone.localdate())} (same day)")
    assert "fever or chills with back pain" in words


def test_red_flag_emergency_is_said_as_emergency(patient: Patient) -> None:
    record_screening(patient, {**ALL_CLEAR, "bladder": True, "fever": True})
    words = describe_alert(the_alert(patient, "red_flag"))
    assert "(emergency)" in words
    assert "new bladder trouble, fever or chills with back pain" in words


def test_new_numbness_fires_on_a_yes_at_the_end_of_a_session(patient: Patient) -> None:
    do_session(patient, days_ago=2, new_leg_symptoms=False)
    do_session(patient, days_ago=1.5)  # not asked
    assert alerts(patient, "new_numbness") == []

    do_session(patient, days_ago=1, new_leg_symptoms=True)
    alert = the_alert(patient, "new_numbness")
    assert alert.severity == "critical"
    assert describe_alert(alert) == (
        "New numbness, tingling or weakness in the legs after the session on "
        f"{said_day(days_ago(1))}"
    )


# ---------------------------------------------------------------------------------------
# High


def test_exercise_paused_fires_after_the_second_red_not_the_first(patient: Patient) -> None:
    do_session(patient, days_ago=2, overrides=HURT)
    assert alerts(patient, "exercise_paused") == []

    do_session(patient, days_ago=1, overrides=HURT)
    assert current_prescription(patient).items.get(exercise_id="curl-up").paused
    alert = the_alert(patient, "exercise_paused")
    assert alert.severity == "high"
    assert alert.values["exercises"] == ["curl-up"]
    assert describe_alert(alert) == (
        "Paused by the programme after two red sessions in a row, on "
        f"{said_day(days_ago(1))}: Curl-up"
    )


def test_an_exercise_still_paused_does_not_fire_again(patient: Patient) -> None:
    do_session(patient, days_ago=3, overrides=HURT)
    do_session(patient, days_ago=2, overrides=HURT)
    Alert.objects.update(acknowledged_at=timezone.now())
    do_session(patient, days_ago=1)  # the engine may change other doses: no new pause
    assert len(alerts(patient, "exercise_paused")) == 1


@pytest.mark.parametrize(("leg", "fires"), [(7, False), (8, True), (10, True)])
def test_leg_pain_high_at_8(patient: Patient, leg: int, fires: bool) -> None:
    do_session(patient, days_ago=1, leg_before=leg)
    found = alerts(patient, "leg_pain_high")
    assert bool(found) is fires
    if fires:
        assert describe_alert(found[0]) == (
            f"Leg pain {leg}/10 before the session on {said_day(days_ago(1))}"
        )


@pytest.mark.parametrize(("leg", "fires"), [(6, False), (7, True)])
def test_leg_pain_high_at_3_above_usual(patient: Patient, leg: int, fires: bool) -> None:
    set_usual_pain(patient, leg_pain=4, back_pain=2)
    do_session(patient, days_ago=1, leg_before=leg)
    found = alerts(patient, "leg_pain_high")
    assert bool(found) is fires
    if fires:
        words = f"Leg pain 7/10 before the session on {said_day(days_ago(1))}, usual 4"
        assert describe_alert(found[0]) == words


@pytest.mark.parametrize(("leg", "fires"), [(8, False), (9, True)])
def test_leg_pain_high_for_a_usual_pain_of_8_only_above_it(
    patient: Patient, leg: int, fires: bool
) -> None:
    """The therapist set the usual pain of someone whose pain is high for good: their
    usual day raises nothing, a worse one does."""
    set_usual_pain(patient, leg_pain=8, back_pain=3)
    do_session(patient, days_ago=1, leg_before=leg)
    assert bool(alerts(patient, "leg_pain_high")) is fires


def test_leg_pain_high_from_pain_answers_with_no_session(patient: Patient) -> None:
    taken = timezone.now() - dt.timedelta(hours=1)
    upload = {"uuid": "6f1c1f5e-8a4b-4a43-9d7e-2d0e3d6b1a10", "leg": 9, "back": 3}
    record_pain_answers(patient, parse_pain_upload({**upload, "taken_at": taken.isoformat()}))
    alert = the_alert(patient, "leg_pain_high")
    assert describe_alert(alert) == (
        f"Leg pain 9/10 on {said_day(taken.date())}, too high to start a session"
    )


# ---------------------------------------------------------------------------------------
# Medium


def sweep_at(day: dt.date, hour: int = 12) -> int:
    return triage.sweep_inactive(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC))


@pytest.mark.parametrize(("missed", "fires"), [(3, False), (4, True)])
def test_no_sessions_on_a_daily_schedule(patient: Patient, missed: int, fires: bool) -> None:
    do_session(patient, days_ago=1)
    last = days_ago(1)
    # The sweep `missed + 1` days after the session: the days between, up to yesterday.
    assert bool(sweep_at(last + dt.timedelta(days=missed + 1))) is fires
    if fires:
        alert = the_alert(patient, "no_sessions")
        assert alert.values["missed"] == 4
        assert (
            describe_alert(alert) == f"No session since {said_day(last)}: 4 scheduled days missed"
        )


def test_no_sessions_counts_only_the_prescriptions_weekdays(patient: Patient) -> None:
    """Monday, Wednesday, Friday: from a Monday session, the 4th missed day is the Wednesday
    of the week after next, so the sweep on the Thursday fires and on the Wednesday not."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    version = current_prescription(patient)
    version.weekdays = [0, 2, 4]
    version.save(update_fields=["weekdays"])
    do_session(patient, days_ago=(today - monday).days + 0.1)

    assert sweep_at(monday + dt.timedelta(days=9)) == 0  # Wed, Fri, Mon missed: 3
    assert sweep_at(monday + dt.timedelta(days=10)) == 1  # ... and Wed: 4
    assert the_alert(patient, "no_sessions").values["missed"] == 4


def test_no_sessions_before_any_session_counts_from_joining(patient: Patient) -> None:
    joined = timezone.localdate()
    assert sweep_at(joined + dt.timedelta(days=4)) == 0
    assert sweep_at(joined + dt.timedelta(days=5)) == 1
    words = describe_alert(the_alert(patient, "no_sessions"))
    assert words == f"No session yet since joining on {said_day(joined)}: 4 scheduled days missed"


def pain_weeks(patient: Patient, earlier: list[int], latest: list[int]) -> None:
    """Sessions with these leg pains before: `earlier` 15 to 17 days ago, `latest` in the
    last 3 days (the newest today)."""
    for index, leg in enumerate(earlier):
        do_session(patient, days_ago=17 - index, leg_before=leg, leg_after=leg)
    for index, leg in enumerate(latest):
        do_session(patient, days_ago=len(latest) - 1 - index, leg_before=leg, leg_after=leg)


@pytest.mark.parametrize(
    ("earlier", "latest", "fires"),
    [([3, 3], [4, 5], False), ([3, 3], [5, 5], True), ([3], [6, 6], False)],
)
def test_leg_pain_rising_2_points_over_2_weeks(
    patient: Patient, earlier: list[int], latest: list[int], fires: bool
) -> None:
    pain_weeks(patient, earlier, latest)
    found = alerts(patient, "leg_pain_rising")
    assert bool(found) is fires
    if fires:
        before_day = timezone.localdate() - dt.timedelta(days=14)
        assert describe_alert(found[0]) == (
            "Leg pain before sessions up from 3/10 to 5/10 (median of the week to "
            f"{said_day(timezone.localdate())}, against the week to {said_day(before_day)})"
        )


def test_leg_pain_rising_is_raised_at_most_once_a_week(patient: Patient) -> None:
    pain_weeks(patient, [3, 3], [5, 5])
    Alert.objects.update(acknowledged_at=timezone.now())
    do_session(patient, days_ago=0, leg_before=6, leg_after=6)
    assert len(alerts(patient, "leg_pain_rising")) == 1


def walk(patient: Patient, seconds: int, days: float) -> None:
    when = timezone.now() - dt.timedelta(days=days)
    record_walking_test(patient, seconds=seconds, stopped_by_symptoms=True, when=when)


@pytest.mark.parametrize(("seconds", "fires"), [(421, False), (420, True)])
def test_walking_down_30_percent_from_the_best(patient: Patient, seconds: int, fires: bool) -> None:
    walk(patient, 480, days=20)
    walk(patient, 600, days=10)  # the best of the month: 10 minutes
    walk(patient, seconds, days=0)
    found = alerts(patient, "walking_down")
    assert bool(found) is fires
    if fires:
        assert describe_alert(found[0]) == (
            f"Walking test 7 min on {said_day(days_ago(0))}, down 30% from the best of the "
            f"last 30 days (10 min on {said_day(days_ago(10))})"
        )


def test_walking_down_looks_back_30_days_only(patient: Patient) -> None:
    walk(patient, 1200, days=40)
    walk(patient, 500, days=5)
    walk(patient, 400, days=0)  # 20% below the month's best (500), 67% below the old one
    assert alerts(patient, "walking_down") == []


# ---------------------------------------------------------------------------------------
# Low


def function_checks(patient: Patient, first: int, then: int, impression: Any = None) -> None:
    check = choose_activities(patient, [("Gardening", first), ("Shopping", 5)])
    garden, shop = (score.activity for score in check.scores.order_by("activity__position"))
    record_function_check(patient, {garden.pk: then, shop.pk: 5}, impression=impression)


@pytest.mark.parametrize(("then", "fires"), [(5, False), (4, True)])
def test_function_down_2_points(patient: Patient, then: int, fires: bool) -> None:
    function_checks(patient, 6, then)
    found = alerts(patient, "function_down")
    assert bool(found) is fires
    if fires:
        assert describe_alert(found[0]) == (
            f"PSFS on {said_day(timezone.localdate())}: Gardening 4/10, down from 6/10"
        )


@pytest.mark.parametrize(
    ("impression", "answer"), [(5, None), (6, "Much worse"), (7, "Very much worse")]
)
def test_feels_worse_much_or_very_much(patient: Patient, impression: int, answer: str) -> None:
    function_checks(patient, 6, 6, impression=impression)
    found = alerts(patient, "feels_worse")
    assert bool(found) is (answer is not None)
    if answer:
        assert describe_alert(found[0]) == (
            f"Global impression of change on {said_day(timezone.localdate())}: “{answer}”"
        )


def test_the_thresholds_are_the_named_ones() -> None:
    """The pages and tests read these; a change here is a clinical decision."""
    assert (rules.HIGH_LEG_PAIN, rules.ABOVE_USUAL, rules.MISSED_DAYS_DAILY) == (8, 3, 4)
    assert (rules.PAIN_RISE_POINTS, rules.PAIN_RISE_DAYS) == (2, 14)
    assert (rules.WALKING_DROP, rules.WALKING_BEST_DAYS, rules.FUNCTION_DROP) == (0.30, 30, 2)
    assert (rules.CRITICAL_RESEND_HOURS, rules.DIGEST_MINUTES) == (24, 60)
