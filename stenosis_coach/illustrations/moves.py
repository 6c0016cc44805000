"""The how-to pictures: getting down to the floor and up again, and two ways to rest.

Each is a few stages in order, read from data/moves.toml. A stage is a pose of the same body
model as the exercises (with the rests for standing, down on one knee, on one side and
sitting on a chair), a place along the floor, and whether the chair is in its picture. The
player shows the stages side by side, numbered, with the how-to's description as its text.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from stenosis_coach.programme.catalogue import DEFAULT_LOCALE, pick_locale

from .animation import Animation
from .keyframes import Illustration, IllustrationError, KeyframeText, parse_keyframe
from .props import Chair, Facing

HOW_TO_FILE = "moves.toml"
START = "start"  # the phase the player shows first: the first stage
# The stages of a still picture in rows, so that they stay big enough on a phone.
ROWS = {1: (1,), 2: (2,), 3: (3,), 4: (2, 2), 5: (3, 2), 6: (3, 3)}


@dataclass(frozen=True, slots=True)
class HowTo:
    """One how-to picture: its words, and its stages as keyframes, in order."""

    id: str
    texts: Mapping[str, KeyframeText]
    illustration: Illustration

    def text(self, locale: str) -> KeyframeText:
        return self.texts[pick_locale(locale, self.texts)]

    @property
    def stages(self) -> tuple[str, ...]:
        return tuple(self.illustration.keyframes)

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        """The stages, row by row, as the still picture shows them."""
        rows, first = [], 0
        for count in ROWS[len(self.stages)]:
            rows.append(self.stages[first : first + count])
            first += count
        return tuple(rows)


def read_moves() -> dict[str, Any]:
    text = (
        resources.files("stenosis_coach.illustrations")
        .joinpath("data", HOW_TO_FILE)
        .read_text(encoding="utf-8")
    )
    return tomllib.loads(text)


@cache
def load_how_tos() -> Mapping[str, HowTo]:
    """Every how-to picture shipped, by id, in file order (parsed once per process)."""
    return parse_how_tos(read_moves())


def how_to_ids() -> tuple[str, ...]:
    """The ids of the how-to pictures ("get-down", "get-up", "rest-lying", "rest-sitting"),
    each served like an exercise's picture."""
    return tuple(load_how_tos())


def parse_how_tos(data: Mapping[str, Any]) -> dict[str, HowTo]:
    poses = data.get("poses", {})
    how_tos = {}
    for raw in data.get("moves", []):
        how_to = parse_how_to(raw, poses)
        if how_to.id in how_tos:
            raise IllustrationError(f"{how_to.id}: there are two how-to pictures with this id")
        how_tos[how_to.id] = how_to
    return how_tos


def parse_how_to(raw: Mapping[str, Any], poses: Mapping[str, Any]) -> HowTo:
    how_to_id = str(raw.get("id", ""))
    try:
        texts = {
            locale: KeyframeText(str(text["title"]), str(text["description"]))
            for locale, text in raw["text"].items()
        }
        chair = parse_chair(raw["chair"]) if "chair" in raw else None
        stages = list(raw["stages"])
    except (KeyError, TypeError, ValueError) as error:
        raise IllustrationError(f"{how_to_id}: {error!r}") from error
    if DEFAULT_LOCALE not in texts:
        raise IllustrationError(f"{how_to_id}: needs English text")
    if not 1 <= len(stages) <= max(ROWS):
        raise IllustrationError(f"{how_to_id}: needs 1 to {max(ROWS)} stages")
    keyframes = {}
    for stage in stages:
        name = str(stage.get("pose", ""))
        if name not in poses:
            raise IllustrationError(f"{how_to_id}: no pose called {name!r}")
        if name in keyframes or name == START:
            raise IllustrationError(f"{how_to_id}: a stage cannot be called {name!r} again")
        table = {**poses[name], **stage}
        keyframe = parse_keyframe(how_to_id, name, table)
        with_chair = bool(table.get("chair", False))
        if with_chair and chair is None:
            raise IllustrationError(f"{how_to_id}.{name}: shows a chair, but there is none")
        keyframes[name] = replace(keyframe, place=float(table.get("x", 0)), with_chair=with_chair)
    illustration = Illustration(how_to_id, keyframes, chair, bool(raw.get("mat", True)))
    return HowTo(how_to_id, texts, illustration)


def parse_chair(raw: Mapping[str, Any]) -> Chair:
    facing = {"right": Facing.RIGHT, "left": Facing.LEFT}[str(raw["facing"])]
    return Chair(float(raw["front"]), facing)


def build_slides(illustration: Illustration) -> Animation:
    """Each stage once, as a frame of its own: the player and the pictures page step from
    one stage to the next (the body changes how it rests between them, so there is no
    movement to draw in between)."""
    frames = tuple(keyframe.figure() for keyframe in illustration.keyframes.values())
    names = list(illustration.keyframes)
    phases = {START: (0,), **{name: (index,) for index, name in enumerate(names)}}
    return Animation(frames, phases, {name: index for index, name in enumerate(names)})
