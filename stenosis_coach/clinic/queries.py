"""Reads for the clinic side: lists and logs, in one place."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from stenosis_coach.patients.models import Patient

from .models import AuditEntry


def audit_entries(
    *, patient: Patient | None = None, since: dt.datetime | None = None
) -> QuerySet[AuditEntry]:
    """The audit log, oldest first: every entry, or one patient's, from `since` on."""
    entries = AuditEntry.objects.order_by("at", "pk")
    if patient is not None:
        entries = entries.filter(patient=patient)
    if since is not None:
        entries = entries.filter(at__gte=since)
    return entries
