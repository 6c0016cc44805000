"""A whole session in Spanish: every word on screen and every spoken cue in Spanish, in the
plan's order; and a Spanish browser that signs up keeps Spanish, until the switch says
otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from stenosis_coach.patients.actions import set_language
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.practice.views import player_texts
from stenosis_coach.programme import StepKind, build_plan

from .conftest import PHONE, ServerRequests, log_in
from .player import (
    EMAIL,
    PASSWORD,
    answer,
    answers,
    get_ready,
    play_until_question,
    start_exercises,
    stop_the_clock,
    tap_ready,
)
from .test_voice import RECORD_SPEECH

with translation.override("es"):
    SPANISH = player_texts()


def answer_pain_in_spanish(page: Page, leg: int, back: int) -> None:
    expect(page.locator("#question-title")).to_have_text(SPANISH["leg_pain_question"])
    answers(page).nth(leg).click()
    expect(page.locator("#question-title")).to_have_text(SPANISH["back_pain_question"])
    answers(page).nth(back).click()


def test_a_whole_session_in_spanish_is_spoken_in_spanish(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    set_language(alice, "es")
    get_ready(alice)
    plan = build_plan(current_prescription(alice).to_engine(), "es", first_session=True)
    check_ins = [step for step in plan.steps if step.kind is StepKind.CHECK_IN]
    page.add_init_script(RECORD_SPEECH)
    log_in(context, live_server, alice.user)

    page.goto("/session/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#question-context")).to_have_text(SPANISH["before_title"])
    stop_the_clock(page)
    answer_pain_in_spanish(page, leg=3, back=2)
    start_exercises(page)  # the briefing, getting down, lying down
    expect(page.locator("#exercise-name")).to_have_text("Rodillas al pecho")
    expect(page.locator("#hurt-button")).to_have_text("Me duele: parar")
    for check_in in check_ins:
        play_until_question(page)
        expect(page.locator("#question-title")).to_have_text(check_in.text)
        answer(page, SPANISH["no"])
    tap_ready(page)  # how to get up
    expect(page.locator("#question-context")).to_have_text(SPANISH["after_title"])
    answer_pain_in_spanish(page, leg=2, back=2)
    answer(page, SPANISH["no"])  # no new numbness
    expect(page.locator("#summary-title")).to_have_text(SPANISH["summary_title"])
    expect(page.locator("#sync-status")).to_have_text(SPANISH["sent"])
    expect(page.locator("#next-time")).to_contain_text(
        "Este se abre cuando el ejercicio de inclinación pélvica llegue a su meta"
    )

    spoken = page.evaluate("window.spoken")
    texts = [cue["text"] for cue in spoken]
    intro = [screen.cue for screen in plan.intro]  # the briefing, getting down
    end = len(intro) + len(plan.steps)
    assert texts[: len(intro)] == intro
    assert texts[len(intro) : end] == [s.cue for s in plan.steps]
    assert "Rodillas al pecho. Acuéstese boca arriba" in texts[len(intro)]
    assert all(cue["lang"].startswith("es") for cue in spoken)
    # After the plan: how to get up, then only the questions at the end, in Spanish too.
    assert texts[end:] == [
        *(screen.cue for screen in plan.outro),
        SPANISH["leg_pain_question"],
        SPANISH["back_pain_question"],
        SPANISH["numbness_title"],
    ]


@pytest.fixture
def spanish_page(
    chromium: Browser, live_server: Any, server_requests: ServerRequests
) -> Iterator[Page]:
    """A phone whose browser is set to Mexican Spanish."""
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, locale="es-MX")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
    server_requests.wait_until_idle()


def test_a_spanish_browser_signs_up_in_spanish_and_can_switch(spanish_page: Page) -> None:
    page = spanish_page
    page.goto("/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Su correo").fill(EMAIL)
    page.get_by_label("Cree una contraseña").fill(PASSWORD)
    page.get_by_label("Escriba otra vez la contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Crear mi cuenta").click()
    expect(page).to_have_url("/signup/sent/")
    expect(page.locator("h1")).to_have_text("Mire su correo")
    page.goto("/login/")
    page.get_by_label("Su correo").fill(EMAIL)
    page.locator("main").get_by_label("Su contraseña").fill(PASSWORD)
    page.locator("main").get_by_label("Su contraseña").press("Enter")
    expect(page).to_have_url("/onboarding/safety/")
    expect(page.locator("h1")).to_have_text("Primero, unas preguntas para ver si es seguro")
    patient = Patient.objects.get(user__username=EMAIL)
    assert patient.language == "es"

    page.get_by_text("Menú").click()  # on a phone the language switch is in the menu
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url("/onboarding/safety/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("First, some safety questions")
    patient.refresh_from_db()
    assert patient.language == "en"
