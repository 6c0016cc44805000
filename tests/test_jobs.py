"""The job runner: e-mail is sent by the worker, after the request commits, once per key."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from stenosis_coach.jobs.email import enqueue_email
from stenosis_coach.jobs.models import SentEmail
from stenosis_coach.jobs.tasks import send_email
from stenosis_coach.jobs.testing import JobFailed, run_queued_jobs

STENOSIS_COACH = Path(sys.executable).parent / "stenosis-coach"


def queue_reminder(key: str = "reminder-1") -> None:
    enqueue_email(key, "alice@example.org", "Time for your exercises", "Open the app to start.")


@pytest.mark.django_db
def test_an_enqueued_email_waits_for_the_worker(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_reminder()
    assert mailoutbox == []  # not sent in the request

    assert run_queued_jobs() == 1
    [sent] = mailoutbox
    assert sent.subject == "Time for your exercises"
    assert sent.body == "Open the app to start."
    assert sent.to == ["alice@example.org"]
    assert SentEmail.objects.get().key == "reminder-1"


@pytest.mark.django_db
def test_an_email_is_queued_only_when_the_request_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_reminder()
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_the_same_key_twice_sends_one_email(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_reminder("digest-2026-12-02T01")
        queue_reminder("digest-2026-12-02T01")
        queue_reminder("digest-2026-12-02T02")

    assert run_queued_jobs() == 3
    assert len(mailoutbox) == 2
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [
        False,
        True,
        True,
    ]


@pytest.mark.django_db
def test_a_rolled_back_request_sends_nothing(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    def failing_request() -> None:
        with transaction.atomic():
            queue_reminder()
            raise RuntimeError("the request failed after queueing")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_request()

    assert not DBTaskResult.objects.exists()
    assert run_queued_jobs() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_failed_send_can_be_tried_again(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    """The key is kept only with a sent e-mail: a mail server that is down does not mark it
    sent for ever."""

    def refuse(self: EmailMessage, fail_silently: bool = False) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        queue_reminder()
    with pytest.raises(JobFailed, match="ConnectionRefusedError"):
        run_queued_jobs()
    assert not SentEmail.objects.exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        queue_reminder()
    assert run_queued_jobs() == 1
    assert len(mailoutbox) == 1


def test_an_email_needs_a_key_and_an_address() -> None:
    with pytest.raises(ValueError, match="key"):
        enqueue_email("", "alice@example.org", "Subject", "Body")
    with pytest.raises(ValueError, match="key"):
        enqueue_email("k" * 201, "alice@example.org", "Subject", "Body")
    with pytest.raises(ValueError, match="address"):
        enqueue_email("reminder-1", [], "Subject", "Body")


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_email(mailoutbox: list[Any], monkeypatch: Any) -> None:
    """Both runs start before either has sent (the mail server is slow): the unique key
    still lets only one of them send."""
    real_send = EmailMessage.send

    def slow_send(self: EmailMessage, fail_silently: bool = False) -> int:
        time.sleep(0.5)
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", slow_send)
    start = threading.Barrier(2)
    results: list[bool] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(send_email.call("alert-7", ["bob@example.org"], "New alert", "Log in"))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == [False, True]
    assert len(mailoutbox) == 1
    assert SentEmail.objects.count() == 1


def database_url() -> str:
    """The test database, as a URL for a worker started as its own process."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return f"postgres://{user}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def start_worker(*arguments: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"}
    environment.pop("EMAIL_URL", None)  # the console backend: the e-mail lands in stdout
    return subprocess.Popen(
        [str(STENOSIS_COACH), "worker", *arguments],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_done(seconds: float = 30) -> DBTaskResult:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = DBTaskResult.objects.get(task_path=send_email.module_path)  # not the periodic ones
        if job.status in {"SUCCESSFUL", "FAILED"}:
            return job
        time.sleep(0.2)
    raise AssertionError("the worker did not run the job")


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_queued_email_and_stops_cleanly() -> None:
    queue_reminder()  # no transaction open: queued at once
    worker = start_worker()
    try:
        job = wait_until_done()
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert job.status == "SUCCESSFUL", job.traceback
    assert worker.returncode == 0
    assert output.startswith("Worker started: queues *, checks every 1 s")
    assert "Subject: Time for your exercises" in output
    assert SentEmail.objects.get().key == "reminder-1"
    assert mail.outbox == []  # sent by the worker process, not by this one


@pytest.mark.django_db(transaction=True)
def test_the_worker_batch_mode_runs_what_is_queued_then_exits() -> None:
    queue_reminder("reminder-1")
    queue_reminder("reminder-1")
    worker = start_worker("--batch")
    output, _ = worker.communicate(timeout=60)

    assert worker.returncode == 0, output
    assert output.count("Subject: Time for your exercises") == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
