from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from stenosis_coach.patients.models import Clinic


class BulkExport(models.Model):
    """One clinic's FHIR Bulk Data export ($export on the clinic's Group), made by the
    worker. Its id is in the status URL the client polls; deleting the row cancels it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="bulk_exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The kick-off URL, for the manifest's "request" (resource types and a time: no health
    # detail).
    request_url = models.TextField()
    types = models.JSONField(default=list, help_text="Resource types asked for; empty: all.")
    since = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    patients_done = models.PositiveIntegerField(default=0)
    patients_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the job read the data (the manifest's transactionTime), and when it finished.
    transaction_time = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Bulk export {self.pk} ({self.status})"


class BulkExportFile(models.Model):
    """One NDJSON file of a finished export: every resource of one type, one a line. Kept in
    the database (a TextField works the same on SQLite and PostgreSQL), deleted with it."""

    # No index of its own: the one_file_per_type constraint leads with it.
    export = models.ForeignKey(
        BulkExport, on_delete=models.CASCADE, related_name="files", db_index=False
    )
    resource_type = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    content = models.TextField()

    class Meta:
        ordering = ["export", "resource_type"]
        constraints = [
            models.UniqueConstraint(fields=["export", "resource_type"], name="one_file_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.resource_type}.ndjson"
