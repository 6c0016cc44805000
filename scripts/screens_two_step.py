"""Screenshots of the two-step sign-in pages and their neighbours, to check them as a person
would: at 320x568, 390x844 and 768x1024, in English and in Spanish, into /tmp/screens/.

    .venv/bin/python -m scripts.screens_two_step

Starts the app with scripts/demo_server.py: a throw-away data folder, a demo patient in
each language and the demo clinic, then drives Debian's headless
Chromium through: the set-up page, the recovery codes, the Settings controls, a wrong
password on them, the code page, the staff page with its reset buttons and the reset's
confirmation, the sign-up "check your e-mail" page, and last (it closes log-in from this
address for 15 minutes) the log-in page after 5 wrong passwords. Each page is also checked
for sideways scrolling and for targets under 48 px, and any found is printed.
"""

from __future__ import annotations

import base64
import hmac
import struct
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from scripts.chromium import CHROMIUM, CHROMIUM_FLAGS
from scripts.demo_server import PASSWORD, demo_server
from tests.browser.layout import MIN_TARGET_PX, SMALL_TARGETS

OUT = Path("/tmp/screens")
SIZES = [(320, 568), (390, 844), (768, 1024)]
LANGUAGES = ["en", "es"]
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
problems: list[str] = []


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows now for this base32 secret (RFC 6238)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def shoot(page: Page, language: str, name: str) -> None:
    """The page at each size (full length), and what is wrong with its layout."""
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)
        path = OUT / f"{name}-{language}-{width}x{height}.png"
        page.screenshot(path=str(path), full_page=True)
        sideways = page.evaluate(SIDEWAYS)
        if sideways > 0:
            problems.append(f"{path.name}: scrolls sideways by {sideways}px")
        small = page.evaluate(SMALL_TARGETS, MIN_TARGET_PX)
        if small:
            problems.append(f"{path.name}: small targets {small}")
        print(f"wrote {path}")


def log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login/")
    page.locator("main input[name=username]").fill(email)
    page.locator("main input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def type_code(page: Page, code: str) -> None:
    page.locator("main input[name=code]").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def patient_pages(browser: Browser, base: str, language: str) -> None:
    context = browser.new_context(locale=language)
    page = context.new_page()
    email = f"{language}@example.org"
    log_in(page, base, email, PASSWORD)
    page.goto(base + "/clinic/two-step/set-up/?next=/settings/")
    shoot(page, language, "set-up")
    secret = page.locator("main p code").inner_text().strip()
    type_code(page, totp_code(secret))
    shoot(page, language, "recovery-codes")
    page.goto(base + "/settings/")
    page.locator("#two-step").scroll_into_view_if_needed()
    shoot(page, language, "settings")
    page.locator("#two-step").locator("..").screenshot(
        path=str(OUT / f"settings-section-{language}.png")
    )
    # A wrong password on "turn off": the page says so, and nothing changes.
    form = page.locator("form[action$='/two-step/turn-off/']").first
    form.locator("input[type=password]").fill("not-my-password")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    shoot(page, language, "manage-wrong-password")
    # The next log-in asks for the code.
    context.clear_cookies()
    log_in(page, base, email, PASSWORD)
    page.goto(base + "/settings/")
    page.wait_for_url("**/two-step/**")
    shoot(page, language, "code-page")
    context.close()


def staff_pages(browser: Browser, base: str, accounts: list[list[str]]) -> None:
    admin = next(line for line in accounts if line[0] == "admin")
    context = browser.new_context(locale="en")
    page = context.new_page()
    log_in(page, base, admin[1], admin[2])
    page.wait_for_url("**/two-step/**")
    shoot(page, "en", "staff-code-page")
    type_code(page, totp_code(admin[3]))
    for language in LANGUAGES:
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page.goto(base + "/clinic/staff/")
        shoot(page, language, "staff")
        page.locator("a[href$='/reset-two-step/']").first.click()
        page.wait_for_load_state()
        shoot(page, language, "staff-reset-confirm")
        page.goto(base + "/clinic/two-step/manage/")
        shoot(page, language, "staff-manage")
    context.close()


def anonymous_pages(browser: Browser, base: str) -> None:
    for language in LANGUAGES:
        context = browser.new_context(locale=language)
        page = context.new_page()
        page.goto(base + "/signup/sent/")
        shoot(page, language, "signup-sent")
        context.close()


def locked_out(browser: Browser, base: str) -> None:
    """5 wrong passwords close log-in (per account and per address): this goes last."""
    for language in LANGUAGES:
        context = browser.new_context(locale=language)
        page = context.new_page()
        for _try in range(6 if language == "en" else 1):
            log_in(page, base, "en@example.org", "wrong-password-1")
        assert page.locator(".error-summary").count(), "no lockout message"
        shoot(page, language, "locked-out")
        context.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    accounts: list[list[str]] = []
    with (
        demo_server(clinic_accounts=accounts, languages=LANGUAGES) as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for language in LANGUAGES:
            patient_pages(browser, base, language)
        staff_pages(browser, base, accounts)
        anonymous_pages(browser, base)
        locked_out(browser, base)
        browser.close()
    print("\n".join(problems) or "no sideways scrolling, no small targets")


if __name__ == "__main__":
    main()
