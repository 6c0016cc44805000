"""SVG drawings of the figure, on a mat, with arrows and a text alternative.

One SVG unit is one centimetre of the person, so stroke widths are the bones' real
thickness. Every element that moves carries `data-part`, the name the animation frames use
for it (stage.PARTS).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .body import BONES, Bone, Layer, Shape
from .geometry import Vec
from .kinematics import Figure
from .props import Chair
from .stage import ARROW_HEAD, EYE, MAT_MARGIN, NUMBER_RADIUS, PANEL_GAP, Stage
from .style import SCOPE, stylesheet

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)

MAT_THICKNESS = 2.5
HALO = 1.3  # cm of outline around each limb
EYE_RADIUS = 1.7
ARROW_WIDTH = 2.4
PIXELS_PER_CM = 3
MIN_ASPECT = 1.4  # a how-to picture is at least this many times as wide as it is high


def add(parent: ET.Element, tag: str, **attributes: object) -> ET.Element:
    """A child element; `class_` and `data_part` style names become `class` and `data-part`."""
    names = {key.rstrip("_").replace("_", "-"): str(value) for key, value in attributes.items()}
    return ET.SubElement(parent, f"{{{SVG_NS}}}{tag}", names)


def document(
    width: float, height: float, title: str, description: str, id_prefix: str
) -> tuple[ET.Element, ET.Element]:
    """An SVG root with its text alternative and style; returns it and its drawing group."""
    root = ET.Element(
        f"{{{SVG_NS}}}svg",
        {
            "viewBox": f"0 0 {width:g} {height:g}",
            "width": f"{width * PIXELS_PER_CM:g}",
            "height": f"{height * PIXELS_PER_CM:g}",
            "class": SCOPE,
            "role": "img",
            "aria-labelledby": f"{id_prefix}-title",
            "aria-describedby": f"{id_prefix}-desc",
        },
    )
    add(root, "title", id=f"{id_prefix}-title").text = title
    add(root, "desc", id=f"{id_prefix}-desc").text = description
    add(root, "style").text = stylesheet()
    add(root, "rect", class_="paper", x=0, y=0, width=f"{width:g}", height=f"{height:g}")
    return root, add(root, "g")


def draw_ground(parent: ET.Element, stage: Stage, mat: bool = True) -> None:
    """The mat, lying on a floor line a little wider than it; with no mat (sitting on a
    chair), the floor line across the picture."""
    if not mat:
        (x1, y), (x2, _) = stage.xy(Vec(stage.left + 2, 0)), stage.xy(Vec(stage.right - 2, 0))
        add(parent, "line", class_="floor", x1=x1, y1=y, x2=x2, y2=y)
        return
    floor_left = max(stage.left, stage.mat_left - MAT_MARGIN)
    floor_right = min(stage.right, stage.mat_right + MAT_MARGIN)
    (x1, floor_y), (x2, _) = (
        stage.xy(Vec(floor_left, -MAT_THICKNESS)),
        stage.xy(Vec(floor_right, -MAT_THICKNESS)),
    )
    add(parent, "line", class_="floor", x1=x1, y1=floor_y, x2=x2, y2=floor_y)
    (left, top), (right, _) = stage.xy(Vec(stage.mat_left, 0)), stage.xy(Vec(stage.mat_right, 0))
    add(parent, "rect", class_="mat", x=left, y=top, width=round(right - left, 1),
        height=MAT_THICKNESS, rx=0.8)  # fmt: skip


def draw_chair(parent: ET.Element, chair: Chair, stage: Stage) -> None:
    """A plain chair from the side, drawn behind the figure."""
    group = add(parent, "g", class_="chair")
    for start, end, radius in chair.rails():
        (x1, y1), (x2, y2) = stage.xy(start), stage.xy(end)
        add(group, "line", class_="rail", x1=x1, y1=y1, x2=x2, y2=y2,
            stroke_width=f"{2 * radius:g}")  # fmt: skip


def draw_scenery(
    parent: ET.Element, stage: Stage, chair: Chair | None = None, mat: bool = True
) -> None:
    draw_ground(parent, stage, mat)
    if chair is not None:
        draw_chair(parent, chair, stage)


def drawing_order() -> list[tuple[Bone, bool]]:
    """(bone, is its outline) from back to front: each limb's outlines go just before the
    limb, so one limb crossing another stands out, with no seam at its own joints."""
    order: list[tuple[Bone, bool]] = []
    for layer in Layer:
        bones = [bone for bone in BONES if bone.layer is layer]
        if layer is not Layer.TRUNK:
            order.extend((bone, True) for bone in bones)
        order.extend((bone, False) for bone in bones)
    return order


def draw_figure(parent: ET.Element, figure: Figure, stage: Stage) -> None:
    group = add(parent, "g", class_="figure")
    for bone, is_outline in drawing_order():
        draw_bone(group, bone, figure, stage, is_outline)
        if bone.name == "head":
            cx, cy = stage.xy(figure.eye)
            add(group, "circle", class_=EYE, data_part=EYE, cx=cx, cy=cy, r=EYE_RADIUS)


def draw_bone(
    parent: ET.Element, bone: Bone, figure: Figure, stage: Stage, is_outline: bool
) -> None:
    tone = "halo" if is_outline else (bone.side or "trunk")
    start, end = figure.ends(bone)
    if bone.shape is Shape.BALL:
        cx, cy = stage.xy(end)
        add(parent, "circle", class_=f"bone {tone}", data_part=bone.name, cx=cx, cy=cy,
            r=bone.radius)  # fmt: skip
        return
    (x1, y1), (x2, y2) = stage.xy(start), stage.xy(end)
    width = 2 * (bone.radius + (HALO if is_outline else 0))
    add(parent, "line", class_=f"bone {tone}", data_part=bone.name, x1=x1, y1=y1, x2=x2, y2=y2,
        stroke_width=f"{width:g}")  # fmt: skip


def draw_arrows(
    parent: ET.Element, lines: Sequence[Sequence[Vec]], stage: Stage, **attributes: object
) -> ET.Element:
    """Each arrow over an outline in the paper colour, so that it stands out where it
    crosses the body (the pelvic tilt's arrow points down through the low back)."""
    group = add(parent, "g", class_="arrows", **attributes)
    for line in lines:
        points = [stage.xy(point) for point in line]
        head = arrow_head(line)
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:g} {y:g}" for i, (x, y) in enumerate(points))
        corners = " ".join(f"{x:g},{y:g}" for x, y in (stage.xy(corner) for corner in head))
        add(group, "path", class_="arrow-halo", d=path, stroke_width=f"{ARROW_WIDTH + 2 * HALO:g}")
        add(group, "polygon", class_="arrow-halo", points=corners, stroke_width=f"{2 * HALO:g}")
        add(group, "path", class_="arrow", d=path, stroke_width=ARROW_WIDTH)
        add(group, "polygon", class_="arrow-head", points=corners)
    return group


def arrow_head(line: Sequence[Vec]) -> tuple[Vec, Vec, Vec]:
    """A triangle whose tip is the line's last point, pointing the way the line ends."""
    tip, before = line[-1], line[-2]
    along = tip - before
    along = along * (1 / along.length)
    across = Vec(-along.y, along.x)
    length, half_width = ARROW_HEAD
    base = tip - along * length
    return tip, base + across * half_width, base - across * half_width


def to_text(root: ET.Element) -> str:
    # The prefix map is global, and another library may change it after our import
    # (WeasyPrint's maps "" to no namespace), which would write "ns0:svg": set it again.
    ET.register_namespace("", SVG_NS)
    return ET.tostring(root, encoding="unicode")


@dataclass(frozen=True, slots=True)
class Picture:
    """One pose to draw: the figure, its arrow lines and what a screen reader says; and what
    else is in the picture (a chair to hold or sit on; a mat, unless sitting)."""

    figure: Figure
    arrows: Sequence[Sequence[Vec]]
    title: str
    description: str
    chair: Chair | None = None
    mat: bool = True


def keyframe_svg(picture: Picture, stage: Stage, id_prefix: str) -> str:
    """One still picture: a keyframe with its arrows."""
    root, group = document(stage.width, stage.height, picture.title, picture.description,
                           id_prefix)  # fmt: skip
    draw_scenery(group, stage, picture.chair, picture.mat)
    draw_figure(group, picture.figure, stage)
    draw_arrows(group, picture.arrows, stage)
    return to_text(root)


def scene_svg(
    figure: Figure,
    arrows: Mapping[str, Sequence[Sequence[Vec]]],
    stage: Stage,
    text: tuple[str, str],
    id_prefix: str,
    scenery: tuple[Chair | None, bool] = (None, True),
) -> str:
    """The picture the player animates: one figure, and each keyframe's arrows, hidden."""
    root, group = document(stage.width, stage.height, *text, id_prefix)
    draw_scenery(group, stage, *scenery)
    draw_figure(group, figure, stage)
    for name, lines in arrows.items():
        draw_arrows(group, lines, stage, data_arrows=name, visibility="hidden")
    return to_text(root)


def strip_svg(
    pictures: Mapping[str, Picture], stage: Stage, text: tuple[str, str], id_prefix: str
) -> str:
    """Keyframes side by side, for people who ask their device for less motion.

    Each keyframe is a group with `data-keyframe`; setting `data-current="true"` on one
    draws a frame around it.
    """
    width = len(pictures) * (stage.width + PANEL_GAP) - PANEL_GAP
    root, group = document(width, stage.height, *text, id_prefix)
    for panel, (name, picture) in enumerate(pictures.items()):
        draw_panel(group, name, picture, stage.moved(panel))
    return to_text(root)


def draw_panel(parent: ET.Element, name: str, picture: Picture, stage: Stage) -> ET.Element:
    panel = add(parent, "g", data_keyframe=name, data_current="false")
    add(panel, "rect", class_="current-mark", x=stage.offset + 1, y=stage.down + 1,
        width=stage.width - 2, height=stage.height - 2, rx=3)  # fmt: skip
    draw_scenery(panel, stage, picture.chair, picture.mat)
    draw_figure(panel, picture.figure, stage)
    draw_arrows(panel, picture.arrows, stage)
    return panel


def steps_svg(
    rows: Sequence[Sequence[tuple[str, Picture, Stage]]], text: tuple[str, str], id_prefix: str
) -> str:
    """The stages of a how-to picture in order, numbered, in rows (so that they stay big
    enough on a phone). Each (name, picture, stage) has its own stage, as wide as its
    figure; the stages of a row share a height, so every figure stands on one floor line."""
    widths = [sum(stage.width for _, _, stage in row) + PANEL_GAP * (len(row) - 1) for row in rows]
    height = sum(row[0][2].height for row in rows) + PANEL_GAP * (len(rows) - 1)
    # Never much taller than wide: a phone held upright has little room above the words.
    width = max(*widths, round(MIN_ASPECT * height, 1))
    root, group = document(width, height, *text, id_prefix)
    down, number = 0.0, 0
    numbered = sum(len(row) for row in rows) > 1
    for row, row_width in zip(rows, widths, strict=True):
        offset = (width - row_width) / 2
        for name, picture, stage in row:
            number += 1
            placed = stage.placed(round(offset, 1), down)
            panel = draw_panel(group, name, picture, placed)
            if numbered:
                draw_number(panel, number, placed)
            offset += stage.width + PANEL_GAP
        down += row[0][2].height + PANEL_GAP
    return to_text(root)


def draw_number(parent: ET.Element, number: int, stage: Stage) -> None:
    """The stage's number in a round badge at the panel's top left."""
    x, y = stage.offset + NUMBER_RADIUS + 1, stage.down + NUMBER_RADIUS + 1
    add(parent, "circle", class_="step-badge", cx=f"{x:g}", cy=f"{y:g}", r=NUMBER_RADIUS)
    label = add(parent, "text", class_="step-number", x=f"{x:g}", y=f"{y:g}")
    label.text = str(number)
