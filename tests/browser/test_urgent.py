"""The emergency call button, in the browser: on screen without scrolling on the smallest
phone, in both languages, on the urgent advice (/urgent/) and after a red-flag "yes"; and the
doctor's check with the keyboard alone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import red_flag_questions

from .conftest import log_in
from .player import get_ready

SIZES = [(320, 568), (360, 640), (375, 667), (390, 844), (844, 390)]
CALL = {"en": "Call 911", "es": "Llamar al 911"}


def in_language(context: BrowserContext, live_server: Any, language: str) -> None:
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]  # type: ignore[list-item]
    )


def assert_call_button_on_screen(page: Page, language: str, where: str) -> None:
    button = page.get_by_role("link", name=CALL[language])
    expect(button).to_have_attribute("href", "tel:911")
    box = button.bounding_box()
    assert box is not None, where
    viewport = page.viewport_size
    assert viewport is not None
    # On a phone held upright, without scrolling; on its side, after one short scroll.
    if viewport["height"] >= viewport["width"]:
        assert box["y"] + box["height"] <= viewport["height"], f"{where}: below the fold"
    assert box["height"] >= 56, f"{where}: too small to hit"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_call_button_is_on_screen_without_scrolling(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient, language: str
) -> None:
    get_ready(alice)
    alice.language = language
    alice.save()
    in_language(context, live_server, language)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/urgent/")
        assert_call_button_on_screen(page, language, f"/urgent/ at {width}x{height}")
    record_screening(alice, {q.id: q.id == "saddle-numbness" for q in red_flag_questions()})
    log_in(context, live_server, alice.user)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/check/result/")
        assert_call_button_on_screen(page, language, f"/check/result/ at {width}x{height}")


def test_the_doctors_check_with_the_keyboard_alone(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    record_screening(alice, {q.id: q.id == "fever" for q in red_flag_questions()})
    log_in(context, live_server, alice.user)
    page.goto("/check/result/")
    box = page.get_by_role("checkbox", name="A doctor has checked me and said I can go on.")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Go on")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url("/check/")
    expect(page.locator(".reason")).to_have_text(
        "A doctor has said you can go on. Please answer these questions once more before you "
        "exercise."
    )
