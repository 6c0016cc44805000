"""Colours of the drawings, for light and dark screens, and the CSS that applies them.

The CSS sits inside each SVG and is scoped to the `sc-figure` class, so the drawings look the
same as files, as <img> and inline in a page, and follow the screen's light or dark setting.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

SCOPE = "sc-figure"


@dataclass(frozen=True, slots=True)
class Palette:
    paper: str  # the background
    mat: str
    floor: str
    body: str  # trunk, head and the near (right) limbs
    far: str  # the far (left) limbs: a lighter tone on light screens, a dimmer one on dark
    arrow: str


# Every colour that draws something stays at 3:1 or more against the paper and the mat (the
# WCAG contrast for graphics); tests/figures checks it.
LIGHT = Palette(
    paper="#fdfcf8", mat="#e8dfcc", floor="#756b5a", body="#163d63", far="#5a80a6", arrow="#a84400"
)
DARK = Palette(
    paper="#141414", mat="#332e25", floor="#a39a88", body="#a9d2f5", far="#5c85aa", arrow="#ffa857"
)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = (int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5))
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def custom_properties(palette: Palette) -> str:
    return ";".join(
        f"--fig-{field.name}:{getattr(palette, field.name)}" for field in fields(palette)
    )


RULES = (
    ".paper{fill:var(--fig-paper)}",
    ".mat{fill:var(--fig-mat)}",
    ".floor{stroke:var(--fig-floor);stroke-width:.8}",
    "line.bone{stroke-linecap:round}",
    ".trunk{stroke:var(--fig-body);fill:var(--fig-body)}",
    ".near{stroke:var(--fig-body);fill:var(--fig-body)}",
    ".far{stroke:var(--fig-far);fill:var(--fig-far)}",
    # An outline in the paper colour keeps a limb apart from what lies behind it.
    ".halo{stroke:var(--fig-paper)}",
    ".eye{fill:var(--fig-paper)}",
    ".arrow{stroke:var(--fig-arrow);fill:none;stroke-linecap:round;stroke-linejoin:round}",
    ".arrow-head{fill:var(--fig-arrow)}",
    ".arrow-halo{stroke:var(--fig-paper);stroke-linecap:round;stroke-linejoin:round}",
    "path.arrow-halo{fill:none}",
    "polygon.arrow-halo{fill:var(--fig-paper)}",
    ".chair .rail{stroke:var(--fig-floor);stroke-linecap:round}",
    ".step-badge{fill:var(--fig-arrow)}",
    ".step-number{fill:var(--fig-paper);font:700 18px system-ui,sans-serif;"
    "text-anchor:middle;dominant-baseline:central}",
    ".current-mark{fill:none;stroke:var(--fig-arrow);stroke-width:1.5;display:none}",
    '[data-current="true"] .current-mark{display:inline}',
)


def print_stylesheet(palette: Palette = LIGHT) -> str:
    """The same rules with the colours written in and no dark mode: for paper, and for
    renderers that do not read custom properties (WeasyPrint's SVG draws them all black)."""
    values = {f"var(--fig-{field.name})": getattr(palette, field.name) for field in fields(palette)}
    rules = []
    for rule in RULES:
        for name, value in values.items():
            rule = rule.replace(name, value)
        rules.append(f".{SCOPE} {rule}")
    return "".join(rules)


def stylesheet() -> str:
    scoped = "".join(f".{SCOPE} {rule}" for rule in RULES)
    return (
        f".{SCOPE}{{{custom_properties(LIGHT)}}}"
        f"@media (prefers-color-scheme:dark){{.{SCOPE}{{{custom_properties(DARK)}}}}}"
        f"{scoped}"
    )
