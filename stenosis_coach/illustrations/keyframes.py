"""Each exercise's keyframes (the poses to draw), read from the catalogue data file.

They sit next to each exercise, in `[exercises.poses.<phase>]` tables; the programme engine
ignores those tables, and this module ignores everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from stenosis_coach.programme.catalogue import DEFAULT_LOCALE, catalogue_data, pick_locale
from stenosis_coach.programme.plan import Phase

from .arrows import Arrow, PathArrow, StraightArrow
from .body import JOINTS, Side
from .geometry import Vec
from .kinematics import Figure, pose_figure
from .pose import Pose, PoseError, Rest
from .props import Chair

TRUNK_ANGLES = ("pelvis", "waist", "mid-back", "neck", "head")
LIMB_ANGLES = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
# A keyframe is named after the plan phase that shows it; the moves between keyframes are
# the phases in between (moving-in, moving-out).
KEYFRAME_NAMES = (Phase.START, Phase.END, Phase.LEFT, Phase.RIGHT)


class IllustrationError(ValueError):
    """The pose data in the catalogue is not valid."""


@dataclass(frozen=True, slots=True)
class KeyframeText:
    """The text alternative of one picture: a short title and a plain description."""

    title: str
    description: str


@dataclass(frozen=True, slots=True)
class Keyframe:
    name: str
    pose: Pose
    arrows: tuple[Arrow, ...]
    texts: Mapping[str, KeyframeText]
    # The how-to pictures (moves.py) place each stage along the floor, beside a chair.
    place: float = 0.0  # cm along the floor from where the pose puts its anchor
    with_chair: bool = False  # the chair belongs in this picture

    def text(self, locale: str) -> KeyframeText:
        return self.texts[pick_locale(locale, self.texts)]

    def figure(self) -> Figure:
        return pose_figure(self.pose).moved(self.place)


@dataclass(frozen=True, slots=True)
class Illustration:
    """The pictures of one exercise, `start` first; or the stages of a how-to picture, in
    order, with what is in the room: a chair, and whether there is a mat."""

    exercise_id: str
    keyframes: Mapping[str, Keyframe]
    chair: Chair | None = None
    mat: bool = True

    @property
    def start(self) -> Keyframe:
        return self.keyframes[Phase.START]

    @property
    def poses(self) -> dict[str, Pose]:
        return {name: keyframe.pose for name, keyframe in self.keyframes.items()}


@cache
def load_illustrations() -> Mapping[str, Illustration]:
    """The pictures of every exercise in the shipped catalogue, with their words in every
    language (parsed once per process)."""
    return parse_illustrations(catalogue_data())


def parse_illustrations(data: Mapping[str, Any]) -> dict[str, Illustration]:
    illustrations = {}
    for raw in data.get("exercises", []):
        if "poses" in raw:
            illustration = parse_illustration(str(raw.get("id", "")), raw["poses"])
            illustrations[illustration.exercise_id] = illustration
    return illustrations


def parse_illustration(exercise_id: str, raw: Mapping[str, Any]) -> Illustration:
    if Phase.START not in raw:
        raise IllustrationError(f"{exercise_id}: the poses need a start")
    unknown = sorted(set(raw) - set(KEYFRAME_NAMES))
    if unknown:
        raise IllustrationError(
            f"{exercise_id}: poses are named after the phases {', '.join(KEYFRAME_NAMES)}, "
            f"not {', '.join(unknown)}"
        )
    names = [Phase.START.value, *(name for name in raw if name != Phase.START)]
    keyframes = {name: parse_keyframe(exercise_id, name, raw[name]) for name in names}
    for keyframe in keyframes.values():
        for arrow in keyframe.arrows:
            if isinstance(arrow, PathArrow) and {arrow.source, arrow.target} - set(names):
                raise IllustrationError(f"{exercise_id}: an arrow names a missing keyframe")
    return Illustration(exercise_id, keyframes)


def parse_keyframe(exercise_id: str, name: str, raw: Mapping[str, Any]) -> Keyframe:
    where = f"{exercise_id}.{name}"
    try:
        pose = parse_pose(raw)
        arrows = tuple(parse_arrow(item) for item in raw.get("arrows", []))
        texts = {
            locale: KeyframeText(str(text["title"]), str(text["description"]))
            for locale, text in raw["text"].items()
        }
    except (KeyError, TypeError, ValueError) as error:
        raise IllustrationError(f"{where}: {error!r}") from error
    if DEFAULT_LOCALE not in texts:
        raise IllustrationError(f"{where}: needs English text")
    return Keyframe(name, pose, arrows, texts)


def parse_pose(raw: Mapping[str, Any]) -> Pose:
    """`trunk`, `near` and `far` tables of angles in degrees, and how the body rests."""
    tables = {"trunk": TRUNK_ANGLES, Side.NEAR.value: LIMB_ANGLES, Side.FAR.value: LIMB_ANGLES}
    angles: dict[str, float] = {}
    for table, names in tables.items():
        values = raw[table]
        if set(values) != set(names):
            raise PoseError(f"{table} needs exactly {', '.join(names)}")
        prefix = "" if table == "trunk" else f"{table}."
        angles.update({f"{prefix}{name}": float(values[name]) for name in names})
    return Pose(Rest(raw["rest"]), angles)


def parse_arrow(raw: Mapping[str, Any]) -> Arrow:
    joint = str(raw["joint"])
    if joint not in JOINTS:
        raise ValueError(f"no joint called {joint}")
    offset = Vec(*(float(value) for value in raw["offset"]))
    if "direction" in raw:
        return StraightArrow(joint, float(raw["direction"]), float(raw["length"]), offset)
    return PathArrow(joint, str(raw["from"]), str(raw["to"]), offset)
