"""build_plan: the timeline the session player follows."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from stenosis_coach.programme import (
    Dose,
    PrescriptionError,
    SessionPlan,
    Step,
    StepKind,
    build_plan,
    starting_prescription,
)
from stenosis_coach.programme.catalogue import Position, parse_catalogue, read_data

from .helpers import (
    ALL_IDS,
    BACK_FLEXION,
    CHILDS_POSE,
    CURL_UP,
    MARCH,
    PELVIC_TILT,
    STRETCHES,
    curl,
    held,
    item,
    march,
    only,
    prescription,
)

P, M, H, R, REST, BREAK, MARCH_STEP, CHECK = (
    StepKind.POSITION,
    StepKind.MOVE,
    StepKind.HOLD,
    StepKind.RELEASE,
    StepKind.REST,
    StepKind.SET_BREAK,
    StepKind.MARCH,
    StepKind.CHECK_IN,
)


def kinds(steps: Sequence[Step]) -> list[StepKind]:
    return [step.kind for step in steps]


def steps_of(plan: SessionPlan, exercise_id: str) -> list[Step]:
    return [step for step in plan.steps if step.exercise_id == exercise_id]


def test_held_exercise_one_set() -> None:
    plan = build_plan(only(BACK_FLEXION, held(10, 4)))
    assert kinds(plan.steps) == [P, *[M, H, R, REST] * 3, M, H, R, CHECK]
    assert [step.rep for step in plan.steps] == [
        None,
        *[rep for rep in (1, 2, 3) for _ in range(4)],
        4,
        4,
        4,
        None,
    ]
    assert {step.reps for step in plan.steps} == {4}
    assert {(step.set, step.sets) for step in plan.steps} == {(1, 1)}


def test_held_exercise_two_sets_with_a_shorter_last_set() -> None:
    plan = build_plan(only(CURL_UP, curl(3, 2, sets=2, last=2)))
    assert kinds(plan.steps) == [
        P,
        *[M, H, R, REST] * 2,
        M,
        H,
        R,
        BREAK,
        M,
        H,
        R,
        REST,
        M,
        H,
        R,
        CHECK,
    ]
    holds = [step for step in plan.steps if step.kind is H]
    assert [(step.set, step.rep, step.reps) for step in holds] == [
        (1, 1, 3),
        (1, 2, 3),
        (1, 3, 3),
        (2, 1, 2),
        (2, 2, 2),
    ]
    (set_break,) = [step for step in plan.steps if step.kind is BREAK]
    assert set_break.duration_ms == 30_000
    assert set_break.set == 1
    assert {step.sets for step in plan.steps} == {2}
    assert plan.steps[-1].set == 2


def test_timings_of_a_held_exercise() -> None:
    plan = build_plan(only(BACK_FLEXION, held(15, 4)))
    durations = {
        kind: {s.duration_ms for s in plan.steps if s.kind is kind} for kind in (P, M, H, R, REST)
    }
    assert durations[H] == {15_000}
    # Getting onto the floor waits for the patient: no time limit.
    assert durations[P] == {0}
    # slow movement into and out of each position: about 3-5 s
    assert all(3_000 <= ms <= 5_000 for ms in durations[M] | durations[R])
    assert all(ms > 0 for ms in durations[REST])


def test_march_alternates_feet_and_fills_each_set() -> None:
    plan = build_plan(only(MARCH, march(2)))
    assert kinds(plan.steps) == [
        P,
        M,
        *[MARCH_STEP] * 10,
        R,
        BREAK,
        M,
        *[MARCH_STEP] * 10,
        R,
        CHECK,
    ]
    for set_number in (1, 2):
        marching = [s for s in plan.steps if s.kind is MARCH_STEP and s.set == set_number]
        assert [s.side for s in marching] == ["left", "right"] * 5
        assert sum(s.duration_ms for s in marching) == 30_000
    assert [s.duration_ms for s in plan.steps if s.kind is BREAK] == [30_000]
    assert all(s.rep is None and s.reps is None for s in plan.steps)
    lefts = [s for s in plan.steps if s.side == "left"]
    rights = [s for s in plan.steps if s.side == "right"]
    assert all("left" in s.cue.lower() for s in lefts)
    assert all("right" in s.cue.lower() for s in rights)


def test_march_work_that_does_not_divide_into_steps_still_adds_up() -> None:
    plan = build_plan(only(MARCH, Dose(work_seconds=10)))
    marching = [s for s in plan.steps if s.kind is MARCH_STEP]
    assert [s.side for s in marching] == ["left", "right", "left", "right"]
    assert sum(s.duration_ms for s in marching) == 10_000
    assert all(s.duration_ms > 0 for s in marching)


def test_every_exercise_ends_with_one_check_in_of_no_duration() -> None:
    plan = build_plan(starting_prescription().with_item(item(MARCH, march(3))))
    for exercise_id in ALL_IDS:
        steps = steps_of(plan, exercise_id)
        assert steps[0].kind is P
        assert steps[-1].kind is CHECK
        assert steps[-1].duration_ms == 0
        assert kinds(steps).count(CHECK) == 1
        assert steps[-1].text


def test_no_rest_after_the_last_rep_of_a_set() -> None:
    plan = build_plan(only(CURL_UP, curl(10, 4, sets=2, last=7)))
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        if after.kind in (BREAK, CHECK):
            assert before.kind is R
        if before.kind is REST:
            assert after.kind is M


def test_offsets_are_the_running_sum_and_total_is_the_sum() -> None:
    plan = build_plan(starting_prescription().with_item(item(MARCH, march(2))))
    elapsed = 0
    for index, step in enumerate(plan.steps):
        assert step.index == index
        assert step.offset_ms == elapsed
        elapsed += step.duration_ms
    assert plan.total_ms == elapsed
    assert plan.to_dict()["total_ms"] == elapsed


@pytest.mark.parametrize(
    ("exercise_id", "dose"),
    [
        (BACK_FLEXION, held(30, 6)),
        (PELVIC_TILT, held(10, 9)),
        (CURL_UP, curl(10, 4, sets=2, last=5)),
        (CURL_UP, curl(10, 3)),
    ],
)
def test_hold_steps_match_the_dose(exercise_id: str, dose: Dose) -> None:
    plan = build_plan(only(exercise_id, dose))
    holds = [s for s in plan.steps if s.kind is H]
    assert dose.hold_seconds is not None
    assert len(holds) == dose.total_reps
    assert {s.duration_ms for s in holds} == {dose.hold_seconds * 1000}
    if dose.hold_seconds >= 5:
        assert all(f"Hold for {dose.hold_seconds} seconds." in s.cue for s in holds)
    else:
        # A short hold gets a one-word cue, so the voice does not outlast the hold.
        assert {s.cue for s in holds} == {"Hold."}


def test_starting_plan_leaves_out_the_locked_march() -> None:
    plan = build_plan(starting_prescription())
    assert [e.exercise_id for e in plan.exercises] == [
        BACK_FLEXION,
        PELVIC_TILT,
        CURL_UP,
        CHILDS_POSE,
    ]
    assert not steps_of(plan, MARCH)


def test_locked_paused_and_disabled_exercises_are_left_out() -> None:
    plan = build_plan(
        prescription(
            item(BACK_FLEXION, held(10, 4), enabled=False),
            item(CHILDS_POSE, held(10, 4), paused=True),
            item(PELVIC_TILT, held(10, 8)),
            item(MARCH, march(1), locked=True),
            item(CURL_UP, curl(5, 2)),
        )
    )
    assert [e.exercise_id for e in plan.exercises] == [PELVIC_TILT, CURL_UP]
    assert {s.exercise_id for s in plan.steps} == {PELVIC_TILT, CURL_UP}


def test_therapist_unlocked_march_is_in_the_plan() -> None:
    plan = build_plan(starting_prescription().with_item(item(MARCH, march(1))))
    assert MARCH in [e.exercise_id for e in plan.exercises]


def test_gentle_session_keeps_stretches_only() -> None:
    full = starting_prescription().with_item(item(MARCH, march(1)))
    plan = build_plan(full, gentle=True)
    assert plan.gentle is True
    assert [e.exercise_id for e in plan.exercises] == list(STRETCHES)
    assert {s.exercise_id for s in plan.steps} == set(STRETCHES)
    assert build_plan(full).gentle is False


def test_gentle_session_with_no_stretches_is_empty() -> None:
    plan = build_plan(only(PELVIC_TILT, held(10, 8)), gentle=True)
    assert plan.exercises == ()
    assert plan.steps == ()
    assert plan.total_ms == 0


def test_plan_follows_catalogue_order_whatever_the_prescription_order() -> None:
    start = starting_prescription().with_item(item(MARCH, march(1)))
    reordered = prescription(*reversed(start.exercises))
    plan = build_plan(reordered)
    assert [e.exercise_id for e in plan.exercises] == list(ALL_IDS)
    assert plan == build_plan(start)


def test_planned_exercises_carry_name_dose_and_dose_text() -> None:
    plan = build_plan(only(BACK_FLEXION, held(15, 5)))
    (planned,) = plan.exercises
    assert planned.name == "Knees to chest"
    assert planned.dose == held(15, 5)
    assert planned.dose_text == "5 times, hold 15 seconds"


def test_plan_is_json_serialisable() -> None:
    plan = build_plan(starting_prescription().with_item(item(MARCH, march(2))))
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["total_ms"] == plan.total_ms
    assert len(data["steps"]) == len(plan.steps)
    first = data["steps"][0]
    assert first["kind"] == "position"
    assert first["phase"] == "start"
    assert {s["kind"] for s in data["steps"]} == {k.value for k in StepKind}
    assert data["exercises"][0]["dose"] == held(10, 4).to_dict()
    assert all(isinstance(s["cue"], str) and s["cue"] for s in data["steps"])
    assert all(isinstance(s["text"], str) and s["text"] for s in data["steps"])
    assert not any("{" in s["cue"] or "{" in s["text"] for s in data["steps"])


def test_plan_is_deterministic() -> None:
    start = starting_prescription()
    assert build_plan(start) == build_plan(start)
    assert json.dumps(build_plan(start).to_dict()) == json.dumps(build_plan(start).to_dict())


def test_unknown_exercise_raises() -> None:
    with pytest.raises(PrescriptionError, match="walking"):
        build_plan(only("walking", held(10, 4)))


def test_dose_of_the_wrong_form_raises() -> None:
    with pytest.raises(PrescriptionError):
        build_plan(only(BACK_FLEXION, march(1)))
    with pytest.raises(PrescriptionError):
        build_plan(only(MARCH, held(10, 4)))


def test_unknown_locale_falls_back_to_english() -> None:
    start = starting_prescription()
    english = build_plan(start)
    french = build_plan(start, "fr-CA")
    assert [s.text for s in french.steps] == [s.text for s in english.steps]
    assert [s.cue for s in french.steps] == [s.cue for s in english.steps]
    assert [e.name for e in french.exercises] == [e.name for e in english.exercises]
    assert french.locale == "en"


def test_regional_locale_uses_its_language_when_there_is_one() -> None:
    data = read_data("catalogue.toml")
    for raw in data["exercises"]:
        spanish = dict(raw["text"]["en"])
        spanish["name"] = "ES " + spanish["name"]
        raw["text"]["es"] = spanish
    data["messages"]["es"] = dict(data["messages"]["en"], text_rest="Descansa.")
    catalogue = parse_catalogue(data)
    plan = build_plan(starting_prescription(catalogue), "es-MX", catalogue=catalogue)
    assert all(e.name.startswith("ES ") for e in plan.exercises)
    assert {s.text for s in plan.steps if s.kind is REST} == {"Descansa."}


def test_the_starting_plan_changes_position_once_and_waits_for_it() -> None:
    plan = build_plan(starting_prescription())
    waits = [step for step in plan.steps if step.waits]
    assert [(step.exercise_id, step.position.value) for step in waits] == [
        (BACK_FLEXION, "back"),
        (CHILDS_POSE, "hands-and-knees"),
    ]
    assert plan.position_changes == 1
    # Within one position the next exercise's set-up stays timed.
    (tilt_position,) = [s for s in steps_of(plan, PELVIC_TILT) if s.kind is P]
    assert not tilt_position.waits
    assert tilt_position.duration_ms == 10_000
    assert "Roll onto your side" in waits[1].cue
    assert "Tap the screen when you are ready" in waits[1].cue


def test_the_first_session_begins_with_a_briefing_that_says_what_the_exercises_can_do() -> None:
    first = build_plan(starting_prescription(), first_session=True)
    later = build_plan(starting_prescription())
    assert [screen.id for screen in first.intro] == ["briefing", "get-down"]
    assert [screen.id for screen in later.intro] == ["get-down"]
    briefing = first.intro[0]
    assert briefing.picture is None
    assert any("may not take the leg pain away" in point for point in briefing.points)
    assert any("phone on the floor" in point for point in briefing.points)
    assert any("pause" in point for point in briefing.points)
    get_down = first.intro[1]
    assert get_down.picture == "get-down"
    assert "roll onto your back" in get_down.points[-1]
    (get_up,) = first.outro
    assert get_up.picture == "get-up"
    # It ends on hands and knees (child's pose): from there, one foot forward and stand.
    assert "one foot forward" in get_up.points[0]
    data = first.to_dict()
    assert data["intro"][0]["id"] == "briefing"
    assert data["outro"][0]["points"] == list(get_up.points)
    assert data["steps"][0]["waits"] is True
    assert data["steps"][0]["position"] == "back"


def test_a_session_ending_on_the_back_gets_up_by_rolling_onto_the_side() -> None:
    plan = build_plan(only(PELVIC_TILT, held(10, 8)))
    (get_up,) = plan.outro
    assert "roll onto your side" in get_up.points[0]
    assert "Do not sit straight up" in get_up.points[0]
    assert "hands and knees" in get_up.points[1]


def test_a_session_ending_on_hands_and_knees_does_not_say_roll_off_your_back() -> None:
    plan = build_plan(only(CHILDS_POSE, held(10, 4)))
    (get_up,) = plan.outro
    assert not any("roll" in point.lower() for point in get_up.points)
    assert not any("roll" in point.lower() for point in plan.intro[-1].points)


def test_the_curl_up_comes_with_its_caution_for_weak_bones() -> None:
    plan = build_plan(starting_prescription())
    (position,) = [s for s in steps_of(plan, CURL_UP) if s.kind is P]
    assert "weak bones" in position.text
    assert "weak bones" in position.cue
    move = next(s for s in steps_of(plan, CURL_UP) if s.kind is M)
    assert "Tuck your chin" in move.cue
    assert "Breathe out" in move.cue


def test_a_patient_who_stops_early_gets_up_from_where_they_are() -> None:
    plan = build_plan(starting_prescription())
    from_back = plan.outro_from[Position.BACK][0]
    from_kneeling = plan.outro_from[Position.HANDS_AND_KNEES][0]
    assert "roll onto your side" in from_back.points[0]
    assert "one foot forward" in from_kneeling.points[0]
    assert plan.outro == (from_kneeling,)  # the session ends on hands and knees
    data = plan.to_dict()
    assert data["outro_from"]["back"][0]["points"] == list(from_back.points)
    assert set(data["outro_from"]) == {"back", "hands-and-knees"}
    stretches_on_the_back = build_plan(only(BACK_FLEXION, held(10, 4)))
    assert set(stretches_on_the_back.outro_from) == {Position.BACK}
