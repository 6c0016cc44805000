"""The shape of a session upload from the player, validated field by field.

Pydantic does the checking so every error names its field and says what is wrong; the
action then checks what needs the database (the prescription version, its exercises).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Self, TypeVar
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    model_validator,
)

from stenosis_coach.programme import StopReason, load_catalogue

PainScore = Annotated[StrictInt, Field(ge=0, le=10)]
LONGEST_SESSION = dt.timedelta(hours=3)
CLOCK_SKEW = dt.timedelta(minutes=10)


class UploadError(ValueError):
    """A session upload that cannot be stored. `errors` maps each field to its problem."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = dict(errors)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


UploadModel = TypeVar("UploadModel", bound=Strict)


class PainScores(Strict):
    leg: PainScore
    back: PainScore


class ResultUpload(Strict):
    exercise_id: str
    completed: StrictBool
    worse: StrictBool = False
    stop_reason: StopReason | None = None
    sets_done: Annotated[StrictInt, Field(ge=0, le=5)] = 0
    reps_done: Annotated[StrictInt, Field(ge=0, le=150)] = 0

    @model_validator(mode="after")
    def known_and_consistent(self) -> Self:
        if self.exercise_id not in load_catalogue().ids:
            raise ValueError(f"unknown exercise {self.exercise_id!r}")
        if self.completed and self.stop_reason is not None:
            raise ValueError("a completed exercise has no stop reason")
        return self


class SessionUpload(Strict):
    uuid: UUID
    prescription_version: Annotated[StrictInt, Field(ge=1)]
    started_at: AwareDatetime
    finished_at: AwareDatetime
    locale: Annotated[str, Field(min_length=2, max_length=10)] = "en"
    gentle: StrictBool = False
    pain_before: PainScores
    pain_after: PainScores | None = None
    results: Annotated[list[ResultUpload], Field(min_length=1, max_length=20)]
    # "Any new numbness, tingling or weakness in your legs?" at the end; None: not asked.
    new_leg_symptoms: StrictBool | None = None

    @model_validator(mode="after")
    def sane(self) -> Self:
        if self.finished_at < self.started_at:
            raise ValueError("finished_at is before started_at")
        if self.finished_at - self.started_at > LONGEST_SESSION:
            raise ValueError("a session cannot last more than 3 hours")
        if self.finished_at > dt.datetime.now(dt.UTC) + CLOCK_SKEW:
            raise ValueError("finished_at is in the future")
        ids = [result.exercise_id for result in self.results]
        if len(set(ids)) != len(ids):
            raise ValueError("an exercise appears twice in results")
        return self


class PainUpload(Strict):
    """Pain answers sent on their own, when no session followed them (pain too high to
    exercise today): kept for the therapist and for the patient's usual level."""

    uuid: UUID
    taken_at: AwareDatetime
    leg: PainScore
    back: PainScore

    @model_validator(mode="after")
    def not_in_the_future(self) -> Self:
        if self.taken_at > dt.datetime.now(dt.UTC) + CLOCK_SKEW:
            raise ValueError("taken_at is in the future")
        return self


def parse_session_upload(data: Any) -> SessionUpload:
    """Validate a decoded JSON upload, or raise UploadError naming each bad field."""
    return parse(SessionUpload, data)


def parse_pain_upload(data: Any) -> PainUpload:
    return parse(PainUpload, data)


def parse(model: type[UploadModel], data: Any) -> UploadModel:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise UploadError(
            {
                ".".join(str(part) for part in e["loc"]) or "session": e["msg"]
                for e in error.errors()
            }
        ) from None
