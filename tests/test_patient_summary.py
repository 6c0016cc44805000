"""The caseload's summary row (clinic.models.PatientSummary): made in the same transaction as
the upload or the alert that changes it, read by the caseload with `now` moving on."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from stenosis_coach.clinic import queries, triage
from stenosis_coach.clinic.models import Alert, PatientSummary, StaffMember
from stenosis_coach.clinic.patient_actions import acknowledge_alert
from stenosis_coach.clinic.queries import Adherence
from stenosis_coach.clinic.summaries import epoch_seconds, refresh_summary
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.actions import record_session
from stenosis_coach.practice.uploads import UploadError, parse_session_upload
from tests.conftest import session_payload
from tests.patient_pages import do_session, ready

# Every field but the time of the last write.
FIGURES = [
    f.name for f in PatientSummary._meta.concrete_fields if f.name not in ("patient", "updated_at")
]


def figures(patient: Patient) -> dict[str, Any]:
    return PatientSummary.objects.filter(pk=patient.pk).values(*FIGURES).get()


def row_for(therapist: User, patient: Patient, **choices: Any) -> queries.CaseloadRow:
    staff = StaffMember.objects.get(user=therapist)
    rows = queries.caseload(staff, filter="all", **choices).rows
    return next(row for row in rows if row.patient_id == patient.pk)


def other_patient(clinic: Clinic, therapist: User) -> Patient:
    user = User.objects.create_user("olga", "olga@example.org", "unused-pw-42")
    return ready(create_patient(user, clinic=clinic, therapist=therapist))


def request_by(user: User) -> Any:
    request = RequestFactory().post("/")
    request.user = user
    return request


def test_an_upload_fills_the_row(alice: Patient) -> None:
    ready(alice)
    record = do_session(alice, leg_before=5, days_ago=2)
    summary = PatientSummary.objects.get(pk=alice.pk)
    assert summary.first_session_at == summary.last_session_at == record.started_at
    assert summary.sessions == 1
    assert summary.recent_sessions == [epoch_seconds(record.started_at)]
    assert summary.recent_leg_pain == [[epoch_seconds(record.started_at), 5]]
    assert summary.first_week_leg_pain == summary.recent_leg_pain
    assert (summary.latest_leg_pain, summary.latest_leg_pain_at) == (5, record.started_at)
    newer = do_session(alice, leg_before=3, days_ago=1)
    summary.refresh_from_db()
    assert (summary.sessions, summary.last_session_at) == (2, newer.started_at)
    assert summary.latest_leg_pain == 3
    assert len(summary.recent_sessions) == 2


def test_the_row_kept_by_uploads_is_the_row_made_from_scratch(alice: Patient) -> None:
    ready(alice)
    for days_ago, leg in ((40, 7), (20, 6), (9, 5), (3, 4), (10, 6)):  # one late upload
        do_session(alice, leg_before=leg, days_ago=days_ago)
    kept = figures(alice)
    assert kept["sessions"] == 5
    assert len(kept["recent_sessions"]) == 4  # 40 days ago is past the window
    assert kept["recent_sessions"] == sorted(kept["recent_sessions"])
    refresh_summary(alice.pk)
    assert figures(alice) == kept


def test_a_red_light_is_kept(alice: Patient, bob: User) -> None:
    ready(alice)
    do_session(alice, days_ago=3)
    assert figures(alice)["last_red_at"] is None
    assert not row_for(bob, alice).red_lately
    stopped = {"completed": False, "stop_reason": "leg-pain", "sets_done": 0, "reps_done": 0}
    first = alice.prescriptions.latest("number").items.first()
    assert first is not None
    red = do_session(alice, days_ago=2, overrides={first.exercise_id: stopped})
    assert figures(alice)["last_red_at"] == red.started_at
    assert row_for(bob, alice).red_lately
    later = timezone.now() + dt.timedelta(days=7)
    assert not row_for(bob, alice, now=later).red_lately


def test_an_alert_raised_and_acknowledged(alice: Patient, bob: User) -> None:
    alert = triage.raise_alert(alice, "red_flag", {"day": "2026-03-03"})
    assert alert is not None
    counts = figures(alice)
    assert (counts["open_critical"], counts["open_high"], counts["open_alerts"]) == (1, 0, 1)
    assert row_for(bob, alice).alert_counts == {Alert.Severity.CRITICAL: 1}
    triage.raise_alert(alice, "leg_pain_high", {"day": "2026-03-03", "leg": 8, "usual": None})
    assert (figures(alice)["open_high"], figures(alice)["open_alerts"]) == (1, 2)
    assert acknowledge_alert(request_by(bob), alert, "Phoned her.")
    counts = figures(alice)
    assert (counts["open_critical"], counts["open_high"], counts["open_alerts"]) == (0, 1, 1)
    assert row_for(bob, alice).alert_counts == {Alert.Severity.HIGH: 1}
    assert not acknowledge_alert(request_by(bob), alert, "Twice.")
    assert figures(alice)["open_alerts"] == 1


def test_sessions_age_out_of_the_windows_as_now_moves_on(alice: Patient, bob: User) -> None:
    """The row holds moments, not counts: the same row read later counts fewer."""
    ready(alice)
    for days_ago in (12, 3, 2):
        do_session(alice, days_ago=days_ago)
    kept = figures(alice)
    now = timezone.now()
    row = row_for(bob, alice, now=now)
    assert (row.adherence_7.done, row.adherence_30.done) == (2, 3)
    row = row_for(bob, alice, now=now + dt.timedelta(days=6))
    assert (row.adherence_7.done, row.adherence_30.done) == (0, 3)
    assert row.days_since_session == 8
    row = row_for(bob, alice, now=now + dt.timedelta(days=20))
    assert (row.adherence_7.done, row.adherence_30.done) == (0, 2)
    assert row.adherence_programme.done == 3  # every session, whatever the day
    assert figures(alice) == kept  # reading wrote nothing


def test_two_patients_have_rows_of_their_own(riverside: Clinic, alice: Patient, bob: User) -> None:
    ready(alice)
    olga = other_patient(riverside, bob)
    do_session(olga, leg_before=5, days_ago=1)
    triage.raise_alert(olga, "red_flag", {"day": "2026-03-03"})
    before = figures(olga)
    do_session(alice, leg_before=2, days_ago=1)
    triage.raise_alert(alice, "leg_pain_high", {"day": "2026-03-03", "leg": 8, "usual": None})
    assert figures(olga) == before
    assert (before["latest_leg_pain"], before["open_critical"], before["open_high"]) == (5, 1, 0)
    mine = figures(alice)
    assert (mine["latest_leg_pain"], mine["open_critical"], mine["open_high"]) == (2, 0, 1)


def test_a_failed_upload_leaves_the_row_as_it_was(alice: Patient) -> None:
    ready(alice)
    do_session(alice, days_ago=1)
    before = figures(alice)
    with pytest.raises(UploadError):
        do_session(alice, days_ago=0.5, prescription_version=99)
    assert figures(alice) == before


def test_a_patient_with_no_row_yet_is_on_the_caseload(alice: Patient, bob: User) -> None:
    """As a patient who joined before their first upload or alert: empty figures."""
    ready(alice)
    PatientSummary.objects.filter(pk=alice.pk).delete()
    row = row_for(bob, alice)
    assert (row.last_session, row.days_since_session, row.alert_counts) == (None, None, {})
    assert row.adherence_7 == Adherence(done=0, expected=0)
    assert (row.pain_now, row.latest_leg_pain, row.red_lately) == (None, None, False)
    staff = StaffMember.objects.get(user=bob)
    assert [r.patient_id for r in queries.caseload(staff, filter="inactive").rows] == [alice.pk]
    assert queries.caseload(staff, filter="alerts").rows == []


@pytest.mark.django_db(transaction=True)
def test_uploads_at_once_each_count(alice: Patient) -> None:
    """Eight of one patient's sessions at once, each in its own connection: the row counts
    every one, as if made from scratch afterwards (the patient's lock puts them in turn)."""
    ready(alice)
    payloads = [session_payload(alice, days_ago=n / 10, leg_before=n) for n in range(8)]

    def upload(payload: dict[str, Any]) -> None:
        try:
            record_session(Patient.objects.get(pk=alice.pk), parse_session_upload(payload))
        finally:
            connection.close()  # this thread's own

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(upload, payloads))
    kept = figures(alice)
    assert kept["sessions"] == len(kept["recent_sessions"]) == 8
    refresh_summary(alice.pk)
    assert figures(alice) == kept
