"""Triage: the checks that raise alerts (the rules and thresholds are in rules.py).

The actions that store a patient's data call in here at their end, inside their own
transaction (one line each): a session (record_session), pain answers with no session
(record_pain_answers), a red-flag screening (record_screening), a walking test
(record_walking_test), a function check (record_function_check). Inactivity has no event:
`sweep_inactive` runs every hour on the job runner (clinic.tasks).

- Only a patient with a clinic gets alerts. One with no clinic sees the urgent advice on
  screen already; no one else is told.
- One open alert per rule per patient (the one_open_alert_per_rule constraint). While one is
  open, a new firing changes nothing: the open alert keeps the numbers that first fired it
  (what the therapist was told), and the patient page shows everything since. Once it is
  acknowledged, the rule can fire again, as a new alert.
- Each check reads a bounded window (the new row, the version before, three weeks of pain,
  a month of walks, the check before), so an upload costs the same after years of data.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone

from stenosis_coach.outcomes.models import ActivityScore, FunctionCheck, PainCheckIn, WalkingTest
from stenosis_coach.patients.models import Patient, RedFlagScreening
from stenosis_coach.practice.models import PrescriptionItem, PrescriptionVersion, SessionRecord
from stenosis_coach.programme import Outcome

from . import notify, rules
from .models import Alert

RED_FLAG_OUTCOMES = (Outcome.EMERGENCY.value, Outcome.SAME_DAY.value)


def raise_alert(
    patient: Patient, rule_id: str, values: Mapping[str, Any], *, now: dt.datetime | None = None
) -> Alert | None:
    """A new open alert for `rule_id`, unless one is open already (then None, and the open
    one is left as it is). A critical alert is e-mailed once the transaction commits."""
    if patient.clinic_id is None:
        return None
    if has_open_alert(patient, rule_id):
        return None
    rule = rules.RULES[rule_id]
    try:
        # A savepoint: two uploads at once may both get here; the loser's insert fails on
        # the constraint and only the savepoint rolls back, not the upload.
        with transaction.atomic():
            alert = Alert.objects.create(
                patient=patient,
                rule=rule_id,
                severity=rule.severity,
                values=dict(values),
                raised_at=now or timezone.now(),
            )
    except IntegrityError:
        return None
    if rule.severity == Alert.Severity.CRITICAL:
        notify.send_critical(alert)
    return alert


def has_open_alert(patient: Patient, rule_id: str) -> bool:
    open_alerts = Alert.objects.filter(acknowledged_at__isnull=True)
    return open_alerts.filter(patient=patient, rule=rule_id).exists()


def local_day(moment: dt.datetime, patient: Patient) -> dt.date:
    return moment.astimezone(patient.zone).date()


def day_start(day: dt.date, patient: Patient) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=patient.zone)


# ---------------------------------------------------------------------------------------
# The hooks, one per action that stores data


def session_recorded(patient: Patient, record: SessionRecord) -> None:
    """After a new session is stored, rated and the prescription progressed."""
    if patient.clinic_id is None:
        return
    day = local_day(record.started_at, patient).isoformat()
    if record.new_leg_symptoms:
        raise_alert(patient, "new_numbness", {"day": day})
    check_exercise_paused(patient, record, day)
    before = record.pain_checkins.filter(moment=PainCheckIn.Moment.BEFORE).first()
    if before is not None:
        check_leg_pain(patient, before.leg_pain, day, session=True)
        check_leg_pain_rising(patient)


def pain_answers_recorded(patient: Patient, checkin: PainCheckIn) -> None:
    """After new pain answers that no session followed (pain too high to exercise)."""
    if patient.clinic_id is None:
        return
    check_leg_pain(patient, checkin.leg_pain, local_day(checkin.recorded_at, patient).isoformat())
    check_leg_pain_rising(patient)


def screening_recorded(patient: Patient, screening: RedFlagScreening) -> None:
    """After a red-flag screening: any "yes" (emergency or same-day) is critical."""
    if patient.clinic_id is None or screening.outcome not in RED_FLAG_OUTCOMES:
        return
    values = {
        "day": local_day(screening.taken_at, patient).isoformat(),
        "outcome": screening.outcome,
        "questions": list(screening.flagged),
    }
    raise_alert(patient, "red_flag", values)


def walking_test_recorded(patient: Patient, test: WalkingTest) -> None:
    if patient.clinic_id is None:
        return
    check_walking_down(patient, test)


def function_check_recorded(patient: Patient, check: FunctionCheck) -> None:
    if patient.clinic_id is None:
        return
    day = local_day(check.taken_at, patient).isoformat()
    if check.impression in rules.WORSE_IMPRESSIONS:
        raise_alert(patient, "feels_worse", {"day": day, "impression": check.impression})
    check_function_down(patient, check, day)


# ---------------------------------------------------------------------------------------
# The checks


def check_exercise_paused(patient: Patient, record: SessionRecord, day: str) -> None:
    """The engine made a new version for this session (made after the session was stored)
    in which an exercise is paused that was not paused in the version before."""
    latest = patient.prescriptions.order_by("-number").first()
    if (
        latest is None
        or latest.source != PrescriptionVersion.Source.ENGINE
        or latest.created_at < record.received_at
    ):
        return
    items = PrescriptionItem.objects.filter(
        version__patient=patient, version__number__in=[latest.number, latest.number - 1]
    ).values_list("version__number", "exercise_id", "paused")
    paused_before = {e for number, e, paused in items if number < latest.number and paused}
    newly = sorted(
        e
        for number, e, paused in items
        if number == latest.number and paused and e not in paused_before
    )
    if newly:
        raise_alert(patient, "exercise_paused", {"day": day, "exercises": newly})


def check_leg_pain(patient: Patient, leg: int, day: str, *, session: bool = False) -> None:
    """Leg pain before a session at HIGH_LEG_PAIN or more and above the usual, or
    ABOVE_USUAL above the usual. Above the usual, because for someone whose usual pain is
    high for good (set by the therapist) their usual day is not news."""
    usual = patient.usual_leg_pain
    high = leg >= rules.HIGH_LEG_PAIN and (usual is None or leg > usual)
    if high or (usual is not None and leg >= usual + rules.ABOVE_USUAL):
        values = {"day": day, "leg": leg, "usual": usual, "session": session}
        raise_alert(patient, "leg_pain_high", values)


def check_leg_pain_rising(patient: Patient) -> None:
    """The median leg pain before sessions (session starts and answers with no session) in
    the latest PAIN_WEEK_DAYS, up PAIN_RISE_POINTS or more from the median of the same number
    of days PAIN_RISE_DAYS earlier. The latest week ends on the day of the newest answer (so
    a history uploaded in order is judged as it grew). At least PAIN_RISE_READINGS answers
    in each week; at most one alert in PAIN_RISE_REPEAT_DAYS."""
    before = PainCheckIn.objects.filter(patient=patient, moment=PainCheckIn.Moment.BEFORE)
    newest = before.order_by("-recorded_at").values_list("recorded_at", flat=True).first()
    if newest is None:
        return
    last_day = local_day(newest, patient)
    week = dt.timedelta(days=rules.PAIN_WEEK_DAYS - 1)
    latest_from = last_day - week
    earlier_to = last_day - dt.timedelta(days=rules.PAIN_RISE_DAYS)
    earlier_from = earlier_to - week
    rows = before.filter(
        recorded_at__gte=day_start(earlier_from, patient),
        recorded_at__lt=day_start(last_day + dt.timedelta(days=1), patient),
    ).values_list("recorded_at", "leg_pain")
    latest, earlier = [], []
    for recorded_at, leg in rows:
        day = local_day(recorded_at, patient)
        if day >= latest_from:
            latest.append(leg)
        elif earlier_from <= day <= earlier_to:
            earlier.append(leg)
    if min(len(latest), len(earlier)) < rules.PAIN_RISE_READINGS:
        return
    now, then = statistics.median(latest), statistics.median(earlier)
    if now - then < rules.PAIN_RISE_POINTS:
        return
    recently = timezone.now() - dt.timedelta(days=rules.PAIN_RISE_REPEAT_DAYS)
    if Alert.objects.filter(
        patient=patient, rule="leg_pain_rising", raised_at__gte=recently
    ).exists():
        return
    values = {
        "day": last_day.isoformat(),
        "now": now,
        "before": then,
        "before_day": earlier_to.isoformat(),
    }
    raise_alert(patient, "leg_pain_rising", values)


def check_walking_down(patient: Patient, test: WalkingTest) -> None:
    """The newest walking test WALKING_DROP or more below the best of the WALKING_BEST_DAYS
    before it. A test entered for an earlier day is not the newest, and fires nothing."""
    tests = patient.walking_tests
    newest = tests.order_by("-taken_at", "-pk").values_list("pk", flat=True).first()
    if newest != test.pk:
        return
    since = test.taken_at - dt.timedelta(days=rules.WALKING_BEST_DAYS)
    best = (
        tests.filter(taken_at__gte=since, taken_at__lte=test.taken_at)
        .exclude(pk=test.pk)
        .order_by("-seconds", "-taken_at")
        .first()
    )
    if best is None or best.seconds == 0:
        return
    limit = Decimal(best.seconds) * (1 - Decimal(str(rules.WALKING_DROP)))
    if Decimal(test.seconds) > limit:
        return
    values = {
        "day": local_day(test.taken_at, patient).isoformat(),
        "seconds": test.seconds,
        "best_seconds": best.seconds,
        "best_day": local_day(best.taken_at, patient).isoformat(),
        "drop_percent": round((best.seconds - test.seconds) * 100 / best.seconds),
    }
    raise_alert(patient, "walking_down", values)


def check_function_down(patient: Patient, check: FunctionCheck, day: str) -> None:
    """An activity's score FUNCTION_DROP or more below its score in the check before."""
    previous = (
        patient.function_checks.filter(taken_at__lte=check.taken_at)
        .exclude(pk=check.pk)
        .order_by("-taken_at", "-pk")
        .first()
    )
    if previous is None:
        return
    before = dict(
        ActivityScore.objects.filter(function_check=previous).values_list("activity_id", "score")
    )
    dropped = [
        {"name": score.activity.name, "now": score.score, "before": before[score.activity_id]}
        for score in check.scores.select_related("activity")
        if score.activity_id in before
        and before[score.activity_id] - score.score >= rules.FUNCTION_DROP
    ]
    if dropped:
        raise_alert(patient, "function_down", {"day": day, "activities": dropped})


# ---------------------------------------------------------------------------------------
# Inactivity: the hourly sweep


def scheduled_days(first: dt.date, last: dt.date, weekdays: set[int]) -> int:
    """How many days from `first` to `last` (both included) fall on `weekdays`."""
    count = (last - first).days + 1
    if count <= 0:
        return 0
    weeks, rest = divmod(count, 7)
    extra = sum(1 for i in range(rest) if (first + dt.timedelta(days=i)).weekday() in weekdays)
    return weeks * len(weekdays) + extra


def missed_days(
    patient: Patient, last_session: dt.datetime | None, weekdays: set[int], now: dt.datetime
) -> tuple[dt.date, int]:
    """The day counted from (the last session's, or the day the patient joined when there is
    none) and the scheduled days missed since: the prescription's weekdays after that day, up
    to yesterday (today is not over), in the patient's time zone."""
    if last_session is not None:
        since = local_day(last_session, patient)
    else:
        joined = max(filter(None, [patient.created_at, patient.sharing_since]))
        since = local_day(joined, patient)
    yesterday = local_day(now, patient) - dt.timedelta(days=1)
    return since, scheduled_days(since + dt.timedelta(days=1), yesterday, weekdays)


def sweep_inactive(now: dt.datetime | None = None) -> int:
    """Raise no_sessions for every clinic patient with MISSED_DAYS_DAILY or more scheduled
    days missed in a row, once per gap: not again after an alert raised since the last
    session (open or acknowledged). A patient held by a red flag is skipped (that is its own
    critical alert, and no session is expected). One query for every patient, then a few
    for each one that fires. Returns how many alerts were raised."""
    now = now or timezone.now()
    versions = PrescriptionVersion.objects.filter(patient=OuterRef("pk")).order_by("-number")
    sessions = SessionRecord.objects.filter(patient=OuterRef("pk")).order_by("-started_at")
    alerts = Alert.objects.filter(patient=OuterRef("pk"), rule="no_sessions")
    patients = Patient.objects.filter(clinic__isnull=False).annotate(
        weekdays=Subquery(versions.values("weekdays")[:1], output_field=JSONField()),
        last_session=Subquery(sessions.values("started_at")[:1]),
        last_alert=Subquery(alerts.order_by("-raised_at").values("raised_at")[:1]),
    )
    raised = 0
    for patient in patients.iterator(chunk_size=500):
        last_session, last_alert = patient.last_session, patient.last_alert
        if last_alert is not None and (last_session is None or last_alert > last_session):
            continue  # told about this gap already
        weekdays = set(patient.weekdays or range(7))
        since, missed = missed_days(patient, last_session, weekdays, now)
        if missed < rules.MISSED_DAYS_DAILY or patient.stopped_by_red_flag:
            continue
        values = {"since": since.isoformat(), "last_session": last_session is not None}
        values["missed"] = missed
        with transaction.atomic():
            if raise_alert(patient, "no_sessions", values, now=now) is not None:
                raised += 1
    return raised
