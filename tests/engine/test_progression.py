"""progress(): one test per rule of the session traffic light (programme-facts.md part B)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from stenosis_coach.programme import (
    Action,
    Dose,
    ExerciseResult,
    PrescribedExercise,
    Prescription,
    PrescriptionError,
    ProgressionDecision,
    SessionRecord,
    StopReason,
    progress,
    starting_prescription,
)

from .helpers import (
    BACK_FLEXION,
    CHILDS_POSE,
    CURL_UP,
    MARCH,
    PELVIC_TILT,
    curl,
    green,
    held,
    item,
    march,
    only,
    prescription,
    red,
    session,
    unfinished,
    worse,
)

PT_TARGET = held(10, 10)


def start_with_pelvic_tilt_at(dose: Dose = PT_TARGET) -> Prescription:
    """The starting prescription (march locked) with the pelvic tilt at `dose`."""
    return starting_prescription().with_item(item(PELVIC_TILT, dose))


# --- red ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "result",
    [
        red(BACK_FLEXION, held(15, 4)),
        worse(BACK_FLEXION, held(15, 4)),
        ExerciseResult(
            BACK_FLEXION, held(15, 4), completed=False, stop_reason=StopReason.BACK_PAIN
        ),
        ExerciseResult(
            BACK_FLEXION, held(15, 4), completed=False, stop_reason=StopReason.OTHER_PAIN
        ),
        ExerciseResult(BACK_FLEXION, held(15, 4), completed=True, stop_reason=StopReason.LEG_PAIN),
    ],
    ids=[
        "stop-leg-pain",
        "check-in-worse",
        "stop-back-pain",
        "stop-other-pain",
        "completed-but-hurt",
    ],
)
def test_red_steps_one_rung_down_with_a_reason(result: ExerciseResult) -> None:
    outcome = progress(only(BACK_FLEXION, held(15, 4)), [session(result)])
    decision = outcome.decision_for(BACK_FLEXION)
    assert decision.action is Action.DOWN
    assert decision.reason_code == "reason_down"
    assert decision.old_dose == held(15, 4)
    assert decision.new_dose == held(10, 4)
    assert "from 15 to 10 seconds" in decision.reason
    assert outcome.prescription.get(BACK_FLEXION).dose == held(10, 4)
    assert not outcome.prescription.get(BACK_FLEXION).paused


def test_red_on_a_rep_rung_takes_one_rep_off() -> None:
    outcome = progress(only(CHILDS_POSE, held(30, 6)), [session(red(CHILDS_POSE, held(30, 6)))])
    decision = outcome.decision_for(CHILDS_POSE)
    assert decision.new_dose == held(30, 5)
    assert "5 times instead of 6" in decision.reason


def test_red_at_the_start_stays_at_the_start() -> None:
    outcome = progress(only(BACK_FLEXION, held(10, 4)), [session(red(BACK_FLEXION, held(10, 4)))])
    decision = outcome.decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_down_at_start"
    assert decision.new_dose == held(10, 4)
    assert decision.reason
    assert not outcome.prescription.get(BACK_FLEXION).paused


def test_two_reds_in_a_row_pause_and_step_down() -> None:
    first = [session(red(BACK_FLEXION, held(20, 4)))]
    after_first = progress(only(BACK_FLEXION, held(20, 4)), first)
    assert after_first.prescription.get(BACK_FLEXION).dose == held(15, 4)
    second = [*first, session(red(BACK_FLEXION, held(15, 4)))]
    outcome = progress(after_first.prescription, second)
    decision = outcome.decision_for(BACK_FLEXION)
    assert decision.action is Action.PAUSE
    assert decision.reason_code == "reason_pause_easier"
    assert "therapist" in decision.reason
    assert "the hold goes from 15 to 10 seconds" in decision.reason
    paused = outcome.prescription.get(BACK_FLEXION)
    assert paused.paused
    assert paused.dose == held(10, 4)
    assert not paused.active


def test_two_reds_in_a_row_at_the_start_pause() -> None:
    history = [session(red(PELVIC_TILT, held(10, 8))), session(worse(PELVIC_TILT, held(10, 8)))]
    outcome = progress(only(PELVIC_TILT, held(10, 8)), history)
    decision = outcome.decision_for(PELVIC_TILT)
    assert decision.action is Action.PAUSE
    assert decision.reason_code == "reason_pause"
    assert outcome.prescription.get(PELVIC_TILT).paused
    assert outcome.prescription.get(PELVIC_TILT).dose == held(10, 8)


def test_reds_with_a_green_between_do_not_pause() -> None:
    history = [
        session(red(BACK_FLEXION, held(20, 4))),
        session(green(BACK_FLEXION, held(15, 4))),
        session(red(BACK_FLEXION, held(15, 4))),
    ]
    outcome = progress(only(BACK_FLEXION, held(15, 4)), history)
    assert outcome.decision_for(BACK_FLEXION).action is Action.DOWN
    assert not outcome.prescription.get(BACK_FLEXION).paused


def test_reds_on_different_exercises_do_not_pause() -> None:
    start = prescription(item(BACK_FLEXION, held(15, 4)), item(CHILDS_POSE, held(15, 4)))
    history = [session(red(BACK_FLEXION, held(20, 4))), session(red(CHILDS_POSE, held(15, 4)))]
    outcome = progress(start, history)
    assert outcome.decision_for(CHILDS_POSE).action is Action.DOWN
    assert not any(entry.paused for entry in outcome.prescription.exercises)


def test_never_up_after_a_red_even_with_greens_before_it() -> None:
    dose = held(15, 4)
    history = [session(green(BACK_FLEXION, dose)) for _ in range(3)]
    history.append(session(red(BACK_FLEXION, dose)))
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.new_dose.load_seconds < dose.load_seconds


# --- amber --------------------------------------------------------------------------------


def test_amber_not_finished_keeps_the_dose() -> None:
    dose = held(15, 4)
    history = [session(green(BACK_FLEXION, dose)), session(unfinished(BACK_FLEXION, dose))]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_amber_not_finished"
    assert decision.new_dose == dose
    assert decision.reason


def test_amber_not_finished_without_a_reason_given() -> None:
    dose = held(15, 4)
    history = [session(ExerciseResult(BACK_FLEXION, dose, completed=False))]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.reason_code == "reason_amber_not_finished"


@pytest.mark.parametrize(("before", "after"), [(3, 5), (0, 10), (4, 9)])
def test_amber_when_leg_pain_rose_two_or_more(before: int, after: int) -> None:
    dose = held(15, 4)
    history = [
        session(green(BACK_FLEXION, dose), before=2, after=2),
        session(green(BACK_FLEXION, dose), before=before, after=after),
    ]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_amber_pain_rose"
    assert decision.new_dose == dose


@pytest.mark.parametrize(("before", "after"), [(3, 4), (5, 3), (3, 3), (None, 9), (0, None)])
def test_leg_pain_rising_less_than_two_is_not_amber(before: int | None, after: int | None) -> None:
    dose = held(15, 4)
    history = [
        session(green(BACK_FLEXION, dose)),
        session(green(BACK_FLEXION, dose), before=before, after=after),
    ]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.UP


def test_amber_when_the_next_check_in_shows_more_leg_pain() -> None:
    dose = held(15, 4)
    history = [
        session(green(BACK_FLEXION, dose), before=2, after=2),
        session(green(BACK_FLEXION, dose), before=3, after=3),
        # The next session starts with more leg pain, so the one before turns amber and
        # this green is the first of a new run.
        session(green(BACK_FLEXION, dose), before=4, after=4),
    ]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_amber_pain_next_day"
    assert decision.new_dose == dose


def test_more_leg_pain_next_time_turns_an_earlier_green_amber() -> None:
    dose = held(15, 4)
    history = [
        session(green(BACK_FLEXION, dose), before=2),
        session(green(BACK_FLEXION, dose), before=3),  # higher than the day before
    ]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    # The reason says why two greens in a row did not step up.
    assert decision.reason_code == "reason_amber_pain_next_day"


def test_amber_breaks_a_green_streak() -> None:
    dose = held(15, 4)
    history = [
        session(green(BACK_FLEXION, dose)),
        session(unfinished(BACK_FLEXION, dose)),
        session(green(BACK_FLEXION, dose)),
    ]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_one_more_green"


# --- green --------------------------------------------------------------------------------


def test_one_green_holds() -> None:
    dose = held(10, 4)
    decision = progress(
        only(BACK_FLEXION, dose), [session(green(BACK_FLEXION, dose))]
    ).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_one_more_green"
    assert decision.new_dose == dose


def test_two_greens_step_one_rung_up_and_say_what_changed() -> None:
    dose = held(10, 4)
    history = [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))]
    outcome = progress(only(BACK_FLEXION, dose), history)
    decision = outcome.decision_for(BACK_FLEXION)
    assert decision.action is Action.UP
    assert decision.reason_code == "reason_up"
    assert decision.new_dose == held(15, 4)
    assert "from 10 to 15 seconds" in decision.reason
    assert outcome.prescription.get(BACK_FLEXION).dose == held(15, 4)
    assert outcome.changed


def test_two_greens_at_thirty_seconds_add_a_rep() -> None:
    dose = held(30, 4)
    history = [session(green(CHILDS_POSE, dose)), session(green(CHILDS_POSE, dose))]
    decision = progress(only(CHILDS_POSE, dose), history).decision_for(CHILDS_POSE)
    assert decision.new_dose == held(30, 5)
    assert "5 times instead of 4" in decision.reason


def test_pelvic_tilt_adds_a_rep() -> None:
    dose = held(10, 8)
    history = [session(green(PELVIC_TILT, dose)), session(green(PELVIC_TILT, dose))]
    decision = progress(only(PELVIC_TILT, dose), history).decision_for(PELVIC_TILT)
    assert decision.new_dose == held(10, 9)


@pytest.mark.parametrize(
    ("dose", "expected", "words"),
    [
        (curl(5, 2), curl(6, 2), "6 times instead of 5"),
        (curl(10, 2), curl(10, 3), "from 2 to 3 seconds"),
        (curl(10, 4), curl(10, 4, sets=2, last=5), "one more set of 5"),
        (curl(10, 4, sets=2, last=5), curl(10, 4, sets=2, last=6), "from 5 to 6"),
        (curl(10, 4, sets=2, last=9), curl(10, 4, sets=2), "from 9 to 10"),
    ],
)
def test_curl_up_steps_and_their_reasons(dose: Dose, expected: Dose, words: str) -> None:
    history = [session(green(CURL_UP, dose)), session(green(CURL_UP, dose))]
    decision = progress(only(CURL_UP, dose), history).decision_for(CURL_UP)
    assert decision.action is Action.UP
    assert decision.new_dose == expected
    assert words in decision.reason


def test_greens_at_an_earlier_dose_do_not_count() -> None:
    history = [session(green(BACK_FLEXION, held(10, 4))), session(green(BACK_FLEXION, held(15, 4)))]
    decision = progress(only(BACK_FLEXION, held(15, 4)), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_one_more_green"


def test_at_target_holds() -> None:
    dose = held(30, 6)
    history = [session(green(BACK_FLEXION, dose)) for _ in range(3)]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_at_target"
    assert decision.new_dose == dose
    assert not decision.changed


def test_sessions_without_the_exercise_do_not_break_a_streak() -> None:
    dose = held(10, 4)
    history = [
        session(green(BACK_FLEXION, dose)),
        session(green(CHILDS_POSE, dose)),
        session(green(BACK_FLEXION, dose)),
    ]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.UP


# --- no result at this dose ---------------------------------------------------------------


def test_no_history_holds() -> None:
    outcome = progress(starting_prescription(), [])
    assert outcome.prescription == starting_prescription()
    assert not outcome.changed
    assert outcome.decision_for(BACK_FLEXION).reason_code == "reason_no_result"


def test_result_at_another_dose_holds() -> None:
    history = [session(green(BACK_FLEXION, held(10, 4))), session(green(BACK_FLEXION, held(10, 4)))]
    decision = progress(only(BACK_FLEXION, held(20, 4)), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_no_result"
    assert decision.new_dose == held(20, 4)


def test_red_at_another_dose_holds() -> None:
    history = [session(red(BACK_FLEXION, held(25, 4)))]
    decision = progress(only(BACK_FLEXION, held(20, 4)), history).decision_for(BACK_FLEXION)
    assert decision.reason_code == "reason_no_result"
    assert decision.new_dose == held(20, 4)


# --- the march and its prerequisite -------------------------------------------------------


def march_decision(history: list[SessionRecord]) -> tuple[ProgressionDecision, PrescribedExercise]:
    outcome = progress(start_with_pelvic_tilt_at(), history)
    return outcome.decision_for(MARCH), outcome.prescription.get(MARCH)


def test_march_starts_locked() -> None:
    assert starting_prescription().get(MARCH).locked
    decision, march_item = march_decision([])
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_locked"
    assert "pelvic tilt" in decision.reason
    assert march_item.locked


def test_march_stays_locked_after_one_green_at_target() -> None:
    decision, march_item = march_decision([session(green(PELVIC_TILT, PT_TARGET))])
    assert decision.reason_code == "reason_locked"
    assert march_item.locked


def test_march_unlocks_after_two_greens_at_target() -> None:
    history = [session(green(PELVIC_TILT, PT_TARGET)), session(green(PELVIC_TILT, PT_TARGET))]
    decision, march_item = march_decision(history)
    assert decision.action is Action.UNLOCK
    assert decision.reason_code == "reason_unlock"
    assert "pelvic tilt" in decision.reason
    assert decision.changed
    assert not march_item.locked
    assert march_item.dose == march(1)


def test_greens_below_target_do_not_unlock() -> None:
    below = held(10, 9)
    history = [session(green(PELVIC_TILT, below)), session(green(PELVIC_TILT, below))]
    outcome = progress(start_with_pelvic_tilt_at(below), history)
    assert outcome.decision_for(PELVIC_TILT).action is Action.UP
    assert outcome.prescription.get(MARCH).locked


def test_one_green_below_and_one_at_target_does_not_unlock() -> None:
    history = [session(green(PELVIC_TILT, held(10, 9))), session(green(PELVIC_TILT, PT_TARGET))]
    _, march_item = march_decision(history)
    assert march_item.locked


@pytest.mark.parametrize("trouble", [red, worse, unfinished])
def test_trouble_between_greens_breaks_the_streak(
    trouble: Callable[[str, Dose], ExerciseResult],
) -> None:
    history = [
        session(green(PELVIC_TILT, PT_TARGET)),
        session(trouble(PELVIC_TILT, PT_TARGET)),
        session(green(PELVIC_TILT, PT_TARGET)),
    ]
    _, march_item = march_decision(history)
    assert march_item.locked


def test_greens_then_trouble_keeps_it_locked() -> None:
    history = [
        session(green(PELVIC_TILT, PT_TARGET)),
        session(green(PELVIC_TILT, PT_TARGET)),
        session(red(PELVIC_TILT, PT_TARGET)),
    ]
    _, march_item = march_decision(history)
    assert march_item.locked


def test_amber_from_pain_rising_breaks_the_streak() -> None:
    history = [
        session(green(PELVIC_TILT, PT_TARGET), before=2, after=5),
        session(green(PELVIC_TILT, PT_TARGET), before=2, after=2),
    ]
    _, march_item = march_decision(history)
    assert march_item.locked


def test_therapist_unlocked_march_progresses_normally() -> None:
    start = starting_prescription().with_item(item(MARCH, march(1)))
    history = [session(green(MARCH, march(1))), session(green(MARCH, march(1)))]
    outcome = progress(start, history)
    decision = outcome.decision_for(MARCH)
    assert decision.action is Action.UP
    assert decision.new_dose == march(2)
    assert "2 sets instead of 1" in decision.reason
    assert not outcome.prescription.get(MARCH).locked


def test_therapist_unlocked_march_steps_down_after_red() -> None:
    start = only(MARCH, march(3))
    decision = progress(start, [session(red(MARCH, march(3)))]).decision_for(MARCH)
    assert decision.action is Action.DOWN
    assert decision.new_dose == march(2)


def test_locked_exercise_without_a_prerequisite_stays_locked() -> None:
    dose = held(10, 4)
    start = only(BACK_FLEXION, dose, locked=True)
    history = [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))]
    outcome = progress(start, history)
    decision = outcome.decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason
    assert outcome.prescription.get(BACK_FLEXION).locked


# --- disabled and paused ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "code"), [({"enabled": False}, "reason_off"), ({"paused": True}, "reason_paused")]
)
def test_disabled_and_paused_exercises_hold(flags: dict[str, bool], code: str) -> None:
    dose = held(10, 4)
    start = only(BACK_FLEXION, dose, **flags)
    for history in (
        [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))],
        [session(red(BACK_FLEXION, held(15, 4))), session(red(BACK_FLEXION, dose))],
    ):
        outcome = progress(start, history)
        decision = outcome.decision_for(BACK_FLEXION)
        assert decision.action is Action.HOLD
        assert decision.reason_code == code
        assert decision.reason
        assert outcome.prescription == start


def test_disabled_locked_march_stays_locked() -> None:
    start = start_with_pelvic_tilt_at().with_item(item(MARCH, march(1), locked=True, enabled=False))
    history = [session(green(PELVIC_TILT, PT_TARGET)), session(green(PELVIC_TILT, PT_TARGET))]
    assert progress(start, history).prescription.get(MARCH).locked


# --- doses off the ladder (set by a therapist) --------------------------------------------


def test_off_ladder_hold_steps_up_to_the_next_rung() -> None:
    dose = held(12, 4)
    history = [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.action is Action.UP
    assert decision.new_dose == held(15, 4)
    assert "from 12 to 15 seconds" in decision.reason


def test_off_ladder_hold_steps_down_to_the_rung_below() -> None:
    dose = held(12, 4)
    decision = progress(only(BACK_FLEXION, dose), [session(red(BACK_FLEXION, dose))]).decision_for(
        BACK_FLEXION
    )
    assert decision.action is Action.DOWN
    assert decision.new_dose == held(10, 4)


def test_off_ladder_dose_changing_two_things_is_described_whole() -> None:
    dose = held(25, 3)  # 75 s under load: the next rung by load is 20 s x 4 (80 s)
    history = [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.new_dose == held(20, 4)
    assert "from 3 times, hold 25 seconds to 4 times, hold 20 seconds" in decision.reason


def test_dose_above_target_holds_and_steps_down_to_target_after_red() -> None:
    dose = held(30, 8)
    greens = [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))]
    assert progress(only(BACK_FLEXION, dose), greens).decision_for(BACK_FLEXION).reason_code == (
        "reason_at_target"
    )
    down = progress(only(BACK_FLEXION, dose), [session(red(BACK_FLEXION, dose))])
    assert down.decision_for(BACK_FLEXION).new_dose == held(30, 6)


# --- the whole prescription ---------------------------------------------------------------


def test_one_decision_per_exercise_in_prescription_order() -> None:
    start = starting_prescription()
    outcome = progress(start, [])
    assert [d.exercise_id for d in outcome.decisions] == [e.exercise_id for e in start.exercises]
    assert all(d.reason for d in outcome.decisions)


def test_unknown_exercise_raises() -> None:
    with pytest.raises(PrescriptionError):
        progress(only("walking", held(10, 4)), [])


def test_reasons_fall_back_to_english() -> None:
    dose = held(10, 4)
    history = [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))]
    english = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    french = progress(only(BACK_FLEXION, dose), history, "fr-CA").decision_for(BACK_FLEXION)
    assert french.reason == english.reason


def test_progress_again_with_the_same_history_changes_nothing() -> None:
    dose = held(10, 4)
    history = [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))]
    once = progress(only(BACK_FLEXION, dose), history)
    twice = progress(once.prescription, history)
    assert twice.prescription == once.prescription
    assert twice.decision_for(BACK_FLEXION).reason_code == "reason_no_result"


def test_lifting_a_pause_is_not_undone_by_a_session_without_that_exercise() -> None:
    hurt = [session(red(PELVIC_TILT, held(10, 8))), session(red(PELVIC_TILT, held(10, 8)))]
    paused = progress(only(PELVIC_TILT, held(10, 8)), hurt).prescription
    assert paused.get(PELVIC_TILT).paused
    # The therapist lifts the pause; the next session does not include the pelvic tilt.
    lifted = paused.with_item(replace(paused.get(PELVIC_TILT), paused=False))
    later = [*hurt, session()]
    outcome = progress(lifted, later)
    assert not outcome.prescription.get(PELVIC_TILT).paused
    assert outcome.decision_for(PELVIC_TILT).reason_code == "reason_no_result"
