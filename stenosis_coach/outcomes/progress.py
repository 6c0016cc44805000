"""What the Progress page shows: pain, timed walks, the days exercised, the function scores
and each exercise's dose, each as a chart with a sentence and a table of its numbers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.history import seconds_done
from stenosis_coach.practice.models import ExerciseResult, PrescriptionItem
from stenosis_coach.programme import dose_label, load_catalogue

from .charts import (
    CalendarWeek,
    Chart,
    Series,
    Table,
    change_sentence,
    nice_ceiling,
    number,
    session_calendar,
    time_chart,
    walk_time,
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
    today = today or timezone.localdate()
    first_session = patient.sessions.order_by("started_at").first()
    calendar = (
        session_calendar(
            recent_session_days(patient, today),
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
        pain=pain_chart(patient),
        walking=walking_chart(list(patient.walking_tests.all())),
        calendar=calendar,
        calendar_summary=calendar_summary(calendar),
        function=function_chart(patient, checks),
        impressions=[
            (local_day(check.taken_at), check.get_impression_display())
            for check in reversed(checks)
            if check.impression is not None
        ],
        doses=dose_histories(patient, today),
    )


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def pain_chart(patient: Patient) -> Chart | None:
    """Pain at rest: before each session and on its own. Pain after a session is left out,
    so every point is measured the same way. Several on one day are averaged."""
    by_day: dict[dt.date, list[PainCheckIn]] = defaultdict(list)
    moments = [PainCheckIn.Moment.BEFORE, PainCheckIn.Moment.DAILY]
    for checkin in patient.pain_checkins.filter(moment__in=moments):
        by_day[local_day(checkin.recorded_at)].append(checkin)
    if not by_day:
        return None
    leg = [(day, fmean(c.leg_pain for c in by_day[day])) for day in sorted(by_day)]
    back = [(day, fmean(c.back_pain for c in by_day[day])) for day in sorted(by_day)]
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
            _("Your pain each day, from 0 (none) to 10 (worst)"),
            [_("Date"), _("Leg pain"), _("Back pain")],
            [
                [day, number(leg_pain), number(back_pain)]
                for (day, leg_pain), (_, back_pain) in zip(leg, back, strict=True)
            ],
        ),
    )


def values(points: Sequence[tuple[dt.date, float]]) -> list[float]:
    return [value for _, value in points]


def walking_chart(walks: Sequence[WalkingTest]) -> Chart | None:
    """Minutes on the axis; every time in words is the one the clock showed, "7 min 17 s"."""
    if not walks:
        return None
    minutes = [(local_day(walk.taken_at), walk.seconds / 60) for walk in walks]
    as_clock = minutes_as_walk_time
    return time_chart(
        slug="walking",
        title=_("Your timed walks"),
        summary=change_sentence(_("Your timed walk"), values(minutes), label=as_clock),
        y_label=_("Minutes"),
        y_max=WALKING_TEST_CAP_MINUTES,
        y_step=5,
        series=[Series(_("Minutes walked"), minutes, label=as_clock)],
        table=Table(
            _("Your timed walks"),
            [_("Date"), _("Time walked"), _("How it ended")],
            [
                [local_day(walk.taken_at), walk_time(walk.seconds), how_walk_ended(walk)]
                for walk in walks
            ],
        ),
    )


def minutes_as_walk_time(minutes: float) -> str:
    return walk_time(round(minutes * 60))


def how_walk_ended(walk: WalkingTest) -> str:
    if walk.stopped_by_symptoms:
        return _("Your leg made you stop")
    if walk.seconds >= WALKING_TEST_CAP_SECONDS:
        return _("You walked the full %(minutes)s minutes") % {"minutes": WALKING_TEST_CAP_MINUTES}
    return _("You stopped for another reason")


def recent_session_days(patient: Patient, today: dt.date) -> list[dt.date]:
    # A day of margin either side: the database compares in UTC, the calendar is local.
    since = today - dt.timedelta(weeks=CALENDAR_WEEKS, days=1)
    starts = patient.sessions.filter(started_at__date__gte=since).values_list(
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
            [
                [
                    local_day(check.taken_at),
                    *(score_text(scores.get((check.pk, a.pk))) for a in activities),
                    check.get_impression_display() or str(NOT_ASKED),
                ]
                for check in checks
            ],
        ),
    )


def score_text(score: int | None) -> str:
    return str(NOT_ASKED) if score is None else str(score)


def dose_histories(patient: Patient, today: dt.date) -> list[ExerciseDoses]:
    """Each exercise's dose, version by version, and what was done in each session, as the
    catalogue orders them."""
    items: dict[str, list[PrescriptionItem]] = defaultdict(list)
    versions = patient.prescriptions.order_by("number").prefetch_related("items")
    for version in versions:
        for item in version.items.all():
            items[item.exercise_id].append(item)
    results: dict[str, list[ExerciseResult]] = defaultdict(list)
    done = ExerciseResult.objects.filter(session__patient=patient).select_related("session")
    for result in done.order_by("session__started_at", "pk"):
        results[result.exercise_id].append(result)
    catalogue = load_catalogue()
    return [
        exercise_doses(
            exercise_id,
            catalogue.get(exercise_id).text(patient.language).name,
            changes(items[exercise_id]),
            results[exercise_id],
            today,
            patient.language,
        )
        for exercise_id in catalogue.ids
        if exercise_id in items
    ]


def changes(history: Sequence[PrescriptionItem]) -> list[PrescriptionItem]:
    """The versions in which this exercise changed (most versions change other exercises)."""
    kept: list[PrescriptionItem] = []
    for item in history:
        if not kept or state(item) != state(kept[-1]):
            kept.append(item)
    return kept


def state(item: PrescriptionItem) -> tuple[object, ...]:
    return (item.dose, item.enabled, item.locked, item.paused)


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
) -> ExerciseDoses:
    """Two lines: the seconds done in each session (a stop at rep 3 of 8 counts 3 holds),
    and the seconds planned, which hold until the plan changes."""
    active = [item for item in history if item.to_engine().active]
    now = item_words(history[-1], locale)
    if not active:
        return ExerciseDoses(exercise_id, name, now, None)
    planned = [(version_day(item), float(item.dose.load_seconds)) for item in active]
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for result in results:
        by_day[local_day(result.session.started_at)].append(seconds_done(result))
    done = [(day, fmean(by_day[day])) for day in sorted(by_day)]
    top = nice_ceiling(max(values(planned) + values(done)))
    changes_table = Table(
        _("%(name)s: each change") % {"name": name},
        # Two columns, not three: the reasons are long, and a phone is narrow.
        [_("Date"), _("What you do, and why")],
        [[version_day(i), f"{item_words(i, locale)}. {reason(i, locale)}"] for i in history],
    )
    sessions_table = Table(
        _("%(name)s: what you did each session") % {"name": name},
        [_("Date"), _("Seconds you did, of your plan")],
        [
            [
                local_day(result.session.started_at),
                _("%(done)s of %(planned)s seconds")
                % {"done": seconds_done(result), "planned": result.dose.load_seconds},
            ]
            for result in results
        ],
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
        table=sessions_table if results else changes_table,
        more_tables=[changes_table] if results else [],
        until=today if history[-1] is active[-1] else None,
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
