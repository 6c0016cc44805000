"""Periodic jobs that fire once per time slot, however many workers look at the clock.

Each periodic job has a period ("every hour"); time is cut into slots of that length from
the Unix epoch, in UTC (the 14:00 slot of an hourly job runs from 14:00 to 15:00). On every
pass of its loop a worker calls `tick()`: for each job whose current slot it has not seen
yet, it inserts a PeriodicRun row (job, slot). The pair is unique, so only one insert can
win; the worker that wins enqueues the job, in the same transaction. The others get an
IntegrityError (in a savepoint) and move on.

- A worker that was stopped, or busy, and ticks late still fires the current slot once;
  slots missed while no worker ran are not replayed one by one: each job is a sweep that
  looks at the state of things, so one run catches up.
- Each job gets its slot's start (ISO) as `slot=`, so it can name its e-mails by slot.
- A worker remembers the slots it has seen, so it tries each insert once per slot, not on
  every pass.
- `prune_history` (daily) deletes PeriodicRun rows older than KEEP_RUNS_DAYS and finished
  job results older than KEEP_RESULTS_DAYS.

To add a periodic job, add a `register(...)` line at the end of this module (issue 12's
reminder sweep: every minute).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from stenosis_coach.clinic.rules import DIGEST_MINUTES

from .models import PeriodicRun, SentEmail

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

KEEP_RUNS_DAYS = 3  # PeriodicRun rows: enough to see the last few days' runs
KEEP_RESULTS_DAYS = 7  # finished django_tasks_db results (done or failed)
# SentEmail rows (a key and the addresses): long past any retry of the same e-mail, and
# then gone, so a deleted patient's address does not stay for good.
KEEP_SENT_EMAIL_DAYS = 30


@dataclass(frozen=True)
class PeriodicJob:
    name: str  # the PeriodicRun.job value: "clinic.alert-digest"
    every: dt.timedelta
    task_path: str  # a django_tasks task taking slot= (ISO string)

    def slot(self, now: dt.datetime) -> dt.datetime:
        """The start of the slot `now` falls in (UTC)."""
        return EPOCH + ((now - EPOCH) // self.every) * self.every


JOBS: dict[str, PeriodicJob] = {}


def register(name: str, every: dt.timedelta, task_path: str) -> PeriodicJob:
    if every <= dt.timedelta(0) or DAY % every:
        raise ValueError(f"{name}: a period must divide a day evenly, not {every}")
    JOBS[name] = job = PeriodicJob(name, every, task_path)
    return job


def claim_and_enqueue(job: PeriodicJob, slot: dt.datetime) -> bool:
    """Insert the (job, slot) row and enqueue the job, together; False when another worker
    (or an earlier tick) has it already."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=job.name, slot=slot)
        except IntegrityError:
            return False
        import_string(job.task_path).enqueue(slot=slot.isoformat())
    return True


@dataclass
class Ticker:
    """One worker's view of the schedule: the slots it has seen already, so each costs one
    insert attempt per worker. `tick()` returns the names of the jobs it enqueued."""

    jobs: dict[str, PeriodicJob] = field(default_factory=lambda: JOBS)
    seen: dict[str, dt.datetime] = field(default_factory=dict)

    def tick(self, now: dt.datetime | None = None) -> list[str]:
        now = now or timezone.now()
        fired = []
        for job in list(self.jobs.values()):
            slot = job.slot(now)
            if self.seen.get(job.name) == slot:
                continue
            if claim_and_enqueue(job, slot):
                fired.append(job.name)
            self.seen[job.name] = slot
        return fired


def tick(now: dt.datetime | None = None) -> list[str]:
    """One look at the clock with no memory (a new Ticker): for tests and one-off runs."""
    return Ticker().tick(now)


def prune(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete old PeriodicRun rows, finished job results and sent e-mail keys; (runs,
    results) deleted."""
    now = now or timezone.now()
    SentEmail.objects.filter(sent_at__lt=now - dt.timedelta(days=KEEP_SENT_EMAIL_DAYS)).delete()
    runs, _ = PeriodicRun.objects.filter(slot__lt=now - dt.timedelta(days=KEEP_RUNS_DAYS)).delete()
    results, _ = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lt=now - dt.timedelta(days=KEEP_RESULTS_DAYS))
        .delete()
    )
    return runs, results


@task()
def prune_history(slot: str) -> list[int]:
    return list(prune())


register("jobs.prune-history", DAY, "stenosis_coach.jobs.schedule.prune_history")
register(
    "clinic.alert-digest",
    dt.timedelta(minutes=DIGEST_MINUTES),
    "stenosis_coach.clinic.tasks.send_alert_digests",
)
register(
    "clinic.critical-resend",
    dt.timedelta(minutes=10),
    "stenosis_coach.clinic.tasks.resend_open_critical_alerts",
)
register("clinic.inactivity-sweep", HOUR, "stenosis_coach.clinic.tasks.sweep_inactive_patients")
register("reminders.sweep", MINUTE, "stenosis_coach.reminders.tasks.send_due_reminders")
register("exports.prune-files", DAY, "stenosis_coach.exports.prepared.prune_prepared_files")
register("limits.prune-counters", DAY, "stenosis_coach.limits.tasks.prune_counters")
register("fhir.prune-exports", DAY, "stenosis_coach.fhir.tasks.prune_bulk_exports")
