"""The spoken cues come in the plan's order, each at its planned time; the patient's
settings say whether the player speaks and beeps, and the sound switch holds for the
session."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.programme import build_plan

from .conftest import CLOCK_START, log_in
from .player import (
    TEXTS,
    answer_check_in,
    answer_pain,
    finish,
    get_ready,
    open_player,
    player_state,
    start_exercises,
    tap_ready,
)

# Record what the page asks the browser to say (there is no voice in a headless browser).
# The silent utterance that wakes the speech engine (at volume 0) is kept apart.
RECORD_SPEECH = """
window.spoken = [];
window.warmUps = [];
speechSynthesis.speak = (utterance) => (utterance.volume === 0 ? window.warmUps : window.spoken)
    .push({ text: utterance.text, lang: utterance.lang, at: performance.now() });
speechSynthesis.cancel = () => {};
"""
# And every beep: a stand-in for Web Audio that counts the tones it is asked to play.
RECORD_BEEPS = """
window.beeps = [];
window.AudioContext = class {
    state = "running";
    currentTime = 0;
    destination = {};
    sampleRate = 48000;
    resume() { return Promise.resolve(); }
    createBuffer() { return {}; }
    createBufferSource() { window.silentBuffers = (window.silentBuffers ?? 0) + 1;
                           return { connect: (next) => next, start() {} }; }
    createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} },
                            connect: (next) => next }; }
    createOscillator() {
        window.beeps.push(performance.now());
        return { frequency: {}, connect: (next) => next, start() {}, stop() {} };
    }
};
"""
TOLERANCE_MS = 20


def test_each_cue_is_spoken_in_order_at_its_planned_time(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    plan = build_plan(current_prescription(alice).to_engine(), alice.language, first_session=True)
    steps = plan.steps
    page.add_init_script(RECORD_SPEECH)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)  # "I'm ready" at once: no time passes, so no reminder either
    # Run the clock exactly to each check-in and answer at once, so that session time and
    # page time stay the same; a change of position is answered at once too.
    exercise_start = 0
    for check_in in (step for step in steps if step.kind == "check-in"):
        page.clock.run_for(check_in.offset_ms - exercise_start)
        answer_check_in(page)
        exercise_start = check_in.offset_ms
        if player_state(page) == "ready" and exercise_start < steps[-1].offset_ms:
            tap_ready(page)
    finish(page)

    spoken = page.evaluate("window.spoken")
    texts = [cue["text"] for cue in spoken]
    intro = [screen.cue for screen in plan.intro]
    assert texts[: len(intro)] == intro  # the briefing, then how to get down
    planned = spoken[len(intro) : len(intro) + len(steps)]
    assert [cue["text"] for cue in planned] == [step.cue for step in steps]
    start = planned[0]["at"]
    late = [
        (step.index, step.offset_ms, round(cue["at"] - start))
        for step, cue in zip(steps, planned, strict=True)
        if abs(cue["at"] - start - step.offset_ms) > TOLERANCE_MS
    ]
    assert late == []
    assert {cue["lang"] for cue in spoken} == {"en"}
    # After the plan: how to get up, then only the questions at the end.
    assert texts[len(intro) + len(steps) :] == [
        *(screen.cue for screen in plan.outro),
        TEXTS["leg_pain_question"],
        TEXTS["back_pain_question"],
        TEXTS["numbness_title"],
    ]


def test_a_change_of_position_is_spoken_again_while_it_waits(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    page.add_init_script(RECORD_SPEECH)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    page.clock.run_for(61_000)  # the briefing waits: a reminder every half minute
    texts = [cue["text"] for cue in page.evaluate("window.spoken")]
    assert texts[1:] == [TEXTS["ready_reminder"]] * 2
    page.locator("#sound-toggle").click()  # no reminder with the sound off
    page.clock.run_for(61_000)
    assert len(page.evaluate("window.spoken")) == 3


def test_one_tap_turns_the_sound_off_for_the_session(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    page.add_init_script(RECORD_SPEECH)
    log_in(context, live_server, alice.user)
    open_player(page)
    page.locator("#sound-toggle").click()
    expect(page.locator("#sound-toggle")).to_have_text(TEXTS["sound_on"])
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    page.clock.run_for(30_000)
    assert page.evaluate("window.spoken") == []

    page.reload()  # the same session, started again: still off
    expect(page.locator("#sound-toggle")).to_have_text(TEXTS["sound_on"])
    other = context.new_page()  # another session (a new tab): the settings again
    other.goto("/session/")
    expect(other.locator("#sound-toggle")).to_have_text(TEXTS["sound_off"])


def beeps_and_words(page: Page) -> tuple[int, int]:
    """Through the first hold of knees to chest, with every beep and word recorded."""
    page.add_init_script(RECORD_SPEECH)
    page.add_init_script(RECORD_BEEPS)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    page.clock.run_for(20_000)
    return len(page.evaluate("window.beeps")), len(page.evaluate("window.spoken"))


def test_the_settings_say_whether_it_speaks_and_beeps(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    alice.voice_on, alice.beeps_on = False, True
    alice.save()
    log_in(context, live_server, alice.user)
    beeps, words = beeps_and_words(page)
    assert (beeps, words) == (3, 0)  # 3, 2, 1 at the end of the hold; no voice

    alice.voice_on, alice.beeps_on = True, False
    alice.save()
    other = context.new_page()
    other.clock.install(time=CLOCK_START)
    beeps, words = beeps_and_words(other)
    assert beeps == 0
    assert words > 3


def test_the_switch_gives_sound_even_when_the_settings_have_none(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    alice.voice_on, alice.beeps_on = False, False
    alice.save()
    page.add_init_script(RECORD_SPEECH)
    log_in(context, live_server, alice.user)
    open_player(page)
    expect(page.locator("#sound-toggle")).to_have_text(TEXTS["sound_on"])
    page.locator("#sound-toggle").click()
    expect(page.locator("#sound-toggle")).to_have_text(TEXTS["sound_off"])
    answer_pain(page, leg=3, back=2)
    assert len(page.evaluate("window.spoken")) == 1  # the briefing


def test_the_first_tap_wakes_the_voice_and_the_sound_before_any_cue(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """One silent utterance and one silent sound on the first tap (a pain question), long
    before the first timed step, so the first cues are not late."""
    get_ready(alice)
    page.add_init_script(RECORD_SPEECH)
    page.add_init_script(RECORD_BEEPS)
    log_in(context, live_server, alice.user)
    open_player(page)
    assert page.evaluate("window.warmUps") == []  # no tap yet: browsers would refuse
    answer_pain(page, leg=3, back=2)
    warm_ups = page.evaluate("window.warmUps")
    assert [cue["text"] for cue in warm_ups] == [" "]
    assert page.evaluate("window.silentBuffers") == 1
    start_exercises(page)
    page.clock.run_for(20_000)
    assert len(page.evaluate("window.warmUps")) == 1  # once
    assert page.evaluate("window.silentBuffers") == 1
    spoken = page.evaluate("window.spoken")
    assert spoken
    assert warm_ups[0]["at"] <= spoken[0]["at"]
