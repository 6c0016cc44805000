"""Property tests: random session histories fed through progress(), and random plans.

Each history is built the way the app builds it: a session is done at the doses the
prescription has at that moment (at the dose before an unplayed step up when leg pain at the
start is higher than at the start of the session before, as the player does), then
progress() gives the prescription for the next one, kept as a new version when anything
changed. Around the sessions, real life: sessions on the same day, a therapist who types any
dose (on the ladder or off it) or lifts a pause, and sessions that arrive late (done earlier,
under an older version). Half the histories carry no versions and no days at all, as a
history built before they were kept.

The traffic light and the rules are worked out here independently of the engine
(programme-facts.md part B), from the doses' own fields.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from hypothesis import event, given, settings
from hypothesis import strategies as st

from stenosis_coach.programme import (
    Action,
    Dose,
    Exercise,
    ExerciseResult,
    Kind,
    PrescribedExercise,
    Prescription,
    Progression,
    SessionRecord,
    StepKind,
    StopReason,
    build_plan,
    explain,
    progress,
)

from .helpers import CATALOGUE, MARCH, PELVIC_TILT, on_day

T = TypeVar("T")
SETTINGS = settings(max_examples=200, deadline=None)
MAX_EVENTS = 24
HOLD_STEP = 5  # seconds: the most one step adds to a hold or a set's work time


# --- an independent traffic light ---------------------------------------------------------


def light(result: ExerciseResult, this: SessionRecord, following: SessionRecord | None) -> str:
    if result.worse or result.stop_reason not in (None, StopReason.SKIPPED):
        return "red"
    if not result.completed:
        return "amber"
    before, after = this.leg_pain_before, this.leg_pain_after
    if before is not None and after is not None and after >= before + 2:
        return "amber"
    later = following.leg_pain_before if following is not None else None
    if before is not None and later is not None and later > before:
        return "amber"
    return "green"


@dataclass(frozen=True)
class Seen:
    """One result of one exercise, as the rules see it."""

    index: int  # the session's place in the history
    day: object  # the session's day, or its own when it has none
    dose: Dose
    colour: str
    kept_back_flat: bool | None


def seen_results(history: Sequence[SessionRecord], exercise_id: str) -> list[Seen]:
    """Every result for one exercise, oldest first."""
    found = []
    for index, this in enumerate(history):
        following = history[index + 1] if index + 1 < len(history) else None
        result = this.result_for(exercise_id)
        if result is not None:
            day = this.day if this.day is not None else ("own", index)
            colour = light(result, this, following)
            found.append(Seen(index, day, result.dose, colour, result.kept_back_flat))
    return found


def trailing(seen: Sequence[Seen], keep: Callable[[Seen], bool]) -> list[Seen]:
    """The latest results, in a row, that `keep` says yes to."""
    run: list[Seen] = []
    for one in reversed(seen):
        if not keep(one):
            break
        run.insert(0, one)
    return run


# --- doses compared part by part ----------------------------------------------------------


def no_part_bigger(new: Dose, old: Dose) -> bool:
    """Not one part of `new` is more than in `old`: sets, hold, work time, and the reps of
    each set (so the reps and the last set)."""
    if new.is_timed != old.is_timed or new.sets > old.sets:
        return False
    for name in ("hold_seconds", "work_seconds"):
        mine, theirs = getattr(new, name), getattr(old, name)
        if mine is not None and mine > theirs:
            return False
    return all(new.reps_in_set(n) <= old.reps_in_set(n) for n in range(1, new.sets + 1))


def one_step_bigger(old: Dose, new: Dose) -> bool:
    """`new` is `old` with exactly one part grown by one step: a hold or work time by at most
    5 s, one rep more, the last set one rep longer, or one set more (no longer than the
    others)."""
    if not no_part_bigger(old, new) or old == new:
        return False
    same = {
        name: getattr(old, name) == getattr(new, name)
        for name in ("sets", "reps", "hold_seconds", "work_seconds", "last_set_reps")
    }
    grew = [name for name, equal in same.items() if not equal]
    if grew == ["hold_seconds"] or grew == ["work_seconds"]:
        (name,) = grew
        return 0 < getattr(new, name) - getattr(old, name) <= HOLD_STEP
    if grew == ["reps"]:
        return new.reps == (old.reps or 0) + 1
    last_old, last_new = old.reps_in_set(old.sets), new.reps_in_set(new.sets)
    if grew == ["last_set_reps"] and new.sets == old.sets:
        return last_new == last_old + 1
    if set(grew) <= {"sets", "last_set_reps"} and "sets" in grew:
        return new.sets == old.sets + 1 and old.last_set_reps is None
    return False


def at_target(dose: Dose, exercise: Exercise) -> bool:
    """Every part at least the target's."""
    return no_part_bigger(exercise.target, dose)


# --- the world: a patient, a therapist, and a phone that is sometimes offline -------------


@dataclass
class World:
    current: Prescription
    versioned: bool
    history: list[SessionRecord] = field(default_factory=list)
    day: int = 0
    # the version in which a therapist lifted each exercise's pause
    lifted: dict[str, int] = field(default_factory=dict)
    # how many exercises stepped up in answer to each latest session (by its identity)
    ups_for: dict[int, int] = field(default_factory=dict)

    @property
    def version(self) -> int | None:
        return self.current.version

    def keep(self, prescription: Prescription) -> None:
        """The next version, as save_prescription keeps it."""
        number = (self.version or 0) + 1 if self.versioned else None
        self.current = replace(prescription, version=number)


# Choices are weighted (sampled_from a list with repeats) so that streaks of greens, and so
# steps up, reaching the target and the march's unlock, happen often enough to be tested.
# A "smooth" history has trouble only now and then; a rough one often.
def weighted(common: T, rare: T, times: int) -> st.SearchStrategy[T]:
    """`common` `times` times as often as `rare`."""
    return st.sampled_from([common] * times + [rare])


def pain(smooth: bool) -> st.SearchStrategy[int | None]:
    steady = st.sampled_from([None, 3, 3, 3])
    return steady if smooth else steady | st.integers(0, 10)


@st.composite
def any_dose_for(draw: st.DrawFn, timed: bool) -> Dose:
    """A valid dose of the right form, on the ladder or not (a therapist may set any)."""
    sets = draw(st.integers(1, 3))
    set_break = draw(st.integers(0, 60)) if sets > 1 else None
    if timed:
        return Dose(sets=sets, work_seconds=draw(st.integers(5, 90)), set_break_seconds=set_break)
    reps = draw(st.integers(1, 12))
    last = draw(st.none() | st.integers(1, reps - 1)) if sets > 1 and reps > 1 else None
    return Dose(sets, reps, draw(st.integers(1, 40)), None, set_break, last)


def some_dose(exercise: Exercise) -> st.SearchStrategy[Dose]:
    """Mostly a rung of the ladder (the pelvic tilt often its target), now and then any."""
    rungs = list(exercise.ladder)
    if exercise.id == PELVIC_TILT:
        rungs += [exercise.target] * len(rungs)
    return weighted(st.sampled_from(rungs), any_dose_for(exercise.is_timed), 3).flatmap(
        lambda strategy: strategy
    )


@st.composite
def prescriptions(draw: st.DrawFn, versioned: bool) -> Prescription:
    """Every exercise at a random dose, with random flags."""
    items = []
    for exercise in CATALOGUE.exercises:
        items.append(
            PrescribedExercise(
                exercise.id,
                draw(some_dose(exercise)),
                enabled=draw(weighted(True, False, 5)),
                # locked: waiting for a prerequisite, or (now and then) for the therapist
                locked=draw(weighted(bool(exercise.requires), not exercise.requires, 3)),
                paused=draw(weighted(False, True, 5)),
            )
        )
    return Prescription(tuple(items), version=1 if versioned else None)


def draw_session(data: st.DataObject, world: World, smooth: bool) -> SessionRecord:
    """One session at the doses now prescribed, as the player does it."""
    odds = 20 if smooth else 5
    if world.versioned:
        world.day += data.draw(st.sampled_from([0, 1, 1, 1, 2]), label="days later")
    before = data.draw(pain(smooth), label="before")
    last_before = world.history[-1].leg_pain_before if world.history else None
    pain_higher = before is not None and last_before is not None and before > last_before
    results = []
    for entry in world.current.active():
        if not data.draw(weighted(True, False, odds), label="done"):
            continue
        held_back = entry.step_up_from is not None and pain_higher
        dose = entry.step_up_from if held_back and entry.step_up_from else entry.dose
        exercise = CATALOGUE.get(entry.exercise_id)
        asks_back_flat = entry.exercise_id == PELVIC_TILT and at_target(dose, exercise)
        results.append(
            ExerciseResult(
                entry.exercise_id,
                dose,
                completed=data.draw(weighted(True, False, odds), label="completed"),
                worse=data.draw(weighted(False, True, odds), label="worse"),
                stop_reason=data.draw(
                    st.sampled_from([None] * odds * 2 + list(StopReason)), label="stop_reason"
                ),
                kept_back_flat=(
                    data.draw(st.sampled_from([True, True, True, False, None]), label="flat")
                    if asks_back_flat
                    else None
                ),
            )
        )
    return SessionRecord(
        tuple(results),
        leg_pain_before=before,
        leg_pain_after=data.draw(pain(smooth), label="after"),
        day=on_day(world.day) if world.versioned else None,
        prescription_version=world.version,
    )


def late_copy(data: st.DataObject, world: World) -> tuple[int, SessionRecord]:
    """A session sent late: done just after an earlier one, under the same version at the
    same doses, with its own lights. Where it lands in the history, and the session."""
    index = data.draw(st.integers(0, len(world.history) - 1), label="late after")
    earlier = world.history[index]
    results = tuple(
        replace(
            result,
            completed=data.draw(st.booleans(), label="late completed"),
            worse=data.draw(weighted(False, True, 3), label="late worse"),
            stop_reason=None,
        )
        for result in earlier.results
    )
    return index + 1, replace(earlier, results=results)


# --- the invariants -----------------------------------------------------------------------


def answers_latest(old: Prescription, history: Sequence[SessionRecord]) -> bool:
    """The latest session was done under the version now prescribed (or versions are not
    known): only then may anything change."""
    if not history:
        return True
    done_under = history[-1].prescription_version
    return old.version is None or done_under is None or done_under == old.version


def check_reasons(result: Progression) -> None:
    for decision in result.decisions:
        event(f"{decision.exercise_id}: {decision.action.value} ({decision.reason_code})")
        # every decision carries a plain reason, with every placeholder filled in
        assert decision.reason.strip()
        assert "{" not in decision.reason
        # the kept code and values say the same words again
        values = dict(decision.reason_values)
        again = explain(decision.reason_code, decision.old_dose, decision.new_dose, values)
        assert again == decision.reason


def check_exercise(
    before: PrescribedExercise,
    after: PrescribedExercise,
    action: Action,
    history: Sequence[SessionRecord],
    answers: bool,
) -> None:
    exercise = CATALOGUE.get(before.exercise_id)
    seen = seen_results(history, before.exercise_id)
    latest = seen[-1] if seen and seen[-1].index == len(history) - 1 else None
    assert after.enabled == before.enabled
    assert after.dose.is_timed == exercise.is_timed
    moved = (after.dose, after.locked, after.paused) != (before.dose, before.locked, before.paused)
    assert moved == (action is not Action.HOLD)
    if not answers or not before.enabled or before.paused:
        assert after == before  # nothing moves
        return
    if before.locked:
        return  # the march: check_march
    played_now = latest is not None and latest.dose == before.dose
    played_earlier = latest is not None and not played_now and latest.dose == before.step_up_from
    if not played_now and not played_earlier:
        assert after == before  # no result to answer
        return

    assert latest is not None
    if latest.colour == "red":
        # After a red, no part of the dose grows: not above the dose that hurt, nor above
        # the dose prescribed; a step down from a rung goes to the rung below.
        assert action in (Action.DOWN, Action.PAUSE, Action.HOLD)
        assert no_part_bigger(after.dose, latest.dose)
        assert no_part_bigger(after.dose, before.dose)
        assert after.step_up_from is None
        if latest.dose in exercise.ladder:
            rung = exercise.ladder.index(latest.dose)
            assert after.dose == exercise.ladder[max(rung - 1, 0)]
        reds = trailing(seen, lambda one: one.colour == "red")
        assert after.paused == (len(reds) >= 2)
        return
    if played_earlier:
        # The step up waits for a session in which it is played; a red was dealt with above.
        assert after == before
        return
    if action is Action.UP:
        run = trailing(seen, lambda one: one.colour == "green" and one.dose == before.dose)
        assert len(run) >= 2
        assert len({one.day for one in run}) >= 2  # two greens on two different days
        assert not at_target(before.dose, exercise)
        assert one_step_bigger(before.dose, after.dose)
        assert no_part_bigger(after.dose, exercise.target) or not no_part_bigger(
            before.dose, exercise.target
        )  # never past the target in a part it had not passed already
        assert after.step_up_from == before.dose
        if before.dose in exercise.ladder:
            rung = exercise.ladder.index(before.dose)
            assert after.dose == exercise.ladder[rung + 1]
        return
    assert action is Action.HOLD
    assert after == replace(before, step_up_from=None)  # the dose has been played once


def ready_to_step_up(before: PrescribedExercise, history: Sequence[SessionRecord]) -> bool:
    """Two greens in a row at this dose, on two days, the latest in the latest session,
    short of the target."""
    exercise = CATALOGUE.get(before.exercise_id)
    seen = seen_results(history, before.exercise_id)
    run = trailing(seen, lambda one: one.colour == "green" and one.dose == before.dose)
    return (
        bool(run)
        and run[-1].index == len(history) - 1
        and len({one.day for one in run}) >= 2
        and not at_target(before.dose, exercise)
    )


def waited_since(before: PrescribedExercise, history: Sequence[SessionRecord]) -> int:
    """The session in which this exercise's run at its dose began."""
    seen = seen_results(history, before.exercise_id)
    return trailing(seen, lambda one: one.dose == before.dose)[0].index


def check_one_step_up(
    old: Prescription, history: Sequence[SessionRecord], result: Progression
) -> None:
    """At most one step up, and it goes to the exercise that has waited longest at its dose;
    each of the others that was ready says it waits its turn."""
    decisions = {decision.exercise_id: decision for decision in result.decisions}
    ups = [d.exercise_id for d in result.decisions if d.action is Action.UP]
    waiting = [d.exercise_id for d in result.decisions if d.reason_code == "reason_wait_turn"]
    assert len(ups) <= 1
    # and one does step up when any is ready, unless this session held a step up back
    ready = (
        [e for e in old.exercises if e.active and ready_to_step_up(e, history)]
        if answers_latest(old, history)
        else []
    )
    if ready and not played_an_earlier_dose(old, history):
        assert len(ups) == 1
    for exercise_id in ups + waiting:
        assert ready_to_step_up(old.get(exercise_id), history)
        assert decisions[exercise_id].old_dose == old.get(exercise_id).dose
    order = CATALOGUE.ids
    for exercise_id in waiting:
        assert decisions[exercise_id].action is Action.HOLD
        assert result.prescription.get(exercise_id) == replace(
            old.get(exercise_id), step_up_from=None
        )
        if ups:
            (up,) = ups
            first = (waited_since(old.get(up), history), order.index(up))
            this = (waited_since(old.get(exercise_id), history), order.index(exercise_id))
            assert first < this
        else:
            # no step up at all: this session's step up was held back, or made before
            assert played_an_earlier_dose(old, history)


def played_an_earlier_dose(old: Prescription, history: Sequence[SessionRecord]) -> bool:
    """In the latest session an exercise was played at the dose before its step up, and did
    not hurt: the step up from this very session seen again, or one held back for pain."""
    for entry in old.exercises:
        seen = seen_results(history, entry.exercise_id)
        if not seen or seen[-1].index != len(history) - 1 or entry.step_up_from is None:
            continue
        if seen[-1].dose == entry.step_up_from != entry.dose and seen[-1].colour != "red":
            return True
    return False


def march_prerequisite_met(history: Sequence[SessionRecord]) -> bool:
    """The pelvic tilt's last two results: green, at its target, and the low back kept flat."""
    pelvic_tilt = CATALOGUE.get(PELVIC_TILT)
    last_two = seen_results(history, PELVIC_TILT)[-2:]
    return len(last_two) == 2 and all(
        one.colour == "green" and at_target(one.dose, pelvic_tilt) and one.kept_back_flat is True
        for one in last_two
    )


def check_march(old: Prescription, history: Sequence[SessionRecord], result: Progression) -> None:
    old_march, new_march = old.get(MARCH), result.prescription.get(MARCH)
    if old_march.locked and not new_march.locked:
        assert march_prerequisite_met(history)
        assert answers_latest(old, history)
        assert result.decision_for(MARCH).action is Action.UNLOCK
    if old_march.locked and old_march.enabled and not old_march.paused:
        opens = march_prerequisite_met(history) and answers_latest(old, history)
        assert new_march.locked != opens
    if not old_march.locked:
        assert not new_march.locked


def check_progression(world: World, result: Progression) -> None:
    old, history = world.current, world.history
    answers = answers_latest(old, history)
    check_reasons(result)
    new = result.prescription
    assert [d.exercise_id for d in result.decisions] == [e.exercise_id for e in old.exercises]
    assert [e.exercise_id for e in new.exercises] == [e.exercise_id for e in old.exercises]
    for before, after, decision in zip(old.exercises, new.exercises, result.decisions, strict=True):
        assert decision.old_dose == before.dose
        assert decision.new_dose == after.dose
        check_exercise(before, after, decision.action, history, answers)
    check_one_step_up(old, history, result)
    check_march(old, history, result)
    assert result.changed == (new != old)

    # A pause a therapist lifted stays lifted until a red in a session done after the lift.
    for exercise_id, lift in world.lifted.items():
        if not old.get(exercise_id).paused and new.get(exercise_id).paused:
            latest = history[-1]
            assert latest.prescription_version is not None
            assert latest.prescription_version >= lift
            played = latest.result_for(exercise_id)
            assert played is not None
            assert light(played, latest, None) == "red"

    # At most one step up in answer to each session, however often the engine runs over it.
    if history:
        key = id(history[-1])
        ups = sum(decision.action is Action.UP for decision in result.decisions)
        world.ups_for[key] = world.ups_for.get(key, 0) + ups
        assert world.ups_for[key] <= 1

    # Idempotent: the same history again changes nothing more, as it is (no versions) or
    # kept as the next version.
    assert progress(new, history).prescription == new
    if world.versioned and result.changed:
        bumped = replace(new, version=(old.version or 0) + 1)
        again = progress(bumped, history)
        assert again.prescription == bumped
        assert not again.changed


def run_engine(world: World) -> None:
    result = progress(world.current, world.history)
    check_progression(world, result)
    if result.changed:
        world.keep(result.prescription)


# --- the tests ----------------------------------------------------------------------------


@SETTINGS
@given(data=st.data())
def test_random_histories_keep_every_rule(data: st.DataObject) -> None:
    versioned = data.draw(st.booleans(), label="versioned")
    world = World(data.draw(prescriptions(versioned), label="start"), versioned)
    smooth = data.draw(st.booleans(), label="smooth")
    kinds = ["session"] * 8 + (["late", "late at the end", "dose", "lift"] if versioned else [])
    for _ in range(data.draw(st.integers(0, MAX_EVENTS), label="events")):
        kind = data.draw(st.sampled_from(kinds), label="event")
        if kind == "session" or not world.history:
            world.history.append(draw_session(data, world, smooth))
        elif kind == "late":
            place, late = late_copy(data, world)
            world.history.insert(place, late)
        elif kind == "late at the end":
            # done offline under the version before, sent after the newest one
            _, late = late_copy(data, world)
            world.history.append(late)
        elif kind == "dose":
            entry = data.draw(st.sampled_from(world.current.exercises), label="dose for")
            dose = data.draw(any_dose_for(entry.dose.is_timed), label="therapist's dose")
            world.keep(world.current.with_item(replace(entry, dose=dose, step_up_from=None)))
        else:
            paused = [entry for entry in world.current.exercises if entry.paused]
            if not paused:
                continue
            entry = data.draw(st.sampled_from(paused), label="lift")
            world.keep(world.current.with_item(replace(entry, paused=False)))
            assert world.version is not None
            world.lifted[entry.exercise_id] = world.version
        event(kind)
        run_engine(world)


@SETTINGS
@given(data=st.data())
def test_reasons_kept_in_english_read_the_same_in_spanish(data: st.DataObject) -> None:
    world = World(data.draw(prescriptions(True), label="start"), versioned=True)
    for _ in range(data.draw(st.integers(1, 12), label="sessions")):
        world.history.append(draw_session(data, world, smooth=True))
        english = progress(world.current, world.history)
        spanish = progress(world.current, world.history, "es").decisions
        for decision, in_spanish in zip(english.decisions, spanish, strict=True):
            values = dict(decision.reason_values)
            old, new = decision.old_dose, decision.new_dose
            assert explain(decision.reason_code, old, new, values, "es") == in_spanish.reason
        if english.changed:
            world.keep(english.prescription)


@SETTINGS
@given(data=st.data())
def test_a_march_unlock_needs_its_prerequisite_at_that_moment(data: st.DataObject) -> None:
    """Pelvic tilt near its target, march locked: the march opens exactly when allowed."""
    pelvic_tilt = CATALOGUE.get(PELVIC_TILT)
    start = Prescription(
        (
            PrescribedExercise(PELVIC_TILT, data.draw(st.sampled_from(pelvic_tilt.ladder[-2:]))),
            PrescribedExercise(MARCH, CATALOGUE.get(MARCH).start, locked=True),
        ),
        version=1,
    )
    world = World(start, versioned=True)
    smooth = data.draw(st.booleans(), label="smooth")
    for _ in range(data.draw(st.integers(1, 8), label="sessions")):
        world.history.append(draw_session(data, world, smooth))
        was_locked = world.current.get(MARCH).locked
        result = progress(world.current, world.history)
        now_locked = result.prescription.get(MARCH).locked
        if was_locked:
            assert now_locked != march_prerequisite_met(world.history)
            event("unlocked" if not now_locked else "still locked")
        if result.changed:
            world.keep(result.prescription)


@SETTINGS
@given(data=st.data())
def test_steps_from_any_dose(data: st.DataObject) -> None:
    """Exercise.step_down and step_up from any dose a therapist could type."""
    exercise = data.draw(st.sampled_from(CATALOGUE.exercises), label="exercise")
    dose = data.draw(some_dose(exercise), label="dose")
    lower, higher = exercise.step_down(dose), exercise.step_up(dose)
    if lower is not None:
        assert no_part_bigger(lower, dose)
        assert lower != dose
        assert lower.is_timed == dose.is_timed
        rungs_below = [rung for rung in exercise.ladder if no_part_bigger(rung, dose)]
        rungs_below = [rung for rung in rungs_below if rung.load_parts != dose.load_parts]
        if rungs_below:
            assert lower == rungs_below[-1]
    else:
        # only the start of the ladder, or 1 set of 1 rep held 5 s or less (or 5 s of work)
        as_low_as_it_goes = dose.sets == 1 and (dose.reps or 1) == 1
        as_low_as_it_goes &= (dose.hold_seconds or 0) <= 5 and (dose.work_seconds or 0) <= 5
        assert dose == exercise.start or as_low_as_it_goes
    if higher is not None:
        assert one_step_bigger(dose, higher)
        assert not at_target(dose, exercise)
        for name in ("hold_seconds", "work_seconds", "reps", "sets"):
            grown = getattr(higher, name) != getattr(dose, name)
            assert not grown or getattr(higher, name) <= getattr(exercise.target, name)
        event("step up lands on the ladder" if higher in exercise.ladder else "step up off it")
    else:
        assert at_target(dose, exercise)


# --- random plans -------------------------------------------------------------------------


@st.composite
def plan_prescriptions(draw: st.DrawFn) -> Prescription:
    items = []
    for exercise in CATALOGUE.exercises:
        if not draw(weighted(True, False, 5)):
            continue  # not in this prescription at all
        dose = draw(st.sampled_from(exercise.ladder) | any_dose_for(exercise.is_timed))
        items.append(
            PrescribedExercise(
                exercise.id,
                dose,
                enabled=draw(weighted(True, False, 3)),
                locked=draw(weighted(False, True, 3)),
                paused=draw(weighted(False, True, 3)),
            )
        )
    order = draw(st.permutations(items))
    return Prescription(tuple(order))


@SETTINGS
@given(plan_prescriptions(), st.booleans())
def test_random_plans_add_up(prescription: Prescription, gentle: bool) -> None:
    plan = build_plan(prescription, gentle=gentle)

    expected = [
        item
        for exercise in CATALOGUE.exercises
        for item in prescription.active()
        if item.exercise_id == exercise.id and (not gentle or exercise.kind is Kind.STRETCH)
    ]
    assert [p.exercise_id for p in plan.exercises] == [item.exercise_id for item in expected]
    assert [p.dose for p in plan.exercises] == [item.dose for item in expected]

    elapsed = 0
    for index, step in enumerate(plan.steps):
        assert step.index == index
        assert step.offset_ms == elapsed
        assert step.duration_ms >= 0
        elapsed += step.duration_ms
    assert plan.total_ms == elapsed

    for item in expected:
        dose = item.dose
        steps = [s for s in plan.steps if s.exercise_id == item.exercise_id]
        assert steps[0].kind is StepKind.POSITION
        assert steps[-1].kind is StepKind.CHECK_IN
        assert steps[-1].duration_ms == 0
        assert all(s.sets == dose.sets for s in steps)
        breaks = [s for s in steps if s.kind is StepKind.SET_BREAK]
        assert [s.set for s in breaks] == list(range(1, dose.sets))
        assert {s.duration_ms for s in breaks} <= {(dose.set_break_seconds or 0) * 1000}
        holds = [s for s in steps if s.kind is StepKind.HOLD]
        marching = [s for s in steps if s.kind is StepKind.MARCH]
        if dose.is_timed:
            assert not holds
            for set_number in range(1, dose.sets + 1):
                in_set = [s for s in marching if s.set == set_number]
                assert sum(s.duration_ms for s in in_set) == (dose.work_seconds or 0) * 1000
                assert [s.side for s in in_set] == ["left", "right"] * (len(in_set) // 2) + [
                    "left"
                ] * (len(in_set) % 2)
        else:
            assert not marching
            assert len(holds) == dose.total_reps
            assert {s.duration_ms for s in holds} == {(dose.hold_seconds or 0) * 1000}
            for set_number in range(1, dose.sets + 1):
                reps = [s.rep for s in holds if s.set == set_number]
                assert reps == list(range(1, dose.reps_in_set(set_number) + 1))
            rests = [s for s in steps if s.kind is StepKind.REST]
            assert len(rests) == dose.total_reps - dose.sets


@SETTINGS
@given(plan_prescriptions(), st.booleans(), st.booleans())
def test_the_body_changes_between_lying_and_kneeling_at_most_once(
    prescription: Prescription, gentle: bool, first_session: bool
) -> None:
    plan = build_plan(prescription, gentle=gentle, first_session=first_session)
    assert plan.position_changes <= 1
    # Each change of position (and the first one, from standing) waits for the patient, and
    # nothing else but a check-in stops the clock.
    positions = [None, *(step.position for step in plan.steps)]
    for step, before in zip(plan.steps, positions, strict=False):
        changes = step.position != before
        assert step.waits == (changes and step.kind is StepKind.POSITION)
        assert changes <= (step.kind is StepKind.POSITION)
        if step.waits:
            assert step.duration_ms == 0
    # A session on the floor starts by getting down and ends by getting up.
    if plan.steps:
        assert plan.intro[-1].id == "get-down"
        assert [screen.id for screen in plan.outro] == ["get-up"]
        assert (plan.intro[0].id == "briefing") == first_session
    else:
        assert plan.intro == plan.outro == ()


@SETTINGS
@given(data=st.data())
def test_with_progression_off_no_dose_grows_and_nothing_unlocks(data: st.DataObject) -> None:
    """The therapist turned automatic progression off: the engine may still step down or
    pause (safety), but it never makes a dose bigger or opens a locked exercise."""
    world = World(data.draw(prescriptions(True), label="start"), versioned=True)
    for _ in range(data.draw(st.integers(0, MAX_EVENTS), label="events")):
        world.history.append(draw_session(data, world, data.draw(st.booleans(), label="smooth")))
        before = world.current
        result = progress(before, world.history, step_ups=False)
        check_reasons(result)
        for old, new in zip(before.exercises, result.prescription.exercises, strict=True):
            assert no_part_bigger(new.dose, old.dose), (old, new)
            assert new.locked or not old.locked, (old, new)
            assert result.decision_for(old.exercise_id).action not in (Action.UP, Action.UNLOCK)
        if result.changed:
            world.keep(result.prescription)
