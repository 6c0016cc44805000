"""The accessibility gate for one page: axe-core (shipped inside the axe-playwright-python
wheel, so it works offline) run in the page, then what axe does not measure (layout.py).
Any problem fails the test, named with its rule and where it is."""

from __future__ import annotations

import time
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from .layout import layout_problems

AXE_SCRIPT = Axe().axe_script
START = """() => {
    window.axeViolations = null;
    axe.run(document, { resultTypes: ["violations"] })
        .then((results) => { window.axeViolations = results.violations; });
}"""
PATIENCE_S = 30


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core without waiting on the page's own timers: the tests hold the page's clock
    still, and axe works in small timer steps, so each check moves that clock on by 1 ms."""
    page.evaluate(AXE_SCRIPT)
    page.evaluate(START)
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        found = page.evaluate("window.axeViolations")
        if found is not None:
            return list(found)
        page.clock.run_for(1)
    raise AssertionError("axe-core did not finish")


def assert_accessible(page: Page, where: str) -> None:
    found = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in axe_violations(page)
    ]
    found += layout_problems(page)
    assert found == [], f"{where}: {len(found)} accessibility problems:\n" + "\n".join(found)
