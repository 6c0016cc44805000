"""What a patient asked to be reminded of, how, and what was sent.

No health detail is kept here or sent from here: a reminder says only that it is time to
exercise."""

from __future__ import annotations

from django.db import models

from stenosis_coach.patients.models import Patient


class ReminderPlan(models.Model):
    """One per patient: the times and days of their sessions, and the ways they want to be
    reminded. The times follow the prescription's sessions a day (one time per session);
    the days default to the prescription's days."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="reminders")
    # "HH:MM" in the patient's own time zone, one per session of the day, earliest first.
    times = models.JSONField(default=list)
    # 0 (Monday) to 6 (Sunday); empty means the prescription's days.
    weekdays = models.JSONField(default=list, blank=True)
    by_email = models.BooleanField(default=False)
    by_push = models.BooleanField(default=False)
    # The private calendar feed: a long random token in the feed's address. Empty while
    # there is no feed; a new token stops the old address at once.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    calendar_made_at = models.DateTimeField(null=True, blank=True)
    # When the times or days last changed: a time that had already passed then is not
    # reminded of that day.
    times_changed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminder plan {self.pk}"

    @property
    def any_on(self) -> bool:
        return self.by_email or self.by_push or bool(self.calendar_token)


class PushSubscription(models.Model):
    """One device's push subscription (the browser's PushSubscription as JSON). The push
    service answers 404 or 410 once a subscription has gone: then the row is deleted."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    # A short name for the device, from its browser ("Chrome on Android"), to tell them apart.
    device = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Push subscription {self.pk}"


class VapidKey(models.Model):
    """The app's one VAPID key pair, made once and read by every app server and worker
    (unless VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY are given in the environment)."""

    singleton = models.BooleanField(default=True, unique=True)
    private_key = models.TextField(help_text="PEM (PKCS#8).")
    public_key = models.CharField(max_length=120, help_text="Uncompressed point, base64url.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "VAPID key"


class SentReminder(models.Model):
    """One row per reminder sent: a patient, a way, and the session time it was for (in
    UTC). The unique triple is what makes the sweep send each reminder once, even when it
    runs twice, late, or on two workers at once."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        PUSH = "push", "Push notification"

    # No index of its own: the one_reminder_per_time constraint leads with it.
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="sent_reminders", db_index=False
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    due_at = models.DateTimeField(help_text="The session time this reminder was for, in UTC.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "channel", "due_at"], name="one_reminder_per_time"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.pk}"
