"""Backing up and restoring the configured database (settings.DATABASES["default"]),
SQLite or PostgreSQL, encrypted when settings.BACKUP_KEY is set."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from stenosis_coach.private_files import PRIVATE_FILE_MODE

from . import BackupError, encryption, postgres, sqlite

# What `migrate` fills in by itself: a database holding rows in these only is still empty.
MADE_BY_MIGRATE = {"django_migrations", "django_content_type", "auth_permission"}
CATALOGUE = {"practice_exercise"}


def vendor() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return "sqlite"
    if engine.startswith("django.db.backends.postgresql"):
        return "postgresql"
    raise BackupError(f"Backups work on SQLite and PostgreSQL, not on {engine}.")


def make_backup(out: Path) -> None:
    """Write the backup to `out`, readable by its owner alone; a half-made file never takes
    the place of a good one (it is written beside it and renamed at the end)."""
    kind = vendor()
    key = settings.BACKUP_KEY
    if key:
        encryption.fernet(key)  # a bad key is said before any work
    if not out.parent.is_dir():
        raise BackupError(f"The folder {out.parent} does not exist.")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as work:
        plain = Path(work) / "plain"
        if kind == "sqlite":
            sqlite.back_up(Path(settings.DATABASES["default"]["NAME"]), plain)
        else:
            postgres.back_up(settings.DATABASES["default"], plain)
        finished = Path(work) / "finished"
        if key:
            with plain.open("rb") as source, finished.open("wb") as target:
                encryption.encrypt(source, target, key)
        else:
            shutil.move(plain, finished)
        finished.chmod(PRIVATE_FILE_MODE)
        os.replace(finished, out)


def restore_backup(backup: Path) -> None:
    """Restore `backup` into the configured database, which must be empty."""
    kind = vendor()
    if not backup.is_file():
        raise BackupError(f"There is no file at {backup}.")
    refuse_unless_empty()
    with tempfile.TemporaryDirectory(prefix="stenosis-coach-restore-") as work:
        plain = decrypted(backup, Path(work) / "plain")
        found = kind_of(plain)
        if found != kind:
            raise BackupError(
                f"This is a backup of a {found} database; the configured database is {kind}."
            )
        connection.close()  # nothing of ours holds the database while it is replaced
        if kind == "sqlite":
            sqlite.restore(plain, Path(settings.DATABASES["default"]["NAME"]))
        else:
            postgres.restore(plain, settings.DATABASES["default"])


def decrypted(backup: Path, work_file: Path) -> Path:
    if not encryption.is_encrypted(str(backup)):
        return backup
    if not settings.BACKUP_KEY:
        raise BackupError("This backup is encrypted: set BACKUP_KEY to the key it was made with.")
    with backup.open("rb") as source, work_file.open("wb") as target:
        encryption.decrypt(source, target, settings.BACKUP_KEY)
    return work_file


def kind_of(path: Path) -> str:
    with path.open("rb") as handle:
        start = handle.read(16)
    if start.startswith(sqlite.SIGNATURE):
        return "sqlite"
    if start.startswith(postgres.SIGNATURE):
        return "postgresql"
    raise BackupError(f"{path} is not a backup made by stenosis-coach backup.")


def tables_with_rows() -> list[str]:
    """The tables holding anything besides what `migrate` puts in a new database."""
    skip = MADE_BY_MIGRATE | CATALOGUE
    with connection.cursor() as cursor:
        names = [name for name in connection.introspection.table_names(cursor) if name not in skip]
        return [name for name in names if has_rows(cursor, name)]


def has_rows(cursor: Any, table: str) -> bool:
    cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
    return cursor.fetchone() is not None


def refuse_unless_empty() -> None:
    full = tables_with_rows()
    if full:
        shown = ", ".join(full[:5]) + (", ..." if len(full) > 5 else "")
        raise BackupError(
            f"The database is not empty ({len(full)} tables hold rows: {shown}). Restore only "
            "into an empty database: make a new one (and run migrate, or not), then try again."
        )
