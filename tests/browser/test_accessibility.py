"""The player with the keyboard alone, with a screen reader, and with less motion."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import SessionRecord

from .conftest import log_in
from .keyboard import choose, press, tab_to, type_into
from .player import (
    CHECK_IN,
    EMAIL,
    PASSWORD,
    TEXTS,
    get_ready,
    open_player,
    player_state,
    start_exercises,
    stop_the_clock,
)

# Keep every text the live region is given, with the page's time.
RECORD_ANNOUNCEMENTS = """
window.announced = [];
document.addEventListener("DOMContentLoaded", () => {
    const region = document.getElementById("announcer");
    if (!region) return;
    new MutationObserver(() => {
        if (region.textContent) window.announced.push([region.textContent, performance.now()]);
    }).observe(region, { childList: true, characterData: true, subtree: true });
});
"""


def focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement.textContent.trim()"))


def test_a_whole_exercise_with_the_keyboard_alone(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    assert focused(page) == TEXTS["leg_pain_question"]  # focus starts on the question
    for _ in range(4):
        page.keyboard.press("Tab")
    assert focused(page) == "3"
    page.keyboard.press("Enter")
    expect(page.locator("#question-title")).to_have_text(TEXTS["back_pain_question"])
    assert focused(page) == TEXTS["back_pain_question"]
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(3):  # the briefing, getting down, lying down: Enter says "I'm ready"
        expect(page.locator("#ready-title")).to_be_focused()
        page.keyboard.press("Enter")
    expect(page.locator("#exercise-name")).to_be_focused()

    page.keyboard.press("Tab")
    assert focused(page) == TEXTS["hurt"]  # the most important control comes first
    page.keyboard.press("Tab")
    assert focused(page) == TEXTS["pause"]
    page.keyboard.press("Enter")
    expect(page.locator("#paused-note")).to_be_visible()
    assert focused(page) == TEXTS["resume"]
    page.keyboard.press("Enter")
    page.clock.run_for(100_000)
    expect(page.locator("#question-title")).to_have_text(CHECK_IN)
    expect(page.locator("#question-title")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == TEXTS["no"]
    page.keyboard.press("Enter")
    expect(page.locator("#exercise-name")).to_have_text("Pelvic tilt")
    expect(page.locator("#exercise-name")).to_be_focused()


def test_sign_up_get_started_and_do_a_session_with_the_keyboard_alone(page: Page) -> None:
    """No click, no tap: Tab, arrows, Space, Enter and typing, from sign-up to the summary."""
    page.goto("/signup/")
    type_into(page, "Your email", EMAIL)
    type_into(page, "Make a password", PASSWORD)
    type_into(page, "Type the password again", PASSWORD)
    press(page, "Make my account")
    expect(page).to_have_url("/signup/sent/")
    press(page, "Log in")
    expect(page).to_have_url(re.compile(r"/login/"))
    type_into(page, "Your email", EMAIL)
    type_into(page, "Your password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url("/onboarding/safety/")
    for question in page.locator("legend").all_text_contents():
        choose(page, " ".join(question.split()), "No")
    press(page, "Next")
    expect(page).to_have_url("/onboarding/diagnosis/")
    choose(page, page.locator("legend").first.inner_text().strip(), "Yes")
    press(page, "Next")
    expect(page).to_have_url("/onboarding/pain/")
    choose(page, "How bad is the pain in your leg right now?", "4")
    choose(page, "How bad is the pain in your back right now?", "3")
    press(page, "Next")
    expect(page).to_have_url("/onboarding/walking/")
    type_into(page, "How many minutes can you walk before your leg makes you stop?", "10")
    press(page, "Next")
    expect(page).to_have_url("/onboarding/activities/")
    type_into(page, "Activity 1", "Walking to the shop")
    choose(page, "How well can you do activity 1 now?", "4")
    press(page, "Next")
    expect(page).to_have_url("/onboarding/time/")
    choose(page, "When would you like to do your exercises each day?", "In the morning")
    press(page, "Finish")
    expect(page).to_have_url("/today/")

    press(page, "Start")
    expect(page.locator("#question-title")).to_have_text(TEXTS["leg_pain_question"])
    stop_the_clock(page)
    press(page, "4")
    expect(page.locator("#question-title")).to_have_text(TEXTS["back_pain_question"])
    press(page, "3")
    for _ in range(4):  # every exercise open to a newcomer, each check-in answered "no"
        while player_state(page) != "question":
            if player_state(page) == "ready":  # a change of position: Enter when ready
                page.keyboard.press("Enter")
            page.clock.run_for(20_000)
        expect(page.locator("#question-title")).to_have_text(CHECK_IN)
        press(page, TEXTS["no"])
    expect(page.locator("#ready-title")).to_be_focused()  # how to get up
    page.keyboard.press("Enter")
    expect(page.locator("#question-context")).to_have_text(TEXTS["after_title"])
    press(page, "3")
    expect(page.locator("#question-title")).to_have_text(TEXTS["back_pain_question"])
    press(page, "2")
    expect(page.locator("#question-title")).to_have_text(TEXTS["numbness_title"])
    press(page, TEXTS["no"])
    expect(page.locator("#summary-title")).to_be_focused()
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    press(page, TEXTS["back_to_today"])
    expect(page).to_have_url("/today/")

    patient = Patient.objects.get(user__username=EMAIL)
    assert patient.onboarded_at is not None
    assert (patient.usual_leg_pain, patient.usual_back_pain) == (4, 3)
    assert patient.usual_walking_minutes == 10
    assert patient.preferred_session_time == dt.time(9, 0)
    scores = [(s.activity.name, s.score) for s in patient.function_checks.get().scores.all()]
    assert scores == [("Walking to the shop", 4)]
    record = SessionRecord.objects.get(patient=patient)
    assert record.results.filter(completed=True).count() == 4
    pain = {c.moment: (c.leg_pain, c.back_pain) for c in record.pain_checkins.all()}
    assert pain == {"before": (4, 3), "after": (3, 2)}


def test_the_time_is_read_out_only_when_it_matters(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    log_in(context, live_server, alice.user)
    open_player(page)
    page.locator("#question-answers button").nth(3).click()
    page.locator("#question-answers button").nth(2).click()
    start_exercises(page)  # no time passes on the screens that wait
    page.clock.run_for(14_500)  # move (4 s), the first hold (10 s)
    announced = [text for text, _at in page.evaluate("window.announced")]
    assert announced == [
        "Slowly pull both knees toward your chest. 4 seconds.",
        "Hold. Breathe slowly. 10 seconds.",
        "5 seconds left.",
        "Now slowly lower your feet to the mat. 4 seconds.",
    ]


def test_with_less_motion_a_new_step_still_shows_but_does_not_move(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.emulate_media(reduced_motion="reduce")
    open_player(page)
    page.locator("#question-answers button").nth(3).click()
    page.locator("#question-answers button").nth(2).click()
    start_exercises(page)
    panel = page.locator("#step-panel")
    expect(panel).to_have_class("step-panel is-new")
    expect(panel).to_have_attribute("data-kind", "move")
    assert panel.evaluate("(element) => getComputedStyle(element).animationName") == "none"


def test_settings_with_the_keyboard_alone(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """The menu's Settings, then no spoken steps and Spanish, by keyboard; then the exercise
    times page, and a new time there."""
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    menu = page.locator("summary.menu-button")
    if menu.count() and menu.is_visible():  # on a phone, the links are behind Menu
        press(page, "Menu")
    press(page, "Settings")
    expect(page).to_have_url("/settings/")
    choose(page, "Language", "Español")
    choose(page, "Do you want to hear each step out loud?", "No")
    press(page, "Save my settings")
    expect(page).to_have_url("/settings/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    now = page.locator(".settings-now").first
    expect(now).to_contain_text("Los pasos no se dicen en voz alta.")
    press(page, "Cambiar sus horas y avisos")
    expect(page).to_have_url("/settings/reminders/")
    tab_to(page, "¿A qué hora quiere hacer sus ejercicios?")
    page.locator(":focus").select_option("12:00")  # the list opens on Enter; a pick from it
    press(page, "Guardar mis horas")
    expect(page).to_have_url("/settings/reminders/")
    expect(page.locator(".settings-now")).to_contain_text("Sus horas: 12:00")
    alice.refresh_from_db()
    assert alice.preferred_session_time == dt.time(12, 0)
    assert (alice.language, alice.voice_on, alice.beeps_on) == ("es", False, True)
