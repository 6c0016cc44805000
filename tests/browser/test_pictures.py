"""The exercise picture in the player: it appears with each exercise, moves during a move,
keeps still during a hold, and says what it shows."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient

from .conftest import log_in
from .player import answer_pain, get_ready, open_player, start_exercises

# Every drawn part's coordinates: they change exactly when the figure moves.
POSE = """() => [...document.querySelectorAll('#illustration [data-part]')]
    .map((part) => ['x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'd', 'points', 'transform']
        .map((name) => part.getAttribute(name)).join(','))
    .join(';')"""


def test_the_picture_moves_in_step_with_the_session(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)  # the briefing, getting down, lying down: each waits
    picture = page.locator("#illustration")
    expect(picture.locator("svg")).to_have_count(1)
    label = picture.get_attribute("aria-label") or ""
    assert label.startswith("Knees to chest. ")
    assert len(label) > len("Knees to chest. ") + 20  # the description follows the title

    page.clock.run_for(500)  # into the move (4 s)
    early_in_move = page.evaluate(POSE)
    page.clock.run_for(2_000)
    later_in_move = page.evaluate(POSE)
    assert later_in_move != early_in_move  # the knees are on their way to the chest

    page.clock.run_for(3_000)  # into the hold
    expect(page.locator("[data-kind]")).to_have_attribute("data-kind", "hold")
    holding = page.evaluate(POSE)
    page.clock.run_for(4_000)
    assert page.evaluate(POSE) == holding  # still during the hold


def test_with_less_motion_the_start_and_end_show_side_by_side(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    page.emulate_media(reduced_motion="reduce")
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    # One picture with both poses in it, the one for this step marked.
    expect(page.locator("#illustration [data-keyframe]")).to_have_count(2)
    expect(page.locator('#illustration [data-keyframe][data-current="true"]')).to_have_count(1)
