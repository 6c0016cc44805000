"""The drawings of one exercise (its keyframes as still SVGs, all on the same stage), or of
one how-to picture (its stages, each on a stage of its own)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from stenosis_coach.programme.catalogue import DEFAULT_LOCALE

from .animation import Animation, build_animation
from .arrows import arrow_line
from .geometry import Vec
from .keyframes import Illustration, load_illustrations
from .moves import build_slides, load_how_tos
from .props import Chair
from .stage import NUMBER_RADIUS, Stage, stage_for
from .svg import Picture, keyframe_svg

NUMBER_ROOM = 2 * NUMBER_RADIUS  # above a how-to stage's figure, for its number


def drawing_ids() -> tuple[str, ...]:
    """Every picture there is: each exercise's, then each how-to picture."""
    return (*load_illustrations(), *load_how_tos())


def is_how_to(drawing_id: str) -> bool:
    return drawing_id in load_how_tos()


def illustration_for(drawing_id: str) -> Illustration:
    """KeyError for an id with no pictures."""
    how_to = load_how_tos().get(drawing_id)
    return how_to.illustration if how_to else load_illustrations()[drawing_id]


@cache
def animation_for(drawing_id: str) -> tuple[Illustration, Animation, Stage]:
    """The keyframes, the frames, and one stage that fits them all, so the figure never
    jumps or changes size between pictures (for a how-to picture: every stage where it
    happens in the room, the chair too). KeyError for an id with no pictures."""
    illustration = illustration_for(drawing_id)
    if is_how_to(drawing_id):
        animation = build_slides(illustration)
        points = [*all_arrow_points(illustration), *chair_points(illustration.chair)]
        return illustration, animation, stage_for(animation.frames, points, fit=True)
    animation = build_animation(illustration)
    return illustration, animation, stage_for(animation.frames, all_arrow_points(illustration))


def all_arrow_points(illustration: Illustration) -> list[Vec]:
    return [
        point
        for name in illustration.keyframes
        for line in keyframe_arrows(illustration, name)
        for point in line
    ]


def chair_points(chair: Chair | None) -> list[Vec]:
    if chair is None:
        return []
    return [point for start, end, _ in chair.rails() for point in (start, end)]


def keyframe_arrows(illustration: Illustration, name: str) -> list[tuple[Vec, ...]]:
    keyframe = illustration.keyframes[name]
    shift = Vec(keyframe.place, 0.0)
    return [
        tuple(point + shift for point in arrow_line(arrow, keyframe.pose, illustration.poses))
        for arrow in keyframe.arrows
    ]


def keyframe_picture(illustration: Illustration, name: str, locale: str) -> Picture:
    keyframe = illustration.keyframes[name]
    text = keyframe.text(locale)
    arrows = keyframe_arrows(illustration, name)
    chair = illustration.chair if keyframe.with_chair else None
    return Picture(keyframe.figure(), arrows, text.title, text.description, chair,
                   illustration.mat)  # fmt: skip


def panel_stages(illustration: Illustration) -> dict[str, Stage]:
    """For each stage of a how-to picture, a stage just around its figure (and the chair,
    when it is in the picture), with room above for the stage's number if there are more
    stages than one."""
    room = NUMBER_ROOM if len(illustration.keyframes) > 1 else 0.0
    stages = {}
    for name, keyframe in illustration.keyframes.items():
        chair = illustration.chair if keyframe.with_chair else None
        points = [*(p for line in keyframe_arrows(illustration, name) for p in line),
                  *chair_points(chair)]  # fmt: skip
        stage = stage_for([keyframe.figure()], points, fit=True)
        stages[name] = stage.with_top(stage.top + room)
    return stages


def row_stages(illustration: Illustration, rows: tuple[tuple[str, ...], ...]) -> dict[str, Stage]:
    """The panel stages, those of one row as high as the highest of them."""
    panels = panel_stages(illustration)
    stages = {}
    for row in rows:
        top = max(panels[name].top for name in row)
        stages.update({name: panels[name].with_top(top) for name in row})
    return stages


def gallery_stages(illustration: Illustration) -> dict[str, Stage]:
    """The panel stages all made as wide and as high as the biggest, each still centred on
    its own figure: the pictures page shows them in a grid of equal boxes, at one scale."""
    panels = panel_stages(illustration)
    width = max(stage.width for stage in panels.values())
    top = max(stage.top for stage in panels.values())
    return {name: stage.widened(width).with_top(top) for name, stage in panels.items()}


def keyframe_svgs(drawing_id: str, locale: str = DEFAULT_LOCALE) -> dict[str, str]:
    """Keyframe name to a complete SVG document, in order (start first). KeyError for an id
    with no pictures."""
    illustration, _, stage = animation_for(drawing_id)
    stages: Mapping[str, Stage] = (
        gallery_stages(illustration)
        if is_how_to(drawing_id)
        else dict.fromkeys(illustration.keyframes, stage)
    )
    return {
        name: keyframe_svg(
            keyframe_picture(illustration, name, locale), stages[name], f"{drawing_id}-{name}"
        )
        for name in illustration.keyframes
    }
