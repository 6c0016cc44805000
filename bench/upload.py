"""Storing a session as a patient's history grows: record_session re-rates every earlier
session (a new one can turn the one before it amber), so its cost grows with the history.

Prints figures for a year of daily sessions on a throw-away SQLite database (or the
DATABASE_URL you give); nothing here is asserted. Run with `make bench`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid

os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="stenosis-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stenosis_coach.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from stenosis_coach.patients.actions import sign_up  # noqa: E402
from stenosis_coach.practice.actions import current_prescription, record_session  # noqa: E402
from stenosis_coach.practice.uploads import parse_session_upload  # noqa: E402


def payload(patient, when: dt.datetime) -> dict:  # type: ignore[no-untyped-def]
    version = current_prescription(patient)
    return {
        "uuid": str(uuid.uuid4()),
        "prescription_version": version.number,
        "started_at": (when - dt.timedelta(minutes=10)).isoformat(),
        "finished_at": when.isoformat(),
        "pain_before": {"leg": 3, "back": 2},
        "pain_after": {"leg": 3, "back": 2},
        "results": [
            {"exercise_id": i.exercise_id, "completed": True}
            for i in version.items.all()
            if i.to_engine().active
        ],
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    patient = sign_up(f"bench-{uuid.uuid4().hex[:8]}@example.org", "Bench-pass-42-x")
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    marks = {1, 30, 100, 200, 365}
    for day in range(1, 366):
        data = parse_session_upload(payload(patient, start + dt.timedelta(days=day)))
        if day in marks:
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                record_session(patient, data)
                took = (time.perf_counter() - began) * 1000
            print(
                f"upload with {day - 1:>3} sessions before: {took:7.1f} ms, {len(queries)} queries"
            )
        else:
            record_session(patient, data)
    repeats = []
    for _ in range(20):
        again = parse_session_upload(payload(patient, start + dt.timedelta(days=390)))
        began = time.perf_counter()
        record_session(patient, again)
        record_session(patient, again)  # the same UUID again: stored once
        repeats.append((time.perf_counter() - began) * 1000)
    median = statistics.median(repeats)
    print(f"a new upload plus its repeat after a year of sessions: median {median:.1f} ms")
    print(f"database: {connection.vendor}", file=sys.stderr)


if __name__ == "__main__":
    main()
