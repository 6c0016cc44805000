"""`stenosis-coach audit [--patient EMAIL] [--since DATE]`: print the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from stenosis_coach.clinic.queries import audit_entries
from stenosis_coach.patients.models import Patient


class Command(BaseCommand):
    help = (
        "Print who read or changed patients' data, one line per entry, oldest first: "
        "time, who (their e-mail), action (read or change), what."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patient", metavar="EMAIL", help="only this patient's entries")
        parser.add_argument(
            "--since", metavar="DATE", help="only entries from this day on (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        patient = find_patient(options["patient"]) if options["patient"] else None
        since = start_of_day(options["since"]) if options["since"] else None
        for entry in audit_entries(patient=patient, since=since).iterator():
            moment = timezone.localtime(entry.at).isoformat(timespec="seconds")
            self.stdout.write(f"{moment} {entry.who_email} {entry.action} {entry.what}")


def find_patient(email: str) -> Patient:
    try:
        email = email.strip()
        return Patient.objects.get(Q(user__email__iexact=email) | Q(user__username__iexact=email))
    except Patient.DoesNotExist:
        raise CommandError(f"There is no patient with the e-mail {email}.") from None
    except Patient.MultipleObjectsReturned:
        raise CommandError(f"More than one patient has the e-mail {email}.") from None


def start_of_day(text: str) -> dt.datetime:
    """Midnight at the start of DATE, in the server's time zone."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"--since needs a date like 2026-03-01, not {text!r}.") from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
