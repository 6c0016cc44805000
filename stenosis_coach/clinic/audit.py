"""The audit log's one writer: every read or change of a patient's data by someone other
than that patient goes through `record_access`.

It writes in the caller's transaction, so a change and its entry are kept or lost together.
It never swallows an error: a read whose entry cannot be written must fail too.
"""

from __future__ import annotations

import ipaddress

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from stenosis_coach.patients.models import Patient

from .models import AuditEntry

ACTIONS = (AuditEntry.READ, AuditEntry.CHANGE)
WHAT_MAX = AuditEntry._meta.get_field("what").max_length or 200


def record_access(
    request_or_user: HttpRequest | AbstractBaseUser,
    patient: Patient | None,
    action: str,
    what: str,
) -> AuditEntry:
    """Write one audit entry: who (from the request's user, or the user given), the patient,
    read or change, and what (the page or object). From where is the request's REMOTE_ADDR
    only: a forwarded-for header is the client's word, trusted only once a proxy is set up."""
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {ACTIONS}, not {action!r}")
    if isinstance(request_or_user, HttpRequest):
        user = request_or_user.user
        address = client_address(request_or_user)
    else:
        user, address = request_or_user, None
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise ValueError("an audit entry needs a signed-in user")
    return AuditEntry.objects.create(
        who=user,
        who_email=getattr(user, "email", "") or user.get_username(),
        patient=patient,
        action=action,
        what=what[:WHAT_MAX],
        from_address=address,
    )


def client_address(request: HttpRequest) -> str | None:
    """The request's REMOTE_ADDR when it is an IP address (a server on a Unix socket may give
    an empty one or a path)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return None
