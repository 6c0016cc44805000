"""Forward kinematics: from a pose to the place of every joint, resting on the mat."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .body import BONES, BONES_BY_NAME, HEAD_RADIUS, ROOT, Bone, Shape, rest_height
from .geometry import Vec, heading
from .pose import Pose

# Where the face is drawn: turned this many degrees from the crown toward the front.
FOREHEAD_TURN = 55
EYE_TURN = 65


@dataclass(frozen=True, slots=True)
class Figure:
    """Every joint's place (cm, y up, the mat's top at y = 0) and every bone's direction."""

    joints: Mapping[str, Vec]
    directions: Mapping[str, float]

    def ends(self, bone: Bone | str) -> tuple[Vec, Vec]:
        bone = BONES_BY_NAME[bone] if isinstance(bone, str) else bone
        return self.joints[bone.start], self.joints[bone.end]

    def clearance(self, bone: Bone | str) -> float:
        """How far the lowest drawn point of a bone is above the mat (negative: below)."""
        bone = BONES_BY_NAME[bone] if isinstance(bone, str) else bone
        start, end = self.ends(bone)
        lowest = end.y if bone.shape is Shape.BALL else min(start.y, end.y)
        return lowest - bone.radius

    def joint_clearance(self, joint: str) -> float:
        """How far the drawn body around a joint is above the mat."""
        return self.joints[joint].y - rest_height(joint)

    def moved(self, x: float) -> Figure:
        """The same figure, `x` cm further along the floor."""
        if x == 0:
            return self
        shift = Vec(x, 0.0)
        return Figure({name: point + shift for name, point in self.joints.items()}, self.directions)

    @property
    def lowest(self) -> float:
        return min(self.clearance(bone) for bone in BONES)

    @property
    def forehead(self) -> Vec:
        """On the skull, between the crown and the eyes."""
        return self.joints["head"] + heading(self.directions["head"] - FOREHEAD_TURN) * HEAD_RADIUS

    @property
    def eye(self) -> Vec:
        turned = heading(self.directions["head"] - EYE_TURN)
        return self.joints["head"] + turned * (HEAD_RADIUS * 0.5)


def bone_directions(pose: Pose) -> dict[str, float]:
    """Each bone's direction in degrees, counter-clockwise from pointing right."""
    directions: dict[str, float] = {}
    for bone in BONES:
        parent = directions[bone.relative_to] if bone.relative_to else 0.0
        directions[bone.name] = parent + bone.offset + bone.turn * pose.angles[bone.angle]
    return directions


def pose_figure(pose: Pose) -> Figure:
    """Place every joint, then move the body so that its anchor rests at x = 0 on the mat (or
    on a chair's seat)."""
    directions = bone_directions(pose)
    joints = {ROOT: Vec(0.0, 0.0)}
    for bone in BONES:
        joints[bone.end] = joints[bone.start] + heading(directions[bone.name]) * bone.length
    support = pose.support
    shift = Vec(0.0, support.height + rest_height(support.anchor)) - joints[support.anchor]
    return Figure({name: point + shift for name, point in joints.items()}, directions)
