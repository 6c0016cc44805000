"""What a patient's own pages and upload cost as their history grows: they should not grow
with it (issue 14).

For demo patients (stenosis-coach demo's fill_history, every session stored through
record_session as the player's uploads are, one a day) with 0, 30, 90, 365 and 730
sessions, measures the whole request through django.test.Client, logged in as the patient:
Today (/today/), the plan (/api/plan/), History (/history/), Progress (/progress/) and an
upload (POST /api/sessions/, one that changes no dose: leg pain higher after, after one like
it, as bench/upload.py does). Prints the median time of RUNS runs, the queries and the
response bytes of each, with each figure's ratio to the one at 30 sessions. On a
throw-away test database: SQLite unless DATABASE_URL is set (PostgreSQL:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench). Nothing is asserted. Run with
`make bench`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="stenosis-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stenosis_coach.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

# The pages name the static files by their hashed names: collected into this data folder.
call_command("collectstatic", interactive=False, verbosity=0)

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from stenosis_coach.patients.actions import sign_up  # noqa: E402
from stenosis_coach.patients.management.commands.demo import fill_history  # noqa: E402
from stenosis_coach.patients.models import Patient  # noqa: E402
from stenosis_coach.practice.actions import current_prescription  # noqa: E402
from stenosis_coach.reminders.actions import do_turn_on_demo_reminders  # noqa: E402

MARKS = (0, 30, 90, 365, 730)  # sessions in the history
BASE = 30  # the ratios are to this history's figures
RUNS = 9  # of each request, per history
PAGES = (
    ("Today", "/today/"),
    ("plan", "/api/plan/"),
    ("History", "/history/"),
    ("Progress", "/progress/"),
)
UPLOAD = "upload"

Figures = tuple[float, int, int]  # milliseconds, queries, response bytes


def demo_patient(sessions: int) -> Patient:
    """A demo patient (as `stenosis-coach demo` makes one) with a session on each of the
    last `sessions` days."""
    with transaction.atomic():
        patient = sign_up(f"bench-{sessions}-{uuid.uuid4().hex[:6]}@example.org", "Bench-42-x")
        fill_history(patient, sessions, random.Random(sessions), adherence=1.0)
        do_turn_on_demo_reminders(patient)
    patient.refresh_from_db()
    assert patient.sessions.count() == sessions
    return patient


def payload(patient: Patient, finished: dt.datetime) -> dict[str, Any]:
    """A session of every active exercise, done in full, with leg pain higher after it
    (amber: no step-up), as tests/conftest.py's session_payload makes one."""
    version = current_prescription(patient)
    return {
        "uuid": str(uuid.uuid4()),
        "prescription_version": version.number,
        "started_at": (finished - dt.timedelta(minutes=12)).isoformat(),
        "finished_at": finished.isoformat(),
        "pain_before": {"leg": 3, "back": 2},
        "pain_after": {"leg": 6, "back": 2},
        "results": [
            {
                "exercise_id": item.exercise_id,
                "completed": True,
                "sets_done": item.sets,
                "reps_done": item.dose.total_reps,
            }
            for item in version.items.all()
            if item.to_engine().active
        ],
    }


def post(client: Client, patient: Patient, finished: dt.datetime) -> HttpResponse:
    body = json.dumps(payload(patient, finished))
    return client.post("/api/sessions/", body, content_type="application/json")


def measured(request: Callable[[], HttpResponse], status: int) -> Figures:
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = request()
        took = (time.perf_counter() - began) * 1000
    assert response.status_code == status, (response.status_code, response.content[:300])
    return took, len(queries), len(response.content)


def upload(client: Client, patient: Patient, n: int) -> Figures:
    """One upload that changes no dose, after one like it (which plays any step-up waiting:
    that makes a version). Both are today, after the history, a few minutes apart."""
    finished = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10 * (RUNS - n))
    warm_up = post(client, patient, finished - dt.timedelta(minutes=5))
    assert warm_up.status_code == 201, warm_up.content[:300]
    return measured(lambda: post(client, patient, finished), 201)


def ratio(value: float, base: float) -> str:
    return f"{value / base:5.2f}x" if base else "    -"


def report(samples: dict[str, dict[int, list[Figures]]]) -> None:
    print(
        f"\n{'request':<9} {'sessions':>8} {'median ms':>10} {'x30':>6} {'queries':>8}"
        f" {'x30':>6} {'bytes':>9} {'x30':>6}"
    )
    for label in [name for name, _url in PAGES] + [UPLOAD]:
        figures = samples[label]
        base_ms = statistics.median(ms for ms, _q, _b in figures[BASE])
        base_queries = max(q for _ms, q, _b in figures[BASE])
        base_bytes = max(b for _ms, _q, b in figures[BASE])
        for mark in MARKS:
            ms = statistics.median(m for m, _q, _b in figures[mark])
            queries = sorted({q for _m, q, _b in figures[mark]})
            size = max(b for _m, _q, b in figures[mark])
            shown = "/".join(str(q) for q in queries)
            print(
                f"{label:<9} {mark:>8} {ms:10.1f} {ratio(ms, base_ms):>6} {shown:>8}"
                f" {ratio(max(queries), base_queries):>6} {size:>9} {ratio(size, base_bytes):>6}"
            )


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    test_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        print(f"Building on {connection.vendor}: demo patients with {', '.join(map(str, MARKS))}")
        print("sessions, each stored through record_session")
        clients: dict[int, tuple[Client, Patient]] = {}
        for mark in MARKS:
            began = time.perf_counter()
            patient = demo_patient(mark)
            client = Client()
            client.force_login(patient.user)
            clients[mark] = (client, patient)
            print(f"  {mark:>3} sessions: {time.perf_counter() - began:5.1f} s")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        samples: dict[str, dict[int, list[Figures]]] = {
            label: {mark: [] for mark in MARKS} for label in [n for n, _u in PAGES] + [UPLOAD]
        }
        for client, _patient in clients.values():  # a warm-up: templates, the catalogue
            for _name, url in PAGES:
                client.get(url)
        # Round by round over the histories, so that a busy moment on the machine slows
        # every history alike. The pages first: an upload today changes what Today shows.
        for _n in range(RUNS):
            for mark, (client, _patient) in clients.items():
                for name, url in PAGES:
                    samples[name][mark].append(measured(lambda c=client, u=url: c.get(u), 200))
        for n in range(RUNS):
            for mark, (client, patient) in clients.items():
                samples[UPLOAD][mark].append(upload(client, patient, n))
        print(f"Each request {RUNS} times on {connection.vendor} (median time; ratios to {BASE}):")
        report(samples)
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()
