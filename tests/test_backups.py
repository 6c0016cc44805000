"""`stenosis-coach backup` and `restore`, as an operator runs them: a database with a demo
patient, backed up, restored into a new empty database, and every table the same."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
Contents = dict[str, list[str]]


def command(
    *arguments: str, data_dir: Path, **environment: str
) -> subprocess.CompletedProcess[str]:
    """One `stenosis-coach` run with its own DATA_DIR (and DATABASE_URL, if given)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "BACKUP_KEY", "SECRET_KEY"}
    }
    env.update(DATA_DIR=str(data_dir), **environment)
    return subprocess.run(
        [sys.executable, "-m", "stenosis_coach", *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def refused(done: subprocess.CompletedProcess[str], words: str) -> None:
    """A clear sentence and a non-zero exit, never a traceback."""
    assert done.returncode != 0
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def sqlite_contents(database: Path) -> Contents:
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        names = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            name: sorted(map(repr, connection.execute(f'SELECT * FROM "{name}"'))) for name in names
        }
    finally:
        connection.close()


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DATA_DIR with a migrated database and a demo patient's weeks of history."""
    data = tmp_path_factory.mktemp("source")
    ok(command("migrate", "-v0", data_dir=data))
    ok(command("demo", "--days", "10", data_dir=data))
    return data


def database_in(data: Path) -> Path:
    return data / "stenosis-coach.sqlite3"


def test_sqlite_backup_restores_to_an_identical_database(
    sqlite_source: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "coach.backup"
    said = ok(command("backup", "--out", str(backup), data_dir=sqlite_source))
    assert "not encrypted" in said
    assert backup.stat().st_mode & 0o777 == 0o600
    target = tmp_path / "new"
    ok(command("restore", str(backup), data_dir=target))
    before, after = (
        sqlite_contents(database_in(sqlite_source)),
        sqlite_contents(database_in(target)),
    )
    assert len(before["outcomes_paincheckin"]) > 10
    assert after == before


def test_restore_refuses_a_database_with_data(sqlite_source: Path, tmp_path: Path) -> None:
    backup = tmp_path / "coach.backup"
    ok(command("backup", "--out", str(backup), data_dir=sqlite_source))
    before = sqlite_contents(database_in(sqlite_source))
    refused(command("restore", str(backup), data_dir=sqlite_source), "The database is not empty")
    assert sqlite_contents(database_in(sqlite_source)) == before


def test_restore_goes_into_a_migrated_empty_database(sqlite_source: Path, tmp_path: Path) -> None:
    backup = tmp_path / "coach.backup"
    ok(command("backup", "--out", str(backup), data_dir=sqlite_source))
    target = tmp_path / "migrated"
    ok(command("migrate", "-v0", data_dir=target))
    ok(command("restore", str(backup), data_dir=target))
    assert sqlite_contents(database_in(target)) == sqlite_contents(database_in(sqlite_source))


def test_an_encrypted_backup_needs_its_key(sqlite_source: Path, tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    backup = tmp_path / "coach.backup"
    assert "(encrypted)" in ok(
        command("backup", "--out", str(backup), data_dir=sqlite_source, BACKUP_KEY=key)
    )
    assert b"SQLite" not in backup.read_bytes()

    target = tmp_path / "new"
    refused(command("restore", str(backup), data_dir=target), "This backup is encrypted")
    other = Fernet.generate_key().decode()
    refused(
        command("restore", str(backup), data_dir=target, BACKUP_KEY=other),
        "does not open this backup",
    )
    refused(
        command("restore", str(backup), data_dir=target, BACKUP_KEY="secret"), "not a valid key"
    )
    ok(command("restore", str(backup), data_dir=target, BACKUP_KEY=key))
    assert sqlite_contents(database_in(target)) == sqlite_contents(database_in(sqlite_source))


def test_a_damaged_encrypted_backup_is_refused(sqlite_source: Path, tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    backup = tmp_path / "coach.backup"
    ok(command("backup", "--out", str(backup), data_dir=sqlite_source, BACKUP_KEY=key))
    lines = backup.read_bytes().splitlines(keepends=True)
    backup.write_bytes(b"".join(lines[:-1]))  # the last part lost
    refused(command("restore", str(backup), data_dir=tmp_path / "new", BACKUP_KEY=key), "cut short")


def test_bad_input_is_said_plainly(sqlite_source: Path, tmp_path: Path) -> None:
    refused(
        command("restore", str(tmp_path / "missing"), data_dir=tmp_path / "a"), "There is no file"
    )
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a backup")
    refused(command("restore", str(stranger), data_dir=tmp_path / "b"), "is not a backup")
    missing_folder = tmp_path / "nowhere" / "coach.backup"
    refused(
        command("backup", "--out", str(missing_folder), data_dir=sqlite_source), "does not exist"
    )


# ---------------------------------------------------------------------------------------
# PostgreSQL: when pg_dump is installed and a server answers (the suite's PostgreSQL pass
# sets DATABASE_URL; otherwise the local server CI uses).


def postgres_server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def postgres_answers(server: str) -> bool:
    parts = urllib.parse.urlsplit(server)
    try:
        socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 5432), timeout=3
        ).close()
    except OSError:
        return False
    return True


@pytest.fixture
def postgres_database() -> Iterator[Callable[[str], str]]:
    """`make(name)`: a new, empty PostgreSQL database of ours; dropped afterwards."""
    server = postgres_server()
    if shutil.which("pg_dump") is None or not postgres_answers(server):
        pytest.skip("needs pg_dump and a PostgreSQL server")
    made: list[str] = []

    def run(sql: str) -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(sql)

    def make(name: str) -> str:
        run(f'DROP DATABASE IF EXISTS "{name}"')
        run(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{server}/{name}"

    yield make
    for name in made:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_contents(url: str) -> Contents:
    with psycopg.connect(url) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        return {
            name: sorted(map(repr, connection.execute(f'SELECT * FROM "{name}"'))) for name in names
        }


def test_postgresql_backup_restores_to_an_identical_database(
    postgres_database: Callable[[str], str], tmp_path: Path
) -> None:
    source = postgres_database("backup_test_src")
    target = postgres_database("backup_test_dst")
    data = tmp_path / "data"
    ok(command("migrate", "-v0", data_dir=data, DATABASE_URL=source))
    ok(command("demo", "--days", "10", data_dir=data, DATABASE_URL=source))
    backup = tmp_path / "coach.backup"
    key = Fernet.generate_key().decode()
    ok(command("backup", "--out", str(backup), data_dir=data, DATABASE_URL=source, BACKUP_KEY=key))

    ok(command("migrate", "-v0", data_dir=data, DATABASE_URL=target))  # empty, with its tables
    ok(command("restore", str(backup), data_dir=data, DATABASE_URL=target, BACKUP_KEY=key))
    before = postgres_contents(source)
    assert len(before["outcomes_paincheckin"]) > 10
    assert postgres_contents(target) == before

    refused(
        command("restore", str(backup), data_dir=data, DATABASE_URL=target, BACKUP_KEY=key),
        "The database is not empty",
    )


def test_a_backup_while_the_app_writes_is_consistent(sqlite_source: Path, tmp_path: Path) -> None:
    """Writes go on during the backup (WAL: the copy reads one snapshot, the writer is not
    held up); the copy passes SQLite's integrity check and holds a whole number of them."""
    import sqlite3
    import threading

    data = tmp_path / "live"
    data.mkdir()
    shutil.copy(database_in(sqlite_source), database_in(data))
    (data / "secret_key").write_text("test-key-for-a-copy")
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        writer = sqlite3.connect(database_in(data), timeout=20)
        writer.execute("PRAGMA journal_mode=WAL")
        while not stop.is_set():
            with writer:  # one transaction a row, as uploads come
                writer.execute(
                    "INSERT INTO jobs_sentemail (key, \"to\", sent_at) VALUES (?, '', ?)",
                    (f"live-{len(written)}", "2026-01-01 00:00:00"),
                )
            written.append(1)
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        backup = tmp_path / "live.backup"
        ok(command("backup", "--out", str(backup), data_dir=data))
    finally:
        stop.set()
        thread.join()
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copied = copy.execute("SELECT key FROM jobs_sentemail WHERE key LIKE 'live-%'").fetchall()
    finally:
        copy.close()
    assert sorted(int(key[5:]) for (key,) in copied) == list(range(len(copied)))
    assert written
