"""Writes of the caseload's per-patient summary rows (models.PatientSummary).

Every change goes through here, inside the transaction of the write that causes it:
- `session_stored`, from practice.actions.record_session (which holds the patient's lock);
- `alerts_changed`, when an alert is raised (on its save) or acknowledged;
- `refresh_summary`, the whole row again from the patient's rows (filling rows for patients
  from before the summary, data bulk-loaded for benchmarks, a repair).

Each reads a bounded part of the patient's rows (the newest and oldest session through the
(patient, started_at) index, RECENT_WINDOW_DAYS of sessions and pain, the first week's pain,
the open alerts: one per rule at most), so an upload costs the same after years of history.
Before reading, the row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's writers
take turns already): two writers for one patient at once (an upload, and the hourly sweep's
alert) then count one after the other, never each without the other's row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from stenosis_coach.outcomes.models import PainCheckIn
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.models import ExerciseResult, SessionRecord
from stenosis_coach.programme.records import Light

from .models import Alert, PatientSummary

# The caseload's longest window is 30 of the patient's days (adherence, the sparkline):
# in the furthest time zone, and read a few days late, that is within 35 days of now.
RECENT_WINDOW_DAYS = 35
# The first week runs from the day of the first session to the end of its 7th day, in the
# patient's zone: always within 8 days of the first session's start.
FIRST_WEEK_SPAN = dt.timedelta(days=8)
SEVERITY_FIELDS = {
    Alert.Severity.CRITICAL: "open_critical",
    Alert.Severity.HIGH: "open_high",
    Alert.Severity.MEDIUM: "open_medium",
    Alert.Severity.LOW: "open_low",
}
SESSION_FIELDS = [
    "first_session_at",
    "last_session_at",
    "recent_sessions",
    "recent_leg_pain",
    "latest_leg_pain",
    "latest_leg_pain_at",
    "last_red_at",
]
ALERT_FIELDS = [*SEVERITY_FIELDS.values(), "open_alerts"]


def epoch_seconds(moment: dt.datetime) -> int:
    """Whole seconds since 1970, as the caseload counts moments (queries.EpochSeconds)."""
    return round(moment.timestamp())


def locked_summary(patient_id: int) -> PatientSummary:
    """The patient's row, made empty first if there is none, locked until the transaction
    ends."""
    PatientSummary.objects.bulk_create(
        [PatientSummary(patient_id=patient_id)], ignore_conflicts=True
    )
    return PatientSummary.objects.select_for_update().get(pk=patient_id)


def session_pain(patient_id: int) -> QuerySet[PainCheckIn]:
    """Leg pain at the start of sessions (as the caseload counts it: pain noted on its own,
    or answers with no session, are left out)."""
    return PainCheckIn.objects.filter(
        patient_id=patient_id, moment=PainCheckIn.Moment.BEFORE, session__isnull=False
    )


def read_session_figures(summary: PatientSummary, now: dt.datetime) -> None:
    """Sets the session and pain figures (SESSION_FIELDS) from the patient's rows."""
    sessions = SessionRecord.objects.filter(patient_id=summary.pk)
    starts = sessions.values_list("started_at", flat=True)
    summary.first_session_at = starts.order_by("started_at").first()
    summary.last_session_at = starts.order_by("-started_at").first()
    since = now - dt.timedelta(days=RECENT_WINDOW_DAYS)
    summary.recent_sessions = sorted(
        epoch_seconds(started) for started in starts.filter(started_at__gte=since)
    )
    pain = session_pain(summary.pk).order_by("recorded_at", "pk")
    summary.recent_leg_pain = [
        [epoch_seconds(at), leg]
        for at, leg in pain.filter(recorded_at__gte=since).values_list("recorded_at", "leg_pain")
    ]
    latest = pain.reverse().values_list("leg_pain", "recorded_at").first()
    summary.latest_leg_pain, summary.latest_leg_pain_at = latest or (None, None)
    summary.last_red_at = last_red(summary, since)


def last_red(summary: PatientSummary, since: dt.datetime) -> dt.datetime | None:
    """The start of the newest session with a red light. Lights are re-rated only near a
    new session, so only the window is read: a red from before it stays as it was."""
    red = ExerciseResult.objects.filter(
        session__patient_id=summary.pk, session__started_at__gte=since, light=Light.RED.value
    ).aggregate(at=Max("session__started_at"))["at"]
    if red is not None:
        return red
    before = summary.last_red_at
    return before if before is not None and before < since else None


def read_first_week(summary: PatientSummary) -> None:
    """Leg pain before the sessions of the first week (a little more: the caseload cuts it
    at the end of the 7th day in the patient's zone when it reads)."""
    first = summary.first_session_at
    if first is None:
        summary.first_week_leg_pain = []
        return
    pain = session_pain(summary.pk).filter(recorded_at__lt=first + FIRST_WEEK_SPAN)
    summary.first_week_leg_pain = [
        [epoch_seconds(at), leg]
        for at, leg in pain.order_by("recorded_at", "pk").values_list("recorded_at", "leg_pain")
    ]


def read_alert_counts(summary: PatientSummary) -> None:
    """Sets the open alerts by severity (ALERT_FIELDS): one per rule at most, so few."""
    open_alerts = Alert.objects.filter(patient_id=summary.pk, acknowledged_at__isnull=True)
    counts = dict(
        open_alerts.order_by()
        .values_list("severity")
        .annotate(n=Count("pk"))
        .values_list("severity", "n")
    )
    for severity, name in SEVERITY_FIELDS.items():
        setattr(summary, name, counts.get(severity, 0))
    summary.open_alerts = sum(counts.values())


@transaction.atomic
def session_stored(
    patient: Patient, record: SessionRecord, *, now: dt.datetime | None = None
) -> None:
    """After `record` is stored with its pain and its lights. The caller holds the patient's
    lock, so the count of every session can go up by one."""
    summary = locked_summary(patient.pk)
    read_session_figures(summary, now or timezone.now())
    summary.sessions += 1
    fields = [*SESSION_FIELDS, "sessions", "updated_at"]
    first = summary.first_session_at
    if first is not None and record.started_at < first + FIRST_WEEK_SPAN:
        read_first_week(summary)  # the session is in the first week (or is the new first)
        fields.append("first_week_leg_pain")
    summary.save(update_fields=fields)


@transaction.atomic
def alerts_changed(patient_id: int) -> None:
    """After an alert of the patient is raised or acknowledged."""
    summary = locked_summary(patient_id)
    read_alert_counts(summary)
    summary.save(update_fields=[*ALERT_FIELDS, "updated_at"])


@transaction.atomic
def refresh_summary(patient_id: int, *, now: dt.datetime | None = None) -> PatientSummary:
    """The whole row again, from the patient's rows (the count of every session included,
    which reads them all: for filling and repairing rows, not for each upload)."""
    summary = locked_summary(patient_id)
    read_session_figures(summary, now or timezone.now())
    read_first_week(summary)
    read_alert_counts(summary)
    summary.sessions = SessionRecord.objects.filter(patient_id=patient_id).count()
    summary.save()
    return summary


def refresh_all(*, now: dt.datetime | None = None) -> int:
    """Every patient's row again; returns how many (one transaction per patient)."""
    done = 0
    for patient_id in Patient.objects.order_by("pk").values_list("pk", flat=True).iterator():
        refresh_summary(patient_id, now=now)
        done += 1
    return done


@receiver(post_save, sender=Alert, dispatch_uid="summary_on_alert_save")
def alert_saved(sender: type[Alert], instance: Alert, **kwargs: Any) -> None:
    """An alert raised (by triage, the admin or a test) or changed by its save(): in the
    same transaction. An update() that bypasses save() calls alerts_changed itself."""
    alerts_changed(instance.patient_id)
