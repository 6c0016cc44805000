from typing import Any

from django.core.management.base import BaseCommand

from stenosis_coach.practice.catalogue_sync import sync_catalogue


class Command(BaseCommand):
    help = "Load the exercise catalogue into the database (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = sync_catalogue(options.get("database") or "default")
        self.stdout.write(f"Catalogue loaded: {count} exercises.")
