"""One patient's record as a FHIR R4 Bundle (type collection), built as plain dicts and then
validated with fhir.resources' R4B models (R4-shaped; the library's default models are R5).

No request in here: the patient's download, the therapist's, the `export` command and the
clinic's bulk job all start from `patient_entries` or `patient_bundle`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from stenosis_coach.patients.models import Patient

from .entries import Entry, instant, resource_id
from .observations import observations
from .people import people, subject_of
from .programme import programme
from .questionnaires import function_checks


def patient_entries(patient: Patient, *, with_handout: bool = True) -> list[Entry]:
    """Every resource of the patient's record, people first. with_handout=False leaves out
    the DiagnosticReport with the PDF (the slow part) when it is not asked for."""
    subject = subject_of(patient)
    return [
        *people(subject),
        *programme(subject, with_handout=with_handout),
        *observations(subject),
        *function_checks(subject),
    ]


def patient_bundle(patient: Patient, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The patient's Bundle, checked against the R4B models (ValueError if it does not
    validate: a bug here, never the patient's data)."""
    made = now or timezone.now()
    bundle = {
        "resourceType": "Bundle",
        "id": resource_id("Bundle", patient.pk, made.isoformat()),
        "meta": {"lastUpdated": instant(made)},
        "type": "collection",
        "timestamp": instant(made),
        "entry": [
            {"fullUrl": entry.full_url, "resource": entry.resource}
            for entry in patient_entries(patient)
        ],
    }
    Bundle.model_validate(bundle)
    return bundle


def validate_resource(resource: dict[str, Any]) -> None:
    """One resource against its R4B model (pydantic's ValidationError, a ValueError)."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def as_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def bundle_json(patient: Patient) -> bytes:
    return as_json(patient_bundle(patient))
