"""The private calendar feed: a recurring "Exercise time" event for each session time on
the patient's days, with an alarm, and the weekly check and walking test on the day they are
due. Phones subscribe to its address and fetch it again every few hours, so it follows
changes of times and days by itself.

Nothing of health is in it: the summaries say "Exercise time" (not even the app's name is
in an event), and the address carries only a random token (the feed's only key: a new link
stops the old one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.practice.today import WALKING_TEST_INTERVAL
from stenosis_coach.programme import build_plan

from .models import ReminderPlan
from .selectors import Schedule, schedule_of
from .timing import next_day_on

# How often a calendar app should fetch the feed again.
REFRESH = dt.timedelta(hours=6)
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKLY_CHECK_INTERVAL = dt.timedelta(days=7)


def feed_path(plan: ReminderPlan) -> str:
    return reverse("calendar-feed", args=[plan.calendar_token])


def feed_url(plan: ReminderPlan) -> str:
    return settings.SITE_URL + feed_path(plan)


def session_minutes(patient: Patient) -> int:
    plan = build_plan(current_prescription(patient).to_engine(), patient.language)
    return max(5, math.ceil(plan.total_ms / 60000))


def uid(plan: ReminderPlan, name: str) -> str:
    """Stable for one link, and telling nothing (no id): from a hash of its token."""
    digest = hashlib.sha256(str(plan.calendar_token).encode()).hexdigest()[:20]
    return f"{name}.{digest}@exercise-time"


def calendar_for(plan: ReminderPlan, now: dt.datetime | None = None) -> icalendar.Calendar:
    now = now or timezone.now()
    patient = plan.patient
    with translation.override(patient.language):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Stenosis Coach//Exercise reminders//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Exercise time"))
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH)
        if not patient.stopped_by_red_flag:  # no exercise now: no exercise times
            for event in events(plan, schedule_of(patient, plan), now):
                calendar.add_component(event)
        calendar.add_missing_timezones()
    return calendar


def events(plan: ReminderPlan, schedule: Schedule, now: dt.datetime) -> list[icalendar.Event]:
    patient = plan.patient
    zone = patient.zone
    today = now.astimezone(zone).date()
    made = (plan.calendar_made_at or now).astimezone(zone).date()
    first_day = next_day_on(min(made, today), schedule.weekdays)
    length = dt.timedelta(minutes=session_minutes(patient))
    found = []
    for index, time in enumerate(schedule.times):
        event = exercise_event(plan, _("Exercise time"), uid(plan, f"session-{index + 1}"))
        event.add("dtstart", dt.datetime.combine(first_day, time, tzinfo=zone))
        event.add("duration", length)
        if set(schedule.weekdays) == set(range(7)):
            event.add("rrule", {"freq": "daily"})
        else:
            event.add("rrule", {"freq": "weekly", "byday": [BYDAY[d] for d in schedule.weekdays]})
        found.append(event)
    checks = checks_due(patient, now)
    for day in sorted(set(checks.values())):
        names = [name for name, due in checks.items() if due == day]
        start = dt.datetime.combine(day, schedule.times[0], tzinfo=zone)
        if day.weekday() in schedule.weekdays and day >= first_day:
            # That day's first session, changed: the same event, not a second one beside it.
            event = exercise_event(plan, checks_summary(names), uid(plan, "session-1"))
            event.add("recurrence-id", start)
        else:
            event = exercise_event(plan, checks_summary(names), uid(plan, f"check-{day:%Y%m%d}"))
        event.add("dtstart", start)
        event.add("duration", length)
        found.append(event)
    stamp = now.astimezone(dt.UTC)
    for event in found:
        event.add("dtstamp", stamp)
    return found


def exercise_event(plan: ReminderPlan, summary: str, event_uid: str) -> icalendar.Event:
    """An event with an alarm at its start and a link to Today."""
    today = settings.SITE_URL + reverse("today")
    event = icalendar.Event()
    event.add("uid", event_uid)
    event.add("summary", summary)
    # Not even the app's name, which says what it is for: a calendar is often shared.
    event.add("description", _("Open the app: %(link)s") % {"link": today})
    event.add("url", today)
    event.add("transp", "OPAQUE")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    return event


def checks_due(patient: Patient, now: dt.datetime) -> dict[str, dt.date]:
    """The day (the patient's) each check is due next: a week after the last one, or today
    if it is due already."""
    zone = patient.zone
    today = now.astimezone(zone).date()
    screening = patient.latest_screening()
    walk = patient.walking_tests.order_by("-taken_at").first()

    def due(last: dt.datetime | None, interval: dt.timedelta) -> dt.date:
        # (Due already, or never taken: today.)
        return today if last is None else max(today, (last + interval).astimezone(zone).date())

    return {
        "check": due(screening.taken_at if screening else None, WEEKLY_CHECK_INTERVAL),
        "walk": due(walk.taken_at if walk else None, WALKING_TEST_INTERVAL),
    }


def checks_summary(names: list[str]) -> str:
    if names == ["check"]:
        return _("Exercise time and your weekly check")
    if names == ["walk"]:
        return _("Exercise time and your timed walk")
    return _("Exercise time, your weekly check and your timed walk")
