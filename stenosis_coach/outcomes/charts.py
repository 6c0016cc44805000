"""Charts drawn on the server: this module works out where everything goes, and the
templates outcomes/chart.html and outcomes/calendar.html turn that into markup. No
JavaScript, so the charts show at once, print, and work offline from the page cache.

Each series gets its own marker shape and line style as well as its own colour, so nothing
depends on telling colours apart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

# The drawing's own units. It is drawn at about this size on a phone, so a font size of 18
# here is about 18 px there; on a wider screen it grows.
WIDTH = 340
HEIGHT = 250
# Room for the axis title above the plot and the dates below it.
LEFT, RIGHT, TOP, BOTTOM = 44, WIDTH - 14, 44, HEIGHT - 40

MARKERS = ("circle", "square", "triangle")
DASHES = ("", "10 6", "3 6")  # solid, dashed, dotted
MARKER_RADIUS = 6
# A line with more points than this is drawn without its markers: they would run together
# on a phone. Its numbers are still in the table, each one in words.
MOST_MARKERS = 31
# When a chart has weeks and days (see time_chart's daily_from), the days get at least this
# share of its width, so the last 8 weeks stay readable beside two years of weeks.
DAILY_SHARE = 0.4


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[dt.date, float]]  # oldest first
    steps: bool = False  # drawn flat until the next value (a dose holds until it changes)
    # How a value is said in the tooltips (see number and walk_time).
    label: Callable[[float], str] = field(default=lambda value: number(value))


class Week(dt.date):
    """A week summed up in one point or one table row, named by its Monday. A date (its
    Monday) too, so that whatever writes a row's date still can (the printed handout)."""

    is_week = True  # the table template writes a week's label, not a date

    def __new__(cls, start: dt.date) -> Week:
        return super().__new__(cls, start.year, start.month, start.day)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, self.day)

    @property
    def label(self) -> str:
        """ "Week of Mar 3" in English, "Semana del 3 mar" in Spanish, with the year when it
        is not this year's (two years of history hold two weeks of Mar 3). The date is kept on
        one line (no-break spaces): a narrow column breaks after "Week of"."""
        day = tick_date(self.start, timezone.localdate())
        return _("Week of %(day)s") % {"day": day.replace(" ", "\u00a0")}


@dataclass(frozen=True)
class Split:
    """Where a chart's weeks end and its days begin, in drawing units."""

    at: float
    weeks_label: str
    days_label: str

    @property
    def weeks_x(self) -> float:
        return round(self.at - 6, 1)

    @property
    def days_x(self) -> float:
        return round(self.at + 6, 1)


@dataclass(frozen=True)
class Tick:
    at: float  # position in drawing units
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str  # for the tooltip, such as "March 3: 5"
    path: str  # the marker's outline (see marker_path)


def marker_path(shape: str, x: float, y: float) -> str:
    """A circle, a square or a triangle centred on (x, y), of about the same size."""
    r = MARKER_RADIUS
    if shape == "circle":
        return f"M{x - r:.1f} {y:.1f}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0Z"
    if shape == "square":
        return f"M{x - r:.1f} {y - r:.1f}h{2 * r}v{2 * r}h{-2 * r}Z"
    top, foot, half = y - r - 1, y + r, r + 1
    return f"M{x:.1f} {top:.1f}L{x + half:.1f} {foot:.1f}H{x - half:.1f}Z"


@dataclass(frozen=True)
class Line:
    name: str
    number: int  # 1, 2 or 3: picks the colour, marker and dash
    dash: str
    path: str
    markers: list[Marker]
    legend_marker: str  # the marker drawn in the legend's small picture


Row = Sequence["dt.date | Week | str"]


def when_read(make: Callable[[], Sequence[Row]]) -> Callable[[], Sequence[Row]]:
    """A table's rows made when they are first read, and then in the time zone that is the
    current one now (the patient's, whose days they are)."""
    zone = timezone.get_current_timezone()

    def rows() -> Sequence[Row]:
        with timezone.override(zone):
            return make()

    return rows


@dataclass(frozen=True)
class Table:
    """The chart's numbers, for people who cannot see the drawing. Each row starts with its
    day, which the template writes out in full ("March 3"), or short ("Mar 3") on a phone, so
    that three columns fit a 320-px screen."""

    caption: str
    headers: Sequence[str]
    # The rows, or a function that makes them when they are first read: Progress draws its
    # charts on every visit but shows their tables only when asked (see when_read).
    made_rows: Sequence[Row] | Callable[[], Sequence[Row]]

    @cached_property
    def rows(self) -> Sequence[Row]:
        return self.made_rows() if callable(self.made_rows) else self.made_rows

    @property
    def short_dates(self) -> bool:
        """Three columns or more: a phone gets "Mar 3". Two fit with "March 3" (and the page
        is smaller with one date a row, not two)."""
        return len(self.headers) > 2


@dataclass(frozen=True)
class Chart:
    slug: str  # makes the ids of the title and description unique on the page
    title: str
    summary: str  # one or two sentences that say what the chart shows
    description: str  # what the drawing looks like, for screen readers
    y_label: str
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    table: Table
    more_tables: list[Table] = field(default_factory=list)  # more numbers, after `table`
    split: Split | None = None  # weeks on the left of it, days on the right
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM

    @property
    def legend(self) -> bool:
        return len(self.lines) > 1

    @property
    def tables(self) -> list[Table]:
        return [self.table, *self.more_tables]


def short_date(day: dt.date) -> str:
    """ "Mar 3" in English, "3 mar" in Spanish."""
    return date_format(day, pgettext("date format", "M j"))


def tick_date(day: dt.date, last: dt.date) -> str:
    """A date under the chart, with its year when that is not the last date's year (two
    years of "Dec 2 … Dec 2" would read as no time at all)."""
    if day.year == last.year:
        return short_date(day)
    return date_format(day, pgettext("date format", "M j, Y"))


def long_date(day: dt.date) -> str:
    """ "March 3" in English, "3 de marzo" in Spanish."""
    return date_format(day, "MONTH_DAY_FORMAT")


def number(value: float | Decimal) -> str:
    """5 rather than 5.0, and 4.5 as it is, with the reader's decimal mark: 4,5 in Spanish."""
    value = round(float(value), 1)
    if value == int(value):
        return number_format(int(value))
    return number_format(value, decimal_pos=1)


def walk_time(seconds: int) -> str:
    """A time walked as the patient saw it on the clock: 7:17 is "7 min 17 s"."""
    minutes, seconds = divmod(seconds, 60)
    if not seconds:
        return _("%(minutes)s min") % {"minutes": minutes}
    if not minutes:
        return _("%(seconds)s s") % {"seconds": seconds}
    return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": seconds}


def nice_ceiling(value: float) -> int:
    """A round top for an axis split in five: 50, 75 or 200 rather than 37, 61 or 181."""
    if value <= 10:
        return 10
    magnitude = 10 ** math.floor(math.log10(value))
    return next(
        int(factor * magnitude)
        for factor in (1, 1.5, 2, 2.5, 3, 5, 7.5, 10)
        if factor * magnitude >= value
    )


def time_chart(
    *,
    slug: str,
    title: str,
    summary: str,
    y_label: str,
    y_max: float,
    y_step: float,
    series: Sequence[Series],
    table: Table,
    until: dt.date | None = None,
    more_tables: Sequence[Table] = (),
    daily_from: dt.date | None = None,
) -> Chart:
    """A chart of values over time, one line per series.

    until: carry the last value of each series drawn in steps on to this day.
    daily_from: points before this day are weeks (each on its Monday), the rest are days;
    the days get at least DAILY_SHARE of the width, and a line marks where they begin.
    """
    days = [day for s in series for day, _ in s.points] + ([until] if until else [])
    first, last = min(days), max(days)
    if daily_from is not None and not first < daily_from <= last:
        daily_from = None  # all weeks, or all days: one scale
    x_of = x_scale(first, last, daily_from)
    y_of = y_scale(y_max)
    lines = [
        plot_line(index, s, x_of, y_of, until=until, daily_from=daily_from)
        for index, s in enumerate(series)
        if s.points
    ]
    if first == last:
        description = _("A line chart of %(day)s. The numbers are in the table below it.") % {
            "day": long_date(first)
        }
    else:
        description = _(
            "A line chart from %(first)s to %(last)s. The numbers are in the table below it."
        ) % {"first": long_date(first), "last": long_date(last)}
    split = None
    if daily_from is not None:
        description += " " + _("Before %(day)s, each point is one week.") % {
            "day": long_date(daily_from)
        }
        split = Split(round(x_of(daily_from) - 6, 1), _("Each week"), _("Each day"))
    return Chart(
        slug=slug,
        title=title,
        summary=summary,
        description=description,
        y_label=y_label,
        lines=lines,
        x_ticks=split_ticks(first, daily_from, last, x_of)
        if daily_from
        else date_ticks(first, last, x_of),
        y_ticks=[Tick(round(y_of(v), 1), number(v)) for v in axis_values(y_max, y_step)],
        table=table,
        more_tables=list(more_tables),
        split=split,
    )


def x_scale(
    first: dt.date, last: dt.date, daily_from: dt.date | None = None
) -> Callable[[dt.date], float]:
    """Days to drawing units. With daily_from (first < daily_from <= last), two scales: the
    weeks before it on the left, the days from it on at least DAILY_SHARE of the width."""
    span = (last - first).days
    inset = 12  # keeps the first and last markers off the axes
    low, high = LEFT + inset, RIGHT - inset

    def x_of(day: dt.date) -> float:
        if span == 0:
            return (LEFT + RIGHT) / 2
        return low + (day - first).days / span * (high - low)

    if daily_from is None:
        return x_of
    days = (last - daily_from).days
    # ... and at most 3/4 of it, so that the words over the weeks fit.
    share = min(max(days / span, DAILY_SHARE), 0.75)
    # The days begin a week's width right of the split line, as the last week ends there.
    split = high - share * (high - low)
    weeks = (daily_from - first).days

    def split_x_of(day: dt.date) -> float:
        if day >= daily_from:
            return split + ((day - daily_from).days / days if days else 1) * (high - split)
        return low + (day - first).days / weeks * (split - low - 12)

    return split_x_of


def y_scale(y_max: float) -> Callable[[float], float]:
    def y_of(value: float) -> float:
        return BOTTOM - value / y_max * (BOTTOM - TOP)

    return y_of


def axis_values(y_max: float, y_step: float) -> list[float]:
    return [n * y_step for n in range(math.floor(y_max / y_step) + 1)]


def date_ticks(first: dt.date, last: dt.date, x_of: Callable[[dt.date], float]) -> list[Tick]:
    """The first and last dates, and the middle one when there is room between them."""
    days = [first] if first == last else [first, last]
    if (last - first).days >= 4:
        days.insert(1, first + (last - first) / 2)
    return [Tick(round(x_of(day), 1), tick_date(day, last)) for day in days]


def split_ticks(
    first: dt.date, daily_from: dt.date, last: dt.date, x_of: Callable[[dt.date], float]
) -> list[Tick]:
    """The first week, the first day and the last day."""
    return [Tick(round(x_of(day), 1), tick_date(day, last)) for day in (first, daily_from, last)]


def plot_line(
    index: int,
    series: Series,
    x_of: Callable[[dt.date], float],
    y_of: Callable[[float], float],
    *,
    until: dt.date | None,
    daily_from: dt.date | None = None,
) -> Line:
    shape = MARKERS[index % len(MARKERS)]
    if len(series.points) > MOST_MARKERS:  # the line alone: see MOST_MARKERS
        points = [Marker(x_of(day), y_of(value), "", "") for day, value in series.points]
        markers = []
    else:
        points = markers = [
            plot_marker(
                shape,
                x_of(day),
                y_of(value),
                # A plan (drawn in steps) changes on a day, even among the weeks.
                Week(day) if daily_from and day < daily_from and not series.steps else day,
                series.label(value),
            )
            for day, value in series.points
        ]
    path = step_path(points) if series.steps else straight_path(points)
    if series.steps and until is not None:
        path += f"H{x_of(until):.1f}"
    return Line(
        name=series.name,
        number=index + 1,
        dash=DASHES[index % len(DASHES)],
        path=path,
        markers=markers,
        legend_marker=marker_path(shape, 22, 10),
    )


def plot_marker(shape: str, x: float, y: float, day: dt.date | Week, value: str) -> Marker:
    when = day.label if isinstance(day, Week) else long_date(day)
    return Marker(x, y, f"{when}: {value}", marker_path(shape, x, y))


def straight_path(markers: Iterable[Marker]) -> str:
    return "".join(f"{'M' if n == 0 else 'L'}{m.x:.1f} {m.y:.1f}" for n, m in enumerate(markers))


def step_path(markers: Sequence[Marker]) -> str:
    path = f"M{markers[0].x:.1f} {markers[0].y:.1f}"
    for marker in markers[1:]:
        path += f"H{marker.x:.1f}V{marker.y:.1f}"
    return path


def change_sentence(
    what: str, values: Sequence[float], *, label: Callable[[float], str] = number
) -> str:
    """How a value changed from the first time to the last, in a sentence such as
    "Your leg pain went from 6 to 3." (label: how a value is said, such as walk_time)"""
    words = {"what": what, "first": label(values[0]), "last": label(values[-1])}
    if len(values) == 1:
        return _("%(what)s was %(first)s.") % words
    if words["first"] == words["last"]:
        return _("%(what)s stayed at %(first)s.") % words
    return _("%(what)s went from %(first)s to %(last)s.") % words


# One letter for each day, Monday first, for the calendar's columns on a phone ("L M X J V
# S D" in Spanish: two days start with M).
WEEKDAY_INITIALS = (
    pgettext_lazy("initial of Monday", "M"),
    pgettext_lazy("initial of Tuesday", "T"),
    pgettext_lazy("initial of Wednesday", "W"),
    pgettext_lazy("initial of Thursday", "T"),
    pgettext_lazy("initial of Friday", "F"),
    pgettext_lazy("initial of Saturday", "S"),
    pgettext_lazy("initial of Sunday", "S"),
)


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    sessions: int
    later: bool  # after today: neither done nor missed
    before: bool = False  # before the patient started: neither done nor missed

    @property
    def label(self) -> str:
        """ "Monday, March 3" in English, "lunes 3 de marzo" in Spanish."""
        return date_format(self.day, pgettext("date format", "l, F j"))

    @property
    def initial(self) -> str:
        return str(WEEKDAY_INITIALS[self.day.weekday()])


@dataclass(frozen=True)
class CalendarWeek:
    days: list[CalendarDay]

    @property
    def start(self) -> dt.date:
        return self.days[0].day

    @property
    def days_done(self) -> int:
        return sum(1 for day in self.days if day.sessions)

    @property
    def sessions(self) -> int:
        return sum(day.sessions for day in self.days)


def session_calendar(
    session_days: Sequence[dt.date],
    today: dt.date,
    weeks: int = 8,
    since: dt.date | None = None,
) -> list[CalendarWeek]:
    """The last `weeks` weeks, Monday to Sunday, oldest first, with the number of sessions
    done each day. since: the day the patient started; the weeks before it are left out,
    and its week's days before it are neither done nor missed."""
    counts = Counter(session_days)
    first_monday = today - dt.timedelta(days=today.weekday(), weeks=weeks - 1)
    if since is not None:
        first_monday = max(first_monday, since - dt.timedelta(days=since.weekday()))
    count = ((today - first_monday).days // 7 + 1) * 7
    days = [first_monday + dt.timedelta(days=n) for n in range(count)]
    return [
        CalendarWeek(
            [
                CalendarDay(
                    day,
                    counts[day],
                    later=day > today,
                    before=since is not None and day < since,
                )
                for day in days[n : n + 7]
            ]
        )
        for n in range(0, len(days), 7)
    ]
