"""Log-in lockout (django-axes): 5 wrong passwords lock an account, from any address, and
an address, for any account; the lock ends after the cool-off, by the admin command, or by
a password reset."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client

from stenosis_coach.jobs.testing import run_queued_jobs

EMAIL = "ana@example.org"
PASSWORD = "knees-to-chest-42"
LOCKED = "Log-in is closed for 15 minutes"


@pytest.fixture
def ana(db: None) -> User:
    return User.objects.create_user(EMAIL, EMAIL, PASSWORD)


def log_in(client: Client, password: str, email: str = EMAIL, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client: Client, address: str = "10.0.0.1", email: str = EMAIL) -> None:
    for _ in range(5):
        assert log_in(client, "wrong-password", email, address).status_code in (400, 429)


def test_five_wrong_passwords_lock_the_account(client: Client, ana: User) -> None:
    for _ in range(4):
        assert log_in(client, "wrong-password").status_code == 400
    assert log_in(client, "wrong-password").status_code == 429
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    html = response.content.decode()
    assert LOCKED in html
    assert "Log-in is closed for now" in html
    assert 'href="/password-reset/"' in html
    assert "_auth_user_id" not in client.session


def test_the_account_is_locked_from_another_address_too(client: Client, ana: User) -> None:
    fail_five_times(client, address="10.0.0.1")
    response = log_in(Client(), PASSWORD, address="10.9.9.9")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_one_address_is_locked_for_every_account(client: Client, ana: User) -> None:
    User.objects.create_user("ben@example.org", "ben@example.org", PASSWORD)
    for number in range(5):
        log_in(client, "wrong-password", email=f"nobody{number}@example.org")
    assert log_in(client, PASSWORD, email="ben@example.org").status_code == 429
    # Another address can still log in to that account.
    assert (
        log_in(Client(), PASSWORD, email="ben@example.org", address="10.0.0.2").status_code == 302
    )


def test_a_right_password_before_the_limit_starts_again(client: Client, ana: User) -> None:
    for _ in range(4):
        log_in(client, "wrong-password")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "wrong-password").status_code == 400


def test_the_lock_ends_after_the_cool_off(client: Client, ana: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_COOLOFF_TIME = dt.timedelta(seconds=1)
    fail_five_times(client)
    assert log_in(client, PASSWORD).status_code == 429
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert log_in(client, PASSWORD).status_code == 302


def test_the_admin_command_lifts_the_lock(client: Client, ana: User) -> None:
    fail_five_times(client)
    call_command("axes_reset_username", EMAIL)
    # The address is still locked (5 failures from it); another address gets in.
    assert log_in(Client(), PASSWORD, address="10.0.0.2").status_code == 302


def test_a_password_reset_by_email_lifts_the_lock(client: Client, ana: User) -> None:
    fail_five_times(client)
    assert client.post("/password-reset/", {"email": EMAIL}).status_code == 302
    run_queued_jobs()
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[-1].body)
    assert link
    form = client.get(link.group(1), follow=True)
    new = "a-brand-new-pass-7"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert log_in(Client(), new, address="10.0.0.2").status_code == 302


def test_behind_a_proxy_each_forwarded_address_counts_on_its_own(
    client: Client, ana: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.TRUST_X_FORWARDED_FOR = True
    for number in range(5):
        client.post(
            "/login/",
            {"username": f"nobody{number}@example.org", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    other = client.post(
        "/login/", {"username": EMAIL, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert other.status_code == 302


def test_a_made_up_forwarded_address_does_not_escape_the_lock(client: Client, ana: User) -> None:
    for number in range(5):
        client.post(
            "/login/",
            {"username": f"nobody{number}@example.org", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    again = client.post(
        "/login/", {"username": EMAIL, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert again.status_code == 429
