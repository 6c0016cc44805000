"""Make the README's screenshots from a real running server and Debian's headless Chromium.

    .venv/bin/python scripts/screenshots.py

Starts the app on a free port with a throw-away data folder, captures each page at a phone
width, and writes PNGs to docs/screenshots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]
PAGES = {"home": ("/", "412,1400")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "DATA_DIR": data_dir}
        command = [sys.executable, "-m", "stenosis_coach"]
        subprocess.run([*command, "migrate", "-v0"], env=env, check=True)
        server = subprocess.Popen(
            [*command, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/")
            for name, (path, size) in PAGES.items():
                with tempfile.TemporaryDirectory() as profile:
                    subprocess.run(
                        [
                            CHROMIUM,
                            *FLAGS,
                            f"--user-data-dir={profile}",
                            f"--window-size={size}",
                            f"--screenshot={OUT / name}.png",
                            base + path,
                        ],
                        check=True,
                        capture_output=True,
                    )
                print(f"wrote {OUT / name}.png")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
