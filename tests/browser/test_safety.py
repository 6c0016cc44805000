"""Safety in the browser: a red-flag answer stops the programme; "It hurts" stops an
exercise at once, gives calm advice and starts nothing until the patient chooses, and the
next session is easier; very high leg pain offers rest, not the full session; new numbness
at the end pauses the programme; the urgent signs are one tap away, with a call button; a
change of position waits for the patient; skipping and leaving ask first."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription, record_session
from stenosis_coach.practice.models import SessionRecord
from stenosis_coach.practice.uploads import parse_session_upload

from .conftest import log_in
from .player import (
    TEXTS,
    answer,
    answer_check_in,
    answer_pain,
    finish,
    get_ready,
    open_player,
    play_until_question,
    play_whole_session,
    player_state,
    sign_up,
    start_exercises,
    tap_ready,
)

BLADDER = "In the last few days, have you had new trouble passing urine, or holding it in?"


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
    start_exercises(page)  # getting down, lying down: then the clock runs
    page.clock.run_for(10_000)  # move 4 s, then 6 s into the hold
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "hold")
    expect(page.locator("#countdown-number")).to_have_text("9")

    page.locator("#hurt-button").click()
    expect(page.locator("#question-title")).to_have_text(TEXTS["hurt_title"])
    page.clock.run_for(60_000)  # the exercise has ended: nothing moves on while asking
    expect(page.locator("#question-title")).to_have_text(TEXTS["hurt_title"])
    answer(page, TEXTS["hurt_leg"])
    # Calm advice, then the patient chooses: a minute later, still nothing has started.
    expect(page.locator("#question-title")).to_have_text(TEXTS["hurt_advice_title"])
    expect(page.locator("#question-help")).to_contain_text("tomorrow morning")
    page.clock.run_for(60_000)
    assert player_state(page) == "question"
    expect(page.locator("#question-title")).to_have_text(TEXTS["hurt_advice_title"])
    expect(page.locator("#question-answers button")).to_have_text(
        [TEXTS["end_now"], TEXTS["go_on_next"]]
    )
    answer(page, TEXTS["go_on_next"])
    expect(page.locator("#exercise-name")).to_have_text("Pelvic tilt")
    play_whole_session(page, exercises=3)
    finish(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    # An exercise hurt: the summary says what to watch for.
    expect(page.locator("#summary-advice")).to_contain_text(TEXTS["summary_hurt"])
    expect(page.locator("#summary-advice")).to_contain_text(TEXTS["pain_advice"])

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


def test_after_it_hurts_stop_for_today_gets_up_first(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    page.locator("#hurt-button").click()
    answer(page, TEXTS["hurt_back"])
    answer(page, TEXTS["end_now"])
    # Still on the floor: how to get up, then the questions and the summary.
    expect(page.locator("#ready-title")).to_have_text("Get up slowly")
    page.clock.run_for(60_000)
    assert player_state(page) == "ready"
    finish(page, leg=3, back=2, title=TEXTS["summary_stopped"])  # nothing was done
    expect(page.locator("#summary-results li")).to_have_text(
        ["Knees to chest: Stopped because it hurt."]
    )


def test_a_change_of_position_waits_for_the_patient(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    for title in ("Before your first session", "Get down onto the mat", "Knees to chest"):
        expect(page.locator("#ready-title")).to_have_text(title)
        page.clock.run_for(60_000)  # a minute: still waiting
        expect(page.locator("#ready-title")).to_have_text(title)
        assert player_state(page) == "ready"
        if title == "Knees to chest":
            page.keyboard.press("Space")  # the keyboard says "I'm ready" too
        else:
            tap_ready(page)
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "move")
    for _ in range(3):  # the knees to chest, the pelvic tilt and the curl-up, on the back
        play_until_question(page)
        answer_check_in(page)
        if player_state(page) == "ready":
            break
    # From the back onto hands and knees: child's pose waits too.
    expect(page.locator("#ready-title")).to_have_text("Child's pose")
    expect(page.locator("#ready-text")).to_contain_text("hands and knees")
    page.clock.run_for(60_000)
    expect(page.locator("#ready-title")).to_have_text("Child's pose")
    page.keyboard.press("Enter")
    expect(page.locator("#exercise-name")).to_have_text("Child's pose")
    assert player_state(page) == "step"


def test_more_time_moves_the_clock_back_ten_seconds(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    page.locator("#skip-button").click()
    page.locator("#confirm-yes").click()
    # Getting into position within one position (on the back): timed, with More time.
    expect(page.locator("#exercise-name")).to_have_text("Pelvic tilt")
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "position")
    page.clock.run_for(6_000)
    expect(page.locator("#countdown-number")).to_have_text("4")
    page.locator("#more-time-button").click()
    expect(page.locator("#countdown-number")).to_have_text("14")
    page.clock.run_for(13_000)
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "position")
    page.clock.run_for(1_000)
    expect(page.locator("#step-panel")).not_to_have_attribute("data-kind", "position")


def test_skip_asks_first_and_the_clock_waits(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    page.clock.run_for(2_000)
    expect(page.locator("#countdown-number")).to_have_text("2")  # moving in, 4 s
    page.locator("#skip-button").click()
    expect(page.locator("#confirm-title")).to_have_text(TEXTS["skip_title"])
    page.clock.run_for(60_000)
    page.locator("#confirm-no").click()
    expect(page.locator("#exercise-name")).to_have_text("Knees to chest")
    expect(page.locator("#countdown-number")).to_have_text("2")
    page.locator("#skip-button").click()
    page.locator("#confirm-yes").click()
    expect(page.locator("#exercise-name")).to_have_text("Pelvic tilt")


def test_leg_pain_of_9_offers_rest_and_keeps_the_answers(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice, usual_leg_pain=8)  # even when 9 is not far above usual
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=9, back=4)
    expect(page.locator("#question-title")).to_have_text(TEXTS["rest_title"])
    expect(page.locator("#question-help")).to_contain_text("It is best not to exercise today")
    # The rest positions, and only the gentle stretches or rest: never the full session.
    expect(page.locator("#question-pictures figure:not([hidden])")).to_have_count(2)
    expect(page.locator("#question-answers button")).to_have_text(
        [TEXTS["gentle_choice"], TEXTS["rest_choice"]]
    )
    expect(page.get_by_role("button", name=TEXTS["normal_choice"])).to_have_count(0)
    answer(page, TEXTS["rest_choice"])
    expect(page.locator("#summary-title")).to_have_text(TEXTS["rested_title"])
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    expect(page.get_by_role("link", name=TEXTS["back_to_today"])).to_be_visible()
    kept = PainCheckIn.objects.get(patient=alice)
    assert (kept.session, kept.moment, kept.leg_pain, kept.back_pain) == (None, "before", 9, 4)
    assert not SessionRecord.objects.exists()


def test_leg_pain_of_8_can_do_the_gentle_stretches(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=8, back=2)
    answer(page, TEXTS["gentle_choice"])
    play_whole_session(page, exercises=2)
    finish(page, leg=6, back=2)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    assert SessionRecord.objects.get(patient=alice).gentle


def test_new_numbness_pauses_the_programme_until_the_questions(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    play_whole_session(page, exercises=4)
    finish(page, leg=3, back=2, new_leg_symptoms=True)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    expect(page.locator("#summary-hold")).to_contain_text(TEXTS["hold_title"])
    assert SessionRecord.objects.get(patient=alice).new_leg_symptoms is True
    plan = page.request.get("/api/plan/")
    assert plan.status == 403
    assert plan.json()["redirect"] == "/check/"
    page.get_by_role("link", name=TEXTS["hold_check"]).click()
    expect(page).to_have_url("/check/")


@pytest.mark.parametrize("phone", ["911", "+34 112"])
def test_the_urgent_signs_are_one_tap_away_and_call_the_number(
    page: Page,
    context: BrowserContext,
    live_server: Any,
    alice: Patient,
    settings: Any,
    phone: str,
) -> None:
    settings.EMERGENCY_PHONE = phone
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    page.clock.run_for(2_000)
    page.locator("#urgent-button").click()
    expect(page.locator("#urgent-title")).to_have_text(TEXTS["urgent_title"])
    expect(page.locator("#urgent-body")).to_contain_text(TEXTS["urgent_now_1"])
    call = page.get_by_role("link", name=f"Call {phone}")
    expect(call).to_have_attribute("href", "tel:" + phone.replace(" ", ""))
    page.clock.run_for(60_000)  # the session waits while the signs are open
    page.get_by_role("button", name=TEXTS["urgent_back"]).click()
    expect(page.locator("#exercise-name")).to_have_text("Knees to chest")
    expect(page.locator("#countdown-number")).to_have_text("2")


def test_leaving_asks_first_and_keeps_the_pain_answers(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    expect(page.locator("header")).to_have_count(0)  # no site header in a session
    answer_pain(page, leg=5, back=2)
    start_exercises(page)
    page.get_by_role("button", name=TEXTS["leave_label"]).click()
    expect(page.locator("#confirm-title")).to_have_text(TEXTS["leave_title"])
    page.locator("#confirm-no").click()
    expect(page.locator("#exercise-name")).to_have_text("Knees to chest")
    page.get_by_role("button", name=TEXTS["leave_label"]).click()
    page.locator("#confirm-yes").click()
    expect(page).to_have_url("/today/")
    kept = PainCheckIn.objects.get(patient=alice)
    assert (kept.session, kept.leg_pain) == (None, 5)


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
    finish(page, leg=4, back=2)  # 2 points better: no advice
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    expect(page.locator("#summary-advice")).to_be_hidden()
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
    start_exercises(page)
    page.locator("#skip-button").click()
    page.locator("#confirm-yes").click()
    expect(page.locator("#exercise-name")).to_have_text("Pelvic tilt")
    page.locator("#pause-button").click()
    page.locator("#end-button").click()
    # All skipped: no "Well done"; leg pain 2 points up: the pain advice.
    finish(page, leg=5, back=2, title=TEXTS["summary_stopped"])
    expect(page.locator("#summary-results li")).to_have_text(
        ["Knees to chest: Skipped.", "Pelvic tilt: Skipped."]
    )
    expect(page.locator("#summary-advice")).to_contain_text(TEXTS["summary_rose"])
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    results = SessionRecord.objects.get(patient=alice).results.all()
    assert [(r.exercise_id, r.completed, r.stop_reason) for r in results] == [
        ("back-flexion", False, "skipped"),
        ("pelvic-tilt", False, "skipped"),
    ]
