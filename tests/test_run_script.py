"""`make run`'s script: gunicorn serves the app and the job worker runs beside it, and
Ctrl+C stops both (`make dev` is the same with runserver)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "run-with-worker.sh"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answer(url: str, seconds: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.headers.get("Server", "")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def children_of(parent: int) -> dict[int, str]:
    """The processes whose parent is `parent`, with their command lines (from /proc, so
    that no `ps` is needed)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue  # it ended meanwhile
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            children[int(entry.name)] = args
    return children


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(not (BIN / "gunicorn").exists(), reason="gunicorn is not installed")
def test_run_serves_with_gunicorn_beside_the_worker_and_ctrl_c_stops_both(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path), "WEB_PROCESSES": "2", "WEB_THREADS": "2"}
    env.pop("DATABASE_URL", None)  # its own SQLite file: the worker and server share it
    subprocess.run(
        [BIN / "stenosis-coach", "migrate", "--noinput"], env=env, check=True, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        ["bash", str(SCRIPT), str(BIN), f"127.0.0.1:{port}", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, as a terminal gives `make run`
    )
    try:
        status, software = answer(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert software == "gunicorn"
        children = children_of(server.pid)
        assert any("gunicorn" in args for args in children.values()), children
        assert any(args.endswith("stenosis-coach worker") for args in children.values()), children
        os.killpg(server.pid, signal.SIGINT)  # Ctrl+C
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert server.returncode != 0  # stopped by Ctrl+C
    time.sleep(1)
    assert [args for pid, args in children.items() if alive(pid)] == []
