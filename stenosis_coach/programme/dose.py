"""A dose: how much of one exercise a patient does in one session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

# Sane bounds: anything outside them is a typing mistake, not a prescription.
LIMITS: dict[str, tuple[int, int]] = {
    "sets": (1, 5),
    "reps": (1, 30),
    "hold_seconds": (1, 120),
    "work_seconds": (5, 600),
    "set_break_seconds": (0, 300),
    "last_set_reps": (1, 29),
}


class DoseError(ValueError):
    """A dose that is not possible or not sane."""


@dataclass(frozen=True, slots=True)
class Dose:
    """Either repetitions held for a time (reps and hold_seconds) or timed work (work_seconds).

    `last_set_reps` is set only when the last of several sets is shorter than the others.
    `set_break_seconds` is set for exercises that can have more than one set.
    """

    sets: int = 1
    reps: int | None = None
    hold_seconds: int | None = None
    work_seconds: int | None = None
    set_break_seconds: int | None = None
    last_set_reps: int | None = None

    def __post_init__(self) -> None:
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise DoseError(f"{name} must be a whole number")
            if not low <= value <= high:
                raise DoseError(f"{name} must be from {low} to {high}, not {value}")
        timed = self.work_seconds is not None
        held = self.reps is not None or self.hold_seconds is not None
        if timed == held:
            raise DoseError("a dose is either reps with a hold or timed work, not both")
        if held and (self.reps is None or self.hold_seconds is None):
            raise DoseError("a dose in reps needs both reps and hold_seconds")
        if self.sets > 1 and self.set_break_seconds is None:
            raise DoseError("more than one set needs set_break_seconds")
        if self.last_set_reps is not None and (
            self.sets < 2 or self.reps is None or self.last_set_reps >= self.reps
        ):
            raise DoseError("last_set_reps is only for a shorter last set of several")

    @property
    def is_timed(self) -> bool:
        return self.work_seconds is not None

    def reps_in_set(self, set_number: int) -> int:
        """Repetitions in set `set_number` (1-based); 0 for timed work."""
        if self.reps is None:
            return 0
        if set_number == self.sets and self.last_set_reps is not None:
            return self.last_set_reps
        return self.reps

    @property
    def total_reps(self) -> int:
        return sum(self.reps_in_set(n) for n in range(1, self.sets + 1))

    @property
    def load_seconds(self) -> int:
        """Seconds under load in one session: what a ladder must grow at every rung."""
        if self.work_seconds is not None:
            return self.work_seconds * self.sets
        assert self.hold_seconds is not None
        return self.hold_seconds * self.total_reps

    @property
    def set_reps(self) -> tuple[int, ...]:
        """Repetitions in each set, first to last (empty for timed work)."""
        if self.reps is None:
            return ()
        return tuple(self.reps_in_set(n) for n in range(1, self.sets + 1))

    @property
    def load_parts(self) -> tuple[object, ...]:
        """What a patient works through: sets, the reps of each set, the hold, the work time.
        The break between sets is rest, not load, so it is not one of them."""
        return (self.sets, self.set_reps, self.hold_seconds, self.work_seconds)

    def at_most(self, other: Dose) -> bool:
        """No part of this dose is bigger than in `other`: no more sets, no longer hold or
        work time, and no set with more reps than the same set of `other` (so neither the reps
        of a set nor the last set grow). Doses of different forms are never compared."""
        if self.is_timed != other.is_timed or self.sets > other.sets:
            return False
        if self.work_seconds is not None:
            assert other.work_seconds is not None
            return self.work_seconds <= other.work_seconds
        assert self.hold_seconds is not None
        assert other.hold_seconds is not None
        if self.hold_seconds > other.hold_seconds:
            return False
        pairs = zip(self.set_reps, other.set_reps, strict=False)  # self has no more sets
        return all(mine <= theirs for mine, theirs in pairs)

    def smaller_than(self, other: Dose) -> bool:
        """At most `other` in every part, and less in at least one."""
        return self.at_most(other) and self.load_parts != other.load_parts

    def to_dict(self) -> dict[str, int | None]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Dose:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise DoseError(f"unknown dose field: {', '.join(unknown)}")
        return cls(**{k: v for k, v in data.items() if v is not None})

    def changed_fields(self, other: Dose) -> list[str]:
        """Names of the fields that differ between this dose and `other`."""
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name)]
