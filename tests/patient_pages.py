"""Helpers for testing the patient's pages (Progress, the timed walk, History, My data).

Those pages wait for onboarding and a clear red-flag check (@patient_view), so tests start
from a patient who is `ready`. Data is made with the actions, as the app makes it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from stenosis_coach.clinic.models import StaffMember
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from stenosis_coach.practice.actions import record_session
from stenosis_coach.practice.models import SessionRecord
from stenosis_coach.practice.uploads import parse_session_upload
from stenosis_coach.programme import red_flag_questions
from tests.clinic_pages import pass_two_step
from tests.conftest import session_payload

ALL_CLEAR = {question.id: False for question in red_flag_questions()}


def ready(patient: Patient) -> Patient:
    """Past onboarding, with a clear red-flag check."""
    record_screening(patient, ALL_CLEAR)
    patient.onboarded_at = timezone.now()
    patient.save(update_fields=["onboarded_at"])
    return patient


def logged_in(patient_or_user: Patient | User) -> Client:
    user = patient_or_user.user if isinstance(patient_or_user, Patient) else patient_or_user
    client = Client()
    client.force_login(user)
    if StaffMember.objects.filter(user=user).exists():
        pass_two_step(client, user)  # staff have typed their code, as after a real log-in
    return client


def staff_client() -> Client:
    """An account that is not a patient (the pages answer 404)."""
    return logged_in(User.objects.create_user("staff", password="unused-Staff-pw-1"))


def do_session(patient: Patient, **fields: Any) -> SessionRecord:
    """Record a session as the player uploads it (see conftest.session_payload)."""
    upload = parse_session_upload(session_payload(patient, **fields))
    return record_session(patient, upload).record


def page(response: Any) -> str:
    return response.content.decode()


def fetch_prepared(client: Client, url: str, data: dict[str, str] | None = None) -> Any:
    """Ask for a file the worker makes (exports/prepared.py) as a person does: the request,
    the page that waits, the worker's turn, the page again, then its download button. Any
    other answer (a 400, a 404, a redirect to log in) is returned as it is."""
    from django.test import TestCase

    from stenosis_coach.jobs.testing import run_queued_jobs

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url, data or {})
    if response.status_code != 302 or not response["Location"].startswith("/files/"):
        return response
    waiting = page(client.get(response["Location"]))
    assert "We are making it now" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting
    run_queued_jobs()
    ready = page(client.get(response["Location"]))
    assert "It is ready" in ready
    download = re.search(r'href="(/files/[^"]+/download)"', ready)
    assert download, "no download button"
    return client.get(download.group(1))


def many_sessions(
    patient: Patient, days: int, *, leg: Any = lambda day: 3, back: Any = lambda day: 2
) -> list[SessionRecord]:
    """One session a day for the last `days` days (the oldest first), each with every active
    exercise done in full and pain before and after, made with bulk_create: a long history
    in a few queries. leg(n), back(n): the pain on day n (0 is the oldest)."""
    from stenosis_coach.outcomes.models import PainCheckIn
    from stenosis_coach.practice.actions import current_prescription
    from stenosis_coach.practice.models import DOSE_FIELD_NAMES, ExerciseResult

    version = current_prescription(patient)
    items = [item for item in version.items.all() if item.to_engine().active]
    now = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    starts = [now - dt.timedelta(days=days - 1 - n) for n in range(days)]
    sessions = SessionRecord.objects.bulk_create(
        SessionRecord(
            uuid=uuid.uuid4(),
            patient=patient,
            prescription=version,
            started_at=start,
            finished_at=start + dt.timedelta(minutes=12),
        )
        for start in starts
    )
    ExerciseResult.objects.bulk_create(
        ExerciseResult(
            session=session,
            exercise_id=item.exercise_id,
            completed=True,
            sets_done=item.sets,
            reps_done=item.dose.total_reps,
            light="green",
            light_cause="went-well",
            **{name: getattr(item, name) for name in DOSE_FIELD_NAMES},
        )
        for session in sessions
        for item in items
    )
    PainCheckIn.objects.bulk_create(
        PainCheckIn(
            patient=patient,
            session=session,
            moment=moment,
            recorded_at=session.started_at if moment == "before" else session.finished_at,
            leg_pain=leg(n),
            back_pain=back(n),
        )
        for n, session in enumerate(sessions)
        for moment in ("before", "after")
    )
    return sessions
