"""Safety in the browser: a red-flag answer stops the programme; "It hurts" stops an
exercise at once, and the next session is easier."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription, record_session
from stenosis_coach.practice.models import SessionRecord
from stenosis_coach.practice.uploads import parse_session_upload

from .conftest import log_in
from .player import (
    TEXTS,
    answer,
    answer_pain,
    finish,
    get_ready,
    open_player,
    play_whole_session,
    sign_up,
)

BLADDER = "Is it new for you to have trouble passing urine, or to leak urine?"


def test_a_red_flag_in_onboarding_stops_the_programme(page: Page) -> None:
    sign_up(page)
    for no in page.get_by_role("radio", name="No").all():
        no.check()
    page.get_by_role("group", name=BLADDER).get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url("/check/result/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")

    page.goto("/today/")
    expect(page).to_have_url("/check/result/")
    page.goto("/session/")
    expect(page).to_have_url("/check/result/")
    plan = page.request.get("/api/plan/")
    assert plan.status == 403
    assert plan.json()["redirect"] == "/check/result/"


def hold_seconds(patient: Patient, exercise_id: str) -> int | None:
    return current_prescription(patient).to_engine().get(exercise_id).dose.hold_seconds


def test_it_hurts_stops_at_once_records_red_and_steps_down(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient, payload_for: Any
) -> None:
    get_ready(alice)
    for days_ago in (2, 1):  # two green sessions in a row: one rung up
        record_session(alice, parse_session_upload(payload_for(alice, days_ago=days_ago)))
    assert hold_seconds(alice, "back-flexion") == 15
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    page.clock.run_for(20_000)  # get ready 10 s, move 4 s, then 6 s into the hold
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "hold")
    expect(page.locator("#countdown-number")).to_have_text("9")

    page.locator("#hurt-button").click()
    expect(page.locator("#question-title")).to_have_text(TEXTS["hurt_title"])
    page.clock.run_for(60_000)  # the exercise has ended: nothing moves on while asking
    expect(page.locator("#question-title")).to_have_text(TEXTS["hurt_title"])
    answer(page, TEXTS["hurt_leg"])
    expect(page.locator("#exercise-name")).to_have_text("Child's pose")
    play_whole_session(page, exercises=3)
    finish(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])

    record = SessionRecord.objects.filter(patient=alice).latest("started_at")
    hurt = record.results.get(exercise_id="back-flexion")
    assert (hurt.completed, hurt.worse, hurt.stop_reason, hurt.light) == (
        False,
        True,
        "leg-pain",
        "red",
    )
    assert (hurt.sets_done, hurt.reps_done) == (0, 0)
    plan = page.request.get("/api/plan/").json()
    doses = {e["exercise_id"]: e["dose"] for e in plan["plans"]["normal"]["exercises"]}
    assert doses["back-flexion"]["hold_seconds"] == 10
    expect(page.locator("#next-time li").first).to_contain_text("hold 10 seconds")


def test_a_gentle_session_when_leg_pain_is_high(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice, usual_leg_pain=2)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=5, back=2)  # 3 above usual
    expect(page.locator("#question-help")).to_have_text(
        "Your leg pain is much higher than usual today. Do only the gentle stretches today. "
        "If it stays this high, talk to your therapist."
    )
    answer(page, TEXTS["gentle_choice"])
    play_whole_session(page, exercises=2)
    finish(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    record = SessionRecord.objects.get(patient=alice)
    assert record.gentle
    assert [r.exercise_id for r in record.results.all()] == ["back-flexion", "childs-pose"]


def test_skip_and_stop_for_today(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    page.locator("#skip-button").click()
    expect(page.locator("#exercise-name")).to_have_text("Child's pose")
    page.locator("#pause-button").click()
    page.locator("#end-button").click()
    finish(page)
    expect(page.locator("#summary-results li")).to_have_text(
        ["Knees to chest: Skipped.", "Child's pose: Skipped."]
    )
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    results = SessionRecord.objects.get(patient=alice).results.all()
    assert [(r.exercise_id, r.completed, r.stop_reason) for r in results] == [
        ("back-flexion", False, "skipped"),
        ("childs-pose", False, "skipped"),
    ]
