"""The patient's time zone comes from the browser (zone.js): at sign-up, and for a patient
who has none yet, from the next page they open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from scripts.chromium import PHONE
from stenosis_coach.patients.models import Patient

from .conftest import ServerRequests, log_in
from .player import EMAIL, get_ready, sign_up

CHICAGO = "America/Chicago"


@pytest.fixture
def in_chicago(
    chromium: Browser, live_server: Any, server_requests: ServerRequests
) -> Iterator[BrowserContext]:
    """A phone whose clock is set to Chicago time."""
    context = chromium.new_context(
        base_url=live_server.url, viewport=PHONE, locale="en-US", timezone_id=CHICAGO
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()
    server_requests.wait_until_idle()


@pytest.fixture
def chicago_page(in_chicago: BrowserContext) -> Iterator[Page]:
    page = in_chicago.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == [], f"script errors on the page: {errors}"


def test_signing_up_keeps_the_browsers_time_zone(chicago_page: Page, db: None) -> None:
    sign_up(chicago_page)
    patient = Patient.objects.get(user__username=EMAIL)
    assert patient.time_zone == CHICAGO
    # Known now: the next pages do not send it again.
    assert chicago_page.locator("script[data-zone-url]").count() == 0


def test_a_patient_with_no_zone_sends_it_from_the_next_page(
    chicago_page: Page, in_chicago: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(in_chicago, live_server, alice.user)
    with chicago_page.expect_response("**/settings/time-zone/") as sent:
        chicago_page.goto("/today/")
    assert sent.value.status == 204
    alice.refresh_from_db()
    assert alice.time_zone == CHICAGO
    chicago_page.goto("/settings/")
    expect(chicago_page.locator(".settings-now").first).to_contain_text(
        "Your time zone is America/Chicago."
    )
    expect(chicago_page.get_by_label("Your time zone")).to_have_value(CHICAGO)
