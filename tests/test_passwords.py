"""Password rules: 10 or more characters, not only spaces, not common, not the email; in
our words, on sign-up and on the new-password page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from stenosis_coach.patients.forms import check_password


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-pw1", "This password is too short. Use 10 or more letters, numbers or signs."),
        (" " * 12, "A password cannot be only spaces. Add letters or numbers."),
        ("password123", "Many people use this password."),
        ("ana.garcia@example.org", "This password is too close to your email."),
        ("12345678901234", "A password cannot be only numbers."),
    ],
)
def test_weak_passwords_are_refused_in_plain_words(password: str, problem: str, db: None) -> None:
    user = User(username="ana.garcia@example.org", email="ana.garcia@example.org")
    problems = check_password(password, user)
    assert any(text.startswith(problem) for text in problems), problems


def test_a_good_password_passes(db: None) -> None:
    user = User(username="ana@example.org", email="ana@example.org")
    assert check_password("knees-to-chest-42", user) == []
    assert check_password("my long pass phrase", user) == []


def test_eight_spaces_do_not_make_an_account(client: Client, db: None) -> None:
    spaces = " " * 8
    data = {"email": "ana@example.org", "password": spaces, "password_again": spaces}
    response = client.post("/signup/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "only spaces" in html
    assert "Use 10 or more" in html
    assert not User.objects.filter(username="ana@example.org").exists()
