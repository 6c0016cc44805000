"""Reminder settings in plain words, for the reminders page and the settings page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stenosis_coach.patients.models import Patient

from .forms import WEEKDAY_NAMES, spoken_time
from .models import ReminderPlan
from .selectors import Schedule, plan_of, schedule_of


def day_names(weekdays: tuple[int, ...]) -> str:
    if len(weekdays) == 7:
        return _("every day")
    return ", ".join(str(WEEKDAY_NAMES[day]) for day in weekdays)


def reminders_now(plan: ReminderPlan, schedule: Schedule) -> list[str]:
    """What is set now, in plain words, a sentence for each way. (The times and days end
    with no full stop: "6 p.m." has one of its own.)"""
    ways = [
        sentence
        for sentence, on in (
            (_("You get an e-mail at each time."), plan.by_email),
            (_("Your phone shows a message at each time."), plan.by_push),
            (_("Your calendar rings at each time."), bool(plan.calendar_token)),
        )
        if on
    ]
    return [*schedule_lines(schedule), *(ways or [_("You get no reminders.")])]


def schedule_lines(schedule: Schedule) -> list[str]:
    """The times and days, as the reminders page and the printed handout say them."""
    times = ", ".join(spoken_time(time) for time in schedule.times)
    return [
        _("Your times: %(times)s") % {"times": times},
        _("Your days: %(days)s") % {"days": day_names(schedule.weekdays)},
    ]


def summary(patient: Patient) -> list[str]:
    plan = plan_of(patient)
    return reminders_now(plan, schedule_of(patient, plan))


def schedule_of_patient(patient: Patient) -> list[str]:
    return schedule_lines(schedule_of(patient))
