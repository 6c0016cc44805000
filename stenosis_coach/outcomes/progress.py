"""What the Progress page shows: pain, timed walks, the days exercised, the function scores
and each exercise's dose, each as a chart with a sentence and a table of its numbers.

A long history is summed up: the last 8 weeks (the calendar's) day by day, the weeks before
them one point and one row a week, added up by the database. So the rows read, and the
page, stay about the same size however many sessions there are. Days and weeks are the
patient's own, in their time zone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stenosis_coach.db_functions import EpochSeconds
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.history import seconds_done
from stenosis_coach.practice.models import DOSE_FIELD_NAMES, ExerciseResult, PrescriptionItem
from stenosis_coach.programme import dose_label, load_catalogue

from .charts import (
    CalendarWeek,
    Chart,
    Series,
    Table,
    Week,
    change_sentence,
    nice_ceiling,
    number,
    session_calendar,
    time_chart,
    walk_time,
    when_read,
)
from .models import (
    WALKING_TEST_CAP_MINUTES,
    WALKING_TEST_CAP_SECONDS,
    FunctionCheck,
    PainCheckIn,
    WalkingTest,
)

CALENDAR_WEEKS = 8
NOT_ASKED = gettext_lazy("Not asked")
WEEKS_ARE_AVERAGES = gettext_lazy("Each older week shows its average.")
WEEKS_ARE_BEST = gettext_lazy("Each older week shows its best walk.")


@dataclass(frozen=True)
class ExerciseDoses:
    exercise_id: str
    name: str
    now: str  # today's dose in words, or why there is none
    chart: Chart | None  # None while the exercise has never been open


@dataclass(frozen=True)
class ProgressView:
    pain: Chart | None
    walking: Chart | None
    calendar: list[CalendarWeek]  # empty until the first session
    calendar_summary: str
    function: Chart | None
    impressions: list[tuple[dt.date, str]]  # newest first
    doses: list[ExerciseDoses]


def progress_for(patient: Patient, today: dt.date | None = None) -> ProgressView:
    zone = patient.zone
    with timezone.override(zone):  # local_day: the patient's day
        return progress_in(patient, today or timezone.localdate(), zone)


def chart_for(patient: Patient, slug: str, today: dt.date | None = None) -> Chart | None:
    """The one chart of Progress named by `slug` (its numbers are fetched on their own), or
    None when there is no such chart for this patient."""
    zone = patient.zone
    with timezone.override(zone):
        today = today or timezone.localdate()
        first_day = daily_from(today)
        if slug == "pain":
            return pain_chart(patient, first_day, zone)
        if slug == "walking":
            return walking_chart(patient, first_day, zone)
        if slug == "function":
            return function_chart(patient, list(patient.function_checks.prefetch_related("scores")))
        if slug.startswith("dose-"):
            doses = dose_histories(patient, today, first_day, zone, only=slug.removeprefix("dose-"))
            return doses[0].chart if doses else None
    return None


def daily_from(today: dt.date) -> dt.date:
    """The first day shown day by day: the Monday 7 weeks before this week's (the
    calendar's first). Before it, each week is one point and one row."""
    return today - dt.timedelta(days=today.weekday(), weeks=CALENDAR_WEEKS - 1)


def midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The start of `day` where the patient lives: a bound the (patient, time) indexes use."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def progress_in(patient: Patient, today: dt.date, zone: ZoneInfo) -> ProgressView:
    first_day = daily_from(today)
    first_session = patient.sessions.order_by("started_at").first()
    calendar = (
        session_calendar(
            recent_session_days(patient, today, zone),
            today,
            CALENDAR_WEEKS,
            # The days before sign-up were not missed. (A demo's history starts earlier.)
            since=min(local_day(patient.created_at), local_day(first_session.started_at)),
        )
        if first_session is not None
        else []
    )
    checks = list(patient.function_checks.prefetch_related("scores"))
    return ProgressView(
        pain=pain_chart(patient, first_day, zone),
        walking=walking_chart(patient, first_day, zone),
        calendar=calendar,
        calendar_summary=calendar_summary(calendar),
        function=function_chart(patient, checks),
        impressions=[
            (local_day(check.taken_at), check.get_impression_display())
            for check in reversed(checks)
            if check.impression is not None
        ],
        doses=dose_histories(patient, today, first_day, zone),
    )


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def by_week(rows: QuerySet[Any], field: str, zone: ZoneInfo, until: dt.datetime) -> QuerySet[Any]:
    """`rows` (each `field` before `until`) grouped by the patient's week of `field`, oldest
    first, as its number (see week_day): aggregate them with .annotate()."""
    first = rows.aggregate(first=Min(field))["first"]
    week = week_number(field, offset_changes(first or until, until, zone))
    return rows.annotate(week=week).values("week").order_by("week")


# Weeks are numbered from Monday 5 January 1970, the first Monday after the epoch.
FIRST_MONDAY = dt.date(1970, 1, 5)
FIRST_MONDAY_SECONDS = 4 * 24 * 60 * 60
WEEK_SECONDS = 7 * 24 * 60 * 60


def week_number(field: str, offsets: list[tuple[dt.datetime | None, int]]) -> Any:
    """The patient's week of `field`: its seconds since 1970 plus the zone's UTC offset then,
    divided by a week's seconds. The offset changes only when summer time starts or ends, so
    it is one number between two changes, found in Python: the database does integer sums
    only (truncating to the week there would have SQLite work out each row's week in Python,
    3,650 rows for two years of exercises)."""
    offset: Any = Value(offsets[-1][1])
    for end, seconds in reversed(offsets[:-1]):
        offset = Case(When(**{f"{field}__lt": end}, then=Value(seconds)), default=offset)
    local = EpochSeconds(field) + offset
    return ExpressionWrapper(
        (local - Value(FIRST_MONDAY_SECONDS)) / Value(WEEK_SECONDS), output_field=IntegerField()
    )


def offset_changes(
    first: dt.datetime, until: dt.datetime, zone: ZoneInfo
) -> list[tuple[dt.datetime | None, int]]:
    """The zone's UTC offsets from `first` to `until`, each with the moment it ends:
    [(until when, seconds), ..., (None, the last)]."""
    found: list[tuple[dt.datetime | None, int]] = []
    at = first
    while at < until:
        step = min(at + dt.timedelta(days=7), until)  # two changes are months apart
        if utc_offset(step, zone) != utc_offset(at, zone):
            found.append((first_with_new_offset(at, step, zone), utc_offset(at, zone)))
        at = step
    found.append((None, utc_offset(until, zone)))
    return found


def utc_offset(moment: dt.datetime, zone: ZoneInfo) -> int:
    delta = moment.astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def first_with_new_offset(before: dt.datetime, after: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The moment the offset changes between `before` and `after` (on a whole second, as
    every zone's changes are)."""
    old = utc_offset(before, zone)
    while after - before > dt.timedelta(seconds=1):
        middle = before + (after - before) / 2
        if utc_offset(middle, zone) == old:
            before = middle
        else:
            after = middle
    return before.replace(microsecond=0) + dt.timedelta(seconds=1)


def week_day(week: int | dt.date, zone: ZoneInfo | None = None) -> dt.date:
    """A week's Monday, from its number (by_week)."""
    if isinstance(week, dt.date):
        return week
    return FIRST_MONDAY + dt.timedelta(weeks=int(week))


def pain_chart(patient: Patient, first_day: dt.date, zone: ZoneInfo) -> Chart | None:
    """Pain at rest: before each session and on its own. Pain after a session is left out,
    so every point is measured the same way. Several on one day are averaged; an older
    week is the average of all its answers."""
    moments = [PainCheckIn.Moment.BEFORE, PainCheckIn.Moment.DAILY]
    checkins = patient.pain_checkins.filter(moment__in=moments)
    since = midnight(first_day, zone)
    weeks = [
        (week_day(row["week"], zone), row["leg"], row["back"])
        for row in by_week(
            checkins.filter(recorded_at__lt=since), "recorded_at", zone, since
        ).annotate(leg=Avg("leg_pain"), back=Avg("back_pain"))
    ]
    by_day: dict[dt.date, list[PainCheckIn]] = defaultdict(list)
    for checkin in checkins.filter(recorded_at__gte=since):
        by_day[local_day(checkin.recorded_at)].append(checkin)
    if not by_day and not weeks:
        return None
    days = sorted(by_day)
    leg = [(week, mean) for week, mean, _ in weeks] + [
        (day, fmean(c.leg_pain for c in by_day[day])) for day in days
    ]
    back = [(week, mean) for week, _, mean in weeks] + [
        (day, fmean(c.back_pain for c in by_day[day])) for day in days
    ]
    caption = _("Your pain each day, from 0 (none) to 10 (worst)")
    return time_chart(
        slug="pain",
        title=_("Pain in your leg and back"),
        summary=" ".join(
            [
                change_sentence(_("Your leg pain"), values(leg)),
                change_sentence(_("Your back pain"), values(back)),
            ]
        ),
        y_label=_("Pain, 0 to 10"),
        y_max=10,
        y_step=2,
        series=[Series(_("Leg pain"), leg), Series(_("Back pain"), back)],
        table=Table(
            f"{caption}. {WEEKS_ARE_AVERAGES}" if weeks else caption,
            [_("Date"), _("Leg pain"), _("Back pain")],
            when_read(
                lambda: [
                    [as_week(day, first_day), number(leg_pain), number(back_pain)]
                    for (day, leg_pain), (_, back_pain) in zip(leg, back, strict=True)
                ]
            ),
        ),
        daily_from=first_day,
    )


def as_week(day: dt.date, first_day: dt.date) -> dt.date | Week:
    """A table row's first cell: a day, or the week it starts before the days begin."""
    return Week(day) if day < first_day else day


def values(points: Sequence[tuple[dt.date, float]]) -> list[float]:
    return [value for _, value in points]


def walking_chart(patient: Patient, first_day: dt.date, zone: ZoneInfo) -> Chart | None:
    """Minutes on the axis; every time in words is the one the clock showed, "7 min 17 s".
    An older week shows its best walk."""
    since = midnight(first_day, zone)
    tests = patient.walking_tests
    weeks = list(
        by_week(tests.filter(taken_at__lt=since), "taken_at", zone, since).annotate(
            best=Max("seconds"),
            count=Count("pk"),
            symptoms=Count("pk", filter=Q(stopped_by_symptoms=True)),
        )
    )
    walks = list(tests.filter(taken_at__gte=since))
    if not walks and not weeks:
        return None
    minutes = [(week_day(row["week"], zone), row["best"] / 60) for row in weeks] + [
        (local_day(walk.taken_at), walk.seconds / 60) for walk in walks
    ]
    as_clock = minutes_as_walk_time
    caption = _("Your timed walks")
    return time_chart(
        slug="walking",
        title=_("Your timed walks"),
        summary=change_sentence(_("Your timed walk"), values(minutes), label=as_clock),
        y_label=_("Minutes"),
        y_max=WALKING_TEST_CAP_MINUTES,
        y_step=5,
        series=[Series(_("Minutes walked"), minutes, label=as_clock)],
        table=Table(
            f"{caption}. {WEEKS_ARE_BEST}" if weeks else caption,
            [_("Date"), _("Time walked"), _("How it ended")],
            when_read(
                lambda: (
                    [
                        [
                            Week(week_day(row["week"], zone)),
                            walk_time(row["best"]),
                            how_week_ended(row),
                        ]
                        for row in weeks
                    ]
                    + [
                        [local_day(walk.taken_at), walk_time(walk.seconds), how_walk_ended(walk)]
                        for walk in walks
                    ]
                )
            ),
        ),
        daily_from=first_day,
    )


def how_week_ended(week: dict[str, Any]) -> str:
    """How a week's one walk ended, or how many its best was chosen from."""
    if week["count"] > 1:
        return _("The best of %(count)s walks") % {"count": week["count"]}
    return how_walk_ended(
        WalkingTest(seconds=week["best"], stopped_by_symptoms=week["symptoms"] > 0)
    )


def minutes_as_walk_time(minutes: float) -> str:
    return walk_time(round(minutes * 60))


def how_walk_ended(walk: WalkingTest) -> str:
    if walk.stopped_by_symptoms:
        return _("Your leg made you stop")
    if walk.seconds >= WALKING_TEST_CAP_SECONDS:
        return _("You walked the full %(minutes)s minutes") % {"minutes": WALKING_TEST_CAP_MINUTES}
    return _("You stopped for another reason")


def recent_session_days(patient: Patient, today: dt.date, zone: ZoneInfo) -> list[dt.date]:
    """The days of the sessions in the calendar's weeks: a range on the (patient,
    started_at) index, from the patient's midnight."""
    since = midnight(daily_from(today), zone)
    until = midnight(today + dt.timedelta(days=1), zone)
    starts = patient.sessions.filter(started_at__gte=since, started_at__lt=until).values_list(
        "started_at", flat=True
    )
    return [local_day(start) for start in starts]


def calendar_summary(calendar: Sequence[CalendarWeek]) -> str:
    if not calendar:
        return _("Do your first session to see your days here.")
    weeks = len(calendar)
    sessions = sum(week.sessions for week in calendar)
    days = sum(week.days_done for week in calendar)
    if not sessions:
        return ngettext(
            "You have not done a session this week.",
            "You have not done a session in the last %(weeks)s weeks.",
            weeks,
        ) % {"weeks": weeks}
    did = ngettext("you did %(count)s session", "you did %(count)s sessions", sessions) % {
        "count": sessions
    }
    on_days = ngettext("on %(count)s day", "on %(count)s days", days) % {"count": days}
    return ngettext(
        "This week %(did)s %(days)s.", "In the last %(weeks)s weeks %(did)s %(days)s.", weeks
    ) % {"weeks": weeks, "did": did, "days": on_days}


def function_chart(patient: Patient, checks: Sequence[FunctionCheck]) -> Chart | None:
    """The 0-10 score of each activity at each check; the table adds the answers to the
    question about change."""
    activities = list(patient.activities.all())
    scores = {(s.function_check_id, s.activity_id): s.score for c in checks for s in c.scores.all()}
    series = [
        Series(
            activity.name,
            [
                (local_day(check.taken_at), scores[check.pk, activity.pk])
                for check in checks
                if (check.pk, activity.pk) in scores
            ],
        )
        for activity in activities
    ]
    if not any(s.points for s in series):
        return None
    return time_chart(
        slug="function",
        title=_("How well you can do things"),
        summary=" ".join(
            [_("Higher is better.")]
            + [change_sentence(s.name, values(s.points)) for s in series if s.points]
        ),
        y_label=_("Score, 0 to 10"),
        y_max=10,
        y_step=2,
        series=series,
        table=Table(
            _("Your scores, from 0 (cannot do it) to 10 (as well as before)"),
            [_("Date"), *(a.name for a in activities), _("How things are since you started")],
            when_read(
                lambda: [
                    [
                        local_day(check.taken_at),
                        *(score_text(scores.get((check.pk, a.pk))) for a in activities),
                        check.get_impression_display() or str(NOT_ASKED),
                    ]
                    for check in checks
                ]
            ),
        ),
    )


def score_text(score: int | None) -> str:
    return str(NOT_ASKED) if score is None else str(score)


# The seconds of a stored result, worked out by the database as seconds_done and
# Dose.load_seconds do in Python: the holds times the hold, or the sets times their seconds
# for timed work (the march); a finished exercise did its whole dose.
TOTAL_REPS = Case(
    When(reps__isnull=True, then=Value(0)),
    default=F("reps") * (F("sets") - 1) + Coalesce(F("last_set_reps"), F("reps")),
    output_field=IntegerField(),
)
PLANNED_SECONDS = Case(
    When(work_seconds__isnull=False, then=F("work_seconds") * F("sets")),
    default=Coalesce(F("hold_seconds"), Value(0)) * TOTAL_REPS,
    output_field=IntegerField(),
)
DONE_SECONDS = Case(
    When(completed=True, then=PLANNED_SECONDS),
    When(work_seconds__isnull=False, then=F("work_seconds") * F("sets_done")),
    default=Coalesce(F("hold_seconds"), Value(0)) * F("reps_done"),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class WeekDone:
    """One exercise's sessions in an older week: the average seconds done and planned."""

    start: dt.date
    done: float
    planned: float


def dose_histories(
    patient: Patient,
    today: dt.date,
    first_day: dt.date,
    zone: ZoneInfo,
    only: str | None = None,
) -> list[ExerciseDoses]:
    """Each exercise's dose, version by version, and what was done: each session of the
    last 8 weeks, and an average for each week before them, as the catalogue orders them.
    With `only`, that one exercise's."""
    items = changed_items(patient, only)
    since = midnight(first_day, zone)
    patients = ExerciseResult.objects.filter(session__patient=patient)
    if only is not None:
        patients = patients.filter(exercise_id=only)
    weeks: dict[str, list[WeekDone]] = defaultdict(list)
    older = by_week(
        patients.filter(session__started_at__lt=since), "session__started_at", zone, since
    )
    for row in older.values("exercise_id", "week").annotate(
        done=Avg(DONE_SECONDS), planned=Avg(PLANNED_SECONDS)
    ):
        weeks[row["exercise_id"]].append(
            WeekDone(week_day(row["week"], zone), float(row["done"]), float(row["planned"]))
        )
    results: dict[str, list[ExerciseResult]] = defaultdict(list)
    recent = patients.filter(session__started_at__gte=since).select_related("session")
    for result in recent.order_by("session__started_at", "pk"):
        results[result.exercise_id].append(result)
    catalogue = load_catalogue()
    return [
        exercise_doses(
            exercise_id,
            catalogue.get(exercise_id).text(patient.language).name,
            items[exercise_id],
            results[exercise_id] or last_result(patients, exercise_id, weeks[exercise_id], zone),
            today,
            patient.language,
            weeks[exercise_id],
            first_day,
        )
        for exercise_id in catalogue.ids
        if exercise_id in items
    ]


def last_result(
    results: QuerySet[ExerciseResult], exercise_id: str, weeks: Sequence[WeekDone], zone: ZoneInfo
) -> list[ExerciseResult]:
    """The exercise's last result when it has none in the last 8 weeks, for "Last time you
    did ...": it is in the weeks summed up, not in the sessions listed. Looked for in its
    last week only, so that the (patient, time) index finds it in a long history."""
    if not weeks:
        return []
    latest = results.filter(
        exercise_id=exercise_id, session__started_at__gte=midnight(weeks[-1].start, zone)
    ).select_related("session")
    last = latest.order_by("-session__started_at", "-pk").first()
    return [last] if last else []


def changed_items(patient: Patient, only: str | None = None) -> dict[str, list[PrescriptionItem]]:
    """Each exercise's items in the versions that changed it, oldest first, and with them
    their versions. Most versions change one exercise and leave the rest as they were: the
    states of all are compared as plain values, and only the changes are loaded whole, so a
    long history of versions costs little."""
    rows = PrescriptionItem.objects.filter(version__patient=patient)
    if only is not None:
        rows = rows.filter(exercise_id=only)
    last: dict[str, tuple[object, ...]] = {}
    changed: list[int] = []
    for pk, exercise_id, *state in rows.order_by("version__number").values_list(
        "pk", "exercise_id", *STATE_FIELDS
    ):
        if last.get(exercise_id) != tuple(state):
            last[exercise_id] = tuple(state)
            changed.append(pk)
    items: dict[str, list[PrescriptionItem]] = defaultdict(list)
    for item in (
        PrescriptionItem.objects.filter(pk__in=changed)
        .select_related("version")
        .order_by("version__number")
    ):
        items[item.exercise_id].append(item)
    return items


# What makes an item a change for its exercise: its dose, and whether it is on.
STATE_FIELDS = (*DOSE_FIELD_NAMES, "enabled", "locked", "paused")


def item_words(item: PrescriptionItem, locale: str) -> str:
    if not item.enabled:
        return _("Turned off by your therapist")
    if item.locked:
        return _("Not open yet")
    if item.paused:
        return _("On hold")
    return dose_label(item.dose, load_catalogue(), locale)


def exercise_doses(
    exercise_id: str,
    name: str,
    history: Sequence[PrescriptionItem],
    results: Sequence[ExerciseResult],
    today: dt.date,
    locale: str,
    weeks: Sequence[WeekDone] = (),
    first_day: dt.date | None = None,
) -> ExerciseDoses:
    """Two lines: the seconds done in each session (a stop at rep 3 of 8 counts 3 holds),
    and the seconds planned, which hold until the plan changes.

    results: the sessions of the last 8 weeks, oldest first (or only the last one, when
    there are none then); weeks: the average of each week before them."""
    active = [item for item in history if item.to_engine().active]
    now = item_words(history[-1], locale)
    if not active:
        return ExerciseDoses(exercise_id, name, now, None)
    planned = [(version_day(item), float(item.dose.load_seconds)) for item in active]
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    listed = [
        result
        for result in results
        if first_day is None or local_day(result.session.started_at) >= first_day
    ]
    for result in listed:
        by_day[local_day(result.session.started_at)].append(seconds_done(result))
    done = [(week.start, week.done) for week in weeks] + [
        (day, fmean(by_day[day])) for day in sorted(by_day)
    ]
    top = nice_ceiling(max(values(planned) + values(done)))
    changes_table = Table(
        _("%(name)s: each change") % {"name": name},
        # Two columns, not three: the reasons are long, and a phone is narrow.
        [_("Date"), _("What you do, and why")],
        when_read(
            lambda: [
                [version_day(i), f"{item_words(i, locale)}. {reason(i, locale)}"] for i in history
            ]
        ),
    )
    caption = _("%(name)s: what you did each session") % {"name": name}
    sessions_table = Table(
        f"{caption}. {WEEKS_ARE_AVERAGES}" if weeks else caption,
        [_("Date"), _("Seconds you did, of your plan")],
        when_read(
            lambda: (
                [
                    [
                        Week(week.start),
                        _("%(done)s of %(planned)s")
                        % {"done": number(week.done), "planned": number(week.planned)},
                    ]
                    for week in weeks
                ]
                + [
                    [
                        local_day(result.session.started_at),
                        _("%(done)s of %(planned)s")
                        % {"done": seconds_done(result), "planned": result.dose.load_seconds},
                    ]
                    for result in listed
                ]
            )
        ),
    )
    chart = time_chart(
        slug=f"dose-{exercise_id}",
        title=name,
        summary=" ".join([dose_summary(history[-1], active, locale), *last_time_sentence(results)]),
        y_label=_("Seconds each session"),
        y_max=top,
        y_step=top / 5,
        series=[
            Series(_("What you did"), done),
            # The line carries on to today only while the exercise is still done.
            Series(_("Your plan"), planned, steps=True),
        ],
        table=sessions_table if done else changes_table,
        more_tables=[changes_table] if done else [],
        until=today if history[-1] is active[-1] else None,
        daily_from=first_day,
    )
    return ExerciseDoses(exercise_id, name, now, chart)


def last_time_sentence(results: Sequence[ExerciseResult]) -> list[str]:
    if not results:
        return []
    last = results[-1]
    return [
        _("Last time you did %(done)s of %(planned)s seconds.")
        % {"done": seconds_done(last), "planned": last.dose.load_seconds}
    ]


def dose_summary(current: PrescriptionItem, active: Sequence[PrescriptionItem], locale: str) -> str:
    """Where the exercise started and where it is now, in words."""
    first, last = item_words(active[0], locale), item_words(active[-1], locale)
    if current is not active[-1]:
        return _("%(now)s now. Before that you did %(last)s.") % {
            "now": item_words(current, locale),
            "last": last,
        }
    if len(active) == 1:
        return _("You do %(dose)s. This has not changed yet.") % {"dose": first}
    return _("You started at %(first)s. Now you do %(last)s.") % {"first": first, "last": last}


def version_day(item: PrescriptionItem) -> dt.date:
    return local_day(item.version.created_at)


def reason(item: PrescriptionItem, locale: str) -> str:
    """Why the dose is what it is: the engine's reason, or the therapist's note."""
    version = item.version
    if engine_reason := item.reason_in(locale):
        return engine_reason
    if version.source == version.Source.START:
        return _("This is where you start.")
    return version.note or _("Your therapist changed it.")
