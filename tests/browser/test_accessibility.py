"""The player with the keyboard alone, with a screen reader, and with less motion."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient

from .conftest import log_in
from .player import CHECK_IN, TEXTS, get_ready, open_player

# Keep every text the live region is given, with the page's time.
RECORD_ANNOUNCEMENTS = """
window.announced = [];
document.addEventListener("DOMContentLoaded", () => {
    const region = document.getElementById("announcer");
    if (!region) return;
    new MutationObserver(() => {
        if (region.textContent) window.announced.push([region.textContent, performance.now()]);
    }).observe(region, { childList: true, characterData: true, subtree: true });
});
"""


def focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement.textContent.trim()"))


def test_a_whole_exercise_with_the_keyboard_alone(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    assert focused(page) == TEXTS["leg_pain_question"]  # focus starts on the question
    for _ in range(4):
        page.keyboard.press("Tab")
    assert focused(page) == "3"
    page.keyboard.press("Enter")
    expect(page.locator("#question-title")).to_have_text(TEXTS["back_pain_question"])
    assert focused(page) == TEXTS["back_pain_question"]
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("#exercise-name")).to_be_focused()

    page.keyboard.press("Tab")
    assert focused(page) == TEXTS["hurt"]  # the most important control comes first
    page.keyboard.press("Tab")
    assert focused(page) == TEXTS["pause"]
    page.keyboard.press("Enter")
    expect(page.locator("#paused-note")).to_be_visible()
    assert focused(page) == TEXTS["resume"]
    page.keyboard.press("Enter")
    page.clock.run_for(100_000)
    expect(page.locator("#question-title")).to_have_text(CHECK_IN)
    expect(page.locator("#question-title")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == TEXTS["no"]
    page.keyboard.press("Enter")
    expect(page.locator("#exercise-name")).to_have_text("Child's pose")
    expect(page.locator("#exercise-name")).to_be_focused()


def test_the_time_is_read_out_only_when_it_matters(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    log_in(context, live_server, alice.user)
    open_player(page)
    page.locator("#question-answers button").nth(3).click()
    page.locator("#question-answers button").nth(2).click()
    page.clock.run_for(24_500)  # get ready (10 s), move (4 s), the first hold (10 s)
    announced = [text for text, _at in page.evaluate("window.announced")]
    assert announced == [
        "Lie on your back with your knees bent. 10 seconds.",
        "5 seconds left.",
        "Slowly pull both knees toward your chest. 4 seconds.",
        "Hold. Breathe slowly. 10 seconds.",
        "5 seconds left.",
        "Now slowly lower your feet to the mat. 4 seconds.",
    ]


def test_with_less_motion_a_new_step_still_shows_but_does_not_move(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.emulate_media(reduced_motion="reduce")
    open_player(page)
    page.locator("#question-answers button").nth(3).click()
    page.locator("#question-answers button").nth(2).click()
    panel = page.locator("#step-panel")
    expect(panel).to_have_class("step-panel is-new")
    expect(panel).to_have_attribute("data-kind", "position")
    assert panel.evaluate("(element) => getComputedStyle(element).animationName") == "none"
