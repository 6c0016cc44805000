"""Safe automatic progression: the next prescription, with a plain reason for each exercise.

The rules (programme-facts.md part B, the session traffic light):
- red: one rung down, never up; two reds in a row: pause the exercise and advise contacting
  the therapist;
- amber: same dose;
- green twice in a row at the current dose: one rung up;
- never past the target, never below the start;
- an exercise with a prerequisite stays locked until the prerequisite is met.

`progress` only reacts to a result done at the dose now prescribed, so calling it again with
the same history changes nothing more (it is idempotent).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType

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

GREENS_TO_STEP_UP = 2
REDS_TO_PAUSE = 2


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

    @property
    def changed(self) -> bool:
        return any(decision.changed for decision in self.decisions)

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


def progress(
    prescription: Prescription,
    history: Sequence[SessionRecord],
    locale: str = DEFAULT_LOCALE,
    catalogue: Catalogue | None = None,
) -> Progression:
    """The next prescription after `history` (oldest session first), and why."""
    catalogue = catalogue or load_catalogue()
    prescription.check(catalogue)
    timeline = rated_timeline(history)
    say = Reasons(catalogue, locale)
    decisions = []
    new_prescription = prescription
    for item in prescription.exercises:
        exercise = catalogue.get(item.exercise_id)
        decision, new_item = decide(item, exercise, timeline, len(history) - 1, say)
        decisions.append(decision)
        new_prescription = new_prescription.with_item(new_item)
    return Progression(new_prescription, tuple(decisions))


def rated_timeline(history: Sequence[SessionRecord]) -> dict[str, list[RatedResult]]:
    """Each exercise's results with their ratings, oldest first."""
    timeline: dict[str, list[RatedResult]] = {}
    for index, (session, ratings) in enumerate(zip(history, rate_sessions(history), strict=True)):
        for result in session.results:
            rated = RatedResult(result, ratings[result.exercise_id], index)
            timeline.setdefault(result.exercise_id, []).append(rated)
    return timeline


def decide(
    item: PrescribedExercise,
    exercise: Exercise,
    timeline: dict[str, list[RatedResult]],
    latest_session: int,
    say: Reasons,
) -> tuple[ProgressionDecision, PrescribedExercise]:
    """The decision for one exercise, and that exercise's next prescription.

    A dose changes only in answer to this exercise's result in the latest session, done at
    the dose now prescribed: so a therapist's change (say, lifting a pause) is not undone by
    a later session in which the exercise was not done, and running again changes nothing.
    """

    def outcome(
        action: Action,
        code: str,
        new_item: PrescribedExercise = item,
        values: Mapping[str, str | int] = MappingProxyType({}),
    ) -> tuple[ProgressionDecision, PrescribedExercise]:
        reason = say.reason(code, item.dose, new_item.dose, values)
        decision = ProgressionDecision(
            item.exercise_id, action, item.dose, new_item.dose, reason, code, tuple(values.items())
        )
        return decision, new_item

    if not item.enabled:
        return outcome(Action.HOLD, "reason_off")
    if item.paused:
        return outcome(Action.HOLD, "reason_paused")
    if item.locked:
        if not exercise.requires:
            return outcome(Action.HOLD, "reason_locked_by_therapist")
        unmet = [p for p in exercise.requires if not prerequisite_met(p, timeline, say.catalogue)]
        if unmet:
            return outcome(Action.HOLD, "reason_locked", item, prerequisite_values(unmet[0]))
        opened = replace(item, locked=False)
        values = prerequisite_values(exercise.requires[0])
        return outcome(Action.UNLOCK, "reason_unlock", opened, values)

    results = timeline.get(item.exercise_id, [])
    fresh = results and results[-1].session_index == latest_session
    if not fresh or results[-1].result.dose != item.dose:
        return outcome(Action.HOLD, "reason_no_result")
    latest = results[-1].rating
    if latest.light is Light.RED:
        lower = exercise.rung_below(item.dose)
        stepped = replace(item, dose=lower) if lower else item
        if trailing(results, is_red) >= REDS_TO_PAUSE:
            code = "reason_pause_easier" if lower else "reason_pause"
            return outcome(Action.PAUSE, code, replace(stepped, paused=True))
        if lower is None:
            return outcome(Action.HOLD, "reason_down_at_start")
        return outcome(Action.DOWN, "reason_down", stepped)
    if latest.light is Light.AMBER:
        return outcome(Action.HOLD, AMBER_REASONS[latest.cause])
    greens = trailing(results, lambda rated: is_green(rated) and rated.result.dose == item.dose)
    if greens < GREENS_TO_STEP_UP:
        # Say why two greens in a row did not count, when pain rose in between.
        broken_by_pain = len(results) > 1 and results[-2].rating.cause is Cause.PAIN_NEXT_DAY
        code = "reason_amber_pain_next_day" if broken_by_pain else "reason_one_more_green"
        return outcome(Action.HOLD, code)
    higher = exercise.rung_above(item.dose)
    if higher is None:
        return outcome(Action.HOLD, "reason_at_target")
    return outcome(Action.UP, "reason_up", replace(item, dose=higher))


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
    when the prerequisite asks for that)."""
    needed = catalogue.get(prerequisite.exercise_id)

    def clean(rated: RatedResult) -> bool:
        at_target = needed.reached_target(rated.result.dose) or not prerequisite.at_target
        return is_green(rated) and at_target

    results = timeline.get(prerequisite.exercise_id, [])
    return trailing(results, clean) >= prerequisite.clean_sessions


def trailing(results: Sequence[RatedResult], test: Callable[[RatedResult], bool]) -> int:
    """How many results in a row, counting back from the latest, pass `test`."""
    count = 0
    for rated in reversed(results):
        if not test(rated):
            break
        count += 1
    return count


def prerequisite_values(prerequisite: Prerequisite) -> dict[str, str | int]:
    return {"prerequisite": prerequisite.exercise_id, "count": prerequisite.clean_sessions}


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
        if changed == {"last_set_reps"}:
            last_old, last_new = old.reps_in_set(old.sets), new.reps_in_set(new.sets)
            return self.message("change_last_set_reps", old=last_old, new=last_new)
        if changed == {"sets", "last_set_reps"} and new.sets == old.sets + 1:
            return self.message("change_add_set", new=new.reps_in_set(new.sets))
        if len(changed) == 1:
            (name,) = changed
            return self.message(f"change_{name}", old=getattr(old, name), new=getattr(new, name))
        return self.message(
            "change_dose",
            old=dose_label(old, self.catalogue, self.locale),
            new=dose_label(new, self.catalogue, self.locale),
        )

    def message(self, key: str, **values: object) -> str:
        return self.catalogue.message(key, self.locale, **values)
