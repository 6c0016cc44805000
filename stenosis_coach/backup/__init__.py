"""Backups: a consistent copy of the whole database while the app runs, and its restore into
an empty database (`stenosis-coach backup` and `restore`). Encrypted at rest when
settings.BACKUP_KEY is set."""

from __future__ import annotations


class BackupError(Exception):
    """Something the person running the command can fix; said in one plain sentence."""
