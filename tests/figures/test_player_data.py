"""The data the player gets: every phase the plan can give has frames, and the frames are the
figure's own, point for point."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stenosis_coach.illustrations import animation_data
from stenosis_coach.illustrations.body import BONES, Shape
from stenosis_coach.illustrations.geometry import Vec, distance
from stenosis_coach.illustrations.stage import PARTS
from stenosis_coach.programme import (
    PrescribedExercise,
    Prescription,
    build_plan,
    load_catalogue,
)

from .helpers import EXERCISE_IDS

DATA = {exercise: animation_data(exercise) for exercise in EXERCISE_IDS}
ROUNDING = 0.15  # cm: each number is rounded to 0.1


def plan_phases() -> set[tuple[str, str]]:
    """Every (exercise, phase) a session at the target doses, all exercises open, can show."""
    catalogue = load_catalogue()
    everything = Prescription(
        tuple(PrescribedExercise(exercise.id, exercise.target) for exercise in catalogue.exercises)
    )
    return {
        (step.exercise_id, step.phase.value)
        for step in build_plan(everything).steps
        if step.phase is not None
    }


def joints_of(frame: list[list[float]]) -> dict[str, list[Vec]]:
    """Every place each joint is drawn in one frame, from the parts that meet there."""
    places: dict[str, list[Vec]] = {}
    for bone, numbers in zip(BONES, frame, strict=False):
        if bone.shape is Shape.BALL:
            places.setdefault(bone.end, []).append(Vec(*numbers))
        else:
            places.setdefault(bone.start, []).append(Vec(numbers[0], numbers[1]))
            places.setdefault(bone.end, []).append(Vec(numbers[2], numbers[3]))
    return places


def test_every_exercise_in_the_catalogue_has_pictures() -> None:
    assert set(EXERCISE_IDS) == set(load_catalogue().ids)


def test_every_phase_of_a_session_has_frames() -> None:
    for exercise, phase in plan_phases():
        assert DATA[exercise]["phases"][phase], (exercise, phase)


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_data_is_plain_json(exercise: str) -> None:
    assert json.loads(json.dumps(DATA[exercise])) == DATA[exercise]
    assert DATA[exercise]["parts"] == list(PARTS)


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_frames_keep_the_bones_joined_and_their_lengths(exercise: str) -> None:
    for frame in DATA[exercise]["frames"]:
        assert len(frame) == len(PARTS)
        for joint, places in joints_of(frame).items():
            assert all(place == places[0] for place in places), joint  # no gap at a joint
        places = {joint: found[0] for joint, found in joints_of(frame).items()}
        for bone in BONES:
            length = distance(places[bone.start], places[bone.end])
            assert length == pytest.approx(bone.length, abs=ROUNDING), bone.name


@given(exercise=st.sampled_from(EXERCISE_IDS), fraction=st.floats(0, 1), data=st.data())
def test_any_moment_of_any_phase_has_a_frame(
    exercise: str, fraction: float, data: st.DataObject
) -> None:
    """What figure.js does: the frame nearest to the share of the phase that has passed."""
    animation = DATA[exercise]
    phase = data.draw(st.sampled_from(sorted(animation["phases"])))
    frames = animation["phases"][phase]
    index = frames[round(fraction * (len(frames) - 1))]
    assert 0 <= index < len(animation["frames"])


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_moves_leave_from_and_come_back_to_the_start(exercise: str) -> None:
    phases = DATA[exercise]["phases"]
    assert phases["start"] == [0]
    for phase, frames in phases.items():
        if phase in ("moving-in", "left", "right"):
            assert frames[0] == 0
        if phase in ("moving-out", "left", "right"):
            assert frames[-1] == 0


def test_held_exercises_hold_still_at_their_end_pose() -> None:
    for exercise in EXERCISE_IDS:
        phases = DATA[exercise]["phases"]
        if "end" in phases:
            assert phases["end"] == [phases["moving-in"][-1]]
            assert phases["moving-out"] == phases["moving-in"][::-1]


def test_the_march_alternates_the_two_feet() -> None:
    data = DATA["hook-lying-march"]
    assert data["still"]["keyframes"] == ["left", "right"]
    left_top = data["frames"][data["keyframes"]["left"]["frame"]]
    right_top = data["frames"][data["keyframes"]["right"]["frame"]]
    assert left_top != right_top


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_less_motion_shows_the_poses_side_by_side(exercise: str) -> None:
    still = DATA[exercise]["still"]
    assert len(still["keyframes"]) == 2
    for keyframe in still["keyframes"]:
        assert f'data-keyframe="{keyframe}"' in still["svg"]
    assert set(still["phases"].values()) <= set(still["keyframes"])


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_arrows_show_only_while_the_figure_is_still(exercise: str) -> None:
    data = DATA[exercise]
    assert set(data["arrows"]) <= {"start", "end"}
    for keyframe in data["arrows"].values():
        assert f'data-arrows="{keyframe}"' in data["scene"]


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_the_demo_plays_each_phase_at_the_catalogues_pace(exercise: str) -> None:
    timing = load_catalogue().get(exercise).timing
    demo = {item["phase"]: item["ms"] for item in DATA[exercise]["demo"]}
    assert set(demo) <= set(DATA[exercise]["phases"])
    if "moving-in" in demo:
        assert demo["moving-in"] == timing.move_seconds * 1000
    else:
        assert demo["left"] == demo["right"] == timing.march_step_seconds * 1000
