"""Reads for reminders: a patient's reminder plan as it applies today, the plans the sweep
looks at, and the calendar feed's patient."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.practice.models import PrescriptionVersion

from .models import ReminderPlan
from .timing import session_times

EVERY_DAY = tuple(range(7))
# The plans with a reminder that the sweep sends (the calendar's alarms are the phone's).
SENT_BY_US = Q(by_email=True) | Q(by_push=True)
ANY_ON = SENT_BY_US | Q(calendar_token__isnull=False)


@dataclass(frozen=True)
class Schedule:
    """The session times and days a patient is reminded of, with the prescription's days."""

    times: list[dt.time]
    weekdays: tuple[int, ...]
    prescribed_weekdays: tuple[int, ...]
    follows_prescription: bool  # the days are the prescription's (and follow its changes)


def plan_of(patient: Patient) -> ReminderPlan:
    """The patient's plan; an unsaved one with nothing on when they have none yet."""
    try:
        return patient.reminders
    except ReminderPlan.DoesNotExist:
        return ReminderPlan(patient=patient)


def schedule_of(patient: Patient, plan: ReminderPlan | None = None) -> Schedule:
    plan = plan or plan_of(patient)
    version = current_prescription(patient)
    prescribed = tuple(sorted(version.weekdays)) or EVERY_DAY
    chosen = [dt.time.fromisoformat(value) for value in plan.times]
    times = session_times(chosen, patient.preferred_session_time, version.sessions_per_day)
    weekdays = tuple(sorted(plan.weekdays)) or prescribed
    return Schedule(times, weekdays, prescribed, follows_prescription=not plan.weekdays)


def plans_to_send() -> QuerySet[ReminderPlan]:
    """The plans with e-mail or push reminders on, with their patient and account, and the
    sessions a day of the patient's current prescription (`per_day`)."""
    newest = PrescriptionVersion.objects.filter(patient=OuterRef("patient")).order_by("-number")
    return (
        ReminderPlan.objects.filter(SENT_BY_US)
        .select_related("patient__user")
        .annotate(per_day=Subquery(newest.values("sessions_per_day")[:1]))
    )


def plan_by_token(token: str) -> ReminderPlan | None:
    if not token:
        return None
    return ReminderPlan.objects.select_related("patient__user").filter(calendar_token=token).first()
