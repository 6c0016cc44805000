"""Arrows that show which way the body moves, worked out from the poses themselves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .geometry import Vec, heading
from .kinematics import pose_figure
from .pose import Pose, blend

# The ends of a movement are left off, so the arrow does not start or end inside the body.
MOTION_SPAN = (0.12, 0.88)
MOTION_SAMPLES = 12


@dataclass(frozen=True, slots=True)
class PathArrow:
    """The path a joint takes from keyframe `source` to keyframe `target`, moved by `offset`
    (cm) so that it runs beside the body."""

    joint: str
    source: str
    target: str
    offset: Vec


@dataclass(frozen=True, slots=True)
class StraightArrow:
    """A short straight arrow near a joint ("press here", "lift this"). Its tip is at the
    joint plus `offset`; it points `direction` degrees and is `length` cm long."""

    joint: str
    direction: float
    length: float
    offset: Vec


Arrow = PathArrow | StraightArrow


def arrow_line(arrow: Arrow, pose: Pose, poses: Mapping[str, Pose]) -> tuple[Vec, ...]:
    """The points of the arrow's shaft, ending at its tip, drawn on a picture of `pose`;
    `poses` are the exercise's keyframes."""
    if isinstance(arrow, StraightArrow):
        tip = pose_figure(pose).joints[arrow.joint] + arrow.offset
        return (tip - heading(arrow.direction) * arrow.length, tip)
    first, last = MOTION_SPAN
    shares = (first + (last - first) * i / (MOTION_SAMPLES - 1) for i in range(MOTION_SAMPLES))
    source, target = poses[arrow.source], poses[arrow.target]
    return tuple(
        pose_figure(blend(source, target, share)).joints[arrow.joint] + arrow.offset
        for share in shares
    )
