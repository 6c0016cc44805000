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
    flat,
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
    assert decision.reason_code == "reason_locked_back_flat"
    assert "pelvic tilt" in decision.reason
    assert "keep your low back flat" in decision.reason
    assert march_item.locked


def test_march_stays_locked_after_one_green_at_target() -> None:
    decision, march_item = march_decision([session(flat(PELVIC_TILT, PT_TARGET))])
    assert decision.reason_code == "reason_locked_back_flat"
    assert march_item.locked


def test_march_unlocks_after_two_greens_at_target_with_the_back_kept_flat() -> None:
    history = [session(flat(PELVIC_TILT, PT_TARGET)), session(flat(PELVIC_TILT, PT_TARGET))]
    decision, march_item = march_decision(history)
    assert decision.action is Action.UNLOCK
    assert decision.reason_code == "reason_unlock_back_flat"
    assert "kept your low back flat" in decision.reason
    assert "pelvic tilt" in decision.reason
    assert decision.changed
    assert not march_item.locked
    assert march_item.dose == march(1)


def test_greens_below_target_do_not_unlock() -> None:
    below = held(10, 9)
    history = [session(flat(PELVIC_TILT, below)), session(flat(PELVIC_TILT, below))]
    outcome = progress(start_with_pelvic_tilt_at(below), history)
    assert outcome.decision_for(PELVIC_TILT).action is Action.UP
    assert outcome.prescription.get(MARCH).locked


def test_one_green_below_and_one_at_target_does_not_unlock() -> None:
    history = [session(flat(PELVIC_TILT, held(10, 9))), session(flat(PELVIC_TILT, PT_TARGET))]
    _, march_item = march_decision(history)
    assert march_item.locked


@pytest.mark.parametrize("trouble", [red, worse, unfinished])
def test_trouble_between_greens_breaks_the_streak(
    trouble: Callable[[str, Dose], ExerciseResult],
) -> None:
    history = [
        session(flat(PELVIC_TILT, PT_TARGET)),
        session(trouble(PELVIC_TILT, PT_TARGET)),
        session(flat(PELVIC_TILT, PT_TARGET)),
    ]
    _, march_item = march_decision(history)
    assert march_item.locked


def test_greens_then_trouble_keeps_it_locked() -> None:
    history = [
        session(flat(PELVIC_TILT, PT_TARGET)),
        session(flat(PELVIC_TILT, PT_TARGET)),
        session(red(PELVIC_TILT, PT_TARGET)),
    ]
    _, march_item = march_decision(history)
    assert march_item.locked


def test_amber_from_pain_rising_breaks_the_streak() -> None:
    history = [
        session(flat(PELVIC_TILT, PT_TARGET), before=2, after=5),
        session(flat(PELVIC_TILT, PT_TARGET), before=2, after=2),
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
    history = [session(flat(PELVIC_TILT, PT_TARGET)), session(flat(PELVIC_TILT, PT_TARGET))]
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


def test_off_ladder_step_up_never_shortens_the_hold() -> None:
    dose = held(25, 3)  # 75 s under load: the next rung by load was 20 s x 4 (80 s)
    history = [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.new_dose == held(25, 4)
    assert "4 times instead of 3" in decision.reason


def test_a_change_of_two_parts_is_described_whole() -> None:
    # The step up to 3-s holds was not played (leg pain was higher at the start), and the
    # 2-s holds it kept hurt: one step down from them takes a rep off, so two parts change.
    stepped = item(CURL_UP, curl(10, 3), step_up_from=curl(10, 2))
    history = [session(before=2), session(red(CURL_UP, curl(10, 2)), before=4)]
    decision = progress(prescription(stepped), history).decision_for(CURL_UP)
    assert decision.new_dose == curl(9, 2)
    assert "from 10 times, hold 3 seconds to 9 times, hold 2 seconds" in decision.reason


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


# --- after a red, no part grows, from any dose (issue 10) ---------------------------------


@pytest.mark.parametrize(
    ("exercise_id", "dose", "expected", "words"),
    [
        (BACK_FLEXION, held(15, 6), held(15, 4), "4 times instead of 6"),  # was 4 x 20 s
        (BACK_FLEXION, held(30, 3), held(30, 2), "2 times instead of 3"),  # was 4 x 20 s
        (CURL_UP, Dose(reps=6, hold_seconds=5), curl(6, 2), "from 5 to 2 seconds"),  # 10 x 2 s
        (MARCH, Dose(sets=2, work_seconds=20, set_break_seconds=30), None, "1 set instead of 2"),
    ],
)
def test_a_red_off_the_ladder_grows_no_part(
    exercise_id: str, dose: Dose, expected: Dose | None, words: str
) -> None:
    decision = progress(only(exercise_id, dose), [session(red(exercise_id, dose))]).decision_for(
        exercise_id
    )
    assert decision.action is Action.DOWN
    assert decision.new_dose.smaller_than(dose)
    if expected is not None:
        assert decision.new_dose == expected
    assert words in decision.reason


def test_a_step_up_from_the_trial_dose_adds_a_rep_and_keeps_the_hold() -> None:
    dose = held(30, 3)
    history = [session(green(BACK_FLEXION, dose)), session(green(BACK_FLEXION, dose))]
    decision = progress(only(BACK_FLEXION, dose), history).decision_for(BACK_FLEXION)
    assert decision.new_dose == held(30, 4)  # was 4 x 25 s
    assert "4 times instead of 3" in decision.reason


# --- the version a session was done under (a lifted pause stays lifted) -------------------


def paused_at_the_start() -> tuple[Prescription, list[SessionRecord]]:
    """Two reds at the pelvic tilt's start under version 1: paused in version 2."""
    start = replace(only(PELVIC_TILT, held(10, 8)), version=1)
    hurt = [
        session(red(PELVIC_TILT, held(10, 8)), day=0, version=1),
        session(red(PELVIC_TILT, held(10, 8)), day=1, version=1),
    ]
    paused = progress(start, hurt).prescription
    assert paused.get(PELVIC_TILT).paused
    assert paused.get(PELVIC_TILT).dose == held(10, 8)  # the easiest: the dose stays
    return replace(paused, version=2), hurt


def test_a_lifted_pause_is_not_undone_by_the_session_before_the_lift() -> None:
    paused, hurt = paused_at_the_start()
    lifted = replace(paused.with_item(replace(paused.get(PELVIC_TILT), paused=False)), version=3)
    outcome = progress(lifted, hurt)  # the engine runs again: a late upload of another session
    assert not outcome.prescription.get(PELVIC_TILT).paused
    assert outcome.prescription == lifted
    assert not outcome.changed
    decision = outcome.decision_for(PELVIC_TILT)
    assert decision.reason_code == "reason_plan_changed"
    # a late session from before the lift, landing among the others, changes nothing either
    late = session(green(PELVIC_TILT, held(10, 8)), day=1, version=1)
    assert progress(lifted, [hurt[0], late, hurt[1]]).prescription == lifted


def test_a_red_after_the_lift_pauses_again() -> None:
    paused, hurt = paused_at_the_start()
    lifted = replace(paused.with_item(replace(paused.get(PELVIC_TILT), paused=False)), version=3)
    fine = [*hurt, session(green(PELVIC_TILT, held(10, 8)), day=2, version=3)]
    assert not progress(lifted, fine).prescription.get(PELVIC_TILT).paused
    again = [*hurt, session(red(PELVIC_TILT, held(10, 8)), day=2, version=3)]
    outcome = progress(lifted, again)
    assert outcome.prescription.get(PELVIC_TILT).paused
    assert outcome.decision_for(PELVIC_TILT).action is Action.PAUSE


def test_without_versions_the_dose_decides_as_before() -> None:
    hurt = [session(red(PELVIC_TILT, held(10, 8))), session(red(PELVIC_TILT, held(10, 8)))]
    lifted = only(PELVIC_TILT, held(10, 8))  # no version known
    assert progress(lifted, hurt).prescription.get(PELVIC_TILT).paused


def test_a_session_under_an_older_version_changes_nothing() -> None:
    dose = held(10, 4)
    history = [
        session(green(BACK_FLEXION, dose), day=0, version=4),
        session(green(BACK_FLEXION, dose), day=1, version=4),
    ]
    start = replace(prescription(item(BACK_FLEXION, dose), item(PELVIC_TILT, PT_TARGET)), version=4)
    assert progress(start, history).decision_for(BACK_FLEXION).action is Action.UP
    # version 5 was made since (by the engine, or a therapist): the same history again
    newer = replace(start, version=5)
    outcome = progress(newer, history)
    assert outcome.prescription == newer
    assert {d.reason_code for d in outcome.decisions} == {"reason_plan_changed"}


def test_the_march_does_not_open_on_a_session_under_an_older_version() -> None:
    history = [
        session(flat(PELVIC_TILT, PT_TARGET), day=0, version=1),
        session(flat(PELVIC_TILT, PT_TARGET), day=1, version=1),
    ]
    start = replace(start_with_pelvic_tilt_at(), version=1)
    assert not progress(start, history).prescription.get(MARCH).locked
    later = replace(start, version=2)
    outcome = progress(later, history)
    assert outcome.prescription.get(MARCH).locked
    assert outcome.decision_for(MARCH).reason_code == "reason_locked_back_flat"


# --- one step up a session, and steps up count days ---------------------------------------


def two_good_days(*exercise_ids: str) -> list[SessionRecord]:
    """Each exercise green at 10 s x 4 on two days in a row."""
    return [session(*(green(e, held(10, 4)) for e in exercise_ids), day=day) for day in (0, 1)]


def test_only_one_exercise_steps_up_in_a_session() -> None:
    both = prescription(item(BACK_FLEXION, held(10, 4)), item(CHILDS_POSE, held(10, 4)))
    outcome = progress(both, two_good_days(BACK_FLEXION, CHILDS_POSE))
    actions = {d.exercise_id: d.action for d in outcome.decisions}
    # a tie in waiting: the first in the catalogue goes first
    assert actions == {BACK_FLEXION: Action.UP, CHILDS_POSE: Action.HOLD}
    waiting = outcome.decision_for(CHILDS_POSE)
    assert waiting.reason_code == "reason_wait_turn"
    assert "one exercise at a time" in waiting.reason
    assert outcome.prescription.get(CHILDS_POSE) == both.get(CHILDS_POSE)


def test_the_exercise_that_waited_longest_steps_up_first() -> None:
    both = prescription(item(BACK_FLEXION, held(10, 4)), item(CHILDS_POSE, held(10, 4)))
    history = [
        session(green(CHILDS_POSE, held(10, 4)), day=0),  # child's pose has waited longer
        session(green(BACK_FLEXION, held(10, 4)), green(CHILDS_POSE, held(10, 4)), day=1),
        session(green(BACK_FLEXION, held(10, 4)), green(CHILDS_POSE, held(10, 4)), day=2),
    ]
    outcome = progress(both, history)
    assert outcome.decision_for(CHILDS_POSE).action is Action.UP
    assert outcome.decision_for(BACK_FLEXION).reason_code == "reason_wait_turn"


def test_the_one_that_waited_goes_up_next_time() -> None:
    both = prescription(item(BACK_FLEXION, held(10, 4)), item(CHILDS_POSE, held(10, 4)))
    history = two_good_days(BACK_FLEXION, CHILDS_POSE)
    first = progress(both, history).prescription
    # the next day: the new knees-to-chest dose and the waiting child's pose both go well
    history.append(
        session(green(BACK_FLEXION, held(15, 4)), green(CHILDS_POSE, held(10, 4)), day=2)
    )
    outcome = progress(first, history)
    assert outcome.decision_for(CHILDS_POSE).action is Action.UP
    assert outcome.decision_for(BACK_FLEXION).reason_code == "reason_one_more_green"


def test_running_again_does_not_step_up_the_one_that_waited() -> None:
    both = prescription(item(BACK_FLEXION, held(10, 4)), item(CHILDS_POSE, held(10, 4)))
    history = two_good_days(BACK_FLEXION, CHILDS_POSE)
    once = progress(both, history)
    twice = progress(once.prescription, history)  # no versions: the doses tell
    assert twice.prescription == once.prescription
    assert not twice.changed
    assert twice.decision_for(CHILDS_POSE).reason_code == "reason_wait_turn"


def test_two_greens_on_the_same_day_do_not_step_up() -> None:
    dose = held(10, 4)
    same_day = [
        session(green(BACK_FLEXION, dose), day=3),
        session(green(BACK_FLEXION, dose), day=3),
    ]
    decision = progress(only(BACK_FLEXION, dose), same_day).decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_next_day"
    assert "another day" in decision.reason
    next_day = [*same_day, session(green(BACK_FLEXION, dose), day=4)]
    assert progress(only(BACK_FLEXION, dose), next_day).decision_for(BACK_FLEXION).action is (
        Action.UP
    )


# --- a step up not yet played (step_up_from) ----------------------------------------------


def stepped_up() -> tuple[Prescription, list[SessionRecord]]:
    """Knees to chest stepped up from 10 s to 15 s holds; its new dose not played yet."""
    dose = held(10, 4)
    history = [
        session(green(BACK_FLEXION, dose), before=3, day=0),
        session(green(BACK_FLEXION, dose), before=3, day=1),
    ]
    outcome = progress(only(BACK_FLEXION, dose), history)
    return outcome.prescription, history


def test_a_step_up_keeps_the_dose_before_it() -> None:
    after, _ = stepped_up()
    assert after.get(BACK_FLEXION).dose == held(15, 4)
    assert after.get(BACK_FLEXION).step_up_from == held(10, 4)


def test_playing_the_new_dose_once_clears_the_dose_before() -> None:
    after, history = stepped_up()
    history.append(session(green(BACK_FLEXION, held(15, 4)), before=3, day=2))
    outcome = progress(after, history)
    assert outcome.decision_for(BACK_FLEXION).action is Action.HOLD
    assert outcome.prescription.get(BACK_FLEXION) == item(BACK_FLEXION, held(15, 4))
    assert outcome.changed  # kept as a new version, so the player stops offering 10 s


@pytest.mark.parametrize("result", [green, unfinished])
def test_the_earlier_dose_played_for_higher_pain_keeps_the_step_up_waiting(
    result: Callable[[str, Dose], ExerciseResult],
) -> None:
    after, history = stepped_up()
    history.append(session(result(BACK_FLEXION, held(10, 4)), before=5, day=2))
    outcome = progress(after, history)
    decision = outcome.decision_for(BACK_FLEXION)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_step_up_waits"
    assert "higher at the start" in decision.reason
    assert outcome.prescription == after
    assert not outcome.changed


def test_the_earlier_dose_hurting_steps_down_from_it() -> None:
    dose = held(20, 4)
    start = only(BACK_FLEXION, held(25, 4), step_up_from=dose)
    history = [session(before=2), session(red(BACK_FLEXION, dose), before=4)]
    outcome = progress(start, history)
    decision = outcome.decision_for(BACK_FLEXION)
    assert decision.action is Action.DOWN
    assert outcome.prescription.get(BACK_FLEXION) == item(BACK_FLEXION, held(15, 4))
    assert "from 25 to 15 seconds" in decision.reason


def test_the_earlier_dose_hurting_at_the_start_stays_at_the_start() -> None:
    start = only(BACK_FLEXION, held(15, 4), step_up_from=held(10, 4))
    history = [session(before=2), session(red(BACK_FLEXION, held(10, 4)), before=4)]
    outcome = progress(start, history)
    assert outcome.decision_for(BACK_FLEXION).action is Action.DOWN
    assert outcome.prescription.get(BACK_FLEXION) == item(BACK_FLEXION, held(10, 4))


def test_no_other_step_up_in_a_session_that_played_an_earlier_dose() -> None:
    waiting = item(BACK_FLEXION, held(15, 4), step_up_from=held(10, 4))
    start = prescription(waiting, item(CHILDS_POSE, held(10, 4)))
    history = [
        session(green(CHILDS_POSE, held(10, 4)), before=2, day=0),
        session(green(BACK_FLEXION, held(10, 4)), green(CHILDS_POSE, held(10, 4)), day=1),
    ]
    decision = progress(start, history).decision_for(CHILDS_POSE)
    assert decision.action is Action.HOLD
    assert decision.reason_code == "reason_wait_turn"


# --- the march needs the low back kept flat -----------------------------------------------


@pytest.mark.parametrize(
    "answers", [(None, None), (True, None), (None, True), (True, False), (False, True)]
)
def test_the_march_stays_locked_without_two_yes_to_the_back_flat_check(
    answers: tuple[bool | None, bool | None],
) -> None:
    history = [session(green(PELVIC_TILT, PT_TARGET, kept_back_flat=flat)) for flat in answers]
    decision, march_item = march_decision(history)
    assert march_item.locked
    assert decision.reason_code == "reason_locked_back_flat"


def test_a_no_before_two_yes_still_opens_the_march() -> None:
    history = [
        session(green(PELVIC_TILT, PT_TARGET, kept_back_flat=False)),
        session(flat(PELVIC_TILT, PT_TARGET)),
        session(flat(PELVIC_TILT, PT_TARGET)),
    ]
    _, march_item = march_decision(history)
    assert not march_item.locked


def test_a_march_the_therapist_opened_stays_open() -> None:
    start = starting_prescription().with_item(item(MARCH, march(1)))
    outcome = progress(start, [session(green(PELVIC_TILT, held(10, 8)))])
    assert not outcome.prescription.get(MARCH).locked


def test_one_rep_is_said_as_once() -> None:
    dose = held(10, 2)
    decision = progress(only(PELVIC_TILT, dose), [session(red(PELVIC_TILT, dose))]).decision_for(
        PELVIC_TILT
    )
    assert decision.new_dose == held(10, 1)
    assert "you do it once instead of 2 times" in decision.reason
