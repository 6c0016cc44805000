"""All the player needs to show one exercise's figure, as JSON-ready data.

The scene SVG holds the figure in its start pose; each frame lists the numbers of every
moving part (see svg.part_coordinates) and each phase the frames it plays, so the browser
only picks the frame nearest to how far through the step it is and writes its numbers.
"""

from __future__ import annotations

from typing import Any

from stenosis_coach.programme.catalogue import DEFAULT_LOCALE, load_catalogue
from stenosis_coach.programme.plan import Phase

from .keyframes import Illustration
from .moves import START, load_how_tos
from .pictures import animation_for, is_how_to, keyframe_picture, row_stages
from .stage import PARTS, part_coordinates
from .svg import scene_svg, steps_svg, strip_svg

SLIDE_MS = 3000  # each stage of a how-to picture, on the pictures page

# Arrows show while the figure is still, before and during the hold; the movement itself
# shows the way during the moves.
ARROWS_SHOWN = {Phase.START.value: Phase.START.value, Phase.END.value: Phase.END.value}
# The pose the patient is moving to, or holding, in each phase.
PHASE_TARGET = {
    Phase.START.value: Phase.START.value,
    Phase.MOVING_IN.value: Phase.END.value,
    Phase.END.value: Phase.END.value,
    Phase.MOVING_OUT.value: Phase.START.value,
    Phase.LEFT.value: Phase.LEFT.value,
    Phase.RIGHT.value: Phase.RIGHT.value,
}


def still_keyframes(illustration: Illustration) -> list[str]:
    """What less motion shows side by side: start and end, or the march's two feet."""
    names = list(illustration.keyframes)
    return names if Phase.END in names else [name for name in names if name != Phase.START]


def demo_sequence(illustration: Illustration) -> list[dict[str, Any]]:
    """One round of the movement at the catalogue's pace, for the pictures page."""
    timing = load_catalogue().get(illustration.exercise_id).timing
    if Phase.END in illustration.keyframes:
        rounds = [
            (Phase.START.value, 1.5),
            (Phase.MOVING_IN.value, timing.move_seconds),
            (Phase.END.value, 2.0),
            (Phase.MOVING_OUT.value, timing.release_seconds),
        ]
    else:
        sides = [name for name in illustration.keyframes if name != Phase.START]
        rounds = [(Phase.START.value, 1.5), *((side, timing.march_step_seconds) for side in sides)]
    return [{"phase": phase, "ms": round(seconds * 1000)} for phase, seconds in rounds]


def animation_data(exercise_id: str, locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
    """KeyError when the exercise (or how-to picture) has no pictures."""
    if is_how_to(exercise_id):
        return how_to_data(exercise_id, locale)
    illustration, animation, stage = animation_for(exercise_id)
    name = load_catalogue().get(exercise_id).text(locale).name
    pictures = {key: keyframe_picture(illustration, key, locale) for key in illustration.keyframes}
    description = " ".join(picture.description for picture in pictures.values())
    arrows = {key: picture.arrows for key, picture in pictures.items() if picture.arrows}
    still = still_keyframes(illustration)
    return {
        "exercise": exercise_id,
        "title": name,
        "description": description,
        "parts": list(PARTS),
        "frames": [part_coordinates(figure, stage) for figure in animation.frames],
        "phases": {phase: list(frames) for phase, frames in animation.phases.items()},
        "arrows": {phase: key for phase, key in ARROWS_SHOWN.items() if key in arrows},
        "keyframes": {
            key: {
                "frame": animation.keyframe_frames[key],
                "title": picture.title,
                "description": picture.description,
            }
            for key, picture in pictures.items()
        },
        "scene": scene_svg(
            animation.frames[0], arrows, stage, (name, description), f"{exercise_id}-scene"
        ),
        "still": {
            "keyframes": still,
            "phases": {phase: key for phase, key in PHASE_TARGET.items() if key in still},
            "svg": strip_svg(
                {key: pictures[key] for key in still},
                stage,
                (name, description),
                f"{exercise_id}-still",
            ),
        },
        "demo": demo_sequence(illustration),
    }


def how_to_data(how_to_id: str, locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
    """A how-to picture in the same shape as an exercise's: its stages are the keyframes,
    in order, and each is a phase of one frame (`start` is the first stage). The still
    picture shows them all, numbered, in rows; the player shows it with the description."""
    how_to = load_how_tos()[how_to_id]
    illustration, animation, stage = animation_for(how_to_id)
    words = how_to.text(locale)
    text = (words.title, words.description)
    pictures = {key: keyframe_picture(illustration, key, locale) for key in illustration.keyframes}
    arrows = {key: picture.arrows for key, picture in pictures.items() if picture.arrows}
    stages = row_stages(illustration, how_to.rows)
    rows = [[(key, pictures[key], stages[key]) for key in row] for row in how_to.rows]
    first = how_to.stages[0]
    return {
        "exercise": how_to_id,
        "kind": "how-to",
        "title": words.title,
        "description": words.description,
        "parts": list(PARTS),
        "frames": [part_coordinates(figure, stage) for figure in animation.frames],
        "phases": {phase: list(frames) for phase, frames in animation.phases.items()},
        "arrows": {key: key for key in arrows} | ({START: first} if first in arrows else {}),
        "keyframes": {
            key: {
                "frame": animation.keyframe_frames[key],
                "title": picture.title,
                "description": picture.description,
            }
            for key, picture in pictures.items()
        },
        "scene": scene_svg(
            animation.frames[0],
            arrows,
            stage,
            text,
            f"{how_to_id}-scene",
            (illustration.chair, illustration.mat),
        ),
        "still": {
            "keyframes": list(how_to.stages),
            "phases": {START: first, **{key: key for key in how_to.stages}},
            "svg": steps_svg(rows, text, f"{how_to_id}-still"),
        },
        "demo": [{"phase": key, "ms": SLIDE_MS} for key in how_to.stages],
    }
