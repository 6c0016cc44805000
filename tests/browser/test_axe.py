"""Every page a patient can reach passes the accessibility gate (axe.py: axe-core, then
text size, targets, focus rings and zoom), in English and in Spanish, and in the dark colour
scheme (the player's states are checked in test_player_screens.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from stenosis_coach.outcomes.actions import record_walking_test, start_function_tracking
from stenosis_coach.patients.actions import record_screening, sign_up
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import record_session
from stenosis_coach.practice.uploads import parse_session_upload
from stenosis_coach.programme import red_flag_questions
from tests.conftest import session_payload

from .axe import assert_accessible
from .conftest import log_in
from .player import get_ready

PUBLIC_PAGES = [
    "/",
    "/login/",
    "/signup/",
    "/password-reset/",
    "/figures/",
    "/urgent/",
    "/offline/",
    "/no-such-page/",
]
PATIENT_PAGES = [
    "/today/",
    "/progress/",
    "/progress/numbers/pain/",
    "/progress/check/",
    "/walk/",
    "/history/",
    "/my-data/",
    "/my-data/delete/",
    "/check/",
    "/urgent/",
    "/settings/",
    "/offline/",
]
ONBOARDING_STEPS = ["safety", "diagnosis", "pain", "walking", "activities", "time"]
LANGUAGES = ["en", "es"]
# Each language in the light scheme, and English in the dark one too (the colours change).
LOOKS = [("en", "light"), ("es", "light"), ("en", "dark")]


def in_language(context: BrowserContext, live_server: Any, language: str) -> None:
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]  # type: ignore[list-item]
    )


@pytest.mark.parametrize(("language", "scheme"), LOOKS)
def test_public_pages(
    page: Page, context: BrowserContext, live_server: Any, language: str, scheme: Any
) -> None:
    in_language(context, live_server, language)
    page.emulate_media(color_scheme=scheme)
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert_accessible(page, f"{path} ({language}, {scheme})")
    page.goto("/signup/")
    page.locator("form[novalidate] button[type=submit]").last.click()  # empty: every error
    assert_accessible(page, f"/signup/ with errors ({language})")


@pytest.mark.parametrize("language", LANGUAGES)
def test_onboarding_pages(
    page: Page, context: BrowserContext, live_server: Any, db: None, language: str
) -> None:
    newcomer = sign_up("new@example.org", "unused-New-pw-1")
    newcomer.language = language
    newcomer.save()
    in_language(context, live_server, language)
    log_in(context, live_server, newcomer.user)
    for step in ONBOARDING_STEPS:
        page.goto(f"/onboarding/{step}/")
        assert_accessible(page, f"onboarding {step} ({language})")
        page.locator("form[novalidate] button[type=submit]").last.click()  # errors, if any
        assert_accessible(page, f"onboarding {step} after an empty answer ({language})")
        newcomer.screenings.all().delete()  # an empty safety form stores nothing; be sure


@pytest.mark.parametrize(("language", "scheme"), LOOKS)
def test_patient_pages(
    page: Page,
    context: BrowserContext,
    live_server: Any,
    alice: Patient,
    language: str,
    scheme: Any,
) -> None:
    get_ready(alice)
    alice.language = language
    alice.save()
    record_walking_test(alice, minutes=Decimal(9), stopped_by_symptoms=True)
    start_function_tracking(alice, [("Standing to cook", 4)])
    for days_ago in (3, 2, 1):
        payload = session_payload(alice, days_ago=days_ago)
        record_session(alice, parse_session_upload(payload))
    alice.walking_tests.update(taken_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8))
    in_language(context, live_server, language)
    log_in(context, live_server, alice.user)
    page.emulate_media(color_scheme=scheme)
    session = alice.sessions.order_by("-started_at").first()
    assert session is not None
    for path in [*PATIENT_PAGES, f"/history/{session.uuid}/"]:
        page.goto(path)
        assert_accessible(page, f"{path} ({language}, {scheme})")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_red_flag_advice_page(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient, language: str
) -> None:
    """The advice with its call button, the doctor's check left unticked, then the questions
    again, and the urgent advice while on hold."""
    alice.language = language
    alice.save()
    record_screening(alice, {q.id: q.id == "bladder" for q in red_flag_questions()})
    in_language(context, live_server, language)
    log_in(context, live_server, alice.user)
    page.goto("/check/result/")
    assert_accessible(page, f"/check/result/ ({language})")
    page.goto("/urgent/")
    assert_accessible(page, f"/urgent/ on hold ({language})")
    page.goto("/check/result/")
    page.locator("form[novalidate] button[type=submit]").last.click()  # the box not ticked
    assert_accessible(page, f"/check/result/ with its error ({language})")
    page.locator("input[name=doctor_checked]").check()
    page.locator("form[novalidate] button[type=submit]").last.click()
    page.wait_for_url("**/check/")
    assert_accessible(page, f"/check/ after a doctor's check ({language})")


def test_a_page_with_a_missing_label_fails_the_gate(page: Page, live_server: Any) -> None:
    """The gate can fail: an input without a label is caught."""
    page.goto("/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page, "a broken page")


BROKEN_LAYOUTS = {
    "text under 18px": "<p style='font-size: 14px'>Small print</p>",
    "targets under 48x48px": "<button style='min-height: 0; padding: 0'>x</button>",
    "no visible focus": "<button class='button' style='outline: none'>No ring</button>",
    "scrolls sideways": "<div style='width: 600px'>Too wide</div>",
}


# The page's Content-Security-Policy refuses style attributes in markup, so the element goes
# in without one and gets its style through the CSSOM, which the policy allows.
ADD_STYLED_ELEMENT = """(html) => {
  const css = html.match(/ style='([^']*)'/)[1];
  const main = document.querySelector("main");
  main.insertAdjacentHTML("beforeend", html.replace(/ style='[^']*'/, ""));
  main.lastElementChild.style.cssText = css;
}"""


@pytest.mark.parametrize("problem", BROKEN_LAYOUTS)
def test_a_page_with_a_layout_problem_fails_the_gate(
    page: Page, live_server: Any, problem: str
) -> None:
    """The layout checks can fail: each problem, put into a page that passes, is caught."""
    page.goto("/")
    assert_accessible(page, "the front page as it is")
    page.evaluate(ADD_STYLED_ELEMENT, BROKEN_LAYOUTS[problem])
    with pytest.raises(AssertionError, match=problem):
        assert_accessible(page, "a broken page")
