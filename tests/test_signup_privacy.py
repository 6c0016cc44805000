"""Sign-up does not tell whether an e-mail has an account: the same answer and the same
page either way; the e-mail to that address says which."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from stenosis_coach.jobs.testing import run_queued_jobs

PASSWORD = "knees-to-chest-42"


@pytest.fixture(autouse=True)
def commits(django_capture_on_commit_callbacks: Any) -> None:
    """Each sign-up's queued e-mail is queued when its request commits, as in real life."""
    global CAPTURE
    CAPTURE = django_capture_on_commit_callbacks


CAPTURE: Any = None


def without_tokens(html: str) -> str:
    return re.sub(r'value="[A-Za-z0-9]{32,}"', 'value=""', html)


def sign_up(email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    client = Client()
    data = {"email": email, "password": password, "password_again": password}
    with CAPTURE(execute=True):
        response = client.post("/signup/", data, follow=True)
    return client, response


def test_a_taken_and_a_new_email_get_the_same_answer(db: None) -> None:
    User.objects.create_user("ana@example.org", "ana@example.org", "the-owners-pass-1")
    taken_client, taken = sign_up("Ana@Example.org", "a-guessers-pass-2")
    new_client, new = sign_up("ben@example.org")
    assert taken.status_code == new.status_code == 200
    assert taken.redirect_chain == new.redirect_chain == [("/signup/sent/", 302)]
    assert without_tokens(taken.content.decode()) == without_tokens(new.content.decode())
    assert "Check your email" in new.content.decode()
    # Neither is logged in by signing up.
    assert "_auth_user_id" not in taken_client.session
    assert "_auth_user_id" not in new_client.session


def test_the_owner_is_told_and_nothing_changes(db: None) -> None:
    owner = User.objects.create_user("ana@example.org", "ana@example.org", "the-owners-pass-1")
    sign_up("ana@example.org", "a-guessers-pass-2")
    run_queued_jobs()
    assert User.objects.count() == 1
    owner.refresh_from_db()
    assert owner.check_password("the-owners-pass-1")
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Someone tried to make a new Stenosis Coach account" in message.body
    assert "/login/" in message.body
    assert "/password-reset/" in message.body
    assert "a-guessers-pass-2" not in message.body


def test_a_new_account_is_welcomed_and_can_log_in(db: None) -> None:
    client, _ = sign_up("ben@example.org")
    run_queued_jobs()
    [message] = mail.outbox
    assert message.to == ["ben@example.org"]
    assert "Your Stenosis Coach account is ready" in message.body
    response = client.post(
        "/login/", {"username": "ben@example.org", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/onboarding/safety/"
