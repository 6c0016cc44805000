"""Telling staff about alerts by e-mail, through the job runner (enqueue_email).

- A critical alert is e-mailed at once (when the upload's transaction commits) to the
  patient's therapist, or to the clinic's active admins when the patient has no therapist
  (or theirs is no longer active staff of the clinic).
- A critical alert still open CRITICAL_RESEND_HOURS later is e-mailed again, once
  (Alert.escalated_at), to the therapist and the clinic's admins.
- Other alerts go into a digest: at most one e-mail per person per hour slot, "You have 3
  new alerts; log in to see them", marking Alert.notified_at.

No health detail in any e-mail: no patient's name, no rule, no number from the data, only
that there are alerts and a link to log in. Every e-mail's key names the alert (or the
person and the hour), so a job that runs twice sends nothing twice.
E-mails are written in the site's language (settings.LANGUAGE_CODE), never in the language
of the patient whose upload raised the alert.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stenosis_coach.jobs.email import enqueue_email
from stenosis_coach.patients.models import Patient

from . import rules
from .models import Alert, StaffMember


def alerts_link() -> str:
    """The caseload filtered to patients with alerts (log-in first)."""
    return f"{settings.SITE_URL}{reverse('caseload')}?filter=alerts"


# ---------------------------------------------------------------------------------------
# Who is told


def active_staff(clinic_ids: Iterable[int]) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(clinic_id__in=set(clinic_ids), active=True).select_related(
            "user"
        )
    )


def first_contacts(
    therapist_id: int | None, clinic_id: int, staff: list[StaffMember]
) -> list[User]:
    """The patient's therapist when they are active staff of the patient's clinic, else
    the clinic's active admins."""
    at_clinic = [member for member in staff if member.clinic_id == clinic_id]
    therapist = [m.user for m in at_clinic if m.user_id == therapist_id]
    return therapist or [m.user for m in at_clinic if m.is_admin]


def therapist_and_admins(
    therapist_id: int | None, clinic_id: int, staff: list[StaffMember]
) -> list[User]:
    at_clinic = [member for member in staff if member.clinic_id == clinic_id]
    return [m.user for m in at_clinic if m.user_id == therapist_id or m.is_admin]


def with_address(users: Iterable[User]) -> list[User]:
    return [user for user in users if user.email]


# ---------------------------------------------------------------------------------------
# Critical: at once, and again after a day


def send_critical(alert: Alert) -> None:
    """E-mail a new critical alert to the patient's therapist (or the clinic admins), once
    the current transaction commits; marks it notified."""
    patient: Patient = alert.patient
    if patient.clinic_id is None:
        return
    staff = active_staff([patient.clinic_id])
    people = with_address(first_contacts(patient.therapist_id, patient.clinic_id, staff))
    if not people:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Stenosis Coach: a new urgent alert")
        body = _(
            "Hello,\n\nOne of your patients has a new urgent alert in Stenosis Coach.\n"
            "Please log in to see it:\n\n%(link)s\n\n"
            "This e-mail holds no health details, on purpose.\n"
        ) % {"link": alerts_link()}
    for user in people:
        enqueue_email(f"alert-{alert.pk}-to-{user.pk}", user.email, subject, body)
    Alert.objects.filter(pk=alert.pk).update(notified_at=timezone.now())


def resend_open_critical(now: dt.datetime | None = None) -> int:
    """E-mail again every critical alert still open CRITICAL_RESEND_HOURS after it was
    raised, to the therapist and the clinic admins; once per alert (escalated_at is claimed
    by one update, so two runs at once cannot both send). Returns how many were sent."""
    now = now or timezone.now()
    due = Alert.objects.filter(
        severity=Alert.Severity.CRITICAL,
        acknowledged_at__isnull=True,
        escalated_at__isnull=True,
        raised_at__lte=now - dt.timedelta(hours=rules.CRITICAL_RESEND_HOURS),
        patient__clinic__isnull=False,
    ).values_list("pk", "patient__therapist_id", "patient__clinic_id")
    due = list(due)
    staff = active_staff(clinic_id for _pk, _therapist, clinic_id in due)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Stenosis Coach: an urgent alert is still open")
        body = _(
            "Hello,\n\nAn urgent alert for a patient of your clinic has not been acknowledged "
            "for a day.\nPlease log in to see it:\n\n%(link)s\n\n"
            "This e-mail holds no health details, on purpose.\n"
        ) % {"link": alerts_link()}
    sent = 0
    for pk, therapist_id, clinic_id in due:
        claimed = Alert.objects.filter(pk=pk, escalated_at__isnull=True).update(escalated_at=now)
        if not claimed:
            continue  # another run took it
        for user in with_address(therapist_and_admins(therapist_id, clinic_id, staff)):
            enqueue_email(f"alert-{pk}-again-to-{user.pk}", user.email, subject, body)
        sent += 1
    return sent


# ---------------------------------------------------------------------------------------
# The hourly digest of the other alerts


def send_digests(slot: dt.datetime, now: dt.datetime | None = None) -> int:
    """One digest e-mail per person for the open, not yet notified, non-critical alerts
    raised before `slot` (the start of this hour): "You have 3 new alerts". Alerts raised
    after the slot's start wait for the next slot, so a second run in the same slot finds
    nothing new and the e-mail key (person and slot) holds it to one e-mail. Returns how
    many e-mails were queued."""
    now = now or timezone.now()
    new = (
        Alert.objects.filter(
            acknowledged_at__isnull=True,
            notified_at__isnull=True,
            raised_at__lt=slot,
            patient__clinic__isnull=False,
        )
        .filter(~Q(severity=Alert.Severity.CRITICAL))
        .values_list("pk", "patient__therapist_id", "patient__clinic_id")
    )
    new = list(new)
    staff = active_staff(clinic_id for _pk, _therapist, clinic_id in new)
    counts: dict[User, int] = defaultdict(int)
    told: list[int] = []
    for pk, therapist_id, clinic_id in new:
        people = with_address(first_contacts(therapist_id, clinic_id, staff))
        for user in people:
            counts[user] += 1
        if people:
            told.append(pk)
    for user, count in counts.items():
        enqueue_email(f"alert-digest-{user.pk}-{slot:%Y%m%dT%H%M}", user.email, *digest(count))
    Alert.objects.filter(pk__in=told).update(notified_at=now)
    return len(counts)


def digest(count: int) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Stenosis Coach: new alerts")
        line = ngettext(
            "You have %(count)s new alert; log in to see it:",
            "You have %(count)s new alerts; log in to see them:",
            count,
        ) % {"count": count}
        body = _(
            "Hello,\n\n%(line)s\n\n%(link)s\n\nThis e-mail holds no health details, on purpose.\n"
        ) % {"line": line, "link": alerts_link()}
    return subject, body
