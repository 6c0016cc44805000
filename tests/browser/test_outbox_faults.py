"""Exactly once, whatever the network does: sessions queued on the device reach the server
once each, and none is left waiting, through random sequences of faults on the upload.

Playwright's routing stands between the page and the server. Each upload meets a fault
picked at random: it goes through; the connection fails; it times out; the server answers
500 or 503, or asks to wait (429), or says "log in" (401) or "not yours" (403, as with a
stale page); it is delayed; a Wi-Fi log-in page answers 200 in the server's place; the
server refuses it (400, and the patient taps "Try again"); and the hard case: the server
stores it and the answer is lost, either dropped on the way or lost with the page, which is
reloaded or closed while it waits. Then the faults stop, the device sends what it still
has, and the server must hold exactly one record per session, and the device none waiting.

OUTBOX_FAULT_SEQUENCES sets how many random sequences (200 by default); OUTBOX_FAULT_SEED
repeats a run (the seed is printed, and named on failure). One browser page is reused
across sequences (reloaded or replaced only where a sequence says so), so the run is quick.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Error, Page, Route

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.api import OWNER_HEADER, outbox_owner
from stenosis_coach.practice.models import SessionRecord

from .conftest import ServerRequests, log_in
from .player import get_ready

SEQUENCES = int(os.environ.get("OUTBOX_FAULT_SEQUENCES", "200"))
UPLOAD = "**/api/sessions/"
OUTBOX = f"/{settings.STATIC_URL.strip('/')}/web/outbox.js"
MOST_SESSIONS = 4
MOST_ROUNDS = 3

# How often each fault is picked: mostly the ones a phone meets every day.
FAULTS = {
    "through": 6,
    "connection failed": 3,
    "timed out": 2,
    "500": 2,
    "503": 2,
    "delayed": 2,
    "stored, answer lost": 4,
    "stored, answer lost with the page": 2,
    "Wi-Fi log-in page": 1,
    "429": 1,
    "401": 1,
    "403": 1,
    "400": 1,
}
REFUSAL = '{"error": "Some parts of this session are not right."}'

QUEUE = f"""async (entries) => {{
    const outbox = await import("{OUTBOX}");
    for (const entry of entries) await outbox.saveToOutbox(entry);
}}"""
# Not awaited: the test must be free to reload or close the page while an upload waits.
START_FLUSH = f"""(owner) => {{
    window.flushing = import("{OUTBOX}")
        .then((outbox) => outbox.sendOutbox({{ owner, now: true }}))
        .then(() => "done", (error) => `failed: ${{error}}`);
}}"""
# "done" as soon as the flush is over, or "running" after a while (an answer may be held).
FLUSH_STATE = """() => Promise.race([
    window.flushing,
    new Promise((resolve) => setTimeout(() => resolve("running"), 50)),
])"""
LEFT = f"""async () => {{
    const outbox = await import("{OUTBOX}");
    return (await outbox.outboxEntries()).map((entry) => ({{
        uuid: entry.uuid, refused: Boolean(entry.refused) }}));
}}"""
TRY_AGAIN = f"""async ([uuids, owner]) => {{
    const outbox = await import("{OUTBOX}");
    for (const uuid of uuids) await outbox.retryEntry(uuid, {{ owner }});
}}"""


class Faults:
    """The upload route: each request meets the fault the random plan picks next."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.calm = False  # every request goes through
        self.held: list[Route] = []  # stored, the answer held until the page goes
        self.seen: Counter[str] = Counter()
        self.stored_then_lost = 0

    def pick(self) -> str:
        if self.calm:
            return "through"
        return self.rng.choices(list(FAULTS), weights=list(FAULTS.values()))[0]

    def handle(self, route: Route) -> None:
        fault = self.pick()
        self.seen[fault] += 1
        with contextlib.suppress(Error):  # the page went away meanwhile, and the request
            self.apply(fault, route)

    def apply(self, fault: str, route: Route) -> None:
        if fault == "through":
            route.continue_()
        elif fault == "connection failed":
            route.abort("failed")
        elif fault == "timed out":
            route.abort("timedout")
        elif fault in {"500", "503"}:
            route.fulfill(status=int(fault), body="Server trouble")
        elif fault == "delayed":
            time.sleep(self.rng.uniform(0.01, 0.15))
            route.continue_()
        elif fault == "Wi-Fi log-in page":
            route.fulfill(status=200, content_type="text/html", body="<h1>Log in to Wi-Fi</h1>")
        elif fault == "429":
            route.fulfill(status=429, headers={"Retry-After": "0"}, body="{}")
        elif fault in {"401", "403"}:
            route.fulfill(status=int(fault), content_type="application/json", body="{}")
        elif fault == "400":
            route.fulfill(status=400, content_type="application/json", body=REFUSAL)
        else:  # the server stores it, and its answer never reaches the page
            answer = route.fetch()
            self.stored_then_lost += answer.status in {200, 201}
            if fault == "stored, answer lost":
                route.abort("connectionreset")
            else:
                self.held.append(route)  # the page is reloaded or closed while it waits


class Device:
    """One browser page with the outbox, reused from sequence to sequence."""

    def __init__(self, context: BrowserContext, owner: str, errors: list[str]) -> None:
        self.context = context
        self.owner = owner
        self.errors = errors
        self.page = self.open()

    def open(self) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto("/today/")
        return page

    def queue(self, bodies: list[dict[str, Any]]) -> None:
        entries = [
            {
                "uuid": body["uuid"],
                "url": "/api/sessions/",
                "body": body,
                "headers": {OWNER_HEADER: self.owner},
                "savedAt": body["finished_at"],
            }
            for body in bodies
        ]
        self.page.evaluate(QUEUE, entries)

    def flush(self, faults: Faults, rng: random.Random) -> None:
        """Send what waits; when an answer is held, reload or close the page meanwhile."""
        self.page.evaluate(START_FLUSH, self.owner)
        while (state := self.page.evaluate(FLUSH_STATE)) == "running":
            if faults.held:
                faults.held.clear()
                self.page_goes(rng)
                return
        assert state == "done", state

    def page_goes(self, rng: random.Random) -> None:
        """Reloaded, or closed and opened again: what was in flight goes with it."""
        if rng.random() < 0.85:  # a new page costs more than a reload: fewer of them
            self.page.reload()
        else:
            self.page.close()
            self.page = self.open()

    def left(self) -> list[dict[str, Any]]:
        return list(self.page.evaluate(LEFT))

    def try_again(self, uuids: list[str]) -> None:
        self.page.evaluate(TRY_AGAIN, [uuids, self.owner])


@pytest.fixture(autouse=True)
def no_upload_limit(settings: Any) -> None:
    """Hundreds of uploads for one patient in a minute: the real upload limit would make
    the last rounds wait a minute (test_outbox_retry_after.py tests that path)."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (10**6, 60)}


@pytest.fixture
def device(
    chromium: Browser, live_server: Any, server_requests: ServerRequests, alice: Patient
) -> Iterator[Device]:
    get_ready(alice)
    # No service worker: routing then sees every request, and nothing is cached.
    context = chromium.new_context(base_url=live_server.url, service_workers="block")
    context.set_default_timeout(15_000)
    log_in(context, live_server, alice.user)
    errors: list[str] = []
    yield Device(context, outbox_owner(alice.user), errors)
    context.close()
    server_requests.wait_until_idle()
    assert errors == [], f"script errors on the page: {errors}"


def sessions_for(patient: Patient, rng: random.Random, payload_for: Any) -> list[dict[str, Any]]:
    count = rng.randint(1, MOST_SESSIONS)
    return [
        payload_for(patient, days_ago=0.01 * (count - n), paused_seconds=rng.randint(0, 300))
        for n in range(count)
    ]


def run_sequence(
    device: Device, faults: Faults, rng: random.Random, bodies: list[dict[str, Any]]
) -> None:
    faults.calm = False
    device.queue(bodies)
    for _ in range(rng.randint(1, MOST_ROUNDS)):
        if rng.random() < 0.08:
            device.page_goes(rng)  # reloaded between tries: the page sends what waits
        device.flush(faults, rng)
    faults.calm = True
    for _ in range(8):
        if faults.held:
            faults.held.clear()
            device.page_goes(rng)
        device.flush(faults, rng)
        left = device.left()
        if not left:
            return
        refused = [entry["uuid"] for entry in left if entry["refused"]]
        if refused:
            device.try_again(refused)  # as the patient taps "Try again"
        else:
            device.page_goes(rng)  # a 403 waits for a new page (a fresh token)


def test_every_queued_session_is_stored_exactly_once_whatever_the_faults(
    device: Device, server_requests: ServerRequests, alice: Patient, payload_for: Any
) -> None:
    seed = int(os.environ.get("OUTBOX_FAULT_SEED") or random.randrange(2**32))
    print(f"outbox faults: {SEQUENCES} sequences, OUTBOX_FAULT_SEED={seed}")
    rng = random.Random(seed)
    faults = Faults(rng)
    device.context.route(UPLOAD, faults.handle)
    started = time.monotonic()
    for sequence in range(SEQUENCES):
        where = f"sequence {sequence} of OUTBOX_FAULT_SEED={seed}"
        SessionRecord.objects.filter(patient=alice).delete()
        bodies = sessions_for(alice, rng, payload_for)
        run_sequence(device, faults, rng, bodies)
        server_requests.wait_until_idle()
        assert device.left() == [], f"{where}: still waiting on the device"
        stored = Counter(
            str(uuid)
            for uuid in SessionRecord.objects.filter(patient=alice).values_list("uuid", flat=True)
        )
        assert stored == Counter(body["uuid"] for body in bodies), f"{where}: {stored}"
    took = time.monotonic() - started
    print(f"outbox faults: {SEQUENCES} sequences in {took:.1f} s; faults met: {dict(faults.seen)}")
    if SEQUENCES >= 100:  # enough for every fault to come up
        assert faults.stored_then_lost > 0, "the hard case never happened"
        never = set(FAULTS) - set(faults.seen)
        assert not never, f"faults never met: {never}"
