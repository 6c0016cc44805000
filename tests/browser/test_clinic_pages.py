"""The clinic's pages pass the accessibility gate (axe.py: axe-core, then text size, targets,
focus rings and zoom), in English and Spanish, at a desk and on a tablet; and what a patient
reads to join a clinic passes it on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page

from stenosis_coach.clinic.invitations import create_invitation
from stenosis_coach.clinic.models import Alert
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import record_session
from stenosis_coach.practice.uploads import parse_session_upload

from .axe import assert_accessible
from .conftest import log_in
from .player import get_ready
from .test_axe import LANGUAGES, in_language

SIZES = {"desk": {"width": 1280, "height": 900}, "tablet": {"width": 768, "height": 1024}}


def a_patient_with_alerts(alice: Patient, payload_for: Any) -> Patient:
    """Alice after a week with two reds in a row and high leg pain: open alerts, charts."""
    get_ready(alice)
    for days_ago in (6, 4, 3):
        record_session(alice, parse_session_upload(payload_for(alice, days_ago=days_ago)))
    hurt = {"back-flexion": {"completed": False, "worse": True, "stop_reason": "leg-pain"}}
    for days_ago in (2, 1):
        payload = payload_for(alice, days_ago=days_ago, leg_before=8, overrides=hurt)
        record_session(alice, parse_session_upload(payload))
    assert Alert.objects.filter(patient=alice).exists()
    return alice


def clinic_pages(patient: Patient, invitation_id: int) -> list[str]:
    base = f"/clinic/patients/{patient.pk}/"
    return [
        "/clinic/",
        "/clinic/?filter=alerts",
        "/clinic/?search=nobody-by-this-name",
        base,
        "/clinic/invitations/",
        f"/clinic/invitations/{invitation_id}/print/",
        "/clinic/report/",
        "/clinic/rules/",
        "/clinic/staff/",
        "/clinic/audit/",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_clinic_pages(
    chromium: Browser,
    live_server: Any,
    alice: Patient,
    erin: User,
    payload_for: Any,
    language: str,
    size: str,
) -> None:
    a_patient_with_alerts(alice, payload_for)
    invitation = create_invitation(erin, name="Rosa")
    desk = chromium.new_context(base_url=live_server.url, viewport=SIZES[size])
    try:
        in_language(desk, live_server, language)
        log_in(desk, live_server, erin)
        page = desk.new_page()
        for path in clinic_pages(alice, invitation.pk):
            page.goto(path)
            assert_accessible(page, f"{path} ({language}, {size})")
    finally:
        desk.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_joining_a_clinic(
    page: Page, context: BrowserContext, live_server: Any, bob: User, dave: Patient, language: str
) -> None:
    """The code form, the consent page for a new person and for a patient, My data shared."""
    invitation = create_invitation(bob, name="Dave")
    in_language(context, live_server, language)
    page.goto("/join/")
    assert_accessible(page, f"/join/ ({language})")
    page.goto(f"/join/{invitation.code}/")
    assert_accessible(page, f"/join/<code>/ for a new person ({language})")
    page.locator("form[novalidate] button[type=submit]").last.click()  # nothing filled in
    assert_accessible(page, f"/join/<code>/ with its errors ({language})")
    get_ready(dave)
    log_in(context, live_server, dave.user)
    page.goto(f"/join/{invitation.code}/")
    assert_accessible(page, f"/join/<code>/ for a patient ({language})")
    page.locator("input[name=agree]").check()
    page.locator("form[novalidate] button[type=submit]").last.click()
    page.goto("/my-data/")
    assert_accessible(page, f"/my-data/ while sharing ({language})")
    page.goto("/my-data/stop-sharing/")
    assert_accessible(page, f"stop sharing ({language})")
