"""Health data stays where it belongs: not in any model's text (which the admin, logs and
error reports show), not in the admin, not in the browser's console, and not readable on
disk by other accounts."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.utils import timezone

from stenosis_coach.clinic.models import (
    Alert,
    AuditEntry,
    Invitation,
    Message,
    PatientSummary,
    PrescriptionTemplate,
    StaffMember,
)
from stenosis_coach.exports.models import PreparedFile
from stenosis_coach.fhir.models import BulkExport, BulkExportFile
from stenosis_coach.jobs.models import PeriodicRun, SentEmail
from stenosis_coach.outcomes.models import (
    Activity,
    ActivityScore,
    FunctionCheck,
    PainCheckIn,
    WalkingTest,
)
from stenosis_coach.patients.models import Clinic, Patient, RedFlagScreening
from stenosis_coach.practice.models import (
    Exercise,
    ExerciseResult,
    PrescriptionItem,
    PrescriptionVersion,
    SessionRecord,
)
from stenosis_coach.reminders.models import PushSubscription, ReminderPlan, SentReminder, VapidKey

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = ("patients", "clinic", "practice", "outcomes", "exports", "reminders", "fhir", "jobs")
# Models with nothing of a patient's: the catalogue, the clinic and its staff, the push key,
# the scheduler's slots, the clinic's own prescription templates, a clinic's bulk export
# (its state and file names; the files' contents are not in the model's text).
NOT_A_PATIENTS = {
    *(Exercise, Clinic, StaffMember, VapidKey, PeriodicRun, PrescriptionTemplate),
    *(BulkExport, BulkExportFile),
}
NOW = timezone.now()


def health_records(alice: Patient, bob: User) -> list[models.Model]:
    """One of each model that holds a patient's data, filled with telling values."""
    version = PrescriptionVersion.objects.create(
        patient=alice, number=7, source="therapist", note="Sciatica worse at 9"
    )
    item = PrescriptionItem.objects.create(
        version=version, exercise_id="pelvic-tilt", reps=8, hold_seconds=25, reason="Stepped up"
    )
    session = SessionRecord.objects.create(
        uuid=uuid.uuid4(), patient=alice, prescription=version, started_at=NOW, finished_at=NOW
    )
    result = ExerciseResult.objects.create(
        session=session,
        exercise_id="pelvic-tilt",
        completed=False,
        worse=True,
        light="red",
        light_cause="hurt",
        reps_done=3,
        sets_done=1,
        stop_reason="leg-pain",
    )
    activity = Activity.objects.create(patient=alice, name="Gardening", position=2)
    check = FunctionCheck.objects.create(patient=alice, taken_at=NOW, impression=6)
    plan = ReminderPlan.objects.create(patient=alice)
    return [
        alice,
        version,
        item,
        session,
        result,
        activity,
        check,
        plan,
        PainCheckIn.objects.create(
            patient=alice,
            session=session,
            moment="before",
            recorded_at=NOW,
            leg_pain=8,
            back_pain=6,
        ),
        WalkingTest.objects.create(
            patient=alice, taken_at=NOW, seconds=437, stopped_by_symptoms=True
        ),
        ActivityScore.objects.create(function_check=check, activity=activity, score=3),
        RedFlagScreening.objects.create(
            patient=alice,
            taken_at=NOW,
            answers={"saddle_numbness": True},
            outcome="emergency",
            flagged=["saddle_numbness"],
        ),
        Alert.objects.create(
            patient=alice,
            rule="leg_pain_high",
            severity="high",
            values={"leg_pain": 9},
            raised_at=NOW,
            note="Called, pain 9",
        ),
        PatientSummary.objects.update_or_create(  # made already, with the alert
            patient=alice,
            defaults={"sessions": 17, "latest_leg_pain": 9, "open_high": 3, "last_red_at": NOW},
        )[0],
        Message.objects.create(patient=alice, author=bob, to_patient=False, body="Leg hurt 8"),
        AuditEntry.objects.create(
            who=bob,
            who_email="bob@riverside.example",
            patient=alice,
            action="read",
            what="pain chart 2024",
        ),
        Invitation.objects.create(
            clinic=alice.clinic,
            therapist=bob,
            code="ABCDEFGH",
            email="ann9@example.org",
            name="Ann Sciatica",
            expires_at=NOW,
        ),
        PreparedFile.objects.create(patient=alice, requested_by=bob, kind="handout"),
        SentEmail.objects.create(key=f"alert-55-to-{bob.pk}"),
        SentReminder.objects.create(patient=alice, channel="email", due_at=NOW),
        PushSubscription.objects.create(
            patient=alice, endpoint="https://push.example/77", p256dh="k9", auth="a9"
        ),
    ]


def telling_values(record: models.Model) -> set[str]:
    """The record's own values (text of 3+ characters, numbers), as they could leak."""
    found: set[str] = set()
    for field in record._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        value = getattr(record, field.attname)
        if isinstance(value, (dt.datetime, dt.date)):
            found.add(f"{value:%Y-%m-%d}")
        elif isinstance(value, bool) or value is None or value == 0:
            continue
        elif isinstance(value, (str, int, uuid.UUID)):
            found.add(str(value))
        else:
            found.update(re.findall(r"[A-Za-z_]{3,}|\d+", repr(value)))
    return {value for value in found if len(value) >= 3 or value.isdigit()}


@pytest.mark.django_db
def test_no_model_text_says_a_health_value(alice: Patient, bob: User) -> None:
    for record in health_records(alice, bob):
        text = str(record)
        assert str(record.pk) in text, text
        assert not re.search(r"\d", text.replace(str(record.pk), "")), text
        # (Looked for in the text without its id: a value "1" is in an id like "1856".)
        without_id = text.replace(str(record.pk), "")
        leaks = {value for value in telling_values(record) if value in without_id}
        assert not leaks, (type(record).__name__, text, leaks)


@pytest.mark.django_db
def test_every_model_is_checked_or_holds_nothing_of_a_patients(alice: Patient, bob: User) -> None:
    """A new model must be added to health_records (or to NOT_A_PATIENTS, with its reason)."""
    checked = {type(record) for record in health_records(alice, bob)}
    ours = {model for name in OUR_APPS for model in apps.get_app_config(name).get_models()}
    assert ours - checked - NOT_A_PATIENTS == set()


def test_the_admin_registers_no_health_model() -> None:
    registered = {model._meta.label for model in admin.site._registry}
    allowed = {"patients.Clinic", "clinic.StaffMember"}
    ours = {label for label in registered if label.split(".")[0] in OUR_APPS}
    assert ours == allowed
    # The job queue's arguments name patients.
    assert "django_tasks_database.DBTaskResult" not in registered


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "unused-Root-1"))
    return client


def test_the_admin_index_lists_no_health_model(admin_client: Client) -> None:
    page = admin_client.get("/admin/").content.decode()
    for name in ("pain", "walking", "screening", "session", "alert", "activit", "prescription"):
        assert name not in page.lower()


def test_deleting_a_patients_account_in_the_admin_lists_no_health_value_and_is_audited(
    admin_client: Client, alice: Patient, bob: User
) -> None:
    health_records(alice, bob)
    url = f"/admin/auth/user/{alice.user.pk}/delete/"
    page = admin_client.get(url).content.decode()
    assert "Pain check ins: 1" in page
    for value in ("Gardening", "leg_pain_high", "emergency", "pelvic-tilt", "437"):
        assert value not in page
    entry = AuditEntry.objects.filter(who__username="root").get()
    assert (entry.patient, entry.action) == (alice, AuditEntry.READ)

    admin_client.post(url, {"post": "yes"})
    assert not Patient.objects.filter(pk=alice.pk).exists()
    deleted = AuditEntry.objects.filter(who__username="root", action=AuditEntry.CHANGE).get()
    assert deleted.patient is None
    assert f"Patient {alice.pk}" in deleted.what


def test_the_admin_account_page_of_a_patient_is_audited(
    admin_client: Client, alice: Patient
) -> None:
    admin_client.get(f"/admin/auth/user/{alice.user.pk}/change/")
    entry = AuditEntry.objects.get(who__username="root")
    assert (entry.patient, entry.action, entry.what) == (alice, "read", "admin: account page")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_and_database_files_are_for_the_app_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    environment = {**os.environ, "DATA_DIR": str(data)}
    environment.pop("DATABASE_URL", None)
    environment.pop("SECRET_KEY", None)
    old_umask = os.umask(0o022)  # the usual one, under which files come out 0644
    try:
        subprocess.run(
            [sys.executable, "-m", "stenosis_coach", "migrate", "-v0"],
            env=environment,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    finally:
        os.umask(old_umask)
    database = data / "stenosis-coach.sqlite3"
    assert mode(data) == 0o700
    assert mode(database) == 0o600
    assert mode(data / "secret_key") == 0o600
    for side in ("-wal", "-shm"):
        side_file = database.with_name(database.name + side)
        if side_file.exists():
            assert mode(side_file) == 0o600


def test_wal_files_made_before_are_closed_up(tmp_path: Path) -> None:
    from stenosis_coach.private_files import keep_sqlite_files_private

    database = tmp_path / "db.sqlite3"
    files = [database, tmp_path / "db.sqlite3-wal", tmp_path / "db.sqlite3-shm"]
    for path in files:
        path.write_bytes(b"")
        path.chmod(0o644)

    class Connection:
        vendor = "sqlite"
        settings_dict: dict[str, Any] = {"NAME": str(database)}

    keep_sqlite_files_private(None, Connection())
    assert [mode(path) for path in files] == [0o600] * 3


CONSOLE_CALL = re.compile(r"console\.(log|info|debug|warn|error)\((.*)\);?")


def test_the_browser_console_gets_no_session_contents() -> None:
    """Each console line says what failed and, at most, the error's name: never an entry,
    an answer or a whole error (a fetch error can carry the request)."""
    scripts = sorted((ROOT / "stenosis_coach").glob("*/static/**/*.js"))
    assert scripts
    for script in scripts:
        for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1):
            match = CONSOLE_CALL.search(line)
            if match is None:
                continue
            assert match.group(1) in {"warn", "error"}, f"{script.name}:{number}"
            arguments = match.group(2).rsplit("//", 1)[0].strip().rstrip(";)")
            assert re.fullmatch(r'"[^"]*"(, error\?\.name)?\)?', arguments), (
                f"{script.name}:{number}: {line.strip()}"
            )
