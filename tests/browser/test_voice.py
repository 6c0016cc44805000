"""The spoken cues come in the plan's order, each at its planned time."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.programme import build_plan

from .conftest import log_in
from .player import TEXTS, answer_check_in, answer_pain, finish, get_ready, open_player

# Record what the page asks the browser to say (there is no voice in a headless browser).
RECORD_SPEECH = """
window.spoken = [];
speechSynthesis.speak = (utterance) => window.spoken.push(
    { text: utterance.text, lang: utterance.lang, at: performance.now() });
speechSynthesis.cancel = () => {};
"""
TOLERANCE_MS = 20


def test_each_cue_is_spoken_in_order_at_its_planned_time(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    steps = build_plan(current_prescription(alice).to_engine(), alice.language).steps
    page.add_init_script(RECORD_SPEECH)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    # Run the clock exactly to each check-in and answer at once, so that session time and
    # page time stay the same.
    exercise_start = 0
    for check_in in (step for step in steps if step.kind == "check-in"):
        page.clock.run_for(check_in.offset_ms - exercise_start)
        answer_check_in(page)
        exercise_start = check_in.offset_ms
    finish(page)

    spoken = page.evaluate("window.spoken")
    planned = spoken[: len(steps)]
    assert [cue["text"] for cue in planned] == [step.cue for step in steps]
    start = planned[0]["at"]
    late = [
        (step.index, step.offset_ms, round(cue["at"] - start))
        for step, cue in zip(steps, planned, strict=True)
        if abs(cue["at"] - start - step.offset_ms) > TOLERANCE_MS
    ]
    assert late == []
    assert {cue["lang"] for cue in spoken} == {"en"}
    # After the plan: only the questions at the end.
    assert [cue["text"] for cue in spoken[len(steps) :]] == [
        TEXTS["leg_pain_question"],
        TEXTS["back_pain_question"],
    ]


def test_one_tap_turns_the_sound_off_and_it_stays_off(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    page.add_init_script(RECORD_SPEECH)
    log_in(context, live_server, alice.user)
    open_player(page)
    page.locator("#sound-toggle").click()
    expect(page.locator("#sound-toggle")).to_have_text(TEXTS["sound_on"])
    answer_pain(page, leg=3, back=2)
    page.clock.run_for(30_000)
    assert page.evaluate("window.spoken") == []

    page.reload()
    expect(page.locator("#sound-toggle")).to_have_text(TEXTS["sound_on"])
