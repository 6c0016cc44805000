"""Property tests: random session histories fed through progress(), and random plans.

Each history is built the way the app builds it: a session is done at the doses the
prescription has at that moment, then progress() gives the prescription for the next one.
The traffic light is worked out here independently of the engine (programme-facts.md part B).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from hypothesis import event, given, settings
from hypothesis import strategies as st

from stenosis_coach.programme import (
    Action,
    Dose,
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

from .helpers import CATALOGUE, MARCH, PELVIC_TILT

T = TypeVar("T")
SETTINGS = settings(max_examples=200, deadline=None)
MAX_SESSIONS = 20


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


def lights(history: Sequence[SessionRecord], exercise_id: str) -> list[tuple[Dose, str]]:
    """(dose, light) of every result for one exercise, oldest first."""
    found = []
    for index, this in enumerate(history):
        following = history[index + 1] if index + 1 < len(history) else None
        result = this.result_for(exercise_id)
        if result is not None:
            found.append((result.dose, light(result, this, following)))
    return found


def march_prerequisite_met(history: Sequence[SessionRecord]) -> bool:
    """The pelvic tilt's last two results were green and at its target."""
    target = CATALOGUE.get(PELVIC_TILT).target.load_seconds
    last_two = lights(history, PELVIC_TILT)[-2:]
    return len(last_two) == 2 and all(
        colour == "green" and dose.load_seconds >= target for dose, colour in last_two
    )


def expected_next(
    before: PrescribedExercise, history: Sequence[SessionRecord]
) -> PrescribedExercise:
    """A model of the rules: what the next prescription of one exercise must be."""
    exercise = CATALOGUE.get(before.exercise_id)
    if not before.enabled or before.paused:
        return before
    if before.locked:
        opens = bool(exercise.requires) and march_prerequisite_met(history)
        return replace(before, locked=False) if opens else before
    seen = lights(history, before.exercise_id)
    if not seen or seen[-1][0] != before.dose:
        return before  # nothing done at this dose yet
    rung = exercise.ladder.index(before.dose)
    latest = seen[-1][1]
    if latest == "red":
        lower = exercise.ladder[max(rung - 1, 0)]
        two_reds = len(seen) >= 2 and seen[-2][1] == "red"
        return replace(before, dose=lower, paused=two_reds)
    two_greens = seen[-2:] == [(before.dose, "green")] * 2
    if two_greens and rung + 1 < len(exercise.ladder):
        return replace(before, dose=exercise.ladder[rung + 1])
    return before


# --- strategies ---------------------------------------------------------------------------


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
def prescriptions(draw: st.DrawFn) -> Prescription:
    """Every exercise on a random rung of its ladder, with random flags.

    The pelvic tilt is often at its target already, so that the march gets unlocked."""
    items = []
    for exercise in CATALOGUE.exercises:
        rungs = exercise.ladder
        if exercise.id == PELVIC_TILT:
            rungs += (exercise.target,) * len(rungs)
        items.append(
            PrescribedExercise(
                exercise.id,
                draw(st.sampled_from(rungs)),
                enabled=draw(weighted(True, False, 5)),
                # locked: waiting for a prerequisite, or (now and then) for the therapist
                locked=draw(weighted(bool(exercise.requires), not exercise.requires, 3)),
                paused=draw(weighted(False, True, 5)),
            )
        )
    return Prescription(tuple(items))


def draw_session(data: st.DataObject, current: Prescription, smooth: bool) -> SessionRecord:
    """One session at the doses `current` prescribes; pain values 0-10 or not given."""
    odds = 20 if smooth else 5
    results = []
    for entry in current.active():
        if not data.draw(weighted(True, False, odds), label="done"):
            continue
        results.append(
            ExerciseResult(
                entry.exercise_id,
                entry.dose,
                completed=data.draw(weighted(True, False, odds), label="completed"),
                worse=data.draw(weighted(False, True, odds), label="worse"),
                stop_reason=data.draw(
                    st.sampled_from([None] * odds * 2 + list(StopReason)), label="stop_reason"
                ),
            )
        )
    return SessionRecord(
        tuple(results),
        leg_pain_before=data.draw(pain(smooth), label="before"),
        leg_pain_after=data.draw(pain(smooth), label="after"),
    )


# --- the invariants -----------------------------------------------------------------------


def check_decisions(
    old: Prescription, history: Sequence[SessionRecord], result: Progression
) -> None:
    new = result.prescription
    assert [d.exercise_id for d in result.decisions] == [e.exercise_id for e in old.exercises]
    assert [e.exercise_id for e in new.exercises] == [e.exercise_id for e in old.exercises]
    for before, after, decision in zip(old.exercises, new.exercises, result.decisions, strict=True):
        exercise = CATALOGUE.get(before.exercise_id)
        event(f"{before.exercise_id}: {decision.action.value}")
        # every decision carries a plain reason, with every placeholder filled in
        assert decision.reason.strip()
        assert "{" not in decision.reason
        # the kept code and values say the same words again
        values = dict(decision.reason_values)
        again = explain(decision.reason_code, decision.old_dose, decision.new_dose, values)
        assert again == decision.reason
        assert decision.old_dose == before.dose
        assert decision.new_dose == after.dose
        assert after.enabled == before.enabled
        changed = (after.dose, after.locked, after.paused) != (
            before.dose,
            before.locked,
            before.paused,
        )
        assert changed == (decision.action is not Action.HOLD)
        assert decision.changed == changed
        if not before.active and not (before.locked and before.enabled and not before.paused):
            assert not changed  # disabled or paused: nothing moves

        assert after == expected_next(before, history)

        # every dose stays on its ladder, between start and target
        assert after.dose in exercise.ladder
        assert exercise.start.load_seconds <= after.dose.load_seconds
        assert after.dose.load_seconds <= exercise.target.load_seconds

        seen = lights(history, before.exercise_id)
        old_load, new_load = before.dose.load_seconds, after.dose.load_seconds
        rung = exercise.ladder.index(before.dose)
        if seen and seen[-1][1] == "red":
            assert new_load <= old_load  # never more after a red
        if new_load > old_load:
            assert decision.action is Action.UP
            assert before.active
            assert seen[-2:] == [(before.dose, "green")] * 2
            assert after.dose == exercise.ladder[rung + 1]
        if new_load < old_load:
            assert decision.action in (Action.DOWN, Action.PAUSE)
            assert seen[-1] == (before.dose, "red")
            assert after.dose == exercise.ladder[rung - 1]
        if after.paused and not before.paused:
            assert decision.action is Action.PAUSE
            assert [colour for _, colour in seen[-2:]] == ["red", "red"]
            assert seen[-1][0] == before.dose
        if before.locked != after.locked:
            assert before.locked
            assert not after.locked
            assert decision.action is Action.UNLOCK

    old_march, new_march = old.get(MARCH), new.get(MARCH)
    if old_march.locked and not new_march.locked:
        assert march_prerequisite_met(history)
    if old_march.locked and old_march.enabled and not old_march.paused:
        assert new_march.locked != march_prerequisite_met(history)


@SETTINGS
@given(start=prescriptions(), data=st.data())
def test_random_histories_keep_every_rule(start: Prescription, data: st.DataObject) -> None:
    current = start
    history: list[SessionRecord] = []
    smooth = data.draw(st.booleans(), label="smooth")
    for _ in range(data.draw(st.integers(0, MAX_SESSIONS), label="sessions")):
        history.append(draw_session(data, current, smooth))
        result = progress(current, history)
        check_decisions(current, history, result)
        # a reason kept in English can be read later in Spanish, word for word as if made so
        spanish = progress(current, history, "es").decisions
        for decision, in_spanish in zip(result.decisions, spanish, strict=True):
            values = dict(decision.reason_values)
            old, new = decision.old_dose, decision.new_dose
            assert explain(decision.reason_code, old, new, values, "es") == in_spanish.reason
        # idempotent: the same history again changes nothing more
        assert progress(result.prescription, history).prescription == result.prescription
        current = result.prescription


@SETTINGS
@given(data=st.data())
def test_a_march_unlock_needs_its_prerequisite_at_that_moment(data: st.DataObject) -> None:
    """Pelvic tilt near its target, march locked: the march opens exactly when allowed."""
    pelvic_tilt = CATALOGUE.get(PELVIC_TILT)
    current = Prescription(
        (
            PrescribedExercise(PELVIC_TILT, data.draw(st.sampled_from(pelvic_tilt.ladder[-2:]))),
            PrescribedExercise(MARCH, CATALOGUE.get(MARCH).start, locked=True),
        )
    )
    history: list[SessionRecord] = []
    smooth = data.draw(st.booleans(), label="smooth")
    for _ in range(data.draw(st.integers(1, 8), label="sessions")):
        history.append(draw_session(data, current, smooth))
        result = progress(current, history)
        was_locked = current.get(MARCH).locked
        now_locked = result.prescription.get(MARCH).locked
        if was_locked:
            assert now_locked != march_prerequisite_met(history)
            event("unlocked" if not now_locked else "still locked")
        current = result.prescription


# --- random plans -------------------------------------------------------------------------


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
