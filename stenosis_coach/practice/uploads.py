"""What the player's outbox sends, read safely and validated field by field.

`decode_upload` turns the body into JSON within limits (depth, integer size), so hostile
input gets a clear 400, never a 500. Pydantic then checks the shape, so every error names
its field and says what is wrong; the action checks what needs the database (the
prescription version, its exercises and doses).

Device clocks are not trusted blindly: a phone reset after a flat battery may say 1970, or
a clock may run ahead. Such a session is never refused for its clock: it is stored with the
server's own estimate of when it happened (see `SessionUpload.timing`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Self, TypeVar
from uuid import UUID

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from stenosis_coach.programme import Dose, StopReason, load_catalogue

LONGEST_SESSION = dt.timedelta(hours=3)  # of active time: pauses do not count
CLOCK_SKEW = dt.timedelta(minutes=10)  # a device clock this far ahead is still believed
EARLIEST_TRUSTED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # before: a reset clock
MAX_JSON_DEPTH = 20  # an upload is 4 deep; anything near Python's limit is an attack
MAX_INT_DIGITS = 18  # fits a 64-bit column; int() of thousands of digits is slow or fails
LARGEST_INT = 2**31 - 1  # the database's integer columns
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
JSON_BRACKET = re.compile(r"[\[\]{}]")

# What the outbox shows the patient when a session is refused (the field errors are for
# developers). Plain words: the patient cannot fix the upload, only keep or resend it.
NOT_RIGHT = _("Some parts of this session are not right.")
DOES_NOT_MATCH = _("This session does not match your exercises now.")
TOO_LONG = _("This session went on for more than 3 hours, not counting breaks. We cannot save it.")


class UploadError(ValueError):
    """An upload that cannot be stored. `errors` maps each field to its problem; `message`
    is the sentence for the patient, when this problem has its own (else the endpoint's)."""

    def __init__(self, errors: Mapping[str, str], message: Promise | None = None) -> None:
        super().__init__("; ".join(f"{field}: {problem}" for field, problem in errors.items()))
        self.errors = dict(errors)
        self.message = message


class UnreadableUpload(UploadError):
    """The body is not JSON, or not JSON we read (too deep, a number too long)."""


def decode_upload(body: bytes) -> Any:
    """The JSON in `body`, or UnreadableUpload saying why it cannot be read."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableUpload({"body": "is not UTF-8 text"}) from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise UnreadableUpload({"body": f"is nested more than {MAX_JSON_DEPTH} deep"})
    try:
        return json.loads(text, parse_int=bounded_int, parse_constant=no_constant)
    except UnreadableUpload:
        raise
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise UnreadableUpload({"body": f"is not JSON: {error}"}) from None


def json_depth(text: str) -> int:
    """How deep brackets nest in `text`, strings left out (an over-estimate for text that is
    not JSON, which json.loads then refuses anyway)."""
    depth = deepest = 0
    for bracket in JSON_BRACKET.findall(JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise UnreadableUpload({"body": f"has a number longer than {MAX_INT_DIGITS} digits"})
    return int(digits)


def no_constant(name: str) -> None:
    raise UnreadableUpload({"body": f"has {name}, which is not a number"})


def text_only(value: Any) -> Any:
    """Times come as ISO 8601 text; a bare number would be read as seconds since 1970."""
    if not isinstance(value, str):
        raise PydanticCustomError("not_text", "must be a date and time as text (ISO 8601)")
    return value


DeviceTime = Annotated[AwareDatetime, BeforeValidator(text_only)]
PainScore = Annotated[StrictInt, Field(ge=0, le=10)]
# "en", "es-MX": letters and digits only (PostgreSQL refuses text with a NUL in it).
LanguageTag = Annotated[
    str, Field(max_length=10, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")
]


def fits_database(moment: dt.datetime) -> bool:
    """A time the database can store: it must convert to UTC (year 1 in +05:00 cannot)."""
    try:
        moment.astimezone(dt.UTC)
    except OverflowError:
        return False
    return True


def trusted(moment: dt.datetime, now: dt.datetime) -> bool:
    """A device time that can be believed: after 2000 and not ahead of the server."""
    return fits_database(moment) and EARLIEST_TRUSTED <= moment <= now + CLOCK_SKEW


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


UploadModel = TypeVar("UploadModel", bound=Strict)


class PainScores(Strict):
    leg: PainScore
    back: PainScore


DoseNumber = Annotated[StrictInt, Field(ge=0, le=10_000)]


class PlayedDose(Strict):
    """The dose the player actually played (Dose.to_dict()): the prescribed one, or the one
    before a step-up when pain was higher than last time."""

    sets: DoseNumber = 1
    reps: DoseNumber | None = None
    hold_seconds: DoseNumber | None = None
    work_seconds: DoseNumber | None = None
    set_break_seconds: DoseNumber | None = None
    last_set_reps: DoseNumber | None = None

    @model_validator(mode="after")
    def possible(self) -> Self:
        self.to_dose()  # DoseError is a ValueError: pydantic reports it on this field
        return self

    def to_dose(self) -> Dose:
        return Dose(**self.model_dump())


class ResultUpload(Strict):
    exercise_id: Annotated[str, Field(max_length=40)]
    completed: StrictBool
    worse: StrictBool = False
    stop_reason: StopReason | None = None
    sets_done: Annotated[StrictInt, Field(ge=0, le=5)] = 0
    reps_done: Annotated[StrictInt, Field(ge=0, le=150)] = 0
    # Absent: the prescribed dose was played.
    dose: PlayedDose | None = None
    # "Could you keep your low back pressed flat the whole time?" (None: not asked).
    kept_back_flat: StrictBool | None = None

    @model_validator(mode="after")
    def known_and_consistent(self) -> Self:
        if self.exercise_id not in load_catalogue().ids:
            raise ValueError(f"unknown exercise {self.exercise_id!r}")
        if self.completed and self.stop_reason is not None:
            raise ValueError("a completed exercise has no stop reason")
        return self

    @property
    def played_dose(self) -> Dose | None:
        return self.dose.to_dose() if self.dose is not None else None


@dataclass(frozen=True)
class Timing:
    """When a session happened, as stored."""

    started_at: dt.datetime
    finished_at: dt.datetime
    clock_trusted: bool
    # The device's own start when its clock was not trusted (and the time fits the DB).
    device_started_at: dt.datetime | None


class SessionUpload(Strict):
    uuid: UUID
    prescription_version: Annotated[StrictInt, Field(ge=1, le=LARGEST_INT)]
    started_at: DeviceTime
    finished_at: DeviceTime
    # Seconds the session was paused (the phone locked, a rest): not part of its length.
    paused_seconds: Annotated[StrictInt, Field(ge=0, le=LARGEST_INT)] = 0
    locale: LanguageTag = "en"
    gentle: StrictBool = False
    pain_before: PainScores
    pain_after: PainScores | None = None
    results: Annotated[list[ResultUpload], Field(min_length=1, max_length=20)]
    # "Any new numbness, tingling or weakness in your legs?" at the end; None: not asked.
    new_leg_symptoms: StrictBool | None = None

    @model_validator(mode="after")
    def sane(self) -> Self:
        ids = [result.exercise_id for result in self.results]
        if len(set(ids)) != len(ids):
            raise ValueError("an exercise appears twice in results")
        if self.clock_trusted(dt.datetime.now(dt.UTC)) and self.active_length() > LONGEST_SESSION:
            raise PydanticCustomError(
                "session_too_long", "a session cannot last more than 3 hours of active time"
            )
        return self

    def active_length(self) -> dt.timedelta:
        """Finished minus started minus paused, as the device counted it."""
        paused = dt.timedelta(seconds=self.paused_seconds)
        return self.finished_at - self.started_at - paused

    def clock_trusted(self, now: dt.datetime) -> bool:
        """Both times believable, and in an order that adds up (a clock set back during the
        session gives a finish before the start, or more pause than session)."""
        return (
            trusted(self.started_at, now)
            and trusted(self.finished_at, now)
            and self.active_length() >= dt.timedelta(0)
        )

    def timing(self, received_at: dt.datetime) -> Timing:
        """The device's times when its clock can be trusted; otherwise the server's estimate:
        finished when received, started the active length before (none when the device's
        length is nonsense too). Sessions are ordered by started_at, so by this estimate."""
        if self.clock_trusted(received_at):
            return Timing(self.started_at, self.finished_at, True, None)
        active = self.active_length()
        if not dt.timedelta(0) <= active <= LONGEST_SESSION:
            active = dt.timedelta(0)
        device_start = self.started_at if fits_database(self.started_at) else None
        return Timing(received_at - active, received_at, False, device_start)


class PainUpload(Strict):
    """Pain answers sent on their own, when no session followed them (pain too high to
    exercise today): kept for the therapist and for the patient's usual level."""

    uuid: UUID
    taken_at: DeviceTime
    leg: PainScore
    back: PainScore

    def recorded_at(self, received_at: dt.datetime) -> dt.datetime:
        """When the answers were given: the device's time, or when they arrived when the
        device's clock cannot be trusted."""
        return self.taken_at if trusted(self.taken_at, received_at) else received_at


# Problems with a sentence of their own for the patient.
MESSAGES = {"session_too_long": TOO_LONG}


def parse_session_upload(data: Any) -> SessionUpload:
    """Validate a decoded JSON upload, or raise UploadError naming each bad field."""
    return parse(SessionUpload, data)


def parse_pain_upload(data: Any) -> PainUpload:
    return parse(PainUpload, data)


def parse(model: type[UploadModel], data: Any) -> UploadModel:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = error.errors()
        message = next((MESSAGES[p["type"]] for p in problems if p["type"] in MESSAGES), None)
        raise UploadError(
            {".".join(str(part) for part in p["loc"]) or "session": p["msg"] for p in problems},
            message,
        ) from None
