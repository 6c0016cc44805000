"""`stenosis-coach therapist add --clinic NAME --email E [--admin]`: make a staff account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from stenosis_coach.clinic.actions import (
    SET_PASSWORD_HOURS,
    ClinicError,
    add_staff_member,
    clinic_named,
    send_welcome,
)
from stenosis_coach.clinic.models import StaffMember


class Command(BaseCommand):
    help = (
        "Manage a clinic's therapists. `therapist add` makes an account with no password and "
        f"prints (and e-mails) a one-time link to set it, valid {SET_PASSWORD_HOURS} hours."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="make a therapist's account")
        add.add_argument("--clinic", required=True, help="the clinic's name")
        add.add_argument("--email", required=True, help="the therapist's e-mail (their log-in)")
        add.add_argument(
            "--admin", action="store_true", help="a clinic admin, who also manages the staff"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = StaffMember.ADMIN if options["admin"] else StaffMember.THERAPIST
        try:
            with transaction.atomic():
                clinic = clinic_named(options["clinic"])
                new = add_staff_member(clinic, options["email"], role=role)
        except ClinicError as error:
            raise CommandError(str(error)) from None
        link = settings.SITE_URL + new.link_path
        member = new.member
        self.stdout.write(f"{member.role} {member.user.email} at {clinic.name}")
        self.stdout.write(f"Set-password link (valid {SET_PASSWORD_HOURS} hours): {link}")
        send_welcome(member, link)
        self.stdout.write(f"E-mail to {member.user.email} queued (the worker sends it)")
