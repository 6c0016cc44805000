"""Acknowledging an alert on the therapist's page: who, when and an optional note are kept,
it is audited, twice is harmless, and only this patient's alert can be acknowledged."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from stenosis_coach.clinic.models import Alert, AuditEntry
from stenosis_coach.clinic.prescribing import REASON_MAX
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic, Patient
from tests.clinic_pages import assert_only_own_clinic, audit_count, client_for
from tests.patient_pages import page

NOTE = "Phoned her: the pain settled after a rest."


def raise_alert(patient: Patient, rule: str = "new_numbness") -> Alert:
    return Alert.objects.create(
        patient=patient,
        rule=rule,
        severity=Alert.Severity.CRITICAL,
        values={"day": timezone.localdate().isoformat()},
        raised_at=timezone.now(),
    )


@pytest.fixture
def alert(alice: Patient) -> Alert:
    return raise_alert(alice)


def url(patient: Patient, alert: Alert) -> str:
    return f"/clinic/patients/{patient.pk}/alerts/{alert.pk}/acknowledge/"


def test_only_the_patients_clinic_may_acknowledge(
    alice: Patient, alert: Alert, bob: User, charlie: User
) -> None:
    assert_only_own_clinic(
        url(alice, alert), own=bob, other_clinic=charlie, patient=alice, method="post", note=NOTE
    )


def test_another_clinic_leaves_it_open(alice: Patient, alert: Alert, charlie: User) -> None:
    assert client_for(charlie).post(url(alice, alert), {"note": NOTE}).status_code == 404
    alert.refresh_from_db()
    assert alert.is_open


def test_acknowledging_keeps_who_when_and_the_note(alice: Patient, alert: Alert, bob: User) -> None:
    client = client_for(bob)
    response = client.post(url(alice, alert), {"note": NOTE})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert alert.acknowledged_by == bob
    assert alert.note == NOTE
    entry = AuditEntry.objects.get(patient=alice, action=AuditEntry.CHANGE)
    assert entry.who == bob
    assert "new_numbness" in entry.what
    html = page(client.get(response["Location"]))
    assert "Alert acknowledged." in html
    assert "No open alerts." in html
    assert NOTE in html


def test_the_note_is_optional(alice: Patient, alert: Alert, bob: User) -> None:
    assert client_for(bob).post(url(alice, alert), {}).status_code == 302
    alert.refresh_from_db()
    assert not alert.is_open
    assert alert.note == ""


def test_a_long_note_is_refused(alice: Patient, alert: Alert, bob: User) -> None:
    response = client_for(bob).post(url(alice, alert), {"note": "x" * (REASON_MAX + 1)})
    assert response.status_code == 400
    assert f"Note: at most {REASON_MAX} characters" in page(response)
    alert.refresh_from_db()
    assert alert.is_open


def test_acknowledging_twice_is_harmless(
    alice: Patient, alert: Alert, bob: User, erin: User
) -> None:
    client_for(bob).post(url(alice, alert), {"note": NOTE})
    alert.refresh_from_db()
    first = (alert.acknowledged_at, alert.acknowledged_by, alert.note)
    client = client_for(erin)
    response = client.post(url(alice, alert), {"note": "Another note"})
    assert response.status_code == 302
    assert "This alert was acknowledged already." in page(client.get(response["Location"]))
    alert.refresh_from_db()
    assert (alert.acknowledged_at, alert.acknowledged_by, alert.note) == first
    assert audit_count(patient=alice, action=AuditEntry.CHANGE) == 1


def test_another_patients_alert_is_404(
    alice: Patient, bob: User, riverside: Clinic, dave: Patient
) -> None:
    fay = create_patient(User.objects.create_user("fay"), clinic=riverside, therapist=bob)
    fays = raise_alert(fay)
    daves = raise_alert(dave)
    client = client_for(bob)
    assert client.post(url(alice, fays), {"note": NOTE}).status_code == 404
    assert client.post(url(alice, daves), {"note": NOTE}).status_code == 404
    assert client.post(f"/clinic/patients/{alice.pk}/alerts/999999/acknowledge/").status_code == 404
    assert Alert.objects.filter(acknowledged_at__isnull=True).count() == 2


def test_get_is_not_allowed(alice: Patient, alert: Alert, bob: User) -> None:
    assert client_for(bob).get(url(alice, alert)).status_code == 405
