"""Safe automatic progression: the next prescription, with a plain reason for each exercise.

The rules (programme-facts.md part B, the session traffic light):
- red: one step down (Exercise.step_down: no part of the dose grows, not even from a dose
  off the ladder); two reds in a row: pause the exercise and advise contacting the
  therapist;
- amber: same dose;
- green at the current dose in two sessions in a row, on two different days: one step up
  (Exercise.step_up: one part by one step). At most one exercise steps up in a session: the
  one that has waited longest at its dose; the others wait their turn;
- a step up that has not been played yet keeps the dose before it (`step_up_from`): the
  player plays that one when leg pain at the start is higher than at the start of the
  session before, and the new dose waits;
- never past the target, never below the start;
- an exercise with a prerequisite stays locked until the prerequisite is met (for the march:
  the pelvic tilt at its target, green twice in a row, with the low back kept flat).

`progress` only reacts to the latest session, and only when it was done under the version
now prescribed (or, where versions are not known, at the dose now prescribed). So a
therapist's change, such as lifting a pause, is not undone by running again over a session
done before it, a late upload of an older session changes nothing, and calling it again with
the same history changes nothing more (it is idempotent).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

from .catalogue import (
    DEFAULT_LOCALE,
    Catalogue,
    Exercise,
    Prerequisite,
    dose_label,
    load_catalogue,
)
from .dose import Dose
from .prescription import PrescribedExercise, Prescription
from .records import Cause, ExerciseResult, Light, Rating, SessionRecord, rate_sessions

GREENS_TO_STEP_UP = 2  # green sessions in a row at one dose ...
DAYS_TO_STEP_UP = 2  # ... on this many different days
REDS_TO_PAUSE = 2
STEP_UPS_PER_SESSION = 1
NO_VALUES: Mapping[str, str | int] = MappingProxyType({})


class Action(StrEnum):
    UP = "up"
    DOWN = "down"
    HOLD = "hold"
    PAUSE = "pause"
    UNLOCK = "unlock"


@dataclass(frozen=True, slots=True)
class ProgressionDecision:
    exercise_id: str
    action: Action
    old_dose: Dose
    new_dose: Dose
    reason: str
    reason_code: str
    # What the reason names besides the doses, in no language (a prerequisite's exercise id
    # and its count of sessions), so it can be said again in another language: `explain`.
    reason_values: tuple[tuple[str, str | int], ...] = ()

    @property
    def changed(self) -> bool:
        return self.action is not Action.HOLD


@dataclass(frozen=True, slots=True)
class Progression:
    prescription: Prescription
    decisions: tuple[ProgressionDecision, ...]
    # The prescription progress() was given.
    previous: Prescription | None = None

    @property
    def changed(self) -> bool:
        """Anything to keep as a new version: a decision that changes a dose or a flag, or a
        step up that has now been played once (its `step_up_from` cleared, on a HOLD)."""
        moved = self.previous is not None and self.previous != self.prescription
        return moved or any(decision.changed for decision in self.decisions)

    def decision_for(self, exercise_id: str) -> ProgressionDecision:
        for decision in self.decisions:
            if decision.exercise_id == exercise_id:
                return decision
        raise KeyError(exercise_id)


@dataclass(frozen=True, slots=True)
class RatedResult:
    result: ExerciseResult
    rating: Rating
    session_index: int  # which session of the history it came from
    day: Hashable  # its day; a session without one is a day of its own


@dataclass(frozen=True, slots=True)
class Choice:
    """One exercise's decision and next prescription, before the one-step-up-a-session rule."""

    decision: ProgressionDecision
    item: PrescribedExercise
    # For a step up: the session its run at the current dose began (who waited longest).
    waited_since: int = 0
    # Its latest result was at the dose before its step up: the step up was not played.
    played_earlier_dose: bool = False


def progress(
    prescription: Prescription,
    history: Sequence[SessionRecord],
    locale: str = DEFAULT_LOCALE,
    catalogue: Catalogue | None = None,
    *,
    step_ups: bool = True,
) -> Progression:
    """The next prescription after `history` (oldest session first), and why.

    step_ups=False: the therapist has turned automatic progression off for this patient. No
    dose grows and nothing unlocks on its own; a red still steps down and two reds still
    pause, because those keep the patient safe."""
    catalogue = catalogue or load_catalogue()
    prescription.check(catalogue)
    timeline = rated_timeline(history)
    say = Reasons(catalogue, locale)
    latest = Latest.of(prescription, history)
    choices = [
        decide(item, catalogue.get(item.exercise_id), timeline, latest, say)
        for item in prescription.exercises
    ]
    choices = one_step_up_at_most(choices, catalogue, say)
    if not step_ups:
        choices = [therapist_steps_up(choice, say) for choice in choices]
    new_prescription = prescription
    for choice in choices:
        new_prescription = new_prescription.with_item(choice.item)
    decisions = tuple(choice.decision for choice in choices)
    return Progression(new_prescription, decisions, previous=prescription)


@dataclass(frozen=True, slots=True)
class Latest:
    """What the engine needs to know about the latest session of the history."""

    index: int  # its place in the history (-1: no session yet)
    # False when it followed another version than the one now prescribed: one done before
    # a therapist's change, or sent late. The engine has answered it already, or must not
    # answer it over the therapist's head.
    answers_now: bool
    # Leg pain at its start was higher than at the start of the session before (the player
    # then plays the dose before an unplayed step up).
    pain_higher_at_start: bool

    @classmethod
    def of(cls, prescription: Prescription, history: Sequence[SessionRecord]) -> Latest:
        if not history:
            return cls(-1, answers_now=True, pain_higher_at_start=False)
        done_under = history[-1].prescription_version
        other_version = None not in (prescription.version, done_under) and (
            done_under != prescription.version
        )
        now = history[-1].leg_pain_before
        before = history[-2].leg_pain_before if len(history) > 1 else None
        higher = now is not None and before is not None and now > before
        return cls(len(history) - 1, answers_now=not other_version, pain_higher_at_start=higher)


def rated_timeline(history: Sequence[SessionRecord]) -> dict[str, list[RatedResult]]:
    """Each exercise's results with their ratings, oldest first."""
    timeline: dict[str, list[RatedResult]] = {}
    for index, (session, ratings) in enumerate(zip(history, rate_sessions(history), strict=True)):
        day: Hashable = session.day if session.day is not None else ("session", index)
        for result in session.results:
            rated = RatedResult(result, ratings[result.exercise_id], index, day)
            timeline.setdefault(result.exercise_id, []).append(rated)
    return timeline


def one_step_up_at_most(
    choices: Sequence[Choice], catalogue: Catalogue, say: Reasons
) -> list[Choice]:
    """Keep one step up: the exercise that has waited longest at its dose (the earliest start
    of its run there; a tie goes by catalogue order), so a flare the next day can be traced
    to one change. The others wait their turn. None, when this session already had its step
    up: an exercise played the dose before its step up (the step up came from this very
    session, or pain was higher at the start)."""
    ready = [choice for choice in choices if choice.decision.action is Action.UP]
    if any(choice.played_earlier_dose for choice in choices):
        winners: list[Choice] = []
    else:
        order = catalogue.ids

        def waited(choice: Choice) -> tuple[int, int]:
            return choice.waited_since, order.index(choice.decision.exercise_id)

        winners = sorted(ready, key=waited)[:STEP_UPS_PER_SESSION]
    return [
        choice if choice not in ready or choice in winners else wait_turn(choice, say)
        for choice in choices
    ]


def therapist_steps_up(choice: Choice, say: Reasons) -> Choice:
    """With automatic progression off, a step up or an unlock stays where it was: the
    therapist makes those changes."""
    decision = choice.decision
    if decision.action not in (Action.UP, Action.UNLOCK):
        return choice
    code = "reason_therapist_steps_up"
    kept = replace(choice.item, dose=decision.old_dose, step_up_from=None)
    if decision.action is Action.UNLOCK:
        kept = replace(kept, locked=True)
    reason = say.reason(code, decision.old_dose, decision.old_dose, {})
    held = replace(
        decision, action=Action.HOLD, new_dose=decision.old_dose, reason=reason, reason_code=code
    )
    return Choice(held, kept)


def wait_turn(choice: Choice, say: Reasons) -> Choice:
    decision = choice.decision
    code = "reason_wait_turn"
    kept = replace(choice.item, dose=decision.old_dose, step_up_from=None)
    reason = say.reason(code, decision.old_dose, decision.old_dose, {})
    held = replace(
        decision, action=Action.HOLD, new_dose=decision.old_dose, reason=reason, reason_code=code
    )
    return Choice(held, kept)


def decide(
    item: PrescribedExercise,
    exercise: Exercise,
    timeline: dict[str, list[RatedResult]],
    latest: Latest,
    say: Reasons,
) -> Choice:
    """The decision for one exercise, and that exercise's next prescription.

    A dose changes only in answer to this exercise's result in the latest session, done at
    the dose now prescribed (or at the dose before its step up): so a therapist's change
    (say, lifting a pause) is not undone by a later session in which the exercise was not
    done, and running again changes nothing. Nothing changes when the latest session was done
    under another version.
    """

    def outcome(
        action: Action,
        code: str,
        new_item: PrescribedExercise = item,
        values: Mapping[str, str | int] = NO_VALUES,
        *,
        waited_since: int = 0,
        played_earlier_dose: bool = False,
    ) -> Choice:
        reason = say.reason(code, item.dose, new_item.dose, values)
        decision = ProgressionDecision(
            item.exercise_id, action, item.dose, new_item.dose, reason, code, tuple(values.items())
        )
        return Choice(decision, new_item, waited_since, played_earlier_dose)

    if not item.enabled:
        return outcome(Action.HOLD, "reason_off")
    if item.paused:
        return outcome(Action.HOLD, "reason_paused")
    if item.locked:
        if not exercise.requires:
            return outcome(Action.HOLD, "reason_locked_by_therapist")
        first = exercise.requires[0]
        unmet = [p for p in exercise.requires if not prerequisite_met(p, timeline, say.catalogue)]
        if unmet or not latest.answers_now:
            shown = unmet[0] if unmet else first
            return outcome(Action.HOLD, locked_code(shown), item, prerequisite_values(shown))
        opened = replace(item, locked=False)
        return outcome(Action.UNLOCK, unlock_code(first), opened, prerequisite_values(first))
    if not latest.answers_now:
        return outcome(Action.HOLD, "reason_plan_changed")

    results = timeline.get(item.exercise_id, [])
    fresh = results and results[-1].session_index == latest.index
    played = results[-1].result.dose if fresh else None
    if played is not None and played == item.dose:
        # The dose now prescribed has been played once: a step up to it is done.
        return at_current_dose(replace(item, step_up_from=None), exercise, results, outcome)
    if played is not None and played == item.step_up_from:
        return at_earlier_dose(item, item.step_up_from, exercise, results, latest, outcome)
    return outcome(Action.HOLD, "reason_no_result")


class Outcome(Protocol):
    """Makes one exercise's Choice: its decision, said in words, and its next prescription."""

    def __call__(
        self,
        action: Action,
        code: str,
        new_item: PrescribedExercise = ...,
        values: Mapping[str, str | int] = ...,
        *,
        waited_since: int = 0,
        played_earlier_dose: bool = False,
    ) -> Choice: ...


def at_current_dose(
    item: PrescribedExercise, exercise: Exercise, results: Sequence[RatedResult], outcome: Outcome
) -> Choice:
    """The traffic light of a result at the dose now prescribed."""
    latest = results[-1].rating
    if latest.light is Light.RED:
        return after_red(item, item.dose, exercise, results, outcome)
    if latest.light is Light.AMBER:
        return outcome(Action.HOLD, AMBER_REASONS[latest.cause], item)
    higher = exercise.step_up(item.dose)
    if higher is None:
        return outcome(Action.HOLD, "reason_at_target", item)
    run = trailing_run(results, lambda rated: is_green(rated) and rated.result.dose == item.dose)
    if len(run) < GREENS_TO_STEP_UP:
        # Say why two greens in a row did not count, when pain rose in between.
        broken_by_pain = len(results) > 1 and results[-2].rating.cause is Cause.PAIN_NEXT_DAY
        code = "reason_amber_pain_next_day" if broken_by_pain else "reason_one_more_green"
        return outcome(Action.HOLD, code, item)
    if len({rated.day for rated in run}) < DAYS_TO_STEP_UP:
        return outcome(Action.HOLD, "reason_next_day", item)
    at_this_dose = trailing_run(results, lambda rated: rated.result.dose == item.dose)
    stepped = replace(item, dose=higher, step_up_from=item.dose)
    return outcome(Action.UP, "reason_up", stepped, waited_since=at_this_dose[0].session_index)


def at_earlier_dose(
    item: PrescribedExercise,
    earlier: Dose,
    exercise: Exercise,
    results: Sequence[RatedResult],
    latest: Latest,
    outcome: Outcome,
) -> Choice:
    """A result at the dose before an unplayed step up. The player plays that dose when leg
    pain at the start is higher than at the start of the session before; the step up waits
    for next time, unless that dose hurt: then one step down from it. (Without higher pain,
    it is the session the step up answered, seen again: the new dose is still unplayed.)"""
    if results[-1].rating.light is Light.RED:
        return after_red(replace(item, step_up_from=None), earlier, exercise, results, outcome)
    code = "reason_step_up_waits" if latest.pain_higher_at_start else "reason_no_result"
    return outcome(Action.HOLD, code, item, played_earlier_dose=True)


def after_red(
    item: PrescribedExercise,
    played: Dose,
    exercise: Exercise,
    results: Sequence[RatedResult],
    outcome: Outcome,
) -> Choice:
    """One step down from the dose that hurt (`played`); two reds in a row pause."""
    lower = exercise.step_down(played) or played
    stepped = replace(item, dose=lower)
    if trailing(results, is_red) >= REDS_TO_PAUSE:
        code = "reason_pause_easier" if lower != item.dose else "reason_pause"
        return outcome(Action.PAUSE, code, replace(stepped, paused=True))
    if lower == item.dose:
        return outcome(Action.HOLD, "reason_down_at_start", item)
    return outcome(Action.DOWN, "reason_down", stepped)


AMBER_REASONS = {
    Cause.NOT_FINISHED: "reason_amber_not_finished",
    Cause.PAIN_ROSE: "reason_amber_pain_rose",
    Cause.PAIN_NEXT_DAY: "reason_amber_pain_next_day",
}


def is_red(rated: RatedResult) -> bool:
    return rated.rating.light is Light.RED


def is_green(rated: RatedResult) -> bool:
    return rated.rating.light is Light.GREEN


def prerequisite_met(
    prerequisite: Prerequisite, timeline: dict[str, list[RatedResult]], catalogue: Catalogue
) -> bool:
    """The prerequisite's latest `clean_sessions` results were all green (and at its target,
    when the prerequisite asks for that, and with a "yes" to "Could you keep your low back
    pressed flat the whole time?", when it asks for that)."""
    needed = catalogue.get(prerequisite.exercise_id)

    def clean(rated: RatedResult) -> bool:
        at_target = needed.reached_target(rated.result.dose) or not prerequisite.at_target
        back_flat = rated.result.kept_back_flat is True or not prerequisite.kept_back_flat
        return is_green(rated) and at_target and back_flat

    results = timeline.get(prerequisite.exercise_id, [])
    return trailing(results, clean) >= prerequisite.clean_sessions


def trailing(results: Sequence[RatedResult], test: Callable[[RatedResult], bool]) -> int:
    """How many results in a row, counting back from the latest, pass `test`."""
    return len(trailing_run(results, test))


def trailing_run(
    results: Sequence[RatedResult], test: Callable[[RatedResult], bool]
) -> list[RatedResult]:
    """The latest results that pass `test`, in a row, oldest first."""
    run: list[RatedResult] = []
    for rated in reversed(results):
        if not test(rated):
            break
        run.append(rated)
    return run[::-1]


def prerequisite_values(prerequisite: Prerequisite) -> dict[str, str | int]:
    return {"prerequisite": prerequisite.exercise_id, "count": prerequisite.clean_sessions}


def locked_code(prerequisite: Prerequisite) -> str:
    return "reason_locked_back_flat" if prerequisite.kept_back_flat else "reason_locked"


def unlock_code(prerequisite: Prerequisite) -> str:
    return "reason_unlock_back_flat" if prerequisite.kept_back_flat else "reason_unlock"


def explain(
    code: str,
    old: Dose,
    new: Dose,
    values: Mapping[str, str | int],
    locale: str = DEFAULT_LOCALE,
    catalogue: Catalogue | None = None,
) -> str:
    """A decision's reason, said in `locale`: the same words `progress` gave it in its own
    language. For reasons kept with a prescription and read later in another language."""
    return Reasons(catalogue or load_catalogue(), locale).reason(code, old, new, values)


class Reasons:
    """Plain-language reasons, from the catalogue's messages in the patient's language."""

    def __init__(self, catalogue: Catalogue, locale: str) -> None:
        self.catalogue = catalogue
        self.locale = locale

    def reason(self, code: str, old: Dose, new: Dose, values: Mapping[str, str | int]) -> str:
        change = self.change(old, new) if old != new else ""
        words = dict(values)
        if "prerequisite" in words:  # an exercise id: its name, mid-sentence
            name = self.catalogue.get(str(words["prerequisite"])).text(self.locale).name
            words["prerequisite"] = name[:1].lower() + name[1:]
        return self.catalogue.message(code, self.locale, change=change, **words)

    def change(self, old: Dose, new: Dose) -> str:
        """One changed thing in words ("the hold goes from 15 to 20 seconds")."""
        changed = set(new.changed_fields(old))
        if len(changed) > 1:
            changed.discard("set_break_seconds")  # the rest between sets goes with the sets
        if changed == {"last_set_reps"}:
            last_old, last_new = old.reps_in_set(old.sets), new.reps_in_set(new.sets)
            return self.message("change_last_set_reps", old=last_old, new=last_new)
        if changed == {"sets", "last_set_reps"} and new.sets == old.sets + 1:
            return self.message("change_add_set", new=new.reps_in_set(new.sets))
        if len(changed) == 1:
            (name,) = changed
            key = f"change_{name}"
            if getattr(new, name) == 1 and self.catalogue.has_message(f"{key}_one"):
                key = f"{key}_one"  # "1 set", not "1 sets"
            return self.message(key, old=getattr(old, name), new=getattr(new, name))
        return self.message(
            "change_dose",
            old=dose_label(old, self.catalogue, self.locale),
            new=dose_label(new, self.catalogue, self.locale),
        )

    def message(self, key: str, **values: object) -> str:
        return self.catalogue.message(key, self.locale, **values)
