"""The therapist's page of one patient (/clinic/patients/<id>/): who may see it, its audit
entry, and what it shows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from stenosis_coach.clinic.models import Alert, AuditEntry, Message
from stenosis_coach.clinic.patient_actions import add_session_note
from stenosis_coach.clinic.patient_page import SESSIONS_PER_PAGE
from stenosis_coach.clinic.rules import describe_alert
from stenosis_coach.patients.actions import record_screening
from stenosis_coach.patients.models import Patient
from tests.clinic_pages import assert_only_own_clinic, audit_count, client_for
from tests.patient_pages import ALL_CLEAR, do_session, page, ready

HURT = {"back-flexion": {"completed": False, "stop_reason": "leg-pain", "reps_done": 2}}


def url(patient: Patient) -> str:
    return f"/clinic/patients/{patient.pk}/"


def test_only_the_patients_clinic_sees_the_page(
    alice: Patient, bob: User, charlie: User, dave: Patient
) -> None:
    assert_only_own_clinic(url(alice), own=bob, other_clinic=charlie, patient=alice)
    assert client_for(bob).get(url(alice)).status_code == 200


def test_a_patient_gets_404_for_another_patients_page(alice: Patient, dave: Patient) -> None:
    assert client_for(dave).get(url(alice)).status_code == 404
    assert client_for(alice).get(url(dave)).status_code == 404


def test_a_patient_of_no_clinic_or_none_at_all_is_404(bob: User, dave: Patient) -> None:
    assert client_for(bob).get(url(dave)).status_code == 404
    assert client_for(bob).get("/clinic/patients/999999/").status_code == 404


def test_anonymous_is_sent_to_log_in(alice: Patient) -> None:
    response = Client().get(url(alice))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_reading_the_page_writes_a_read_audit_entry(alice: Patient, bob: User) -> None:
    before = audit_count(patient=alice, who=bob, action=AuditEntry.READ)
    client_for(bob).get(url(alice))
    assert audit_count(patient=alice, who=bob, action=AuditEntry.READ) == before + 1
    entry = AuditEntry.objects.filter(patient=alice, who=bob).latest("pk")
    assert url(alice) in entry.what


def test_other_clinics_reads_leave_no_entry_on_the_patient(alice: Patient, charlie: User) -> None:
    client_for(charlie).get(url(alice))
    assert audit_count(patient=alice, who=charlie) == 0


def test_the_page_shows_history_with_what_was_done(alice: Patient, bob: User) -> None:
    ready(alice)
    do_session(alice, days_ago=1, overrides=HURT, leg_before=4, leg_after=6)
    html = page(client_for(bob).get(url(alice)))
    assert "Knees to chest" in html
    assert "stopped: leg pain worse" in html
    assert "2 of 4" in html  # reps done against the dose
    assert "4 → 6" in html  # leg pain before and after
    assert "red" in html


def test_the_page_shows_the_summary_and_current_doses(alice: Patient, bob: User) -> None:
    ready(alice)
    html = page(client_for(bob).get(url(alice)))
    assert "Current doses (version 1)" in html
    assert "4 times, hold 10 seconds" in html
    assert "locked" in html  # the march
    assert "No open alerts." in html


def test_the_sessions_are_paged(alice: Patient, bob: User) -> None:
    ready(alice)
    for day in range(SESSIONS_PER_PAGE + 1):
        do_session(alice, days_ago=day + 1)
    first = page(client_for(bob).get(url(alice)))
    assert "Older sessions" in first
    second = page(client_for(bob).get(url(alice) + "?page=2"))
    assert "Newer sessions" in second


def test_every_screening_with_the_questions_answered_yes(alice: Patient, bob: User) -> None:
    ready(alice)
    record_screening(alice, {**ALL_CLEAR, "saddle-numbness": True})
    html = page(client_for(bob).get(url(alice)))
    assert "Red-flag hold" in html
    assert "emergency" in html
    assert "Clear the red-flag hold" in html
    assert html.count("<td>clear</td>") == 1  # the first, clear screening is listed too


def test_open_and_past_alerts_with_an_acknowledge_form(alice: Patient, bob: User) -> None:
    values = {"day": "2026-03-03", "questions": ["saddle-numbness"], "outcome": "emergency"}
    open_alert = Alert.objects.create(
        patient=alice, rule="red_flag", severity="critical", values=values, raised_at=timezone.now()
    )
    Alert.objects.create(
        patient=alice,
        rule="new_numbness",
        severity="critical",
        values={"day": "2026-03-01"},
        raised_at=timezone.now(),
        acknowledged_at=timezone.now(),
        acknowledged_by=bob,
        note="Called her: it was her old sciatica.",
    )
    html = page(client_for(bob).get(url(alice)))
    assert escape(describe_alert(open_alert)) in html  # the rule's words, with its numbers
    assert html.count(">Acknowledge<") == 1
    assert "1 acknowledged alert" in html
    assert "Called her: it was her old sciatica." in html


def test_the_patients_notes_and_phone_are_shown(alice: Patient, bob: User) -> None:
    ready(alice)
    session = do_session(alice, days_ago=1)
    add_session_note(alice, session, "My knee clicked in child's pose.")
    alice.contact_phone = "+34 600 123 456"
    alice.save()
    html = page(client_for(bob).get(url(alice)))
    assert html.count("My knee clicked in child&#x27;s pose.") == 2  # notes, and the session
    assert 'href="tel:+34600123456"' in html


def test_every_version_says_who_and_why(alice: Patient, bob: User) -> None:
    ready(alice)
    do_session(alice, days_ago=2)
    do_session(alice, days_ago=1)  # two greens: the engine steps one up
    html = page(client_for(bob).get(url(alice)))
    assert "automatic progression" in html
    assert "starting prescription" in html
    assert "So the hold goes from 10 to 15 seconds." in html


def test_messages_sent_say_whether_read(alice: Patient, bob: User) -> None:
    Message.objects.create(patient=alice, author=bob, to_patient=True, body="Keep going!")
    html = page(client_for(bob).get(url(alice)))
    assert "Keep going!" in html
    assert "not read yet" in html


@pytest.mark.parametrize("query", ["?page=abc", "?page=-3", "?page=99999"])
def test_a_bad_page_number_is_no_500(alice: Patient, bob: User, query: str) -> None:
    assert client_for(bob).get(url(alice) + query).status_code == 200


def test_the_page_costs_the_same_queries_for_a_longer_history(alice: Patient, bob: User) -> None:
    ready(alice)

    def queries() -> int:
        client = client_for(bob)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(alice)).status_code == 200
        return len(captured)

    for day in range(3):
        add_session_note(alice, do_session(alice, days_ago=day + 1), "Fine.")
    few = queries()
    for day in range(3, 25):
        add_session_note(alice, do_session(alice, days_ago=day + 1), "Fine.")
    assert queries() == few


def test_the_page_is_shown_in_spanish(alice: Patient, bob: User) -> None:
    ready(alice)
    do_session(alice, days_ago=1)
    client = client_for(bob)
    client.cookies["django_language"] = "es"
    response = client.get(url(alice), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert '<html lang="es">' in page(response)
