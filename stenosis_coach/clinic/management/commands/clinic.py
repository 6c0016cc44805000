"""`stenosis-coach clinic add NAME`: make a clinic."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stenosis_coach.clinic.actions import ClinicError, add_clinic


class Command(BaseCommand):
    help = "Manage clinics. `clinic add NAME` makes one and prints its id and name."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="make a new clinic")
        add.add_argument("name", help="the clinic's name (new, in any case)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            clinic = add_clinic(options["name"])
        except ClinicError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{clinic.pk} {clinic.name}")
