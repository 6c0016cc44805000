"""Every state of the player on a phone: no accessibility problem (tests/browser/axe.py),
nothing too small to read or tap, the controls on screen.

Set SCREENSHOTS=/some/folder to keep a picture of each state for a human to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription, save_prescription
from stenosis_coach.practice.models import PrescriptionVersion
from stenosis_coach.programme import Dose

from .axe import assert_accessible
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
    player_state,
)


@pytest.fixture
def marcher(alice: Patient) -> Patient:
    """Alice, with the march opened by her therapist at 2 sets: every kind of step."""
    get_ready(alice, usual_leg_pain=3)
    prescription = current_prescription(alice).to_engine()
    march = prescription.get("hook-lying-march")
    dose = Dose(sets=2, work_seconds=30, set_break_seconds=30)
    opened = type(march)(march.exercise_id, dose)
    save_prescription(
        alice, prescription.with_item(opened), PrescriptionVersion.Source.THERAPIST, note="ready"
    )
    return alice


def check_screen(page: Page, name: str) -> None:
    """No accessibility problem (axe-core, then text size, target size, focus rings and
    zoom), and the controls on screen while playing."""
    assert_accessible(page, f"player: {name}")
    if player_state(page) == "step":
        for control in ("#hurt-button", "#pause-button", "#skip-button"):
            expect(page.locator(control)).to_be_in_viewport(ratio=1)
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


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

    page.clock.run_for(1_000)
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "position")
    check_screen(page, "03-get-ready")
    page.clock.run_for(16_000)  # 3 s into the first hold
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "hold")
    expect(page.locator("#step-counter")).to_have_text("Rep 1 of 4")
    check_screen(page, "04-hold")
    page.clock.run_for(5_500)  # 1.5 s left
    expect(page.locator("#countdown")).to_have_class("countdown ending")
    check_screen(page, "05-hold-ending")
    page.locator("#pause-button").click()
    expect(page.locator("#paused-note")).to_be_visible()
    check_screen(page, "06-paused")
    page.locator("#pause-button").click()
    expect(page.locator("#paused-note")).to_be_hidden()

    page.locator("#hurt-button").click()
    expect(page.locator("#question-title")).to_have_text(TEXTS["hurt_title"])
    check_screen(page, "07-it-hurts")
    answer(page, TEXTS["hurt_leg"])
    expect(page.locator("#exercise-name")).to_have_text("Child's pose")
    page.locator("#skip-button").click()
    page.locator("#skip-button").click()
    expect(page.locator("#exercise-name")).to_have_text("Lying march")
    page.clock.run_for(20_000)
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "march")
    check_screen(page, "08-march")
    page.clock.run_for(30_000)
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "set-break")
    check_screen(page, "09-set-break")
    play_until_question(page)
    expect(page.locator("#question-context")).to_have_text("Lying march")
    check_screen(page, "10-check-in")
    answer_check_in(page, worse=False)
    page.locator("#skip-button").click()

    expect(page.locator("#question-context")).to_have_text(TEXTS["after_title"])
    check_screen(page, "11-pain-after")
    finish(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    check_screen(page, "12-summary")
