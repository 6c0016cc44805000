"""When reminders fall due: pure date and time arithmetic, no database.

A patient's session times are wall-clock times in their own zone ("09:00" in
Europe/Madrid), so a reminder stays at 09:00 through a change to or from summer time. A
time that does not exist on one day (02:30 when clocks jump to 03:00) falls at the same
offset as before the jump, as zoneinfo places it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# One time per session of the day, for a patient who has not chosen them: the first is the
# time given when getting started, the others spread through the day.
DEFAULT_TIMES = (dt.time(9, 0), dt.time(15, 0), dt.time(19, 0))
# The times offered on the settings page: every half hour from 06:00 to 22:00.
FIRST_CHOICE, LAST_CHOICE = dt.time(6, 0), dt.time(22, 0)
# A reminder is sent if the sweep sees it at most this late (a worker that was stopped, a
# slow queue); after that it would only confuse.
LATE_LIMIT = dt.timedelta(minutes=60)


def time_choices() -> list[dt.time]:
    """Every half hour from FIRST_CHOICE to LAST_CHOICE."""
    start = FIRST_CHOICE.hour * 60 + FIRST_CHOICE.minute
    end = LAST_CHOICE.hour * 60 + LAST_CHOICE.minute
    return [dt.time(minutes // 60, minutes % 60) for minutes in range(start, end + 1, 30)]


def session_times(chosen: Sequence[dt.time], first: dt.time | None, per_day: int) -> list[dt.time]:
    """One time per session of the day, earliest first: the chosen ones, and for sessions
    with none chosen yet (the therapist added one) a later time: the next default, or an
    hour after the last."""
    times = sorted(set(chosen))[:per_day] or [first or DEFAULT_TIMES[0]]
    while len(times) < per_day:
        later = [default for default in DEFAULT_TIMES if default > times[-1]]
        an_hour_on = min(times[-1].hour + 1, 23)
        times.append(later[0] if later else dt.time(an_hour_on, times[-1].minute))
    return times


@dataclass(frozen=True)
class DueReminder:
    index: int  # which session of the day: 0 for the first
    local_day: dt.date
    due_at: dt.datetime  # aware, UTC


def at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The moment (UTC) a wall-clock time falls on a day in a zone."""
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)


def due_reminders(
    now: dt.datetime,
    zone: ZoneInfo,
    times: Sequence[dt.time],
    weekdays: Iterable[int],
    *,
    not_before: dt.datetime | None = None,
) -> list[DueReminder]:
    """The reminders due at `now`: each session time that has come within LATE_LIMIT, on one
    of the weekdays, and not before `not_before` (the last change of the settings, so a new
    time already past today is not sent at once)."""
    days = set(weekdays)
    today = now.astimezone(zone).date()
    due = []
    for day in (today - dt.timedelta(days=1), today):  # a 23:30 time is still due at 00:10
        if day.weekday() not in days:
            continue
        for index, time in enumerate(times):
            moment = at(day, time, zone)
            in_time = moment <= now < moment + LATE_LIMIT
            if in_time and (not_before is None or moment >= not_before):
                due.append(DueReminder(index, day, moment))
    return due


def next_day_on(start: dt.date, weekdays: Iterable[int]) -> dt.date:
    """The first day from `start` on one of the weekdays (start itself if it is one)."""
    days = set(weekdays) or set(range(7))
    day = start
    while day.weekday() not in days:
        day += dt.timedelta(days=1)
    return day
