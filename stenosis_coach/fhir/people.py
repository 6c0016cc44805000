"""Who the record is about and who looks after them: Patient, Practitioner (the
therapist), Organization (the clinic), and the Condition the programme is for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser

from stenosis_coach.patients.models import Clinic, Patient

from . import codes
from .entries import Entry, entry, instant, new_resource, reference


@dataclass(frozen=True)
class Subject:
    """The patient, and the references every other resource makes to the people."""

    patient: Patient
    locale: str
    patient_ref: dict[str, str]
    practitioner_ref: dict[str, str] | None
    organization_ref: dict[str, str] | None
    condition_ref: dict[str, str] | None


def subject_of(patient: Patient) -> Subject:
    therapist, clinic = patient.therapist, patient.clinic
    return Subject(
        patient=patient,
        locale=patient.language or settings.LANGUAGE_CODE,
        patient_ref=reference("Patient", patient.pk),
        practitioner_ref=reference("Practitioner", therapist.pk) if therapist else None,
        organization_ref=reference("Organization", clinic.pk) if clinic else None,
        condition_ref=reference("Condition", patient.pk) if patient.diagnosis_confirmed else None,
    )


def people(subject: Subject) -> list[Entry]:
    patient = subject.patient
    found = [patient_entry(subject)]
    if patient.therapist is not None:
        found.append(practitioner_entry(patient.therapist))
    if patient.clinic is not None:
        found.append(organization_entry(patient.clinic))
    if subject.condition_ref is not None:
        found.append(condition_entry(subject))
    return found


def human_name(user: AbstractBaseUser) -> list[dict[str, Any]]:
    first = getattr(user, "first_name", "")
    last = getattr(user, "last_name", "")
    if not (first or last):
        return []
    name: dict[str, Any] = {"text": f"{first} {last}".strip()}
    if first:
        name["given"] = [first]
    if last:
        name["family"] = last
    return [name]


def email_of(user: AbstractBaseUser) -> list[dict[str, str]]:
    email = getattr(user, "email", "")
    return [{"system": "email", "value": email}] if email else []


def patient_entry(subject: Subject) -> Entry:
    patient = subject.patient
    content: dict[str, Any] = {
        "identifier": [{"system": f"{settings.SITE_URL}/patients", "value": str(patient.pk)}],
        "active": True,
        "name": human_name(patient.user),
        "telecom": email_of(patient.user),
        "communication": [
            {"language": {"coding": [{"system": codes.BCP_47, "code": subject.locale}]}}
        ],
    }
    if patient.contact_phone:
        content["telecom"].append({"system": "phone", "value": patient.contact_phone})
    if subject.practitioner_ref is not None:
        content["generalPractitioner"] = [subject.practitioner_ref]
    if subject.organization_ref is not None:
        content["managingOrganization"] = subject.organization_ref
    resource = new_resource("Patient", (patient.pk,), **without_empty(content))
    return entry(resource)


def practitioner_entry(therapist: AbstractBaseUser) -> Entry:
    content = {"name": human_name(therapist), "telecom": email_of(therapist)}
    return entry(new_resource("Practitioner", (therapist.pk,), **without_empty(content)))


def organization_entry(clinic: Clinic) -> Entry:
    return entry(new_resource("Organization", (clinic.pk,), active=True, name=clinic.name))


def condition_entry(subject: Subject) -> Entry:
    """Only when the patient said a clinician has diagnosed spinal stenosis: their word,
    so the patient is its asserter."""
    resource = new_resource(
        "Condition",
        (subject.patient.pk,),
        clinicalStatus=codes.concept(codes.ACTIVE),
        verificationStatus=codes.concept(codes.CONFIRMED),
        category=[codes.concept(codes.PROBLEM_LIST_ITEM)],
        code=codes.concept(
            codes.SPINAL_STENOSIS_ICD,
            codes.SPINAL_STENOSIS_SNOMED,
            text="Lumbar spinal stenosis",
        ),
        subject=subject.patient_ref,
        asserter=subject.patient_ref,
        note=[{"text": "The patient reports that a clinician diagnosed spinal stenosis."}],
    )
    if subject.patient.onboarded_at is not None:
        resource["recordedDate"] = instant(subject.patient.onboarded_at)
    return entry(resource)


def without_empty(content: dict[str, Any]) -> dict[str, Any]:
    """FHIR allows no empty lists."""
    return {key: value for key, value in content.items() if value not in ([], None, "")}
