"""Make the README's screenshots from a real running server, with Debian's headless Chromium.

    .venv/bin/python -m scripts.screenshots

Starts the app on a free port with a throw-away data folder and a demo patient (the `demo`
command), then captures the main screens at a phone size into docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from scripts.chromium import CHROMIUM, CHROMIUM_FLAGS, PHONE
from scripts.demo_server import EMAIL, PASSWORD, demo_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def shoot(page: Page, name: str, *, full_page: bool = False) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
    print(f"wrote docs/screenshots/{name}.png")


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label("Your email").fill(EMAIL)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/today/")


def player_holding(page: Page, base: str) -> None:
    """The player in the middle of the first hold, with the page's clock under control."""
    page.clock.install(time=dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC))
    page.goto(base + "/session/")
    page.clock.pause_at(dt.datetime(2026, 11, 24, 9, 1, tzinfo=dt.UTC))
    for answer in ("3", "2"):  # leg pain, then back pain, before the session
        page.locator("#question-answers button", has_text=answer).first.click()
    expect(page.locator("#player")).to_have_attribute("data-state", "ready")
    while page.locator("#player").get_attribute("data-state") == "ready":
        page.locator("#ready-button").click()  # getting down, lying down: each waits
    page.clock.run_for(10_000)  # past moving into the stretch, into the hold
    # Checked from outside the page: with its clock paused, the page's own polling stands still.
    expect(page.locator("[data-kind]")).to_have_attribute("data-kind", "hold")


def start_session(page: Page, base: str, leg_pain: str) -> None:
    page.clock.install(time=dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC))
    page.goto(base + "/session/")
    page.clock.pause_at(dt.datetime(2026, 11, 24, 9, 1, tzinfo=dt.UTC))
    for answer in (leg_pain, "2"):  # leg pain, then back pain, before the session
        page.locator("#question-answers button", has_text=answer).first.click()


def player_states(page: Page, base: str) -> None:
    """Getting down, the choice after "It hurts", and a day with pain too high."""
    start_session(page, base, "3")
    expect(page.locator("#player")).to_have_attribute("data-state", "ready")
    page.wait_for_timeout(500)  # the picture comes in the background
    shoot(page, "player-get-down")
    page.locator("#ready-button").click()  # getting down
    page.locator("#ready-button").click()  # lying on the back
    page.clock.run_for(10_000)
    page.locator("#hurt-button").click()
    page.locator("#question-answers button").first.click()  # the leg got worse
    shoot(page, "player-after-hurt")
    start_session(page, base, "9")
    page.wait_for_timeout(500)
    shoot(page, "player-rest-day")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        public = browser.new_page(viewport=PHONE)
        public.goto(base + "/")
        shoot(public, "home")
        gallery = browser.new_page(viewport={"width": 1100, "height": 900})
        gallery.goto(base + "/figures/")
        shoot(gallery, "figures", full_page=True)
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        log_in(page, base)
        shoot(page, "today", full_page=True)
        page.goto(base + "/progress/")
        shoot(page, "progress")
        page.goto(base + "/history/")
        shoot(page, "history")
        page.goto(base + "/settings/reminders/")
        shoot(page, "reminders")
        player = context.new_page()
        player_holding(player, base)
        shoot(player, "player")
        states = context.new_page()
        states.set_viewport_size({"width": 375, "height": 667})
        player_states(states, base)
        browser.close()


if __name__ == "__main__":
    main()
