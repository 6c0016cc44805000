"""The clinic's periodic jobs, run by the worker on the schedule in jobs/schedule.py.

Each takes the start of its time slot (ISO, UTC) and is idempotent: run twice for one slot,
it sends nothing twice (see notify.py and triage.sweep_inactive)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import notify, triage


@task()
def send_alert_digests(slot: str) -> int:
    """The hourly digest of new non-critical alerts; how many e-mails were queued."""
    return notify.send_digests(dt.datetime.fromisoformat(slot))


@task()
def resend_open_critical_alerts(slot: str) -> int:
    """Critical alerts still open after a day, e-mailed again; how many."""
    return notify.resend_open_critical()


@task()
def sweep_inactive_patients(slot: str) -> int:
    """The no_sessions rule (inactivity has no upload to hang it on); alerts raised."""
    return triage.sweep_inactive()
