"""One window per database file.

Two windows writing the same file would each show stale figures and overwrite the
other's edits; SQLite would keep the file consistent, but not the user's intent. The
lock is an OS file lock on ``<db>.lock``, released by the OS even when the app crashes.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import IO


class AlreadyOpen(RuntimeError):
    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(
            f"Basis data {path.name} sedang dibuka oleh jendela Monev RAD PUG lain"
            f"{' (' + holder + ')' if holder else ''}. Tutup jendela itu terlebih dahulu, "
            "atau buka berkas basis data lain dengan --db."
        )
        self.path = path
        self.holder = holder


class InstanceLock:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
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
        fh.write(f"pid {os.getpid()} di {socket.gethostname()}")
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
