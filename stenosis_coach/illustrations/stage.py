"""Where a picture's figure sits: the window on the world each SVG shows, in centimetres, and
each moving part's numbers in that window (the animation frames)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .body import BONES, Shape
from .geometry import Vec
from .kinematics import Figure

STAGE_WIDTH = 200.0  # cm: the same scale for every exercise
STAGE_MARGIN = 5.0  # cm of room above the highest point
STAGE_BOTTOM = -5.0  # cm below the mat's top: the mat and the floor under it
MAT_MARGIN = 8.0
ARROW_HEAD = (6.0, 3.6)  # length and half-width, cm
PANEL_GAP = 6.0
FIT_MARGIN = 6.0  # cm each side of a stage made just as wide as its figure
NUMBER_RADIUS = 12.0  # the round badge with a how-to stage's number in it (18-unit digits)
EYE = "eye"
PARTS: tuple[str, ...] = (*(bone.name for bone in BONES), EYE)


@dataclass(frozen=True, slots=True)
class Stage:
    """The part of the world one picture shows: world x `left` to `left` + `width`, and
    from below the mat up to `top` (cm above it). `offset` and `down` place the picture in a
    row, or in a grid of rows."""

    left: float
    top: float
    mat_left: float
    mat_right: float
    offset: float = 0.0
    width: float = STAGE_WIDTH
    down: float = 0.0

    @property
    def height(self) -> float:
        return self.top - STAGE_BOTTOM

    @property
    def right(self) -> float:
        return self.left + self.width

    def xy(self, point: Vec) -> tuple[float, float]:
        return (
            round(point.x - self.left + self.offset, 1),
            round(self.top - point.y + self.down, 1),
        )

    def moved(self, panel: int) -> Stage:
        """The same stage drawn as the `panel`-th picture of a row."""
        return self.placed(panel * (self.width + PANEL_GAP), 0.0)

    def with_top(self, top: float) -> Stage:
        return replace(self, top=top)

    def widened(self, width: float) -> Stage:
        """As wide as `width`, with the same middle."""
        grow = (width - self.width) / 2
        return replace(self, left=round(self.left - grow, 1), width=width)

    def placed(self, offset: float, down: float) -> Stage:
        """The same stage drawn `offset` from the left and `down` from the top of a picture."""
        return replace(self, offset=offset, down=down)


def extents_of(figures: Iterable[Figure], points: Iterable[Vec] = ()) -> tuple[float, float, float]:
    """The leftmost, rightmost and highest drawn point of the figures and of the points
    given (arrows' points, a chair's corners)."""
    extents = [
        (end.x - bone.radius, end.x + bone.radius, end.y + bone.radius)
        for figure in figures
        for bone in BONES
        for end in figure.ends(bone)
    ]
    extents += [(point.x, point.x, point.y + ARROW_HEAD[1]) for point in points]
    low = min(extent[0] for extent in extents)
    high = max(extent[1] for extent in extents)
    return low, high, max(extent[2] for extent in extents)


def stage_for(
    figures: Iterable[Figure], arrow_points: Iterable[Vec] = (), *, fit: bool = False
) -> Stage:
    """A stage that fits every figure and arrow given (all of one exercise's frames), with
    the figure centred and no more room above it than needed: the player's space is short.
    Exercises share one width, so that every figure is drawn at the same scale; `fit` makes
    the stage just as wide as its figures (the stages of a how-to picture)."""
    figures = list(figures)
    low, high, highest = extents_of(figures, arrow_points)
    mat_low, mat_high, _ = extents_of(figures)
    top = math.ceil(highest + STAGE_MARGIN)
    width = round(high - low + 2 * FIT_MARGIN, 1) if fit else STAGE_WIDTH
    left = round((low + high - width) / 2, 1)
    mat_left = max(left, mat_low - MAT_MARGIN)
    mat_right = min(left + width, mat_high + MAT_MARGIN)
    return Stage(left, top, mat_left, mat_right, width=width)


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
