"""Offline: a session done with no network is kept on the device and sent, exactly once,
when the network is back, even if the page was closed in between. Nothing the server has
not stored is ever dropped: one it refuses is kept, shown with its reason, and can be sent
again or saved as a file (then, by the patient's choice only, removed)."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from playwright.sync_api import BrowserContext, Page, Route, expect

from stenosis_coach.illustrations import drawing_ids
from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import SessionRecord
from stenosis_coach.web.views import SHELL_FILES

from .axe import assert_accessible
from .conftest import log_in, wait_for_service_worker
from .layout import MIN_TARGET_PX, SMALL_TARGETS
from .player import (
    TEXTS,
    answer_check_in,
    answer_pain,
    answers,
    finish,
    get_ready,
    get_up,
    open_player,
    play_until_question,
    play_whole_session,
    player_state,
    start_exercises,
    stop_the_clock,
    tap_ready,
)
from .test_player_layout import HTML_TEXT, MEASURE


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
    assert look_at_the_summary(page, "summary-offline") == []
    assert outbox_size(page) == 1
    assert not SessionRecord.objects.exists()

    context.set_offline(False)  # the browser says "online": the outbox is sent
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    expect(page.locator("#next-time li")).not_to_have_count(0)
    assert look_at_the_summary(page, "summary-sent") == []
    assert outbox_size(page) == 0
    assert SessionRecord.objects.filter(patient=alice).count() == 1
    assert SessionRecord.objects.get().results.count() == 4

    page.goto("/today/")  # every page sends what is waiting: nothing is
    expect(page.locator("#sync-status")).to_be_hidden()
    assert SessionRecord.objects.count() == 1


def test_the_worker_installs_while_the_pages_it_keeps_send_it_elsewhere(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """Before getting started, Today, the player and the plan all redirect or refuse: none
    is kept, and since they are `no-store` nothing but the worker reads their bodies. Each
    unread one held a connection, and the install waited for ever."""
    log_in(context, live_server, alice.user)  # not set up yet
    page.goto("/settings/")
    wait_for_service_worker(page)
    kept = page.evaluate(
        "caches.open('personal').then((c) => c.keys()).then((rs) => rs.map((r) => r.url))"
    )
    assert not [url for url in kept if url.endswith(("/today/", "/session/", "/api/plan/"))]


def test_once_today_has_loaded_a_session_needs_no_network(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    wait_for_service_worker(page)  # the shell is kept
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


# The outbox module as the pages import it (the service worker keeps it under this name).
OUTBOX = static("web/outbox.js")


def outbox_entries(page: Page) -> list[dict[str, Any]]:
    return list(page.evaluate(f"import('{OUTBOX}').then((outbox) => outbox.outboxEntries())"))


def routed_uploads(page: Page, status: int, body: str, **headers: str) -> list[str]:
    """Every upload from the page answered with `status`; the list counts them."""
    seen: list[str] = []

    def answer(route: Route) -> None:
        seen.append(route.request.url)
        route.fulfill(status=status, content_type="application/json", body=body,
                      headers=headers)  # fmt: skip

    page.unroute("**/api/sessions/")
    page.route("**/api/sessions/", answer)
    return seen


def wait_until(page: Page, condition: Callable[[], bool], seconds: float = 5) -> None:
    """Let the page and its routes run until `condition` holds."""
    for _ in range(int(seconds * 50)):
        if condition():
            return
        page.wait_for_timeout(20)
    raise AssertionError("it never happened")


def the_network_comes_back(page: Page) -> None:
    page.evaluate("window.dispatchEvent(new Event('online'))")


def finish_a_session(page: Page) -> None:
    """Pain before, every exercise skipped, pain after: the summary."""
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    skip_every_exercise(page, 4)
    finish(page, title=TEXTS["summary_stopped"])  # everything skipped: no "Well done"


REFUSAL = '{"error": "Some parts of this session are not right."}'
SAVE = f"""async (entry) => {{
    const outbox = await import("{OUTBOX}");
    await outbox.saveToOutbox(entry);
}}"""


def test_the_outbox_keeps_what_may_yet_be_sent(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """5xx, 401, 403, 429 and a 200 that is not the server's: the session waits, never
    dropped and never shown as refused, and is sent once the server can take it."""
    get_ready(alice)
    log_in(context, live_server, alice.user)
    sent = routed_uploads(page, 503, "busy")
    finish_a_session(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["waiting_later"])  # 5xx: kept
    [entry] = outbox_entries(page)
    assert entry.get("refused") is None
    assert entry["tries"] == 1
    assert entry["retryAt"] > page.evaluate("Date.now()")  # it backs off
    assert len(sent) == 1
    the_network_comes_back(page)  # sent at once, backing off or not
    wait_until(page, lambda: len(sent) == 2)

    sent = routed_uploads(page, 401, '{"error": "Please log in again."}')
    the_network_comes_back(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["log_in_to_send"])

    sent = routed_uploads(page, 403, '{"error": "Someone else saved this session."}')
    the_network_comes_back(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["waiting_later"])
    expect(page.locator(".kept-entry")).to_have_count(0)  # it waits for its owner
    the_network_comes_back(page)
    page.wait_for_timeout(300)
    assert len(sent) == 1  # not sent again from this page

    page.goto("/today/")
    sent = routed_uploads(page, 200, "<h1>Log in to the Wi-Fi</h1>")  # not the server
    the_network_comes_back(page)
    wait_until(page, lambda: len(sent) == 1)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["waiting_later"])
    assert len(outbox_entries(page)) == 1

    sent = routed_uploads(page, 429, "{}", **{"Retry-After": "3600"})
    the_network_comes_back(page)
    wait_until(page, lambda: len(sent) == 1)
    # The request is seen before its answer is kept: wait for the kept wait, not the send.
    wait_until(page, lambda: "notBefore" in outbox_entries(page)[0])
    [entry] = outbox_entries(page)
    assert entry["notBefore"] >= page.evaluate("Date.now()") + 3_500_000
    the_network_comes_back(page)
    page.reload()
    page.wait_for_timeout(300)
    assert len(sent) == 1  # the server's wait holds, even when the network comes back
    assert not SessionRecord.objects.exists()

    page.unroute("**/api/sessions/")
    page.clock.fast_forward("01:00:05")
    the_network_comes_back(page)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    assert outbox_entries(page) == []
    assert SessionRecord.objects.filter(patient=alice).count() == 1


def test_a_refused_session_is_kept_shown_with_its_reason_and_sent_again_on_try_again(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    sent = routed_uploads(page, 400, REFUSAL)
    finish_a_session(page)

    # One clear message: not sent, still on the device, why, and what to do.
    expect(page.locator("#sync-status")).to_have_text(TEXTS["refused_this"])
    kept = page.locator("#kept-sessions .kept-entry")
    expect(kept).to_have_count(1)
    expect(kept.locator(".kept-why")).to_have_text("Why: Some parts of this session are not right.")
    expect(kept.get_by_role("button", name=TEXTS["try_again"])).to_be_visible()
    expect(kept.get_by_role("button", name=TEXTS["save_copy"])).to_be_visible()
    expect(kept.get_by_role("button", name=TEXTS["remove_kept"])).to_be_hidden()
    expect(page.locator("#next-time-part")).to_be_hidden()
    summary = page.locator('[data-screen="summary"]').inner_text()
    assert TEXTS["not_saved"] not in summary
    assert TEXTS["saved_offline"] not in summary
    [entry] = outbox_entries(page)
    assert entry["refused"] == {"status": 400, "error": "Some parts of this session are not right."}

    # Not sent again by itself: not when the network comes back, not on the next page.
    the_network_comes_back(page)
    page.goto("/today/")
    expect(page.locator("#sync-status")).to_have_text(TEXTS["refused_some"])
    kept = page.locator("#kept-sessions .kept-entry")
    expect(kept.locator(".kept-name")).to_have_text(re.compile(r"^Your session from \w+"))
    expect(kept.locator(".kept-why")).to_have_text("Why: Some parts of this session are not right.")
    pain = {"uuid": str(uuid.uuid4()), "taken_at": dt.datetime.now(dt.UTC).isoformat(),
            "leg": 3, "back": 2}  # fmt: skip
    page.evaluate(SAVE, {"uuid": pain["uuid"], "url": "/api/pain/", "body": pain})
    the_network_comes_back(page)  # what waits is sent; what was refused is not
    wait_until(page, lambda: len(outbox_entries(page)) == 1)
    assert PainCheckIn.objects.filter(uuid=pain["uuid"]).exists()
    page.wait_for_timeout(300)
    assert len(sent) == 1

    # "Try again" sends it once more: refused again, it stays; taken, it is gone.
    kept.get_by_role("button", name=TEXTS["try_again"]).click()
    wait_until(page, lambda: len(sent) == 2)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["refused_some"])
    expect(kept).to_have_count(1)
    page.unroute("**/api/sessions/")
    kept.get_by_role("button", name=TEXTS["try_again"]).click()
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    expect(page.locator("#kept-sessions")).to_be_hidden()
    assert outbox_entries(page) == []
    assert SessionRecord.objects.filter(patient=alice).count() == 1


def test_a_refused_session_can_be_saved_as_a_file_and_only_then_removed(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    conflict = '{"error": "This session number is already in use."}'
    sent = routed_uploads(page, 409, conflict)
    finish_a_session(page)
    kept = page.locator("#kept-sessions .kept-entry")
    expect(kept.locator(".kept-why")).to_have_text("Why: This session number is already in use.")

    kept.get_by_role("button", name=TEXTS["try_again"]).click()  # on the summary too
    wait_until(page, lambda: len(sent) == 2)
    expect(page.locator("#sync-status")).to_have_text(TEXTS["refused_this"])

    [entry] = outbox_entries(page)
    with page.expect_download() as download_info:
        kept.get_by_role("button", name=TEXTS["save_copy"]).click()
    download = download_info.value
    assert re.fullmatch(
        r"stenosis-coach-session-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename
    )
    day = page.evaluate(
        "(started) => new Date(started).toLocaleDateString('sv')", entry["body"]["started_at"]
    )  # the day it was done, on the device
    assert download.suggested_filename == f"stenosis-coach-session-{day}.json"
    copy = json.loads(Path(download.path()).read_text())
    assert copy == entry["body"]
    assert copy["uuid"] == entry["uuid"]
    assert len(copy["results"]) == 4
    expect(kept.locator(".kept-copied")).to_have_text(TEXTS["copy_saved"])
    expect(kept.get_by_role("button", name=TEXTS["remove_kept"])).to_be_focused()
    page.set_viewport_size({"width": 320, "height": 568})
    kept.get_by_role("button", name=TEXTS["remove_kept"]).scroll_into_view_if_needed()
    screenshot(page, "summary-copy-saved", (320, 568))

    kept.get_by_role("button", name=TEXTS["remove_kept"]).click()  # the patient's choice
    expect(page.locator("#sync-status")).to_have_text(TEXTS["removed"])
    expect(page.locator("#kept-sessions")).to_be_hidden()
    assert outbox_entries(page) == []
    assert not SessionRecord.objects.exists()


def test_a_device_that_cannot_keep_the_session_offers_a_copy(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """No storage on this device (blocked, or full): the session is not lost unseen; the
    patient is told, and can save it as a file."""
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.add_init_script(
        "Object.defineProperty(window, 'indexedDB', "
        "{ value: { open() { throw new Error('storage blocked'); } } })"
    )
    open_player(page)
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    skip_every_exercise(page, 4)
    finish(page, title=TEXTS["summary_not_saved"])
    expect(page.locator("#sync-status")).to_have_text(TEXTS["not_saved"])
    with page.expect_download() as download_info:
        page.get_by_role("button", name=TEXTS["save_copy"]).click()
    copy = json.loads(Path(download_info.value.path()).read_text())
    assert [result["stop_reason"] for result in copy["results"]] == ["skipped"] * 4
    expect(page.locator(".kept-copied")).to_have_text(TEXTS["copy_saved"])


def test_only_a_refused_entry_can_be_removed(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """Removing is for what the server refused: one still waiting is never removed."""
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    routed_uploads(page, 503, "busy")
    removed = page.evaluate(
        f"""async () => {{
            const outbox = await import("{OUTBOX}");
            await outbox.saveToOutbox({{ uuid: "waiting-one", url: "/api/sessions/", body: {{}} }});
            await outbox.sendOutbox();
            return outbox.removeKeptEntry("waiting-one");
        }}"""
    )
    assert removed is False
    assert [entry["uuid"] for entry in outbox_entries(page)] == ["waiting-one"]


SHOW_PAGE = """(state) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
    document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_session_paused_for_hours_is_stored_with_the_time_it_was_paused(
    context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    """Paused 3 h 30 min with the button, then the phone locked 10 minutes: the upload says
    how long it was paused, and the server, judging the time not paused, stores it."""
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page = context.new_page()
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=5)
    page.clock.install(time=start)
    page.goto("/session/")
    page.clock.pause_at(start + dt.timedelta(minutes=1))
    answer_pain(page, leg=3, back=2)
    start_exercises(page)
    page.clock.run_for(3_000)
    page.locator("#pause-button").click()
    expect(page.locator("#paused-note")).to_be_visible()
    page.clock.fast_forward("03:30:00")
    page.locator("#pause-button").click()  # Go on
    page.clock.run_for(3_000)
    page.evaluate(SHOW_PAGE, "hidden")  # the phone locked: the session pauses
    page.clock.fast_forward("10:00")
    page.evaluate(SHOW_PAGE, "visible")
    expect(page.locator("#paused-note")).to_be_visible()
    page.locator("#pause-button").click()
    skip_every_exercise(page, 4)
    get_up(page)
    expect(page.locator("#question-title")).to_have_text(TEXTS["leg_pain_question"])
    page.evaluate(SHOW_PAGE, "hidden")  # locked again, on a question this time
    page.clock.fast_forward("20:00")
    page.evaluate(SHOW_PAGE, "visible")
    finish(page, title=TEXTS["summary_stopped"])
    expect(page.locator("#sync-status")).to_have_text(TEXTS["sent"])
    record = SessionRecord.objects.get(patient=alice)
    paused = 3.5 * 3600 + 10 * 60 + 20 * 60
    assert paused <= record.paused_seconds <= paused + 30
    assert record.clock_trusted


def skip_to_the_summary(page: Page) -> None:
    """As finish_a_session, by the place of each answer, so in any language."""
    page.goto("/session/")
    expect(page.locator("#player")).to_have_attribute("data-state", "question")
    stop_the_clock(page)
    answers(page).nth(3).click()
    answers(page).nth(2).click()
    start_exercises(page)
    skip_every_exercise(page, 4)
    tap_ready(page)  # getting up
    for _ in range(2):
        expect(page.locator("#player")).to_have_attribute("data-state", "question")
        answers(page).nth(2).click()
    expect(page.locator("#question-answers button")).to_have_count(2)  # new numbness?
    answers(page).nth(1).click()  # no
    expect(page.locator("#player")).to_have_attribute("data-state", "summary")


# The sizes the kept sessions are looked at (screenshots in screenshots-tmp/, not kept).
SIZES = [(320, 568), (375, 667), (390, 844), (768, 1024)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots-tmp"
KEPT_ON_SUMMARY = [
    "#summary-title",
    "#sync-status",
    "#kept-sessions .kept-retry",
    "#kept-sessions .kept-copy",
    "#summary-today",
]


def screenshot(page: Page, name: str, size: tuple[int, int], *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"outbox-{name}-{size[0]}x{size[1]}.png"
    page.screenshot(path=str(path), full_page=full_page)


def summary_problems(page: Page, selectors: list[str], where: str) -> list[str]:
    """What must be seen is on screen and covered by nothing; text and targets big."""
    problems = [f"{where}: {problem}" for problem in page.evaluate(MEASURE, selectors)["problems"]]
    problems += [f"{where}: text {text}" for text in page.evaluate(HTML_TEXT)]
    targets = page.evaluate(SMALL_TARGETS, MIN_TARGET_PX)
    return problems + [f"{where}: target {target}" for target in targets]


def look_at_the_summary(page: Page, name: str) -> list[str]:
    """The summary at each size: its message on screen, and a screenshot."""
    viewport = page.viewport_size
    problems = []
    for size in SIZES:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        expect(page.locator("#player")).to_have_attribute("data-fit-for", f"{size[0]}x{size[1]}")
        selectors = ["#summary-title", "#sync-status", "#summary-today"]
        problems += summary_problems(page, selectors, f"{name} {size}")
        screenshot(page, name, size)
    if viewport:
        page.set_viewport_size(viewport)
    return problems


@pytest.mark.parametrize("language", ["en", "es"])
def test_kept_sessions_are_clear_and_big_on_every_screen(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient, language: str
) -> None:
    """The summary of a refused session: the message, the reason, Try again and Save a copy
    on screen without scrolling at every size; Today with one refused and one waiting:
    the accessibility gate."""
    alice.language = language
    get_ready(alice)
    log_in(context, live_server, alice.user)
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]  # type: ignore[list-item]
    )
    routed_uploads(page, 400, REFUSAL)
    skip_to_the_summary(page)
    expect(page.locator("#kept-sessions .kept-entry")).to_have_count(1)
    problems = []
    for size in SIZES:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        expect(page.locator("#player")).to_have_attribute("data-fit-for", f"{size[0]}x{size[1]}")
        problems += summary_problems(page, KEPT_ON_SUMMARY, f"summary {size}")
        screenshot(page, f"summary-refused-{language}", size)
    assert_accessible(page, "the summary of a refused session")

    context.set_offline(True)  # a second one waits: no network
    page.unroute("**/api/sessions/")
    page.goto("/today/")
    page.evaluate(SAVE, {**outbox_entries(page)[0], "uuid": "second", "refused": None})
    page.reload()
    expect(page.locator("#kept-sessions .kept-entry")).to_have_count(1)
    expect(page.locator("#sync-status")).to_have_attribute("data-state", "saved_offline")
    for size in SIZES:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        screenshot(page, f"today-kept-{language}", size, full_page=True)
    assert_accessible(page, "Today with a refused session and one waiting")
    assert problems == [], "\n".join(problems)


IMPORT = re.compile(r"""\bfrom\s+["']\./([\w.-]+\.js)["']|import\(["']\./([\w.-]+\.js)["']\)""")


def test_every_script_a_kept_script_imports_is_kept_too() -> None:
    """Offline, a script missing from the shell breaks every script that imports it."""
    kept = set(SHELL_FILES)
    missing = []
    for name in [file for file in SHELL_FILES if file.endswith(".js")]:
        path = Path(finders.find(name))
        for match in IMPORT.finditer(path.read_text()):
            imported = str(Path(name).parent / (match.group(1) or match.group(2)))
            if imported not in kept:
                missing.append(f"{name} imports {imported}")
    assert missing == []


def test_logging_out_forgets_the_pages_kept_for_offline_use(
    page: Page, context: BrowserContext, live_server: Any, alice: Patient
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    wait_for_service_worker(page)
    kept = "caches.open('personal').then((cache) => cache.keys()).then((keys) => keys.length)"
    # Today, the session page, the plan, each exercise's picture and the how-to pictures
    assert page.evaluate(kept) == 3 + len(drawing_ids())
    page.locator("summary.menu-button").click()  # on a phone, Log out is in the menu
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url("/")
    page.wait_for_function(f"{kept}.then((count) => count === 0)", polling=100)


def offline_page_kept(page: Page) -> None:
    wait_for_service_worker(page)
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
