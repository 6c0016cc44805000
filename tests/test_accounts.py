"""Sign up, log in, log out and reset a forgotten password."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.templatetags.static import static
from django.test import Client

from stenosis_coach.patients.models import Patient

GOOD_PASSWORD = "knees-to-chest-42"


def sign_up(client: Client, email: str = "Ana@Example.org", **extra: str):  # type: ignore[no-untyped-def]
    data = {"email": email, "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}
    data.update(extra)
    return client.post("/signup/", data)


def test_signup_page_renders(client: Client, db: None) -> None:
    response = client.get("/signup/")
    assert response.status_code == 200
    assert b"Make your account" in response.content


def test_signing_up_makes_a_patient_and_starts_onboarding(client: Client, db: None) -> None:
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/signup/sent/"
    assert b"Check your email" in client.get("/signup/sent/").content
    patient = Patient.objects.get(user__username="ana@example.org")
    assert patient.user.email == "ana@example.org"
    assert patient.prescriptions.count() == 1
    # Then log in with the new password: onboarding starts.
    logged_in = client.post(
        "/login/", {"username": "ana@example.org", "password": GOOD_PASSWORD}, follow=True
    )
    assert logged_in.redirect_chain[-1][0] == "/onboarding/safety/"


def test_signup_errors_are_plain_and_save_nothing(client: Client, db: None) -> None:
    response = sign_up(client, password_again="something-else-1")
    assert response.status_code == 400
    assert b"The two passwords are not the same." in response.content
    assert not User.objects.exists()


def test_a_weak_password_is_refused(client: Client, db: None) -> None:
    response = client.post(
        "/signup/", {"email": "a@b.org", "password": "password", "password_again": "password"}
    )
    assert response.status_code == 400
    assert not User.objects.exists()


def test_one_account_per_email(client: Client, db: None) -> None:
    sign_up(client)
    response = sign_up(
        Client(),
        email="ana@example.org",
        password="another-pass-99",
        password_again="another-pass-99",
    )
    assert response.status_code == 302  # the same answer as a new e-mail (test_signup_privacy)
    assert User.objects.count() == 1


def test_signup_can_be_closed(client: Client, db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OPEN_SIGNUP = False
    assert client.get("/signup/").status_code == 404
    assert sign_up(client).status_code == 404
    assert not User.objects.exists()


def test_log_in_with_email_in_any_case_and_log_out(client: Client, db: None) -> None:
    sign_up(Client())
    response = client.post("/login/", {"username": "ANA@example.org", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")
    response = client.post("/logout/")
    assert response.status_code == 302
    assert not client.session.get("_auth_user_id")


def test_a_wrong_password_says_so(client: Client, db: None) -> None:
    sign_up(Client())
    response = client.post("/login/", {"username": "ana@example.org", "password": "nope"})
    assert response.status_code == 400
    summary = error_summary(response.content.decode())
    assert "<h2>We could not log you in</h2>" in summary
    assert "That email and password do not match. Please try again." in summary
    assert "Please check your answers" not in summary  # there is nothing marked below
    assert not client.session.get("_auth_user_id")


def test_an_empty_log_in_form_names_each_answer(client: Client, db: None) -> None:
    response = client.post("/login/", {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please check your answers" in error_summary(html)
    assert "Please put in your email." in html
    assert "Please put in your password." in html


def error_summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match[0]


def test_password_reset_by_email(client: Client, db: None) -> None:
    sign_up(Client())
    response = client.post("/password-reset/", {"email": "ana@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Make a new password for Stenosis Coach"
    link = re.search(r"http://testserver(/password-reset/\S+/)", message.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert b"Make a new password" in form_page.content
    new_password = "child-pose-stretch-77"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert User.objects.get().check_password(new_password)


def test_password_reset_for_an_unknown_email_sends_nothing(client: Client, db: None) -> None:
    response = client.post("/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_signing_up_keeps_the_browsers_time_zone(client: Client, db: None) -> None:
    assert sign_up(client, time_zone="America/Chicago").status_code == 302
    patient = Patient.objects.get(user__username="ana@example.org")
    assert patient.time_zone == "America/Chicago"
    assert str(patient.zone) == "America/Chicago"


@pytest.mark.parametrize("zone", ["", "Mars/Olympus", "localtime", "<script>", "x" * 300])
def test_an_unknown_or_missing_zone_is_left_out_and_never_an_error(
    client: Client, db: None, zone: str
) -> None:
    assert sign_up(client, time_zone=zone).status_code == 302
    patient = Patient.objects.get(user__username="ana@example.org")
    assert patient.time_zone == ""
    assert str(patient.zone) == settings.TIME_ZONE  # the server's, until the browser tells us


def test_the_signup_form_asks_the_browser_for_its_zone(client: Client, db: None) -> None:
    html = client.get("/signup/").content.decode()
    assert re.search(r'<input type="hidden" name="time_zone" data-browser-zone=""', html)
    assert f'<script type="module" src="{static("web/zone.js")}"></script>' in html
    assert "Time zone" not in html  # hidden: nothing for the person to read or fill
