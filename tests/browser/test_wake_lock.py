"""When the browser will not keep the screen on (the Wake Lock request refused, or no Wake
Lock at all), the exercise screen says so in a short note, in the patient's language, and
the session keeps time; when the lock is granted there is no note. The note covers nothing
that matters (the countdown, the instruction, the buttons) on small and large screens.

Set WAKE_NOTE_SCREENSHOTS to a folder to keep a screenshot of the note at each size.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.actions import set_language
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.views import player_texts

from .conftest import log_in
from .player import TEXTS, get_ready, open_player, start_exercises, stop_the_clock
from .test_player_layout import MEASURE, TIMED, Checker

REFUSE = """
Object.defineProperty(WakeLock.prototype, "request", {
    value: () => Promise.reject(new DOMException("Battery saver is on.", "NotAllowedError")),
});
"""
MISSING = "delete Navigator.prototype.wakeLock;"
# Granted, with a stand-in lock that counts the requests.
GRANT = """
window.wakeRequests = 0;
Object.defineProperty(WakeLock.prototype, "request", {
    value: () => {
        window.wakeRequests += 1;
        const lock = new EventTarget();
        lock.released = false;
        lock.type = "screen";
        lock.release = () => { lock.released = true; return Promise.resolve(); };
        return Promise.resolve(lock);
    },
});
"""
# Phones upright (the smallest, two common ones), a phone on its side, a tablet both ways.
SIZES = [(320, 568), (375, 667), (390, 844), (844, 390), (768, 1024), (1024, 768)]
SPANISH_SIZES = [(320, 568), (768, 1024)]


def countdown(page: Page) -> int:
    return int(page.locator("#countdown-number").inner_text())


def answer_pain(page: Page, leg: int, back: int, texts: dict[str, str] = TEXTS) -> None:
    expect(page.locator("#question-title")).to_have_text(texts["leg_pain_question"])
    page.locator("#question-answers button").nth(leg).click()
    expect(page.locator("#question-title")).to_have_text(texts["back_pain_question"])
    page.locator("#question-answers button").nth(back).click()


def to_the_first_hold(page: Page) -> None:
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    expect(page.locator("#player")).to_have_attribute("data-state", "step")


@pytest.mark.parametrize("browser_says", [REFUSE, MISSING], ids=["refused", "no-wake-lock"])
def test_without_a_wake_lock_the_player_says_so_and_keeps_time(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient, browser_says: str
) -> None:
    get_ready(alice)
    page.add_init_script(browser_says)
    log_in(context, live_server, alice.user)
    to_the_first_hold(page)
    note = page.locator("#wake-note")
    expect(note).to_be_visible()
    expect(note).to_have_text(TEXTS["screen_may_sleep"])

    first = countdown(page)
    page.clock.run_for(3_000)
    assert countdown(page) == first - 3
    # The note stays for the whole session, on every step.
    page.clock.run_for(first * 1_000)
    expect(page.locator("#player")).to_have_attribute("data-state", "step")
    expect(note).to_be_visible()


def test_with_the_wake_lock_there_is_no_note(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    page.add_init_script(GRANT)
    log_in(context, live_server, alice.user)
    to_the_first_hold(page)
    assert page.evaluate("window.wakeRequests") == 1
    first = countdown(page)
    page.clock.run_for(2_000)
    assert countdown(page) == first - 2
    expect(page.locator("#wake-note")).to_be_hidden()


def note_problems(page: Page, sizes: list[tuple[int, int]], where: str) -> list[str]:
    """The usual checks of a timed step at each size (test_player_layout), and the note
    itself whole and uncovered, with a screenshot when asked for."""
    check = Checker(page, sizes, where)
    check("a hold, with the note")
    problems = list(check.problems)
    keep = os.environ.get("WAKE_NOTE_SCREENSHOTS")
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        expect(page.locator("#player")).to_have_attribute("data-fit-for", f"{width}x{height}")
        found = page.evaluate(MEASURE, ["#wake-note", *TIMED])
        problems += [f"{where} {width}x{height}: {problem}" for problem in found["problems"]]
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(keep) / f"wake-note-{where}-{width}x{height}.png"))
    return problems


@pytest.mark.parametrize(("language", "sizes"), [("en", SIZES), ("es", SPANISH_SIZES)])
def test_the_note_covers_nothing_at_any_size(
    page: Page,
    context: BrowserContext,
    live_server: Any,
    alice: Patient,
    language: str,
    sizes: list[tuple[int, int]],
) -> None:
    get_ready(alice)
    set_language(alice, language)
    with translation.override(language):
        texts = player_texts()
    page.add_init_script(REFUSE)
    log_in(context, live_server, alice.user)
    page.goto("/session/")
    expect(page.locator("#question-title")).to_have_text(texts["leg_pain_question"])
    stop_the_clock(page)
    answer_pain(page, leg=3, back=2, texts=texts)
    start_exercises(page)
    page.clock.run_for(1_000)
    expect(page.locator("#wake-note")).to_have_text(texts["screen_may_sleep"])
    problems = note_problems(page, sizes, language)
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:40])
