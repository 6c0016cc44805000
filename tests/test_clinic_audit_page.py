"""The clinic's audit log (/clinic/audit/): for clinic admins only, their own clinic's
entries only, newest first, filtered and paged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stenosis_coach.clinic.audit import record_access
from stenosis_coach.clinic.models import AuditEntry, StaffMember
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Patient
from tests.clinic_pages import assert_only_own_clinic, audit_count, client_for

AUDIT = reverse("clinic-audit")


def entry(who: User, patient: Patient | None, what: str, *, days_ago: int = 0) -> AuditEntry:
    made = record_access(who, patient, AuditEntry.READ, what)
    if days_ago:
        # `at` is set on insert; an old entry is made by moving it back.
        AuditEntry.objects.filter(pk=made.pk).update(at=made.at - dt.timedelta(days=days_ago))
    return made


@pytest.fixture
def hilltop_patient(charlie: User) -> Patient:
    user = User.objects.create_user("hana", password="unused-Hana-pw-1")
    return create_patient(user, clinic=charlie.staff.clinic, therapist=charlie)


def shown(response: Any) -> list[str]:
    return [item.what for item in response.context["page"].object_list]


def test_only_clinic_admins_get_the_log(
    erin: User, bob: User, charlie: User, alice: Patient
) -> None:
    assert_only_own_clinic(AUDIT, own=erin, other_clinic=charlie, patient=alice)
    assert client_for(bob).get(AUDIT).status_code == 404  # a therapist, not an admin


def test_an_admin_of_another_clinic_sees_only_their_own(
    erin: User, bob: User, charlie: User, alice: Patient, hilltop_patient: Patient
) -> None:
    entry(bob, alice, "Riverside read")
    entry(charlie, hilltop_patient, "Hilltop read")
    hilltop_admin = charlie.staff
    hilltop_admin.role = StaffMember.ADMIN
    hilltop_admin.save()
    assert shown(client_for(charlie).get(AUDIT)) == ["Hilltop read"]


def test_the_admin_sees_own_clinic_entries_newest_first(
    erin: User, bob: User, charlie: User, alice: Patient, hilltop_patient: Patient
) -> None:
    entry(bob, alice, "Older read of alice", days_ago=2)
    entry(erin, None, "Staff: invited theo@riverside.example")
    entry(bob, alice, "Newer read of alice")
    entry(charlie, hilltop_patient, "Hilltop read")
    entry(charlie, None, "Staff: invited at Hilltop")
    response = client_for(erin).get(AUDIT)
    assert response.status_code == 200
    assert shown(response) == [
        "Newer read of alice",
        "Staff: invited theo@riverside.example",
        "Older read of alice",
    ]
    text = response.content.decode()
    assert "bob@riverside.example" in text
    assert "Hilltop" not in text.split("<main", 1)[1]


def test_entries_of_a_deactivated_member_stay(erin: User, bob: User, alice: Patient) -> None:
    entry(bob, None, "Staff: something bob did")
    StaffMember.objects.filter(user=bob).update(active=False)
    assert "Staff: something bob did" in shown(client_for(erin).get(AUDIT))


def test_reading_the_log_writes_no_entry(erin: User, bob: User, alice: Patient) -> None:
    entry(bob, alice, "A read")
    before = audit_count()
    client_for(erin).get(AUDIT)
    assert audit_count() == before


def test_filter_by_staff_member(erin: User, bob: User, alice: Patient) -> None:
    entry(bob, alice, "By bob")
    entry(erin, alice, "By erin")
    response = client_for(erin).get(AUDIT, {"who": bob.pk})
    assert shown(response) == ["By bob"]


def test_filter_by_patient(erin: User, bob: User, alice: Patient) -> None:
    other = create_patient(
        User.objects.create_user("ada", password="unused-Ada-pw-1"),
        clinic=erin.staff.clinic,
        therapist=bob,
    )
    entry(bob, alice, "About alice")
    entry(bob, other, "About ada")
    response = client_for(erin).get(AUDIT, {"patient": alice.pk})
    assert shown(response) == ["About alice"]


def test_filter_from_a_date(erin: User, bob: User, alice: Patient) -> None:
    entry(bob, alice, "Last week", days_ago=7)
    entry(bob, alice, "Today")
    since = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert shown(client_for(erin).get(AUDIT, {"since": since})) == ["Today"]


@pytest.mark.parametrize(
    "query",
    [
        {"since": "not a date"},
        {"who": "nobody"},
        {"patient": "99999"},
        {"page": "-1"},
    ],
)
def test_bad_filters_are_a_400_with_a_message(
    query: dict[str, str], erin: User, alice: Patient
) -> None:
    response = client_for(erin).get(AUDIT, query)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_another_clinic_s_patient_or_staff_is_not_a_filter(
    erin: User, charlie: User, hilltop_patient: Patient
) -> None:
    assert client_for(erin).get(AUDIT, {"patient": hilltop_patient.pk}).status_code == 400
    assert client_for(erin).get(AUDIT, {"who": charlie.pk}).status_code == 400


def many_entries(who: User, patient: Patient, count: int) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(who=who, who_email=who.email, patient=patient, action="read", what=f"read {n}")
        for n in range(count)
    )


def test_paged_by_fifty(erin: User, bob: User, alice: Patient) -> None:
    many_entries(bob, alice, 120)
    first = client_for(erin).get(AUDIT)
    assert len(shown(first)) == 50
    assert "page=2" in first.content.decode()
    last = client_for(erin).get(AUDIT, {"page": 3})
    assert len(shown(last)) == 20
    # Past the end: the last page.
    assert len(shown(client_for(erin).get(AUDIT, {"page": 9}))) == 20


def test_the_page_keeps_the_filters_when_paging(erin: User, bob: User, alice: Patient) -> None:
    many_entries(bob, alice, 60)
    text = client_for(erin).get(AUDIT, {"who": bob.pk}).content.decode()
    assert f"who={bob.pk}&amp;page=2" in text


def count_queries(client: Any, **query: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(AUDIT, query).status_code == 200
    return len(captured.captured_queries)


def test_constant_queries_whatever_the_number_of_entries(
    erin: User, bob: User, alice: Patient
) -> None:
    client = client_for(erin)
    client.get(AUDIT)  # the session's first look: its last-seen time is written once
    many_entries(bob, alice, 3)
    few = count_queries(client)
    more = [
        create_patient(User.objects.create_user(f"p{n}", password="x"), clinic=alice.clinic)
        for n in range(5)
    ]
    for patient in more:
        many_entries(bob, patient, 20)
    assert count_queries(client) == few
