"""Helpers for testing the clinic's pages: who may see a page, and its audit entry.

Every clinic view is checked the same way (design.md): its own clinic's staff get it, a
therapist of another clinic and any patient get 404, anonymous is sent to log in.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from stenosis_coach.clinic.models import AuditEntry, StaffMember
from stenosis_coach.patients.models import Patient


def client_for(user: User | Patient) -> Client:
    """A client logged in as `user`; clinic staff have passed two-step sign-in too."""
    client = Client()
    account = user.user if isinstance(user, Patient) else user
    client.force_login(account)
    if StaffMember.objects.filter(user=account).exists():
        pass_two_step(client, account)
    return client


def pass_two_step(client: Client, user: User) -> None:
    """As if the logged-in `user` had typed a right code: a confirmed app device, and the
    session says it was used (django_otp.login keeps its id under this key)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def assert_only_own_clinic(
    url: str, *, own: User, other_clinic: User, patient: Patient, method: str = "get", **data: Any
) -> None:
    """`own` gets the page; `other_clinic` and `patient` get 404; anonymous goes to log in."""
    send = lambda client: getattr(client, method)(url, data)  # noqa: E731
    assert send(client_for(own)).status_code in (200, 302)
    assert send(client_for(other_clinic)).status_code == 404
    assert send(client_for(patient)).status_code == 404
    anonymous = send(Client())
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


def audit_count(**lookup: Any) -> int:
    return AuditEntry.objects.filter(**lookup).count()
