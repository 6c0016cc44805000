"""`stenosis-coach refresh_summaries`: make every patient's caseload summary row again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stenosis_coach.clinic.summaries import refresh_all


class Command(BaseCommand):
    help = (
        "Make every patient's caseload summary again from their sessions, pain and alerts "
        "(after loading data past the app, or to repair). Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = refresh_all()
        self.stdout.write(f"{count} patient summaries made again.")
