"""Make the README's screenshots of the clinic side from a real running server with a demo
clinic (`demo --clinic`), with Debian's headless Chromium, at a desk's size.

    .venv/bin/python -m scripts.clinic_screenshots
"""

from __future__ import annotations

from playwright.sync_api import Page, sync_playwright

from scripts.chromium import CHROMIUM, CHROMIUM_FLAGS
from scripts.demo_server import demo_server
from scripts.screenshots import OUT, shoot

DESK = {"width": 1280, "height": 1000}


def log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label("Your email").fill(email)
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/clinic/")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    accounts: list[list[str]] = []
    with demo_server(clinic_accounts=accounts) as base, sync_playwright() as playwright:
        therapist = next(line for line in accounts if line[0] == "therapist")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport=DESK)
        log_in(page, base, therapist[1], therapist[2])
        shoot(page, "clinic-caseload")
        page.locator("table a[href*='/clinic/patients/']").first.click()
        page.wait_for_url("**/clinic/patients/*/")
        shoot(page, "clinic-patient")
        page.locator("#prescription").scroll_into_view_if_needed()
        page.locator("#prescription").screenshot(path=str(OUT / "clinic-prescription.png"))
        print("wrote docs/screenshots/clinic-prescription.png")
        page.goto(base + "/clinic/invitations/")
        page.get_by_role("button", name="Make a code to print").click()
        page.wait_for_url("**/print/")
        page.emulate_media(media="print")
        shoot(page, "clinic-invitation")
        browser.close()


if __name__ == "__main__":
    main()
