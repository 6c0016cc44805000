"""The jobs the worker runs. Each is idempotent: run twice, it sends nothing twice."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django_tasks import task

from .models import SentEmail


@task()
def send_email(key: str, to: list[str], subject: str, body: str) -> bool:
    """Send one e-mail through Django's mail settings, once per key. True if it was sent
    now, False if that key was sent before.

    Create-then-send in one transaction: the SentEmail row is inserted first, then the mail
    is sent, then both commit together. A second run with the same key (a retry, or another
    worker at the same moment) cannot insert the row: the unique key makes it wait for the
    first transaction and then fail, so it sends nothing. If sending fails, the row is
    rolled back with it and a later run can try again. The one gap: a worker killed after
    the mail server took the mail but before the commit sends it again on the next run; we
    prefer a rare second copy to a lost alert."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentEmail.objects.create(key=key, to=", ".join(to))
        except IntegrityError:
            return False
        EmailMessage(subject=subject, body=body, to=to).send()
    return True
