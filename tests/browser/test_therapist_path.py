"""The therapist's main path, in two browsers at once: the therapist at a desk, the patient
on a phone. Invite with a printed code; the patient signs up with it, agrees to share, and
does a session in which an exercise hurts; the therapist sees the alert, changes the dose
with a reason; the patient sees the new dose and the reason on Today."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page, expect

from stenosis_coach.clinic.models import Alert
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription, record_session
from stenosis_coach.practice.uploads import parse_session_upload

from .conftest import log_in
from .player import (
    EMAIL,
    PASSWORD,
    TEXTS,
    answer,
    answer_pain,
    finish,
    get_started,
    open_player,
    start_exercises,
)

DESK = {"width": 1280, "height": 900}
REASON = "Shorter holds for a week, then we look again."


def test_invite_sign_up_hurt_alert_new_dose_seen_on_today(
    chromium: Browser,
    page: Page,
    context: BrowserContext,
    live_server: Any,
    bob: User,
    payload_for: Any,
) -> None:
    desk = chromium.new_context(base_url=live_server.url, viewport=DESK)
    try:
        log_in(desk, live_server, bob)
        therapist = desk.new_page()

        # The therapist makes a printed code.
        therapist.goto("/clinic/invitations/")
        print_form = therapist.locator(
            "form", has=therapist.get_by_role("button", name="Make a code to print")
        )
        print_form.get_by_role("textbox").first.fill("Rosa Díaz")
        print_form.get_by_role("button", name="Make a code to print").click()
        code = therapist.locator(".sheet-big-code").inner_text().strip()
        assert re.fullmatch(r"[A-Z]{4}-[A-Z]{4}", code), code

        # The patient types the address from the sheet, reads what will be shared, signs up.
        page.goto(f"/join/{code.lower()}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Share your data")
        page.get_by_label("Your email").fill(EMAIL)
        page.get_by_label("Make a password").fill(PASSWORD)
        page.get_by_label("Type the password again").fill(PASSWORD)
        page.locator("input[name=agree]").check()
        page.get_by_role("button", name="Make my account and share").click()
        get_started(page)
        patient = Patient.objects.get(user__username=EMAIL)
        assert (patient.clinic_id, patient.therapist_id) == (bob.staff.clinic_id, bob.pk)

        # Yesterday the knees-to-chest stretch hurt; today it hurts again: two reds pause it.
        hurt = {"back-flexion": {"completed": False, "worse": True, "stop_reason": "leg-pain"}}
        record_session(
            patient, parse_session_upload(payload_for(patient, days_ago=1, overrides=hurt))
        )
        open_player(page)
        answer_pain(page, leg=3, back=2)
        start_exercises(page)
        page.locator("#hurt-button").click()
        answer(page, TEXTS["hurt_leg"])
        answer(page, TEXTS["end_now"])
        finish(page, leg=3, back=2, title=TEXTS["summary_stopped"])
        expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
        assert current_prescription(patient).items.get(exercise_id="back-flexion").paused

        # The therapist sees the alert on the caseload, then on the patient's page.
        therapist.goto("/clinic/")
        row = therapist.locator("tr", has=therapist.get_by_role("link", name=re.compile(EMAIL)))
        expect(row).to_contain_text("High")
        row.get_by_role("link", name=re.compile(EMAIL)).click()
        expect(therapist.locator("#alerts")).to_contain_text("Knees to chest")
        assert Alert.objects.filter(
            patient=patient, rule="exercise_paused", acknowledged_at=None
        ).exists()

        # A shorter hold, the pause lifted, with a reason; the alert acknowledged.
        prescription = therapist.locator("#prescription")
        prescription.locator("#back-flexion-hold_seconds").fill("8")
        prescription.locator("input[name=back-flexion-lift_pause]").check()
        prescription.locator("#exercises-reason").fill(REASON)
        prescription.get_by_role("button", name="Save the prescription").click()
        expect(therapist.locator(".messages")).to_be_visible()
        item = current_prescription(patient).items.get(exercise_id="back-flexion")
        assert (item.hold_seconds, item.paused) == (8, False)

        # The patient sees the new dose and the therapist's words on Today.
        page.goto("/today/")
        expect(page.locator("main")).to_contain_text(REASON)
        expect(page.locator("main")).to_contain_text("8 seconds")
    finally:
        desk.close()
