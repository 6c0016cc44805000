"""Sign-up does not tell whether an e-mail has an account: both answers are "Check your
email", and the e-mail says the rest. A new account is told it is ready; the owner of an
e-mail that has one already is told someone tried, with the log-in and reset links."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from stenosis_coach.jobs.email import enqueue_email


def links() -> dict[str, str]:
    return {
        "login_link": settings.SITE_URL + reverse("login"),
        "reset_link": settings.SITE_URL + reverse("password_reset"),
    }


def send_welcome(user: User) -> None:
    body = render_to_string("patients/signup_welcome_email.txt", links())
    enqueue_email(f"signup-welcome-{user.pk}", user.email, _("Your account is ready"), body)


def send_already_taken(user: User, password: str) -> None:
    """Tell the owner. The password is hashed and thrown away, so this answer takes as long
    as making an account does (the time does not tell either)."""
    make_password(password)
    body = render_to_string("patients/signup_taken_email.txt", links())
    # A fresh key each try: every try is told (the sign-up rate limit caps how many).
    key = f"signup-taken-{user.pk}-{secrets.token_hex(8)}"
    enqueue_email(key, user.email, _("Someone tried to make an account with your email"), body)
