"""What the caseload page costs: it should stay well under 100 ms for a clinic of 500.

Builds, on a throw-away test database (SQLite unless DATABASE_URL is set), a clinic of
PATIENTS patients (default 500) with 90 days of history each (sessions with their results and
pain check-ins, weekly timed walks, two-weekly function checks, some alerts), bulk-created
for speed, inside a whole install of INSTALL patients (default: just that clinic; the other
clinics get the same kind of history), then their caseload summary rows. Then prints, for the
clinic's therapist, the median and fastest time of the caseload page (the whole request:
view, queries and template) and of the clinic report, with their query counts. On a busy
machine the CPU time (this process's own, SQLite's work included) says more than the wall
clock. Nothing is asserted.

    .venv/bin/python bench/clinic.py                   # 500 patients
    .venv/bin/python bench/clinic.py --install 10000   # the same clinic in an install of 10,000
    PATIENTS=200 INSTALL=10000 .venv/bin/python bench/clinic.py
"""

from __future__ import annotations

import argparse
import datetime as dt
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

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from stenosis_coach.clinic.models import Alert, StaffMember  # noqa: E402
from stenosis_coach.clinic.summaries import refresh_all  # noqa: E402
from stenosis_coach.outcomes.models import (  # noqa: E402
    Activity,
    ActivityScore,
    FunctionCheck,
    PainCheckIn,
    WalkingTest,
)
from stenosis_coach.patients.models import Clinic, Patient  # noqa: E402
from stenosis_coach.practice.models import (  # noqa: E402
    ExerciseResult,
    PrescriptionItem,
    PrescriptionVersion,
    SessionRecord,
)
from stenosis_coach.programme import starting_prescription  # noqa: E402

DAYS = 90
CLINIC_SIZE = 500  # patients per clinic
RUNS = 15
ZONES = ["Europe/Madrid", "Europe/London", "America/New_York", "America/Los_Angeles", ""]
RULES = ["leg_pain_high", "missed_sessions", "pain_rising", "walking_drop", "red_flag"]
SEVERITY = {
    "red_flag": "critical",
    "leg_pain_high": "high",
    "missed_sessions": "medium",
    "pain_rising": "medium",
    "walking_drop": "medium",
}
BATCH = 2000


def build_clinic(name: str, size: int, now: dt.datetime, rng: random.Random) -> User:
    """A clinic with two therapists and `size` patients with DAYS days of history; returns
    its first therapist."""
    clinic = Clinic.objects.create(name=name)
    therapists = [
        User.objects.create_user(f"{name}-t{n}", f"t{n}@{clinic.pk}.bench.example", None)
        for n in range(2)
    ]
    StaffMember.objects.bulk_create(StaffMember(user=t, clinic=clinic) for t in therapists)
    tag = uuid.uuid4().hex[:6]
    users = User.objects.bulk_create(
        User(
            username=f"p{tag}-{n}",
            email=f"patient{n}.{tag}@bench.example",
            first_name=rng.choice(["Ana", "Ben", "Carmen", "David", "Elena", "Frank"]),
            last_name=f"Bench{n}",
        )
        for n in range(size)
    )
    patients = Patient.objects.bulk_create(
        Patient(
            user=user,
            clinic=clinic,
            therapist=therapists[n % 2],
            time_zone=ZONES[n % len(ZONES)],
            usual_leg_pain=rng.randint(2, 6),
            onboarded_at=now - dt.timedelta(days=DAYS),
            sharing_since=now - dt.timedelta(days=DAYS),
        )
        for n, user in enumerate(users)
    )
    Patient.objects.filter(pk__in=[p.pk for p in patients]).update(
        created_at=now - dt.timedelta(days=DAYS + 1)
    )
    versions = PrescriptionVersion.objects.bulk_create(
        PrescriptionVersion(
            patient=patient,
            number=1,
            source=PrescriptionVersion.Source.START,
            sessions_per_day=1,
            weekdays=list(range(7)) if n % 3 else [0, 2, 4],
        )
        for n, patient in enumerate(patients)
    )
    start = starting_prescription()
    PrescriptionItem.objects.bulk_create(
        (
            PrescriptionItem(
                version=version,
                exercise_id=item.exercise_id,
                locked=item.locked,
                **item.dose.to_dict(),
            )
            for version in versions
            for item in start.exercises
        ),
        batch_size=BATCH,
    )
    active = [item for item in start.exercises if not item.locked]
    for patient, version in zip(patients, versions, strict=True):
        history(patient, version, active, now, rng)
    return therapists[0]


def history(
    patient: Patient,
    version: PrescriptionVersion,
    active: list[Any],
    now: dt.datetime,
    rng: random.Random,
) -> None:
    """DAYS days of one patient's history: a session on most days, a walk a week, a
    function check every two weeks, an alert now and then."""
    adherence = rng.choice([0.3, 0.6, 0.8, 0.9, 1.0])
    pain = rng.randint(3, 8)
    sessions, checkins = [], []
    for day in range(DAYS, 0, -1):
        if rng.random() > adherence:
            continue
        started = now - dt.timedelta(days=day, hours=rng.randint(0, 10))
        session = SessionRecord(
            uuid=uuid.uuid4(),
            patient=patient,
            prescription=version,
            started_at=started,
            finished_at=started + dt.timedelta(minutes=14),
        )
        sessions.append(session)
        pain = max(0, min(10, pain + rng.choice([-1, 0, 0, 0, 1])))
        for moment, at in (("before", started), ("after", session.finished_at)):
            checkins.append(
                PainCheckIn(
                    patient=patient,
                    session=session,
                    moment=moment,
                    recorded_at=at,
                    leg_pain=pain,
                    back_pain=2,
                )
            )
    SessionRecord.objects.bulk_create(sessions, batch_size=BATCH)
    ExerciseResult.objects.bulk_create(
        (
            ExerciseResult(
                session=session,
                exercise_id=item.exercise_id,
                completed=True,
                sets_done=item.dose.sets,
                reps_done=item.dose.total_reps,
                light="green",
                light_cause="none",
                **item.dose.to_dict(),
            )
            for session in sessions
            for item in active
        ),
        batch_size=BATCH,
    )
    PainCheckIn.objects.bulk_create(checkins, batch_size=BATCH)
    WalkingTest.objects.bulk_create(
        WalkingTest(
            patient=patient,
            taken_at=now - dt.timedelta(days=day),
            seconds=rng.randint(120, 1200),
            stopped_by_symptoms=True,
        )
        for day in range(DAYS, 0, -7)
    )
    activities = Activity.objects.bulk_create(
        Activity(patient=patient, name=name, position=n)
        for n, name in enumerate(["Walking the dog", "Shopping", "Stairs"], start=1)
    )
    checks = FunctionCheck.objects.bulk_create(
        FunctionCheck(patient=patient, taken_at=now - dt.timedelta(days=day))
        for day in range(DAYS, 0, -14)
    )
    ActivityScore.objects.bulk_create(
        ActivityScore(function_check=check, activity=activity, score=rng.randint(2, 8))
        for check in checks
        for activity in activities
    )
    alerts = []
    for rule in rng.sample(RULES, k=rng.choice([0, 0, 0, 1, 1, 2])):
        raised = now - dt.timedelta(days=rng.randint(1, 30))
        acknowledged = rng.random() < 0.5
        alerts.append(
            Alert(
                patient=patient,
                rule=rule,
                severity=SEVERITY[rule],
                values={"day": raised.date().isoformat()},
                raised_at=raised,
                acknowledged_at=raised + dt.timedelta(hours=rng.randint(1, 48))
                if acknowledged
                else None,
            )
        )
    Alert.objects.bulk_create(alerts)


def signed_in(therapist: User) -> Client:
    """A client for the therapist, past two-step sign-in (as tests/clinic_pages does): clinic
    pages send staff without it to the second step."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(therapist)
    device = TOTPDevice.objects.create(user=therapist, name="Bench app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure(client: Client, url: str) -> tuple[list[float], list[float], set[int]]:
    """Milliseconds of wall-clock and of this process's CPU (SQLite runs in the process,
    so its work counts; other programs on a busy machine do not), and the query counts."""
    walls, cpus, counts = [], [], set()
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append((time.perf_counter() - began) * 1000)
            cpus.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, response.status_code
        counts.add(len(queries))
    return walls, cpus, counts


def report(label: str, figures: tuple[list[float], list[float], set[int]]) -> None:
    walls, cpus, counts = figures
    print(
        f"  {label:<33} {statistics.median(walls):6.1f} ms median ({min(walls):6.1f} fastest),"
        f" CPU {statistics.median(cpus):6.1f} ms median, queries {sorted(counts)}"
    )


def timed(label: str, work: Callable[[], object]) -> None:
    began = time.perf_counter()
    work()
    print(f"  {label}: {time.perf_counter() - began:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=int(os.environ.get("PATIENTS", 500)))
    parser.add_argument("--install", type=int, default=int(os.environ.get("INSTALL", 0)))
    args = parser.parse_args()
    install = max(args.install, args.patients)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("collectstatic", interactive=False, verbosity=0)  # pages name hashed files
    test_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        rng = random.Random(11)
        now = timezone.now()
        print(f"Building on {connection.vendor}: a clinic of {args.patients} patients with")
        print(f"{DAYS} days of history each, in an install of {install} patients")
        holder: dict[str, User] = {}

        def build() -> None:
            with transaction.atomic():
                holder["therapist"] = build_clinic("Bench clinic", args.patients, now, rng)
                others, n = install - args.patients, 0
                while others > 0:
                    n += 1
                    build_clinic(f"Other clinic {n}", min(CLINIC_SIZE, others), now, rng)
                    others -= CLINIC_SIZE

        timed("built", build)
        # Bulk-created rows pass by the actions that keep the caseload's summary rows.
        timed("summaries made", refresh_all)
        print(
            f"  {SessionRecord.objects.count()} sessions,"
            f" {PainCheckIn.objects.count()} pain check-ins, {Alert.objects.count()} alerts"
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = signed_in(holder["therapist"])
        print(f"The therapist's pages, {RUNS} times each:")
        report("caseload, whole clinic (page 1)", measure(client, "/clinic/?show=all"))
        report(
            "caseload, sorted by pain change", measure(client, "/clinic/?show=all&sort=pain_change")
        )
        report("caseload, page 10", measure(client, "/clinic/?show=all&sort=name&page=10"))
        report("caseload, mine (default)", measure(client, "/clinic/"))
        report("caseload, search", measure(client, "/clinic/?show=all&q=bench1"))
        report("clinic report", measure(client, "/clinic/report/"))
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)


if __name__ == "__main__":
    main()
