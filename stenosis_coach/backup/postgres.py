"""PostgreSQL: pg_dump's custom format (one consistent snapshot while the app runs) and
pg_restore, with the connection from settings.DATABASES."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.db.backends.postgresql.client import DatabaseClient

from . import BackupError

SIGNATURE = b"PGDMP"


def libpq_environment(database: dict[str, Any]) -> dict[str, str]:
    """The connection as libpq's environment variables, so no password shows in `ps`."""
    _, extra = DatabaseClient.settings_to_cmd_args_env(database, [])
    environment = {**os.environ, **(extra or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if database.get(key):
            environment[variable] = str(database[key])
    return environment


def run(tool: str, arguments: list[str], database: dict[str, Any]) -> None:
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed; it comes with PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client)."
        )
    done = subprocess.run(
        [tool, *arguments],
        env=libpq_environment(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        said = done.stderr.strip() or f"exit status {done.returncode}"
        raise BackupError(f"{tool} failed: {said}")


def back_up(database: dict[str, Any], out: Path) -> None:
    name = str(database["NAME"] or "postgres")
    run("pg_dump", ["--format=custom", f"--file={out}", f"--dbname={name}"], database)


def restore(backup: Path, database: dict[str, Any]) -> None:
    """Into an empty database: --clean drops the empty tables `migrate` may have made
    first; one transaction, so a failure restores nothing."""
    name = str(database["NAME"] or "postgres")
    arguments = ["--no-owner", "--no-acl", "--clean", "--if-exists", "--single-transaction"]
    run("pg_restore", [*arguments, f"--dbname={name}", str(backup)], database)
