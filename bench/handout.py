"""What one printed handout and one progress summary cost to make (aim: under a second).

Prints the median and fastest time, and the pages, of a patient's handout, of their
one-page summary (after 60 days of history) and of the generic handout, each made
SAMPLES times after one warm-up (the first PDF loads Pango and the fonts), on a throw-away
test database: SQLite unless DATABASE_URL is set. Nothing is asserted. Run with
`make bench`.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from io import BytesIO

os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="stenosis-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stenosis_coach.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

# The pages name the static files by their hashed names: collected into this data folder.
call_command("collectstatic", interactive=False, verbosity=0)

from django.db import connection  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from stenosis_coach.exports import handout  # noqa: E402
from stenosis_coach.patients.actions import sign_up  # noqa: E402
from stenosis_coach.patients.management.commands.demo import fill_history  # noqa: E402

SAMPLES = 5
HISTORY_DAYS = 60  # fill_history walks longer each week: past 60 days, over the 30-min cap


def timed(make: Callable[[], bytes]) -> tuple[float, float, int]:
    """Median and fastest milliseconds, and the pages of the PDF."""
    pdf = make()  # warm-up
    times = []
    for _ in range(SAMPLES):
        began = time.perf_counter()
        pdf = make()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), min(times), len(PdfReader(BytesIO(pdf)).pages)


def main() -> None:
    test_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        patient = sign_up("bench-handout@example.org", "Bench-pass-42-x")
        fill_history(patient, HISTORY_DAYS, random.Random(1))
        print(f"One PDF on {connection.vendor}, {SAMPLES} times after a warm-up (median, fastest):")
        for name, make in (
            ("handout", lambda: handout.handout_pdf(patient)),
            (f"summary ({HISTORY_DAYS} days)", lambda: handout.summary_pdf(patient)),
            ("generic handout", lambda: handout.handout_pdf(None)),
        ):
            median, fastest, pages = timed(make)
            print(f"  {name:<20} {median:6.0f} ms, {fastest:6.0f} ms, {pages} pages")
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()
