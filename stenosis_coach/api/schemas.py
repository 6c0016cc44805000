"""What each JSON endpoint answers, as pydantic models, for the OpenAPI schema.

The views build their answers as dicts; tests/test_api_schema.py sends requests made from
the schema to the app and checks every answer against these models, so a model that no
longer matches its view fails there.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    """Fields are all listed (extra="forbid"): an answer with a field the schema does not
    know fails the schema test, so a new field is documented as it is added."""

    model_config = ConfigDict(extra="forbid")


# --- Errors -------------------------------------------------------------------------------


class ErrorOut(Answer):
    """A refusal, with a sentence for the patient."""

    error: str


class RefusalOut(Answer):
    """403 from the plan: where the player should send the patient instead."""

    error: str
    redirect: str


class OwnerRefusalOut(Answer):
    """403 for a queued upload saved by another account on this device."""

    error: str


class FieldErrorsOut(Answer):
    """400 for an upload: the sentence for the patient, and each field's problem."""

    error: str
    errors: dict[str, str]


# --- The plan -----------------------------------------------------------------------------


class DoseOut(Answer):
    sets: int
    reps: int | None
    hold_seconds: int | None
    work_seconds: int | None
    set_break_seconds: int | None
    last_set_reps: int | None


class PlannedExerciseOut(Answer):
    exercise_id: str
    name: str
    dose: DoseOut
    dose_text: str


class ScreenOut(Answer):
    id: str
    title: str
    points: list[str]
    cue: str
    picture: str | None


class SessionPlanOut(Answer):
    locale: str
    gentle: bool
    total_ms: int
    exercises: list[PlannedExerciseOut]
    # Each timed step of the session (programme.plan.Step): what to show and say.
    steps: list[dict[str, Any]]
    intro: list[ScreenOut]
    outro: list[ScreenOut]
    outro_from: dict[str, list[ScreenOut]]
    held_back: list[str]


class HeldBackOut(Answer):
    exercise_id: str
    name: str
    dose: DoseOut
    dose_text: str
    new_dose: DoseOut
    new_dose_text: str


class OfflineStampOut(Answer):
    stamp: str = Field(min_length=1, max_length=64)


class PlanOut(Answer):
    prescription_version: int = Field(ge=1)
    locale: str
    first_session: bool
    usual_leg_pain: int | None
    last_leg_pain_before: int | None
    gentle_rise: int
    gentle_advice: str
    rest_from: int
    rest_advice: str
    pain_url: str
    urgent_url: str
    emergency_phone: str
    voice_on: bool
    beeps_on: bool
    illustrations: dict[str, str]
    held_back: list[HeldBackOut]
    # "normal" and "gentle"; "held_back" and "held_back_gentle" too when `held_back` is not
    # empty.
    plans: dict[Literal["normal", "gentle", "held_back", "held_back_gentle"], SessionPlanOut]


# --- Uploads ------------------------------------------------------------------------------


class NextTimeOut(Answer):
    exercise_id: str
    name: str
    action: str
    reason: str
    dose_text: str
    active: bool


class SessionStoredOut(Answer):
    uuid: str
    created: bool
    next: list[NextTimeOut]


class PainStoredOut(Answer):
    uuid: str
    created: bool


# --- Push reminders -----------------------------------------------------------------------


class PushKeyOut(Answer):
    public_key: str


class PushOnOut(Answer):
    push_on: bool


class PushSentOut(Answer):
    sent: int = Field(ge=1)


class SubscriptionKeys(BaseModel):
    p256dh: str
    auth: str


class SubscriptionIn(BaseModel):
    """A browser's PushSubscription.toJSON(). Checked by reminders.push (an https push
    service, keys of the right length); a refusal is a 400 with a sentence."""

    endpoint: str = Field(max_length=2048)
    expirationTime: float | None = None  # the browser's own name
    keys: SubscriptionKeys


class UnsubscribeIn(BaseModel):
    endpoint: str = Field(max_length=2048)


class TimeZoneIn(BaseModel):
    time_zone: str = Field(examples=["Europe/Madrid"])


# --- FHIR ---------------------------------------------------------------------------------


class BundleOut(BaseModel):
    """A FHIR R4 Bundle (type collection): the patient's whole record. Validated in
    tests/test_fhir_bundle.py with the fhir.resources models; only its frame here."""

    model_config = ConfigDict(extra="allow")

    resourceType: Literal["Bundle"]  # FHIR's names
    type: Literal["collection"]
    entry: list[dict[str, Any]] = []


class IssueOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    severity: str
    code: str
    diagnostics: str


class OperationOutcomeOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    resourceType: Literal["OperationOutcome"]
    issue: list[IssueOut]


class ManifestFileOut(Answer):
    type: str
    url: str
    count: int


class ManifestOut(Answer):
    """The Bulk Data manifest of a finished export."""

    transactionTime: str
    request: str
    requiresAccessToken: bool
    output: list[ManifestFileOut]
    error: list[dict[str, Any]]
