"""Writes for the clinic side: clinics and their staff. Each runs in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from stenosis_coach.jobs.email import enqueue_email
from stenosis_coach.patients.models import Clinic

from .models import StaffMember

# The one-time link to set a new account's password is the password-reset link, so its life
# is settings.PASSWORD_RESET_TIMEOUT: Django's default, 72 hours (a test holds it there).
SET_PASSWORD_HOURS = 72


class ClinicError(ValueError):
    """A clinic or staff write that cannot be done, with a message that says why."""


@dataclass(frozen=True)
class NewStaff:
    member: StaffMember
    link_path: str  # the one-time set-password page, without the site's address


@transaction.atomic
def add_clinic(name: str) -> Clinic:
    """A new clinic; its name must be new (in any case), so commands can find it by name."""
    name = " ".join(name.split())
    if not name:
        raise ClinicError("A clinic needs a name.")
    if Clinic.objects.filter(name__iexact=name).exists():
        raise ClinicError(f"There is already a clinic called {name!r}.")
    return Clinic.objects.create(name=name)


def clinic_named(name: str) -> Clinic:
    clinic = Clinic.objects.filter(name__iexact=" ".join(name.split())).first()
    if clinic is None:
        raise ClinicError(f"There is no clinic called {name!r}.")
    return clinic


@transaction.atomic
def add_staff_member(clinic: Clinic, email: str, *, role: str = StaffMember.THERAPIST) -> NewStaff:
    """A new account (with no password yet) for a therapist or clinic admin of `clinic`, and
    the one-time link that lets them set their password."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ClinicError(f"{email!r} is not an e-mail address.") from None
    if role not in dict(StaffMember.ROLES):
        raise ClinicError(f"A role is one of {sorted(dict(StaffMember.ROLES))}, not {role!r}.")
    # Log-in is by e-mail, kept as the username (as patients' accounts are).
    if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        raise ClinicError(f"There is already an account for {email}.")
    user = User.objects.create_user(username=email, email=email)  # no usable password
    member = StaffMember.objects.create(user=user, clinic=clinic, role=role)
    return NewStaff(member=member, link_path=set_password_path(user))


def set_password_path(user: User) -> str:
    """The one-time set-password page (Django's password-reset confirm page): it stops
    working once used, or after PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


WELCOME_SUBJECT = "Your Stenosis Coach account"
WELCOME_BODY = """Hello,

An account was made for you as {role} at {clinic} on Stenosis Coach.
To set your password, open this link within {hours} hours:

{link}

If you did not expect this, you can ignore this e-mail.

Stenosis Coach
"""


def send_welcome(member: StaffMember, link: str) -> None:
    """E-mail the new staff member their set-password link, through the job runner (the
    worker sends it; once per account). No health detail goes in it."""
    body = WELCOME_BODY.format(
        role=member.get_role_display(),
        clinic=member.clinic.name,
        hours=SET_PASSWORD_HOURS,
        link=link,
    )
    enqueue_email(f"welcome-staff-{member.pk}", member.user.email, WELCOME_SUBJECT, body)
