"""Shared pieces for the figure tests: every keyframe and frame, and body measurements taken
from the kinematics (joint places), never from the angles in the data."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from stenosis_coach.illustrations import load_how_tos, load_illustrations
from stenosis_coach.illustrations.animation import build_animation
from stenosis_coach.illustrations.body import BONES, BONES_BY_NAME, ROOT
from stenosis_coach.illustrations.geometry import Vec, angle_at, distance
from stenosis_coach.illustrations.kinematics import Figure, pose_figure

ILLUSTRATIONS = load_illustrations()
EXERCISE_IDS = tuple(ILLUSTRATIONS)
HOW_TOS = load_how_tos()
HOW_TO_IDS = tuple(HOW_TOS)
ON_MAT = 1.5  # cm: a body part this close to the mat rests on it
FLOAT_SLACK = 1e-6  # cm: rounding in the arithmetic, nothing a person could see
# The trunk's bones from the hip up to the shoulders (not the neck and head).
TRUNK_LINE = tuple(bone for bone in BONES if bone.name.endswith("-trunk"))
LEG_BONES = ("thigh", "shin", "foot")
ARM_BONES = ("upper-arm", "forearm")


def keyframe_figures() -> Iterator[tuple[str, str, Figure]]:
    for exercise_id, illustration in ILLUSTRATIONS.items():
        for name, keyframe in illustration.keyframes.items():
            yield exercise_id, name, pose_figure(keyframe.pose)


def how_to_figures() -> Iterator[tuple[str, str, Figure]]:
    """Every stage of every how-to picture, where it is in the room."""
    for how_to_id, how_to in HOW_TOS.items():
        for name, keyframe in how_to.illustration.keyframes.items():
            yield how_to_id, name, keyframe.figure()


def animation_figures() -> Iterator[tuple[str, int, Figure]]:
    for exercise_id, illustration in ILLUSTRATIONS.items():
        for index, figure in enumerate(build_animation(illustration).frames):
            yield exercise_id, index, figure


def keyframe(exercise_id: str, name: str) -> Figure:
    return pose_figure(ILLUSTRATIONS[exercise_id].keyframes[name].pose)


def hip_flexion(figure: Figure, side: str) -> float:
    """0 standing straight; 90 with the thigh at a right angle to the trunk."""
    joints = figure.joints
    return 180 - angle_at(joints["hip"], joints["waist"], joints[f"{side}.knee"])


def knee_flexion(figure: Figure, side: str) -> float:
    joints = figure.joints
    return 180 - angle_at(joints[f"{side}.knee"], joints["hip"], joints[f"{side}.ankle"])


def foot_lift(figure: Figure, side: str) -> float:
    """How far the lowest point of the foot is above the mat, in cm."""
    return figure.clearance(f"{side}.foot")


def heel_and_foot_lift(figure: Figure, side: str) -> float:
    """How far the lowest drawn point of the foot is above the mat, the round end of the
    shin at the ankle (the heel) too."""
    heel = figure.joints[f"{side}.ankle"].y - BONES_BY_NAME[f"{side}.shin"].radius
    return min(foot_lift(figure, side), heel)


def on_mat(figure: Figure, joint: str) -> bool:
    return figure.joint_clearance(joint) <= ON_MAT


def cross(o: Vec, a: Vec, b: Vec) -> float:
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)


def crossing(first: tuple[Vec, Vec], second: tuple[Vec, Vec]) -> Vec | None:
    """Where two centre lines cross each other, if they do (touching at an end does not)."""
    (a, b), (c, d) = first, second
    one, two = cross(a, b, c), cross(a, b, d)
    three, four = cross(c, d, a), cross(c, d, b)
    if one * two >= 0 or three * four >= 0:
        return None
    return c + (d - c) * (one / (one - two))


def segments_cross(first: tuple[Vec, Vec], second: tuple[Vec, Vec], ends: float = 0.0) -> bool:
    """Whether two centre lines cross each other further than `ends` cm from every end: one
    limb tucked just behind the round end of another (a far knee behind the near shin) is
    not a crossing, one limb drawn across the middle of another is."""
    point = crossing(first, second)
    return point is not None and all(distance(point, end) > ends for end in (*first, *second))


def direction(start: Vec, end: Vec) -> float:
    """Degrees counter-clockwise from pointing right, between -180 and 180."""
    return (end - start).direction


def from_level(start: Vec, end: Vec) -> float:
    """How many degrees the line start-end is off level (0 to 90)."""
    angle = abs(direction(start, end)) % 180
    return min(angle, 180 - angle)


def trunk_line(figure: Figure) -> list[Vec]:
    """The middle line of the trunk, from the hip to the shoulder."""
    return [figure.joints[ROOT], *(figure.joints[bone.end] for bone in TRUNK_LINE)]


def back_point(figure: Figure, along: float) -> Vec:
    """The point `along` cm up the trunk's middle line from the hip (past the waist at 20 cm:
    the mid back, below the shoulder blades, at 34 cm)."""
    line = trunk_line(figure)
    left = along
    for start, end in pairwise(line):
        span = distance(start, end)
        if left <= span:
            return start + (end - start) * (left / span)
        left -= span
    return line[-1]
