"""The drawings as SVG: well-formed, with a text alternative, drawn back to front, inside the
picture, and in colours that stand out on light and dark screens."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from stenosis_coach.illustrations import animation_data, keyframe_svgs
from stenosis_coach.illustrations.body import BONES_BY_NAME, Layer
from stenosis_coach.illustrations.stage import EYE
from stenosis_coach.illustrations.style import DARK, LIGHT, Palette, contrast_ratio, stylesheet
from stenosis_coach.illustrations.svg import SVG_NS

from .helpers import EXERCISE_IDS, ILLUSTRATIONS

NS = {"svg": SVG_NS}
DATA = {exercise: animation_data(exercise) for exercise in EXERCISE_IDS}
SVGS = [
    pytest.param(exercise, name, svg, id=f"{exercise}-{name}")
    for exercise in EXERCISE_IDS
    for name, svg in keyframe_svgs(exercise).items()
]
PLAYER_SVGS = [
    pytest.param(exercise, kind, svg, id=f"{exercise}-{kind}")
    for exercise in EXERCISE_IDS
    for kind, svg in (("scene", DATA[exercise]["scene"]), ("still", DATA[exercise]["still"]["svg"]))
]
ALL_SVGS = SVGS + PLAYER_SVGS
GRAPHICS_CONTRAST = 3.0  # WCAG 1.4.11, non-text contrast
MAX_GRADE = 6


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{{{SVG_NS}}}svg"
    return root


def view_box(root: ET.Element) -> tuple[float, float]:
    _, _, width, height = (float(value) for value in root.attrib["viewBox"].split())
    return width, height


@pytest.mark.parametrize(("exercise", "name", "svg"), ALL_SVGS)
def test_every_svg_has_a_title_and_a_description_it_is_labelled_by(
    exercise: str, name: str, svg: str
) -> None:
    root = parse(svg)
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None
    assert desc is not None
    assert title.text
    assert desc.text
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-labelledby"] == title.attrib["id"]
    assert root.attrib["aria-describedby"] == desc.attrib["id"]


@pytest.mark.parametrize(("exercise", "name", "svg"), SVGS)
def test_keyframe_svgs_say_what_the_catalogue_says(exercise: str, name: str, svg: str) -> None:
    root = parse(svg)
    text = ILLUSTRATIONS[exercise].keyframes[name].text("en")
    assert root.findtext("svg:title", namespaces=NS) == text.title
    assert root.findtext("svg:desc", namespaces=NS) == text.description


@pytest.mark.parametrize(("exercise", "name", "svg"), ALL_SVGS)
def test_far_limbs_are_drawn_first_then_the_trunk_then_the_near_limbs(
    exercise: str, name: str, svg: str
) -> None:
    for figure in parse(svg).iter(f"{{{SVG_NS}}}g"):
        if figure.attrib.get("class") != "figure":
            continue
        layers = [
            BONES_BY_NAME[part].layer
            for element in figure
            if (part := element.attrib["data-part"]) != EYE
        ]
        assert layers == sorted(layers)
        for element in figure:
            part, classes = element.attrib["data-part"], element.attrib["class"].split()
            if part == EYE or "halo" in classes:
                continue
            side = BONES_BY_NAME[part].side
            assert (side or "trunk") in classes  # near limbs dark, far limbs lighter


@pytest.mark.parametrize(("exercise", "name", "svg"), SVGS)
def test_the_drawn_figure_is_the_keyframe(exercise: str, name: str, svg: str) -> None:
    """The SVG holds the same numbers as the keyframe's frame in the player's data."""
    data = DATA[exercise]
    expected = data["frames"][data["keyframes"][name]["frame"]]
    root = parse(svg)
    drawn: dict[str, list[float]] = {}
    for element in root.iter():
        part = element.attrib.get("data-part")
        if part and "halo" not in element.attrib.get("class", ""):
            keys = ("x1", "y1", "x2", "y2") if element.tag.endswith("line") else ("cx", "cy")
            drawn[part] = [float(element.attrib[key]) for key in keys]
    assert [drawn[part] for part in data["parts"]] == expected


@pytest.mark.parametrize(("exercise", "name", "svg"), SVGS)
def test_the_figure_and_its_arrows_fit_inside_the_picture(
    exercise: str, name: str, svg: str
) -> None:
    root = parse(svg)
    width, height = view_box(root)
    for element in root.iter(f"{{{SVG_NS}}}line"):
        reach = float(element.attrib.get("stroke-width", "0")) / 2
        for axis, limit in (("x", width), ("y", height)):
            for end in "12":
                value = float(element.attrib[f"{axis}{end}"])
                assert value - reach >= -0.5
                assert value + reach <= limit + 0.5
    for element in root.iter(f"{{{SVG_NS}}}path"):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", element.attrib["d"])]
        assert all(0 <= x <= width for x in numbers[0::2])
        assert all(0 <= y <= height for y in numbers[1::2])


def test_the_scene_and_each_keyframe_share_one_stage() -> None:
    """So the figure keeps its size and place from one picture to the next."""
    for exercise in EXERCISE_IDS:
        boxes = {view_box(parse(svg)) for svg in keyframe_svgs(exercise).values()}
        boxes.add(view_box(parse(DATA[exercise]["scene"])))
        assert len(boxes) == 1


def test_a_foot_on_the_mat_is_drawn_on_the_mat() -> None:
    """The mat's top edge is where a resting foot's lowest point is drawn."""
    root = parse(keyframe_svgs("pelvic-tilt")["start"])
    mat = next(element for element in root.iter() if element.attrib.get("class") == "mat")
    foot = next(
        element
        for element in root.iter()
        if element.attrib.get("data-part") == "near.foot" and "halo" not in element.attrib["class"]
    )
    lowest = max(float(foot.attrib["y1"]), float(foot.attrib["y2"]))
    radius = float(foot.attrib["stroke-width"]) / 2
    assert lowest + radius == pytest.approx(float(mat.attrib["y"]), abs=0.6)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("ink", ["body", "far", "arrow", "floor"])
@pytest.mark.parametrize("ground", ["paper", "mat"])
def test_every_colour_that_draws_stands_out(palette: Palette, ink: str, ground: str) -> None:
    assert contrast_ratio(getattr(palette, ink), getattr(palette, ground)) >= GRAPHICS_CONTRAST


def test_the_near_limbs_differ_from_the_far_ones_on_both_screens() -> None:
    for palette in (LIGHT, DARK):
        assert contrast_ratio(palette.body, palette.far) >= 2


def test_the_stylesheet_follows_the_screens_dark_setting() -> None:
    css = stylesheet()
    assert "@media (prefers-color-scheme:dark)" in css
    assert DARK.body in css
    assert LIGHT.body in css
    # Every rule is scoped to the drawing, so inline SVGs leave the page alone.
    rules = re.sub(r"@media[^{]*\{(.*)\}\}", r"\1}", css)
    for selector in re.findall(r"([^{}]+)\{", rules):
        assert selector.startswith(".sc-figure"), selector


def syllables(word: str) -> int:
    """A rough count, good enough to tell plain words from long ones."""
    word = word.lower()
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level."""
    sentences = max(1, len(re.findall(r"[.!?]+", text)))
    words = re.findall(r"[A-Za-z0-9']+", text)
    syllable_count = sum(syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59


@pytest.mark.parametrize(("exercise", "name", "svg"), SVGS)
def test_descriptions_are_plain_words(exercise: str, name: str, svg: str) -> None:
    text = ILLUSTRATIONS[exercise].keyframes[name].text("en")
    assert reading_grade(text.description) <= MAX_GRADE
    assert len(text.title) <= 40


def test_reading_grade_tells_plain_from_hard() -> None:
    assert reading_grade("The cat sat on the mat.") < 2
    assert reading_grade("Posterior pelvic rotation necessitates abdominal activation.") > 12


def test_every_layer_has_bones() -> None:
    assert {bone.layer for bone in BONES_BY_NAME.values()} == set(Layer)
