"""figure.js in real headless Chromium: it writes the server's frame for a phase and a share of
it, shows arrows only while the figure is still, and shows the poses side by side to people
who ask for less motion.

A temporary folder holds the page, figure.js and each exercise's JSON, so no Django is needed.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from stenosis_coach.illustrations import animation_data

from .helpers import EXERCISE_IDS, HOW_TO_IDS

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
FIGURE_JS = Path(__file__).parents[2] / "stenosis_coach/figures/static/figures/figure.js"
PAGE = '<!doctype html><meta charset="utf-8"><div id="box" style="height:120px"></div>'
MOUNT = """async ([exercise, options]) => {
  const { mountFigure } = await import("./figure.js");
  const data = await (await fetch(`./${exercise}.json`)).json();
  window.figure = mountFigure(document.getElementById("box"), data, options);
  return window.figure.reducedMotion;
}"""
DRAWN = """(part) => {
  const node = document.querySelector(`[data-part="${part}"]:not(.halo)`);
  const keys = node.localName === "line" ? ["x1", "y1", "x2", "y2"] : ["cx", "cy"];
  return keys.map((key) => Number(node.getAttribute(key)));
}"""
VISIBLE_ARROWS = """() => [...document.querySelectorAll("[data-arrows]")]
  .filter((group) => group.getAttribute("visibility") === "visible")
  .map((group) => group.dataset.arrows)"""
CURRENT_PANELS = """() => [...document.querySelectorAll('[data-current="true"]')]
  .map((panel) => panel.dataset.keyframe)"""

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("figure-js")
    shutil.copy(FIGURE_JS, folder / "figure.js")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    for exercise in (*EXERCISE_IDS, *HOW_TO_IDS):
        (folder / f"{exercise}.json").write_text(json.dumps(animation_data(exercise)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/page.html"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any, site: str) -> Iterator[Any]:
    pages = []

    def open_with(reduced_motion: str = "no-preference") -> Any:
        page = browser.new_page(reduced_motion=reduced_motion)
        page.goto(site)
        pages.append(page)
        return page

    yield open_with
    for page in pages:
        page.close()


def expected(exercise: str, phase: str, fraction: float, part: str) -> list[float]:
    data = animation_data(exercise)
    frames = data["phases"][phase]
    frame = data["frames"][frames[round(fraction * (len(frames) - 1))]]
    return frame[data["parts"].index(part)]


@pytest.mark.parametrize(
    ("exercise", "phase", "fraction"),
    [
        ("curl-up", "moving-in", 0.5),
        ("childs-pose", "moving-out", 0.2),
        ("back-flexion", "end", 0.7),
        ("hook-lying-march", "left", 0.45),
        ("hook-lying-march", "right", 1.0),
    ],
)
def test_show_writes_the_frame_nearest_to_the_share_of_the_phase(
    open_page: Any, exercise: str, phase: str, fraction: float
) -> None:
    page = open_page()
    assert page.evaluate(MOUNT, [exercise, {}]) is False
    page.evaluate(f"() => window.figure.show({json.dumps(phase)}, {fraction})")
    for part in ("near.foot", "far.foot", "near.forearm", "head", "eye"):
        assert page.evaluate(DRAWN, part) == expected(exercise, phase, fraction, part)


def test_a_phase_without_a_picture_shows_the_start(open_page: Any) -> None:
    page = open_page()
    page.evaluate(MOUNT, ["curl-up", {}])
    page.evaluate("() => window.figure.show('moving-in', 1)")
    page.evaluate("() => window.figure.show(null, 0.5)")
    assert page.evaluate(DRAWN, "head") == expected("curl-up", "start", 0, "head")


def test_arrows_show_while_still_and_hide_while_moving(open_page: Any) -> None:
    page = open_page()
    page.evaluate(MOUNT, ["pelvic-tilt", {}])
    assert page.evaluate(VISIBLE_ARROWS) == ["start"]
    page.evaluate("() => window.figure.show('moving-in', 0.4)")
    assert page.evaluate(VISIBLE_ARROWS) == []
    page.evaluate("() => window.figure.show('end', 0.1)")
    assert page.evaluate(VISIBLE_ARROWS) == ["end"]


def test_less_motion_shows_start_and_end_side_by_side(open_page: Any) -> None:
    page = open_page(reduced_motion="reduce")
    assert page.evaluate(MOUNT, ["back-flexion", {}]) is True
    assert page.evaluate(CURRENT_PANELS) == ["start"]
    page.evaluate("() => window.figure.show('moving-in', 0.5)")
    assert page.evaluate(CURRENT_PANELS) == ["end"]
    page.evaluate("() => window.figure.show('moving-out', 0.5)")
    assert page.evaluate(CURRENT_PANELS) == ["start"]


def test_the_svg_fills_the_box_it_is_given(open_page: Any) -> None:
    page = open_page()
    page.evaluate(MOUNT, ["childs-pose", {}])
    box = page.evaluate("() => document.querySelector('#box svg').getBoundingClientRect().height")
    assert box == 120


def test_a_how_to_picture_steps_from_stage_to_stage(open_page: Any) -> None:
    """Its stages are phases of one frame each: showing one draws that stage."""
    page = open_page()
    page.evaluate(MOUNT, ["get-down", {}])
    assert page.evaluate(DRAWN, "head") == expected("get-down", "stand", 0, "head")
    page.evaluate("() => window.figure.show('back', 0.5)")
    assert page.evaluate(DRAWN, "head") == expected("get-down", "back", 0, "head")


def test_with_less_motion_a_how_to_picture_shows_every_stage(open_page: Any) -> None:
    page = open_page(reduced_motion="reduce")
    assert page.evaluate(MOUNT, ["get-up", {}]) is True
    assert page.evaluate(CURRENT_PANELS) == ["side"]  # the first stage to start with
    page.evaluate("() => window.figure.show('one-knee', 0)")
    assert page.evaluate(CURRENT_PANELS) == ["one-knee"]
    panels = page.evaluate("() => document.querySelectorAll('[data-keyframe]').length")
    assert panels == 4
