"""Poses: joint angles plus how the body rests on the mat, and the blend between two poses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .body import ANGLE_NAMES
from .geometry import lerp
from .props import SEAT_HEIGHT


class Rest(StrEnum):
    BACK = "back"
    HANDS_AND_KNEES = "hands-and-knees"
    KNEELING = "kneeling"
    # For the how-to pictures (getting down to the floor and up again, resting):
    STANDING = "standing"
    ONE_KNEE = "one-knee"  # down on the far knee, the near foot flat in front
    SIDE = "side"  # on one side, propped up on the far forearm
    CHAIR = "chair"  # sitting on a chair, the feet flat on the floor


@dataclass(frozen=True, slots=True)
class Support:
    """What holds the body up: `anchor` stays put, resting on something `height` cm above the
    mat (0: the mat itself; a chair's seat); `contacts` all touch the mat."""

    anchor: str
    contacts: tuple[str, ...]
    height: float = 0.0


BOTH_KNEES = ("near.knee", "far.knee")
BOTH_FEET = ("near.toes", "far.toes")
FLAT_FEET = ("near.ankle", "near.toes", "far.ankle", "far.toes")
SUPPORTS = {
    Rest.BACK: Support("hip", ("hip",)),
    Rest.HANDS_AND_KNEES: Support(
        "near.knee", (*BOTH_KNEES, *BOTH_FEET, "near.fingers", "far.fingers")
    ),
    # The knees stay where they were on hands and knees, so the two rests blend smoothly.
    Rest.KNEELING: Support("near.knee", (*BOTH_KNEES, *BOTH_FEET)),
    Rest.STANDING: Support("near.ankle", FLAT_FEET),
    Rest.ONE_KNEE: Support("far.knee", ("far.knee", "far.toes", "near.ankle", "near.toes")),
    Rest.SIDE: Support("hip", ("hip", "far.elbow", "far.wrist", "near.fingers")),
    Rest.CHAIR: Support("hip", FLAT_FEET, SEAT_HEIGHT),
}


class PoseError(ValueError):
    """A pose is missing an angle or names one the body does not have."""


@dataclass(frozen=True, slots=True)
class Pose:
    """`angles` in degrees, one for each name in body.ANGLE_NAMES."""

    rest: Rest
    angles: Mapping[str, float]

    def __post_init__(self) -> None:
        missing = sorted(set(ANGLE_NAMES) - set(self.angles))
        unknown = sorted(set(self.angles) - set(ANGLE_NAMES))
        if missing or unknown:
            raise PoseError(f"missing angles {missing}, unknown angles {unknown}")

    @property
    def support(self) -> Support:
        return SUPPORTS[self.rest]


def blend(start: Pose, end: Pose, t: float) -> Pose:
    """The pose a share `t` (0 to 1) of the way from `start` to `end`.

    Angles are blended, never points, so every bone keeps its length. Both poses of one
    movement keep the same anchor, so the rest may switch halfway without a jump.
    """
    rest = start.rest if t < 0.5 else end.rest
    return Pose(rest, {name: lerp(start.angles[name], end.angles[name], t) for name in ANGLE_NAMES})
