"""`stenosis-coach reset_two_step EMAIL`: for an operator, when a staff member (such as the
only clinic admin) lost their phone. Their app and recovery codes are removed and all their
sessions end; at the next log-in they set up a new app. A staff member's reset is written to
the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from stenosis_coach.clinic.audit import record_access
from stenosis_coach.clinic.models import AuditEntry, StaffMember
from stenosis_coach.clinic.staff_actions import reset_two_step


class Command(BaseCommand):
    help = (
        "Reset an account's two-step sign-in (a lost phone): remove its authenticator app "
        "and recovery codes and end its sessions. Staff set up a new app at the next log-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the account's e-mail (its log-in)")

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip()
        users = list(User.objects.filter(email__iexact=email)[:2])
        if not users:
            raise CommandError(f"No account has the e-mail {email}")
        if len(users) > 1:
            raise CommandError(f"More than one account has the e-mail {email}: use the admin")
        [user] = users
        member = StaffMember.objects.filter(user=user).select_related("clinic").first()
        with transaction.atomic():
            devices, sessions = reset_two_step(user)
            if member is not None:
                # There is no signed-in operator: the entry is under the member's name.
                what = "Staff: two-step sign-in reset by an operator (reset_two_step command)"
                record_access(user, None, AuditEntry.CHANGE, what)
        who = f"{member.role} at {member.clinic.name}" if member else "not clinic staff"
        self.stdout.write(f"Two-step sign-in reset for {user.email} ({who})")
        self.stdout.write(f"Removed {devices} device(s) (app and recovery codes)")
        self.stdout.write(f"Ended {sessions} session(s)")
        if member is not None:
            self.stdout.write("They set up a new authenticator app at their next log-in")
        else:
            self.stdout.write("They log in with their password only until they turn it on again")
