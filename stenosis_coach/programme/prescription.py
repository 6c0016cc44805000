"""A patient's prescription: which exercises, at which dose, on which days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .catalogue import Catalogue, load_catalogue
from .dose import Dose

EVERY_DAY = frozenset(range(7))


class PrescriptionError(ValueError):
    """A prescription that does not fit the catalogue."""


@dataclass(frozen=True, slots=True)
class PrescribedExercise:
    """One exercise in a prescription.

    enabled: the therapist has it in the programme.
    locked: waiting for its prerequisite (or a therapist) to open it.
    paused: stopped for safety after two red sessions in a row, until a therapist reviews it.
    step_up_from: the dose before a step-up that has not been played yet; the player plays it
        instead when leg pain at the start is higher than at the start of the session before.
    """

    exercise_id: str
    dose: Dose
    enabled: bool = True
    locked: bool = False
    paused: bool = False
    step_up_from: Dose | None = None

    @property
    def active(self) -> bool:
        """Part of today's session."""
        return self.enabled and not self.locked and not self.paused

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "dose": self.dose.to_dict(),
            "enabled": self.enabled,
            "locked": self.locked,
            "paused": self.paused,
            "step_up_from": self.step_up_from.to_dict() if self.step_up_from else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PrescribedExercise:
        return cls(
            exercise_id=str(data["exercise_id"]),
            dose=Dose.from_dict(data["dose"]),
            enabled=bool(data.get("enabled", True)),
            locked=bool(data.get("locked", False)),
            paused=bool(data.get("paused", False)),
            step_up_from=Dose.from_dict(data["step_up_from"]) if data.get("step_up_from") else None,
        )


@dataclass(frozen=True, slots=True)
class Schedule:
    """When sessions are due. Default: one session a day, every day.

    weekdays use Python's numbering: Monday is 0, Sunday is 6.
    """

    sessions_per_day: int = 1
    weekdays: frozenset[int] = field(default=EVERY_DAY)

    def __post_init__(self) -> None:
        if not 1 <= self.sessions_per_day <= 3:
            raise PrescriptionError("sessions_per_day must be 1, 2 or 3")
        if not self.weekdays or not self.weekdays <= EVERY_DAY:
            raise PrescriptionError("weekdays must be some of 0 (Monday) to 6 (Sunday)")

    def is_session_day(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays

    def to_dict(self) -> dict[str, Any]:
        return {"sessions_per_day": self.sessions_per_day, "weekdays": sorted(self.weekdays)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Schedule:
        return cls(
            sessions_per_day=int(data.get("sessions_per_day", 1)),
            weekdays=frozenset(int(day) for day in data.get("weekdays", EVERY_DAY)),
        )


@dataclass(frozen=True, slots=True)
class Prescription:
    exercises: tuple[PrescribedExercise, ...]
    schedule: Schedule = field(default_factory=Schedule)
    # Its number among the patient's versions (None: not stored yet).
    version: int | None = None

    def __post_init__(self) -> None:
        ids = [item.exercise_id for item in self.exercises]
        if len(set(ids)) != len(ids):
            raise PrescriptionError("an exercise appears twice in the prescription")

    def get(self, exercise_id: str) -> PrescribedExercise:
        for item in self.exercises:
            if item.exercise_id == exercise_id:
                return item
        raise KeyError(exercise_id)

    def active(self) -> tuple[PrescribedExercise, ...]:
        return tuple(item for item in self.exercises if item.active)

    def with_item(self, new_item: PrescribedExercise) -> Prescription:
        """A copy with one exercise replaced."""
        items = tuple(
            new_item if item.exercise_id == new_item.exercise_id else item
            for item in self.exercises
        )
        return replace(self, exercises=items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercises": [item.to_dict() for item in self.exercises],
            "schedule": self.schedule.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Prescription:
        return cls(
            exercises=tuple(PrescribedExercise.from_dict(item) for item in data["exercises"]),
            schedule=Schedule.from_dict(data.get("schedule", {})),
        )

    def check(self, catalogue: Catalogue) -> None:
        """Raise PrescriptionError unless every exercise is known and dosed in its own form."""
        for item in self.exercises:
            try:
                exercise = catalogue.get(item.exercise_id)
            except KeyError:
                raise PrescriptionError(f"unknown exercise {item.exercise_id!r}") from None
            if item.dose.is_timed != exercise.is_timed:
                raise PrescriptionError(f"{item.exercise_id}: the dose is of the wrong form")


def starting_prescription(catalogue: Catalogue | None = None) -> Prescription:
    """A new patient's prescription: every exercise at the start of its ladder, and any
    exercise with a prerequisite locked until that prerequisite is met."""
    catalogue = catalogue or load_catalogue()
    return Prescription(
        exercises=tuple(
            PrescribedExercise(
                exercise_id=exercise.id,
                dose=exercise.start,
                locked=bool(exercise.requires),
            )
            for exercise in catalogue.exercises
        )
    )
