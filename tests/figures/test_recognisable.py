"""Each exercise's pictures show what makes it that exercise, checked from the kinematics."""

from __future__ import annotations

import pytest

from stenosis_coach.illustrations.arrows import StraightArrow
from stenosis_coach.illustrations.geometry import angle_at, distance_to_segment
from stenosis_coach.illustrations.kinematics import Figure

from .helpers import (
    ILLUSTRATIONS,
    ON_MAT,
    foot_lift,
    heel_and_foot_lift,
    hip_flexion,
    keyframe,
    knee_flexion,
    on_mat,
)

SIDES = ("near", "far")
LYING_STARTS = ("back-flexion", "pelvic-tilt", "hook-lying-march", "curl-up")


def assert_lying_with_knees_bent_and_feet_flat(figure: Figure) -> None:
    assert on_mat(figure, "hip")
    assert on_mat(figure, "shoulder")
    assert figure.clearance("head") <= ON_MAT
    for side in SIDES:
        assert 60 <= knee_flexion(figure, side) <= 110
        assert foot_lift(figure, side) <= 0.5


@pytest.mark.parametrize("exercise", LYING_STARTS)
def test_lying_exercises_start_on_the_back_with_knees_bent(exercise: str) -> None:
    assert_lying_with_knees_bent_and_feet_flat(keyframe(exercise, "start"))


class TestKneesToChest:
    end = keyframe("back-flexion", "end")

    @pytest.mark.parametrize("side", SIDES)
    def test_both_knees_come_up_to_the_chest(self, side: str) -> None:
        assert hip_flexion(self.end, side) > 110
        assert knee_flexion(self.end, side) > 100

    def test_back_and_head_stay_on_the_mat(self) -> None:
        for joint in ("hip", "waist", "shoulder"):
            assert on_mat(self.end, joint), joint
        assert self.end.clearance("head") <= ON_MAT

    @pytest.mark.parametrize("side", SIDES)
    def test_hands_hold_the_shins(self, side: str) -> None:
        joints = self.end.joints
        middle_of_hand = (joints[f"{side}.wrist"] + joints[f"{side}.fingers"]) * 0.5
        shin = (joints[f"{side}.knee"], joints[f"{side}.ankle"])
        assert distance_to_segment(middle_of_hand, *shin) <= 5.0 + 3.0  # shin and hand touch


class TestChildsPose:
    start = keyframe("childs-pose", "start")
    end = keyframe("childs-pose", "end")

    def test_starts_on_hands_and_knees(self) -> None:
        joints = self.start.joints
        for side in SIDES:
            assert on_mat(self.start, f"{side}.knee")
            assert on_mat(self.start, f"{side}.fingers")
            # Thigh upright: the hip is above the knee.
            assert abs(joints["hip"].x - joints[f"{side}.knee"].x) < 10
        assert self.start.joint_clearance("hip") > 30

    def test_hips_sit_back_over_the_heels(self) -> None:
        joints = self.end.joints
        for side in SIDES:
            assert abs(joints["hip"].x - joints[f"{side}.ankle"].x) < 8
            assert hip_flexion(self.end, side) > 120
            assert knee_flexion(self.end, side) > 140
        assert joints["hip"].y < joints["waist"].y  # the back rounds forward over the hips

    def test_forehead_rests_on_the_mat(self) -> None:
        assert self.end.forehead.y <= ON_MAT
        assert self.end.clearance("head") >= 0

    @pytest.mark.parametrize("side", SIDES)
    def test_arms_reach_out_in_front_on_the_mat(self, side: str) -> None:
        joints = self.end.joints
        fingers = joints[f"{side}.fingers"]
        assert fingers.x > joints["head"].x + 20  # beyond the head
        assert angle_at(joints[f"{side}.elbow"], joints["shoulder"], fingers) > 140  # long arm
        assert on_mat(self.end, f"{side}.fingers")


class TestPelvicTilt:
    start = keyframe("pelvic-tilt", "start")
    end = keyframe("pelvic-tilt", "end")

    @staticmethod
    def pelvis_tilt(figure: Figure) -> float:
        """How far the waist end of the pelvis is raised off the line of the mat (degrees)."""
        hip, waist = figure.joints["hip"], figure.joints["waist"]
        flat = type(hip)(waist.x, hip.y)
        return angle_at(hip, waist, flat)

    def test_the_pelvis_tilts_back(self) -> None:
        assert self.pelvis_tilt(self.start) - self.pelvis_tilt(self.end) >= 8

    def test_the_low_back_goes_down_to_the_mat(self) -> None:
        assert self.start.joint_clearance("waist") >= 3  # a gap under the low back
        assert self.end.joint_clearance("waist") <= 0.5

    def test_feet_stay_flat(self) -> None:
        for side in SIDES:
            assert foot_lift(self.end, side) <= 0.5

    def test_an_arrow_points_down_at_the_low_back(self) -> None:
        for name in ("start", "end"):
            arrows = ILLUSTRATIONS["pelvic-tilt"].keyframes[name].arrows
            assert [(arrow.joint, arrow.direction) for arrow in arrows] == [("waist", -90)]
            assert all(isinstance(arrow, StraightArrow) for arrow in arrows)


class TestMarch:
    start = keyframe("hook-lying-march", "start")
    # The near limbs are the right ones (the figure shows its right side).
    lifted = {"left": "far", "right": "near"}

    def test_starts_with_both_feet_down_and_the_back_flat(self) -> None:
        for side in SIDES:
            assert foot_lift(self.start, side) <= 0.5
        assert self.start.joint_clearance("waist") <= 0.5

    @pytest.mark.parametrize("phase", ["left", "right"])
    def test_exactly_one_foot_is_lifted_8_to_10_cm(self, phase: str) -> None:
        figure = keyframe("hook-lying-march", phase)
        lifts = {side: heel_and_foot_lift(figure, side) for side in SIDES}
        up = [side for side, lift in lifts.items() if 8 <= lift <= 10]
        down = [side for side, lift in lifts.items() if lift <= 0.5]
        assert up == [self.lifted[phase]]
        assert len(down) == 1
        assert figure.joint_clearance("waist") <= 0.5  # the back stays flat

    def test_the_feet_take_turns(self) -> None:
        assert self.lifted["left"] != self.lifted["right"]


class TestCurlUp:
    start = keyframe("curl-up", "start")
    end = keyframe("curl-up", "end")

    def test_starts_in_a_pelvic_tilt(self) -> None:
        assert self.start.joint_clearance("waist") <= 0.5

    def test_head_and_shoulders_come_off_the_mat(self) -> None:
        assert self.end.joint_clearance("shoulder") >= 8
        assert self.end.clearance("head") >= 15

    def test_low_back_and_hips_stay_on_the_mat(self) -> None:
        assert self.end.joint_clearance("waist") <= 0.5
        assert on_mat(self.end, "hip")

    @pytest.mark.parametrize("figure", [start, end], ids=["start", "end"])
    @pytest.mark.parametrize("side", SIDES)
    def test_arms_are_folded_across_the_chest(self, figure: Figure, side: str) -> None:
        joints = figure.joints
        chest = (joints["waist"], joints["shoulder"])
        assert distance_to_segment(joints[f"{side}.wrist"], *chest) <= 10 + 3.8 + 2
        assert angle_at(joints[f"{side}.elbow"], joints["shoulder"], joints[f"{side}.wrist"]) < 45
