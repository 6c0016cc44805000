"""The staff side of the one access helper: a therapist reaches the patients of their own
clinic only, every read leaves an audit entry, and anyone else gets the same 404.

The views here exist only for these tests (the clinic pages come later): one reads a patient
through `patient_for_staff`, one only needs `@staff_view`.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import DatabaseError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from stenosis_coach.access import patient_for_staff, staff_for, staff_view
from stenosis_coach.clinic.audit import record_access
from stenosis_coach.clinic.models import AuditEntry, StaffMember
from stenosis_coach.patients.models import Patient
from stenosis_coach.urls import urlpatterns as site_urlpatterns
from tests.clinic_pages import pass_two_step


@staff_view
def patient_page(request: HttpRequest, staff: StaffMember, patient_id: int) -> HttpResponse:
    patient = patient_for_staff(request, patient_id)
    return HttpResponse(f"patient {patient.pk} for {staff.user.get_username()}")


@staff_view
def staff_page(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    return HttpResponse(f"{staff.role} at {staff.clinic.name}")


urlpatterns = [
    path("test-clinic/patients/<int:patient_id>/", patient_page),
    path("test-clinic/", staff_page),
    *site_urlpatterns,  # the log-in page that anonymous visitors are sent to
]

pytestmark = pytest.mark.urls("tests.test_clinic_access")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    if StaffMember.objects.filter(user=user).exists():
        pass_two_step(client, user)
    return client


def page_of(patient: Patient) -> str:
    return f"/test-clinic/patients/{patient.pk}/"


def test_a_therapist_reads_a_patient_of_their_clinic_and_it_is_logged(
    alice: Patient, bob: User
) -> None:
    response = client_for(bob).get(page_of(alice))

    assert response.status_code == 200
    assert response.content.decode() == f"patient {alice.pk} for bob"
    entry = AuditEntry.objects.get()
    assert entry.who == bob
    assert entry.who_email == "bob@riverside.example"
    assert entry.patient == alice
    assert entry.action == AuditEntry.READ
    assert entry.what == page_of(alice)
    assert entry.from_address == "127.0.0.1"


def test_a_clinic_admin_reads_the_clinics_patients_too(alice: Patient, bob: User) -> None:
    StaffMember.objects.filter(user=bob).update(role=StaffMember.ADMIN)
    assert client_for(bob).get(page_of(alice)).status_code == 200


def test_another_clinics_therapist_gets_404_and_nothing_is_logged(
    alice: Patient, charlie: User
) -> None:
    assert client_for(charlie).get(page_of(alice)).status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_missing_patient_and_another_clinics_patient_look_the_same(
    alice: Patient, charlie: User
) -> None:
    client = client_for(charlie)
    other_clinics = client.get(page_of(alice))
    missing = client.get(page_of(alice).replace(str(alice.pk), str(alice.pk + 1000)))
    assert other_clinics.status_code == missing.status_code == 404
    assert same_page(other_clinics.content, alice.pk) == same_page(missing.content, alice.pk + 1000)


def same_page(page: bytes, patient_id: int) -> bytes:
    """The page without what changes on every page (the CSRF tokens) and its own address."""
    page = re.sub(
        rb'(name="csrfmiddlewaretoken" value|name="csrf-token" content)="[^"]*"', b"", page
    )
    return page.replace(f"/patients/{patient_id}/".encode(), b"/patients/ID/")


def test_a_patient_with_no_clinic_is_nobodys(bob: User, dave: Patient) -> None:
    assert client_for(bob).get(page_of(dave)).status_code == 404
    assert not AuditEntry.objects.exists()


def test_patients_get_404_even_for_their_own_record(alice: Patient, dave: Patient) -> None:
    assert client_for(alice.user).get(page_of(alice)).status_code == 404
    assert client_for(dave.user).get(page_of(alice)).status_code == 404
    assert client_for(alice.user).get("/test-clinic/").status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_deactivated_therapist_gets_404(alice: Patient, bob: User) -> None:
    StaffMember.objects.filter(user=bob).update(active=False)
    client = client_for(bob)
    assert client.get(page_of(alice)).status_code == 404
    assert client.get("/test-clinic/").status_code == 404
    assert not AuditEntry.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(alice: Patient) -> None:
    for url in [page_of(alice), "/test-clinic/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"
    assert not AuditEntry.objects.exists()


def test_an_id_too_big_for_the_database_is_404_not_500(bob: User) -> None:
    assert client_for(bob).get(f"/test-clinic/patients/{'9' * 30}/").status_code == 404


def test_a_staff_view_gets_the_staff_member(bob: User) -> None:
    response = client_for(bob).get("/test-clinic/")
    assert response.content.decode() == "therapist at Riverside Physio"


def test_a_read_whose_audit_entry_cannot_be_written_fails(
    alice: Patient, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("the audit table is full")

    monkeypatch.setattr(AuditEntry, "save", refuse)
    with pytest.raises(DatabaseError, match="audit table"):
        client_for(bob).get(page_of(alice))


def request_from(user: User, address: str = "203.0.113.7", **headers: str) -> HttpRequest:
    request = RequestFactory().get("/somewhere/", REMOTE_ADDR=address, **headers)
    request.user = user
    user.is_verified = lambda: True  # type: ignore[attr-defined]  # passed two-step (OTPMiddleware)
    return request


def test_the_helper_names_what_was_read_and_trusts_only_remote_addr(
    alice: Patient, bob: User
) -> None:
    request = request_from(bob, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert patient_for_staff(request, str(alice.pk), what="history") == alice
    entry = AuditEntry.objects.get()
    assert (entry.what, entry.from_address) == ("history", "203.0.113.7")


@pytest.mark.parametrize("patient_id", ["abc", "", "1.5", None, "9" * 30])
def test_an_id_that_is_not_a_number_is_404(bob: User, patient_id: object) -> None:
    with pytest.raises(Http404):
        patient_for_staff(request_from(bob), patient_id)


def test_staff_for_refuses_everyone_but_active_staff(
    alice: Patient, bob: User, charlie: User
) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert staff_for(request_from(bob)).clinic == alice.clinic
    for user in [alice.user, AnonymousUser()]:
        with pytest.raises(Http404):
            staff_for(request_from(user))  # type: ignore[arg-type]


def test_an_entry_belongs_to_the_transaction_it_was_written_in(alice: Patient, bob: User) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            record_access(bob, alice, AuditEntry.CHANGE, "prescription")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not AuditEntry.objects.exists()


def test_an_entry_from_a_command_has_no_address(alice: Patient, bob: User) -> None:
    entry = record_access(bob, alice, AuditEntry.CHANGE, "prescription")
    assert (entry.who, entry.from_address, entry.action) == (bob, None, "change")


def test_an_address_that_is_not_an_ip_is_left_empty(alice: Patient, bob: User) -> None:
    entry = record_access(request_from(bob, address="unix:/run/app.sock"), alice, "read", "x")
    assert entry.from_address is None


def test_an_entry_outlives_the_account_that_wrote_it(alice: Patient, bob: User) -> None:
    record_access(bob, alice, AuditEntry.READ, "caseload")
    bob.delete()
    entry = AuditEntry.objects.get()
    assert (entry.who, entry.who_email, entry.patient) == (None, "bob@riverside.example", alice)


def test_bad_audit_arguments_are_refused(alice: Patient, bob: User) -> None:
    with pytest.raises(ValueError, match="action"):
        record_access(bob, alice, "delete", "x")
    with pytest.raises(ValueError, match="signed-in"):
        record_access(request_from(AnonymousUser()), alice, "read", "x")  # type: ignore[arg-type]


def test_staff_land_on_their_patient_list_after_log_in(bob: User) -> None:
    response = Client().post("/login/", {"username": "bob", "password": "unused-Bob-pw-1"})
    assert response.status_code == 302
    assert response["Location"] == "/clinic/"


def test_patients_land_on_today_after_log_in(alice: Patient) -> None:
    response = Client().post("/login/", {"username": "alice", "password": "unused-Alice-pw-1"})
    assert response.status_code == 302
    assert response["Location"] == "/today/"


def test_deactivated_staff_land_where_a_patient_would(bob: User) -> None:
    StaffMember.objects.filter(user=bob).update(active=False)
    response = Client().post("/login/", {"username": "bob", "password": "unused-Bob-pw-1"})
    assert response["Location"] != "/clinic/"
