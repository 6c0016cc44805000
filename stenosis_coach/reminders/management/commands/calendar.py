"""`stenosis-coach calendar --patient EMAIL [--new]`: print the address of the patient's
private calendar feed (made now if they have none; --new makes a new one and stops the
old), to paste into a calendar app or send to the patient."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stenosis_coach.clinic.management.commands.audit import find_patient
from stenosis_coach.reminders import actions
from stenosis_coach.reminders.calendar import feed_url
from stenosis_coach.reminders.selectors import plan_of


class Command(BaseCommand):
    help = "Print the address of a patient's private calendar feed (made if they have none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patient", metavar="EMAIL", required=True, help="whose calendar")
        parser.add_argument(
            "--new", action="store_true", help="make a new address; the old one stops working"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        patient = find_patient(options["patient"])
        plan = plan_of(patient)
        if options["new"] or not plan.calendar_token:
            plan = actions.do_make_calendar_link(patient)
        self.stdout.write(feed_url(plan))
