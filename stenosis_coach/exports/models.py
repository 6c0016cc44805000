from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from stenosis_coach.patients.models import Patient


class PreparedFile(models.Model):
    """A file made for download by the job worker, not in the request: a printed sheet (the
    exercises, the progress summary) or a FHIR bundle. Asked for again with nothing changed,
    the same file is served, so a button pressed twice makes one file.

    `stamp` sums up the patient's data the file is made from (exports/prepared.py): any new
    session, check-in, plan or message gives a new stamp, so a new file."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="prepared_files")
    # Who asked: the patient, or a therapist of their clinic. Only they may fetch it.
    # No index of its own: the one_file_per_request_and_data constraint leads with it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False
    )
    kind = models.CharField(max_length=16)  # one of prepared.KINDS
    paper = models.CharField(max_length=8, blank=True)
    stamp = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    content = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "patient", "kind", "paper", "stamp"],
                name="one_file_per_request_and_data",
            )
        ]

    def __str__(self) -> str:
        return f"Prepared file {self.pk}"
