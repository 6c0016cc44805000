"""Sessions: a new password ends the account's other sessions; deleting the account ends
all of them; therapists and clinic admins are logged out after 30 minutes idle."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from stenosis_coach.clinic.idle_logout import LAST_SEEN_KEY, STAFF_IDLE_SECONDS
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Patient
from tests.clinic_pages import client_for

PASSWORD = "knees-to-chest-42"


@pytest.fixture
def ana(db: None) -> Patient:
    user = User.objects.create_user("ana@example.org", "ana@example.org", PASSWORD)
    return create_patient(user)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def lets_in(client: Client, url: str = "/today/") -> bool:
    """The page answers, or goes on to another page of the app (not to the log-in page)."""
    response = client.get(url)
    return response.status_code == 200 or (
        response.status_code == 302 and "/login/" not in response["Location"]
    )


def test_a_password_reset_ends_the_other_sessions(ana: Patient) -> None:
    phone, tablet = client_for(ana), client_for(ana)
    assert lets_in(phone)
    anyone = Client()
    anyone.post("/password-reset/", {"email": ana.user.email})
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[-1].body)
    assert link
    form = anyone.get(link.group(1), follow=True)
    new = "a-brand-new-pass-7"
    anyone.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    for device in (phone, tablet):
        assert not lets_in(device)
    assert not Session.objects.filter(session_key=phone.session.session_key).exists()


def test_deleting_the_account_ends_every_session(ana: Patient) -> None:
    user = ana.user
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.force_login(user)
    assert Session.objects.count() == 2
    response = laptop.post("/my-data/delete/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    assert Session.objects.count() == 0
    assert not lets_in(phone)


def set_last_seen(client: Client, seconds_ago: float) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - seconds_ago
    session.save()


@pytest.mark.parametrize("staff", ["bob", "erin"])
def test_staff_are_logged_out_after_30_minutes_idle(staff: str, request) -> None:  # type: ignore[no-untyped-def]
    client = client_for(request.getfixturevalue(staff))
    assert client.get("/clinic/").status_code == 200
    set_last_seen(client, STAFF_IDLE_SECONDS - 60)
    assert client.get("/clinic/").status_code == 200  # 29 minutes: still in
    set_last_seen(client, STAFF_IDLE_SECONDS + 1)
    response = client.get("/clinic/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not logged_in(client)


def test_patients_keep_their_sessions(alice: Patient) -> None:
    client = client_for(alice)
    assert lets_in(client)
    set_last_seen(client, 7 * 24 * 60 * 60)
    assert lets_in(client)
    assert logged_in(client)
