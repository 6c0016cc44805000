"""The served app under many logged-in patients at once (locust, headless, bounded time).

The stack is served as `make run` serves it: gunicorn with the command line of
scripts/run-with-worker.sh (one process per core, 4 threads each), on a spare port, on a
throw-away SQLite database in a temporary folder; with DATABASE_URL set, on PostgreSQL
instead, in a database of its own, bench_load, made afresh (the server and the user of
DATABASE_URL are kept, its database name is not).

At 10, 50 and 200 patients (each one a logged-in patient of their own, made beforehand),
two kinds of run:

- the real mix: Today, the session page, the plan (/api/plan/) and now and then a session
  upload (/api/sessions/, the JSON the player sends, with the page's CSRF token), each
  patient waiting 1 to 3 s between requests, as people do; and a bare view through the
  same middleware, logged in (/bench/bare/, only served with BENCH_BARE_VIEW=1, see
  stenosis_coach/urls.py), in the same mix;
- each page alone, with no wait between requests, for what the server can answer of it
  each second; "vs bare" is that as a share of the bare view's, alone in the same way. (The
  upload is left out here: one patient is allowed 60 uploads a minute.)

A request on a kept-alive connection that the server closed while it was idle is sent once
more on a new connection, as browsers do; any other failure is an error. The client is
locust's HttpUser (requests): its own work per request is close to the bare view's, so the
bare view's figures are partly locust's limit and the shares "vs bare" flatter the pages.

Prints requests/s, p50/p95/p99 (ms) and errors for each, against the aim: no errors at 200
patients, and Today at 25 % or more of the bare view. Locust runs on the same 2 cores as the
server, so every figure is lower than on a server of its own. Nothing is asserted.

BENCH_LOAD_SECONDS: each mixed run (default 25); BENCH_LOAD_ALONE_SECONDS: each run of one
page alone (default 8; 0: none); BENCH_LOAD_USERS: the numbers of patients (default 10,50,200).
Run with `make bench`, or `.venv/bin/python bench/load.py` (needs `pip install -e '.[bench]'`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BARE = "/bench/bare/"
PAGES = {"today": "/today/", "session": "/session/", "plan": "/api/plan/", "bare": BARE}
UPLOAD = "/api/sessions/"
AIM_TODAY_SHARE = 0.25


# ---------------------------------------------------------------------------------------
# The patients locust plays (when locust reads this file: `locust -f bench/load.py`)

if __name__ != "__main__":
    import re
    from itertools import count

    from locust import HttpUser, between, constant, events, task
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    PATIENTS = json.loads(Path(os.environ["BENCH_LOAD_PATIENTS"]).read_text())
    NUMBERS = count()
    CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')

    @events.init_command_line_parser.add_listener
    def _(parser: Any) -> None:
        parser.add_argument("--alone", default="", help="one page alone, with no wait")

    class Patient(HttpUser):
        wait_time = between(1, 3)

        def on_start(self) -> None:
            # A connection the server closed while it sat idle (gunicorn keeps one open for
            # 2 s) is tried once more on a new one, as browsers do; nothing else is retried.
            again = Retry(total=1, connect=1, read=1, status=0, other=0, allowed_methods=None)
            self.client.mount("http://", HTTPAdapter(max_retries=again))
            patient = PATIENTS[next(NUMBERS) % len(PATIENTS)]
            self.client.cookies.set(patient["cookie"], patient["session"])
            self.alone = self.environment.parsed_options.alone
            if self.alone:
                self.wait_time = constant(0)
            self.csrf = ""
            self.plan: dict[str, Any] | None = None
            self.steps = 0

        def get(self, name: str) -> Any:
            with self.client.get(PAGES[name], name=name, catch_response=True) as answer:
                if answer.status_code != 200 or "/login/" in (answer.url or ""):
                    answer.failure(f"{answer.status_code} {answer.url} {answer.error!r}")
                return answer

        @task
        def visit(self) -> None:
            """One request (two for the session page, which loads the plan at once) each
            time, with the wait between: Today, the session page and the plan, a session
            upload every other visit (the bare view on the others), the bare view."""
            if self.alone:
                self.get(self.alone)
                return
            step = self.steps % 4
            self.steps += 1
            if step == 0:
                self.get("today")
            elif step == 1:
                page = self.get("session")
                found = CSRF.search(page.text or "")
                self.csrf = found.group(1) if found else self.csrf
                plan = self.get("plan")
                if plan.status_code == 200:
                    self.plan = plan.json()
            elif step == 2 and self.plan and self.csrf and self.steps % 8 == 3:
                self.upload(self.plan)
            else:
                self.get("bare")

        def upload(self, plan: dict[str, Any]) -> None:
            finished = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
            body = {
                "uuid": str(uuid.uuid4()),
                "prescription_version": plan["prescription_version"],
                "started_at": (finished - dt.timedelta(minutes=12)).isoformat(),
                "finished_at": finished.isoformat(),
                "paused_seconds": 0,
                "locale": plan.get("locale", "en"),
                "gentle": False,
                "pain_before": {"leg": 3, "back": 2},
                "pain_after": {"leg": 3, "back": 2},
                "new_leg_symptoms": False,
                "results": [
                    {
                        "exercise_id": exercise["exercise_id"],
                        "dose": exercise["dose"],
                        "completed": True,
                        "worse": False,
                        "stop_reason": None,
                    }
                    for exercise in plan["plans"]["normal"]["exercises"]
                ],
            }
            headers = {"X-CSRFToken": self.csrf, "Content-Type": "application/json"}
            with self.client.post(
                UPLOAD, data=json.dumps(body), headers=headers, name="upload", catch_response=True
            ) as answer:
                if answer.status_code not in (200, 201):
                    why = answer.error or (answer.text or "")[:120]
                    answer.failure(f"{answer.status_code} {why!r}")


# ---------------------------------------------------------------------------------------
# The bench itself: the database, the patients, the server, the runs, the figures


def env_for(data_dir: str, database_url: str | None) -> dict[str, str]:
    static = str(Path(data_dir) / "static")
    env = {**os.environ, "DATA_DIR": data_dir, "STATIC_ROOT": static, "BENCH_BARE_VIEW": "1"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def bench_database(url: str) -> str:
    """DATABASE_URL with the database bench_load, dropped and made again."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS bench_load WITH (FORCE)")
        connection.execute("CREATE DATABASE bench_load")
    return urlunsplit(parts._replace(path="/bench_load"))


MAKE_PATIENTS = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from stenosis_coach.patients.actions import create_patient, record_screening
from stenosis_coach.programme import red_flag_questions

no = {question.id: False for question in red_flag_questions()}
patients = []
for number in range(int(sys.argv[1])):
    user = User.objects.create_user(f"load-{number}@example.org", password=None)
    patient = create_patient(user)
    record_screening(patient, no)
    patient.onboarded_at = timezone.now()
    patient.usual_leg_pain = 3
    patient.save()
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    patients.append({"cookie": name, "session": client.cookies[name].value})
print(json.dumps(patients))
"""


def prepare(env: dict[str, str], patients: int, folder: Path) -> Path:
    tool = [str(BIN / "stenosis-coach")]
    subprocess.run([*tool, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    # As scripts/run-with-worker.sh does before it serves.
    subprocess.run([*tool, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*tool, "load_catalogue"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    made = subprocess.run(
        [sys.executable, "-c", MAKE_PATIENTS, str(patients)],
        env={**env, "DJANGO_SETTINGS_MODULE": "stenosis_coach.settings"},
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    path = folder / "patients.json"
    path.write_text(made.stdout.strip().splitlines()[-1])
    return path


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """gunicorn as scripts/run-with-worker.sh starts it (its access log to a file)."""
    command = [
        str(BIN / "gunicorn"),
        "stenosis_coach.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        os.environ.get("WEB_PROCESSES", str(os.cpu_count() or 1)),
        "--threads",
        os.environ.get("WEB_THREADS", "4"),
        "--worker-class",
        "gthread",
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def run_locust(
    env: dict[str, str], host: str, users: int, seconds: int, prefix: Path, alone: str = ""
) -> dict[str, dict[str, float]]:
    command = [
        str(BIN / "locust"),
        "-f",
        str(Path(__file__).resolve()),
        "--headless",
        "--host",
        host,
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--reset-stats",
        "--only-summary",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--loglevel",
        "ERROR",
    ]
    if alone:
        command += ["--alone", alone]
    subprocess.run(command, env=env, cwd=ROOT, check=False, capture_output=True)
    rows: dict[str, dict[str, float]] = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for line in csv.DictReader(stats):
            rows[line["Name"]] = {
                "requests": float(line["Request Count"]),
                "errors": float(line["Failure Count"]),
                "rps": float(line["Requests/s"]),
                "p50": float(line["50%"] or 0),
                "p95": float(line["95%"] or 0),
                "p99": float(line["99%"] or 0),
            }
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(newline="") as lines:
            for line in list(csv.DictReader(lines))[:3]:
                print(f"  ({prefix.name}) {line['Occurrences']} x {line['Name']}: {line['Error']}")
    return rows


def main() -> None:
    if not (BIN / "locust").exists():
        print("bench/load.py needs locust: pip install -e '.[bench]'. Skipped.")
        return
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "25"))
    alone_seconds = int(os.environ.get("BENCH_LOAD_ALONE_SECONDS", "8"))
    counts = [int(n) for n in os.environ.get("BENCH_LOAD_USERS", "10,50,200").split(",")]
    url = os.environ.get("DATABASE_URL")
    folder = Path(tempfile.mkdtemp(prefix="stenosis-load-"))
    database = bench_database(url) if url else None
    where = "PostgreSQL (database bench_load)" if database else "SQLite (a temporary file)"
    env = env_for(str(folder / "data"), database)
    print(f"Load: gunicorn on {where}, {os.cpu_count()} cores.")
    print("Locust runs on the same cores as the server: the figures are lower than alone.")
    patients = prepare(env, max(counts), folder)
    env["BENCH_LOAD_PATIENTS"] = str(patients)
    port = free_port()
    server = serve(env, port, folder / "access.log")
    host = f"http://127.0.0.1:{port}"
    results = []
    try:
        # Warm-up, not counted: every patient's pages once (caches, connections, imports).
        run_locust(env, host, max(counts), 10, folder / "warm-up")
        for users in counts:
            mixed = run_locust(env, host, users, seconds, folder / f"mix-{users}")
            alone = {
                name: run_locust(
                    env, host, users, alone_seconds, folder / f"alone-{name}-{users}", name
                ).get(name, {})
                for name in (PAGES if alone_seconds else ())
            }
            results.append((users, mixed, alone))
            report(users, mixed, alone, seconds, alone_seconds)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)
    summary(results)


def report(
    users: int,
    mixed: dict[str, dict[str, float]],
    alone: dict[str, dict[str, float]],
    seconds: int,
    alone_seconds: int,
) -> None:
    print()
    print(
        f"{users} patients: the mix ({seconds} s, 1-3 s between requests); each page alone "
        f"({alone_seconds} s, no wait)"
    )
    print("  page        req/s    p50    p95    p99  errors  | alone: req/s    p50    p99  vs bare")
    bare = alone.get("bare", {}).get("rps", 0)
    for name in [*PAGES, "upload", "Aggregated"]:
        row = mixed.get(name)
        if not row:
            continue
        line = (
            f"  {name:<10} {row['rps']:6.1f} {row['p50']:6.0f} {row['p95']:6.0f} "
            f"{row['p99']:6.0f} {row['errors']:7.0f}  |"
        )
        by_itself = alone.get(name)
        if by_itself:
            share = by_itself["rps"] / bare if bare else 0
            line += (
                f"      {by_itself['rps']:6.1f} {by_itself['p50']:6.0f} "
                f"{by_itself['p99']:6.0f}  {share:6.0%}"
            )
            if by_itself["errors"]:
                line += f"  ({by_itself['errors']:.0f} errors alone)"
        print(line)


def summary(results: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> None:
    print()
    print(
        f"Aim: no errors at 200 patients; Today at {AIM_TODAY_SHARE:.0%} or more of the bare "
        "view (alone)."
    )
    for users, mixed, alone in results:
        errors = mixed.get("Aggregated", {}).get("errors", 0) + sum(
            row.get("errors", 0) for row in alone.values()
        )
        bare = alone.get("bare", {}).get("rps", 0)
        share = alone.get("today", {}).get("rps", 0) / bare if bare else 0
        meets = "yes" if share >= AIM_TODAY_SHARE and (users < 200 or errors == 0) else "NO"
        print(f"  {users:4d} patients: {errors:.0f} errors, Today at {share:.0%} of bare: {meets}")


if __name__ == "__main__":
    main()
