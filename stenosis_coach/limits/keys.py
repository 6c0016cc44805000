"""Who a hit counts against: a client address, an e-mail asked for, an account. Each key
function takes the view's arguments and returns the value to count, or None (not counted);
the store keeps only its HMAC."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


def hashed(scope: str, value: str) -> str:
    """HMAC-SHA256 with the secret key: a guessed e-mail cannot be hashed to find its row."""
    return salted_hmac(f"stenosis_coach.limits.{scope}", value, algorithm="sha256").hexdigest()


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy that sets X-Forwarded-For itself (TRUST_X_FORWARDED_FOR),
    that header's first address instead."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return str(request.META.get("REMOTE_ADDR", ""))


def by_address(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return client_address(request)


def by_account(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
    return str(request.user.pk) if request.user.is_authenticated else None


def by_patient(request: HttpRequest, patient: Any, *args: Any, **kwargs: Any) -> str:
    """For views behind @patient_api or @patient_view, which pass the Patient first."""
    return str(patient.pk)


def by_posted_email(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
    """The e-mail in the form, as the accounts keep it (trimmed, lower case)."""
    email = str(request.POST.get("email", "")).strip().lower()
    return email or None
