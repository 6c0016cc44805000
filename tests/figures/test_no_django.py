"""The body model is pure Python, like the engine beside it: it must work without Django."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import stenosis_coach.illustrations

PACKAGE = Path(stenosis_coach.illustrations.__file__).parent

DRAW_EVERYTHING = """
import sys
from stenosis_coach.illustrations import animation_data, keyframe_svgs, load_illustrations
for exercise in load_illustrations():
    animation_data(exercise)
    keyframe_svgs(exercise)
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "django")
assert not loaded, loaded
print("ok")
"""


def test_the_illustrations_draw_without_importing_django() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DRAW_EVERYTHING],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_no_module_of_the_body_model_imports_django() -> None:
    pattern = re.compile(r"^\s*(import|from)\s+django\b", re.MULTILINE)
    sources = sorted(PACKAGE.glob("*.py"))
    assert sources
    assert [path.name for path in sources if pattern.search(path.read_text("utf-8"))] == []
