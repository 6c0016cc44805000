from __future__ import annotations

from django.db import models


class SentEmail(models.Model):
    """One row per e-mail the app has sent, keyed by the caller (for example
    "alert-42-therapist-7"). The unique key is what makes sending idempotent: a job that runs
    twice, or on two workers at once, can insert the row only once."""

    key = models.CharField(max_length=200, unique=True)
    to = models.TextField()  # the addresses, comma-separated: who was written to, no content
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Sent e-mail {self.pk}"


class PeriodicRun(models.Model):
    """One row per periodic job per time slot ("clinic.digest" at 14:00): the unique pair is
    what makes a periodic job fire once however many workers look at the clock."""

    job = models.CharField(max_length=80)
    slot = models.DateTimeField(help_text="The start of the slot, in UTC.")
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"
