"""Reads for the clinic side: the caseload, the clinic report and the audit log, in one place.

The caseload is one query whatever the number of patients or the length of their history:
each patient's row joined to their summary row (models.PatientSummary, kept up to date by
summaries.py in the transaction of each upload and alert), with their latest prescription
version and reminder settings through their indexes. The summary keeps moments, not counts,
for its windows: days are the patient's own, in their time zone, so "the last 7 days" are
counted here when reading, as `now` moves on. The rows on a page then take one query for
their pain, one for their walks and one for their alerts in words.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from statistics import fmean, median
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from stenosis_coach.db_functions import EpochSeconds
from stenosis_coach.outcomes.models import ActivityScore, WalkingTest
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import PrescriptionVersion
from stenosis_coach.reminders.models import ReminderPlan
from stenosis_coach.reminders.selectors import ANY_ON as ANY_REMINDER

from .models import Alert, AuditEntry, PatientSummary, StaffMember
from .rules import RULES, describe_alert

# A change in leg pain this big is meaningful (clinical-notes.md: 2 points or 30%).
MEANINGFUL_PAIN_POINTS = 2
MEANINGFUL_PAIN_PERCENT = 30
# A change in the patient-specific function scale this big is meaningful (about 2 points).
MEANINGFUL_FUNCTION_POINTS = 2
RECENT_DAYS = 7  # adherence's short window, and "leg pain now"
MONTH_DAYS = 30  # adherence's long window, and the sparkline
FIRST_WEEK_DAYS = 7  # "the first week": from the day of the first session
INACTIVE_DAYS = 7  # no session in this many days: inactive
RED_LATELY_DAYS = 7  # a red light in this many days
PAGE_SIZE = 25
MAX_SEARCH = 100

SEVERITIES = [
    Alert.Severity.CRITICAL,
    Alert.Severity.HIGH,
    Alert.Severity.MEDIUM,
    Alert.Severity.LOW,
]
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}

MINE, ALL, HAS_ALERTS, INACTIVE = "mine", "all", "alerts", "inactive"
FILTERS = (MINE, ALL, HAS_ALERTS, INACTIVE)
# Each sort puts who needs a look first: most severe alerts, the longest since a session,
# the lowest adherence, the leg pain that rose most. Name is A to Z.
SORTS = ("alerts", "name", "last_session", "adherence", "pain_change")
DEFAULT_SORT = "alerts"


# -- the figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Adherence:
    """Sessions done against sessions the schedule asked for in a window of days."""

    done: int
    expected: int

    @property
    def percent(self) -> int | None:
        """Capped at 100 (an extra session does not make up for another week); None when
        nothing was due yet."""
        if self.expected <= 0:
            return None
        return min(100, round(100 * self.done / self.expected))


@dataclass(frozen=True)
class PainChange:
    """Median leg pain before sessions: the first week against the last 7 days."""

    first_week: float
    now: float

    @property
    def change(self) -> float:
        return self.now - self.first_week

    @property
    def meaningful(self) -> bool:
        return meaningful_pain_change(self.first_week, self.now)

    @property
    def better(self) -> bool:
        return self.change < 0


def meaningful_pain_change(first_week: float, now: float) -> bool:
    """2 points, or 30% of the first week's pain, either way. Medians are whole or halves,
    so the comparison is exact (no floating-point share)."""
    change = abs(now - first_week)
    return change >= MEANINGFUL_PAIN_POINTS or (
        first_week > 0 and change * 100 >= MEANINGFUL_PAIN_PERCENT * first_week
    )


@dataclass(frozen=True)
class OpenAlert:
    rule: str
    severity: str
    title: str
    text: str
    raised_at: dt.datetime


@dataclass
class SessionCounts:
    """A patient's sessions against their schedule, from the summary's moments. Read as
    JSON text and counted only when asked for: most sorts need them for a page of rows only,
    and decoding every row's moments is most of the cost of a large caseload."""

    time_zone: str
    now: dt.datetime
    started: dt.date
    today: dt.date
    ever: int  # every session
    starts_json: str | None  # the moments of the recent sessions, oldest first
    per_day: int
    weekdays_json: str | None  # the schedule's weekdays (empty: every day)

    @cached_property
    def starts(self) -> list[int]:
        return json.loads(self.starts_json) if self.starts_json else []

    @cached_property
    def schedule(self) -> dict[str, Any]:
        weekdays = json.loads(self.weekdays_json) if self.weekdays_json else []
        return {
            "per_day": self.per_day,
            "weekdays": weekdays or list(range(7)),
            "done_today": self.done_since(0),
            "today": self.today,
        }

    def done_since(self, days_ago: int) -> int:
        """Sessions from the start of the patient's day `days_ago` days before today."""
        return len(self.starts) - bisect_left(
            self.starts, day_start(self.time_zone, self.now, days_ago)
        )

    def window(self, days: int) -> Adherence:
        first = max(self.started, self.today - dt.timedelta(days=days - 1))
        return adherence(done=self.done_since(days - 1), first=first, **self.schedule)

    @property
    def programme(self) -> Adherence:
        return adherence(done=self.ever, first=self.started, **self.schedule)


@dataclass
class CaseloadRow:
    """One patient on the caseload."""

    patient_id: int
    name: str
    email: str
    therapist_id: int | None
    therapist: str
    zone: ZoneInfo
    today: dt.date  # the patient's own
    first_session: int | None  # when, in EpochSeconds
    started: dt.date  # the day of the first session (or of joining, if earlier)
    last_session: dt.date | None
    days_since_session: int | None
    counts: SessionCounts  # adherence, counted when first asked for
    alert_counts: dict[str, int]
    reminders_on: bool = False  # any way: e-mail, push or the calendar
    latest_leg_pain: int | None = None  # before the latest session
    red_lately: bool = False  # a red light in the last RED_LATELY_DAYS days
    # Filled by add_walking (for every row for the report; else for the page's rows):
    walking_first: Decimal | None = None  # minutes
    walking_latest: Decimal | None = None
    walking_tests: int = 0
    # Filled by add_pain (for every row when sorting by it; else for the page's rows):
    pain_first_week: float | None = None
    pain_now: float | None = None
    pain: PainChange | None = None  # None until the first week is over and both have pain
    # Filled for the rows on the page only:
    alerts: list[OpenAlert] = field(default_factory=list)
    sparkline: list[tuple[dt.date, float]] = field(default_factory=list)

    @property
    def adherence_7(self) -> Adherence:
        return self.counts.window(RECENT_DAYS)

    @property
    def adherence_30(self) -> Adherence:
        return self.counts.window(MONTH_DAYS)

    @property
    def adherence_programme(self) -> Adherence:
        return self.counts.programme

    @property
    def open_alerts(self) -> int:
        return sum(self.alert_counts.values())

    @property
    def severity_counts(self) -> list[tuple[str, int]]:
        """(severity, count) for each severity with open alerts, most severe first."""
        return [(s, self.alert_counts[s]) for s in SEVERITIES if self.alert_counts.get(s)]

    @property
    def in_first_week(self) -> bool:
        """The first session was less than FIRST_WEEK_DAYS days ago (no change to say yet)."""
        if self.first_session is None:
            return False
        first_day = day_of(self.first_session, self.zone)
        return self.today < first_day + dt.timedelta(days=FIRST_WEEK_DAYS)

    @property
    def walking_change(self) -> Decimal | None:
        if self.walking_first is None or self.walking_latest is None or self.walking_tests < 2:
            return None
        return self.walking_latest - self.walking_first


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[CaseloadRow]
    filter: str
    search: str
    sort: str
    page: int
    pages: int
    total: int  # patients that match the filter and search
    clinic_has_patients: bool  # whatever the filter and search

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# -- days in each patient's own zone ---------------------------------------------------


@lru_cache(maxsize=256)
def zone_of(time_zone: str) -> ZoneInfo:
    """The zone a patient's days are counted in (the server's when unknown or wrong)."""
    return Patient(time_zone=time_zone).zone


def day_of(seconds: int, zone: ZoneInfo) -> dt.date:
    """The patient's day of a moment given in EpochSeconds."""
    return dt.datetime.fromtimestamp(seconds, zone).date()


def midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


def local_day(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()


def window_starts(time_zones: Iterable[str], now: dt.datetime, days: int) -> dict[str, dt.datetime]:
    """For each time zone name, the start of the patient's day `days - 1` days before today:
    the start of a window of `days` days that ends today."""
    starts = {}
    for name in time_zones:
        zone = zone_of(name)
        starts[name] = midnight(local_day(now, zone) - dt.timedelta(days=days - 1), zone)
    return starts


def per_zone(starts: Mapping[str, dt.datetime]) -> Case:
    """The window's start for each patient row, by the patient's time zone."""
    whens = [When(time_zone=name, then=Value(start)) for name, start in starts.items()]
    fallback = min(starts.values())
    return Case(*whens, default=Value(fallback), output_field=DateTimeField())


@lru_cache(maxsize=4096)
def scheduled_days(weekdays: tuple[int, ...], first: dt.date, last: dt.date) -> int:
    """How many days from `first` to `last` (both included) fall on the given weekdays.
    (Cached: the patients of a clinic share a few schedules and the same windows.)"""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    tail = (first + dt.timedelta(days=weeks * 7 + offset) for offset in range(rest))
    return weeks * len(set(weekdays)) + sum(1 for day in tail if day.weekday() in weekdays)


def adherence(
    *,
    done: int,
    done_today: int,
    per_day: int,
    weekdays: Sequence[int],
    first: dt.date,
    today: dt.date,
) -> Adherence:
    """Sessions done from `first` to today against the schedule. Today is not over: it
    counts as due only as far as it is done, so a morning visit shows no miss yet."""
    yesterday = today - dt.timedelta(days=1)
    expected = per_day * scheduled_days(tuple(sorted(weekdays)), first, yesterday)
    if today.weekday() in weekdays and first <= today:
        expected += min(per_day, done_today)
    return Adherence(done=done, expected=expected)


# -- the queries -----------------------------------------------------------------------


def clinic_patients(staff: StaffMember) -> QuerySet[Patient]:
    return Patient.objects.filter(clinic_id=staff.clinic_id)


def with_figures(patients: QuerySet[Patient], now: dt.datetime) -> QuerySet[Patient]:
    """Each patient with their summary's figures (a left join: a patient with no summary
    row yet has empty ones), their schedule and whether reminders are on."""
    # (No patients, no zones: the server's, so the query still has its columns.)
    zones = list(patients.order_by().values_list("time_zone", flat=True).distinct()) or [""]
    versions = PrescriptionVersion.objects.filter(patient=OuterRef("pk")).order_by("-number")
    return patients.annotate(
        since_inactive=per_zone(window_starts(zones, now, INACTIVE_DAYS)),
        created=EpochSeconds("created_at"),
        first_session=EpochSeconds("summary__first_session_at"),
        last_session=EpochSeconds("summary__last_session_at"),
        last_red=EpochSeconds("summary__last_red_at"),
        per_day=Subquery(versions.values("sessions_per_day")[:1]),
        # JSON as text: decoded only for the rows whose adherence is asked for.
        weekdays_json=Subquery(versions.values("weekdays")[:1], output_field=TextField()),
        starts_json=Cast("summary__recent_sessions", TextField()),
        reminders_on=Exists(ReminderPlan.objects.filter(ANY_REMINDER, patient=OuterRef("pk"))),
    )


ROW_FIELDS = (
    "pk",
    "time_zone",
    "created",
    "therapist_id",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__username",
    "therapist__first_name",
    "therapist__last_name",
    "therapist__email",
    "therapist__username",
    "first_session",
    "last_session",
    "last_red",
    "summary__sessions",
    "starts_json",
    "summary__latest_leg_pain",
    *(f"summary__open_{severity}" for severity in SEVERITIES),
    "per_day",
    "weekdays_json",
    "reminders_on",
)
PAIN_FIELDS = ("summary__recent_leg_pain", "summary__first_week_leg_pain")


def chosen_patients(staff: StaffMember, filter: str, search: str) -> tuple[QuerySet[Patient], Q]:
    """The clinic's patients for a filter and a search, and the condition on their figures
    (alerts, recent sessions) that the filter adds."""
    patients = clinic_patients(staff)
    if filter == MINE:
        patients = patients.filter(therapist_id=staff.user_id)
    for word in search.split():
        patients = patients.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(user__username__icontains=word)
        )
    inactive = Q(summary__last_session_at__isnull=True) | Q(
        summary__last_session_at__lt=F("since_inactive")
    )
    condition = {HAS_ALERTS: Q(summary__open_alerts__gt=0), INACTIVE: inactive}
    return patients, condition.get(filter, Q())


def person_name(first: str, last: str, email: str, username: str) -> str:
    return f"{first} {last}".strip() or email or username


def seconds_to_minutes(seconds: int | None) -> Decimal | None:
    return None if seconds is None else (Decimal(seconds) / 60).quantize(Decimal("0.1"))


def summaries(
    patients: QuerySet[Patient],
    condition: Q | None = None,
    *,
    now: dt.datetime,
    with_pain: bool = True,
) -> list[CaseloadRow]:
    """One row per patient (those whose figures meet `condition`) with every figure but the
    per-page ones (the sparkline and the alerts in words): 2 queries (the zones, the rows),
    whatever the number of patients. Without pain, add_page_pain gives it to the page."""
    figures = with_figures(patients, now)
    if condition:
        figures = figures.filter(condition)
    fields = ROW_FIELDS + PAIN_FIELDS if with_pain else ROW_FIELDS
    rows = []
    for v in figures.values(*fields):
        row = row_from(v, now)
        if with_pain:
            set_pain(row, v["summary__recent_leg_pain"], v["summary__first_week_leg_pain"])
        rows.append(row)
    return rows


@lru_cache(maxsize=1024)
def day_start(time_zone: str, now: dt.datetime, days_ago: int) -> int:
    """The start of the patient's day `days_ago` days before today, in EpochSeconds.
    (Cached: the patients of a clinic share a few zones.)"""
    zone = zone_of(time_zone)
    return round(midnight(local_day(now, zone) - dt.timedelta(days=days_ago), zone).timestamp())


def row_from(v: dict[str, Any], now: dt.datetime) -> CaseloadRow:
    time_zone = v["time_zone"]
    zone = zone_of(time_zone)
    today = local_day(now, zone)
    first_session, last_session = v["first_session"], v["last_session"]
    started = day_of(v["created"], zone)
    if first_session is not None:
        started = min(started, day_of(first_session, zone))
    counts = SessionCounts(
        time_zone=time_zone,
        now=now,
        started=started,
        today=today,
        ever=v["summary__sessions"] or 0,
        starts_json=v["starts_json"],
        per_day=v["per_day"] or 1,
        weekdays_json=v["weekdays_json"],
    )
    last_day = day_of(last_session, zone) if last_session is not None else None
    last_red = v["last_red"]
    return CaseloadRow(
        patient_id=v["pk"],
        name=person_name(
            v["user__first_name"], v["user__last_name"], v["user__email"], v["user__username"]
        ),
        email=v["user__email"],
        therapist_id=v["therapist_id"],
        therapist=person_name(
            v["therapist__first_name"] or "",
            v["therapist__last_name"] or "",
            v["therapist__email"] or "",
            v["therapist__username"] or "",
        ),
        zone=zone,
        today=today,
        first_session=first_session,
        started=started,
        last_session=last_day,
        days_since_session=(today - last_day).days if last_day is not None else None,
        counts=counts,
        alert_counts={
            severity: n for severity in SEVERITIES if (n := v[f"summary__open_{severity}"] or 0)
        },
        reminders_on=v["reminders_on"],
        latest_leg_pain=v["summary__latest_leg_pain"],
        red_lately=last_red is not None
        and last_red >= day_start(time_zone, now, RED_LATELY_DAYS - 1),
    )


def set_pain(
    row: CaseloadRow,
    recent: Sequence[Sequence[int]] | None,
    first_week: Sequence[Sequence[int]] | None,
) -> None:
    """Leg pain now (the median of the last 7 days) and in the first week (the median from
    the day of the first session for 7 days), from the summary's readings ([when, pain])."""
    week_start = midnight(row.today - dt.timedelta(days=RECENT_DAYS - 1), row.zone).timestamp()
    now_values = [pain for at, pain in recent or () if at >= week_start]
    row.pain_now = median(now_values) if now_values else None
    first_values: list[int] = []
    if row.first_session is not None and first_week:
        first_day = day_of(row.first_session, row.zone)
        end = midnight(first_day + dt.timedelta(days=FIRST_WEEK_DAYS), row.zone).timestamp()
        first_values = [pain for at, pain in first_week if at < end]
    row.pain_first_week = median(first_values) if first_values else None
    both = row.pain_first_week is not None and row.pain_now is not None
    if both and not row.in_first_week:
        row.pain = PainChange(row.pain_first_week, row.pain_now)


def add_page_pain(rows: Sequence[CaseloadRow], *, with_pain: bool) -> None:
    """The sparkline of the rows on a page (the daily means of 30 days of leg pain), and
    their pain figures too unless `with_pain` gave them already: one query."""
    if not rows:
        return
    by_id = {row.patient_id: row for row in rows}
    readings = PatientSummary.objects.filter(pk__in=list(by_id)).values_list(
        "pk", "recent_leg_pain", "first_week_leg_pain"
    )
    for patient_id, recent, first_week in readings:
        row = by_id[patient_id]
        if not with_pain:
            set_pain(row, recent, first_week)
        row.sparkline = daily_means(recent, row.zone, row.today, MONTH_DAYS)


def add_walking(rows: Sequence[CaseloadRow], patients: QuerySet[Any]) -> None:
    """The first and the latest timed walk of each of `rows` (the patients of `patients`):
    one query, of whole seconds only."""
    if not rows:
        return
    walks: dict[int, list[int]] = defaultdict(list)
    ordered = WalkingTest.objects.filter(patient__in=patients).order_by("taken_at", "pk")
    for patient_id, seconds in ordered.values_list("patient_id", "seconds"):
        walks[patient_id].append(seconds)
    for row in rows:
        times = walks.get(row.patient_id)
        if times:
            row.walking_first = seconds_to_minutes(times[0])
            row.walking_latest = seconds_to_minutes(times[-1])
            row.walking_tests = len(times)


# -- the caseload ----------------------------------------------------------------------


def sort_key(sort: str) -> Any:
    never = math.inf

    def name(row: CaseloadRow) -> tuple[Any, ...]:
        return (row.name.casefold(), row.patient_id)

    keys = {
        "name": name,
        "alerts": lambda r: (
            tuple(-r.alert_counts.get(s, 0) for s in SEVERITIES),
            *name(r),
        ),
        "last_session": lambda r: (
            -(r.days_since_session if r.days_since_session is not None else never),
            *name(r),
        ),
        "adherence": lambda r: (
            r.adherence_7.percent if r.adherence_7.percent is not None else never,
            *name(r),
        ),
        "pain_change": lambda r: (-(r.pain.change) if r.pain is not None else never, *name(r)),
    }
    return keys[sort]


def default_filter(staff: StaffMember) -> str:
    """Mine, for a therapist with patients of their own; else the whole clinic."""
    mine = clinic_patients(staff).filter(therapist_id=staff.user_id)
    return MINE if mine.exists() else ALL


def caseload(
    staff: StaffMember,
    *,
    filter: str | None = None,
    search: str = "",
    sort: str = DEFAULT_SORT,
    page: int = 1,
    now: dt.datetime | None = None,
) -> CaseloadPage:
    """One page of the clinic's patients, filtered, searched and sorted (most severe alerts
    first by default). A page number past the end gives the last page. Constant queries."""
    now = now or timezone.now()
    filter = filter or default_filter(staff)
    if filter not in FILTERS:
        raise ValueError(f"filter must be one of {FILTERS}")
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}")
    search = search.strip()[:MAX_SEARCH]
    patients, condition = chosen_patients(staff, filter, search)
    # Pain takes the most rows to read: for every patient only when sorting by it.
    by_pain = sort == "pain_change"
    rows = summaries(patients, condition, now=now, with_pain=by_pain)
    rows.sort(key=sort_key(sort))
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    on_page = Patient.objects.filter(pk__in=[row.patient_id for row in shown])
    add_page_pain(shown, with_pain=by_pain)
    add_walking(shown, on_page)
    add_page_alerts(shown)
    return CaseloadPage(
        rows=shown,
        filter=filter,
        search=search,
        sort=sort,
        page=page,
        pages=pages,
        total=len(rows),
        clinic_has_patients=bool(rows) or clinic_patients(staff).exists(),
    )


def add_page_alerts(rows: Sequence[CaseloadRow]) -> None:
    """The open alerts in words, for the rows on the page: one query."""
    if not rows:
        return
    by_id = {row.patient_id: row for row in rows}
    alerts = Alert.objects.filter(patient_id__in=list(by_id), acknowledged_at__isnull=True)
    for alert in alerts.order_by("-raised_at", "-pk"):
        by_id[alert.patient_id].alerts.append(open_alert(alert))
    for row in rows:
        row.alerts.sort(key=lambda a: SEVERITY_RANK.get(a.severity, len(SEVERITIES)))


def daily_means(
    readings: Iterable[Sequence[int]], zone: ZoneInfo, today: dt.date, days: int
) -> list[tuple[dt.date, float]]:
    """Leg pain per day (the mean of the day's readings) over the last `days` days."""
    first = today - dt.timedelta(days=days - 1)
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for at, pain in readings:
        day = day_of(at, zone)
        if first <= day <= today:
            by_day[day].append(pain)
    return [(day, fmean(by_day[day])) for day in sorted(by_day)]


def open_alert(alert: Alert) -> OpenAlert:
    rule = RULES.get(alert.rule)
    return OpenAlert(
        rule=alert.rule,
        severity=alert.severity,
        title=str(rule.title) if rule is not None else alert.rule,
        text=describe_alert(alert),
        raised_at=alert.raised_at,
    )


# -- the clinic report -----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How many patients reached a meaningful change, of those with enough data to say."""

    reached: int
    measured: int


@dataclass(frozen=True)
class RuleFigures:
    rule: str
    title: str
    severity: str
    raised: int
    still_open: int
    acknowledged: int
    median_hours: float | None  # from raised to acknowledged


@dataclass(frozen=True)
class ClinicReport:
    patients: int
    leg_pain_down: Outcome
    function_up: Outcome
    walking_up: Outcome
    adherence_median: int | None  # percent, over the programme
    adherence_bands: list[tuple[int, int, int]]  # (lowest %, highest %, patients)
    alerts: list[RuleFigures]


# Adherence over the programme in bands, by the lowest percent of each.
ADHERENCE_BANDS = ((80, 100), (50, 79), (0, 49))


def clinic_report(staff: StaffMember, *, now: dt.datetime | None = None) -> ClinicReport:
    """The clinic's outcomes, from the same figures as the caseload (every patient)."""
    now = now or timezone.now()
    patients = clinic_patients(staff)
    rows = summaries(patients, now=now)
    add_walking(rows, patients)
    with_pain = [row.pain for row in rows if row.pain is not None]
    walked = [row.walking_change for row in rows if row.walking_change is not None]
    function = function_changes(patients)
    percents = [
        row.adherence_programme.percent
        for row in rows
        if row.adherence_programme.percent is not None
    ]
    return ClinicReport(
        patients=len(rows),
        leg_pain_down=Outcome(sum(p.meaningful and p.better for p in with_pain), len(with_pain)),
        function_up=Outcome(
            sum(change >= MEANINGFUL_FUNCTION_POINTS for change in function.values()),
            len(function),
        ),
        walking_up=Outcome(sum(change > 0 for change in walked), len(walked)),
        adherence_median=round(median(percents)) if percents else None,
        adherence_bands=adherence_bands(percents),
        alerts=alert_figures(patients),
    )


def adherence_bands(percents: Sequence[int]) -> list[tuple[int, int, int]]:
    """(lowest, highest, patients) for each band."""
    return [
        (low, high, sum(low <= percent <= high for percent in percents))
        for low, high in ADHERENCE_BANDS
    ]


def function_changes(patients: QuerySet[Patient]) -> dict[int, float]:
    """Each patient's change in the patient-specific function scale: the mean score of
    the latest check against the first, over the activities rated in both (an activity
    changed on the way is left out). Patients with fewer than two checks are left out.
    One query."""
    scores: dict[int, dict[tuple[dt.datetime, int], dict[int, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    rows = ActivityScore.objects.filter(function_check__patient__in=patients).values_list(
        "function_check__patient_id",
        "function_check__taken_at",
        "function_check_id",
        "activity_id",
        "score",
    )
    for patient_id, taken_at, check_id, activity_id, score in rows:
        scores[patient_id][(taken_at, check_id)][activity_id] = score
    changes = {}
    for patient_id, checks in scores.items():
        if len(checks) < 2:
            continue
        first, latest = checks[min(checks)], checks[max(checks)]
        both = set(first) & set(latest)
        if both:
            changes[patient_id] = fmean(latest[a] for a in both) - fmean(first[a] for a in both)
    return changes


def alert_figures(patients: QuerySet[Patient]) -> list[RuleFigures]:
    """Alerts of each rule: raised, still open, and the median hours to acknowledge."""
    by_rule: dict[str, list[tuple[str, dt.datetime, dt.datetime | None]]] = defaultdict(list)
    rows = Alert.objects.filter(patient__in=patients).values_list(
        "rule", "severity", "raised_at", "acknowledged_at"
    )
    for rule, severity, raised, acknowledged in rows:
        by_rule[rule].append((severity, raised, acknowledged))
    figures = []
    for rule_id, alerts in by_rule.items():
        hours = [
            (acknowledged - raised).total_seconds() / 3600
            for _, raised, acknowledged in alerts
            if acknowledged is not None
        ]
        rule = RULES.get(rule_id)
        figures.append(
            RuleFigures(
                rule=rule_id,
                title=str(rule.title) if rule is not None else rule_id,
                severity=rule.severity if rule is not None else alerts[0][0],
                raised=len(alerts),
                still_open=len(alerts) - len(hours),
                acknowledged=len(hours),
                median_hours=round(median(hours), 1) if hours else None,
            )
        )
    return sorted(figures, key=lambda f: (SEVERITY_RANK.get(f.severity, len(SEVERITIES)), f.title))


# -- the audit log ---------------------------------------------------------------------


def audit_entries(
    *, patient: Patient | None = None, since: dt.datetime | None = None
) -> QuerySet[AuditEntry]:
    """The audit log, oldest first: every entry, or one patient's, from `since` on."""
    entries = AuditEntry.objects.order_by("at", "pk")
    if patient is not None:
        entries = entries.filter(patient=patient)
    if since is not None:
        entries = entries.filter(at__gte=since)
    return entries
