"""Steps a patient takes in the session player, for the browser tests."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.views import player_texts
from stenosis_coach.programme import red_flag_questions

from .conftest import CLOCK_START

TEXTS = player_texts()
ALL_NO = {question.id: False for question in red_flag_questions()}
CHECK_IN = "Did that make the pain in your leg worse?"
EMAIL = "erin@example.org"
PASSWORD = "Calm-Walk-42-Mat"


def sign_up(page: Page) -> None:
    """Make an account through the form; onboarding starts with the safety questions."""
    page.goto("/signup/")
    page.get_by_label("Your email").fill(EMAIL)
    page.get_by_label("Make a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Make my account").click()
    # Sign-up answers "Check your email" (it never tells whether an e-mail has an account).
    expect(page).to_have_url("/signup/sent/")
    page.locator("main").get_by_role("link", name="Log in").click()
    page.get_by_label("Your email").fill(EMAIL)
    page.get_by_label("Your password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/onboarding/safety/")


def sign_up_and_get_started(page: Page) -> None:
    """Sign up, then answer every onboarding step with ordinary answers."""
    sign_up(page)
    get_started(page)


def get_started(page: Page) -> None:
    """Answer every onboarding step with ordinary answers, from the safety questions on."""
    expect(page).to_have_url("/onboarding/safety/")
    for no in page.get_by_role("radio", name="No").all():
        no.check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Next").click()
    leg = page.get_by_role("group", name="How bad is the pain in your leg right now?")
    leg.get_by_role("radio", name="4", exact=True).check()
    back = page.get_by_role("group", name="How bad is the pain in your back right now?")
    back.get_by_role("radio", name="3", exact=True).check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("How many minutes can you walk").fill("10")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Activity 1", exact=True).fill("Walking to the shop")
    activity = page.get_by_role("group", name="How well can you do activity 1 now?")
    activity.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("radio", name="Morning").check()
    page.get_by_role("button", name="Finish").click()
    expect(page).to_have_url("/today/")


def get_ready(patient: Patient, usual_leg_pain: int = 3) -> Patient:
    """Onboarded, with a clear safety check this week."""
    record_screening(patient, ALL_NO)
    patient.onboarded_at = timezone.now()
    patient.usual_leg_pain = usual_leg_pain
    patient.save()
    return patient


def stop_the_clock(page: Page) -> None:
    """From now on, the page's time moves only when the test runs it."""
    page.clock.pause_at(CLOCK_START + dt.timedelta(minutes=10))


def player_state(page: Page) -> str | None:
    return page.locator("#player").get_attribute("data-state")


def answers(page: Page) -> Any:
    return page.locator("#question-answers button")


def answer_pain(page: Page, leg: int, back: int) -> None:
    expect(page.locator("#question-title")).to_have_text(TEXTS["leg_pain_question"])
    answers(page).nth(leg).click()
    expect(page.locator("#question-title")).to_have_text(TEXTS["back_pain_question"])
    answers(page).nth(back).click()


def open_player(page: Page) -> None:
    """Open the session page, wait for the first question, then take control of time."""
    page.goto("/session/")
    expect(page.locator("#question-title")).to_have_text(TEXTS["leg_pain_question"])
    stop_the_clock(page)


def tap_ready(page: Page) -> None:
    """Say "I'm ready" on a screen that waits for it (the briefing, getting down, a change
    of position, getting up)."""
    expect(page.locator("#player")).to_have_attribute("data-state", "ready")
    page.locator("#ready-button").click()


def start_exercises(page: Page) -> None:
    """From the end of the pain questions to the first timed step: "I'm ready" on each
    screen before it (the briefing, getting down, lying down for the first exercise)."""
    for _ in range(5):
        expect(page.locator("#player")).to_have_attribute("data-state", re.compile("ready|step"))
        if player_state(page) == "step":
            return
        tap_ready(page)
    raise AssertionError("the exercises never started")


def play_until_question(page: Page, *, step_ms: int = 20_000, limit_ms: int = 900_000) -> None:
    """Let the session run until it asks something (the clock then waits for the answer),
    saying "I'm ready" to every change of position on the way."""
    played = 0
    while (state := player_state(page)) != "question":
        assert played < limit_ms, "the session never asked anything"
        if state == "ready":
            tap_ready(page)
            continue
        page.clock.run_for(step_ms)
        played += step_ms


def answer(page: Page, label: str) -> None:
    page.locator("#question-answers").get_by_role("button", name=label, exact=True).click()


def answer_check_in(page: Page, *, worse: bool = False) -> None:
    expect(page.locator("#question-title")).to_have_text(CHECK_IN)
    answer(page, TEXTS["yes"] if worse else TEXTS["no"])


def play_whole_session(page: Page, exercises: int) -> None:
    """Every exercise to its end, each check-in answered "no"."""
    for _ in range(exercises):
        play_until_question(page)
        answer_check_in(page)


def get_up(page: Page) -> None:
    """The screen on getting up, after the last exercise (or stopping for today)."""
    expect(page.locator("#ready-title")).to_have_text(re.compile("."))
    tap_ready(page)


def finish(
    page: Page,
    leg: int = 2,
    back: int = 2,
    *,
    new_leg_symptoms: bool = False,
    title: str = TEXTS["summary_title"],
) -> None:
    """Getting up, the pain questions at the end and the one on new numbness, then the
    summary."""
    if player_state(page) == "ready":
        get_up(page)
    expect(page.locator("#question-context")).to_have_text(TEXTS["after_title"])
    answer_pain(page, leg, back)
    answer_numbness(page, yes=new_leg_symptoms)
    expect(page.locator("#summary-title")).to_have_text(title)


def answer_numbness(page: Page, *, yes: bool = False) -> None:
    expect(page.locator("#question-title")).to_have_text(TEXTS["numbness_title"])
    answer(page, TEXTS["yes"] if yes else TEXTS["no"])
