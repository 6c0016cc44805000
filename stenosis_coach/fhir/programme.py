"""The programme as the HL7 Physical Activity IG models it: a CarePlan with a Goal, one
ServiceRequest per exercise (the dose in words, the schedule as a Timing), and the printed
handout as a DiagnosticReport's presentedForm."""

from __future__ import annotations

import base64
from typing import Any

from django.utils import timezone

from stenosis_coach.exports import handout
from stenosis_coach.practice.actions import current_prescription
from stenosis_coach.practice.models import PrescriptionItem, PrescriptionVersion
from stenosis_coach.programme import dose_label, load_catalogue

from . import codes
from .entries import Entry, entry, instant, new_resource, reference
from .people import Subject

PA_CATEGORY = codes.concept(codes.PHYSICAL_ACTIVITY)
# pa-sr-1 wants a reason on every ServiceRequest; with no diagnosis we have the symptoms.
SYMPTOMS = {"text": "Leg pain when standing or walking that eases on sitting"}


def programme(subject: Subject, *, with_handout: bool = True) -> list[Entry]:
    version = current_prescription(subject.patient)
    items = [item for item in version.items.all() if item.enabled and not item.locked]
    found = [
        care_plan_entry(subject, version, items),
        goal_entry(subject, version),
        *(service_request_entry(subject, version, item) for item in items),
    ]
    if with_handout and can_print_exercises(subject):
        found.append(handout_entry(subject, version, items))
    return found


def can_print_exercises(subject: Subject) -> bool:
    """As on My data: the exercise sheet waits for onboarding and a clear safety check."""
    patient = subject.patient
    return patient.onboarded_at is not None and not patient.stopped_by_red_flag


def care_plan_entry(
    subject: Subject, version: PrescriptionVersion, items: list[PrescriptionItem]
) -> Entry:
    first = subject.patient.prescriptions.order_by("number").first()
    content: dict[str, Any] = {
        "status": "active",
        "intent": "plan",
        "category": [PA_CATEGORY, codes.concept(codes.ASSESS_PLAN)],
        "title": "Home exercise programme for lumbar spinal stenosis",
        "description": "Flexion-based stretches and lower-abdominal exercises, done at home.",
        "subject": subject.patient_ref,
        "period": {"start": instant((first or version).created_at)},
        "created": instant((first or version).created_at),
        "goal": [goal_ref(subject)],
        "activity": [{"reference": reference("ServiceRequest", item.pk)} for item in items],
    }
    if subject.practitioner_ref is not None:
        content["author"] = subject.practitioner_ref
    if subject.condition_ref is not None:
        content["addresses"] = [subject.condition_ref]
    return entry(new_resource("CarePlan", (subject.patient.pk,), **content), version.created_at)


def goal_entry(subject: Subject, version: PrescriptionVersion) -> Entry:
    content: dict[str, Any] = {
        "lifecycleStatus": "active",
        "category": [PA_CATEGORY],
        "description": {"text": "Walk and stand longer with less leg pain"},
        "subject": subject.patient_ref,
        "expressedBy": subject.patient_ref,
    }
    if subject.condition_ref is not None:
        content["addresses"] = [subject.condition_ref]
    return entry(new_resource("Goal", (subject.patient.pk,), **content), version.created_at)


def timing(version: PrescriptionVersion) -> dict[str, Any]:
    """Sessions a day, on the days of the week the prescription gives."""
    days = [codes.DAYS_OF_WEEK[day] for day in sorted(version.weekdays or range(7))]
    repeat = {"frequency": version.sessions_per_day, "period": 1, "periodUnit": "d"}
    return {"repeat": {**repeat, "dayOfWeek": days}}


def service_request_entry(
    subject: Subject, version: PrescriptionVersion, item: PrescriptionItem
) -> Entry:
    catalogue = load_catalogue()
    name = catalogue.get(item.exercise_id).text(subject.locale).name
    content: dict[str, Any] = {
        "extension": [{"url": codes.PERTAINS_TO_GOAL, "valueReference": goal_ref(subject)}],
        "basedOn": [reference("CarePlan", subject.patient.pk)],
        "status": "on-hold" if item.paused else "active",
        "intent": "order",
        "category": [PA_CATEGORY],
        "code": codes.concept(
            codes.EXERCISE_THERAPY, codes.exercise_code(item.exercise_id), text=name
        ),
        "subject": subject.patient_ref,
        "occurrenceTiming": timing(version),
        "authoredOn": instant(version.created_at),
        "performer": [subject.patient_ref],
        # The dose as the patient reads it on Today, in their language.
        "patientInstruction": dose_label(item.dose, catalogue, subject.locale),
    }
    # A version the therapist made is their order; the engine's have no requester.
    therapist_made_it = version.created_by_id == subject.patient.therapist_id
    if subject.practitioner_ref is not None and therapist_made_it:
        content["requester"] = subject.practitioner_ref
    if subject.condition_ref is not None:
        content["reasonReference"] = [subject.condition_ref]
    else:
        content["reasonCode"] = [SYMPTOMS]
    return entry(new_resource("ServiceRequest", (item.pk,), **content), version.created_at)


def goal_ref(subject: Subject) -> dict[str, str]:
    return reference("Goal", subject.patient.pk)


def handout_entry(
    subject: Subject, version: PrescriptionVersion, items: list[PrescriptionItem]
) -> Entry:
    """The printed exercise sheet, the same PDF as on My data, in the patient's language."""
    now = timezone.now()
    pdf = handout.handout_pdf(subject.patient)
    content: dict[str, Any] = {
        "basedOn": [reference("ServiceRequest", item.pk) for item in items],
        "status": "final",
        "category": [PA_CATEGORY],
        "code": codes.concept(codes.HANDOUT),
        "subject": subject.patient_ref,
        "effectiveDateTime": instant(now),
        "issued": instant(now),
        "presentedForm": [
            {
                "contentType": "application/pdf",
                "language": subject.locale,
                "data": base64.b64encode(pdf).decode("ascii"),
                "title": "Exercise sheet",
                "creation": instant(now),
            }
        ],
    }
    if subject.organization_ref is not None:
        content["performer"] = [subject.organization_ref]
    content = {key: value for key, value in content.items() if value != []}
    return entry(
        new_resource("DiagnosticReport", (subject.patient.pk,), **content), version.created_at
    )
