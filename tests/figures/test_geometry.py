"""Invariants of every drawing: the body keeps its shape, stays on or above the mat, stays in
one piece, and keeps its near limbs in front - in every keyframe and every frame in between."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stenosis_coach.illustrations.animation import build_animation
from stenosis_coach.illustrations.body import BONES, JOINTS, ROOT, Layer
from stenosis_coach.illustrations.geometry import distance
from stenosis_coach.illustrations.kinematics import Figure, pose_figure
from stenosis_coach.illustrations.pose import SUPPORTS, Pose, Rest, blend

from .helpers import (
    EXERCISE_IDS,
    FLOAT_SLACK,
    HOW_TOS,
    ILLUSTRATIONS,
    ON_MAT,
    animation_figures,
    how_to_figures,
    keyframe_figures,
)

KEYFRAMES = list(keyframe_figures())
STAGES = list(how_to_figures())
FRAMES = list(animation_figures())
# The fingertips move fastest; a bigger step than this between frames would look like a jump.
LARGEST_STEP_CM = 6.0


def assert_whole_body(figure: Figure) -> None:
    for bone in BONES:
        start, end = figure.ends(bone)
        assert distance(start, end) == pytest.approx(bone.length, abs=1e-9), bone.name
    assert figure.lowest >= -FLOAT_SLACK
    assert set(figure.joints) == set(JOINTS)


@pytest.mark.parametrize(("exercise", "name", "figure"), KEYFRAMES, ids=lambda v: str(v))
def test_every_keyframe_keeps_its_bones_and_stays_above_the_mat(
    exercise: str, name: str, figure: Figure
) -> None:
    assert_whole_body(figure)


@pytest.mark.parametrize(("exercise", "index", "figure"), FRAMES, ids=lambda v: str(v))
def test_every_animation_frame_keeps_its_bones_and_stays_above_the_mat(
    exercise: str, index: int, figure: Figure
) -> None:
    assert_whole_body(figure)


@given(exercise=st.sampled_from(EXERCISE_IDS), fraction=st.floats(0, 1))
def test_any_point_of_any_move_keeps_the_body_whole(exercise: str, fraction: float) -> None:
    illustration = ILLUSTRATIONS[exercise]
    for keyframe in illustration.keyframes.values():
        assert_whole_body(pose_figure(blend(illustration.start.pose, keyframe.pose, fraction)))


@given(exercise=st.sampled_from(EXERCISE_IDS), fraction=st.floats(0, 1))
def test_what_the_body_rests_on_stays_on_the_mat_while_it_moves(
    exercise: str, fraction: float
) -> None:
    """Knees and feet stay down in child's pose, the hips in the lying exercises."""
    illustration = ILLUSTRATIONS[exercise]
    start = illustration.start.pose
    for keyframe in illustration.keyframes.values():
        shared = set(start.support.contacts) & set(keyframe.pose.support.contacts)
        figure = pose_figure(blend(start, keyframe.pose, fraction))
        assert shared
        assert all(figure.joint_clearance(joint) <= ON_MAT for joint in shared)


@pytest.mark.parametrize(("exercise", "name", "figure"), KEYFRAMES, ids=lambda v: str(v))
def test_every_keyframe_rests_on_what_its_rest_says(
    exercise: str, name: str, figure: Figure
) -> None:
    assert_rests_on_its_support(figure, ILLUSTRATIONS[exercise].keyframes[name].pose)


@pytest.mark.parametrize(
    ("how_to", "name", "figure"), STAGES, ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_how_to_stage_keeps_its_bones_and_rests_on_its_support(
    how_to: str, name: str, figure: Figure
) -> None:
    """Standing, down on one knee, on one side, sitting on a chair: the new rests too."""
    assert_whole_body(figure)
    assert_rests_on_its_support(figure, HOW_TOS[how_to].illustration.keyframes[name].pose)


def assert_rests_on_its_support(figure: Figure, pose: Pose) -> None:
    """The anchor on what it rests on (the mat, or a chair's seat), every contact on the mat."""
    support = pose.support
    assert figure.joint_clearance(support.anchor) == pytest.approx(support.height, abs=1e-9)
    for joint in support.contacts:
        assert -FLOAT_SLACK <= figure.joint_clearance(joint) <= ON_MAT, joint


def test_every_rest_holds_the_body_up_on_the_mat() -> None:
    """Each rest has an anchor and touches the mat somewhere (a chair's sitter with the feet)."""
    for rest, support in SUPPORTS.items():
        assert support.anchor in JOINTS, rest
        assert support.contacts, rest
        assert set(support.contacts) <= set(JOINTS), rest
    assert {rest for rest, support in SUPPORTS.items() if support.height} == {Rest.CHAIR}


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_the_figure_moves_smoothly_from_frame_to_frame(exercise: str) -> None:
    animation = build_animation(ILLUSTRATIONS[exercise])
    for frames in animation.phases.values():
        for before, after in pairwise(frames):
            one, two = animation.frames[before], animation.frames[after]
            step = max(distance(one.joints[joint], two.joints[joint]) for joint in JOINTS)
            assert step <= LARGEST_STEP_CM


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_each_move_starts_and_ends_on_its_keyframes(exercise: str) -> None:
    illustration = ILLUSTRATIONS[exercise]
    animation = build_animation(illustration)
    for name, keyframe in illustration.keyframes.items():
        frame = animation.frames[animation.keyframe_frames[name]]
        expected = pose_figure(keyframe.pose)
        for joint in JOINTS:
            assert distance(frame.joints[joint], expected.joints[joint]) < 1e-9


def test_every_bone_hangs_from_a_joint_placed_before_it() -> None:
    """The body is one connected tree rooted at the hip (forward kinematics walks it once)."""
    placed = {ROOT}
    for bone in BONES:
        assert bone.start in placed, bone.name
        assert bone.end not in placed, bone.name
        placed.add(bone.end)


def test_limbs_are_drawn_on_their_own_side() -> None:
    for bone in BONES:
        if bone.side is None:
            assert bone.layer is Layer.TRUNK
        else:
            assert bone.name.startswith(f"{bone.side}.")
            assert bone.angle.startswith(f"{bone.side}.")
            assert (bone.layer > Layer.TRUNK) == (bone.side == "near")
