"""The drawings of one exercise: its keyframes as still SVGs, all on the same stage."""

from __future__ import annotations

from functools import cache

from stenosis_coach.programme.catalogue import DEFAULT_LOCALE

from .animation import Animation, build_animation
from .arrows import arrow_line
from .geometry import Vec
from .keyframes import Illustration, load_illustrations
from .kinematics import pose_figure
from .stage import Stage, stage_for
from .svg import Picture, keyframe_svg


@cache
def animation_for(exercise_id: str) -> tuple[Illustration, Animation, Stage]:
    """An exercise's keyframes, its frames, and one stage that fits them all, so the figure
    never jumps or changes size between pictures. KeyError for an unknown exercise."""
    illustration = load_illustrations()[exercise_id]
    animation = build_animation(illustration)
    arrow_points = [
        point
        for name in illustration.keyframes
        for line in keyframe_arrows(illustration, name)
        for point in line
    ]
    return illustration, animation, stage_for(animation.frames, arrow_points)


def keyframe_arrows(illustration: Illustration, name: str) -> list[tuple[Vec, ...]]:
    keyframe = illustration.keyframes[name]
    return [arrow_line(arrow, keyframe.pose, illustration.poses) for arrow in keyframe.arrows]


def keyframe_picture(illustration: Illustration, name: str, locale: str) -> Picture:
    keyframe = illustration.keyframes[name]
    text = keyframe.text(locale)
    arrows = keyframe_arrows(illustration, name)
    return Picture(pose_figure(keyframe.pose), arrows, text.title, text.description)


def keyframe_svgs(exercise_id: str, locale: str = DEFAULT_LOCALE) -> dict[str, str]:
    """Keyframe name to a complete SVG document, in catalogue order (start first)."""
    illustration, _, stage = animation_for(exercise_id)
    return {
        name: keyframe_svg(
            keyframe_picture(illustration, name, locale), stage, f"{exercise_id}-{name}"
        )
        for name in illustration.keyframes
    }
