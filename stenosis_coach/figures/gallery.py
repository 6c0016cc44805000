"""The list of every picture, shared by the gallery page and `illustrate`: each exercise's
keyframes, then each how-to picture's stages (getting down to the floor and up, resting)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from stenosis_coach.illustrations import drawing_ids, keyframe_svgs, load_how_tos
from stenosis_coach.illustrations.pictures import illustration_for
from stenosis_coach.programme import load_catalogue


@dataclass(frozen=True)
class KeyframeEntry:
    name: str
    title: str
    description: str
    file_name: str
    svg: SafeString  # made by our own code from the catalogue, its text escaped


@dataclass(frozen=True)
class ExerciseEntry:
    id: str
    name: str
    keyframes: list[KeyframeEntry]
    description: str = ""  # a how-to picture's words, which the player shows beside it
    is_how_to: bool = False


def gallery_entries(locale: str) -> list[ExerciseEntry]:
    """Every exercise with pictures, in catalogue order, each keyframe start first; then
    every how-to picture, its stages in order."""
    catalogue = load_catalogue()
    how_tos = load_how_tos()
    entries = []
    for drawing_id in drawing_ids():
        illustration = illustration_for(drawing_id)
        keyframes = []
        for name, svg in keyframe_svgs(drawing_id, locale).items():
            text = illustration.keyframes[name].text(locale)
            file_name = f"{drawing_id}-{name}.svg"
            keyframes.append(
                KeyframeEntry(name, text.title, text.description, file_name, mark_safe(svg))
            )
        if drawing_id in how_tos:
            words = how_tos[drawing_id].text(locale)
            entries.append(
                ExerciseEntry(drawing_id, words.title, keyframes, words.description, True)
            )
        else:
            name = catalogue.get(drawing_id).text(locale).name
            entries.append(ExerciseEntry(drawing_id, name, keyframes))
    return entries
