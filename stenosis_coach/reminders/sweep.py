"""The minute sweep: which reminders are due now, sent once each.

Every minute the worker's schedule runs `send_due_reminders`. For each patient with e-mail
or push reminders on, it finds the session times that have come (in the patient's own
zone, at most LATE_LIMIT ago, on their days), skips the ones not needed, and for each way
on inserts a SentReminder row (patient, way, time). The row is unique, so however often the
sweep runs, late or on two workers at once, each reminder goes out once. The e-mail or push
is queued for the worker in the same transaction as the row.

Not needed: a reminder while the programme is paused (a red-flag check to take first, or a
hold), and the nth reminder of a day on which n sessions are done already.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stenosis_coach.jobs.email import enqueue_email
from stenosis_coach.patients.models import Patient

from .models import ReminderPlan, SentReminder
from .selectors import plans_to_send, schedule_of
from .timing import DueReminder, at, due_reminders, session_times

MOST_SESSIONS_A_DAY = 3
EVERY_DAY = range(7)


@dataclass(frozen=True)
class Sent:
    patient_id: int
    channel: str
    due_at: dt.datetime


def send_due_reminders(now: dt.datetime | None = None) -> list[Sent]:
    """Queue every reminder due at `now`; what was queued."""
    now = now or timezone.now()
    sent: list[Sent] = []
    for plan in plans_to_send().iterator(chunk_size=500):
        if may_be_due(plan, now):
            sent += send_for(plan, now)
    return sent


def may_be_due(plan: ReminderPlan, now: dt.datetime) -> bool:
    """A quick look with no query (plans_to_send gives the sessions a day): is any of the
    plan's times due now on any day? Most plans have none in a given minute; only the others
    are looked at closely."""
    chosen = [dt.time.fromisoformat(value) for value in plan.times]
    per_day = getattr(plan, "per_day", None) or MOST_SESSIONS_A_DAY
    times = session_times(chosen, plan.patient.preferred_session_time, per_day)
    return bool(due_reminders(now, plan.patient.zone, times, EVERY_DAY))


def send_for(plan: ReminderPlan, now: dt.datetime) -> list[Sent]:
    patient = plan.patient
    schedule = schedule_of(patient, plan)
    due = due_reminders(
        now, patient.zone, schedule.times, schedule.weekdays, not_before=plan.times_changed_at
    )
    due = [reminder for reminder in due if needed(patient, reminder)]
    channels = [
        channel
        for channel, on in (
            (SentReminder.Channel.EMAIL, plan.by_email and bool(patient.user.email)),
            (SentReminder.Channel.PUSH, plan.by_push),
        )
        if on
    ]
    return [
        Sent(patient.pk, channel, reminder.due_at)
        for reminder in due
        for channel in channels
        if send_once(patient, channel, reminder)
    ]


def needed(patient: Patient, reminder: DueReminder) -> bool:
    if patient.programme_paused:
        return False
    start = at(reminder.local_day, dt.time(0), patient.zone)
    end = at(reminder.local_day + dt.timedelta(days=1), dt.time(0), patient.zone)
    done = patient.sessions.filter(started_at__gte=start, started_at__lt=end).count()
    return done <= reminder.index


def send_once(patient: Patient, channel: str, reminder: DueReminder) -> bool:
    """Insert the SentReminder row and queue the reminder, together; False if it was sent
    already."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    patient=patient, channel=channel, due_at=reminder.due_at
                )
        except IntegrityError:
            return False
        if channel == SentReminder.Channel.EMAIL:
            email_reminder(patient, reminder)
        else:
            from .tasks import send_push_reminder

            transaction.on_commit(
                partial(
                    send_push_reminder.enqueue,
                    patient_id=patient.pk,
                    due_at=reminder.due_at.isoformat(),
                )
            )
    return True


def email_reminder(patient: Patient, reminder: DueReminder) -> None:
    """A short e-mail with no health detail: the time, a link to Today, and how to stop."""
    with translation.override(patient.language):
        local = reminder.due_at.astimezone(patient.zone)
        subject = _("Time to do your exercises")
        body = _(
            "Hello,\n\n"
            "It is %(time)s: time for your exercises.\n\n"
            "Open the app: %(today)s\n\n"
            "You get this e-mail because you asked for reminders. To change them or stop "
            "them, go to %(settings)s\n"
        ) % {
            "time": local.strftime("%H:%M"),
            "today": settings.SITE_URL + reverse("today"),
            "settings": settings.SITE_URL + reverse("reminder-settings"),
        }
    key = f"reminder-{patient.pk}-{reminder.due_at:%Y%m%dT%H%M}"
    enqueue_email(key, patient.user.email, subject, body)
