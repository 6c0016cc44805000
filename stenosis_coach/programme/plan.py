"""build_plan: a prescription turned into the timeline the player follows, step by step.

The browser only plays this timeline: every duration, counter, spoken cue and on-screen text
is decided here, so the logic is tested in Python and localised on the server.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from .catalogue import (
    DEFAULT_LOCALE,
    Catalogue,
    Exercise,
    Kind,
    Position,
    dose_label,
    load_catalogue,
    pick_locale,
)
from .dose import Dose
from .prescription import PrescribedExercise, Prescription, PrescriptionError

MS = 1000
# Holds shorter than this get a one-word spoken cue (the curl-up holds 2-4 s).
SHORT_HOLD_SECONDS = 5


class StepKind(StrEnum):
    # Get into the starting position: timed within one position, but a change of position
    # (onto the floor, lying to kneeling) waits for the patient (`Step.waits`).
    POSITION = "position"
    MOVE = "move"  # move slowly into the stretch or the effort
    HOLD = "hold"
    RELEASE = "release"  # move slowly back
    REST = "rest"  # a short rest between reps
    SET_BREAK = "set-break"
    MARCH = "march"  # one foot up and down; `side` says which
    CHECK_IN = "check-in"  # waits for an answer: the player's clock stops until then


class CheckKind(StrEnum):
    """What a check-in asks (`Step.check`)."""

    WORSE = "worse"  # after every exercise: did it make the leg pain worse?
    # After a pelvic tilt at its target while the march waits for it: could you keep your
    # low back pressed flat the whole time? (Pain-free is not the same as control.)
    BACK_FLAT = "back-flat"


class Phase(StrEnum):
    """Which part of the illustration goes with a step."""

    START = "start"
    MOVING_IN = "moving-in"
    END = "end"
    MOVING_OUT = "moving-out"
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Step:
    index: int
    kind: StepKind
    exercise_id: str
    offset_ms: int
    duration_ms: int
    set: int
    sets: int
    rep: int | None
    reps: int | None
    side: str | None
    phase: Phase | None
    cue: str
    text: str
    position: Position = Position.BACK
    # Waits for "I'm ready" with the clock stopped, like a check-in (duration 0): the body
    # changes position here, which takes as long as it takes.
    waits: bool = False
    # A check-in's question (None for any other step).
    check: CheckKind | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["phase"] = self.phase.value if self.phase else None
        data["position"] = self.position.value
        data["check"] = self.check.value if self.check else None
        return data


class ScreenId(StrEnum):
    BRIEFING = "briefing"  # the first session only
    GET_DOWN = "get-down"  # from standing onto the mat
    GET_UP = "get-up"  # from the mat back to standing
    # Leg pain is higher than at the start of last time: a step-up waits (the earlier dose).
    HELD_BACK = "held-back"


@dataclass(frozen=True, slots=True)
class Screen:
    """A page of advice before or after the exercises; it waits for "I'm ready"."""

    id: ScreenId
    title: str
    points: tuple[str, ...]
    cue: str
    picture: str | None  # an illustration id, or none

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id.value,
            "title": self.title,
            "points": list(self.points),
            "cue": self.cue,
            "picture": self.picture,
        }


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    exercise_id: str
    name: str
    dose: Dose
    dose_text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "name": self.name,
            "dose": self.dose.to_dict(),
            "dose_text": self.dose_text,
        }


@dataclass(frozen=True, slots=True)
class SessionPlan:
    locale: str
    gentle: bool
    exercises: tuple[PlannedExercise, ...]
    steps: tuple[Step, ...]
    intro: tuple[Screen, ...] = ()
    outro: tuple[Screen, ...] = ()
    # How to get up from each position the session visits, for a patient who stops early
    # (`outro` is the one from where the last exercise ends).
    outro_from: Mapping[Position, tuple[Screen, ...]] = field(default_factory=dict)
    # The exercises played at the dose before their step-up (build_plan's held_back).
    held_back: tuple[str, ...] = ()

    @property
    def total_ms(self) -> int:
        """Planned length; check-ins add whatever time the patient takes to answer."""
        return sum(step.duration_ms for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "gentle": self.gentle,
            "total_ms": self.total_ms,
            "exercises": [exercise.to_dict() for exercise in self.exercises],
            "steps": [step.to_dict() for step in self.steps],
            "intro": [screen.to_dict() for screen in self.intro],
            "outro": [screen.to_dict() for screen in self.outro],
            "outro_from": {
                position.value: [screen.to_dict() for screen in screens]
                for position, screens in self.outro_from.items()
            },
            "held_back": list(self.held_back),
        }

    @property
    def position_changes(self) -> int:
        """How often the body moves between lying on the back and hands and knees."""
        positions = [step.position for step in self.steps]
        return sum(1 for before, after in itertools.pairwise(positions) if before != after)


@dataclass(frozen=True, slots=True)
class Draft:
    """A step before its place in the timeline (index and offset) is known."""

    kind: StepKind
    seconds: int
    set: int
    rep: int | None = None
    side: str | None = None
    phase: Phase | None = None
    cue: str = ""
    text: str = ""
    waits: bool = False
    check: CheckKind | None = None


def build_plan(
    prescription: Prescription,
    locale: str = DEFAULT_LOCALE,
    *,
    gentle: bool = False,
    first_session: bool = False,
    held_back: bool = False,
    catalogue: Catalogue | None = None,
) -> SessionPlan:
    """Today's session: every active exercise in catalogue order (all those lying on the back,
    then those on hands and knees), each closed by a check-in; before them how to get down
    onto the mat (and a briefing on the first session), after them how to get up.

    gentle: stretches only (advised when leg pain is far above the patient's usual level).
    held_back: each exercise whose step-up has not been played yet (`step_up_from`) at its
        dose before the step-up, with a screen before the exercises that says why. The
        player plays this plan when leg pain now is higher than at the start of last time.

    A pelvic tilt done at its target while an exercise that needs it (with `kept_back_flat`)
    is still locked gets a second check-in: could you keep your low back pressed flat?
    """
    catalogue = catalogue or load_catalogue()
    prescription.check(catalogue)
    steps: list[Step] = []
    planned: list[PlannedExercise] = []
    easier: list[PlannedExercise] = []
    offset = 0
    order = catalogue.ids
    position: Position | None = None  # standing, before the first exercise
    for item in sorted(prescription.active(), key=lambda item: order.index(item.exercise_id)):
        exercise = catalogue.get(item.exercise_id)
        if gentle and exercise.kind is not Kind.STRETCH:
            continue
        text = exercise.text(locale)
        dose = played_dose(item, exercise, held_back=held_back)
        planned.append(
            PlannedExercise(exercise.id, text.name, dose, dose_label(dose, catalogue, locale))
        )
        if dose != item.dose:
            easier.append(planned[-1])
        writer = StepWriter(
            exercise,
            dose,
            catalogue,
            locale,
            coming_from=position,
            asks_back_flat=asks_back_flat(exercise, dose, prescription, catalogue),
        )
        position = exercise.position
        for draft in writer.drafts():
            duration = 0 if draft.waits else draft.seconds * MS
            steps.append(
                Step(
                    index=len(steps),
                    kind=draft.kind,
                    exercise_id=exercise.id,
                    offset_ms=offset,
                    duration_ms=duration,
                    set=draft.set,
                    sets=dose.sets,
                    rep=draft.rep,
                    reps=dose.reps_in_set(draft.set) or None,
                    side=draft.side,
                    phase=draft.phase,
                    cue=draft.cue,
                    text=draft.text,
                    position=exercise.position,
                    waits=draft.waits,
                    check=draft.check,
                )
            )
            offset += duration
    # The language the words are really in (es-MX may fall back to es or English), so the
    # player picks a voice that matches them.
    spoken = pick_locale(locale, catalogue.messages)
    screens = ScreenWriter(catalogue, locale)
    first = steps[0].position if steps else None
    intro = (
        ((screens.briefing(),) if first_session and steps else ())
        + ((screens.held_back(easier),) if easier else ())
        + ((screens.get_down(first),) if first else ())
    )
    outro = (screens.get_up(steps[-1].position),) if steps else ()
    visited = dict.fromkeys(step.position for step in steps)
    outro_from = {position: (screens.get_up(position),) for position in visited}
    return SessionPlan(
        spoken,
        gentle,
        tuple(planned),
        tuple(steps),
        intro,
        outro,
        outro_from,
        held_back=tuple(exercise.exercise_id for exercise in easier),
    )


def played_dose(item: PrescribedExercise, exercise: Exercise, *, held_back: bool) -> Dose:
    """The prescribed dose, or in a held-back plan the dose before an unplayed step-up."""
    if not held_back or item.step_up_from is None:
        return item.dose
    if item.step_up_from.is_timed != exercise.is_timed:
        raise PrescriptionError(
            f"{item.exercise_id}: the dose before the step-up is of the wrong form"
        )
    return item.step_up_from


def asks_back_flat(
    exercise: Exercise, dose: Dose, prescription: Prescription, catalogue: Catalogue
) -> bool:
    """Whether to ask "Could you keep your low back pressed flat?" after this exercise: it is
    done at its target today, and a locked exercise waits for it with that check (the march
    for the pelvic tilt). Not at the target yet, or nothing waiting: not asked."""
    if not exercise.reached_target(dose):
        return False
    return any(
        prerequisite.exercise_id == exercise.id and prerequisite.kept_back_flat
        for item in prescription.exercises
        if item.locked
        for prerequisite in catalogue.get(item.exercise_id).requires
    )


class ScreenWriter:
    """The briefing, getting down and getting up, in the patient's language."""

    def __init__(self, catalogue: Catalogue, locale: str) -> None:
        self.catalogue = catalogue
        self.locale = locale

    def say(self, key: str, **values: object) -> str:
        return self.catalogue.message(key, self.locale, **values)

    def screen(self, screen_id: ScreenId, prefix: str, points: list[str]) -> Screen:
        picture = None if screen_id is ScreenId.BRIEFING else screen_id.value
        return Screen(
            screen_id,
            self.say(f"{prefix}_title"),
            tuple(self.say(key) for key in points),
            self.say(f"{prefix}_cue"),
            picture,
        )

    def briefing(self) -> Screen:
        points = [f"briefing_{number}" for number in range(1, 7)]
        return self.screen(ScreenId.BRIEFING, "briefing", points)

    def get_down(self, first: Position) -> Screen:
        points = ["get_down_1", "get_down_2", "get_down_3"]
        if first is Position.BACK:
            points.append("get_down_to_back")
        return self.screen(ScreenId.GET_DOWN, "get_down", points)

    def held_back(self, easier: list[PlannedExercise]) -> Screen:
        """Why today is easier than the new dose: one sentence, then each exercise with the
        dose it is done at today."""
        if len(easier) == 1:
            why = self.say("held_back_why_one", name=easier[0].name)
        else:
            why = self.say("held_back_why_many")
        points = [why] + [
            self.say("held_back_dose", name=exercise.name, dose=exercise.dose_text)
            for exercise in easier
        ]
        cue = self.say("held_back_cue", text=why)
        return Screen(ScreenId.HELD_BACK, self.say("held_back_title"), tuple(points), cue, None)

    def get_up(self, last: Position) -> Screen:
        points = ["get_up_2", "get_up_3"]
        if last is Position.BACK:  # onto the side, then up onto hands and knees first
            points[:0] = ["get_up_from_back", "get_up_1"]
        return self.screen(ScreenId.GET_UP, "get_up", points)


class StepWriter:
    """Writes the steps of one exercise at one dose, with their words."""

    def __init__(
        self,
        exercise: Exercise,
        dose: Dose,
        catalogue: Catalogue,
        locale: str,
        *,
        coming_from: Position | None = None,
        asks_back_flat: bool = False,
    ) -> None:
        self.exercise = exercise
        self.asks_back_flat = asks_back_flat
        self.coming_from = coming_from  # the body's position before; None: standing
        self.dose = dose
        self.catalogue = catalogue
        self.locale = locale
        self.text = exercise.text(locale)
        self.timing = exercise.timing

    def say(self, key: str, **values: object) -> str:
        return self.catalogue.message(key, self.locale, **values)

    def exercise_step(self, kind: StepKind, seconds: int, set_: int, **extra: Any) -> Draft:
        """A step whose words come from the exercise's own cue for `kind`."""
        cue_key = extra.pop("cue_key", kind.value)
        words = self.text.cues[cue_key]
        values = {"text": words, "name": self.text.name, "seconds": seconds}
        cue_key = f"cue_{kind.value}"
        if kind is StepKind.HOLD and seconds < SHORT_HOLD_SECONDS:
            cue_key = "cue_hold_short"  # a full sentence would outlast the hold itself
        cue = self.say(cue_key, **values)
        text_key = f"text_{kind.value}"
        text = self.say(text_key, **values) if self.has_message(text_key) else words
        return Draft(kind, seconds, set_, cue=cue, text=text, **extra)

    def has_message(self, key: str) -> bool:
        return self.catalogue.has_message(key, self.locale)

    def drafts(self) -> Iterator[Draft]:
        dose = self.dose
        yield self.position_step()
        for set_number in range(1, dose.sets + 1):
            if self.exercise.is_timed:
                yield from self.timed_set(set_number)
            else:
                yield from self.held_set(set_number)
            if set_number < dose.sets:
                seconds = dose.set_break_seconds or 0
                cue = self.say("cue_set_break", seconds=seconds)
                text = self.say("text_set_break")
                yield Draft(
                    StepKind.SET_BREAK, seconds, set_number, cue=cue, text=text, phase=Phase.START
                )
        question = self.say("text_check_in")
        yield Draft(
            StepKind.CHECK_IN,
            0,
            dose.sets,
            cue=self.say("cue_check_in"),
            text=question,
            check=CheckKind.WORSE,
        )
        if self.asks_back_flat:
            yield Draft(
                StepKind.CHECK_IN,
                0,
                dose.sets,
                cue=self.say("cue_back_flat"),
                text=self.say("text_back_flat"),
                check=CheckKind.BACK_FLAT,
            )

    def position_step(self) -> Draft:
        """Timed when the body stays as it is (one exercise on the back after another); a
        change of position waits for the patient, with how to make it."""
        changes = self.coming_from is not self.exercise.position
        if not changes:
            seconds = self.timing.position_seconds
            draft = self.exercise_step(StepKind.POSITION, seconds, 1, phase=Phase.START)
            cue, text = self.with_note(draft.cue, draft.text)
            return replace(draft, cue=cue, text=text)
        words = self.text.cues["position"]
        if self.coming_from is not None:  # on the floor already: how to turn over instead
            how = "to_back" if self.exercise.position is Position.BACK else "to_hands_and_knees"
            words = self.say(how)
        values = {"name": self.text.name, "text": words}
        cue, text = self.with_note(
            self.say("cue_position_wait", **values), self.say("text_position_wait", **values)
        )
        return Draft(StepKind.POSITION, 0, 1, phase=Phase.START, cue=cue, text=text, waits=True)

    def with_note(self, cue: str, text: str) -> tuple[str, str]:
        """The exercise's position note (a caution), said and shown with its position."""
        note = self.text.position_note
        if not note:
            return cue, text
        return (
            self.say("position_note", text=cue, note=note),
            self.say("position_note", text=text, note=note),
        )

    def held_set(self, set_number: int) -> Iterator[Draft]:
        timing, dose = self.timing, self.dose
        reps = dose.reps_in_set(set_number)
        hold = dose.hold_seconds or 0
        for rep in range(1, reps + 1):
            yield self.exercise_step(
                StepKind.MOVE, timing.move_seconds, set_number, rep=rep, phase=Phase.MOVING_IN
            )
            yield self.exercise_step(StepKind.HOLD, hold, set_number, rep=rep, phase=Phase.END)
            yield self.exercise_step(
                StepKind.RELEASE,
                timing.release_seconds,
                set_number,
                rep=rep,
                phase=Phase.MOVING_OUT,
            )
            if rep < reps:
                seconds = timing.rest_seconds
                cue = self.say("cue_rest", seconds=seconds)
                yield Draft(
                    StepKind.REST,
                    seconds,
                    set_number,
                    rep=rep,
                    cue=cue,
                    text=self.say("text_rest"),
                    phase=Phase.START,
                )

    def timed_set(self, set_number: int) -> Iterator[Draft]:
        """The march: tighten, then alternate feet for the set's work time, then relax."""
        timing = self.timing
        yield self.exercise_step(StepKind.MOVE, timing.move_seconds, set_number, phase=Phase.START)
        remaining = self.dose.work_seconds or 0
        side = "left"
        while remaining > 0:
            seconds = min(timing.march_step_seconds, remaining)
            phase = Phase.LEFT if side == "left" else Phase.RIGHT
            yield self.exercise_step(
                StepKind.MARCH, seconds, set_number, side=side, phase=phase, cue_key=side
            )
            remaining -= seconds
            side = "right" if side == "left" else "left"
        yield self.exercise_step(
            StepKind.RELEASE, timing.release_seconds, set_number, phase=Phase.START
        )
