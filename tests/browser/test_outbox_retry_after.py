"""The outbox and the upload limit: a 429 from the real server keeps the session queued (not
refused), nothing is sent again before its Retry-After has passed, and then it is stored.
The upload limit is made tiny (one upload in 2 seconds), and the test's own upload takes the
turn first, so the outbox's first try meets the limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, Request, Route

from stenosis_coach.limits.decorators import rate_for
from stenosis_coach.limits.keys import hashed
from stenosis_coach.limits.store import record_hit
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.api import OWNER_HEADER, outbox_owner
from stenosis_coach.practice.models import SessionRecord

from .conftest import ServerRequests, log_in
from .player import get_ready

OUTBOX = f"/{settings.STATIC_URL.strip('/')}/web/outbox.js"
QUEUE = f"""async (entry) => {{
    const outbox = await import("{OUTBOX}");
    await outbox.saveToOutbox(entry);
}}"""
FLUSH = f"""async (owner) => {{
    const outbox = await import("{OUTBOX}");
    const outcome = await outbox.sendOutbox({{ owner, now: true }});
    const entries = await outbox.outboxEntries();
    return {{ sent: outcome.sent.length, entries: entries.map((entry) => ({{
        refused: Boolean(entry.refused), waiting: entry.waiting ?? null }})) }};
}}"""


class Answers:
    """Each upload's status and when its answer came (monotonic seconds)."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, float, str]] = []

    def handle(self, route: Route, request: Request) -> None:
        answer = route.fetch()
        self.seen.append((answer.status, time.monotonic(), answer.headers.get("retry-after", "")))
        route.fulfill(response=answer)


@pytest.fixture
def phone(
    chromium: Browser, live_server: Any, server_requests: ServerRequests, alice: Patient
) -> Iterator[Page]:
    get_ready(alice)
    context = chromium.new_context(base_url=live_server.url, service_workers="block")
    context.set_default_timeout(15_000)
    log_in(context, live_server, alice.user)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/today/")
    yield page
    context.close()
    server_requests.wait_until_idle()
    assert errors == [], f"script errors on the page: {errors}"


def test_a_429_waits_for_retry_after_then_the_session_is_stored(
    phone: Page, alice: Patient, payload_for: Any, settings: Any
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (1, 2)}
    answers = Answers()
    phone.context.route("**/api/sessions/", answers.handle)
    body = payload_for(alice)
    owner = outbox_owner(alice.user)
    entry = {
        "uuid": body["uuid"],
        "url": "/api/sessions/",
        "body": body,
        "headers": {OWNER_HEADER: owner},
        "savedAt": body["finished_at"],
    }
    phone.evaluate(QUEUE, entry)
    record_hit("upload", hashed("upload", str(alice.pk)), rate_for("upload"))  # the turn taken

    first = phone.evaluate(FLUSH, owner)
    assert [status for status, _, _ in answers.seen] == [429]
    retry_after = int(answers.seen[0][2])
    assert 1 <= retry_after <= 2
    assert first == {"sent": 0, "entries": [{"refused": False, "waiting": "busy"}]}
    assert not SessionRecord.objects.filter(uuid=body["uuid"]).exists()

    # Asked again at once (as when the network comes back): it still waits, sending nothing.
    assert phone.evaluate(FLUSH, owner)["sent"] == 0
    assert len(answers.seen) == 1

    deadline = time.monotonic() + 10
    while not (outcome := phone.evaluate(FLUSH, owner))["sent"]:
        assert time.monotonic() < deadline, answers.seen
        phone.wait_for_timeout(250)
    assert outcome["entries"] == []
    assert answers.seen[-1][0] == 201
    assert answers.seen[1][1] - answers.seen[0][1] >= retry_after - 0.1
    assert SessionRecord.objects.filter(uuid=body["uuid"]).count() == 1
