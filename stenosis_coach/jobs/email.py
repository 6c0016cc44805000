"""Queueing e-mail from a request or an action: sent by the worker, never in the request."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from .models import SentEmail
from .tasks import send_email

KEY_LENGTH = SentEmail._meta.get_field("key").max_length


def enqueue_email(key: str, to: str | list[str], subject: str, body: str) -> None:
    """Queue an e-mail for the worker once the current transaction commits, so a request
    that fails and rolls back sends nothing. `key` names this e-mail (for example
    "alert-42-therapist-7"): queueing the same key again sends it only once."""
    if not key or len(key) > KEY_LENGTH:
        raise ValueError(f"An e-mail key must be 1 to {KEY_LENGTH} characters: {key!r}")
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        raise ValueError("An e-mail needs at least one address.")
    transaction.on_commit(
        partial(send_email.enqueue, key=key, to=recipients, subject=subject, body=body)
    )
