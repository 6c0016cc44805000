"""A step-up waits when leg pain is higher than at the start of last time, and the pelvic
tilt at its target asks whether the low back stayed flat (issue 10, items 11 and 12).

- Leg pain now above leg pain before the last session: the exercise whose step-up has not
  been played yet plays at its earlier dose, after one screen that shows and says why, and
  the upload records the dose played. Pain the same or lower: the new dose. Offline too.
- After a pelvic tilt at its target while the march is locked: "Could you keep your low back
  pressed flat the whole time?", Yes or No, kept with the tilt's result.

Set SCREENSHOTS=/some/folder to keep pictures of the new screens at four sizes.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription, record_session
from stenosis_coach.practice.models import ExerciseResult, SessionRecord
from stenosis_coach.practice.uploads import parse_session_upload
from stenosis_coach.programme import Dose, load_catalogue
from tests.conftest import session_payload

from .conftest import log_in, wait_for_service_worker
from .layout import MIN_TARGET_PX
from .player import (
    TEXTS,
    answer,
    answer_check_in,
    answer_pain,
    finish,
    get_ready,
    open_player,
    play_until_question,
    play_whole_session,
    player_state,
    start_exercises,
    stop_the_clock,
    tap_ready,
)

CATALOGUE = load_catalogue()
KNEES_BEFORE = Dose(reps=4, hold_seconds=10)  # the dose before the step-up
KNEES_NEW = Dose(reps=4, hold_seconds=15)  # the step-up, not played yet
TILT_TARGET = Dose(reps=10, hold_seconds=10)
LAST_LEG_PAIN = 3
HELD_BACK_TITLE = CATALOGUE.message("held_back_title")
WHY = (
    "Your leg pain is higher than at the start of last time. "
    "So today you do the easier dose of Knees to chest."
)
BACK_FLAT = "Could you keep your low back pressed flat the whole time?"
SCREEN_SIZES = [(320, 568), (375, 667), (390, 844), (768, 1024)]
# What the page asks the browser to say (there is no voice in a headless browser).
RECORD_SPEECH = """
window.spoken = [];
speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text);
speechSynthesis.cancel = () => {};
"""


def session_last_time(patient: Patient, leg_before: int = LAST_LEG_PAIN) -> None:
    """A session yesterday that started with this leg pain."""
    payload = session_payload(patient, days_ago=1, leg_before=leg_before)
    record_session(patient, parse_session_upload(payload))


def set_item(patient: Patient, exercise_id: str, **fields: Any) -> None:
    """Change one exercise of the current prescription version in place."""
    item = current_prescription(patient).items.get(exercise_id=exercise_id)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()


def knees_stepped_up(patient: Patient) -> Patient:
    """Ready, with a session yesterday (leg pain 3 before it), and knees to chest stepped up
    from 4 x 10 s to 4 x 15 s, not played yet (as the engine leaves it)."""
    get_ready(patient, usual_leg_pain=3)
    session_last_time(patient)
    set_item(patient, "back-flexion", **KNEES_NEW.to_dict(), step_up_from=KNEES_BEFORE.to_dict())
    return patient


def tilt_at_target(patient: Patient) -> None:
    """The pelvic tilt at its target, the march still locked waiting for it."""
    set_item(patient, "pelvic-tilt", **TILT_TARGET.to_dict())
    assert current_prescription(patient).items.get(exercise_id="hook-lying-march").locked


def stepped_up_with_the_tilt_at_target(patient: Patient) -> Patient:
    """Both new screens in one session: knees to chest held back, the tilt at its target."""
    knees_stepped_up(patient)
    tilt_at_target(patient)
    return patient


def drive_to_the_new_screens(page: Page, check: Callable[[str], None]) -> None:
    """For the layout and accessibility gates: open the player (in any language) with leg
    pain above last time, check the held-back screen, play to the pelvic tilt's second
    check-in and check it. The patient is stepped_up_with_the_tilt_at_target."""
    question = page.locator('[data-screen="question"]')
    answers = page.locator("#question-answers button")
    page.goto("/session/")
    expect(question).to_have_attribute("data-question", "leg-pain-before")
    stop_the_clock(page)
    answers.nth(LAST_LEG_PAIN + 2).click()
    expect(question).to_have_attribute("data-question", "back-pain-before")
    answers.nth(2).click()
    expect(page.locator("#ready-points li")).to_have_count(2)
    check("held back: an easier dose today")
    tap_ready(page)
    start_exercises(page)
    for _ in range(2):  # knees to chest, then the pelvic tilt: "no, not worse"
        play_until_question(page)
        expect(question).to_have_attribute("data-question", "check-in")
        answers.nth(1).click()
    expect(question).to_have_attribute("data-question", "back-flat")
    check("low back flat: the question")


def keep_uploads(page: Page) -> list[dict[str, Any]]:
    """Every session upload the page sends, as JSON (seen by the browser, so those the
    service worker passes on count too)."""
    sent: list[dict[str, Any]] = []

    def seen(request: Request) -> None:
        if request.url.endswith("/api/sessions/") and request.method == "POST":
            sent.append(json.loads(request.post_data or "{}"))

    page.context.on("request", seen)
    return sent


def wait_until_stored(page: Page, sessions: int, seconds: float = 10) -> None:
    """Until the server holds this many sessions (the summary's words are not the test)."""
    deadline = time.monotonic() + seconds
    while SessionRecord.objects.count() < sessions:
        assert time.monotonic() < deadline, "the session was never stored"
        time.sleep(0.05)
    page.evaluate("0")  # Playwright hands over the page's events (the uploads seen) now


def stored_results() -> dict[str, ExerciseResult]:
    record = SessionRecord.objects.order_by("-started_at").first()
    assert record is not None
    return {result.exercise_id: result for result in record.results.all()}


def first_hold_seconds(page: Page) -> int:
    """The countdown just after the first hold starts (the move before it is 4 s)."""
    page.clock.run_for(4_500)
    expect(page.locator("#step-panel")).to_have_attribute("data-kind", "hold")
    return int(page.locator("#countdown-number").inner_text())


def keep_screenshots(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, height in SCREEN_SIZES:
        page.set_viewport_size({"width": width, "height": height})
        expect(page.locator("#player")).to_have_attribute("data-fit-for", f"{width}x{height}")
        page.screenshot(path=str(Path(folder) / f"{name}-{width}x{height}.png"))
    page.set_viewport_size({"width": 390, "height": 844})


# --- Item 11: the step-up waits when leg pain is higher ------------------------------------


def test_leg_pain_higher_than_last_time_plays_the_earlier_dose_and_says_why(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    knees_stepped_up(alice)
    page.add_init_script(RECORD_SPEECH)
    uploads = keep_uploads(page)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=LAST_LEG_PAIN + 2, back=2)

    expect(page.locator("#ready-title")).to_have_text(HELD_BACK_TITLE)
    points = page.locator("#ready-points li")
    expect(points).to_have_text([WHY, "Knees to chest: 4 times, hold 10 seconds"])
    expect(page.locator("#ready-points li").first).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.spoken").count(f"{WHY} Tap the screen when you are ready.") == 1
    keep_screenshots(page, "held-back")
    tap_ready(page)
    expect(page.locator("#ready-title")).to_have_text("Get down onto the mat")
    start_exercises(page)
    assert first_hold_seconds(page) == 10

    play_whole_session(page, exercises=4)
    finish(page)
    wait_until_stored(page, sessions=2)
    (upload,) = uploads
    doses = {result["exercise_id"]: result["dose"] for result in upload["results"]}
    assert doses["back-flexion"] == KNEES_BEFORE.to_dict()
    assert doses["pelvic-tilt"] == Dose(reps=8, hold_seconds=10).to_dict()
    assert stored_results()["back-flexion"].dose == KNEES_BEFORE


@pytest.mark.parametrize("leg", [LAST_LEG_PAIN, LAST_LEG_PAIN - 1])
def test_leg_pain_the_same_or_lower_plays_the_new_dose(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient, leg: int
) -> None:
    knees_stepped_up(alice)
    uploads = keep_uploads(page)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=leg, back=2)
    expect(page.locator("#ready-title")).to_have_text("Get down onto the mat")  # no why
    start_exercises(page)
    assert first_hold_seconds(page) == 15

    play_whole_session(page, exercises=4)
    finish(page)
    wait_until_stored(page, sessions=2)
    (upload,) = uploads
    assert upload["results"][0]["dose"] == KNEES_NEW.to_dict()
    assert stored_results()["back-flexion"].dose == KNEES_NEW


def test_with_no_session_before_the_new_dose_plays(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """Nothing to compare with (no leg pain from last time): the dose as prescribed."""
    get_ready(alice, usual_leg_pain=3)
    set_item(alice, "back-flexion", **KNEES_NEW.to_dict(), step_up_from=KNEES_BEFORE.to_dict())
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=5, back=2)
    expect(page.locator("#ready-title")).to_have_text("Before your first session")
    tap_ready(page)
    expect(page.locator("#ready-title")).to_have_text("Get down onto the mat")
    start_exercises(page)
    assert first_hold_seconds(page) == 15


def test_the_step_up_is_held_back_offline_too(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    knees_stepped_up(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    wait_for_service_worker(page)  # the plan is kept
    page.wait_for_function(
        "caches.open('personal').then((cache) => cache.match('/api/plan/'))"
        ".then((kept) => Boolean(kept))",
        polling=100,
    )

    context.set_offline(True)
    page.get_by_role("link", name="Start", exact=True).click()
    expect(page.locator("#question-title")).to_have_text(TEXTS["leg_pain_question"])
    stop_the_clock(page)
    answer_pain(page, leg=LAST_LEG_PAIN + 1, back=2)
    expect(page.locator("#ready-title")).to_have_text(HELD_BACK_TITLE)
    expect(page.locator("#ready-points li").first).to_have_text(WHY)
    tap_ready(page)
    start_exercises(page)
    assert first_hold_seconds(page) == 10
    play_whole_session(page, exercises=4)
    finish(page)
    assert SessionRecord.objects.count() == 1  # only yesterday's: today's waits on the device

    context.set_offline(False)
    wait_until_stored(page, sessions=2)
    assert stored_results()["back-flexion"].dose == KNEES_BEFORE


# --- Item 12: could you keep your low back pressed flat? ------------------------------------


def play_to_the_tilts_check_in(page: Page) -> None:
    """From the pain questions through knees to chest to the pelvic tilt's check-in."""
    start_exercises(page)
    play_until_question(page)
    answer_check_in(page)  # knees to chest
    play_until_question(page)
    expect(page.locator("#question-context")).to_have_text("Pelvic tilt")


@pytest.mark.parametrize("kept_flat", [True, False])
def test_the_tilt_at_its_target_asks_about_the_low_back_and_keeps_the_answer(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient, kept_flat: bool
) -> None:
    get_ready(alice)
    tilt_at_target(alice)
    page.add_init_script(RECORD_SPEECH)
    uploads = keep_uploads(page)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    play_to_the_tilts_check_in(page)
    answer_check_in(page, worse=False)

    expect(page.locator("#question-title")).to_have_text(BACK_FLAT)
    expect(page.locator("#question-context")).to_have_text("Pelvic tilt")
    buttons = page.locator("#question-answers button")
    expect(buttons).to_have_text([TEXTS["yes"], TEXTS["no"]])
    for index in range(2):
        box = buttons.nth(index).bounding_box()
        assert box is not None
        assert box["width"] >= MIN_TARGET_PX
        assert box["height"] >= MIN_TARGET_PX
        expect(buttons.nth(index)).to_be_in_viewport(ratio=1)
    assert f"{BACK_FLAT} Tap yes or no." in page.evaluate("window.spoken")
    keep_screenshots(page, "back-flat")
    answer(page, TEXTS["yes"] if kept_flat else TEXTS["no"])

    expect(page.locator("#exercise-name")).to_have_text("Curl-up")  # on to the next one
    play_whole_session(page, exercises=2)
    finish(page)
    wait_until_stored(page, sessions=1)
    (upload,) = uploads
    flags = {result["exercise_id"]: result.get("kept_back_flat") for result in upload["results"]}
    assert flags == {
        "back-flexion": None,
        "pelvic-tilt": kept_flat,
        "curl-up": None,
        "childs-pose": None,
    }
    stored = stored_results()
    assert stored["pelvic-tilt"].kept_back_flat is kept_flat
    assert stored["back-flexion"].kept_back_flat is None


def test_after_yes_worse_the_low_back_is_not_asked(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    tilt_at_target(alice)
    uploads = keep_uploads(page)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    play_to_the_tilts_check_in(page)
    answer_check_in(page, worse=True)
    expect(page.locator("#exercise-name")).to_have_text("Curl-up")
    assert player_state(page) == "step"
    play_whole_session(page, exercises=2)
    finish(page)
    wait_until_stored(page, sessions=1)
    tilt = next(r for r in uploads[0]["results"] if r["exercise_id"] == "pelvic-tilt")
    assert tilt.get("kept_back_flat") is None
    assert stored_results()["pelvic-tilt"].kept_back_flat is None


def test_a_tilt_below_its_target_is_not_asked_about_the_low_back(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    play_to_the_tilts_check_in(page)
    answer_check_in(page, worse=False)
    expect(page.locator("#exercise-name")).to_have_text("Curl-up")
    assert player_state(page) == "step"
