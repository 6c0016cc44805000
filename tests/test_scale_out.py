"""Scale out: nothing in the app keeps state in a process. Two app servers (gunicorn, as
`make run` serves) on two ports and one job worker, all on one PostgreSQL: a session
uploaded through one server is seen through the other, a log-in made on one holds on the
other, and a reminder that is due once is sent once, however often the sweep runs.

PostgreSQL only (the one shared engine of a clinic network; SQLite is one file on one
machine)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.api import OWNER_HEADER, outbox_owner
from stenosis_coach.reminders import actions
from stenosis_coach.reminders.models import SentReminder
from stenosis_coach.reminders.tasks import send_due_reminders
from tests.conftest import session_payload
from tests.patient_pages import ready

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two servers share one PostgreSQL",
    ),
]

BIN = Path(sys.executable).parent
STARTING_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def shared_settings(mail_dir: Path, data_dir: Path) -> dict[str, str]:
    """What every process of the deployment shares: the database, the secret key (sessions
    signed by one server are read by the other), the static files and the mail."""
    database = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATA_DIR": str(data_dir),
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": f"file:///{mail_dir}",  # an absolute path: file:////tmp/...
        "DEBUG": "0",
    }


def wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTING_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            requests.get(url, timeout=10)  # the first request loads the app: slow
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Two gunicorn servers and one worker; their URLs and the mail folder."""
    mail_dir, data_dir = tmp_path / "mail", tmp_path / "data"
    mail_dir.mkdir()
    data_dir.mkdir()
    env = shared_settings(mail_dir, data_dir)
    worker_log = (tmp_path / "worker.log").open("wb")  # read it when a test fails
    ports = [free_port(), free_port()]
    serve = [str(BIN / "gunicorn"), "stenosis_coach.wsgi", "--workers", "1", "--threads", "2"]
    processes = [
        subprocess.Popen(
            [*serve, "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    processes.append(
        subprocess.Popen(
            [str(BIN / "stenosis-coach"), "worker"],
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
    )
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, processes, strict=False):
            wait_until_serving(f"{url}/", process)
        yield {"urls": urls, "mail": mail_dir}
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        worker_log.close()


def signed_in(patient: Patient) -> requests.Session:
    """A browser's session cookie, made by a log-in (in the shared database)."""
    client = Client()
    client.force_login(patient.user)
    browser = requests.Session()
    browser.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return browser


def wait_for(condition: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def send_session(
    browser: requests.Session, server: str, upload: dict[str, Any], patient: Patient
) -> requests.Response:
    """The upload as the player sends it: the CSRF token, the outbox's owner, the page."""
    return browser.post(
        f"{server}/api/sessions/",
        json=upload,
        headers={
            "X-CSRFToken": browser.cookies["csrftoken"],
            OWNER_HEADER: outbox_owner(patient.user),
            "Referer": f"{server}/session/",
        },
        timeout=10,
    )


def test_a_session_uploaded_through_one_server_is_seen_through_the_other(
    deployment: dict[str, Any], alice: Patient
) -> None:
    ready(alice)
    first, second = deployment["urls"]
    browser = signed_in(alice)
    assert browser.get(f"{first}/today/", timeout=10).status_code == 200  # the CSRF cookie
    upload = session_payload(alice, leg_before=4)
    answer = send_session(browser, first, upload, alice)
    assert answer.status_code == 201, answer.text
    history = browser.get(f"{second}/history/", timeout=10)
    assert history.status_code == 200
    assert f"/history/{upload['uuid']}/" in history.text
    # The same session again, through the other server: stored once.
    again = send_session(browser, second, upload, alice)
    assert again.status_code == 200, again.text
    assert alice.sessions.count() == 1


@pytest.fixture
def rosa(dave: Patient) -> Patient:
    """E-mail reminders, one due 2 minutes ago (set the day before): made before the
    deployment starts, so that the worker's first sweep finds it."""
    ready(dave)
    dave.user.email = "rosa@example.com"
    dave.user.save()
    local_now = timezone.localtime(timezone=dave.zone)
    due = (local_now - dt.timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    plan = actions.do_save_reminders(dave, times=[due], weekdays=range(7), by_email=True)
    plan.times_changed_at = timezone.now() - dt.timedelta(days=1)
    plan.save(update_fields=["times_changed_at"])
    return dave


def test_a_reminder_due_once_is_sent_once(rosa: Patient, deployment: dict[str, Any]) -> None:
    """The worker's own sweep sends it; two more sweeps (as from a second worker, or a late
    one) find it sent."""
    mail: Path = deployment["mail"]
    wait_for(lambda: SentReminder.objects.filter(patient=rosa).exists())
    wait_for(lambda: len(list(mail.iterdir())) >= 1)
    more = [send_due_reminders.enqueue(slot=f"extra-{n}") for n in range(2)]
    wait_for(
        lambda: (
            DBTaskResult.objects.filter(id__in=[r.id for r in more], status="SUCCESSFUL").count()
            == 2
        )
    )
    assert SentReminder.objects.filter(patient=rosa).count() == 1
    assert len(list(mail.iterdir())) == 1
    assert "rosa@example.com" in next(mail.iterdir()).read_text()
