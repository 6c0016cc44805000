"""The private calendar feed: parsed back with icalendar — a recurring event per session
time on the patient's days, in their time zone, an alarm on each, the weekly check and
walking test on the day they are due, and nothing of health."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from stenosis_coach.patients.models import Patient
from stenosis_coach.reminders import actions
from stenosis_coach.reminders.calendar import calendar_for
from stenosis_coach.reminders.models import ReminderPlan
from tests.patient_pages import do_session, ready

MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def rosa(dave: Patient) -> Patient:
    ready(dave)
    dave.time_zone = "Europe/Madrid"
    dave.preferred_session_time = dt.time(9, 0)
    dave.save()
    return dave


def feed(plan: ReminderPlan) -> icalendar.Calendar:
    response = Client().get(f"/reminders/calendar/{plan.calendar_token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def sessions(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return [e for e in calendar.walk("VEVENT") if "RRULE" in e]


def test_one_recurring_event_per_session_time_in_the_patients_zone(rosa: Patient) -> None:
    version = rosa.prescriptions.latest("number")
    version.sessions_per_day, version.weekdays = 2, [0, 2, 4]
    version.save()
    actions.do_save_reminders(
        rosa, times=[dt.time(8, 30), dt.time(17, 0)], weekdays=[0, 2, 4], by_email=False
    )
    plan = actions.do_make_calendar_link(rosa)
    events = sessions(feed(plan))
    assert [e.start.time() for e in events] == [dt.time(8, 30), dt.time(17, 0)]
    for event in events:
        assert event.start.tzinfo.key == "Europe/Madrid"
        assert event["DTSTART"].params["TZID"] == "Europe/Madrid"
        rule = event["RRULE"]
        assert (rule["FREQ"], rule["BYDAY"]) == (["WEEKLY"], ["MO", "WE", "FR"])
        assert event.start.weekday() in (0, 2, 4)
        assert event["SUMMARY"] == "Exercise time"
        assert event.duration >= dt.timedelta(minutes=5)


def test_the_zone_is_in_the_feed(rosa: Patient) -> None:
    plan = actions.do_make_calendar_link(rosa)
    zones = feed(plan).walk("VTIMEZONE")
    assert [zone["TZID"] for zone in zones] == ["Europe/Madrid"]
    assert {part.name for part in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_every_day_is_a_daily_rule(rosa: Patient) -> None:
    plan = actions.do_make_calendar_link(rosa)
    (event,) = sessions(feed(plan))
    assert event["RRULE"]["FREQ"] == ["DAILY"]
    assert event.start.time() == dt.time(9, 0)


def test_each_event_rings_at_its_start(rosa: Patient) -> None:
    plan = actions.do_make_calendar_link(rosa)
    for event in feed(plan).walk("VEVENT"):
        (alarm,) = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["TRIGGER"].dt == dt.timedelta(0)
        assert alarm["DESCRIPTION"]


def test_checks_due_change_that_days_session(rosa: Patient) -> None:
    """Never walked: the walking test is due today; the red-flag check was taken today, so
    the weekly check is due in 7 days. Both days are session days: that day's event is
    changed (RECURRENCE-ID), not doubled."""
    plan = actions.do_make_calendar_link(rosa)
    calendar = feed(plan)
    changed = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    today = timezone.now().astimezone(MADRID).date()
    by_day = {e["RECURRENCE-ID"].dt.date(): str(e["SUMMARY"]) for e in changed}
    assert by_day == {
        today: "Exercise time and your timed walk",
        today + dt.timedelta(days=7): "Exercise time and your weekly check",
    }
    (series,) = sessions(calendar)
    assert all(e["UID"] == series["UID"] for e in changed)


def test_a_check_on_a_day_with_no_session_is_its_own_event(rosa: Patient) -> None:
    today = timezone.now().astimezone(MADRID).date()
    not_today = [d for d in range(7) if d != today.weekday()]
    version = rosa.prescriptions.latest("number")
    version.weekdays = not_today
    version.save()
    plan = actions.do_make_calendar_link(rosa)
    alone = [e for e in feed(plan).walk("VEVENT") if "RRULE" not in e and "RECURRENCE-ID" not in e]
    assert [(e.start.date(), str(e["SUMMARY"])) for e in alone] == [
        (today, "Exercise time and your timed walk"),
        (today + dt.timedelta(days=7), "Exercise time and your weekly check"),
    ]


def test_no_health_detail_in_the_feed(rosa: Patient) -> None:
    rosa.usual_leg_pain = 7
    rosa.save()
    do_session(rosa, leg_before=6)
    text = calendar_for(actions.do_make_calendar_link(rosa)).to_ical().decode()
    text = text.replace("PRODID:-//Stenosis Coach//", "")  # the program that made it
    for word in ("pain", "Pain", "tenosis", "sciatica", "Knees", "tilt", "Curl", "leg"):
        assert word not in text.split("BEGIN:VEVENT", 1)[1], word
    uids = re.findall(r"^UID:(.*)\r$", text, re.M)
    assert uids
    assert all(
        re.fullmatch(r"(session-\d|check-\d{8})\.[0-9a-f]{20}@exercise-time", u) for u in uids
    )


def test_the_feed_is_in_the_patients_language(rosa: Patient) -> None:
    rosa.language = "es"
    rosa.save()
    plan = actions.do_make_calendar_link(rosa)
    assert {str(e["SUMMARY"]) for e in sessions(feed(plan))} == {"Hora de hacer ejercicio"}


def test_a_red_flag_hold_empties_the_feed(rosa: Patient) -> None:
    from stenosis_coach.patients.actions import record_screening
    from tests.patient_pages import ALL_CLEAR

    plan = actions.do_make_calendar_link(rosa)
    record_screening(rosa, {**ALL_CLEAR, next(iter(ALL_CLEAR)): True})
    assert feed(plan).walk("VEVENT") == []


def test_a_made_up_token_is_a_404(db: None) -> None:
    for token in ("nope", "a" * 43, "../../etc/passwd", ""):
        assert Client().get(f"/reminders/calendar/{token}.ics").status_code == 404


def test_the_command_prints_the_feed_address(rosa: Patient, settings: object) -> None:
    rosa.user.email = "rosa@example.com"
    rosa.user.save()
    out = StringIO()
    call_command("calendar", "--patient", "rosa@example.com", stdout=out)
    token = ReminderPlan.objects.get(patient=rosa).calendar_token
    assert out.getvalue().strip() == f"http://127.0.0.1:8000/reminders/calendar/{token}.ics"
    again = StringIO()
    call_command("calendar", "--patient", "ROSA@example.com", stdout=again)
    assert again.getvalue() == out.getvalue()  # the same link, not a new one


def test_the_command_says_clearly_when_there_is_no_such_patient(db: None) -> None:
    with pytest.raises(CommandError, match="There is no patient with the e-mail nobody@"):
        call_command("calendar", "--patient", "nobody@example.com", stdout=StringIO())
