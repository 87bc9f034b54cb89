"""Opening the window's database on a PostgreSQL server, and saying that it is one.

A server needs what a file does not: a password (PGPASSWORD or ~/.pgpass first, which
the client library reads by itself, then the OS keyring, then a prompt) and an answer
for a server that is down or out of reach, which is said in plain words with the choice
to open the local file instead. A server has no single-window lock and no deferred
integrity check or backup copy: those guard one file on one PC; on a server they are
the server's own business (transactions, ``pg_dump``).
"""

from __future__ import annotations

import enum
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from app.models.db import Database, DatabaseError, PasswordRequired, ServerUnreachable
from app.services import connection
from app.services.database import open_seeded
from app.ui import messages
from app.ui.db_password import ask_password

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("DbServer", text)


class Fallback(enum.Enum):
    """What the user chose instead of a server that did not open."""

    LOCAL_FILE = "local"  # open the file on this PC (what ``open_server`` returns)
    RETRY = "retry"  # try the server again (only between the box and ``open_server``)


@contextmanager
def _busy() -> Iterator[None]:
    # The first open of an empty server database loads the official matrix (seconds).
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def open_server(
    url: str,
    parent: QWidget | None = None,
    *,
    opener: Callable[[str], Database] = open_seeded,
) -> Database | Fallback | None:
    """The server database of ``url`` opened (migrated, seeded), ``Fallback.LOCAL_FILE``
    when the user would rather open the local file, or ``None`` to quit."""
    try:
        password = connection.parse_server(url)[1]
    except ValueError as exc:  # e.g. a setting edited by hand: the local file still opens
        return _unreachable(str(exc), parent, retry=False)
    base = connection.without_password(url)[0]
    tried_keyring = from_keyring = keep = False
    while True:
        try:
            with _busy():
                db = opener(connection.with_password(base, password))
        except ServerUnreachable as exc:
            rejected = connection.password_rejected(exc)
            if not isinstance(exc, PasswordRequired) and not rejected:
                choice = _unreachable(str(exc), parent, retry=True)
                if choice is Fallback.RETRY:
                    continue
                return choice
            if rejected and from_keyring:
                connection.forget_password(base)  # changed on the server since
            if not tried_keyring:
                tried_keyring = True
                kept = connection.keyring_password(base)
                if kept is not None:
                    password, from_keyring = kept, True
                    continue
            error = tr("Kata sandi ditolak server; periksa dan coba lagi.") if rejected else ""
            answer = ask_password(base, error, parent)
            if answer is None:
                return None
            password, keep, from_keyring = answer.password, answer.keep, False
        except Exception as exc:
            # No driver in this bundle, a database a newer version upgraded (Alembic does
            # not know its revision), a role that may not create the tables: nothing to
            # retry, but the local file still opens. The details go to the log.
            traceback.print_exc(file=sys.stderr)
            return _unreachable(_plain(exc), parent, retry=False)
        else:
            if keep and password is not None:
                connection.keep_password(base, password)
            return db


def _unreachable(text: str, parent: QWidget | None, *, retry: bool) -> Fallback | None:
    """Say why the server did not open: ``Fallback.RETRY`` (offered when ``retry``),
    ``Fallback.LOCAL_FILE``, or ``None`` to quit."""
    advice = tr(
        "Periksa sambungan jaringan kantor dan alamat server (Berkas → Basis data…), atau "
        "hubungi pengelola server. Anda juga dapat membuka berkas lokal di komputer ini."
    )
    choices = ([tr("Coba lagi")] if retry else []) + [tr("Buka berkas lokal"), tr("Keluar")]
    choice = messages.ask(
        parent,
        tr("Server basis data"),
        f"{text}\n\n{advice}",
        choices,
        icon=QMessageBox.Icon.Warning,
        default=0,
    )
    answers = [*([Fallback.RETRY] if retry else []), Fallback.LOCAL_FILE, None]
    return answers[choice]


def _plain(exc: Exception) -> str:
    """Our own messages as they are; a driver's, first line only, after a plain lead."""
    if isinstance(exc, DatabaseError):
        return str(exc)
    if "Can't locate revision" in str(exc):
        return tr(
            "Basis data di server sudah diperbarui oleh versi aplikasi yang lebih baru. "
            "Perbarui aplikasi di PC ini dulu."
        )
    orig = getattr(exc, "orig", None) or exc
    first = next((ln.strip() for ln in str(orig).splitlines() if ln.strip()), type(exc).__name__)
    return tr("Basis data di server tidak dapat disiapkan: {e}").replace("{e}", first)


def show_server(window: MainWindow) -> None:
    """Name the server in the title and, for as long as the window is open, the bar."""
    label = connection.server_label(window.db.url)
    window.title_suffix = " — " + tr("server {s}").replace("{s}", label)
    window.setWindowTitle(window.windowTitle() + window.title_suffix)
    note = QLabel(tr("Basis data server: {s}").replace("{s}", label))
    note.setObjectName("db-server")
    window.statusBar().addPermanentWidget(note)
