"""The clinic's Bulk Data export: what the kick-off asks for (`_type`, `_since`), the work
the worker does (one NDJSON file per resource type), and the manifest the client reads.

Only patients who share with the clinic are in it (a clinic set and sharing_since), each
one's resources from the same builder as their Bundle, with references made relative
("Patient/<id>") as the Bulk Data files have no fullUrls.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stenosis_coach.patients.models import Patient

from .bundle import patient_entries, validate_resource
from .entries import Entry, instant, relative_references
from .models import BulkExport, BulkExportFile
from .queries import export_files, sharing_patients

# Every type the export can hold, in the order the manifest lists them.
RESOURCE_TYPES = (
    "Patient",
    "Practitioner",
    "Organization",
    "Condition",
    "CarePlan",
    "Goal",
    "ServiceRequest",
    "Observation",
    "Questionnaire",
    "QuestionnaireResponse",
    "DiagnosticReport",
)
OUTPUT_FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")
# A FHIR instant: a date and time to the second, with a time zone.
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")


class BulkRequestError(ValueError):
    """A kick-off the export cannot do as asked; the message says why, in plain words."""


def parse_types(value: str | None) -> list[str]:
    """`_type`: resource types, comma-separated ([] when not given: every type)."""
    if value is None:
        return []
    asked = [name.strip() for name in value.split(",")]
    unknown = [name for name in asked if name not in RESOURCE_TYPES]
    if unknown:
        raise BulkRequestError(
            _("We cannot export “%(type)s”. Use some of these: %(types)s.")
            % {"type": unknown[0][:40], "types": ", ".join(RESOURCE_TYPES)}
        )
    return list(dict.fromkeys(asked))


def parse_since(value: str | None) -> dt.datetime | None:
    """`_since`: a FHIR instant, such as 2026-03-01T00:00:00Z."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not INSTANT.fullmatch(text):
            raise ValueError(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BulkRequestError(
            _("_since must be a date and time with a time zone, like 2026-03-01T00:00:00Z.")
        ) from None


def parse_output_format(value: str | None) -> None:
    if value is not None and value.strip() not in OUTPUT_FORMATS:
        raise BulkRequestError(_("We can only make NDJSON files."))


# ---------------------------------------------------------------------------------------
# The job's work


def run_export(export_id: str) -> bool:
    """Make the export's files. Idempotent: a finished export is left as it is; one that
    stopped half-way is made again from the start. False when there was nothing to do (done
    already, or deleted: cancelled)."""
    export = BulkExport.objects.filter(pk=export_id).select_related("clinic").first()
    if export is None or export.status == BulkExport.Status.DONE:
        return False
    patients = list(sharing_patients(export.clinic))
    now = timezone.now()
    started = BulkExport.objects.filter(pk=export.pk).update(
        status=BulkExport.Status.RUNNING,
        transaction_time=now,
        patients_total=len(patients),
        patients_done=0,
    )
    if not started:
        return False
    lines: dict[str, dict[str, str]] = defaultdict(dict)  # type -> id -> line (no repeats)
    for done, patient in enumerate(patients, start=1):
        for resource in exported_resources(patient, export.types, export.since):
            validate_resource(resource)
            lines[resource["resourceType"]][resource["id"]] = json.dumps(
                resource, ensure_ascii=False, separators=(",", ":")
            )
        BulkExport.objects.filter(pk=export.pk).update(patients_done=done)
    return save_files(export, lines)


def exported_resources(
    patient: Patient, types: list[str], since: dt.datetime | None
) -> Iterable[dict[str, Any]]:
    entries = patient_entries(patient, with_handout=not types or "DiagnosticReport" in types)
    kinds = {entry.resource["id"]: entry.resource_type for entry in entries}
    # A patient who began sharing after _since is new to the clinic: all of them, as the
    # Bulk Data spec allows for a patient added to the group.
    new_to_clinic = since is not None and (patient.sharing_since or since) > since
    for entry in entries:
        if types and entry.resource_type not in types:
            continue
        if since is not None and not new_to_clinic and not changed_since(entry, since):
            continue
        yield relative_references(entry.resource, kinds)


def changed_since(entry: Entry, since: dt.datetime) -> bool:
    """What we do not know the change time of is always exported (FHIR errs that way)."""
    return entry.changed is None or entry.changed > since


@transaction.atomic
def save_files(export: BulkExport, lines: dict[str, dict[str, str]]) -> bool:
    """Write the files and mark the export done, all or nothing; nothing when the export
    was deleted (cancelled) while the job ran."""
    if not BulkExport.objects.select_for_update().filter(pk=export.pk).exists():
        return False
    BulkExportFile.objects.filter(export=export).delete()
    BulkExportFile.objects.bulk_create(
        BulkExportFile(
            export=export,
            resource_type=kind,
            count=len(lines[kind]),
            content="".join(line + "\n" for line in lines[kind].values()),
        )
        for kind in RESOURCE_TYPES
        if lines.get(kind)
    )
    BulkExport.objects.filter(pk=export.pk).update(
        status=BulkExport.Status.DONE, finished_at=timezone.now()
    )
    return True


def mark_failed(export_id: str) -> None:
    BulkExport.objects.filter(pk=export_id).update(
        status=BulkExport.Status.FAILED, finished_at=timezone.now()
    )


# ---------------------------------------------------------------------------------------
# What the client reads


def progress(export: BulkExport) -> str:
    """The X-Progress header: where the job is (no names, no health detail)."""
    if export.status == BulkExport.Status.QUEUED:
        return "queued"
    return f"{export.patients_done} of {export.patients_total} patients"


def manifest(export: BulkExport, file_url: Any) -> dict[str, Any]:
    """The Bulk Data manifest. file_url(export, resource type): the file's absolute URL."""
    assert export.transaction_time is not None
    files = sorted(export_files(export), key=lambda file: RESOURCE_TYPES.index(file.resource_type))
    return {
        "transactionTime": instant(export.transaction_time),
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": [
            {
                "type": file.resource_type,
                "url": file_url(export, file.resource_type),
                "count": file.count,
            }
            for file in files
        ],
        "error": [],
    }


def operation_outcome(
    message: str, code: str = "invalid", severity: str = "error"
) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": message}],
    }
