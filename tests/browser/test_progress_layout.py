"""Progress on the narrowest phone, with every table of numbers open: nothing is wider than
the screen or its card, and no calendar cell runs into the next, in English and in Spanish
(the layout gate looks at the page as it opens, with the tables closed). The tables come
from the server when opened: when they cannot, the reader is told, and the link stays."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from stenosis_coach.outcomes.actions import record_pain_checkin, record_walking_test
from stenosis_coach.patients.models import Patient
from tests.patient_pages import do_session

from .conftest import ServerRequests, log_in
from .player import get_ready


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_table_of_numbers_fits_a_320_px_phone(
    chromium: Browser,
    live_server: Any,
    server_requests: ServerRequests,
    alice: Patient,
    language: str,
) -> None:
    alice.language = language
    get_ready(alice)
    stopped = {"completed": False, "stop_reason": "skipped", "reps_done": 3, "sets_done": 0}
    do_session(alice, days_ago=3)
    do_session(alice, days_ago=1, overrides={"pelvic-tilt": stopped})
    record_pain_checkin(alice, leg_pain=5, back_pain=1)
    record_walking_test(alice, seconds=437, stopped_by_symptoms=True)
    record_walking_test(alice, seconds=1800, stopped_by_symptoms=False)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 320, "height": 568})
    try:
        log_in(context, live_server, alice.user)
        page = context.new_page()
        page.goto("/progress/")
        summaries = page.locator("details.chart-numbers summary")
        assert summaries.count() >= 4
        for n in range(summaries.count()):
            summaries.nth(n).click()
        # Each table comes from the server when its "See the numbers" is first opened.
        loaded = page.locator('details.chart-numbers[data-state="loaded"] table')
        loaded.nth(summaries.count() - 1).wait_for()
        too_wide = page.evaluate(
            """() => [...document.querySelectorAll("main *")]
                .filter((element) => element.getBoundingClientRect().right > innerWidth + 0.5)
                .map((element) => element.tagName + ": " + element.textContent.slice(0, 40))"""
        )
        assert too_wide == []
        tables_too_wide = page.evaluate(
            """() => [...document.querySelectorAll("details table")]
                .filter((table) => table.offsetWidth > table.parentElement.clientWidth)
                .map((table) => table.caption.textContent)"""
        )
        assert tables_too_wide == []
        # The calendar's cells hold their text and marks: nothing runs into the next day.
        crowded = page.evaluate(
            """() => [...document.querySelectorAll(".calendar th, .calendar td")]
                .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
                .map((cell) => cell.textContent.trim())"""
        )
        assert crowded == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()
        server_requests.wait_until_idle()


def test_numbers_that_do_not_load_say_so_and_keep_the_link(
    chromium: Browser, live_server: Any, server_requests: ServerRequests, alice: Patient
) -> None:
    get_ready(alice)
    do_session(alice, days_ago=1)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 375, "height": 667})
    try:
        log_in(context, live_server, alice.user)
        page = context.new_page()
        page.goto("/progress/")
        page.route("**/progress/numbers/**", lambda route: route.abort())
        pain = page.locator("details.chart-numbers").first
        pain.locator("summary").click()
        note = pain.get_by_text("The numbers did not load.")
        note.wait_for()
        assert pain.get_by_role("link", name="Open the numbers on a page of their own").is_visible()
        # Closed and opened again, once the network is back: the tables.
        page.unroute("**/progress/numbers/**")
        pain.locator("summary").click()
        pain.locator("summary").click()
        pain.locator("table").first.wait_for()
        assert note.count() == 0
    finally:
        context.close()
        server_requests.wait_until_idle()
