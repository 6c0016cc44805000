"""What the service worker fetches on a visit to Today: the small stamp of its offline
copies, and the copies themselves (the session page, the plan, the pictures) only when the
stamp has changed."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import BrowserContext, Page

from stenosis_coach.patients.models import Patient

from .conftest import ServerRequests, log_in, wait_for_service_worker
from .player import get_ready

STAMP = "/api/offline-stamp/"
COPIES = ("/session/", "/api/plan/")


def visit_today(page: Page, server_requests: ServerRequests) -> list[str]:
    """The paths the server was asked for on a visit to Today, the worker's too."""
    mark = len(server_requests.paths)
    page.goto("/today/")
    deadline = time.monotonic() + 10
    while STAMP not in server_requests.paths[mark:] and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # what the worker does once it has the stamp
    server_requests.wait_until_idle()
    return server_requests.paths[mark:]


def test_today_fetches_the_offline_copies_only_when_their_stamp_changed(
    page: Page,
    context: BrowserContext,
    live_server: Any,
    server_requests: ServerRequests,
    alice: Patient,
) -> None:
    get_ready(alice)
    log_in(context, live_server, alice.user)
    page.goto("/today/")
    wait_for_service_worker(page)
    first = visit_today(page, server_requests)  # no stamp kept yet: the copies, then it
    assert set(COPIES) <= set(first), first

    again = visit_today(page, server_requests)
    assert STAMP in again
    assert not set(COPIES) & set(again), again
    assert again.count("/today/") == 1  # Today once, not again by the worker

    alice.voice_on = not alice.voice_on  # the player's settings are in its page and plan
    alice.save(update_fields=["voice_on"])
    changed = visit_today(page, server_requests)
    assert set(COPIES) <= set(changed), changed


def test_the_stamp_is_the_patients_own(client: Any, alice: Patient) -> None:
    assert client.get(STAMP).status_code == 401
