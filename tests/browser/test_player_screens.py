"""Every state of the player on a phone: no accessibility problem (tests/browser/axe.py:
axe-core, then text size, target size, focus rings and zoom), and the controls on screen.

(test_player_layout.py checks the same states at every window size for what must be seen.)
Set SCREENSHOTS=/some/folder to keep a picture of each state for a human to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient

from .axe import assert_accessible
from .conftest import log_in
from .player import (
    TEXTS,
    answer,
    answer_check_in,
    answer_pain,
    get_ready,
    open_player,
    player_state,
    tap_ready,
)
from .test_step_up_held_back import drive_to_the_new_screens, stepped_up_with_the_tilt_at_target


def check_screen(page: Page, name: str) -> None:
    """No accessibility problem (axe-core, then text size, target size, focus rings and
    zoom), and the controls on screen while they are shown."""
    assert_accessible(page, f"player: {name}")
    if page.locator("#controls").is_visible():
        for control in ("#hurt-button", "#skip-button"):
            expect(page.locator(control)).to_be_in_viewport(ratio=1)
    if player_state(page) == "step":
        expect(page.locator("#pause-button")).to_be_in_viewport(ratio=1)
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def run_until(page: Page, kind: str) -> None:
    for _ in range(400):
        if (
            player_state(page) == "step"
            and page.locator("#step-panel").get_attribute("data-kind") == kind
        ):
            return
        page.clock.run_for(500)
    raise AssertionError(f"no {kind} step came")


def test_every_player_state_fits_a_phone(
    page: Page, context: BrowserContext, live_server: Any, marcher: Patient
) -> None:
    log_in(context, live_server, marcher.user)
    open_player(page)
    check_screen(page, "01-pain-before")
    answer_pain(page, leg=7, back=3)  # 4 above usual: a gentle session is advised
    expect(page.locator("#question-title")).to_have_text(TEXTS["gentle_title"])
    check_screen(page, "02-gentle-advice")
    answer(page, TEXTS["normal_choice"])

    expect(page.locator("#ready-title")).to_have_text("Before your first session")
    check_screen(page, "03-briefing")
    tap_ready(page)
    check_screen(page, "04-get-down")
    tap_ready(page)
    expect(page.locator("#ready-title")).to_have_text("Knees to chest")
    check_screen(page, "05-ready-to-lie-down")
    tap_ready(page)
    run_until(page, "move")
    check_screen(page, "06-move")
    run_until(page, "hold")
    page.clock.run_for(3_000)
    expect(page.locator("#step-counter")).to_have_text("Rep 1 of 4")
    check_screen(page, "07-hold")
    page.clock.run_for(5_500)  # 1.5 s left
    expect(page.locator("#countdown")).to_have_class("countdown ending")
    check_screen(page, "08-hold-ending")
    page.locator("#pause-button").click()
    expect(page.locator("#paused-note")).to_be_visible()
    check_screen(page, "09-paused")
    page.locator("#pause-button").click()
    expect(page.locator("#paused-note")).to_be_hidden()
    page.locator("#skip-button").click()
    check_screen(page, "10-skip-asks-first")
    page.locator("#confirm-no").click()
    page.locator("#urgent-button").click()
    check_screen(page, "11-urgent")
    page.locator("#urgent-back").click()
    page.locator("#leave-button").click()
    check_screen(page, "12-leave-asks-first")
    page.locator("#confirm-no").click()
    run_until(page, "release")
    check_screen(page, "13-release")
    run_until(page, "rest")
    check_screen(page, "14-rest")

    page.locator("#hurt-button").click()
    expect(page.locator("#question-title")).to_have_text(TEXTS["hurt_title"])
    check_screen(page, "15-it-hurts")
    answer(page, TEXTS["hurt_leg"])
    expect(page.locator("#question-title")).to_have_text(TEXTS["hurt_advice_title"])
    check_screen(page, "16-after-it-hurts")
    answer(page, TEXTS["go_on_next"])
    expect(page.locator("#exercise-name")).to_have_text("Pelvic tilt")
    expect(page.locator("#more-time-button")).to_be_visible()
    check_screen(page, "17-get-ready")
    page.locator("#skip-button").click()
    page.locator("#confirm-yes").click()
    expect(page.locator("#exercise-name")).to_have_text("Lying march")
    run_until(page, "march")
    check_screen(page, "18-march")
    run_until(page, "set-break")
    check_screen(page, "19-set-break")
    while player_state(page) != "question":
        page.clock.run_for(5_000)
    expect(page.locator("#question-context")).to_have_text("Lying march")
    check_screen(page, "20-check-in")
    answer_check_in(page, worse=False)
    page.locator("#skip-button").click()
    page.locator("#confirm-yes").click()  # the curl-up

    expect(page.locator("#ready-title")).to_have_text("Child's pose")
    check_screen(page, "21-ready-for-hands-and-knees")
    page.locator("#hurt-button").click()  # it hurts while changing position
    answer(page, TEXTS["hurt_back"])
    expect(page.locator("#question-answers button")).to_have_count(1)  # nothing comes next
    answer(page, TEXTS["end_now"])
    expect(page.locator("#ready-title")).to_have_text("Get up slowly")
    check_screen(page, "22-get-up")
    tap_ready(page)
    expect(page.locator("#question-context")).to_have_text(TEXTS["after_title"])
    check_screen(page, "23-pain-after")
    answer_pain(page, leg=9, back=3)
    check_screen(page, "24-numbness")
    answer(page, TEXTS["yes"])
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    expect(page.locator("#summary-hold")).to_be_visible()
    expect(page.locator("#summary-advice")).to_be_visible()
    check_screen(page, "25-summary")


def test_the_rest_day_screens_fit_a_phone(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice, usual_leg_pain=3)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=9, back=3)
    expect(page.locator("#question-title")).to_have_text(TEXTS["rest_title"])
    expect(page.locator("#question-pictures figure:not([hidden])")).to_have_count(2)
    check_screen(page, "26-rest-day")
    answer(page, TEXTS["rest_choice"])
    expect(page.locator("#summary-title")).to_have_text(TEXTS["rested_title"])
    check_screen(page, "27-rested")


def test_the_held_back_and_low_back_screens_fit_a_phone(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """The screen that says why a step-up waits, and "Could you keep your low back pressed
    flat the whole time?" after a pelvic tilt at its target."""
    stepped_up_with_the_tilt_at_target(alice)
    log_in(context, live_server, alice.user)
    names = iter(["28-held-back", "29-low-back-flat"])
    drive_to_the_new_screens(page, lambda _state: check_screen(page, next(names)))
