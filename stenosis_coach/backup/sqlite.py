"""SQLite: the online backup API copies the database in one read transaction, so the copy
is consistent while the app goes on writing (WAL: readers do not block the writer)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from stenosis_coach.private_files import PRIVATE_FILE_MODE, restrict, sqlite_files

from . import BackupError

SIGNATURE = b"SQLite format 3\x00"


def copy_database(source: Path, target: Path) -> None:
    """Copy every page of `source` into `target` (made, or overwritten whole)."""
    try:
        with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(target)) as writer:
            reader.backup(writer)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Could not copy the SQLite database: {error}.") from None
    for path in sqlite_files(str(target)):
        restrict(path, PRIVATE_FILE_MODE)


def back_up(database: Path, out: Path) -> None:
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    copy_database(database, out)


def restore(backup: Path, database: Path) -> None:
    with closing(sqlite3.connect(backup)) as check:
        try:
            verdict = check.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError:
            verdict = "not a database"
    if verdict != "ok":
        raise BackupError(f"The backup is damaged ({verdict}): nothing was restored.")
    if not database.parent.is_dir():
        raise BackupError(f"The database's folder {database.parent} does not exist.")
    copy_database(backup, database)


class closing:
    """sqlite3's own context manager commits but does not close; this closes."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()
