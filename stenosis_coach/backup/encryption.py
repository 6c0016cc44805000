"""A backup encrypted with Fernet (AES-128-CBC with an HMAC), in chunks so a large database
never has to fit in memory. Each chunk carries its number and whether it is the last, inside
the encryption, so chunks cannot be dropped, reordered or cut off without the restore
noticing."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken

from . import BackupError

MAGIC = b"STENOSIS-COACH-ENCRYPTED-BACKUP 1\n"
CHUNK_BYTES = 1 << 20
CHUNK_HEADER = struct.Struct(">QB")  # chunk number, 1 on the last chunk


def fernet(key: str) -> Fernet:
    try:
        return Fernet(key.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise BackupError(
            "BACKUP_KEY is not a valid key: it must be 32 random bytes in URL-safe base64. "
            'Make one with: python3 -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        ) from None


def is_encrypted(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def chunks(source: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """The file in chunks, each with whether it is the last (an empty file: one empty chunk)."""
    current = source.read(CHUNK_BYTES)
    while True:
        following = source.read(CHUNK_BYTES)
        yield current, not following
        if not following:
            return
        current = following


def encrypt(source: BinaryIO, target: BinaryIO, key: str) -> None:
    box = fernet(key)
    target.write(MAGIC)
    for number, (data, last) in enumerate(chunks(source)):
        target.write(box.encrypt(CHUNK_HEADER.pack(number, last) + data) + b"\n")


def decrypt(source: BinaryIO, target: BinaryIO, key: str) -> None:
    box = fernet(key)
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("This file is not an encrypted backup.")
    finished = False
    for number, line in enumerate(source):
        if finished:
            raise BackupError("The backup has data after its end: it is damaged.")
        try:
            plain = box.decrypt(line.strip())
        except InvalidToken:
            raise BackupError(
                "BACKUP_KEY does not open this backup: it was made with another key, "
                "or the file is damaged."
            ) from None
        found, last = CHUNK_HEADER.unpack_from(plain)
        if found != number:
            raise BackupError("The backup's parts are out of order: it is damaged.")
        target.write(plain[CHUNK_HEADER.size :])
        finished = bool(last)
    if not finished:
        raise BackupError("The backup is cut short: it is damaged or was not finished.")
