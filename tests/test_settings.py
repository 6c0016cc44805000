"""Settings come from the environment and are safe by default."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def read_settings(tmp_path: Path, **env: str) -> dict[str, object]:
    """Import the settings in a fresh interpreter with exactly these variables set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    clean.update(DATA_DIR=str(tmp_path / "data"), **env)
    script = (
        "import json; from stenosis_coach import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'key': s.SECRET_KEY, 'hosts': s.ALLOWED_HOSTS, "
        "'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME'])}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout)  # type: ignore[no-any-return]


def test_safe_defaults(tmp_path: Path) -> None:
    values = read_settings(tmp_path)
    assert values["debug"] is False
    assert values["hosts"] == ["127.0.0.1", "localhost"]
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "data" / "stenosis-coach.sqlite3")


def test_the_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = read_settings(tmp_path)["key"]
    second = read_settings(tmp_path)["key"]
    assert first == second
    assert isinstance(first, str)
    assert len(first) >= 50
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_each_install_gets_its_own_key(tmp_path: Path) -> None:
    assert read_settings(tmp_path / "a")["key"] != read_settings(tmp_path / "b")["key"]


@pytest.mark.parametrize(("word", "expected"), [("1", True), ("true", True), ("no", False)])
def test_debug_only_when_asked(tmp_path: Path, word: str, expected: bool) -> None:
    assert read_settings(tmp_path, DEBUG=word)["debug"] is expected


def test_environment_wins(tmp_path: Path) -> None:
    values = read_settings(
        tmp_path,
        SECRET_KEY="from-the-environment",
        ALLOWED_HOSTS="coach.example.org, www.coach.example.org",
        DATABASE_URL="postgres://coach@db.example.org:5432/coach",
    )
    assert values["key"] == "from-the-environment"
    assert values["hosts"] == ["coach.example.org", "www.coach.example.org"]
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "coach"
    assert not (tmp_path / "data" / "secret_key").exists()
