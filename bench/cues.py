"""How close to its planned time each cue of a session comes, in real time.

A demo patient (scripts/demo_server.py) plays a session in headless Chromium with no fake
clock: the page's own timers, its real speech engine (none speaks in a headless browser, but
each cue is still handed to it) and its layout. The player records, with ?cue-times in its
address (player.js), each timed step's planned offset and the session time when the step
was on screen (its words written, the layout done) and when its cue was handed to the
voice. The taps the patient gives (the pain questions, "I'm ready", "No" at each check-in)
are real taps from Playwright; the first of them wakes the speech engine and the sound, as
for a patient.

Before the measured run the page is loaded once and left (the service worker fills its
cache, the server warms up), then the session starts again. The run is bounded: by default
the first 4 minutes of session time (or the whole session, if shorter); set
BENCH_CUES_MINUTES (or --minutes) for longer, 0 for the whole session.

Prints the cue error (the later of "shown" and "spoken", less the planned offset) by minute
of session time and overall, in ms: p50, p99 and max, against the aim (p99 <= 20 ms, max
<= 50 ms from the first cue on), and the error of the next animation frame for comparison
(a frame is up to 16.7 ms after the words, at 60 frames a second). Nothing is asserted.
Run with `make bench`, or `.venv/bin/python bench/cues.py`.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Page, sync_playwright

from scripts.chromium import CHROMIUM, CHROMIUM_FLAGS, PHONE
from scripts.demo_server import EMAIL, PASSWORD, demo_server

AIM_P99_MS = 20
AIM_MAX_MS = 50
POLL_S = 0.25  # how often the script looks for something to tap (a real tap, from outside)
TAP_DELAY_S = 0.4  # a patient is never instant


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label("Your email").fill(EMAIL)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/today/")


def state(page: Page) -> str:
    return page.locator("#player").get_attribute("data-state") or ""


def question(page: Page) -> str:
    return page.locator('[data-screen="question"]').get_attribute("data-question") or ""


def answer_pain(page: Page) -> None:
    for answer in (3, 2):  # leg pain, then back pain, before the session
        page.locator("#question-answers button").nth(answer).wait_for()
        time.sleep(TAP_DELAY_S)
        page.locator("#question-answers button").nth(answer).click()


def session_ms(page: Page) -> float:
    """Planned offset of the latest timed step recorded, or 0 before the first."""
    return float(page.evaluate("(window.cueTimes ?? []).at(-1)?.planned ?? 0"))


def play(page: Page, base: str, minutes: float) -> list[dict[str, Any]]:
    """A session in real time until `minutes` of session time have passed (0: all of it)."""
    page.goto(base + "/session/?cue-times")
    answer_pain(page)
    limit_ms = minutes * 60_000
    while True:
        now = state(page)
        if now == "ready":
            time.sleep(TAP_DELAY_S)
            page.locator("#ready-button").click()
        elif now == "question":
            which = question(page)
            if which in ("check-in", "back-flat"):
                time.sleep(TAP_DELAY_S)
                page.locator("#question-answers button").last.click()  # "No"
            elif which == "gentle":
                page.locator("#question-answers button").last.click()  # all my exercises
            elif which not in ("leg-pain-before", "back-pain-before"):
                break  # the questions at the end: the session is over
        elif now not in ("step", "loading"):
            break
        if limit_ms and session_ms(page) >= limit_ms:
            break
        time.sleep(POLL_S)
    return list(page.evaluate("window.cueTimes"))


def row(name: str, errors: list[float], frames: list[float], missed: int) -> str:
    if not errors:
        return f"{name:>8}  {'-':>5}"
    p50, p99, worst = (percentile(errors, 0.5), percentile(errors, 0.99), max(errors))
    meets = "yes" if p99 <= AIM_P99_MS and worst <= AIM_MAX_MS else "NO"
    frame = f"{percentile(frames, 0.5):6.1f} {max(frames):6.1f}" if frames else "     -      -"
    return (
        f"{name:>8}  {len(errors):5d}  {p50:6.1f}  {p99:6.1f}  {worst:6.1f}  {missed:6d}"
        f"  {meets:>4}   {frame}"
    )


def report(cues: list[dict[str, Any]]) -> None:
    if not cues:
        print("No timed step was recorded.")
        return
    first = cues[0]["planned"]
    by_minute: dict[int, list[dict[str, Any]]] = {}
    for cue in cues:
        by_minute.setdefault(int((cue["planned"] - first) // 60_000) + 1, []).append(cue)

    def figures(group: list[dict[str, Any]]) -> tuple[list[float], list[float], int]:
        errors, frames, missed = [], [], 0
        for cue in group:
            if cue["shown"] is None:
                missed += 1
                continue
            late = [cue["shown"]] + ([cue["spoken"]] if cue["spoken"] is not None else [])
            errors.append(max(abs(at - cue["planned"]) for at in late))
            if cue["frame"] is not None:
                frames.append(cue["frame"] - cue["planned"])
        return errors, frames, missed

    spoken = sum(cue["spoken"] is not None for cue in cues)
    print(f"{len(cues)} timed steps, {spoken} cues handed to the voice.")
    print(f"Aim: p99 <= {AIM_P99_MS} ms and max <= {AIM_MAX_MS} ms, from the first cue on.")
    print()
    print("  minute  steps     p50     p99     max  missed  aim?   frame p50/max")
    for minute, group in sorted(by_minute.items()):
        print(row(str(minute), *figures(group)))
    print(row("all", *figures(cues)))
    print()
    print("The latest five (step, kind, planned; then ms late: the timer woke, on screen, to")
    print("the voice, the next frame):")

    def late(cue: dict[str, Any]) -> float:
        times = [cue[key] for key in ("shown", "spoken") if cue[key] is not None]
        return max(times, default=math.inf) - cue["planned"]

    for cue in sorted(cues, key=late, reverse=True)[:5]:
        after = [
            "-" if cue.get(key) is None else f"{cue[key] - cue['planned']:.1f}"
            for key in ("woke", "shown", "spoken", "frame")
        ]
        print(f"  {cue['index']:4d} {cue['kind']:<10} {cue['planned']:>8} ms  " + "  ".join(after))
    print()
    print(
        "Error: the later of 'on screen' and 'handed to the voice', less the planned offset,"
        " in ms of session time (minutes of session time: the clock waits at check-ins and"
        " changes of position). missed: steps a late timer passed over. frame: the next"
        " animation frame, for comparison."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = float(os.environ.get("BENCH_CUES_MINUTES", "4"))
    parser.add_argument("--minutes", type=float, default=default, help="0: the whole session")
    minutes = parser.parse_args().minutes
    print(f"Cue timing in real time: {minutes or 'the whole'} minutes of session, in Chromium.")
    with demo_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(base_url=base, viewport=PHONE, locale="en-US")
        page = context.new_page()
        page.on("pageerror", lambda error: print("script error on the page:", error))
        log_in(page, base)
        # Warm-up: the player once (the service worker fills its cache meanwhile), then left.
        page.goto(base + "/session/")
        page.locator("#question-answers button").first.wait_for()
        page.evaluate("navigator.serviceWorker?.ready.then(() => true)")
        time.sleep(2)
        started = time.monotonic()
        cues = play(page, base, minutes)
        print(f"Played for {time.monotonic() - started:.0f} s of wall time.")
        browser.close()
    report(cues)


if __name__ == "__main__":
    main()
