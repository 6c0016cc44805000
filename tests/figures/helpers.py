"""Shared pieces for the figure tests: every keyframe and frame, and body measurements taken
from the kinematics (joint places), never from the angles in the data."""

from __future__ import annotations

from collections.abc import Iterator

from stenosis_coach.illustrations import load_illustrations
from stenosis_coach.illustrations.animation import build_animation
from stenosis_coach.illustrations.geometry import angle_at
from stenosis_coach.illustrations.kinematics import Figure, pose_figure

ILLUSTRATIONS = load_illustrations()
EXERCISE_IDS = tuple(ILLUSTRATIONS)
ON_MAT = 1.5  # cm: a body part this close to the mat rests on it
FLOAT_SLACK = 1e-6  # cm: rounding in the arithmetic, nothing a person could see


def keyframe_figures() -> Iterator[tuple[str, str, Figure]]:
    for exercise_id, illustration in ILLUSTRATIONS.items():
        for name, keyframe in illustration.keyframes.items():
            yield exercise_id, name, pose_figure(keyframe.pose)


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


def on_mat(figure: Figure, joint: str) -> bool:
    return figure.joint_clearance(joint) <= ON_MAT
