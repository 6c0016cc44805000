"""Offline: a session done with no network is kept on the device and sent, exactly once,
when the network is back, even if the page was closed in between."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import SessionRecord
from stenosis_coach.programme import load_catalogue

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
    stop_the_clock,
)


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
    play_until_question(page)
    answer_check_in(page)

    context.set_offline(True)
    play_whole_session(page, exercises=3)
    finish(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["saved_offline"])
    expect(page.locator("#next-time")).to_have_text(TEXTS["next_time_later"])
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
    expect(page.locator("#exercise-name")).to_have_text("Knees to chest")
    for _ in range(4):
        page.locator("#skip-button").click()
    finish(page)
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
    for _ in range(4):
        page.locator("#skip-button").click()
    finish(page)
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
    # Today, the session page, the plan and each exercise's picture
    assert page.evaluate(kept) == 3 + len(load_catalogue().ids)
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url("/")
    page.wait_for_function(f"{kept}.then((count) => count === 0)", polling=100)
