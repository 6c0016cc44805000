"""Helpers for testing the clinic's pages: who may see a page, and its audit entry.

Every clinic view is checked the same way (design.md): its own clinic's staff get it, a
therapist of another clinic and any patient get 404, anonymous is sent to log in.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from stenosis_coach.clinic.models import AuditEntry
from stenosis_coach.patients.models import Patient


def client_for(user: User | Patient) -> Client:
    client = Client()
    client.force_login(user.user if isinstance(user, Patient) else user)
    return client


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
