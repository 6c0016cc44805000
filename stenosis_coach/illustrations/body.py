"""The body model: a side view of an adult made of rigid bones joined at named joints.

Every bone has a fixed length, so a pose (a set of joint angles) fixes every point. Lengths are
those of an adult about 172 cm tall, from the usual share of body height for each segment
(thigh and shin about 0.245 H each, upper arm 0.186 H, forearm 0.146 H, hand 0.108 H, hip
joint to shoulder 0.288 H). The trunk is three bones, split at the waist and at the mid back
(just below the shoulder blades), so that the low back can arch or flatten, and a curl-up can
lift the shoulder blades while the rest of the back stays down.

The viewer sees the body's right side: the near limbs are the right ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Layer(IntEnum):
    """Drawing order, back to front. The far arm is drawn behind the far leg and the near arm
    in front of the near leg, because hands hold the outside of the legs (knees to chest)."""

    FAR_ARM = 0
    FAR_LEG = 1
    TRUNK = 2
    NEAR_LEG = 3
    NEAR_ARM = 4


class Side(StrEnum):
    NEAR = "near"  # the body's right side, facing the viewer
    FAR = "far"  # the left side, seen behind the body


class Shape(StrEnum):
    LINE = "line"  # drawn as a thick line with round ends (a capsule)
    BALL = "ball"  # drawn as a circle around the bone's end (the head)


@dataclass(frozen=True, slots=True)
class Bone:
    """A rigid segment from joint `start` to joint `end`.

    Its direction is that of the bone `relative_to`, turned by `offset` degrees, plus its own
    angle from the pose times `turn` (+1: counter-clockwise, -1: clockwise). Each angle is
    named so that a positive value is the usual bend of that joint (flexion), seen with the
    body's right side toward the viewer.
    """

    name: str
    start: str
    end: str
    length: float
    radius: float
    angle: str
    relative_to: str | None
    offset: float
    turn: int
    layer: Layer
    shape: Shape = Shape.LINE

    @property
    def side(self) -> Side | None:
        """Which side of the body a limb bone is on; None for the trunk and head."""
        if self.layer is Layer.TRUNK:
            return None
        return Side.NEAR if self.layer > Layer.TRUNK else Side.FAR


ROOT = "hip"  # the hip joint: where the trunk and both thighs meet
TRUNK_RADIUS = 10.0
HEAD_RADIUS = 10.0

TRUNK_BONES = (
    Bone("lower-trunk", "hip", "waist", 20.0, TRUNK_RADIUS, "pelvis", None, 0, 1, Layer.TRUNK),
    Bone("mid-trunk", "waist", "mid-back", 14.0, TRUNK_RADIUS, "waist", "lower-trunk", 0, -1,
         Layer.TRUNK),
    Bone("upper-trunk", "mid-back", "shoulder", 16.0, TRUNK_RADIUS, "mid-back", "mid-trunk", 0,
         -1, Layer.TRUNK),
    Bone("neck", "shoulder", "skull", 12.0, 4.5, "neck", "upper-trunk", 0, -1, Layer.TRUNK),
    Bone("head", "skull", "head", 10.0, HEAD_RADIUS, "head", "neck", 0, -1, Layer.TRUNK,
         Shape.BALL),
)  # fmt: skip


# One arm and one leg: name, from joint, to joint, length, radius, relative to which bone,
# offset, turn, angle, is it part of the arm. At zero the arm hangs along the trunk, the leg
# is straight and the foot is at a right angle to the shin; `ankle` points the toes.
LIMB = (
    ("upper-arm", "shoulder", "elbow", 31.0, 4.5, "upper-trunk", 180, 1, "shoulder", True),
    ("forearm", "elbow", "wrist", 25.0, 3.8, "upper-arm", 0, 1, "elbow", True),
    ("hand", "wrist", "fingers", 18.0, 3.0, "forearm", 0, 1, "wrist", True),
    ("thigh", "hip", "knee", 42.0, 6.5, "lower-trunk", 180, 1, "hip", False),
    ("shin", "knee", "ankle", 42.0, 5.0, "thigh", 0, -1, "knee", False),
    ("foot", "ankle", "toes", 20.0, 3.5, "shin", 90, -1, "ankle", False),
)
SHARED = frozenset({"shoulder", "hip", "upper-trunk", "lower-trunk"})


def limb_layer(side: Side, is_arm: bool) -> Layer:
    if side is Side.NEAR:
        return Layer.NEAR_ARM if is_arm else Layer.NEAR_LEG
    return Layer.FAR_ARM if is_arm else Layer.FAR_LEG


def limb_bones(side: Side) -> tuple[Bone, ...]:
    def sided(name: str) -> str:
        return name if name in SHARED else f"{side}.{name}"

    return tuple(
        Bone(sided(name), sided(start), sided(end), length, radius, f"{side}.{angle}",
             sided(relative_to), offset, turn, limb_layer(side, is_arm))
        for name, start, end, length, radius, relative_to, offset, turn, angle, is_arm in LIMB
    )  # fmt: skip


# Parents before children, so forward kinematics can walk the list once.
BONES: tuple[Bone, ...] = TRUNK_BONES + limb_bones(Side.FAR) + limb_bones(Side.NEAR)
BONES_BY_NAME = {bone.name: bone for bone in BONES}
ANGLE_NAMES: tuple[str, ...] = tuple(bone.angle for bone in BONES)
JOINTS: tuple[str, ...] = (ROOT, *(bone.end for bone in BONES))


def bones_at(joint: str) -> tuple[Bone, ...]:
    """The drawn-as-line bones that start or end at `joint`."""
    return tuple(
        bone for bone in BONES if bone.shape is Shape.LINE and joint in (bone.start, bone.end)
    )


def rest_height(joint: str) -> float:
    """How high the joint sits when the body rests on it: the thickest bone there."""
    if joint == "head":
        return HEAD_RADIUS
    return max(bone.radius for bone in bones_at(joint))
