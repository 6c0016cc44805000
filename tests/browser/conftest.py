"""Browser tests: the patient's path in real headless Chromium (Debian's own: Playwright cannot
download browsers here), driven through Playwright's sync API against pytest-django's live
server. Every test here is marked `browser`: run them alone with `pytest -m browser`, or leave
them out with `-m "not browser"`.

Playwright's clock control stands in for time, so a whole session runs in about a second.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from scripts.chromium import CHROMIUM, CHROMIUM_FLAGS, PHONE
from stenosis_coach.clinic.models import StaffMember
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription, save_prescription
from stenosis_coach.practice.models import PrescriptionVersion
from stenosis_coach.programme import Dose
from tests.clinic_pages import pass_two_step

from . import csp

# The page's clock starts two hours ago, so that sessions run at full speed still finish in
# the past (the server refuses a session that ends in the future).
CLOCK_START = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=2)
HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in headless Chromium (tests/browser)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """One browser for the tests in this folder, closed after them.

    Playwright's sync API keeps an event loop running in this thread, and Django refuses
    database work when it sees one unless told that it is safe (it is: the loop is
    Playwright's own). Both last only as long as these tests, so the other tests keep
    Django's check, and no subprocess inherits the setting.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with csp.every_context_watched(patch), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            yield browser
            browser.close()


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[None]:
    """Any Content-Security-Policy violation in any page or worker fails the test."""
    csp.violations.clear()
    yield
    assert csp.violations == [], f"Content-Security-Policy violations: {csp.violations}"


class ServerRequests:
    """Counts the live server's requests in flight. A test's database is emptied when it
    ends, which must not happen while the server is still answering the browser (an upload,
    or the service worker filling its cache in the background)."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.changed = threading.Condition()
        self.paths: list[str] = []  # every request's path, in order

    def started(self, environ: Any = None, **_: Any) -> None:
        with self.changed:
            self.in_flight += 1
            if environ is not None:
                self.paths.append(environ.get("PATH_INFO", ""))

    def finished(self, **_: Any) -> None:
        with self.changed:
            self.in_flight -= 1
            self.changed.notify_all()

    def wait_until_idle(self, timeout: float = 10) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.in_flight <= 0, timeout)


@pytest.fixture(scope="package")
def server_requests() -> Iterator[ServerRequests]:
    requests = ServerRequests()
    request_started.connect(requests.started)
    request_finished.connect(requests.finished)
    yield requests
    request_started.disconnect(requests.started)
    request_finished.disconnect(requests.finished)


@pytest.fixture
def context(
    chromium: Browser, live_server: Any, server_requests: ServerRequests
) -> Iterator[BrowserContext]:
    """A fresh browser profile (its own storage, outbox and service worker) at phone size."""
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, locale="en-US")
    context.set_default_timeout(10_000)
    yield context
    context.close()
    server_requests.wait_until_idle()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page whose clock the test controls. Uncaught script errors fail the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.install(time=CLOCK_START)
    yield page
    assert errors == [], f"script errors on the page: {errors}"


WORKER_READY = """
(seconds) => Promise.race([
  navigator.serviceWorker.ready.then(() => true),
  new Promise((resolve) => setTimeout(() => resolve(false), seconds * 1000)),
])
"""


def wait_for_service_worker(page: Page, seconds: float = 15) -> None:
    """The service worker installed and active (its caches filled). A worker stuck
    installing fails here, not by hanging the whole run."""
    assert page.evaluate(WORKER_READY, seconds), "the service worker did not become active"


def log_in(context: BrowserContext, live_server: Any, user: User) -> None:
    """Give the browser a signed-in session without going through the log-in form."""
    client = Client()
    client.force_login(user)
    if StaffMember.objects.filter(user=user).exists():
        pass_two_step(client, user)  # staff have typed their code, as after a real log-in
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
    context.add_cookies([cookie])  # type: ignore[list-item]


@pytest.fixture
def marcher(alice: Patient) -> Patient:
    """Alice, with the march opened by her therapist at 2 sets: every kind of step."""
    from .player import get_ready  # player.py reads this module's clock

    get_ready(alice, usual_leg_pain=3)
    prescription = current_prescription(alice).to_engine()
    march = prescription.get("hook-lying-march")
    dose = Dose(sets=2, work_seconds=30, set_break_seconds=30)
    opened = type(march)(march.exercise_id, dose)
    save_prescription(
        alice, prescription.with_item(opened), PrescriptionVersion.Source.THERAPIST, note="ready"
    )
    return alice
