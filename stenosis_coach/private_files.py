"""Health data on disk is for the app's own account alone: the data folder 0700, the SQLite
database and its WAL files 0600, whatever the umask says.

Imported by the settings, so it imports nothing from Django's models.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# SQLite's write-ahead log and its index, beside the database in WAL mode.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def make_private_dir(path: Path) -> None:
    """Create the folder for the app's account alone, or close up one made before (an
    install that ran before this rule). A folder someone else owns is left as it is."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    restrict(path, PRIVATE_DIR_MODE)


def restrict(path: Path, mode: int) -> None:
    """chmod when the file is ours and its mode differs; a missing file is nothing to do."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    if status.st_uid == os.getuid() and status.st_mode & 0o777 != mode:
        path.chmod(mode)


def sqlite_files(database: str) -> list[Path]:
    """The database file and the files SQLite keeps beside it (none for an in-memory one)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return []
    main = Path(database)
    return [main, *(main.with_name(main.name + suffix) for suffix in SQLITE_SIDE_FILES)]


def keep_sqlite_files_private(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: SQLite makes the database file (and its -wal and -shm, which it
    gives the database file's mode) with the umask's mode, usually world-readable."""
    if connection.vendor != "sqlite":
        return
    for path in sqlite_files(str(connection.settings_dict["NAME"])):
        restrict(path, PRIVATE_FILE_MODE)
