"""What one upload costs as a patient's history grows: it should not grow with it.

record_session rates the new session and its neighbours only, and gives the engine the
latest sessions only (actions.ENGINE_WINDOW), so the time and the number of queries of an
upload stay the same after 30 sessions or after two years of them.

Prints, at 0, 30, 90, 365 and 730 earlier sessions, the median and fastest time and the
queries of an upload that changes no dose (a new prescription version, made now and then,
would blur the figures), on a throw-away test database: SQLite unless DATABASE_URL is set
(PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench). Nothing is asserted.
Run with `make bench`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
import uuid
from typing import Any

os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="stenosis-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stenosis_coach.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from stenosis_coach.patients.actions import sign_up  # noqa: E402
from stenosis_coach.patients.models import Patient  # noqa: E402
from stenosis_coach.practice.actions import current_prescription, record_session  # noqa: E402
from stenosis_coach.practice.uploads import parse_session_upload  # noqa: E402

MARKS = (0, 30, 90, 365, 730)
SAMPLES = 15  # uploads measured at each mark
START = dt.datetime.now(dt.UTC) - dt.timedelta(days=max(MARKS) + 60)


def payload(patient: Patient, when: dt.datetime, leg_after: int = 3) -> dict[str, Any]:
    version = current_prescription(patient)
    return {
        "uuid": str(uuid.uuid4()),
        "prescription_version": version.number,
        "started_at": (when - dt.timedelta(minutes=10)).isoformat(),
        "finished_at": when.isoformat(),
        "pain_before": {"leg": 3, "back": 2},
        "pain_after": {"leg": leg_after, "back": 2},
        "results": [
            {"exercise_id": i.exercise_id, "completed": True}
            for i in version.items.all()
            if i.to_engine().active
        ],
    }


def timed_upload(patient: Patient, when: dt.datetime) -> tuple[float, int]:
    """Milliseconds and queries to store one session whose leg pain rose (amber: no dose
    changes), after one like it (which plays any step-up waiting: that makes a version)."""
    record_session(patient, parse_session_upload(payload(patient, when, leg_after=6)))
    data = parse_session_upload(payload(patient, when + dt.timedelta(minutes=30), leg_after=6))
    return measured(patient, data)


def first_upload(when: dt.datetime) -> tuple[float, int]:
    """A new patient's first session: nothing before it."""
    patient = new_patient()
    return measured(patient, parse_session_upload(payload(patient, when)))


def measured(patient: Patient, data: Any) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        record_session(patient, data)
        took = (time.perf_counter() - began) * 1000
    return took, len(queries)


def new_patient() -> Patient:
    return sign_up(f"bench-{uuid.uuid4().hex[:8]}@example.org", "Bench-pass-42-x")


def with_history(days: int) -> Patient:
    """A patient with a green session a day for `days` days."""
    patient = new_patient()
    for day in range(days):
        when = START + dt.timedelta(days=day)
        record_session(patient, parse_session_upload(payload(patient, when)))
    return patient


def main() -> None:
    test_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        patients = {mark: with_history(mark) for mark in MARKS[1:]}
        samples: dict[int, list[tuple[float, int]]] = {mark: [] for mark in MARKS}
        # Round by round over the histories, so that a busy moment on the machine slows
        # every history alike; the measured sessions come after the last day, an hour apart.
        for n in range(SAMPLES):
            when = START + dt.timedelta(days=max(MARKS), hours=n)
            samples[0].append(first_upload(when))
            for mark, patient in patients.items():
                samples[mark].append(timed_upload(patient, when))
        print(f"One upload on {connection.vendor}, {SAMPLES} times (median, fastest):")
        for mark in MARKS:
            times = [ms for ms, _ in samples[mark]]
            counts = sorted({count for _, count in samples[mark]})
            print(
                f"  {mark:>3} sessions before: {statistics.median(times):6.1f} ms, "
                f"{min(times):6.1f} ms, queries {counts}"
            )
        longest, short = ([ms for ms, _ in samples[mark]] for mark in (max(MARKS), 30))
        median = statistics.median(longest) / statistics.median(short)
        fastest = min(longest) / min(short)
        print(f"  730 against 30 sessions before: {median:.2f}x (median), {fastest:.2f}x (fastest)")
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()
