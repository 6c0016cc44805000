"""Today on a small phone: the Start button is on screen without scrolling, and nothing
covers it, in English and in Spanish."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from stenosis_coach.patients.models import Patient

from .conftest import ServerRequests, log_in
from .player import get_ready

SMALL_PHONES = [{"width": 375, "height": 667}, {"width": 320, "height": 568}]


@pytest.mark.parametrize("viewport", SMALL_PHONES, ids=lambda size: f"{size['width']}")
@pytest.mark.parametrize("language", ["en", "es"])
def test_start_is_on_screen_without_scrolling(
    chromium: Browser,
    live_server: Any,
    server_requests: ServerRequests,
    alice: Patient,
    viewport: dict[str, int],
    language: str,
) -> None:
    alice.language = language
    get_ready(alice)
    context = chromium.new_context(base_url=live_server.url, viewport=viewport)
    try:
        log_in(context, live_server, alice.user)
        page = context.new_page()
        page.goto("/today/")
        start = page.locator("a.button.start")
        expect(start).to_be_visible()
        box = start.bounding_box()
        assert box is not None
        assert page.evaluate("window.scrollY") == 0
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= viewport["height"], (box, viewport)
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= viewport["width"]
        # Nothing lies over it: a tap on its middle lands on the button.
        middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('a.button.start') !== null",
            list(middle),
        )
        assert hit
    finally:
        context.close()
        server_requests.wait_until_idle()
