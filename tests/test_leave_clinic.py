"""Leaving the clinic from My data, and who has looked at the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.test import Client, RequestFactory
from django.utils import timezone

from stenosis_coach.access import patient_for_staff
from stenosis_coach.clinic.audit import record_access
from stenosis_coach.clinic.invitations import create_invitation, leave_clinic
from stenosis_coach.clinic.models import AuditEntry
from stenosis_coach.patients.models import Patient
from tests.patient_pages import logged_in, page, ready


def bob_reads(alice: Patient, bob: User) -> Patient:
    """bob opens alice's page (an audited read), signed in with his second step."""
    request = RequestFactory().get(f"/clinic/patients/{alice.pk}/")
    request.user = bob
    request.user.is_verified = lambda: True  # as django-otp's middleware marks a code given
    return patient_for_staff(request, alice.pk)


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    alice.sharing_since = timezone.now()
    alice.save()
    return logged_in(ready(alice))


def test_my_data_says_who_can_see_it(alice_client: Client) -> None:
    html = page(alice_client.get("/my-data/"))
    assert "Who can see your data" in html
    assert "You share your data with bob@riverside.example at Riverside Physio." in html
    assert 'href="/my-data/stop-sharing/"' in html


def test_a_patient_who_shares_with_no_one_is_told_so(dave: Patient) -> None:
    html = page(logged_in(ready(dave)).get("/my-data/"))
    assert "Only you can see your data." in html
    assert 'href="/join/"' in html
    assert 'href="/my-data/stop-sharing/"' not in html


def test_stop_sharing_asks_first_in_plain_words(alice_client: Client, alice: Patient) -> None:
    response = alice_client.get("/my-data/stop-sharing/")
    assert response.status_code == 200
    assert "Riverside Physio cannot see your data any more" in page(response)
    alice.refresh_from_db()
    assert alice.clinic is not None  # asking changes nothing


def test_after_leaving_bob_gets_404_at_once(
    alice_client: Client, alice: Patient, bob: User
) -> None:
    assert bob_reads(alice, bob) == alice
    response = alice_client.post("/my-data/stop-sharing/")
    assert response.status_code == 302
    assert response["Location"] == "/my-data/"
    alice.refresh_from_db()
    assert alice.clinic is None
    assert alice.therapist is None
    assert alice.sharing_since is None
    with pytest.raises(Http404):
        bob_reads(alice, bob)
    html = page(alice_client.get("/my-data/"))
    assert "You stopped sharing." in html
    assert "Only you can see your data." in html


def test_leaving_twice_changes_nothing(alice_client: Client, alice: Patient) -> None:
    alice_client.post("/my-data/stop-sharing/")
    again = alice_client.post("/my-data/stop-sharing/")
    assert again.status_code == 302
    assert again["Location"] == "/my-data/"
    assert alice_client.get("/my-data/stop-sharing/").status_code == 302
    assert leave_clinic(alice) is None


def test_stop_sharing_is_the_patients_own(alice: Patient, bob: User) -> None:
    anonymous = Client().post("/my-data/stop-sharing/")
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    assert logged_in(bob).post("/my-data/stop-sharing/").status_code == 404
    alice.refresh_from_db()
    assert alice.clinic is not None


def test_who_looked_lists_bobs_reads_newest_first_in_the_patients_time_zone(
    alice_client: Client, alice: Patient, bob: User
) -> None:
    alice.time_zone = "Pacific/Auckland"
    alice.save()
    bob_reads(alice, bob)
    changed = record_access(bob, alice, AuditEntry.CHANGE, "prescription")
    at = dt.datetime(2026, 3, 3, 23, 30, tzinfo=dt.UTC)  # 4 March, 12:30 in Auckland
    AuditEntry.objects.filter(pk=changed.pk).update(at=at + dt.timedelta(days=365))
    read = AuditEntry.objects.filter(action=AuditEntry.READ).get()
    AuditEntry.objects.filter(pk=read.pk).update(at=at)
    html = page(alice_client.get("/my-data/"))
    assert "Who has looked at your data" in html
    looked = html.split('id="looked"', 1)[1].split("</section>", 1)[0]
    assert looked.count("bob@riverside.example") == 2
    assert "(Riverside Physio)" in looked
    assert looked.index("Changed your plan or your details") < looked.index("Looked at your data")
    assert "March 4, 2026, 12:30 p.m." in looked
    assert "/clinic/patients/" not in looked  # the log's own words stay in the clinic's log


def test_who_looked_is_still_shown_after_leaving(
    alice_client: Client, alice: Patient, bob: User
) -> None:
    bob_reads(alice, bob)
    alice_client.post("/my-data/stop-sharing/")
    looked = page(alice_client.get("/my-data/")).split('id="looked"', 1)[1]
    assert "bob@riverside.example" in looked


def test_who_looked_shows_the_last_50_with_a_way_to_see_more(
    alice_client: Client, alice: Patient, bob: User
) -> None:
    for _ in range(50 + 3):
        record_access(bob, alice, AuditEntry.READ, "history")
    first = page(alice_client.get("/my-data/")).split('id="looked"', 1)[1].split("</section>")[0]
    assert first.count("Looked at your data") == 50
    assert 'href="?page=2#looked"' in first
    second = page(alice_client.get("/my-data/", {"page": 2}))
    assert second.split('id="looked"', 1)[1].split("</section>")[0].count("Looked at") == 3
    assert alice_client.get("/my-data/", {"page": "nonsense"}).status_code == 200


def test_no_one_elses_looks_are_shown(alice_client: Client, dave: Patient, bob: User) -> None:
    record_access(bob, dave, AuditEntry.READ, "history")
    html = page(alice_client.get("/my-data/"))
    assert "No one else has looked at your data." in html


def test_after_leaving_the_old_code_is_spent(dave: Patient, bob: User) -> None:
    invitation = create_invitation(bob)
    client = logged_in(ready(dave))
    client.post(f"/join/{invitation.code}/", {"agree": "on"})
    client.post("/my-data/stop-sharing/")
    response = client.get(f"/join/{invitation.code}/")
    assert response.status_code == 410
    assert client.post(f"/join/{invitation.code}/", {"agree": "on"}).status_code == 410
    dave.refresh_from_db()
    assert dave.clinic is None
