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
from .stage import ARROW_HEAD, EYE, MAT_MARGIN, PANEL_GAP, STAGE_WIDTH, Stage
from .style import SCOPE, stylesheet

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)

MAT_THICKNESS = 2.5
HALO = 1.3  # cm of outline around each limb
EYE_RADIUS = 1.7
ARROW_WIDTH = 2.4
PIXELS_PER_CM = 3


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


def draw_ground(parent: ET.Element, stage: Stage) -> None:
    """The mat, lying on a floor line a little wider than it."""
    floor_y = stage.top + MAT_THICKNESS
    floor_left = max(stage.left, stage.mat_left - MAT_MARGIN)
    floor_right = min(stage.right, stage.mat_right + MAT_MARGIN)
    (x1, _), (x2, _) = stage.xy(Vec(floor_left, 0)), stage.xy(Vec(floor_right, 0))
    add(parent, "line", class_="floor", x1=x1, y1=floor_y, x2=x2, y2=floor_y)
    (left, top), (right, _) = stage.xy(Vec(stage.mat_left, 0)), stage.xy(Vec(stage.mat_right, 0))
    add(parent, "rect", class_="mat", x=left, y=top, width=round(right - left, 1),
        height=MAT_THICKNESS, rx=0.8)  # fmt: skip


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
    group = add(parent, "g", class_="arrows", **attributes)
    for line in lines:
        points = [stage.xy(point) for point in line]
        head = arrow_head(line)
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:g} {y:g}" for i, (x, y) in enumerate(points))
        add(group, "path", class_="arrow", d=path, stroke_width=ARROW_WIDTH)
        corners = " ".join(f"{x:g},{y:g}" for x, y in (stage.xy(corner) for corner in head))
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
    return ET.tostring(root, encoding="unicode")


@dataclass(frozen=True, slots=True)
class Picture:
    """One pose to draw: the figure, its arrow lines and what a screen reader says."""

    figure: Figure
    arrows: Sequence[Sequence[Vec]]
    title: str
    description: str


def keyframe_svg(picture: Picture, stage: Stage, id_prefix: str) -> str:
    """One still picture: a keyframe with its arrows."""
    root, group = document(STAGE_WIDTH, stage.height, picture.title, picture.description, id_prefix)
    draw_ground(group, stage)
    draw_figure(group, picture.figure, stage)
    draw_arrows(group, picture.arrows, stage)
    return to_text(root)


def scene_svg(
    figure: Figure,
    arrows: Mapping[str, Sequence[Sequence[Vec]]],
    stage: Stage,
    text: tuple[str, str],
    id_prefix: str,
) -> str:
    """The picture the player animates: one figure, and each keyframe's arrows, hidden."""
    root, group = document(STAGE_WIDTH, stage.height, *text, id_prefix)
    draw_ground(group, stage)
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
    width = len(pictures) * (STAGE_WIDTH + PANEL_GAP) - PANEL_GAP
    root, group = document(width, stage.height, *text, id_prefix)
    for panel, (name, picture) in enumerate(pictures.items()):
        panel_stage = stage.moved(panel)
        panel_group = add(group, "g", data_keyframe=name, data_current="false")
        add(panel_group, "rect", class_="current-mark", x=panel_stage.offset + 1, y=1,
            width=STAGE_WIDTH - 2, height=stage.height - 2, rx=3)  # fmt: skip
        draw_ground(panel_group, panel_stage)
        draw_figure(panel_group, picture.figure, panel_stage)
        draw_arrows(panel_group, picture.arrows, panel_stage)
    return to_text(root)
