"""Writes a therapist makes on a patient's page: the prescription (by hand or from a
template), the schedule, automatic progression, usual pain, the contact phone, clearing a
red-flag hold, acknowledging an alert, a message to the patient; and the patient's own note
on a session for the therapist.

Each runs in one transaction with its audit entry (record_access, CHANGE). Every change by a
therapist carries a reason: a prescription keeps it as the version's note (the patient reads
it on Today); any other change keeps it in the audit entry's `what`, which the page's list of
changes shows. A change that changes nothing writes nothing and returns None (or an empty
list), so a form sent twice makes one version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from stenosis_coach.patients.actions import clear_red_flag_hold
from stenosis_coach.patients.models import Patient, RedFlagScreening
from stenosis_coach.practice.actions import current_prescription, lock_patient, save_prescription
from stenosis_coach.practice.models import PrescriptionVersion, SessionRecord
from stenosis_coach.programme import Prescription, Schedule

from . import summaries
from .audit import record_access
from .models import Alert, AuditEntry, Message, PrescriptionTemplate
from .prescribing import (
    PrescribingError,
    check_prescription,
    parse_exercises,
    same_prescription,
    template_items,
    with_schedule,
)

# The patient's fields a therapist may set besides the prescription, as the audit says them.
PATIENT_FIELDS = {
    "auto_progression": "automatic progression",
    "usual_leg_pain": "usual leg pain",
    "usual_back_pain": "usual back pain",
    "contact_phone": "contact phone",
}


def user_of(request: HttpRequest) -> AbstractBaseUser:
    return request.user  # type: ignore[return-value]


@transaction.atomic
def do_change_prescription(
    request: HttpRequest, patient: Patient, prescription: Prescription, reason: str, *, what: str
) -> PrescriptionVersion | None:
    """Keep `prescription` as the patient's next version, made by the therapist, with the
    reason as its note. None when it is the same as the current one (nothing written)."""
    lock_patient(patient)
    current = current_prescription(patient).to_engine()
    if same_prescription(prescription, current):
        return None
    version = save_prescription(
        patient,
        prescription,
        PrescriptionVersion.Source.THERAPIST,
        by=user_of(request),
        note=reason,
    )
    # The reason before the list of what changed: an entry is cut at 200 characters (the
    # version's note keeps the whole reason).
    said = f"prescription v{version.number}: {reason} [{what}]"
    record_access(request, patient, AuditEntry.CHANGE, said)
    return version


@transaction.atomic
def do_edit_exercises(
    request: HttpRequest, patient: Patient, posted: Mapping[str, str], reason: str, locale: str
) -> PrescriptionVersion | None:
    """The exercises as posted (on or off, doses, unlock, lift a pause), read against the
    current version under the patient's lock, so the same form sent twice changes once."""
    lock_patient(patient)
    current = current_prescription(patient).to_engine()
    prescription, changed = parse_exercises(current, posted, locale)
    if not changed:
        return None
    return do_change_prescription(
        request, patient, prescription, reason, what="exercises: " + ", ".join(changed)
    )


@transaction.atomic
def do_set_schedule(
    request: HttpRequest, patient: Patient, schedule: Schedule, reason: str
) -> PrescriptionVersion | None:
    lock_patient(patient)
    current = current_prescription(patient).to_engine()
    return do_change_prescription(
        request, patient, with_schedule(current, schedule), reason, what="schedule"
    )


@transaction.atomic
def do_apply_template(
    request: HttpRequest,
    patient: Patient,
    template: Prescription,
    reason: str,
    *,
    name: str,
    keep_schedule: bool,
    locale: str,
) -> PrescriptionVersion | None:
    """A template in one step. A built-in one keeps the patient's schedule (it is about
    doses); a clinic's saved one brings its own. PrescribingError for a dose out of bounds."""
    check_prescription(template, locale)
    lock_patient(patient)
    if keep_schedule:
        template = with_schedule(template, current_prescription(patient).to_engine().schedule)
    return do_change_prescription(request, patient, template, reason, what=f"template {name}")


@transaction.atomic
def do_save_template(request: HttpRequest, patient: Patient, name: str) -> PrescriptionTemplate:
    """The patient's current prescription as a new template of their clinic. PrescribingError
    when the clinic has a template of that name already."""
    assert patient.clinic_id is not None  # patient_for_staff: a patient of the staff's clinic
    if PrescriptionTemplate.objects.filter(clinic_id=patient.clinic_id, name__iexact=name).exists():
        raise PrescribingError(
            _("Template name: the clinic has a template called “%(name)s” already.")
            % {"name": name}
        )
    current = current_prescription(patient).to_engine()
    template = PrescriptionTemplate.objects.create(
        clinic_id=patient.clinic_id,
        name=name,
        items=template_items(current),
        sessions_per_day=current.schedule.sessions_per_day,
        weekdays=sorted(current.schedule.weekdays),
    )
    record_access(request, patient, AuditEntry.READ, f"prescription saved as template {name}")
    return template


@transaction.atomic
def do_update_patient(
    request: HttpRequest, patient: Patient, values: Mapping[str, Any], reason: str
) -> list[str]:
    """Set some of PATIENT_FIELDS (automatic progression, usual leg and back pain, the
    contact phone). Returns the fields that changed; an audit entry for each says the old
    and the new value, and the reason."""
    unknown = sorted(set(values) - set(PATIENT_FIELDS))
    if unknown:
        raise ValueError(f"not a field a therapist sets: {unknown}")
    stored = Patient.objects.select_for_update().get(pk=patient.pk)
    changed = [name for name, value in values.items() if getattr(stored, name) != value]
    for name in changed:
        # One entry per field, so that each keeps its whole reason (an entry is 200 characters).
        old, new = show(getattr(stored, name)), show(values[name])
        what = f"{PATIENT_FIELDS[name]} {old} → {new}: {reason}"
        setattr(stored, name, values[name])
        setattr(patient, name, values[name])
        record_access(request, patient, AuditEntry.CHANGE, what)
    if changed:
        stored.save(update_fields=changed)
    return changed


def show(value: object) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


@transaction.atomic
def do_clear_red_flag(
    request: HttpRequest, patient: Patient, reason: str
) -> RedFlagScreening | None:
    """The therapist has checked the patient: lift the red-flag hold, keeping who and when.
    The exercises still wait for a new screening that is clear (the patient's next check).
    None when there was no hold (clearing twice changes nothing)."""
    screening = clear_red_flag_hold(patient, by="therapist")
    if screening is None:
        return None
    screening.cleared_by_user = user_of(request)  # type: ignore[assignment]
    screening.save(update_fields=["cleared_by_user"])
    taken = timezone.localtime(screening.taken_at).strftime("%Y-%m-%d")
    record_access(
        request, patient, AuditEntry.CHANGE, f"red-flag hold of {taken} cleared: {reason}"
    )
    return screening


@transaction.atomic
def acknowledge_alert(request: HttpRequest, alert: Alert, note: str) -> bool:
    """Close an open alert, with who, when and the therapist's note (optional). False when
    it was acknowledged already: acknowledging twice changes nothing."""
    now = timezone.now()
    user = user_of(request)
    closed = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=user, note=note
    )
    if not closed:
        alert.refresh_from_db()
        return False
    alert.acknowledged_at, alert.acknowledged_by, alert.note = now, user, note
    summaries.alerts_changed(alert.patient_id)  # update() sends no post_save
    what = f"alert {alert.rule} of {timezone.localtime(alert.raised_at):%Y-%m-%d} acknowledged"
    record_access(request, alert.patient, AuditEntry.CHANGE, what)
    return True


@transaction.atomic
def do_send_message(request: HttpRequest, patient: Patient, body: str) -> Message:
    """A short message for the patient's Today page."""
    message = Message.objects.create(
        patient=patient, author=user_of(request), to_patient=True, body=body
    )
    record_access(request, patient, AuditEntry.CHANGE, f"message {message.pk} to the patient")
    return message


@transaction.atomic
def add_session_note(patient: Patient, session: SessionRecord, body: str) -> Message:
    """The patient's own note on one of their sessions, for their therapist (no audit: the
    patient writes their own data)."""
    if session.patient_id != patient.pk:
        raise ValueError("a note goes on one of the patient's own sessions")
    return Message.objects.create(
        patient=patient, author=patient.user, to_patient=False, session=session, body=body
    )


@transaction.atomic
def mark_message_read(message: Message) -> None:
    """The patient has seen the therapist's message (on Today). Kept once: the first time."""
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
