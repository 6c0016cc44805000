"""Pictures a therapist would print (issue 9): each hold reads at phone size, with no limbs in a
knot, and shows the one thing the exercise is about. Measured from the kinematics (where the
joints are), never from the angles in the data."""

from __future__ import annotations

from itertools import pairwise

import pytest

from stenosis_coach.illustrations.arrows import arrow_line
from stenosis_coach.illustrations.body import BONES, BONES_BY_NAME, TRUNK_RADIUS, Shape
from stenosis_coach.illustrations.geometry import Vec, distance, distance_to_segment
from stenosis_coach.illustrations.kinematics import Figure
from stenosis_coach.illustrations.svg import HALO

from .helpers import (
    ARM_BONES,
    ILLUSTRATIONS,
    LEG_BONES,
    ON_MAT,
    TRUNK_LINE,
    back_point,
    direction,
    from_level,
    heel_and_foot_lift,
    keyframe,
    segments_cross,
    trunk_line,
)

SIDES = ("near", "far")
HOLDS = [
    pytest.param(exercise, name, id=f"{exercise}-{name}")
    for exercise, illustration in ILLUSTRATIONS.items()
    for name in illustration.keyframes
    if name != "start"
]
MID_BACK = 34.0  # cm up the trunk from the hip: just below the shoulder blades


def arrows_of(exercise: str, name: str) -> list[tuple[Vec, ...]]:
    illustration = ILLUSTRATIONS[exercise]
    pose = illustration.keyframes[name].pose
    return [
        arrow_line(arrow, pose, illustration.poses) for arrow in illustration.keyframes[name].arrows
    ]


def distance_to_trunk(figure: Figure, point: Vec) -> float:
    line = trunk_line(figure)
    return min(distance_to_segment(point, a, b) for a, b in pairwise(line))


def clear_of_the_body(figure: Figure, point: Vec) -> bool:
    """Nothing of the body is drawn at `point` (each limb with its outline)."""
    for bone in BONES:
        start, end = figure.ends(bone)
        reach = bone.radius + (0 if bone.side is None else HALO)
        if bone.shape is Shape.BALL:
            if distance(point, end) <= reach:
                return False
        elif distance_to_segment(point, start, end) <= reach:
            return False
    return True


@pytest.mark.parametrize(("exercise", "name"), HOLDS)
def test_no_leg_crosses_the_trunk_or_the_other_leg(exercise: str, name: str) -> None:
    figure = keyframe(exercise, name)
    for side, other in (("near", "far"), ("far", "near")):
        against = [bone.name for bone in TRUNK_LINE] + [f"{other}.{leg}" for leg in LEG_BONES]
        for leg in LEG_BONES:
            bone = BONES_BY_NAME[f"{side}.{leg}"]
            for name_against in against:
                other_bone = BONES_BY_NAME[name_against]
                if {bone.start, bone.end} & {other_bone.start, other_bone.end}:
                    continue  # joined at a joint (both thighs at the hip)
                ends = max(bone.radius, other_bone.radius) + HALO
                first, second = figure.ends(bone), figure.ends(other_bone)
                assert not segments_cross(first, second, ends), (bone.name, name_against)


class TestKneesToChest:
    end = keyframe("back-flexion", "end")

    @pytest.mark.parametrize("side", SIDES)
    def test_the_shins_are_about_level(self, side: str) -> None:
        joints = self.end.joints
        assert from_level(joints[f"{side}.knee"], joints[f"{side}.ankle"]) <= 25

    @pytest.mark.parametrize("side", SIDES)
    def test_the_feet_do_not_point_at_the_ceiling(self, side: str) -> None:
        joints = self.end.joints
        pointing = direction(joints[f"{side}.ankle"], joints[f"{side}.toes"])
        assert abs(pointing - 90) >= 45

    @pytest.mark.parametrize("side", SIDES)
    def test_no_arm_lies_across_a_thigh(self, side: str) -> None:
        for arm in ARM_BONES:
            for leg_side in SIDES:
                arm_line = self.end.ends(f"{side}.{arm}")
                assert not segments_cross(arm_line, self.end.ends(f"{leg_side}.thigh")), arm

    @pytest.mark.parametrize("side", SIDES)
    def test_the_hands_hold_the_shins_near_the_knees(self, side: str) -> None:
        joints = self.end.joints
        middle_of_hand = (joints[f"{side}.wrist"] + joints[f"{side}.fingers"]) * 0.5
        knee, ankle = joints[f"{side}.knee"], joints[f"{side}.ankle"]
        assert distance_to_segment(middle_of_hand, knee, ankle) <= 5.0 + 3.0  # they touch
        assert distance(middle_of_hand, knee) < distance(middle_of_hand, ankle)

    def test_the_head_rests_on_the_mat(self) -> None:
        assert self.end.clearance("head") <= ON_MAT


class TestPelvicTilt:
    start = keyframe("pelvic-tilt", "start")
    end = keyframe("pelvic-tilt", "end")
    GAP = 3.0  # cm under the low back: about 5 px on a phone 320 px wide

    @staticmethod
    def gap(figure: Figure) -> float:
        """How high the underside of the trunk is above the mat at the waist."""
        return figure.joints["waist"].y - TRUNK_RADIUS

    def gap_points(self, figure: Figure) -> list[Vec]:
        """Points in the gap: under the waist, and a little to each side of it."""
        waist, top = figure.joints["waist"], self.gap(figure)
        return [
            Vec(waist.x + across, height)
            for across in (-3.0, 0.0, 3.0)
            for height in (0.3, top / 2)
        ]

    def test_the_start_shows_a_gap_under_the_low_back(self) -> None:
        assert self.gap(self.start) >= self.GAP

    def test_nothing_hides_the_gap(self) -> None:
        for point in self.gap_points(self.start):
            assert clear_of_the_body(self.start, point), point

    def test_the_hold_presses_the_low_back_flat(self) -> None:
        assert self.gap(self.end) <= 0.5

    @pytest.mark.parametrize("name", ["start", "end"])
    def test_the_arrow_points_down_into_the_mat_at_the_low_back(self, name: str) -> None:
        figure = keyframe("pelvic-tilt", name)
        [line] = arrows_of("pelvic-tilt", name)
        tip = line[-1]
        assert abs(direction(line[-2], tip) + 90) <= 20  # down, into the mat
        joints = figure.joints
        assert joints["waist"].x - 8 <= tip.x <= joints["hip"].x  # at the low back
        # Its head at the underside of the back: in the gap, or on the mat when it is gone.
        assert 0 <= tip.y <= self.gap(figure) + 1.5
        # It starts inside the back, well below the belly ("push the tummy down").
        assert all(point.y <= joints["waist"].y + TRUNK_RADIUS / 2 for point in line)
        assert distance_to_trunk(figure, line[0]) <= TRUNK_RADIUS


class TestCurlUp:
    start = keyframe("curl-up", "start")
    end = keyframe("curl-up", "end")

    def test_the_upper_back_rises_about_30_degrees(self) -> None:
        mid_back = back_point(self.end, MID_BACK)
        assert 20 <= from_level(mid_back, self.end.joints["shoulder"]) <= 40

    def test_only_the_shoulder_blades_lift_the_mid_back_stays_down(self) -> None:
        assert back_point(self.end, MID_BACK).y - TRUNK_RADIUS <= ON_MAT
        assert 4 <= self.end.joint_clearance("shoulder") <= 12

    def test_the_low_back_stays_on_the_mat(self) -> None:
        assert self.end.joints["waist"].y - TRUNK_RADIUS <= 0.5
        assert self.end.joint_clearance("hip") <= 0.5

    def test_the_chin_is_tucked(self) -> None:
        """The head nods forward on the neck; the neck does not bend back."""
        joints = self.end.joints
        trunk = direction(back_point(self.end, MID_BACK), joints["shoulder"])
        neck = direction(joints["shoulder"], joints["skull"])
        head = direction(joints["skull"], joints["head"])
        # The head lies to the left: bending forward turns clockwise.
        assert trunk - neck >= 0
        assert neck - head >= 10

    @pytest.mark.parametrize("name", ["start", "end"])
    @pytest.mark.parametrize("side", SIDES)
    def test_the_arms_are_folded_across_the_chest(self, name: str, side: str) -> None:
        figure = keyframe("curl-up", name)
        wrist = figure.joints[f"{side}.wrist"]
        assert distance_to_trunk(figure, wrist) <= TRUNK_RADIUS + 3.8 + 2


class TestMarch:
    start = keyframe("hook-lying-march", "start")
    lifted = {"left": "far", "right": "near"}  # the near limbs are the right ones

    @pytest.mark.parametrize("phase", ["left", "right"])
    def test_the_lifted_foot_is_7_to_11_cm_above_the_mat(self, phase: str) -> None:
        figure = keyframe("hook-lying-march", phase)
        side = self.lifted[phase]
        assert 7 <= heel_and_foot_lift(figure, side) <= 11
        joints = figure.joints
        assert from_level(joints[f"{side}.ankle"], joints[f"{side}.toes"]) <= 20  # whole foot up

    def test_the_near_foot_lifts_with_an_arrow_beside_it(self) -> None:
        figure = keyframe("hook-lying-march", "right")
        [line] = arrows_of("hook-lying-march", "right")
        tail, tip = line[0], line[-1]
        assert abs(direction(tail, tip) - 90) <= 10  # up
        assert distance(tail, tip) >= 12  # long enough to see at phone size
        toes, ankle = figure.joints["near.toes"], figure.joints["near.ankle"]
        assert ankle.x - 4 <= tip.x <= toes.x + 12  # at the foot
        for share in (0.0, 0.5, 1.0):
            assert clear_of_the_body(figure, tail + (tip - tail) * share)

    def test_the_near_leg_comes_apart_from_the_far_one(self) -> None:
        """When the near foot is up, the far foot below it shows: nothing of the near leg is
        drawn over the far foot's toes."""
        figure = keyframe("hook-lying-march", "right")
        far_toes = figure.joints["far.toes"]
        for leg in LEG_BONES:
            bone = BONES_BY_NAME[f"near.{leg}"]
            reach = bone.radius + HALO + BONES_BY_NAME["far.foot"].radius
            assert distance_to_segment(far_toes, *figure.ends(bone)) > reach, leg
