"""One writer per database file: a window, or a command that writes.

Two windows writing the same file would each show stale figures and overwrite the
other's edits; SQLite would keep the file consistent, but not the user's intent. The
same holds for a command-line import or restore under an open window: the window would
go on showing (and saving over) figures the command has just replaced. So the window
holds the lock for as long as it is open, and every writing command for as long as it
writes. The lock is an OS file lock on ``<db>.lock``, released by the OS even when the
process crashes; the file's text says who holds it, for the message of the refused one.

The lock is per open file, not per process: a process that holds it must not take it a
second time (the second attempt is refused like anyone else's).
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import IO

WINDOW = "jendela"


def already_open_message(path: Path, holder: str) -> str:
    """What the window and every writing command say when another one holds the lock."""
    return (
        f"Basis data {path.name} sedang dibuka oleh Monev RAD PUG lain"
        f"{' (' + holder + ')' if holder else ''}, jadi tidak ada yang diubah. Tutup "
        "jendela itu atau tunggu perintah itu selesai, lalu coba lagi; atau pakai berkas "
        "basis data lain dengan --db."
    )


def plain_already_open_message(holder: str) -> str:
    """The same refusal for a person at the window: no process id, host or option.

    The technical sentence (``already_open_message``) stays for the command line and
    logs, where the pid and ``--db`` are what the reader can act on.
    """
    if not holder or holder.startswith(WINDOW):
        return (
            "Aplikasi ini sudah terbuka di jendela lain. Pakai jendela itu (lihat di bilah "
            "tugas), atau tutup dulu lalu buka aplikasi lagi."
        )
    return (
        "Data aplikasi ini sedang diperbarui oleh proses lain (misalnya impor yang dijalankan "
        "petugas). Tunggu sampai selesai, lalu buka aplikasi lagi."
    )


class AlreadyOpen(RuntimeError):
    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(already_open_message(path, holder))
        self.path = path
        self.holder = holder

    @property
    def plain(self) -> str:
        """What the window shows (``str(self)`` is the command line's sentence)."""
        return plain_already_open_message(self.holder)


class InstanceLock:
    """The single-writer lock of ``db_path``; ``purpose`` names the holder (``jendela``,
    ``perintah import``) in the message another process gets."""

    def __init__(self, db_path: Path, purpose: str = WINDOW) -> None:
        self.db_path = db_path
        self.purpose = purpose
        self.lock_path = db_path.with_name(db_path.name + ".lock")
        self._fh: IO[str] | None = None

    def acquire(self) -> InstanceLock:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.lock_path, "a+", encoding="utf-8")  # noqa: SIM115 - held open
        try:
            _lock(fh)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            raise AlreadyOpen(self.db_path, holder) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{self.purpose}, pid {os.getpid()} di {socket.gethostname()}")
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            try:
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
