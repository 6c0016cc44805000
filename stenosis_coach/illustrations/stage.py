"""Where a picture's figure sits: the window on the world each SVG shows, in centimetres, and
each moving part's numbers in that window (the animation frames)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .body import BONES, Shape
from .geometry import Vec
from .kinematics import Figure

STAGE_WIDTH = 200.0  # cm: the same scale for every exercise
STAGE_MARGIN = 5.0  # cm of room above the highest point
STAGE_BOTTOM = -5.0  # cm below the mat's top: the mat and the floor under it
MAT_MARGIN = 8.0
ARROW_HEAD = (6.0, 3.6)  # length and half-width, cm
PANEL_GAP = 6.0
EYE = "eye"
PARTS: tuple[str, ...] = (*(bone.name for bone in BONES), EYE)


@dataclass(frozen=True, slots=True)
class Stage:
    """The part of the world one picture shows: world x `left` to `left` + STAGE_WIDTH, and
    from below the mat up to `top` (cm above it). `offset` places the picture in a row."""

    left: float
    top: float
    mat_left: float
    mat_right: float
    offset: float = 0.0

    @property
    def height(self) -> float:
        return self.top - STAGE_BOTTOM

    @property
    def right(self) -> float:
        return self.left + STAGE_WIDTH

    def xy(self, point: Vec) -> tuple[float, float]:
        return round(point.x - self.left + self.offset, 1), round(self.top - point.y, 1)

    def moved(self, panel: int) -> Stage:
        """The same stage drawn as the `panel`-th picture of a row."""
        offset = panel * (STAGE_WIDTH + PANEL_GAP)
        return Stage(self.left, self.top, self.mat_left, self.mat_right, offset)


def stage_for(figures: Iterable[Figure], arrow_points: Iterable[Vec] = ()) -> Stage:
    """A stage that fits every figure and arrow given (all of one exercise's frames), with
    the figure centred and no more room above it than needed: the player's space is short."""
    extents = [
        (end.x - bone.radius, end.x + bone.radius, end.y + bone.radius)
        for figure in figures
        for bone in BONES
        for end in figure.ends(bone)
    ]
    extents += [(point.x, point.x, point.y + ARROW_HEAD[1]) for point in arrow_points]
    low = min(extent[0] for extent in extents)
    high = max(extent[1] for extent in extents)
    top = math.ceil(max(extent[2] for extent in extents) + STAGE_MARGIN)
    left = round((low + high - STAGE_WIDTH) / 2, 1)
    mat_left, mat_right = max(left, low - MAT_MARGIN), min(left + STAGE_WIDTH, high + MAT_MARGIN)
    return Stage(left, top, mat_left, mat_right)


def part_coordinates(figure: Figure, stage: Stage) -> list[list[float]]:
    """Each part's numbers, in PARTS order: a line's x1, y1, x2, y2; a circle's cx, cy."""
    coordinates = []
    for bone in BONES:
        start, end = figure.ends(bone)
        if bone.shape is Shape.BALL:
            coordinates.append(list(stage.xy(end)))
        else:
            coordinates.append([*stage.xy(start), *stage.xy(end)])
    coordinates.append(list(stage.xy(figure.eye)))
    return coordinates
