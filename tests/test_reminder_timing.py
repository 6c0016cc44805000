"""When reminders fall due (reminders/timing.py, pure Python): properties over any times,
zones and days, including the days the clocks change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from stenosis_coach.reminders.timing import (
    LATE_LIMIT,
    at,
    due_reminders,
    next_day_on,
    session_times,
    time_choices,
)

ZONES = ["Europe/Madrid", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
# Around the spring and autumn clock changes, and any other day.
days = st.sampled_from(
    [dt.date(2027, 3, 28), dt.date(2027, 10, 31), dt.date(2027, 3, 14), dt.date(2027, 11, 7)]
) | st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31))


@given(st.lists(times, max_size=4), st.none() | times, st.integers(1, 3))
def test_one_time_per_session_earliest_first(
    chosen: list[dt.time], first: dt.time | None, per_day: int
) -> None:
    result = session_times(chosen, first, per_day)
    assert len(result) == per_day
    assert result == sorted(result)
    if chosen:
        assert result[0] == min(chosen)
    elif first:
        assert result[0] == first


def test_the_offered_times_are_every_half_hour_from_6_to_22() -> None:
    offered = time_choices()
    assert offered[0] == dt.time(6)
    assert offered[-1] == dt.time(22)
    assert all(t.minute in (0, 30) for t in offered)
    assert len(offered) == 33


@settings(max_examples=40, deadline=None)
# Found once: the Saturday 23:01 still due as Sunday's sweeps begin, on the spring clock change.
@example("Europe/Madrid", [dt.time(0), dt.time(23, 1)], frozenset(range(6)), dt.date(2027, 3, 28))
@given(
    st.sampled_from(ZONES),
    st.lists(times, min_size=1, max_size=3, unique=True),
    st.frozensets(st.integers(0, 6), min_size=1),
    days,
)
def test_a_sweep_each_minute_finds_each_time_once_on_its_days(
    zone_name: str, chosen: list[dt.time], weekdays: frozenset[int], day: dt.date
) -> None:
    """Sweeping every minute for a whole local day (and the hour after it) finds each time
    of that day exactly once if the day is one of the weekdays, and no other time."""
    zone = ZoneInfo(zone_name)
    start = at(day, dt.time(0), zone)
    end = at(day + dt.timedelta(days=1), dt.time(0), zone) + LATE_LIMIT
    found: dict[dt.datetime, dt.datetime] = {}
    now = start
    while now < end:
        for reminder in due_reminders(now, zone, chosen, weekdays):
            assert reminder.due_at <= now < reminder.due_at + LATE_LIMIT
            found.setdefault(reminder.due_at, now)
        now += dt.timedelta(minutes=1)
    expected = {at(day, time, zone) for time in chosen} if day.weekday() in weekdays else set()
    assert {due for due in found if due >= start and due < end - LATE_LIMIT} == expected
    for due, first_seen in found.items():
        if due >= start:  # (one from the day before may still be due as the sweeps begin)
            assert first_seen == due  # found the very minute it falls due


@given(st.dates(), st.frozensets(st.integers(0, 6), min_size=1))
def test_the_next_day_on_a_weekday_is_within_a_week(
    start: dt.date, weekdays: frozenset[int]
) -> None:
    try:
        day = next_day_on(start, weekdays)
    except OverflowError:
        return
    assert day.weekday() in weekdays
    assert 0 <= (day - start).days < 7
