"""Joining a clinic with a code: the consent page, signing up through it, accepting it from
an account, and every way a code can be wrong (a clear message, never a 500)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from stenosis_coach.clinic.invitations import (
    NO_SUCH_CODE,
    accept_invitation,
    create_invitation,
    withdraw_invitation,
)
from stenosis_coach.clinic.models import Invitation
from stenosis_coach.patients.models import Patient
from tests.patient_pages import logged_in, page

PASSWORD = "Slow-Knees-To-Chest-42"


@pytest.fixture
def invitation(bob: User) -> Invitation:
    return create_invitation(bob, name="New Person")


def url_of(invitation: Invitation) -> str:
    return f"/join/{invitation.code}/"


def sign_up_data(**changes: Any) -> dict[str, Any]:
    data = {
        "email": "New.Person@example.com",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "time_zone": "Europe/Madrid",
        "agree": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_consent_page_says_what_the_therapist_will_see_and_do(
    client: Client, invitation: Invitation
) -> None:
    response = client.get(url_of(invitation))
    assert response.status_code == 200
    html = page(response)
    assert "Riverside Physio" in html
    assert "bob@riverside.example" in html
    for words in [
        "The exercise sessions you do",
        "Your pain scores",
        "Your timed walks",
        "Your scores for the things you find hard to do",
        "Your answers to the safety questions",
        "The notes you add for them",
        "Change your exercises",
        "Send you short notes",
        "Stop sharing",
    ]:
        assert words in html, words
    assert 'name="agree"' in html
    assert 'name="password"' in html


def test_a_new_person_signs_up_with_the_code_and_is_linked(
    client: Client, invitation: Invitation, bob: User
) -> None:
    before = timezone.now()
    response = client.post(url_of(invitation), sign_up_data(), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert response["Location"] == "/onboarding/"
    patient = Patient.objects.get(user__username="new.person@example.com")
    assert patient.clinic is not None
    assert patient.clinic.name == "Riverside Physio"
    assert patient.therapist == bob
    assert patient.sharing_since is not None
    assert patient.sharing_since >= before
    assert patient.time_zone == "Europe/Madrid"
    assert patient.language == "es"
    used = Invitation.objects.get(pk=invitation.pk)
    assert used.used_by == patient
    assert used.used_at is not None
    assert client.get("/today/").wsgi_request.user == patient.user  # logged in


def test_signing_up_works_with_the_code_when_open_sign_up_is_off(
    client: Client, invitation: Invitation, settings: Any
) -> None:
    settings.OPEN_SIGNUP = False
    response = client.post(url_of(invitation), sign_up_data())
    assert response.status_code == 302
    assert Patient.objects.filter(user__username="new.person@example.com").exists()


def test_signing_up_needs_the_box_ticked(client: Client, invitation: Invitation) -> None:
    response = client.post(url_of(invitation), sign_up_data(agree=None))
    assert response.status_code == 400
    assert "Please tick the box to say yes." in page(response)
    assert not User.objects.filter(username="new.person@example.com").exists()
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_a_bad_sign_up_form_answers_400_and_links_no_one(
    client: Client, invitation: Invitation
) -> None:
    response = client.post(url_of(invitation), sign_up_data(password_again="other-Pass-99"))
    assert response.status_code == 400
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_signing_up_twice_goes_on_the_second_time(client: Client, invitation: Invitation) -> None:
    first = client.post(url_of(invitation), sign_up_data())
    # The second click, sent before the first answer came back: still logged out.
    second = Client().post(url_of(invitation), sign_up_data())
    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/onboarding/"
    assert User.objects.filter(username="new.person@example.com").count() == 1
    # And sent again once logged in (the back button): also goes on.
    third = client.post(url_of(invitation), sign_up_data())
    assert third.status_code == 302


def test_someone_else_cannot_ride_on_a_used_code_with_a_wrong_password(
    client: Client, invitation: Invitation
) -> None:
    client.post(url_of(invitation), sign_up_data())
    response = Client().post(url_of(invitation), sign_up_data(password="Wrong-Pass-77"))
    assert response.status_code == 410
    assert "used already" in page(response)


def test_a_patient_with_an_account_accepts(
    invitation: Invitation, dave: Patient, bob: User
) -> None:
    client = logged_in(dave)
    response = client.get(url_of(invitation))
    assert response.status_code == 200
    assert 'name="password"' not in page(response)
    response = client.post(url_of(invitation), {"agree": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    dave.refresh_from_db()
    assert dave.clinic is not None
    assert dave.therapist == bob
    assert dave.sharing_since is not None
    # Twice: already linked, go on.
    again = client.post(url_of(invitation), {"agree": "on"})
    assert again.status_code == 302
    assert again["Location"] == "/today/"
    assert client.get(url_of(invitation)).status_code == 200


def test_accepting_needs_the_box_ticked(invitation: Invitation, dave: Patient) -> None:
    response = logged_in(dave).post(url_of(invitation), {})
    assert response.status_code == 400
    assert "Please tick the box to say yes." in page(response)
    dave.refresh_from_db()
    assert dave.clinic is None
    assert dave.sharing_since is None


def test_moving_from_another_clinic_is_said_before_agreeing(alice: Patient, charlie: User) -> None:
    hilltop = create_invitation(charlie)
    client = logged_in(alice)
    html = page(client.get(url_of(hilltop)))
    assert "You share your data with Riverside Physio now." in html
    assert "Riverside Physio will not see your data any more." in html
    client.post(url_of(hilltop), {"agree": "on"})
    alice.refresh_from_db()
    assert alice.clinic is not None
    assert alice.clinic.name == "Hilltop Spine"
    assert alice.therapist == charlie


def test_staff_are_told_the_page_is_for_patients(invitation: Invitation, erin: User) -> None:
    response = logged_in(erin).post(url_of(invitation), {"agree": "on"})
    assert response.status_code == 403
    assert "This page is for patients" in page(response)
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_a_code_typed_in_lower_case_with_a_dash_is_read(
    client: Client, invitation: Invitation
) -> None:
    typed = f"{invitation.code[:4].lower()}-{invitation.code[4:].lower()}"
    assert client.get(f"/join/{typed}/")["Location"] == url_of(invitation)
    response = client.get("/join/", {"code": f" {typed} "})
    assert response.status_code == 302
    assert response["Location"] == url_of(invitation)


def test_the_code_page(client: Client, db: None) -> None:
    assert client.get("/join/").status_code == 200
    response = client.get("/join/", {"code": "ABC"})
    assert response.status_code == 400
    assert "A code has 8 letters" in page(response)
    assert client.get("/join/", {"code": ""}).status_code == 400


def expired(invitation: Invitation) -> Invitation:
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    return invitation


@pytest.mark.parametrize("logged_in_as", [None, "dave"])
def test_bad_codes_get_a_clear_message_never_a_500(
    invitation: Invitation, bob: User, alice: Patient, dave: Patient, logged_in_as: str | None
) -> None:
    client = logged_in(dave) if logged_in_as else Client()
    used = create_invitation(bob)
    accept_invitation(alice, used.code)
    withdrawn = create_invitation(bob)
    withdraw_invitation(bob, withdrawn)
    old = expired(create_invitation(bob))
    cases = {
        "/join/WWWWWWWW/": (404, str(NO_SUCH_CODE)),
        url_of(withdrawn): (404, str(NO_SUCH_CODE)),
        url_of(used): (410, "used already"),
        url_of(old): (410, "too old"),
        "/join/NOT-A-CODE-AT-ALL/": (400, "A code has 8 letters"),
        "/join/%F0%9F%98%80/": (400, "A code has 8 letters"),
    }
    for url, (status, words) in cases.items():
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"agree": "on"})
            assert response.status_code == status, (url, method)
            assert words in page(response), (url, method)
    dave.refresh_from_db()
    assert dave.clinic is None
