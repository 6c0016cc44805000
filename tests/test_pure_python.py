"""The engine and the body model beside it are pure Python: they must work without Django."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

USE_THE_ENGINE = """
from stenosis_coach.programme import (
    build_plan, evaluate_screening, progress, red_flag_questions, starting_prescription,
)
start = starting_prescription()
build_plan(start)
progress(start, [])
evaluate_screening({question.id: False for question in red_flag_questions()})
"""
DRAW_EVERYTHING = """
from stenosis_coach.illustrations import animation_data, keyframe_svgs, load_illustrations
for exercise in load_illustrations():
    animation_data(exercise)
    keyframe_svgs(exercise)
"""
NO_DJANGO_LOADED = """
import sys
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "django")
assert not loaded, loaded
print("ok")
"""
PACKAGES = {
    "stenosis_coach.programme": USE_THE_ENGINE,
    "stenosis_coach.illustrations": DRAW_EVERYTHING,
}
DJANGO_IMPORT = re.compile(r"^\s*(import|from)\s+django\b", re.MULTILINE)


@pytest.mark.parametrize(("package", "use_it"), PACKAGES.items())
def test_runs_without_importing_django(package: str, use_it: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", use_it + NO_DJANGO_LOADED],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_imports_django(package: str) -> None:
    folder = Path(importlib.import_module(package).__file__ or "").parent
    sources = sorted(folder.glob("*.py"))
    assert sources
    assert [path.name for path in sources if DJANGO_IMPORT.search(path.read_text("utf-8"))] == []
