"""Uploads at the same moment, against a live server with threads: every one is stored.

On SQLite this needs the WAL journal, IMMEDIATE transactions and a busy timeout (without
them: "database is locked", a 500). On PostgreSQL it needs the per-patient lock in
record_session: two new prescription versions with the same number otherwise (a 500 from
the one_number_per_version constraint).
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import SessionRecord
from tests.browser.conftest import ServerRequests
from tests.conftest import session_payload
from tests.test_player_api import get_ready

AT_ONCE = 20
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server_requests() -> Iterator[ServerRequests]:
    """The test database is emptied when a test ends: not while the server still answers."""
    from django.core.signals import request_finished, request_started

    requests = ServerRequests()
    request_started.connect(requests.started)
    request_finished.connect(requests.finished)
    yield requests
    requests.wait_until_idle()
    request_started.disconnect(requests.started)
    request_finished.disconnect(requests.finished)


def ready_patient(name: str) -> Patient:
    user = User.objects.create_user(name, password="unused-Pw-4-tests")
    return get_ready(create_patient(user))


def cookies_for(patient: Patient) -> tuple[str, str]:
    """A signed-in session and a CSRF token, as a browser would hold them."""
    client = Client()
    client.force_login(patient.user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return cookie, csrf


def upload(url: str, cookie: tuple[str, str], payload: dict[str, Any]) -> tuple[int, str]:
    request = urllib.request.Request(
        f"{url}/api/sessions/",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Cookie": cookie[0],
            "X-CSRFToken": cookie[1],
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode(errors="replace")


def all_at_once(url: str, jobs: list[tuple[tuple[str, str], dict[str, Any]]]) -> list[int]:
    """Send every upload from its own thread, released together; their status codes."""
    start = threading.Barrier(len(jobs))
    answers: list[tuple[int, str]] = [(0, "")] * len(jobs)

    def send(index: int) -> None:
        start.wait()
        answers[index] = upload(url, *jobs[index])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = [answer for answer in answers if answer[0] != 201]
    assert not failed, f"{len(failed)} of {len(jobs)} not stored: {failed[:3]}"
    return [status for status, _ in answers]


def test_twenty_patients_uploading_at_once_are_all_stored(
    live_server: Any, server_requests: ServerRequests
) -> None:
    patients = [ready_patient(f"patient-{n}") for n in range(AT_ONCE)]
    jobs = [(cookies_for(p), session_payload(p, days_ago=1)) for p in patients]
    all_at_once(live_server.url, jobs)
    for patient in patients:
        assert patient.sessions.count() == 1


def test_one_patients_twenty_sessions_at_once_are_all_stored(
    live_server: Any, server_requests: ServerRequests
) -> None:
    patient = ready_patient("busy")
    cookie = cookies_for(patient)
    # A session a day for 20 days, arriving all at once (a phone back online): the engine
    # makes new prescription versions while the other uploads are being stored.
    jobs = [(cookie, session_payload(patient, days_ago=AT_ONCE - n)) for n in range(AT_ONCE)]
    all_at_once(live_server.url, jobs)
    assert SessionRecord.objects.filter(patient=patient).count() == AT_ONCE
    numbers = list(patient.prescriptions.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
