"""Reminders on this phone, in headless Chromium: push.js on the reminder section, and the
service worker's push handler.

The section is shown on a throwaway page of this module (the app's pages plus one that
includes reminders/push_section.html in the site's layout), so it is tried on its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path
from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient
from stenosis_coach.reminders import push
from stenosis_coach.reminders.models import PushSubscription, ReminderPlan
from tests.test_push import Browser, b64url_decode

from .axe import assert_accessible
from .conftest import log_in, wait_for_service_worker

SECTION_PAGE = engines["django"].from_string(
    '{% extends "web/base.html" %}'
    '{% block main %}<h1>Settings</h1>{% include "reminders/push_section.html" %}{% endblock %}'
)


def section_view(request: HttpRequest) -> HttpResponse:
    patient = Patient.objects.get(user=request.user)  # type: ignore[misc]
    devices = list(PushSubscription.objects.filter(patient=patient))
    context = {"push_devices": devices, "push_on": bool(devices)}
    return HttpResponse(SECTION_PAGE.render(context, request))


urlpatterns = [
    path("try-push/", section_view),
    path("", include("stenosis_coach.urls")),
]


@pytest.fixture
def section(
    settings: Any, context: BrowserContext, live_server: Any, alice: Patient
) -> Iterator[Page]:
    settings.ROOT_URLCONF = __name__
    log_in(context, live_server, alice.user)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == [], f"script errors on the page: {errors}"


def open_section(page: Page) -> None:
    page.goto("/try-push/")
    wait_for_service_worker(page)  # offline.js registers the worker


def status(page: Page) -> Any:
    return page.locator("[data-push-status]")


def test_a_browser_without_push_is_told_so(context: BrowserContext, section: Page) -> None:
    context.add_init_script("delete window.PushManager;")
    section.goto("/try-push/")
    expect(section.get_by_text("This browser cannot show reminders.")).to_be_visible()
    expect(section.get_by_role("button", name="Turn on reminders")).to_be_hidden()


def test_permission_is_asked_only_on_the_tap_and_a_no_is_explained(
    context: BrowserContext, section: Page
) -> None:
    context.add_init_script(
        "window.asked = 0;"
        "Notification.requestPermission = async () => { window.asked += 1; return 'denied'; };"
    )
    open_section(section)
    turn_on = section.get_by_role("button", name="Turn on reminders")
    expect(turn_on).to_be_visible()
    assert section.evaluate("window.asked") == 0

    turn_on.click()

    expect(status(section)).to_contain_text("open your phone's Settings")
    assert section.evaluate("window.asked") == 1
    assert not PushSubscription.objects.exists()


def test_a_push_service_that_cannot_be_reached_is_said_in_plain_words(
    context: BrowserContext, section: Page, live_server: Any
) -> None:
    """Headless Chromium has no push service: subscribing fails, and the patient reads our
    sentence, not the browser's."""
    context.grant_permissions(["notifications"], origin=live_server.url)
    open_section(section)
    section.get_by_role("button", name="Turn on reminders").click()
    expect(status(section)).to_have_text(
        "Something went wrong. Please check your internet and try again.", timeout=15_000
    )
    assert not PushSubscription.objects.exists()


# The browser's PushManager, faked: headless Chromium has no push service to subscribe to.
FAKE_PUSH_MANAGER = """
window.fake = { subscription: null, key: null, unsubscribed: false };
const keys = %s;
const made = {
  endpoint: "https://fcm.googleapis.com/fcm/send/fake-phone",
  options: { applicationServerKey: null },
  toJSON() { return { endpoint: this.endpoint, expirationTime: null, keys }; },
  async unsubscribe() {
    window.fake.unsubscribed = true;
    window.fake.subscription = null;
    return true;
  },
};
PushManager.prototype.subscribe = async function (options) {
  window.fake.key = Array.from(new Uint8Array(options.applicationServerKey));
  window.fake.subscription = made;
  return made;
};
PushManager.prototype.getSubscription = async function () { return window.fake.subscription; };
"""


def test_turn_on_test_and_turn_off(
    context: BrowserContext,
    section: Page,
    live_server: Any,
    alice: Patient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(Browser().keys()))
    context.grant_permissions(["notifications"], origin=live_server.url)
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(push, "webpush", lambda info, **options: sent.append(options))
    open_section(section)

    section.get_by_role("button", name="Turn on reminders").click()

    expect(status(section)).to_have_text("Reminders are on for this phone.")
    subscription = PushSubscription.objects.get()
    assert subscription.patient == alice
    assert subscription.device == "Chrome, Linux"
    assert ReminderPlan.objects.get(patient=alice).by_push is True
    public_key = push.vapid_keys().public_key
    assert bytes(section.evaluate("window.fake.key")) == b64url_decode(public_key)
    expect(section.get_by_role("button", name="Turn on reminders")).to_be_hidden()

    section.get_by_role("button", name="Send a test reminder").click()
    expect(status(section)).to_contain_text("We sent a test reminder.")
    assert len(sent) == 1
    assert json.loads(sent[0]["data"])["body"] == "This is how your reminders will look."
    section.get_by_role("button", name="Send a test reminder").click()
    expect(status(section)).to_have_text("Please wait a moment, then try again.")  # 429

    assert_accessible(section, "the reminder section, reminders on")

    section.get_by_role("button", name="Turn off reminders on this phone").click()
    expect(status(section)).to_have_text("Reminders are off for this phone.")
    assert section.evaluate("window.fake.unsubscribed") is True
    assert not PushSubscription.objects.exists()
    assert ReminderPlan.objects.get(patient=alice).by_push is False


def test_a_push_shows_the_reminder_from_its_payload(
    context: BrowserContext, section: Page, live_server: Any
) -> None:
    """A push delivered to the service worker (DevTools' deliverPushMessage) shows the
    notification with the payload's title, body and tag, and the url kept for the tap."""
    context.grant_permissions(["notifications"], origin=live_server.url)
    open_section(section)
    payload = {"title": "Time to do your exercises", "body": "", "url": "/today/", "tag": "r-1"}
    deliver(context, section, live_server, json.dumps(payload))
    shown = notifications(section)
    assert shown == [
        {"title": "Time to do your exercises", "body": "", "tag": "r-1", "url": "/today/"}
    ]


def test_a_push_without_json_still_shows_the_plain_reminder(
    context: BrowserContext, section: Page, live_server: Any
) -> None:
    context.grant_permissions(["notifications"], origin=live_server.url)
    open_section(section)
    deliver(context, section, live_server, "not json {")
    (shown,) = notifications(section)
    assert shown["title"] == "Stenosis Coach"
    assert shown["body"] == "Time to do your exercises"
    assert shown["url"] == "/today/"


def test_a_push_cannot_send_the_patient_to_another_site(
    context: BrowserContext, section: Page, live_server: Any
) -> None:
    context.grant_permissions(["notifications"], origin=live_server.url)
    open_section(section)
    payload = {"title": "Stenosis Coach", "body": "x", "url": "https://evil.example/", "tag": "t"}
    deliver(context, section, live_server, json.dumps(payload))
    (shown,) = notifications(section)
    assert shown["url"] == "/today/"


def deliver(context: BrowserContext, page: Page, live_server: Any, data: str) -> None:
    """A push message to the page's service worker, as the push service would bring it."""
    cdp = context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.on("ServiceWorker.workerVersionUpdated", lambda e: versions.extend(e["versions"]))
    cdp.send("ServiceWorker.enable")
    # The registration and its running worker come as events: on a busy machine, after more
    # than a moment. A push sent before the worker runs can be lost.
    live: list[dict[str, Any]] = []
    for _ in range(200):
        live = [r for r in registrations if not r.get("isDeleted")]
        running = {
            v["registrationId"]
            for v in versions
            if v.get("status") == "activated" and v.get("runningStatus") == "running"
        }
        if live and live[0]["registrationId"] in running:
            break
        page.wait_for_timeout(50)
    (registration,) = live
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration["registrationId"], "data": data},
    )


def notifications(page: Page) -> list[dict[str, Any]]:
    """The notifications the service worker shows now (waiting a little for the first)."""
    script = """async () => {
      const registration = await navigator.serviceWorker.ready;
      for (let i = 0; i < 100; i++) {
        const shown = await registration.getNotifications();
        if (shown.length) {
          return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data.url }));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return [];
    }"""
    return page.evaluate(script)
