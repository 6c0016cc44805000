"""The engine is pure Python: it must work without importing Django."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import stenosis_coach.programme

ENGINE = Path(stenosis_coach.programme.__file__).parent

USE_THE_ENGINE = """
import sys
from stenosis_coach.programme import (
    build_plan, evaluate_screening, progress, red_flag_questions, starting_prescription,
)
start = starting_prescription()
build_plan(start)
progress(start, [])
evaluate_screening({question.id: False for question in red_flag_questions()})
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "django")
assert not loaded, loaded
print("ok")
"""


def test_engine_runs_without_importing_django() -> None:
    done = subprocess.run(
        [sys.executable, "-c", USE_THE_ENGINE],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_no_engine_module_mentions_django_imports() -> None:
    sources = sorted(ENGINE.glob("*.py"))
    assert sources
    pattern = re.compile(r"^\s*(import|from)\s+django\b", re.MULTILINE)
    assert [path.name for path in sources if pattern.search(path.read_text("utf-8"))] == []
