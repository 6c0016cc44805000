"""What the patient sees of their therapist: the reason for a change of plan and the latest
message on Today, and a note on a session for the therapist (History)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from stenosis_coach.clinic.models import Message
from stenosis_coach.clinic.prescribing import MESSAGE_MAX
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic, Patient
from stenosis_coach.practice.models import PrescriptionVersion
from stenosis_coach.practice.today import MESSAGE_SHOWN, THERAPIST_CHANGE_SHOWN, today_for
from tests.clinic_pages import client_for
from tests.patient_pages import do_session, logged_in, page, ready

REASON = "Your back did well this week, so I made the holds longer."


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    return logged_in(ready(alice))


def today(client: Client) -> str:
    response = client.get("/today/")
    assert response.status_code == 200
    return page(response)


def prescribe(bob: User, patient: Patient, reason: str = REASON) -> None:
    data = {"back-flexion-hold_seconds": "20", "reason": reason}
    response = client_for(bob).post(f"/clinic/patients/{patient.pk}/exercises/", data)
    assert response.status_code == 302


def write(bob: User, patient: Patient, body: str) -> None:
    response = client_for(bob).post(f"/clinic/patients/{patient.pk}/message/", {"body": body})
    assert response.status_code == 302


# --- The therapist's change of plan ---------------------------------------------------------


def test_today_shows_the_therapists_reason_and_the_new_dose(
    alice_client: Client, alice: Patient, bob: User
) -> None:
    prescribe(bob, alice)
    html = today(alice_client)
    assert "Your therapist changed your plan" in html
    assert REASON in html
    assert "4 times, hold 20 seconds" in html  # the new dose


def test_the_reason_is_shown_as_written(alice_client: Client, alice: Patient, bob: User) -> None:
    prescribe(bob, alice, reason="Hold <b>longer</b> & slower")
    html = today(alice_client)
    assert "Hold &lt;b&gt;longer&lt;/b&gt; &amp; slower" in html


def test_no_reason_without_a_therapists_change(alice_client: Client) -> None:
    assert "Your therapist changed your plan" not in today(alice_client)


def test_the_reason_goes_after_a_few_days(alice: Patient, bob: User) -> None:
    ready(alice)
    prescribe(bob, alice)
    version = alice.prescriptions.latest("number")
    assert today_for(alice).therapist_change is not None
    later = version.created_at + THERAPIST_CHANGE_SHOWN + dt.timedelta(minutes=1)
    assert today_for(alice, now=later).therapist_change is None


def test_the_reason_goes_with_the_next_version(alice: Patient, bob: User) -> None:
    ready(alice)
    prescribe(bob, alice)
    do_session(alice, days_ago=2)
    do_session(alice, days_ago=1)  # two greens on two days: the engine steps one up
    assert alice.prescriptions.latest("number").source == PrescriptionVersion.Source.ENGINE
    assert today_for(alice).therapist_change is None


# --- Messages -------------------------------------------------------------------------------


def test_today_shows_the_latest_message_with_name_and_date(
    alice_client: Client, alice: Patient, bob: User
) -> None:
    write(bob, alice, "See you on Tuesday.")
    write(bob, alice, "Remember to breathe out on the curl-up.")
    html = today(alice_client)
    assert "A message from your therapist" in html
    assert "Remember to breathe out on the curl-up." in html
    assert "See you on Tuesday." not in html
    assert "From bob@riverside.example," in html
    assert timezone.localdate().strftime("%B") in html


def test_a_message_is_marked_read_when_shown(
    alice_client: Client, alice: Patient, bob: User
) -> None:
    write(bob, alice, "Keep going!")
    message = Message.objects.get(patient=alice)
    assert message.read_at is None
    today(alice_client)
    message.refresh_from_db()
    first_read = message.read_at
    assert first_read is not None
    today(alice_client)
    message.refresh_from_db()
    assert message.read_at == first_read  # the first time is kept


def test_an_old_message_is_no_longer_shown(alice: Patient, bob: User) -> None:
    ready(alice)
    write(bob, alice, "Keep going!")
    later = timezone.now() + MESSAGE_SHOWN + dt.timedelta(minutes=1)
    assert today_for(alice, now=later).message is None
    assert Message.objects.get(patient=alice).read_at is None


def test_a_message_is_for_its_patient_only(alice: Patient, dave: Patient, bob: User) -> None:
    ready(dave)
    write(bob, alice, "Only for Alice.")
    assert "Only for Alice." not in today(logged_in(dave))


def test_a_message_needs_words_and_has_a_limit(alice: Patient, bob: User) -> None:
    client = client_for(bob)
    url = f"/clinic/patients/{alice.pk}/message/"
    assert client.post(url, {"body": "  "}).status_code == 400
    response = client.post(url, {"body": "x" * (MESSAGE_MAX + 1)})
    assert response.status_code == 400
    assert f"Message: at most {MESSAGE_MAX} characters" in page(response)
    assert not Message.objects.exists()


def test_only_the_patients_clinic_may_write(alice: Patient, charlie: User) -> None:
    url = f"/clinic/patients/{alice.pk}/message/"
    assert client_for(charlie).post(url, {"body": "Hello"}).status_code == 404
    assert client_for(alice).post(url, {"body": "Hello"}).status_code == 404
    assert Client().post(url, {"body": "Hello"}).status_code == 302
    assert not Message.objects.exists()


def test_the_therapists_message_is_on_their_page(alice: Patient, bob: User) -> None:
    write(bob, alice, "Keep going!")
    html = page(client_for(bob).get(f"/clinic/patients/{alice.pk}/"))
    assert "Keep going!" in html


# --- The patient's note on a session --------------------------------------------------------


def note_url(session: object) -> str:
    return f"/history/{session.uuid}/note/"  # type: ignore[attr-defined]


def test_the_patient_adds_a_note_the_therapist_reads(
    alice_client: Client, alice: Patient, bob: User
) -> None:
    session = do_session(alice, days_ago=1)
    detail = page(alice_client.get(f"/history/{session.uuid}/"))
    assert "A note for your therapist" in detail
    response = alice_client.post(note_url(session), {"body": "My hip felt tight today."})
    assert response.status_code == 302
    note = Message.objects.get(patient=alice)
    assert (note.to_patient, note.session, note.author) == (False, session, alice.user)
    assert "My hip felt tight today." in page(alice_client.get(response["Location"]))
    therapist_page = page(client_for(bob).get(f"/clinic/patients/{alice.pk}/"))
    assert "My hip felt tight today." in therapist_page


def test_an_empty_or_long_note_is_refused_plainly(alice_client: Client, alice: Patient) -> None:
    session = do_session(alice, days_ago=1)
    response = alice_client.post(note_url(session), {"body": " "})
    assert response.status_code == 400
    assert "Please write your note first." in page(response)
    response = alice_client.post(note_url(session), {"body": "x" * 501})
    assert response.status_code == 400
    assert "Your note is too long." in page(response)
    assert not Message.objects.exists()


def test_a_note_on_another_patients_session_is_404(
    alice: Patient, bob: User, riverside: Clinic
) -> None:
    ready(alice)
    session = do_session(alice, days_ago=1)
    # Fay is at the same clinic, so she may write notes: but not on Alice's sessions.
    fay = ready(create_patient(User.objects.create_user("fay"), clinic=riverside, therapist=bob))
    response = logged_in(fay).post(note_url(session), {"body": "Hello"})
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_a_note_needs_a_login_and_a_post(alice_client: Client, alice: Patient) -> None:
    session = do_session(alice, days_ago=1)
    assert Client().post(note_url(session), {"body": "Hi"}).status_code == 302
    assert alice_client.get(note_url(session)).status_code == 405


def test_no_note_form_for_someone_with_no_therapist(dave: Patient) -> None:
    client = logged_in(ready(dave))
    session = do_session(dave, days_ago=1)
    assert "A note for your therapist" not in page(client.get(f"/history/{session.uuid}/"))
    assert client.post(note_url(session), {"body": "Hello"}).status_code == 400
    assert not Message.objects.exists()
