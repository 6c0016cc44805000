from __future__ import annotations

from django.conf import settings
from django.db import models

from stenosis_coach.patients.models import Patient
from stenosis_coach.programme import (
    Action,
    Dose,
    Kind,
    Light,
    PrescribedExercise,
    Prescription,
    Schedule,
    StopReason,
    explain,
)
from stenosis_coach.programme.records import Cause


class Exercise(models.Model):
    """A catalogue exercise, mirrored from the catalogue data file so that records can point
    at it. The words live in the catalogue, not here."""

    id = models.CharField(primary_key=True, max_length=40)
    kind = models.CharField(max_length=16, choices=[(k.value, k.value) for k in Kind])
    position = models.PositiveSmallIntegerField(help_text="Order in a session.")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.id


class DoseFields(models.Model):
    """The six numbers of a dose, stored in columns so doses can be charted and queried."""

    sets = models.PositiveSmallIntegerField(default=1)
    reps = models.PositiveSmallIntegerField(null=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True)
    work_seconds = models.PositiveSmallIntegerField(null=True)
    set_break_seconds = models.PositiveSmallIntegerField(null=True)
    last_set_reps = models.PositiveSmallIntegerField(null=True)

    class Meta:
        abstract = True

    @property
    def dose(self) -> Dose:
        return Dose.from_dict({name: getattr(self, name) for name in DOSE_FIELD_NAMES})


DOSE_FIELD_NAMES = (
    "sets",
    "reps",
    "hold_seconds",
    "work_seconds",
    "set_break_seconds",
    "last_set_reps",
)


class PrescriptionVersion(models.Model):
    """One version of a patient's prescription. Every change makes a new version, kept with
    who made it and why."""

    class Source(models.TextChoices):
        START = "start", "Starting prescription"
        ENGINE = "engine", "Automatic progression"
        THERAPIST = "therapist", "Therapist"

    # db_index=False here and below: a composite index or unique constraint leads with it.
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="prescriptions", db_index=False
    )
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Empty when the engine made the change.",
    )
    note = models.TextField(blank=True)
    sessions_per_day = models.PositiveSmallIntegerField(default=1)
    weekdays = models.JSONField(default=list, help_text="0 (Monday) to 6 (Sunday).")

    class Meta:
        ordering = ["patient", "number"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"Prescription version {self.pk}"

    def to_engine(self) -> Prescription:
        return Prescription(
            exercises=tuple(item.to_engine() for item in self.items.all()),
            schedule=Schedule(self.sessions_per_day, frozenset(self.weekdays)),
            version=self.number,
        )


class PrescriptionItem(DoseFields):
    """One exercise in a prescription version, with the reason it is as it is."""

    version = models.ForeignKey(
        PrescriptionVersion, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT)
    enabled = models.BooleanField(default=True)
    locked = models.BooleanField(default=False)
    paused = models.BooleanField(default=False)
    action = models.CharField(
        max_length=16, choices=[(a.value, a.value) for a in Action], blank=True
    )
    # The engine's reason in words, as said when the version was made (what versions made
    # before the code was kept still show) ...
    reason = models.TextField(blank=True)
    # ... and what it is made from, so it can be said again in the patient's language now.
    reason_code = models.CharField(max_length=40, blank=True)
    reason_values = models.JSONField(default=dict, blank=True)
    previous_dose = models.JSONField(null=True, blank=True)
    # The dose before a step-up that has not been played yet: the player plays this one
    # instead when leg pain at the start is higher than at the start of the session before.
    step_up_from = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["version", "exercise__position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "exercise"], name="one_item_per_exercise")
        ]

    def __str__(self) -> str:
        return f"Prescription item {self.pk}"

    def to_engine(self) -> PrescribedExercise:
        return PrescribedExercise(
            exercise_id=self.exercise_id,
            dose=self.dose,
            enabled=self.enabled,
            locked=self.locked,
            paused=self.paused,
            step_up_from=Dose.from_dict(self.step_up_from) if self.step_up_from else None,
        )

    def reason_in(self, locale: str) -> str:
        """The engine's reason for this dose in `locale` (blank when the engine gave none)."""
        if not self.reason_code or self.previous_dose is None:
            return self.reason
        previous = Dose.from_dict(self.previous_dose)
        return explain(self.reason_code, previous, self.dose, self.reason_values, locale)


class SessionRecord(models.Model):
    """One guided session. The browser makes the UUID, so an upload sent twice (for example
    after going offline) is stored once."""

    uuid = models.UUIDField(unique=True)
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="sessions", db_index=False
    )
    # RESTRICT: a version a session followed cannot be deleted on its own, but deleting the
    # patient removes both together.
    prescription = models.ForeignKey(
        PrescriptionVersion, on_delete=models.RESTRICT, related_name="sessions"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    locale = models.CharField(max_length=10, default="en")
    gentle = models.BooleanField(default=False, help_text="Stretches only, because pain was high.")
    new_leg_symptoms = models.BooleanField(
        null=True,
        help_text="New numbness, tingling or weakness in the legs at the end (empty: not asked).",
    )
    received_at = models.DateTimeField(auto_now_add=True)
    # Pauses (the phone locked, a rest) do not count towards a session's length.
    paused_seconds = models.PositiveIntegerField(default=0)
    # False when the device's clock was plainly wrong (before 2000, or ahead of the server):
    # started_at and finished_at are then the server's estimate, counted back from
    # received_at, and the device's own start is kept in device_started_at.
    clock_trusted = models.BooleanField(default=True)
    device_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["patient", "started_at"])]

    def __str__(self) -> str:
        return f"Session {self.pk}"


class ExerciseResult(DoseFields):
    """How one exercise went in one session, at the dose played: the one in the version the
    session followed (or the dose before its step-up, when the player held it back), kept
    here so that history never changes when a prescription does."""

    class Stop(models.TextChoices):
        LEG_PAIN = StopReason.LEG_PAIN.value, "Leg pain worse"
        BACK_PAIN = StopReason.BACK_PAIN.value, "Back pain worse"
        OTHER = StopReason.OTHER_PAIN.value, "Hurt in another way"
        SKIPPED = StopReason.SKIPPED.value, "Skipped"

    session = models.ForeignKey(
        SessionRecord, on_delete=models.CASCADE, related_name="results", db_index=False
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT)
    completed = models.BooleanField()
    worse = models.BooleanField(default=False, help_text="It hurt or made the sciatica worse.")
    stop_reason = models.CharField(max_length=16, choices=Stop.choices, blank=True)
    sets_done = models.PositiveSmallIntegerField(default=0)
    reps_done = models.PositiveSmallIntegerField(default=0)
    # "Could you keep your low back pressed flat the whole time?" after a pelvic tilt at its
    # target (empty: not asked). The march opens only after two "yes".
    kept_back_flat = models.BooleanField(null=True)
    light = models.CharField(max_length=8, choices=[(light.value, light.value) for light in Light])
    light_cause = models.CharField(max_length=16, choices=[(c.value, c.value) for c in Cause])

    class Meta:
        ordering = ["session", "exercise__position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "exercise"], name="one_result_per_exercise")
        ]

    def __str__(self) -> str:
        return f"Exercise result {self.pk}"
