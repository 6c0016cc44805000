"""What one patient's FHIR Bundle costs to make, after 90 days of history.

Prints the median and fastest time of the whole Bundle (with the handout PDF in it, and
validated with fhir.resources' R4B models), of the Bundle without the handout, and of the
R4B validation alone, each made SAMPLES times after one warm-up, with the number of
resources and the size of the JSON; on a throw-away test database: SQLite unless
DATABASE_URL is set. Nothing is asserted. Run with `.venv/bin/python bench/fhir.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal

os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="stenosis-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stenosis_coach.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

# The pages name the static files by their hashed names: collected into this data folder.
call_command("collectstatic", interactive=False, verbosity=0)

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from fhir.resources.R4B.bundle import Bundle  # noqa: E402

from stenosis_coach.fhir.bundle import as_json, patient_bundle, patient_entries  # noqa: E402
from stenosis_coach.outcomes.actions import record_walking_test  # noqa: E402
from stenosis_coach.patients.actions import sign_up  # noqa: E402
from stenosis_coach.patients.management.commands.demo import fill_history, session  # noqa: E402
from stenosis_coach.patients.models import Patient  # noqa: E402
from stenosis_coach.practice.actions import record_session  # noqa: E402
from stenosis_coach.practice.uploads import parse_session_upload  # noqa: E402

SAMPLES = 5
HISTORY_DAYS = 90
DEMO_DAYS = 60  # fill_history walks longer each week: past 60 days, over the 30-min cap


def ninety_days(patient: Patient, rng: random.Random) -> None:
    """The demo's 60 days, and before them 30 more: a session most days, a walk a week."""
    fill_history(patient, DEMO_DAYS, rng)
    now = timezone.now()
    for day in range(DEMO_DAYS + 1, HISTORY_DAYS + 1):
        when = now - dt.timedelta(days=day, hours=-rng.randint(0, 3))
        if rng.random() < 0.85:
            record_session(patient, parse_session_upload(session(patient, when, 6, rng)))
        if day % 7 == 0:
            walk = record_walking_test(patient, minutes=Decimal(5), stopped_by_symptoms=True)
            walk.taken_at = when
            walk.save(update_fields=["taken_at"])


def timed(make: Callable[[], object]) -> tuple[float, float]:
    """Median and fastest milliseconds."""
    make()  # warm-up (the first PDF loads Pango and the fonts)
    times = []
    for _ in range(SAMPLES):
        began = time.perf_counter()
        make()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    test_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        patient = sign_up("bench-fhir@example.org", "Bench-pass-42-x")
        ninety_days(patient, random.Random(1))
        bundle = patient_bundle(patient)
        print(
            f"One patient's Bundle after {HISTORY_DAYS} days ({patient.sessions.count()} sessions,"
            f" {len(bundle['entry'])} resources, {len(as_json(bundle)) / 1e6:.1f} MB) on"
            f" {connection.vendor}, {SAMPLES} times after a warm-up (median, fastest):"
        )
        for name, make in (
            ("whole Bundle", lambda: as_json(patient_bundle(patient))),
            ("without the handout", lambda: patient_entries(patient, with_handout=False)),
            ("R4B validation alone", lambda: Bundle.model_validate(bundle)),
        ):
            median, fastest = timed(make)
            print(f"  {name:<22} {median:6.0f} ms, {fastest:6.0f} ms")
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()
