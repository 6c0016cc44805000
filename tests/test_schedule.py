"""The periodic schedule: each job fires once per time slot across any number of workers,
late ticks still fire, and old rows are pruned (jobs/schedule.py, the worker command)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from stenosis_coach.jobs import schedule
from stenosis_coach.jobs.models import PeriodicRun
from stenosis_coach.jobs.schedule import JOBS, PeriodicJob, Ticker, register, tick
from stenosis_coach.jobs.testing import run_queued_jobs
from tests.test_jobs import STENOSIS_COACH, database_url

AT_14_37 = dt.datetime(2026, 3, 3, 14, 37, 12, tzinfo=dt.UTC)
HOURLY = {name for name, job in JOBS.items() if job.every == dt.timedelta(hours=1)}


def queued(task_path: str | None = None) -> int:
    jobs = DBTaskResult.objects.all()
    return (jobs.filter(task_path=task_path) if task_path else jobs).count()


def test_a_slot_starts_at_a_whole_period() -> None:
    hourly = PeriodicJob("x", dt.timedelta(hours=1), "x")
    assert hourly.slot(AT_14_37) == dt.datetime(2026, 3, 3, 14, tzinfo=dt.UTC)
    minutely = PeriodicJob("x", dt.timedelta(minutes=1), "x")
    assert minutely.slot(AT_14_37) == dt.datetime(2026, 3, 3, 14, 37, tzinfo=dt.UTC)
    ten = PeriodicJob("x", dt.timedelta(minutes=10), "x")
    assert ten.slot(AT_14_37) == dt.datetime(2026, 3, 3, 14, 30, tzinfo=dt.UTC)


def test_the_periodic_jobs_are_registered() -> None:
    assert {"clinic.alert-digest", "clinic.inactivity-sweep"} <= HOURLY
    assert JOBS["clinic.critical-resend"].every <= dt.timedelta(minutes=15)
    assert JOBS["jobs.prune-history"].every == dt.timedelta(days=1)


def test_a_period_must_divide_a_day() -> None:
    with pytest.raises(ValueError, match="divide a day"):
        register("bad", dt.timedelta(minutes=7), "x")
    assert "bad" not in JOBS


@pytest.mark.django_db
def test_two_workers_ticking_the_same_slot_enqueue_each_job_once() -> None:
    first, second = Ticker(), Ticker()
    assert sorted(first.tick(AT_14_37)) == sorted(JOBS)
    assert second.tick(AT_14_37 + dt.timedelta(seconds=1)) == []
    assert queued() == len(JOBS)
    assert PeriodicRun.objects.count() == len(JOBS)
    # The next hour: the hourly jobs (and the 10-minute one) fire again, once.
    fired = second.tick(AT_14_37 + dt.timedelta(hours=1))
    assert first.tick(AT_14_37 + dt.timedelta(hours=1, seconds=5)) == []
    assert set(fired) >= HOURLY
    assert "jobs.prune-history" not in fired


@pytest.mark.django_db
def test_a_late_tick_fires_the_missed_slot_once() -> None:
    """No worker looked at the clock from 13:00 until 14:59: the 14:00 slot still fires,
    once; the slots missed before it are not replayed one by one."""
    tick(dt.datetime(2026, 3, 3, 12, 0, 1, tzinfo=dt.UTC))
    before = queued("stenosis_coach.clinic.tasks.send_alert_digests")
    late = dt.datetime(2026, 3, 3, 14, 59, 59, tzinfo=dt.UTC)
    assert "clinic.alert-digest" in tick(late)
    assert "clinic.alert-digest" not in tick(late)
    assert queued("stenosis_coach.clinic.tasks.send_alert_digests") == before + 1
    slots = PeriodicRun.objects.filter(job="clinic.alert-digest").values_list("slot", flat=True)
    assert sorted(slot.hour for slot in slots) == [12, 14]


@pytest.mark.django_db
def test_the_job_gets_its_slot_and_runs(alice: Any) -> None:
    now = timezone.now()
    tick(now)
    assert run_queued_jobs() == len(JOBS)
    digest = DBTaskResult.objects.get(task_path="stenosis_coach.clinic.tasks.send_alert_digests")
    assert digest.status == "SUCCESSFUL"
    slot = JOBS["clinic.alert-digest"].slot(now)
    assert digest.args_kwargs["kwargs"] == {"slot": slot.isoformat()}


@pytest.mark.django_db
def test_old_runs_and_finished_results_are_pruned_by_a_periodic_job() -> None:
    now = timezone.now()
    old = PeriodicRun.objects.create(job="clinic.alert-digest", slot=now - dt.timedelta(days=4))
    recent = PeriodicRun.objects.create(job="clinic.alert-digest", slot=now - dt.timedelta(days=2))
    tick(now - dt.timedelta(days=10))  # jobs run then, finished long ago ...
    run_queued_jobs()
    DBTaskResult.objects.update(finished_at=now - dt.timedelta(days=8))
    waiting = schedule.prune_history.enqueue(slot="a job not run yet")
    old_unfinished = DBTaskResult.objects.get(id=waiting.id)

    fired = tick(now)
    assert "jobs.prune-history" in fired
    # Run the prune job first: the others are what it must keep or delete.
    prune = DBTaskResult.objects.filter(
        task_path="stenosis_coach.jobs.schedule.prune_history", status="READY"
    ).exclude(id=old_unfinished.id)
    prune.get().task.call(slot=now.isoformat())

    assert not PeriodicRun.objects.filter(pk=old.pk).exists()
    assert PeriodicRun.objects.filter(pk=recent.pk).exists()
    assert not DBTaskResult.objects.filter(finished_at__lt=now - dt.timedelta(days=7)).exists()
    assert DBTaskResult.objects.filter(id=old_unfinished.id).exists()  # never run: kept
    assert DBTaskResult.objects.filter(status="READY").count() == len(JOBS) + 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_enqueue_once() -> None:
    start = threading.Barrier(2)
    fired: list[list[str]] = []

    def worker() -> None:
        try:
            start.wait()
            fired.append(Ticker().tick(AT_14_37))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Each job fires once between them; which worker wins each insert is up to the race.
    assert len(fired) == 2
    assert sorted(name for names in fired for name in names) == sorted(JOBS)
    assert queued() == len(JOBS)


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_fires_the_schedule_in_batch_mode() -> None:
    environment = {"DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"}
    run = lambda: subprocess.run(  # noqa: E731
        [str(STENOSIS_COACH), "worker", "--batch"],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    first = run()
    assert first.returncode == 0, first.stdout + first.stderr
    assert PeriodicRun.objects.count() == len(JOBS)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert queued() == len(JOBS)

    second = run()  # another worker: nothing again in the same slots
    assert second.returncode == 0, second.stdout + second.stderr
    assert queued() == PeriodicRun.objects.count()  # one job per (job, slot), ever


def test_a_running_worker_keeps_looking_at_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only at start: while the library's loop runs jobs, the schedule is ticked every
    `interval` seconds (so the digest fires each hour in a worker that runs for days), and
    the ticking stops with the worker."""
    from django_tasks_db.management.commands import db_worker

    from stenosis_coach.jobs.management.commands.worker import ScheduledWorker

    ticks: list[float] = []
    monkeypatch.setattr(Ticker, "tick", lambda self, now=None: ticks.append(time.monotonic()) or [])
    monkeypatch.setattr(db_worker.Worker, "run", lambda self: time.sleep(0.5))
    worker = ScheduledWorker(
        queue_names=["*"],
        interval=0.05,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.run()
    assert len(ticks) >= 4
    stopped_at = len(ticks)
    time.sleep(0.2)
    assert len(ticks) == stopped_at


@pytest.mark.django_db
def test_sent_email_keys_are_kept_30_days_then_deleted() -> None:
    from stenosis_coach.jobs.models import SentEmail

    old = SentEmail.objects.create(key="old", to="rosa@example.com")
    recent = SentEmail.objects.create(key="recent", to="rosa@example.com")
    SentEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - dt.timedelta(days=31))
    schedule.prune()
    assert list(SentEmail.objects.values_list("key", flat=True)) == [recent.key]
