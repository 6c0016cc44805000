"""Two-step sign-in: clinic staff need a code from an authenticator app after the password
(or a recovery code, once each); a staff member with no app sets one up first. Patients are
not asked."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stenosis_coach.clinic.two_step_devices import make_recovery_codes
from stenosis_coach.patients.models import Patient

PASSWORD = "unused-Bob-pw-1"  # the bob fixture's


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def logged_in_with_password(user: User, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


def test_a_password_alone_does_not_open_the_caseload(bob: User) -> None:
    TOTPDevice.objects.create(user=bob, name="app", confirmed=True)
    client = logged_in_with_password(bob)
    response = client.get("/clinic/")
    assert response.status_code == 302
    assert response["Location"] == "/clinic/two-step/?next=%2Fclinic%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Type your code" in page.content.decode()


def test_a_wrong_code_is_refused_and_the_right_one_lets_in(bob: User) -> None:
    device = TOTPDevice.objects.create(user=bob, name="app", confirmed=True)
    client = logged_in_with_password(bob)
    wrong = client.post("/clinic/two-step/", {"code": "000000", "next": "/clinic/"})
    if code_for(device) == "000000":  # one time in a million
        return
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/clinic/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code made it wait a second
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post("/clinic/two-step/", {"code": code_for(device), "next": "/clinic/"})
    assert right.status_code == 302
    assert right["Location"] == "/clinic/"
    assert client.get("/clinic/").status_code == 200


def test_an_empty_or_silly_code_is_a_clear_400(bob: User) -> None:
    TOTPDevice.objects.create(user=bob, name="app", confirmed=True)
    client = logged_in_with_password(bob)
    assert client.post("/clinic/two-step/", {}).status_code == 400
    assert client.post("/clinic/two-step/", {"code": "x" * 500}).status_code == 400


def test_a_recovery_code_works_once(bob: User) -> None:
    TOTPDevice.objects.create(user=bob, name="app", confirmed=True)
    [first, *_] = make_recovery_codes(bob)
    client = logged_in_with_password(bob)
    assert client.post("/clinic/two-step/", {"code": first}).status_code == 302
    assert client.get("/clinic/").status_code == 200
    again = logged_in_with_password(bob)
    assert again.post("/clinic/two-step/", {"code": first}).status_code == 400
    assert StaticToken.objects.filter(device__user=bob).count() == 9


def test_a_new_staff_member_sets_up_an_app_and_sees_recovery_codes_once(bob: User) -> None:
    client = logged_in_with_password(bob)
    response = client.get("/clinic/two-step/?next=/clinic/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/clinic/two-step/set-up/")
    html = response.content.decode()
    assert "<svg" in html
    secret = re.search(r"<code>([A-Z2-7]+=*)</code>", html)
    assert secret
    device = TOTPDevice.objects.get(user=bob, confirmed=False)
    # A reload shows the same secret.
    assert secret.group(1) in client.get("/clinic/two-step/set-up/").content.decode()
    done = client.post("/clinic/two-step/set-up/", {"code": code_for(device), "next": "/clinic/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/clinic/").status_code == 200
    # Set up now: the page asks for a code, and never shows the codes again.
    later = logged_in_with_password(bob)
    page = later.get("/clinic/two-step/set-up/", follow=True)
    assert "Type your code" in page.content.decode()
    assert codes[0] not in page.content.decode()


def test_the_set_up_refuses_a_wrong_code(bob: User) -> None:
    client = logged_in_with_password(bob)
    client.get("/clinic/two-step/set-up/")
    device = TOTPDevice.objects.get(user=bob)
    wrong = "000001" if code_for(device) != "000001" else "000002"
    response = client.post("/clinic/two-step/set-up/", {"code": wrong})
    assert response.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed


def test_a_patient_is_not_asked_for_a_code(alice: Patient) -> None:
    alice.user.set_password(PASSWORD)
    alice.user.save()
    client = logged_in_with_password(alice.user)
    response = client.get("/today/")
    assert response.status_code in (200, 302)
    assert "two-step" not in response.get("Location", "")


def test_a_patient_may_turn_it_on_in_settings_and_is_then_asked(db: None) -> None:
    from stenosis_coach.patients.actions import sign_up

    patient = sign_up("ana@example.org", "knees-to-chest-42")
    patient.onboarded_at = timezone.now()
    patient.save(update_fields=["onboarded_at"])
    client = logged_in_with_password(patient.user, "knees-to-chest-42")
    page = client.get("/settings/", follow=True)
    assert "Turn on two-step sign-in" in page.content.decode()
    client.get("/clinic/two-step/set-up/?next=/settings/")
    device = TOTPDevice.objects.get(user=patient.user)
    done = client.post("/clinic/two-step/set-up/", {"code": code_for(device), "next": "/settings/"})
    assert done.status_code == 200
    assert 'href="/settings/"' in done.content.decode()
    # The next log-in asks for a code before any patient page.
    later = logged_in_with_password(patient.user, "knees-to-chest-42")
    response = later.get("/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/clinic/two-step/?next=")
