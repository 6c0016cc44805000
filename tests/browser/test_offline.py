"""Offline: a session done with no network is kept on the device and sent, exactly once,
when the network is back, even if the page was closed in between."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.illustrations import drawing_ids
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import SessionRecord

from .conftest import log_in
from .player import (
    TEXTS,
    answer_check_in,
    answer_pain,
    finish,
    get_ready,
    open_player,
    play_until_question,
    play_whole_session,
    player_state,
    start_exercises,
    stop_the_clock,
    tap_ready,
)


def skip_every_exercise(page: Page, count: int) -> None:
    """Skip `count` exercises ("Skip" asks first), saying "I'm ready" to each change of
    position between them."""
    for _ in range(count):
        expect(page.locator("#player")).to_have_attribute("data-state", re.compile("ready|step"))
        if player_state(page) == "ready":
            tap_ready(page)
        page.locator("#skip-button").click()
        page.locator("#confirm-yes").click()


def outbox_size(page: Page) -> int:
    return int(
        page.evaluate(
            """() => new Promise((resolve, reject) => {
                const opening = indexedDB.open("stenosis-coach");
                opening.onerror = () => reject(opening.error);
                opening.onsuccess = () => {
                    const store = opening.result.transaction("outbox").objectStore("outbox");
                    const count = store.count();
                    count.onsuccess = () => { opening.result.close(); resolve(count.result); };
                };
            })"""
        )
    )


def test_a_session_finished_offline_is_sent_once_back_online(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    play_until_question(page)
    answer_check_in(page)

    context.set_offline(True)
    play_whole_session(page, exercises=3)
    finish(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["saved_offline"])
    expect(page.locator("#next-time-part")).to_be_hidden()  # shown once the server answers
    assert outbox_size(page) == 1
    assert not SessionRecord.objects.exists()

    context.set_offline(False)  # the browser says "online": the outbox is sent
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    expect(page.locator("#next-time li")).not_to_have_count(0)
    assert outbox_size(page) == 0
    assert SessionRecord.objects.filter(patient=alice).count() == 1
    assert SessionRecord.objects.get().results.count() == 4

    page.goto("/today/")  # every page sends what is waiting: nothing is
    expect(page.locator("#sync-status")).to_be_hidden()
    assert SessionRecord.objects.count() == 1


def test_once_today_has_loaded_a_session_needs_no_network(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    page.evaluate("navigator.serviceWorker.ready.then(() => null)")  # the shell is kept
    kept_page = page.evaluate(
        "caches.open('personal').then((cache) => cache.match('/session/')).then((r) => r.text())"
    )

    context.set_offline(True)
    page.get_by_role("link", name="Start", exact=True).click()
    expect(page.locator("#question-title")).to_have_text(TEXTS["leg_pain_question"])
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert token is not None
    assert token in kept_page  # served from the device, not from the server
    stop_the_clock(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    expect(page.locator("#exercise-name")).to_have_text("Knees to chest")
    skip_every_exercise(page, 4)
    finish(page, title=TEXTS["summary_stopped"])  # everything skipped: no "Well done"
    expect(page.locator("#sync-status")).to_have_text(TEXTS["saved_offline"])
    page.close()  # closed before it could be sent
    assert not SessionRecord.objects.exists()

    context.set_offline(False)
    today = context.new_page()
    today.goto("/today/")
    expect(today.locator("#sync-status")).to_have_text(TEXTS["sent"])
    record = SessionRecord.objects.get(patient=alice)
    assert [r.stop_reason for r in record.results.all()] == ["skipped"] * 4


def test_the_outbox_keeps_what_may_yet_be_sent_and_drops_what_never_can(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.route("**/api/sessions/", lambda route: route.fulfill(status=503, body="busy"))
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    skip_every_exercise(page, 4)
    finish(page, title=TEXTS["summary_stopped"])  # everything skipped: no "Well done"
    expect(page.locator("#sync-status")).to_have_text(TEXTS["saved_offline"])  # 5xx: kept
    assert outbox_size(page) == 1

    def answer_with(status: int) -> None:
        page.unroute("**/api/sessions/")
        body = '{"error": "Some fields are not right."}'
        page.route("**/api/sessions/", lambda route: route.fulfill(status=status, body=body))
        page.evaluate("window.dispatchEvent(new Event('online'))")  # as when the network returns

    answer_with(401)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["log_in_to_send"])
    assert outbox_size(page) == 1
    answer_with(400)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["not_saved"])
    assert outbox_size(page) == 0
    assert any("refused a saved session" in error for error in errors)
    assert not SessionRecord.objects.exists()


def test_logging_out_forgets_the_pages_kept_for_offline_use(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    page.evaluate("navigator.serviceWorker.ready.then(() => null)")
    kept = "caches.open('personal').then((cache) => cache.keys()).then((keys) => keys.length)"
    # Today, the session page, the plan, each exercise's picture and the how-to pictures
    assert page.evaluate(kept) == 3 + len(drawing_ids())
    page.locator("summary.menu-button").click()  # on a phone, Log out is in the menu
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url("/")
    page.wait_for_function(f"{kept}.then((count) => count === 0)", polling=100)


def offline_page_kept(page: Page) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => null)")
    page.wait_for_function("caches.match('/offline/').then((kept) => Boolean(kept))", polling=100)


@pytest.mark.parametrize(
    ("language", "title", "today", "history"),
    [("en", "You are offline", "Go to Today", "Your sessions"),
     ("es", "No tiene internet", "Ir a Hoy", "Sus sesiones")],
)  # fmt: skip
def test_a_page_out_of_reach_offline_shows_our_offline_page(
    page: Page,
    context: BrowserContext,
    live_server: Any,
    alice: Patient,
    language: str,
    title: str,
    today: str,
    history: str,
) -> None:
    """History and Progress are not kept for offline use: with no network they show our own
    page, in the patient's language, at the address asked for, with a way back to Today
    (which works offline), never the browser's error page."""
    alice.language = language
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/history/")
    expect(page.locator("h1")).to_have_text(history)
    page.goto("/today/")
    offline_page_kept(page)

    context.set_offline(True)
    for path in ("/history/", "/progress/"):
        page.goto(path)
        expect(page.locator("h1")).to_have_text(title)
        expect(page).to_have_url(live_server.url + path)
        assert page.evaluate("document.documentElement.lang") == language
    page.get_by_role("link", name=today).click()
    expect(page).to_have_url(live_server.url + "/today/")
    expect(page.locator("a.button.start")).to_be_visible()  # Today, kept on the device

    context.set_offline(False)
    page.goto("/progress/")
    expect(page.locator("h1")).not_to_have_text(title)


def test_try_again_goes_back_to_the_page_asked_for(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    offline_page_kept(page)
    context.set_offline(True)
    page.goto("/history/")
    expect(page.locator("h1")).to_have_text("You are offline")
    context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    expect(page.locator("h1")).to_have_text("Your sessions")
    expect(page).to_have_url(live_server.url + "/history/")


def test_the_offline_page_stays_after_log_out(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """It holds nothing of the account, so it is not forgotten with the personal pages."""
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    offline_page_kept(page)
    kept = page.evaluate("caches.match('/offline/').then((kept) => kept.text())")
    assert "csrf" not in kept.lower()
    assert alice.user.username not in kept
    page.evaluate(
        "fetch('/logout/', {method: 'POST', headers: "
        "{'X-CSRFToken': document.querySelector('meta[name=csrf-token]').content}})"
    )
    page.wait_for_function(
        "caches.keys().then((names) => !names.includes('personal'))", polling=100
    )
    context.set_offline(True)
    page.goto("/history/")
    expect(page.locator("h1")).to_have_text("You are offline")
