"""Make the README's screenshots from a real running server, with Debian's headless Chromium.

    .venv/bin/python scripts/screenshots.py

Starts the app on a free port with a throw-away data folder and a demo patient (the `demo`
command), then captures the main screens at a phone size into docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 412, "height": 915}
EMAIL, PASSWORD = "demo@example.org", "Screenshot-Demo-42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


@contextmanager
def demo_server() -> Iterator[str]:
    """The app on a free port, with a demo patient, in a data folder that is thrown away."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "DATA_DIR": data_dir}
        command = [sys.executable, "-m", "stenosis_coach"]
        subprocess.run([*command, "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [*command, "demo", "--email", EMAIL, "--password", PASSWORD],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        server = subprocess.Popen(
            [*command, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


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
    page.clock.run_for(20_000)  # past getting into position and moving into the stretch
    # Checked from outside the page: with its clock paused, the page's own polling stands still.
    expect(page.locator("[data-kind]")).to_have_attribute("data-kind", "hold")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
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
        player = context.new_page()
        player_holding(player, base)
        shoot(player, "player")
        browser.close()


if __name__ == "__main__":
    main()
