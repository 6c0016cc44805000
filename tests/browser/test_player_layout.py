"""The player is a full-screen mode that fits every screen: in every state of a whole
session, at eight window sizes (phones upright and on their side, tablets both ways), in
English and Spanish and with the browser's text size doubled, what matters is on screen,
whole, covered by nothing, and nothing scrolls.

What matters: in a timed state the countdown (one role="timer" element with a name), the
instruction, the rep and set counter and "It hurts — stop"; in a question, "I'm ready" or
asking-first state, the question and its answers. On an upright phone the countdown's
digits are at least 96 px. Every size is tried in every state: the window is resized on
each state, as when a phone is turned.

Screenshots of a hold at every size go to docs/screenshots/player-<width>x<height>.png.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from scripts.chromium import CHROMIUM, CHROMIUM_FLAGS
from stenosis_coach.patients.actions import set_language
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.views import player_texts

from .conftest import CLOCK_START, ServerRequests, log_in
from .layout import MIN_TARGET_PX, MIN_TEXT_PX, SMALL_TARGETS, SMALL_TEXT
from .player import get_ready, player_state, stop_the_clock
from .test_step_up_held_back import drive_to_the_new_screens, stepped_up_with_the_tilt_at_target

SIZES = [
    (320, 568),
    (360, 640),
    (375, 667),
    (390, 844),
    (412, 915),
    (844, 390),
    (768, 1024),
    (1024, 768),
]
# Fewer sizes for Spanish and for doubled text, to keep the time down: the smallest phone,
# a common one, the phone on its side and a tablet.
SOME_SIZES = [(320, 568), (375, 667), (844, 390), (1024, 768)]
MIN_TIMER_PX = 96
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEFAULT_FONT_PX = 16

# Each thing that must be seen: inside the window, and the topmost thing at each of its
# four corners (moved in past a rounded corner), so nothing covers it and nothing cuts it.
MEASURE = """(selectors) => {
    const problems = [];
    const page = document.documentElement;
    if (page.scrollHeight > innerHeight || page.scrollWidth > innerWidth) {
        problems.push(`the page scrolls: ${page.scrollWidth}x${page.scrollHeight}`);
    }
    for (const selector of selectors) {
        const found = [...document.querySelectorAll(selector)];
        if (found.length === 0) problems.push(`${selector}: not on the page`);
        for (const element of found) {
            const name = `${selector} "${element.textContent.trim().slice(0, 30)}"`;
            if (!element.checkVisibility()) { problems.push(`${name}: hidden`); continue; }
            const box = element.getBoundingClientRect();
            if (box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight) {
                problems.push(`${name}: outside the window (${JSON.stringify(box)})`);
                continue;
            }
            const radius = parseFloat(getComputedStyle(element).borderTopLeftRadius) || 0;
            const inset = Math.max(2, Math.ceil(radius * 0.3) + 1);
            const [left, right] = [box.left + inset, box.right - inset];
            const [top, bottom] = [box.top + inset, box.bottom - inset];
            const corners = [[left, top], [right, top], [left, bottom], [right, bottom]];
            for (const [x, y] of corners) {
                const hit = document.elementFromPoint(x, y);
                if (!hit || !(hit === element || element.contains(hit))) {
                    const what = hit ? `${hit.tagName}#${hit.id}.${hit.className}` : "nothing";
                    const at = `(${Math.round(x)}, ${Math.round(y)})`;
                    problems.push(`${name}: covered at ${at} by ${what}`);
                    break;
                }
            }
        }
    }
    const timer = document.querySelector('[role="timer"]');
    const number = timer?.checkVisibility() ? timer.querySelector(".number") : null;
    return { problems, timerPx: number ? parseFloat(getComputedStyle(number).fontSize) : null };
}"""
# Text under 18 px (layout.py), leaving out the words drawn inside a picture: their size is
# the picture's own and scales with it.
HTML_TEXT = f"""() => {{
    const hidden = [...document.querySelectorAll("svg")].map((svg) => [svg, svg.style.display]);
    hidden.forEach(([svg]) => {{ svg.style.display = "none"; }});
    try {{ return ({SMALL_TEXT})({MIN_TEXT_PX}); }}
    finally {{ hidden.forEach(([svg, display]) => {{ svg.style.display = display; }}); }}
}}"""
TIMER_NAME = """() => [...document.querySelectorAll('[role="timer"]')].map(
    (timer) => [timer.getAttribute("aria-label") || "", timer.checkVisibility()])"""

TIMED = ["#countdown", "#step-text", "#hurt-button", "#pause-button", "#skip-button"]
READY = ["#ready-title", "#ready-button"]
QUESTION = ["#question-title", "#question-answers button"]
# What matters in each state. A timed state with a counter adds it (see check_state).
STATES = {
    "step": TIMED,
    "ready": READY,
    "question": QUESTION,
    "confirm": ["#confirm-title", "#confirm-yes", "#confirm-no"],
    "urgent": ["#urgent-title", "#urgent-call", "#urgent-back"],
    "summary": ["#summary-title", "#summary-today"],
}


class Checker:
    """Checks one state of the player at every size, and keeps what it found."""

    def __init__(self, page: Page, sizes: list[tuple[int, int]], where: str) -> None:
        self.page = page
        self.sizes = sizes
        self.where = where
        self.problems: list[str] = []
        self.states: list[str] = []

    def __call__(self, name: str, *, screenshot: bool = False) -> None:
        page = self.page
        state = player_state(page)
        assert state in STATES, f"{name}: unexpected player state {state}"
        self.states.append(name)
        selectors = list(STATES[state])
        if state == "step" and page.locator("#step-counter").inner_text().strip():
            selectors.append("#step-counter")
        if state == "ready" and page.locator("#controls").is_visible():
            selectors += ["#ready-text", "#hurt-button"]
        for width, height in self.sizes:
            page.set_viewport_size({"width": width, "height": height})
            expect(page.locator("#player")).to_have_attribute("data-fit-for", f"{width}x{height}")
            found = page.evaluate(MEASURE, selectors)
            where = f"{self.where} {width}x{height} {name}"
            self.problems += [f"{where}: {problem}" for problem in found["problems"]]
            self.problems += [f"{where}: text {text}" for text in page.evaluate(HTML_TEXT)]
            targets = page.evaluate(SMALL_TARGETS, MIN_TARGET_PX)
            self.problems += [f"{where}: target {target}" for target in targets]
            if state == "step":
                timers = page.evaluate(TIMER_NAME)
                if [visible for _, visible in timers] != [True] or not timers[0][0]:
                    self.problems.append(f"{where}: not one named timer on show: {timers}")
                upright_phone = width < height and width <= 412
                if upright_phone and (found["timerPx"] or 0) < MIN_TIMER_PX:
                    self.problems.append(f"{where}: countdown digits {found['timerPx']} px")
            if screenshot:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"player-{width}x{height}.png"))

    def assert_fits(self) -> None:
        assert self.problems == [], f"{len(self.problems)} problems:\n" + "\n".join(
            self.problems[:40]
        )


def run_until(page: Page, kind: str, *, step_ms: int = 500, limit_ms: int = 120_000) -> None:
    """Let the clock run until a step of this kind is on screen."""
    played = 0
    while page.locator("#step-panel").get_attribute("data-kind") != kind or (
        player_state(page) != "step"
    ):
        assert played < limit_ms, f"no {kind} step came"
        page.clock.run_for(step_ms)
        played += step_ms


def tap(page: Page, selector: str) -> None:
    page.locator(selector).click()


def answer_nth(page: Page, index: int) -> None:
    page.locator("#question-answers button").nth(index).click()


def drive_a_whole_session(page: Page, check: Checker, texts: dict[str, str]) -> None:
    """Every state of the player, in order, each checked at every size."""
    page.goto("/session/")
    expect(page.locator("#question-title")).to_have_text(texts["leg_pain_question"])
    stop_the_clock(page)
    check("leg pain before")
    answer_nth(page, 4)  # 1 above usual: no advice
    answer_nth(page, 2)
    expect(page.locator("#ready-points li")).not_to_have_count(0)
    check("I'm ready: the briefing")
    tap(page, "#ready-button")
    check("I'm ready: getting down")
    tap(page, "#ready-button")
    expect(page.locator("#controls")).to_be_visible()
    check("I'm ready: lying down for the first exercise")
    tap(page, "#ready-button")
    run_until(page, "move")
    check("move")
    run_until(page, "hold")
    page.clock.run_for(2_000)
    check("hold", screenshot=check.where == "en")
    tap(page, "#pause-button")
    check("paused")
    tap(page, "#pause-button")
    tap(page, "#skip-button")
    check("skip: asking first")
    tap(page, "#confirm-no")
    tap(page, "#urgent-button")
    check("urgent signs")
    tap(page, "#urgent-back")
    tap(page, "#leave-button")
    check("leave: asking first")
    tap(page, "#confirm-no")
    run_until(page, "release")
    check("release")
    run_until(page, "rest")
    check("rest")
    tap(page, "#hurt-button")
    check("it hurts: what happened")
    answer_nth(page, 0)
    check("it hurts: the advice and the choice")
    page.locator("#question-answers button").last.click()  # go on with the next exercise
    run_until(page, "position")
    expect(page.locator("#more-time-button")).to_be_visible()
    check("get ready (with More time)")
    tap(page, "#skip-button")
    tap(page, "#confirm-yes")  # on to the march
    run_until(page, "march")
    check("march")
    run_until(page, "set-break")
    check("set break")
    while player_state(page) != "question":
        page.clock.run_for(5_000)
    check("check-in")
    answer_nth(page, 1)
    tap(page, "#skip-button")
    tap(page, "#confirm-yes")  # the curl-up skipped: child's pose, on hands and knees
    expect(page.locator("#player")).to_have_attribute("data-state", "ready")
    check("I'm ready: onto hands and knees")
    tap(page, "#ready-button")
    while player_state(page) != "question":
        page.clock.run_for(10_000)
    answer_nth(page, 1)
    expect(page.locator("#player")).to_have_attribute("data-state", "ready")
    check("I'm ready: getting up")
    tap(page, "#ready-button")
    check("leg pain after")
    answer_nth(page, 3)
    answer_nth(page, 2)
    expect(page.locator("#question-title")).to_have_text(texts["numbness_title"])
    check("numbness")
    answer_nth(page, 1)
    expect(page.locator("#sync-status")).to_have_text(texts["sent"])
    check("summary")


def test_every_state_fits_every_size_in_english(
    page: Page, context: BrowserContext, live_server: Any, marcher: Patient
) -> None:
    log_in(context, live_server, marcher.user)
    check = Checker(page, SIZES, "en")
    drive_a_whole_session(page, check, player_texts())
    check.assert_fits()
    assert len(check.states) == 23


def test_every_state_fits_in_spanish(
    page: Page, context: BrowserContext, live_server: Any, marcher: Patient
) -> None:
    set_language(marcher, "es")
    log_in(context, live_server, marcher.user)
    with translation.override("es"):
        texts = player_texts()
    check = Checker(page, SOME_SIZES, "es")
    drive_a_whole_session(page, check, texts)
    check.assert_fits()


@pytest.fixture
def big_text(
    chromium: Browser, live_server: Any, server_requests: ServerRequests, tmp_path: Path
) -> Iterator[BrowserContext]:
    """A browser whose own text size is doubled (its settings, not zoom): a profile with a
    default font size of 32 px instead of 16."""
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    preferences = {"webkit": {"webprefs": {"default_font_size": 2 * DEFAULT_FONT_PX}}}
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences))
    # A browser of its own: only a new browser takes a profile.
    context = chromium.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="en-US",
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()
    server_requests.wait_until_idle()


def test_every_state_fits_with_the_text_twice_as_big(
    big_text: BrowserContext, live_server: Any, marcher: Patient
) -> None:
    log_in(big_text, live_server, marcher.user)
    page = big_text.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.install(time=CLOCK_START)
    page.goto("/today/")
    root_px = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert root_px == 2 * 20  # site.css sets 125 %: 20 px normally, 40 px here
    check = Checker(page, SOME_SIZES, "200% text")
    drive_a_whole_session(page, check, player_texts())
    check.assert_fits()
    assert errors == []


NEW_SCREENS = ["held back: an easier dose today", "low back flat: the question"]


@pytest.mark.parametrize(("language", "sizes"), [("en", SIZES), ("es", SOME_SIZES)])
def test_the_held_back_and_low_back_screens_fit(
    page: Page,
    context: BrowserContext,
    live_server: Any,
    alice: Patient,
    language: str,
    sizes: list[tuple[int, int]],
) -> None:
    """The screen that says why a step-up waits, and the question after a pelvic tilt at
    its target (test_step_up_held_back.py), at every size."""
    stepped_up_with_the_tilt_at_target(alice)
    set_language(alice, language)
    log_in(context, live_server, alice.user)
    check = Checker(page, sizes, language)
    drive_to_the_new_screens(page, check)
    check.assert_fits()
    assert check.states == NEW_SCREENS


def test_the_held_back_and_low_back_screens_fit_with_the_text_twice_as_big(
    big_text: BrowserContext, live_server: Any, alice: Patient
) -> None:
    stepped_up_with_the_tilt_at_target(alice)
    log_in(big_text, live_server, alice.user)
    page = big_text.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.install(time=CLOCK_START)
    check = Checker(page, SOME_SIZES, "200% text")
    drive_to_the_new_screens(page, check)
    check.assert_fits()
    assert check.states == NEW_SCREENS
    assert errors == []


@pytest.mark.parametrize("size", [(320, 568), (375, 667), (412, 915)])
def test_the_site_header_is_one_row_and_start_is_on_screen(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient, size: tuple[int, int]
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto("/today/")
    brand = page.locator("header .brand").bounding_box()
    menu = page.get_by_text("Menu", exact=True).bounding_box()
    assert brand is not None
    assert menu is not None
    assert abs(brand["y"] - menu["y"]) < brand["height"]  # side by side: one row
    header = page.locator("header").bounding_box()
    assert header is not None
    assert header["height"] <= 80
    expect(page.get_by_role("link", name="Start", exact=True)).to_be_in_viewport(ratio=1)
    # The links and the language switch are one tap away.
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("link", name="History")).to_be_visible()
    expect(page.get_by_role("button", name="Español")).to_be_visible()
