"""The newcomer's whole path on a phone: sign up, get started, do a first session with the
network cut halfway, and see it in Progress afterwards."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.practice.models import SessionRecord

from .player import (
    TEXTS,
    answer_check_in,
    answer_pain,
    finish,
    play_until_question,
    play_whole_session,
    sign_up_and_get_started,
    stop_the_clock,
)


def test_a_newcomer_does_a_first_session_offline_and_sees_it_in_progress(
    page: Page, context: BrowserContext, live_server: Any
) -> None:
    sign_up_and_get_started(page)
    page.get_by_role("link", name="Start", exact=True).click()
    expect(page.locator("#question-title")).to_have_text(TEXTS["leg_pain_question"])
    stop_the_clock(page)
    answer_pain(page, leg=4, back=3)
    play_until_question(page)
    answer_check_in(page)  # knees to chest done
    play_until_question(page)
    answer_check_in(page)  # the pelvic tilt done: half way

    context.set_offline(True)
    play_whole_session(page, exercises=2)
    finish(page, leg=3, back=3)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["saved_offline"])
    assert not SessionRecord.objects.exists()

    context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    assert SessionRecord.objects.count() == 1

    page.goto("/progress/")
    expect(page.get_by_text("This week you did 1 session on 1 day.")).to_be_visible()
    expect(page.get_by_text("Your leg pain went from")).to_have_count(0)  # one point only
    page.get_by_text("Menu").click()  # on a phone the links are in the menu
    page.get_by_role("link", name="History").click()
    expect(page.locator("main")).to_contain_text("Leg pain: 4 before, 3 after.")
