"""The list of every exercise's pictures, shared by the gallery page and `illustrate`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from stenosis_coach.illustrations import keyframe_svgs, load_illustrations
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


def gallery_entries(locale: str) -> list[ExerciseEntry]:
    """Every exercise with pictures, in catalogue order, each keyframe start first."""
    catalogue = load_catalogue()
    entries = []
    for exercise_id, illustration in load_illustrations().items():
        keyframes = []
        for name, svg in keyframe_svgs(exercise_id, locale).items():
            text = illustration.keyframes[name].text(locale)
            file_name = f"{exercise_id}-{name}.svg"
            keyframes.append(
                KeyframeEntry(name, text.title, text.description, file_name, mark_safe(svg))
            )
        entries.append(
            ExerciseEntry(exercise_id, catalogue.get(exercise_id).text(locale).name, keyframes)
        )
    return entries
