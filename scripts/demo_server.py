"""The app on a free port with a demo patient (the `demo` command), in a data folder that is
thrown away: what the screenshots and the Lighthouse scores are taken from."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

EMAIL, PASSWORD = "demo@example.org", "Screenshot-Demo-42"


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


@contextmanager
def demo_server(
    *, clinic_accounts: list[list[str]] | None = None, languages: Sequence[str] = ()
) -> Iterator[str]:
    """Yields the server's address, such as http://127.0.0.1:41234.

    clinic_accounts: when given a list, a demo clinic is made too (`demo --clinic`), and its
    accounts' lines (`ROLE EMAIL PASSWORD`, split) are added to the list.
    languages: a demo patient more in each, LANGUAGE@example.org, with the same password."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "DATA_DIR": data_dir}
        command = [sys.executable, "-m", "stenosis_coach"]
        subprocess.run([*command, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*command, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        subprocess.run(
            [*command, "demo", "--email", EMAIL, "--password", PASSWORD],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for language in languages:
            demo = ["demo", "--email", f"{language}@example.org", "--password", PASSWORD]
            run = [*command, *demo, "--language", language]
            subprocess.run(run, env=env, check=True, stdout=subprocess.DEVNULL)
        if clinic_accounts is not None:
            made = subprocess.run(
                [*command, "demo", "--clinic"], env=env, check=True, capture_output=True, text=True
            )
            clinic_accounts += [line.split() for line in made.stdout.splitlines() if line]
        server = subprocess.Popen(
            [*command, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The job worker too, as `make run` has it: files to download are made by it.
        worker = subprocess.Popen(
            [*command, "worker", "--interval", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/")
            yield base
        finally:
            for process in (server, worker):
                process.terminate()
                process.wait(timeout=10)
