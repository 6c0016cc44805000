from __future__ import annotations

from django.conf import settings
from django.db import models

from stenosis_coach.patients.models import Clinic, Patient


class StaffMember(models.Model):
    """A person who works at a clinic: a therapist, or a clinic admin (who is a therapist
    too, and also manages the clinic's staff). An account is staff at one clinic at most."""

    THERAPIST = "therapist"
    ADMIN = "admin"
    ROLES = [(THERAPIST, "therapist"), (ADMIN, "clinic admin")]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=16, choices=ROLES, default=THERAPIST)
    # A deactivated member keeps their name on the audit log, but sees nothing.
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.user.get_username()} at {self.clinic}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.ADMIN


class AuditEntry(models.Model):
    """One read or change of a patient's data by someone other than that patient.

    Kept when the account or the patient is deleted: the e-mail stays as text, and the
    links become empty."""

    READ = "read"
    CHANGE = "change"
    ACTIONS = [(READ, "read"), (CHANGE, "change")]

    who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    who_email = models.CharField(max_length=254)
    patient = models.ForeignKey(
        Patient, null=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    action = models.CharField(max_length=16, choices=ACTIONS)
    what = models.CharField(max_length=200, help_text="The page or object read or changed.")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    from_address = models.GenericIPAddressField(
        null=True, blank=True, help_text="Where the request came from (empty for a command)."
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["patient", "at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who_email} {self.action} {self.what}"
