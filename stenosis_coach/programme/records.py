"""What happened in a session, and the traffic light each exercise earned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .dose import Dose

# Leg pain after a session this many points (0-10) above before it makes the session amber.
PAIN_RISE_AMBER = 2


class Light(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class StopReason(StrEnum):
    """Why an exercise ended early."""

    LEG_PAIN = "leg-pain"  # it made leg pain (sciatica) worse
    BACK_PAIN = "back-pain"  # it hurt the back
    OTHER_PAIN = "other"  # it hurt in another way
    SKIPPED = "skipped"  # the patient skipped it without pain

    @property
    def is_pain(self) -> bool:
        return self is not StopReason.SKIPPED


class Cause(StrEnum):
    """Why an exercise got its light: the key to the plain-language reason."""

    HURT = "hurt"
    NOT_FINISHED = "not-finished"
    PAIN_ROSE = "pain-rose"
    PAIN_NEXT_DAY = "pain-next-day"
    WENT_WELL = "went-well"


@dataclass(frozen=True, slots=True)
class ExerciseResult:
    """One exercise in one session.

    worse: the patient pressed "It hurts - stop" or answered "yes, worse" at the check-in.
    """

    exercise_id: str
    dose: Dose
    completed: bool
    worse: bool = False
    stop_reason: StopReason | None = None
    # "Could you keep your low back pressed flat the whole time?" (None: not asked).
    kept_back_flat: bool | None = None


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session. day: its date in the patient's own time zone (step-ups count days).
    prescription_version: the version it followed (the engine reacts only to a session done
    under the version now prescribed)."""

    results: tuple[ExerciseResult, ...]
    leg_pain_before: int | None = None
    leg_pain_after: int | None = None
    day: dt.date | None = None
    prescription_version: int | None = None

    def result_for(self, exercise_id: str) -> ExerciseResult | None:
        for result in self.results:
            if result.exercise_id == exercise_id:
                return result
        return None


@dataclass(frozen=True, slots=True)
class Rating:
    light: Light
    cause: Cause


def rate_result(
    result: ExerciseResult, session: SessionRecord, next_session: SessionRecord | None
) -> Rating:
    """The traffic light for one exercise (programme-facts.md part B).

    Red: it hurt or made the sciatica worse. Amber: not finished, leg pain rose by 2 or more
    over the session, or the next session started with more leg pain than this one. Green:
    finished with nothing worse.
    """
    if result.worse or (result.stop_reason is not None and result.stop_reason.is_pain):
        return Rating(Light.RED, Cause.HURT)
    if not result.completed:
        return Rating(Light.AMBER, Cause.NOT_FINISHED)
    before, after = session.leg_pain_before, session.leg_pain_after
    if before is not None and after is not None and after - before >= PAIN_RISE_AMBER:
        return Rating(Light.AMBER, Cause.PAIN_ROSE)
    later = next_session.leg_pain_before if next_session else None
    if before is not None and later is not None and later > before:
        return Rating(Light.AMBER, Cause.PAIN_NEXT_DAY)
    return Rating(Light.GREEN, Cause.WENT_WELL)


def rate_sessions(history: Sequence[SessionRecord]) -> list[dict[str, Rating]]:
    """Ratings for every exercise of every session, oldest first."""
    ratings = []
    for index, session in enumerate(history):
        following = history[index + 1] if index + 1 < len(history) else None
        ratings.append({r.exercise_id: rate_result(r, session, following) for r in session.results})
    return ratings
