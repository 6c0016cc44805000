"""The stenosis-coach command: our own subcommands and the console script itself."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from stenosis_coach.practice.models import Exercise

DOSE_KEYS = {"hold_seconds", "reps", "sets", "work_seconds", "set_break_seconds", "last_set_reps"}


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_programme_prints_a_table() -> None:
    lines = run("programme").splitlines()
    assert lines[0].split()[:2] == ["Exercise", "Kind"]
    assert set(lines[1]) == {"-", " "}
    body = "\n".join(lines[2:])
    for name in ["Knees to chest", "Child's pose", "Pelvic tilt", "Lying march", "Curl-up"]:
        assert name in body
    assert "4 times, hold 10 seconds" in body
    assert "pelvic-tilt at target, 2 good sessions" in body


def test_programme_json_has_the_documented_shape() -> None:
    data = json.loads(run("programme", "--json"))
    exercises = data["exercises"]
    assert [e["id"] for e in exercises] == [
        "back-flexion",
        "pelvic-tilt",
        "hook-lying-march",
        "curl-up",
        "childs-pose",
    ]
    for exercise in exercises:
        assert {
            "id",
            "kind",
            "position",
            "name",
            "steps",
            "cues",
            "cautions",
            "start",
            "target",
            "ladder",
            "requires",
        } <= set(exercise)
        assert exercise["kind"] in {"stretch", "strengthen"}
        assert exercise["position"] in {"back", "hands-and-knees"}
        assert exercise["steps"]
        assert exercise["cautions"]
        assert exercise["cues"]
        for dose in [exercise["start"], exercise["target"], *exercise["ladder"]]:
            assert set(dose) == DOSE_KEYS
        assert exercise["start"] == exercise["ladder"][0]
        assert exercise["target"] == exercise["ladder"][-1]
    march = exercises[2]
    assert march["start"] == {
        "hold_seconds": None,
        "reps": None,
        "sets": 1,
        "work_seconds": 30,
        "set_break_seconds": 30,
        "last_set_reps": None,
    }
    assert march["requires"] == [
        {"exercise": "pelvic-tilt", "at_target": True, "clean_sessions": 2, "kept_back_flat": True}
    ]
    assert exercises[0]["target"]["hold_seconds"] == 30
    assert exercises[0]["target"]["reps"] == 6


def test_plan_json_is_a_first_session_timeline() -> None:
    plan = json.loads(run("plan", "--json"))
    ids = [exercise["exercise_id"] for exercise in plan["exercises"]]
    assert ids == ["back-flexion", "pelvic-tilt", "curl-up", "childs-pose"]  # march locked
    assert [screen["id"] for screen in plan["intro"]] == ["briefing", "get-down"]
    assert [screen["id"] for screen in plan["outro"]] == ["get-up"]
    steps = plan["steps"]
    assert steps[0]["kind"] == "position"
    assert steps[0]["offset_ms"] == 0
    assert sum(step["duration_ms"] for step in steps) == plan["total_ms"]
    holds = [s for s in steps if s["kind"] == "hold" and s["exercise_id"] == "back-flexion"]
    assert [h["duration_ms"] for h in holds] == [10_000] * 4
    assert [s["kind"] for s in steps].count("check-in") == 4


def test_plan_prints_a_readable_timeline() -> None:
    text = run("plan")
    lines = text.splitlines()
    assert "briefing" in lines[0]
    assert "get-down" in lines[1]
    assert lines[2].startswith("  0:00")
    assert "Knees to chest." in text
    assert "get-up" in lines[-2]
    assert text.rstrip().endswith("plus the time to change position and answer check-ins.")


@pytest.mark.django_db
def test_load_catalogue_is_safe_to_run_again() -> None:
    Exercise.objects.filter(id="curl-up").delete()
    assert "5 exercises" in run("load_catalogue")
    run("load_catalogue")
    assert list(Exercise.objects.values_list("id", flat=True)) == [
        "back-flexion",
        "pelvic-tilt",
        "hook-lying-march",
        "curl-up",
        "childs-pose",
    ]


def test_the_console_script_runs_django_commands_too() -> None:
    ours = subprocess.run(
        [sys.executable, "-m", "stenosis_coach", "programme", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(ours.stdout)["exercises"]) == 5
    django = subprocess.run(
        [sys.executable, "-m", "stenosis_coach", "check", "--deploy", "--fail-level", "ERROR"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "System check identified" in django.stdout + django.stderr


@pytest.mark.django_db
def test_demo_makes_a_patient_with_history() -> None:
    from stenosis_coach.patients.models import Patient

    output = run("demo", "--days", "10", "--email", "Demo2@Example.org")
    assert "Demo patient: demo2@example.org" in output
    password = output.split("Password: ")[1].split("\n")[0].strip()
    patient = Patient.objects.get(user__username="demo2@example.org")
    # Reminders by e-mail and in a calendar, whose address is printed.
    assert patient.reminders.by_email
    token = patient.reminders.calendar_token
    assert f"Calendar: http://127.0.0.1:8000/reminders/calendar/{token}.ics" in output
    assert patient.user.check_password(password)
    assert patient.onboarded_at is not None
    assert patient.sessions.count() >= 5
    assert patient.walking_tests.count() == 1
    assert not patient.stopped_by_red_flag


@pytest.mark.django_db
def test_a_spanish_demo_patient_has_spanish_reasons_and_activities() -> None:
    from stenosis_coach.patients.models import Patient

    run("demo", "--days", "21", "--email", "ana@example.org", "--language", "es")
    patient = Patient.objects.get(user__username="ana@example.org")
    assert patient.language == "es"
    names = [a.name for a in patient.activities.all()]
    assert names == ["Ir andando a la tienda", "Estar de pie para cocinar"]
    reasons = [item.reason for v in patient.prescriptions.all() for item in v.items.all()]
    assert any(reason.startswith("Lo hizo 2 veces seguidas") for reason in reasons)


@pytest.mark.django_db
def test_demo_refuses_an_existing_email_and_odd_days() -> None:
    from django.core.management.base import CommandError

    run("demo", "--days", "3", "--password", "given-pass-42")
    with pytest.raises(CommandError, match="exists already"):
        run("demo", "--days", "3")
    for days in ("0", "731", "-3"):
        with pytest.raises(CommandError, match=f"--days must be from 1 to 730 .*not {days}"):
            run("demo", "--days", days, "--email", "other@example.org")
    with pytest.raises(CommandError, match="invalid choice"):
        run("demo", "--email", "other@example.org", "--language", "fr")


@pytest.mark.django_db
def test_demo_takes_from_1_to_730_days(monkeypatch: pytest.MonkeyPatch) -> None:
    from stenosis_coach.patients.management.commands import demo
    from stenosis_coach.patients.models import Patient

    run("demo", "--days", "1", "--email", "one@example.org")
    one = Patient.objects.get(user__username="one@example.org")
    assert one.onboarded_at is not None
    assert one.sessions.count() <= 1
    # Two years are allowed (a real one is too slow for here: see the test below).
    asked = []
    monkeypatch.setattr(demo, "fill_history", lambda _patient, days, _rng: asked.append(days))
    run("demo", "--days", "730", "--email", "two-years@example.org")
    assert asked == [730]


@pytest.mark.django_db
def test_a_long_demo_history_stays_within_the_rules() -> None:
    """Past the old 90 days and the walking test's 30-minute cap (reached at about 72 days
    before): every walk within the cap, pain easing, the function checks going on."""
    from stenosis_coach.outcomes.models import WALKING_TEST_CAP_SECONDS
    from stenosis_coach.patients.models import Patient

    run("demo", "--days", "100", "--email", "long@example.org")
    patient = Patient.objects.get(user__username="long@example.org")
    assert 70 <= patient.sessions.count() <= 100
    walks = list(patient.walking_tests.order_by("taken_at").values_list("seconds", flat=True))
    assert len(walks) == 14
    assert all(0 < seconds <= WALKING_TEST_CAP_SECONDS for seconds in walks)
    assert walks[-1] > walks[0]
    assert patient.function_checks.count() == 1 + 100 // 14  # onboarding's, then two-weekly
    legs = list(
        patient.pain_checkins.filter(moment="before")
        .order_by("recorded_at")
        .values_list("leg_pain", flat=True)
    )
    assert sum(legs[:10]) > sum(legs[-10:])
    assert not patient.stopped_by_red_flag


def test_two_years_of_demo_walks_rise_to_the_cap_and_pain_levels_off() -> None:
    """The curves of fill_history over 730 days, without the database."""
    from stenosis_coach.outcomes.models import WALKING_TEST_CAP_MINUTES
    from stenosis_coach.patients.management.commands.demo import (
        activity_score,
        leg_pain,
        walk_minutes,
    )

    rng = random.Random(7)
    walks = [walk_minutes(elapsed, rng) for elapsed in range(0, 730, 7)]
    assert all(6 <= minutes <= WALKING_TEST_CAP_MINUTES for minutes in walks)
    assert walks[0] < 10
    late = walks[len(walks) // 2 :]
    assert late.count(WALKING_TEST_CAP_MINUTES) > len(late) / 2  # mostly at the cap
    assert leg_pain(0, 730) == 6
    assert leg_pain(90, 730) == leg_pain(729, 730) == 3  # eased, then level
    assert leg_pain(45, 730) > leg_pain(89, 730)
    scores = [activity_score(elapsed, rng) for elapsed in range(14, 730, 14)]
    assert all(0 <= score <= 10 for score in scores)
    assert scores[0] < scores[-1]
