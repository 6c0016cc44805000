"""`stenosis-coach backup --out FILE`: a consistent copy of the whole database while the app
runs, encrypted when BACKUP_KEY is set."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stenosis_coach.backup import BackupError
from stenosis_coach.backup.database import make_backup


class Command(BaseCommand):
    help = "Write a backup of the whole database to FILE (encrypted when BACKUP_KEY is set)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, metavar="FILE")

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        started = time.monotonic()
        try:
            make_backup(out)
        except BackupError as error:
            raise CommandError(str(error)) from None
        how = "encrypted" if settings.BACKUP_KEY else "not encrypted: BACKUP_KEY is not set"
        seconds = time.monotonic() - started
        self.stdout.write(f"Backup written to {out} ({how}) in {seconds:.2f} s.")
