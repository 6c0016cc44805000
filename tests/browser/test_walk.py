"""The timed walk in the browser: the time on the clock is the time saved and the time
shown afterwards, to the second (7:17 is 7 min 17 s, never 7.2 or 7 min 12 s)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient

from .conftest import log_in
from .player import get_ready


@pytest.mark.parametrize(("language", "walked"), [("en", "You walked 7 min 17 s."),
                                                   ("es", "Caminó 7 min 17 s.")])  # fmt: skip
def test_the_clock_time_is_saved_and_shown_to_the_second(
    page: Page,
    context: BrowserContext,
    live_server: Any,
    alice: Patient,
    language: str,
    walked: str,
) -> None:
    alice.language = language
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/walk/")
    page.locator("#walk-start").click()
    page.clock.run_for((7 * 60 + 17) * 1000 + 400)
    expect(page.locator("#walk-clock")).to_have_text("7:17")
    page.locator("#walk-stop").click()
    expect(page).to_have_url(live_server.url + "/walk/done/")
    expect(page.locator(".walk-result")).to_have_text(walked)
    assert alice.walking_tests.get().seconds == 437
    page.goto("/progress/")
    walks = page.locator("section", has=page.locator("#walk-title"))
    expect(walks.locator(".chart-summary")).to_contain_text("7 min 17 s")
