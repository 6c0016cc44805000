"""Clearing a red-flag hold from the therapist's page, after the patient has been checked:
who and when are kept, a reason is needed, and it is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from stenosis_coach.clinic.models import AuditEntry
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient, RedFlagScreening
from tests.clinic_pages import assert_only_own_clinic, audit_count, client_for
from tests.patient_pages import ALL_CLEAR, page, ready

REASON = "Seen in clinic today: no saddle numbness, reflexes normal."


@pytest.fixture
def held(alice: Patient) -> RedFlagScreening:
    ready(alice)
    return record_screening(alice, {**ALL_CLEAR, "saddle-numbness": True})


def url(patient: Patient) -> str:
    return f"/clinic/patients/{patient.pk}/red-flag/clear/"


def test_only_the_patients_clinic_may_clear(
    alice: Patient, held: RedFlagScreening, bob: User, charlie: User
) -> None:
    assert_only_own_clinic(
        url(alice), own=bob, other_clinic=charlie, patient=alice, method="post", reason=REASON
    )


def test_another_clinic_cannot_clear(alice: Patient, held: RedFlagScreening, charlie: User) -> None:
    assert client_for(charlie).post(url(alice), {"reason": REASON}).status_code == 404
    assert alice.red_flag_hold() == held


def test_clearing_keeps_who_and_when_and_is_audited(
    alice: Patient, held: RedFlagScreening, bob: User
) -> None:
    client = client_for(bob)
    response = client.post(url(alice), {"reason": REASON})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.cleared_at is not None
    assert held.cleared_by == "therapist"
    assert held.cleared_by_user == bob
    assert alice.red_flag_hold() is None
    entry = AuditEntry.objects.get(patient=alice, action=AuditEntry.CHANGE)
    assert entry.who == bob
    assert REASON in entry.what
    assert "red-flag hold" in entry.what
    html = page(client.get(response["Location"]))
    assert "The red-flag hold is cleared." in html
    assert "therapist bob@riverside.example" in html
    assert REASON in html  # on the list of changes


def test_a_reason_is_needed(alice: Patient, held: RedFlagScreening, bob: User) -> None:
    response = client_for(bob).post(url(alice), {"reason": "  "})
    assert response.status_code == 400
    assert "Reason: please say why you make this change." in page(response)
    assert alice.red_flag_hold() == held
    assert audit_count(patient=alice, action=AuditEntry.CHANGE) == 0


def test_clearing_twice_changes_nothing(alice: Patient, held: RedFlagScreening, bob: User) -> None:
    client = client_for(bob)
    client.post(url(alice), {"reason": REASON})
    held.refresh_from_db()
    first = held.cleared_at
    response = client.post(url(alice), {"reason": REASON})
    assert "There is no red-flag hold to clear." in page(client.get(response["Location"]))
    held.refresh_from_db()
    assert held.cleared_at == first
    assert audit_count(patient=alice, action=AuditEntry.CHANGE) == 1


def test_the_exercises_wait_for_a_clear_screening(
    alice: Patient, held: RedFlagScreening, bob: User
) -> None:
    client_for(bob).post(url(alice), {"reason": REASON})
    alice.refresh_from_db()
    assert alice.programme_paused  # the latest screening still had a "yes"
    record_screening(alice, ALL_CLEAR)
    assert not alice.programme_paused


def test_the_page_offers_the_form_only_during_a_hold(alice: Patient, bob: User) -> None:
    ready(alice)
    page_url = f"/clinic/patients/{alice.pk}/"
    assert "Clear the red-flag hold" not in page(client_for(bob).get(page_url))
    record_screening(alice, {**ALL_CLEAR, "fever": True})
    assert "Clear the red-flag hold" in page(client_for(bob).get(page_url))


def test_get_is_not_allowed(alice: Patient, held: RedFlagScreening, bob: User) -> None:
    assert client_for(bob).get(url(alice)).status_code == 405
