"""build_plan: the timeline the session player follows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from stenosis_coach.programme import (
    Dose,
    Prescription,
    PrescriptionError,
    SessionPlan,
    Step,
    StepKind,
    build_plan,
    starting_prescription,
)
from stenosis_coach.programme.catalogue import Position, parse_catalogue, read_data
from stenosis_coach.programme.plan import CheckKind

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


# --- Could you keep your low back pressed flat? (after the pelvic tilt at its target) --------

BACK_FLAT_QUESTION = "Could you keep your low back pressed flat the whole time?"
TILT_TARGET = held(10, 10)


def check_ins(plan: SessionPlan, exercise_id: str) -> list[str | None]:
    """What each check-in after `exercise_id` asks, in order."""
    return [
        step.check.value if step.check else None
        for step in steps_of(plan, exercise_id)
        if step.kind is CHECK
    ]


def tilt_at(dose: Dose, *, march_locked: bool = True, **march_flags: bool) -> Prescription:
    return prescription(
        item(PELVIC_TILT, dose), item(MARCH, march(1), locked=march_locked, **march_flags)
    )


def test_a_tilt_at_its_target_asks_about_the_low_back_while_the_march_waits() -> None:
    plan = build_plan(tilt_at(TILT_TARGET))
    tilt = steps_of(plan, PELVIC_TILT)
    assert kinds(tilt[-2:]) == [CHECK, CHECK]
    worse, back_flat = tilt[-2:]
    assert worse.check is CheckKind.WORSE
    assert worse.text == "Did that make the pain in your leg worse?"
    assert back_flat.check is CheckKind.BACK_FLAT
    assert back_flat.text == BACK_FLAT_QUESTION
    assert back_flat.cue.startswith(BACK_FLAT_QUESTION)
    assert "Tap yes or no" in back_flat.cue
    assert back_flat.duration_ms == 0
    assert not back_flat.waits
    assert back_flat.offset_ms == worse.offset_ms  # no time passes while answering
    data = plan.to_dict()["steps"]
    assert [s["check"] for s in data if s["kind"] == "check-in"] == ["worse", "back-flat"]
    assert {s["check"] for s in data if s["kind"] != "check-in"} == {None}


def test_an_off_ladder_tilt_above_its_target_asks_too() -> None:
    assert check_ins(build_plan(tilt_at(held(12, 10))), PELVIC_TILT) == ["worse", "back-flat"]


@pytest.mark.parametrize(
    ("name", "plan"),
    [
        ("tilt below its target", lambda: build_plan(tilt_at(held(10, 9)))),
        ("march open already", lambda: build_plan(tilt_at(TILT_TARGET, march_locked=False))),
        ("no march at all", lambda: build_plan(only(PELVIC_TILT, TILT_TARGET))),
        ("a gentle session", lambda: build_plan(tilt_at(TILT_TARGET), gentle=True)),
        ("the starting plan", lambda: build_plan(starting_prescription())),
    ],
)
def test_the_low_back_question_is_not_asked(name: str, plan: Any) -> None:
    built = plan()
    assert [step.check for step in built.steps if step.check is CheckKind.BACK_FLAT] == [], name
    for exercise in built.exercises:
        assert check_ins(built, exercise.exercise_id) == ["worse"]


def test_the_low_back_question_follows_the_catalogue_rule() -> None:
    """A march whose prerequisite does not ask for a flat back: no question."""
    data = read_data("catalogue.toml")
    for raw in data["exercises"]:
        for requirement in raw.get("requires", []):
            requirement["kept_back_flat"] = False
    catalogue = parse_catalogue(data)
    plan = build_plan(tilt_at(TILT_TARGET), catalogue=catalogue)
    assert check_ins(plan, PELVIC_TILT) == ["worse"]


def test_the_low_back_question_is_in_spanish() -> None:
    plan = build_plan(tilt_at(TILT_TARGET), "es")
    back_flat = steps_of(plan, PELVIC_TILT)[-1]
    assert back_flat.check is CheckKind.BACK_FLAT
    assert back_flat.text.startswith("¿Pudo tener la parte baja de la espalda")


# --- A step-up held back: leg pain higher than at the start of last time ---------------------


def stepped_up() -> Prescription:
    """Knees to chest just stepped up from 4 x 10 s to 4 x 15 s, not yet played."""
    start = starting_prescription()
    knees = replace(start.get(BACK_FLEXION), dose=held(15, 4), step_up_from=held(10, 4))
    return start.with_item(knees)


def test_a_held_back_plan_plays_the_dose_before_the_step_up() -> None:
    plan = build_plan(stepped_up(), held_back=True)
    knees = plan.exercises[0]
    assert (knees.exercise_id, knees.dose, knees.dose_text) == (
        BACK_FLEXION,
        held(10, 4),
        "4 times, hold 10 seconds",
    )
    holds = [s for s in steps_of(plan, BACK_FLEXION) if s.kind is H]
    assert {s.duration_ms for s in holds} == {10_000}
    assert plan.held_back == (BACK_FLEXION,)
    assert plan.to_dict()["held_back"] == [BACK_FLEXION]
    # The others are as prescribed.
    rest = {e.exercise_id: e.dose for e in plan.exercises[1:]}
    assert rest == {e.exercise_id: e.dose for e in build_plan(stepped_up()).exercises[1:]}


def test_the_normal_plan_plays_the_new_dose() -> None:
    plan = build_plan(stepped_up())
    assert plan.exercises[0].dose == held(15, 4)
    assert plan.held_back == ()
    assert [screen.id for screen in plan.intro] == ["get-down"]


def test_a_held_back_plan_says_why_before_the_exercises() -> None:
    plan = build_plan(stepped_up(), held_back=True)
    assert [screen.id for screen in plan.intro] == ["held-back", "get-down"]
    screen = plan.intro[0]
    why = (
        "Your leg pain is higher than at the start of last time. "
        "So today you do the easier dose of Knees to chest."
    )
    assert screen.title == "Easier today"
    assert screen.points == (why, "Knees to chest: 4 times, hold 10 seconds")
    assert screen.cue == f"{why} Tap the screen when you are ready."
    assert screen.picture is None
    first = build_plan(stepped_up(), held_back=True, first_session=True)
    assert [s.id for s in first.intro] == ["briefing", "held-back", "get-down"]


def test_a_held_back_plan_with_two_exercises_lists_both() -> None:
    two = stepped_up()
    childs = replace(two.get(CHILDS_POSE), dose=held(15, 4), step_up_from=held(10, 4))
    plan = build_plan(two.with_item(childs), held_back=True)
    assert plan.held_back == (BACK_FLEXION, CHILDS_POSE)
    points = plan.intro[0].points
    assert points[0].endswith("the easier dose of these.")
    assert points[1:] == (
        "Knees to chest: 4 times, hold 10 seconds",
        "Child's pose: 4 times, hold 10 seconds",
    )


def test_a_held_back_plan_with_nothing_held_back_is_the_normal_plan() -> None:
    assert build_plan(starting_prescription(), held_back=True) == build_plan(
        starting_prescription()
    )


def test_a_gentle_held_back_plan_says_nothing_when_the_step_up_is_not_a_stretch() -> None:
    start = starting_prescription()
    tilt = replace(start.get(PELVIC_TILT), dose=held(10, 9), step_up_from=held(10, 8))
    plan = build_plan(start.with_item(tilt), gentle=True, held_back=True)
    assert plan.held_back == ()
    assert [screen.id for screen in plan.intro] == ["get-down"]


def test_a_held_back_tilt_below_its_target_does_not_ask_about_the_low_back() -> None:
    """The tilt just stepped up to its target: played at the dose before, it is not at the
    target today, so the question waits."""
    tilt = replace(item(PELVIC_TILT, TILT_TARGET), step_up_from=held(10, 9))
    stepped = prescription(tilt, item(MARCH, march(1), locked=True))
    assert check_ins(build_plan(stepped), PELVIC_TILT) == ["worse", "back-flat"]
    assert check_ins(build_plan(stepped, held_back=True), PELVIC_TILT) == ["worse"]


def test_a_held_back_dose_of_the_wrong_form_raises() -> None:
    knees = replace(item(BACK_FLEXION, held(15, 4)), step_up_from=march(1))
    with pytest.raises(PrescriptionError, match="before the step-up"):
        build_plan(prescription(knees), held_back=True)
