"""`stenosis-coach restore FILE`: a backup into the configured database, which must be empty
(stop the app first)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stenosis_coach.backup import BackupError
from stenosis_coach.backup.database import restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into the configured database, which must be empty."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        started = time.monotonic()
        try:
            restore_backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Restored {file} in {seconds:.2f} s. Run `stenosis-coach migrate` next if the "
            "backup is from an older version."
        )
