from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from stenosis_coach.programme import Outcome

PAIN_SCALE = [MinValueValidator(0), MaxValueValidator(10)]


class Clinic(models.Model):
    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Patient(models.Model):
    """A person doing the programme. Clinic and therapist stay empty for someone who signed
    up alone, until they accept a therapist's invitation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient"
    )
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.SET_NULL, related_name="patients"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="therapy_patients",
    )
    language = models.CharField(max_length=10, default="en")
    usual_leg_pain = models.PositiveSmallIntegerField(null=True, validators=PAIN_SCALE)
    usual_back_pain = models.PositiveSmallIntegerField(null=True, validators=PAIN_SCALE)
    diagnosis_confirmed = models.BooleanField(
        null=True, help_text="A clinician has said the leg pain comes from spinal stenosis."
    )
    preferred_session_time = models.TimeField(null=True, blank=True)
    # An IANA name ("Europe/Madrid"), from the browser at sign-up or the next visit, and
    # changeable in settings. Days (for step-ups, adherence, reminders) are counted in it.
    time_zone = models.CharField(max_length=64, blank=True)
    usual_walking_minutes = models.PositiveSmallIntegerField(
        null=True,
        validators=[MaxValueValidator(30)],
        help_text="Minutes of walking before leg symptoms stop them (30 means 30 or more).",
    )
    voice_on = models.BooleanField(default=True, help_text="The player speaks each step.")
    beeps_on = models.BooleanField(
        default=True, help_text="The player beeps in the last seconds of a hold."
    )
    screening_requested_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="New leg symptoms were reported: the red-flag questions are asked again "
        "before any exercise, if no screening was taken after this.",
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the patient agreed to share their data with their clinic (after reading what the
    # therapist will see). Empty while they share with no one.
    sharing_since = models.DateTimeField(null=True, blank=True)
    # Set by the therapist: off means doses change only when the therapist changes them.
    auto_progression = models.BooleanField(default=True)
    contact_phone = models.CharField(
        max_length=32, blank=True, help_text="A number the therapist can call the patient on."
    )

    def __str__(self) -> str:
        return f"Patient {self.pk}"

    @property
    def zone(self) -> ZoneInfo:
        """The patient's own time zone; the server's until the browser has told us."""
        try:
            return ZoneInfo(self.time_zone or settings.TIME_ZONE)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)

    def latest_screening(self) -> RedFlagScreening | None:
        return self.screenings.order_by("-taken_at", "-pk").first()

    def red_flag_hold(self) -> RedFlagScreening | None:
        """The latest screening with a "yes", while nobody has cleared it (the patient, after
        a doctor's check, or their therapist). A later clear screening does not lift it."""
        flagged = self.screenings.exclude(outcome=Outcome.CLEAR.value)
        screening = flagged.order_by("-taken_at", "-pk").first()
        return screening if screening is not None and screening.cleared_at is None else None

    @property
    def stopped_by_red_flag(self) -> bool:
        """A red-flag "yes" holds the exercises: until it is cleared, and then until a new
        screening comes back clear."""
        if self.red_flag_hold() is not None:
            return True
        screening = self.latest_screening()
        return screening is not None and Outcome(screening.outcome).pauses_programme

    @property
    def screening_requested(self) -> bool:
        """New leg symptoms were reported after the latest screening: ask the questions
        again before any exercise."""
        screening = self.latest_screening()
        requested = self.screening_requested_at
        return requested is not None and (screening is None or requested > screening.taken_at)

    @property
    def programme_paused(self) -> bool:
        """No exercise until a red-flag screening has come back clear, with no hold and no
        new leg symptoms since."""
        return (
            self.latest_screening() is None or self.stopped_by_red_flag or self.screening_requested
        )


class RedFlagScreening(models.Model):
    """One pass through the red-flag questions (before the first session, then weekly)."""

    OUTCOMES = [(outcome.value, outcome.value) for outcome in Outcome]

    # No index of its own: the (patient, taken_at) index leads with it.
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="screenings", db_index=False
    )
    taken_at = models.DateTimeField()
    answers = models.JSONField(help_text="Question id to true (yes) or false (no).")
    outcome = models.CharField(max_length=16, choices=OUTCOMES)
    flagged = models.JSONField(default=list, help_text="Ids of the questions answered yes.")
    # A red-flag hold ends only when the patient says a doctor has checked them and said they
    # can go on (or, later, when their therapist clears it).
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.CharField(
        max_length=16,
        blank=True,
        choices=[("patient", "the patient, after a doctor's check"), ("therapist", "therapist")],
    )
    # The therapist who cleared the hold after checking the patient (kept with cleared_at).
    cleared_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["taken_at", "pk"]
        indexes = [models.Index(fields=["patient", "taken_at"])]

    def __str__(self) -> str:
        return f"Screening {self.pk}"
