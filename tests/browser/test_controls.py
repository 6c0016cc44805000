"""Controls that must forgive an unsteady hand."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient

from .conftest import log_in
from .player import TEXTS, answers, get_ready, open_player, player_state


def test_a_double_tap_answers_only_one_question(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answers(page).nth(4).dblclick()  # leg pain 4, with a shaky second tap
    expect(page.locator("#question-title")).to_have_text(TEXTS["back_pain_question"])
    assert player_state(page) == "question"  # still waiting for the back pain answer
