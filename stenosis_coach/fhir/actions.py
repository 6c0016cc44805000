"""Writes for the export: start a clinic's bulk export (with its audit entry, and the job
queued once the transaction commits), and delete one."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.http import HttpRequest

from stenosis_coach.clinic.audit import record_access
from stenosis_coach.clinic.models import AuditEntry, StaffMember

from .models import BulkExport
from .tasks import make_bulk_export


@transaction.atomic
def start_bulk_export(
    request: HttpRequest,
    staff: StaffMember,
    *,
    types: list[str],
    since: dt.datetime | None,
) -> BulkExport:
    """One audit entry for the whole clinic's export (no patient: it is all of them who
    share), then the job, never in the request."""
    export = BulkExport.objects.create(
        clinic=staff.clinic,
        requested_by=staff.user,
        request_url=request.build_absolute_uri(),
        types=types,
        since=since,
    )
    record_access(request, None, AuditEntry.READ, f"FHIR bulk export of the clinic ({export.pk})")
    transaction.on_commit(partial(make_bulk_export.enqueue, export_id=str(export.pk)))
    return export


@transaction.atomic
def delete_bulk_export(export: BulkExport) -> None:
    """Cancel it (a running job finds the row gone and writes nothing) or delete its files."""
    export.delete()
