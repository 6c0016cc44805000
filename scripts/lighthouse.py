"""Lighthouse scores for the main patient pages: `make lighthouse`.

Starts the app with a demo patient (scripts/demo_server.py) and Debian's headless Chromium,
and runs Lighthouse (from the npm registry, pinned in package-lock.json) in that browser on
each page, as a phone on a slow mobile network (Lighthouse's default). For the patient's
pages the browser first logs in through the form, as a patient would: Lighthouse keeps
cookies, so its page (and the service worker) are logged in too. Writes each report, as HTML
and JSON, and a table of the scores into build/lighthouse/, prints the table, and fails when a
page is under our aims: 100 for accessibility, 95 for performance and best practices.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, sync_playwright

from scripts.chromium import CHROMIUM, CHROMIUM_FLAGS
from scripts.demo_server import EMAIL, PASSWORD, demo_server, free_port

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
OUT = ROOT / "build" / "lighthouse"
AIMS = {"performance": 95, "accessibility": 100, "best-practices": 95}
PUBLIC_PAGES = {"home": "/", "sign-up": "/signup/", "log-in": "/login/"}
PATIENT_PAGES = {
    "today": "/today/",
    "session": "/session/",
    "progress": "/progress/",
    "history": "/history/",
    "walk": "/walk/",
    "function-check": "/progress/check/",
    "safety-check": "/check/",
    "my-data": "/my-data/",
}


def log_in(browser: BrowserContext, base: str) -> None:
    page = browser.new_page()
    page.goto(base + "/login/")
    page.get_by_label("Your email").fill(EMAIL)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/today/")
    page.close()


def run_lighthouse(url: str, name: str, port: int) -> dict[str, int]:
    """One page's report, in the browser listening on `port`; returns its scores out of 100
    and prints what cost points."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--port={port}",
        "--quiet",
        "--only-categories=" + ",".join(AIMS),
        "--output=json",
        "--output=html",
        f"--output-path={OUT / name}",
    ]
    subprocess.run(command, check=True, timeout=300)
    report = json.loads((OUT / f"{name}.report.json").read_text())
    scores = {}
    for category in AIMS:
        found = report["categories"][category]
        scores[category] = round(found["score"] * 100)
        for missed in points_missed(report, found):
            print(f"  {name}, {category}: {missed}")
    return scores


def points_missed(report: dict[str, Any], category: dict[str, Any]) -> list[str]:
    """The audits that count towards a category's score and did not get full marks."""
    missed = []
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            missed.append(f"{audit['title']} ({audit.get('displayValue') or audit['score']})")
    return missed


def table(scores: dict[str, dict[str, int]]) -> str:
    header = "| Page | " + " | ".join(category.title() for category in AIMS) + " |"
    rule = "|---" * (len(AIMS) + 1) + "|"
    rows = [
        f"| {name} | " + " | ".join(str(values[category]) for category in AIMS) + " |"
        for name, values in scores.items()
    ]
    return "\n".join([header, rule, *rows])


def short_of_aims(scores: dict[str, dict[str, int]]) -> list[str]:
    return [
        f"{name}: {category} {value} (aim: {AIMS[category]})"
        for name, values in scores.items()
        for category, value in values.items()
        if value < AIMS[category]
    ]


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make lighthouse` (it runs npm ci)")
    OUT.mkdir(parents=True, exist_ok=True)
    scores: dict[str, dict[str, int]] = {}
    port = free_port()
    with (
        demo_server() as base,
        sync_playwright() as playwright,
        tempfile.TemporaryDirectory() as profile,
    ):
        browser = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=[*CHROMIUM_FLAGS, f"--remote-debugging-port={port}"],
        )
        for name, path in PUBLIC_PAGES.items():
            scores[name] = run_lighthouse(base + path, name, port)
        log_in(browser, base)
        for name, path in PATIENT_PAGES.items():
            scores[name] = run_lighthouse(base + path, name, port)
        browser.close()
    summary = table(scores)
    (OUT / "scores.md").write_text(summary + "\n")
    (OUT / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    print(summary)
    print(f"\nReports: {OUT.relative_to(ROOT)}/<page>.report.html")
    short = short_of_aims(scores)
    if short:
        sys.exit("Under our aims:\n  " + "\n  ".join(short))


if __name__ == "__main__":
    main()
