"""The alert rules page (/clinic/rules/): any active staff member reads every rule, its
severity, its thresholds and who is e-mailed; no one else."""

from __future__ import annotations

import re
from html import unescape

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from stenosis_coach.clinic import rules
from stenosis_coach.clinic.models import StaffMember
from stenosis_coach.patients.models import Patient
from tests.clinic_pages import audit_count, client_for

URL = "/clinic/rules/"


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_rules_page_is_at_its_reserved_name() -> None:
    assert reverse("alert-rules") == URL


def test_a_therapist_reads_every_rule_with_its_thresholds(bob: User) -> None:
    response = client_for(bob).get(URL)
    assert response.status_code == 200
    page = text_of(response.content.decode())
    for rule in rules.RULES.values():
        assert str(rule.title) in page
        assert str(rule.explanation) in page
    assert "Leg pain before a session of 8/10 or more and above the" in page
    assert "or 3 or more points above the usual." in page
    assert "The latest walking test 30% or more shorter than the best of the 30 days" in page
    assert "4 scheduled days in a row with no session" in page
    assert "up 2 or more points over 14 days" in page
    assert "A PSFS activity score down 2 or more points" in page
    assert "Still open after 24 hours: e-mailed again" in page
    assert "at most one every 60 minutes" in page


def test_each_rule_shows_its_severity(bob: User) -> None:
    page = client_for(bob).get(URL).content.decode()
    for rule in rules.RULES.values():
        row = page.split(f'id="rule-{rule.id}"')[1].split("</tr>")[0]
        assert f"severity-{rule.severity}" in row
        assert rule.severity.capitalize() in row


def test_a_clinic_admin_and_any_clinics_staff_read_it(erin: User, charlie: User) -> None:
    assert client_for(erin).get(URL).status_code == 200
    assert client_for(charlie).get(URL).status_code == 200  # the same rules everywhere


def test_patients_deactivated_staff_and_anonymous_do_not(alice: Patient, bob: User) -> None:
    assert client_for(alice).get(URL).status_code == 404
    StaffMember.objects.filter(user=bob).update(active=False)
    assert client_for(bob).get(URL).status_code == 404
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def test_it_reads_no_patient_data_so_writes_no_audit_entry(bob: User) -> None:
    client_for(bob).get(URL)
    assert audit_count() == 0


def test_only_get(bob: User) -> None:
    assert client_for(bob).post(URL).status_code == 405


def test_it_renders_in_spanish(bob: User) -> None:
    client = client_for(bob)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()
