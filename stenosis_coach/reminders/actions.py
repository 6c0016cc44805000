"""Writes for reminders: the patient's times, days and ways, and the calendar link. Each
runs in one transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from stenosis_coach.patients.models import Patient

from .models import ReminderPlan
from .selectors import plan_of, schedule_of

TOKEN_BYTES = 32  # 43 characters in the link: not guessable


def saved_plan(patient: Patient) -> ReminderPlan:
    """The patient's plan, saved (made now, with nothing on, if there was none), locked for
    the rest of the transaction so two saves at once do not undo each other."""
    plan, _ = ReminderPlan.objects.select_for_update().get_or_create(patient=patient)
    return plan


@transaction.atomic
def do_save_reminders(
    patient: Patient,
    *,
    times: Sequence[dt.time],
    weekdays: Sequence[int],
    by_email: bool,
) -> ReminderPlan:
    """The session times (one per session of the day), the days and e-mail on or off.
    Days equal to the prescription's are kept as "the prescription's", so that they follow
    a change the therapist makes. The first time is also the patient's usual time of day."""
    plan = saved_plan(patient)
    prescribed = schedule_of(patient, plan).prescribed_weekdays
    chosen_days = sorted(set(weekdays))
    new_times = [time.strftime("%H:%M") for time in sorted(set(times))]
    new_days = [] if tuple(chosen_days) == prescribed else chosen_days
    if (new_times, new_days) != (plan.times, plan.weekdays):
        plan.times_changed_at = timezone.now()
    plan.times, plan.weekdays = new_times, new_days
    plan.by_email = by_email
    plan.save()
    patient.preferred_session_time = min(times)
    patient.save(update_fields=["preferred_session_time"])
    return plan


@transaction.atomic
def do_make_calendar_link(patient: Patient) -> ReminderPlan:
    """A new private calendar link; an older one stops working at once."""
    plan = saved_plan(patient)
    if not plan.times:  # the feed shows the times as they are now
        plan.times = [time.strftime("%H:%M") for time in schedule_of(patient, plan).times]
    plan.calendar_token = secrets.token_urlsafe(TOKEN_BYTES)
    plan.calendar_made_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def do_stop_calendar_link(patient: Patient) -> None:
    plan = plan_of(patient)
    if plan.pk is None or not plan.calendar_token:
        return
    plan = saved_plan(patient)
    plan.calendar_token = None
    plan.calendar_made_at = None
    plan.save()


@transaction.atomic
def do_turn_on_demo_reminders(patient: Patient) -> ReminderPlan:
    """What a demo patient has on: an e-mail at their session times, and a calendar link."""
    schedule = schedule_of(patient)
    do_save_reminders(patient, times=schedule.times, weekdays=schedule.weekdays, by_email=True)
    return do_make_calendar_link(patient)
