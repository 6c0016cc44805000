from __future__ import annotations

from django.conf import settings
from django.db import models

from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.models import SessionRecord


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
    # db_index=False here and below: a composite index or unique constraint leads with it.
    patient = models.ForeignKey(
        Patient,
        null=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        db_index=False,
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
        return f"Audit entry {self.pk}"


class Invitation(models.Model):
    """A therapist's invitation for one patient: a short code (printed, with a QR code) or
    an e-mail with the same code in a link. Single use, valid for 14 days."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    # Eight letters with no look-alikes (see invitations.CODE_LETTERS).
    code = models.CharField(max_length=8, unique=True)
    email = models.EmailField(blank=True, help_text="Empty for a printed code.")
    name = models.CharField(max_length=120, blank=True, help_text="Who it is for, for the list.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"


class Alert(models.Model):
    """A rule that fired for a patient, with the numbers that fired it (`values`, said in
    words by the rule). Open until a therapist acknowledges it; one open alert per rule per
    patient."""

    class Severity(models.TextChoices):
        CRITICAL = "critical", "Critical"
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="alerts", db_index=False
    )
    rule = models.CharField(max_length=40)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    values = models.JSONField(default=dict, help_text="The numbers that fired the rule.")
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    # Critical: e-mailed at once; non-critical: when it went into a digest.
    notified_at = models.DateTimeField(null=True, blank=True)
    # Critical and still open after 24 hours: e-mailed again, to the clinic admin too.
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["patient", "acknowledged_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "rule"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="one_open_alert_per_rule",
            )
        ]

    def __str__(self) -> str:
        return f"Alert {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class Message(models.Model):
    """A short message: from the therapist to the patient (shown on Today), or the patient's
    note on a session for the therapist."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_patient = models.BooleanField(help_text="True: the therapist wrote to the patient.")
    session = models.ForeignKey(
        SessionRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    body = models.TextField(max_length=500)
    sent_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["patient", "to_patient", "sent_at"])]

    def __str__(self) -> str:
        return f"Message {self.pk}"


class PrescriptionTemplate(models.Model):
    """A clinic's named prescription ("Start", "Gentle start", "Target", or its own), applied
    to a patient in one step. `items`: one {exercise_id, enabled, dose} per exercise."""

    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, related_name="templates", db_index=False
    )
    name = models.CharField(max_length=80)
    items = models.JSONField()
    sessions_per_day = models.PositiveSmallIntegerField(default=1)
    weekdays = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clinic", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="one_template_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class PatientSummary(models.Model):
    """The caseload's figures for one patient, kept up to date in the same transaction as
    the upload or the alert that changes them (clinic/summaries.py), so the caseload reads
    one row per patient whatever the length of the history.

    Counts over a window of days ("sessions in 7 days") would go stale as days pass, so the
    row keeps the moments themselves (whole seconds since 1970, oldest first) for the last
    RECENT_WINDOW_DAYS, and the caseload counts them in the patient's own days when it reads.
    A patient with no row yet (made before a first upload) shows with empty figures."""

    patient = models.OneToOneField(
        Patient, primary_key=True, on_delete=models.CASCADE, related_name="summary"
    )
    first_session_at = models.DateTimeField(null=True, blank=True)
    last_session_at = models.DateTimeField(null=True, blank=True)
    sessions = models.PositiveIntegerField(default=0, help_text="Every session, ever.")
    recent_sessions = models.JSONField(
        default=list, help_text="When each recent session started, in seconds since 1970."
    )
    recent_leg_pain = models.JSONField(
        default=list, help_text="[seconds since 1970, leg pain] before each recent session."
    )
    first_week_leg_pain = models.JSONField(
        default=list, help_text="[seconds since 1970, leg pain] before sessions, first week."
    )
    latest_leg_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    latest_leg_pain_at = models.DateTimeField(null=True, blank=True)
    last_red_at = models.DateTimeField(
        null=True, blank=True, help_text="The start of the latest session with a red light."
    )
    open_critical = models.PositiveSmallIntegerField(default=0)
    open_high = models.PositiveSmallIntegerField(default=0)
    open_medium = models.PositiveSmallIntegerField(default=0)
    open_low = models.PositiveSmallIntegerField(default=0)
    open_alerts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "patient summaries"
        indexes = [
            # "With open alerts": the few patients who have any.
            models.Index(
                fields=["patient"],
                condition=models.Q(open_alerts__gt=0),
                name="summary_with_open_alerts",
            )
        ]

    def __str__(self) -> str:
        return f"Summary of patient {self.pk}"
