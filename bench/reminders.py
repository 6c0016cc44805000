"""What the minute reminder sweep costs with many patients (it runs every minute, so it
must stay well under one).

Makes PATIENTS patients with e-mail reminders at spread-out times, then times the sweep at
a minute when none is due and at one when DUE of them are, with its query count, on a
throw-away test database: SQLite unless DATABASE_URL is set. Nothing is asserted. Run with
`make bench`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time

os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="stenosis-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stenosis_coach.settings")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from stenosis_coach.patients.actions import create_patient, record_screening  # noqa: E402
from stenosis_coach.programme import red_flag_questions  # noqa: E402
from stenosis_coach.reminders.models import ReminderPlan, SentReminder  # noqa: E402
from stenosis_coach.reminders.sweep import send_due_reminders  # noqa: E402

PATIENTS = 1000
DUE = 50  # of them at the minute timed as "due"
SAMPLES = 5
CLEAR = {question.id: False for question in red_flag_questions()}


def make_patients(due_at: dt.time) -> None:
    for number in range(PATIENTS):
        user = User.objects.create_user(f"p{number}", f"p{number}@example.org")
        patient = create_patient(user)
        record_screening(patient, CLEAR)
        # DUE of them at `due_at` (06:15), the rest on the half hours from 18:00 to 22:30.
        minutes = (due_at.hour * 60 + due_at.minute) if number < DUE else 1080 + 30 * (number % 10)
        time = dt.time(minutes // 60 % 24, minutes % 60)
        ReminderPlan.objects.create(patient=patient, times=[time.strftime("%H:%M")], by_email=True)


def timed(now: dt.datetime) -> tuple[float, float, int, int]:
    times, queries, sent = [], 0, 0
    for _ in range(SAMPLES):
        SentReminder.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            sent = len(send_due_reminders(now))
            times.append((time.perf_counter() - began) * 1000)
        queries = len(captured)
    return statistics.median(times), min(times), queries, sent


def main() -> None:
    test_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        tomorrow = timezone.now().date() + dt.timedelta(days=1)
        due = dt.datetime.combine(tomorrow, dt.time(6, 15), tzinfo=dt.UTC)
        make_patients(due.time())
        quiet = due + dt.timedelta(hours=3)  # 09:15: nobody's time in the hour before
        print(
            f"The reminder sweep over {PATIENTS} patients on {connection.vendor} (median, fastest):"
        )
        for name, now in (("none due", quiet), (f"{DUE} due", due)):
            median, fastest, queries, sent = timed(now)
            print(
                f"  {name:<10} {median:6.0f} ms, {fastest:6.0f} ms, {queries} queries, {sent} sent"
            )
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()
