from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stenosis_coach.patients.models import PAIN_SCALE, Patient

WALKING_TEST_CAP_MINUTES = 30
WALKING_TEST_CAP_SECONDS = WALKING_TEST_CAP_MINUTES * 60


class PainCheckIn(models.Model):
    """Leg and back pain on the 0-10 scale, before or after a session, or on its own."""

    class Moment(models.TextChoices):
        BEFORE = "before", "Before a session"
        AFTER = "after", "After a session"
        DAILY = "daily", "On its own"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="pain_checkins")
    session = models.ForeignKey(
        "practice.SessionRecord",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pain_checkins",
    )
    moment = models.CharField(max_length=8, choices=Moment.choices)
    # Made by the device for answers sent on their own (no session followed), so that the
    # same answers sent twice are stored once. Empty for a session's own check-ins.
    uuid = models.UUIDField(null=True, blank=True, unique=True)
    recorded_at = models.DateTimeField()
    leg_pain = models.PositiveSmallIntegerField(validators=PAIN_SCALE)
    back_pain = models.PositiveSmallIntegerField(validators=PAIN_SCALE)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["patient", "recorded_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "moment"],
                condition=models.Q(session__isnull=False),
                name="one_checkin_per_session_moment",
            ),
            models.CheckConstraint(
                condition=models.Q(leg_pain__lte=10, back_pain__lte=10), name="pain_0_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"Pain check-in {self.pk}"


class WalkingTest(models.Model):
    """The self-paced walking test: time walked at one's own pace until leg symptoms forced a
    stop, capped at 30 minutes. Kept in whole seconds, as the patient saw it on the clock."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="walking_tests")
    taken_at = models.DateTimeField()
    seconds = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(WALKING_TEST_CAP_SECONDS)]
    )
    stopped_by_symptoms = models.BooleanField(
        help_text="False when the walk reached the 30-minute cap."
    )

    class Meta:
        ordering = ["taken_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seconds__gte=0, seconds__lte=WALKING_TEST_CAP_SECONDS),
                name="walk_0_to_30_minutes",
            )
        ]

    def __str__(self) -> str:
        return f"Walking test {self.pk}"

    @property
    def minutes(self) -> Decimal:
        """The time walked in minutes, to the hundredth (for charts and the data export)."""
        return (Decimal(self.seconds) / 60).quantize(Decimal("0.01"))


class ActivityQuerySet(models.QuerySet["Activity"]):
    def active(self) -> ActivityQuerySet:
        """The activities the patient rates now (new checks ask about these only)."""
        return self.filter(retired_at__isnull=True)


class Activity(models.Model):
    """An activity the patient finds hard (patient-specific function: up to 3 at a time).

    An activity the patient changes is retired, never deleted: its scores stay in Progress
    and My data under its name. Only active activities hold a slot (1 to 3)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["patient", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "position"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_activity_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"Activity {self.pk}"


class FunctionCheck(models.Model):
    """The two-weekly check: each activity rated 0-10 (0: cannot do it, 10: as well as before
    the problem), and from the second check on, the global impression of change."""

    class Impression(models.IntegerChoices):
        VERY_MUCH_BETTER = 1, _("Very much better")
        MUCH_BETTER = 2, _("Much better")
        A_LITTLE_BETTER = 3, _("A little better")
        NO_CHANGE = 4, _("No change")
        A_LITTLE_WORSE = 5, _("A little worse")
        MUCH_WORSE = 6, _("Much worse")
        VERY_MUCH_WORSE = 7, _("Very much worse")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="function_checks")
    taken_at = models.DateTimeField()
    impression = models.PositiveSmallIntegerField(choices=Impression.choices, null=True, blank=True)

    class Meta:
        ordering = ["taken_at", "pk"]

    def __str__(self) -> str:
        return f"Function check {self.pk}"


class ActivityScore(models.Model):
    function_check = models.ForeignKey(
        FunctionCheck, on_delete=models.CASCADE, related_name="scores"
    )
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=PAIN_SCALE)

    class Meta:
        ordering = ["function_check", "activity__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["function_check", "activity"], name="one_score_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"Activity score {self.pk}"
