"""Reads for the export: who is in a clinic's export, and an export or its file for the
clinic admin asking (404 for anyone else)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from stenosis_coach.clinic.models import StaffMember
from stenosis_coach.patients.models import Clinic, Patient

from .models import BulkExport, BulkExportFile


def sharing_patients(clinic: Clinic) -> QuerySet[Patient]:
    """The clinic's patients who share their data with it: the only ones it may export."""
    return (
        Patient.objects.filter(clinic=clinic, sharing_since__isnull=False)
        .select_related("user", "therapist", "clinic")
        .order_by("pk")
    )


def is_clinic_admin(staff: StaffMember, clinic_id: object) -> bool:
    return staff.is_admin and str(staff.clinic_id) == str(clinic_id)


def export_for(staff: StaffMember, export_id: object) -> BulkExport:
    """One export of the admin's own clinic; 404 for anything else (a plain therapist,
    another clinic, an id that is not one)."""
    try:
        key = uuid.UUID(str(export_id))
    except ValueError:
        raise Http404("No such export") from None
    export = BulkExport.objects.filter(pk=key, clinic_id=staff.clinic_id).first()
    if export is None or not staff.is_admin:
        raise Http404("No such export")
    return export


def export_files(export: BulkExport) -> QuerySet[BulkExportFile]:
    """The export's files without their content (for the manifest)."""
    return export.files.defer("content")


def export_file(export: BulkExport, resource_type: str) -> BulkExportFile:
    found = export.files.filter(resource_type=resource_type).first()
    if found is None:
        raise Http404("No such file")
    return found
