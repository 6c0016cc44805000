"""Named test users, made the same way in every test (as healthchecks does):

alice    a patient at the Riverside clinic, treated by bob
bob      a therapist at Riverside (clinic staff)
charlie  a therapist at another clinic, Hilltop (clinic staff)
dave     another patient, who signed up alone (no clinic)
erin     the clinic admin at Riverside (a therapist too)
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from babel.messages.frontend import CommandLineInterface
from django.contrib.auth.models import User
from django.contrib.staticfiles import handlers as staticfiles_handlers
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.utils import translation

from stenosis_coach.clinic.models import StaffMember
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.actions import current_prescription

LOCALE = Path(__file__).resolve().parent.parent / "stenosis_coach" / "locale"


class StaticFilesAsServed(StaticFilesHandler):
    """The live server's static files come through WhiteNoise, hashed and compressed as in
    production, not from the apps' folders under their plain names (Django's handler)."""

    def _should_handle(self, path: str) -> bool:
        return False


# pytest-django's live_server takes this handler when it starts.
staticfiles_handlers.StaticFilesHandler = StaticFilesAsServed  # type: ignore[misc]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the translations whose .po is newer than their .mo, as `make messages` does,
    so that a bare `pytest` never runs on stale ones."""
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            arguments = ["--domain", "django", "--input-file", str(po), "--output-file", str(mo)]
            CommandLineInterface().run(["pybabel", "--quiet", "compile", *arguments])
    collect_static_if_stale()


def collect_static_if_stale() -> None:
    """Collect the static files (hashed and compressed, as they are served) when a source
    file is newer than the last collection: pages name the hashed files, and a bare
    `pytest` after an edit must serve the edited file."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    from stenosis_coach.web import static_files

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    collected = manifest.stat().st_mtime if manifest.exists() else 0.0
    newest = max(
        Path(static_files.__file__).stat().st_mtime,  # how they are stored
        *(
            Path(storage.path(path)).stat().st_mtime
            for finder in finders.get_finders()
            for path, storage in finder.list([])
        ),
    )
    if newest >= collected:
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def default_language_after_each_test() -> Any:
    """A page that the test client gets leaves its language on in this thread; the next
    test starts from the default again, whatever order the tests run in."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Real hashing is slow on purpose; tests only need it to work."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def riverside(db: None) -> Clinic:
    return Clinic.objects.create(name="Riverside Physio")


@pytest.fixture
def bob(riverside: Clinic) -> User:
    user = User.objects.create_user("bob", "bob@riverside.example", "unused-Bob-pw-1")
    StaffMember.objects.create(user=user, clinic=riverside, role=StaffMember.THERAPIST)
    return user


@pytest.fixture
def erin(riverside: Clinic) -> User:
    user = User.objects.create_user("erin", "erin@riverside.example", "unused-Erin-pw-1")
    StaffMember.objects.create(user=user, clinic=riverside, role=StaffMember.ADMIN)
    return user


@pytest.fixture
def charlie(db: None) -> User:
    hilltop = Clinic.objects.create(name="Hilltop Spine")
    user = User.objects.create_user("charlie", "charlie@hilltop.example", "unused-Charlie-pw-1")
    StaffMember.objects.create(user=user, clinic=hilltop, role=StaffMember.THERAPIST)
    return user


@pytest.fixture
def alice(riverside: Clinic, bob: User) -> Patient:
    user = User.objects.create_user("alice", password="unused-Alice-pw-1")
    return create_patient(user, clinic=riverside, therapist=bob)


@pytest.fixture
def dave(db: None) -> Patient:
    user = User.objects.create_user("dave", password="unused-Dave-pw-1")
    return create_patient(user)


@pytest.fixture
def payload_for() -> Any:
    """`payload_for(patient, ...)` builds a valid session upload (see session_payload)."""
    return session_payload


def session_payload(
    patient: Patient,
    *,
    days_ago: float = 0,
    leg_before: int = 3,
    leg_after: int | None = 3,
    overrides: dict[str, dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A valid upload for every active exercise of the patient's current prescription.

    overrides: per exercise id, fields to change in that exercise's result.
    """
    version = current_prescription(patient)
    finished = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    results = []
    for item in version.items.all():
        if not (item.enabled and not item.locked and not item.paused):
            continue
        result = {
            "exercise_id": item.exercise_id,
            "completed": True,
            "sets_done": item.sets,
            "reps_done": item.dose.total_reps,
        }
        result.update((overrides or {}).get(item.exercise_id, {}))
        results.append(result)
    payload: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "prescription_version": version.number,
        "started_at": session_start(finished).isoformat(),
        "finished_at": finished.isoformat(),
        "pain_before": {"leg": leg_before, "back": 2},
        "pain_after": None if leg_after is None else {"leg": leg_after, "back": 2},
        "results": results,
    }
    payload.update(fields)
    return payload


def session_start(finished: dt.datetime) -> dt.datetime:
    """12 minutes before `finished`, but never on the day before: a test run just after
    midnight still makes today's session today's."""
    midnight = finished.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(finished - dt.timedelta(minutes=12), midnight)
