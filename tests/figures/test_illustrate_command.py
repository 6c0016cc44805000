"""`stenosis-coach illustrate --out DIR`: an SVG per keyframe, and an index.html of them all."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stenosis_coach.illustrations.svg import SVG_NS

from .helpers import HOW_TOS, ILLUSTRATIONS

EXPECTED = {
    f"{exercise}-{name}.svg"
    for exercise, illustration in ILLUSTRATIONS.items()
    for name in illustration.keyframes
} | {f"{how_to.id}-{stage}.svg" for how_to in HOW_TOS.values() for stage in how_to.stages}


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, str]:
    out = StringIO()
    call_command("illustrate", "--out", str(tmp_path / "pictures"), stdout=out)
    return tmp_path / "pictures", out.getvalue()


def test_writes_one_svg_per_exercise_and_keyframe(written: tuple[Path, str]) -> None:
    folder, message = written
    assert {path.name for path in folder.glob("*.svg")} == EXPECTED
    assert {
        "back-flexion-start.svg",
        "back-flexion-end.svg",
        "hook-lying-march-left.svg",
        "hook-lying-march-right.svg",
        "get-down-stand.svg",
        "get-up-stand.svg",
        "rest-lying-back.svg",
        "rest-sitting-sit.svg",
    } <= EXPECTED
    assert f"Wrote {len(EXPECTED)} pictures and index.html" in message


def test_every_svg_is_xml_with_a_title_and_description(written: tuple[Path, str]) -> None:
    folder, _ = written
    for path in folder.glob("*.svg"):
        root = ET.parse(path).getroot()
        assert root.tag == f"{{{SVG_NS}}}svg"
        assert root.findtext(f"{{{SVG_NS}}}title"), path.name
        assert root.findtext(f"{{{SVG_NS}}}desc"), path.name


def test_the_index_links_and_shows_every_picture(written: tuple[Path, str]) -> None:
    folder, _ = written
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([^"]+\.svg)"', index)) == EXPECTED
    assert set(re.findall(r'<img src="([^"]+\.svg)"', index)) == EXPECTED
    assert all(re.findall(r'alt="([^"]+)"', index))


def test_writing_again_replaces_the_pictures(written: tuple[Path, str]) -> None:
    folder, _ = written
    (folder / "curl-up-end.svg").write_text("old", encoding="utf-8")
    call_command("illustrate", "--out", str(folder), stdout=StringIO())
    assert (folder / "curl-up-end.svg").read_text(encoding="utf-8").startswith("<svg")


def test_the_folder_is_required() -> None:
    with pytest.raises(CommandError, match="--out"):
        call_command("illustrate", stdout=StringIO())
