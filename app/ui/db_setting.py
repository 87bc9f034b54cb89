"""Berkas → Basis data…: the local file or a PostgreSQL server, for the next start.

The choice is kept outside every database (app.services.connection) and takes effect
when the app is started again: the window never swaps its database under open dialogs
and an undo stack holding the old database's row ids. ``--db`` on the command line still
wins over it. A server is described by host, port, database and user; the password is
never part of the setting. "Uji sambungan" connects once in a thread, with a busy bar,
and reports the server's version or, in Indonesian, why it did not answer.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.models.db import Database, DatabaseError, PasswordRequired, ServerUnreachable
from app.paths import default_db_path
from app.services import connection
from app.ui.db_password import ask_password


def tr(text: str) -> str:
    return QCoreApplication.translate("DbSetting", text)


# What a test found, as the worker thread sends it: plain strings only, so no Python
# object made in that thread is released by Qt's event queue on the UI thread.
OK, PASSWORD_WANTED, PASSWORD_REFUSED, FAILED = "ok", "wanted", "refused", "failed"


class _Relay(QObject):
    """Brings a test's answer from its thread to the UI thread.

    One for the whole application and never deleted: a thread holding a dialog (its
    bound method or signal) could drop the dialog's last reference when it ends, and a
    widget deleted outside the UI thread crashes the app.
    """

    answered = Signal(int, str, str)  # ticket, OK/PASSWORD_*/FAILED, version or message


_RELAY: list[_Relay] = []
_tickets = itertools.count()


def _relay() -> _Relay:
    if not _RELAY:
        _RELAY.append(_Relay(QCoreApplication.instance()))
    return _RELAY[0]


def _probe(relay: _Relay, ticket: int, url: str) -> None:  # in the worker thread
    try:
        kind, text = OK, connection.server_version(url)
    except PasswordRequired as exc:
        kind, text = PASSWORD_WANTED, str(exc)
    except ServerUnreachable as exc:
        kind = PASSWORD_REFUSED if connection.password_rejected(exc) else FAILED
        text = str(exc)
    except DatabaseError as exc:
        kind, text = FAILED, str(exc)
    relay.answered.emit(ticket, kind, text)


class DatabaseSettingDialog(QDialog):
    """Choose the database of the next start; ``tested`` carries each test's outcome."""

    tested = Signal(str)  # the text shown under "Uji sambungan"

    def __init__(self, db: Database | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Basis data"))
        self.setMinimumWidth(560)  # the explanations read as sentences, not a column
        self.password: str | None = None  # typed or pasted this time: memory only
        self._keep_password = False
        self._keyring_tried: set[str] = set()
        self._testing = ""  # the URL (no password) of the test running
        self.worker: threading.Thread | None = None
        self._ticket = -1
        _relay().answered.connect(self._answered, Qt.ConnectionType.QueuedConnection)
        self._build(db)
        self._fill(db)

    # --- building --------------------------------------------------------------------------

    def _build(self, db: Database | None) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Pilih basis data yang dibuka aplikasi. Pilihan berlaku saat aplikasi "
                "<b>dibuka lagi</b>: simpan, tutup aplikasi, lalu jalankan kembali. "
                "Pilihan --db di baris perintah tetap didahulukan."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if db is not None:
            now = (
                tr("server {s}").replace("{s}", connection.server_label(db.url))
                if db.path is None
                else str(db.path)
            )
            current = QLabel(tr("Sekarang terbuka: {db}").replace("{db}", now))
            current.setObjectName("current")
            current.setWordWrap(True)
            layout.addWidget(current)

        self.kind = QButtonGroup(self)
        self.local = QRadioButton(tr("&Berkas lokal di komputer ini"))
        self.server = QRadioButton(tr("&Server PostgreSQL di jaringan kantor (Pokja)"))
        self.kind.addButton(self.local)
        self.kind.addButton(self.server)
        self.local.toggled.connect(self._kind_changed)

        layout.addWidget(self.local)
        self.file_box = QWidget()
        row = QHBoxLayout(self.file_box)
        row.setContentsMargins(24, 0, 0, 0)
        self.path = QLineEdit()
        self.path.setAccessibleName(tr("Berkas basis data"))
        browse = QPushButton(tr("&Pilih berkas…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addWidget(self.file_box)

        layout.addWidget(self.server)
        self.server_box = QGroupBox()
        form = QFormLayout(self.server_box)
        self.host = QLineEdit()
        self.host.setPlaceholderText(tr("mis. 10.20.1.5 (atau tempel URL postgresql+psycopg://…)"))
        self.host.editingFinished.connect(self._host_pasted)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(connection.DEFAULT_PORT)
        self.database = QLineEdit()
        self.user = QLineEdit()
        form.addRow(tr("&Alamat server:"), self.host)
        form.addRow(tr("P&ort:"), self.port)
        form.addRow(tr("&Nama basis data:"), self.database)
        form.addRow(tr("Pen&gguna:"), self.user)
        test_row = QHBoxLayout()
        self.test_button = QPushButton(tr("&Uji sambungan"))
        self.test_button.clicked.connect(self.test_connection)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: a connection either answers or not
        self.busy.setMaximumWidth(120)
        self.busy.setVisible(False)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.busy)
        test_row.addStretch(1)
        form.addRow(test_row)
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.outcome)
        note = QLabel(
            tr(
                "Kata sandi tidak disimpan di pengaturan ini. Aplikasi memakai PGPASSWORD "
                "atau ~/.pgpass (pgpass.conf di Windows), lalu keyring sistem, dan bila "
                "tidak ada, menanyakannya saat membuka."
            )
        )
        note.setWordWrap(True)
        note.setObjectName("password-note")
        form.addRow(note)
        layout.addWidget(self.server_box)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(tr("Simpan"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fill(self, db: Database | None) -> None:
        """The remembered choice (what the next start opens), else the open database."""
        target = connection.remembered_target()
        if target is None and db is not None:
            target = db.url if db.path is None else db.path
        self.path.setText(str(default_db_path()))
        if connection.is_url(target):
            with contextlib.suppress(ValueError):
                self._show_server(str(target), told=False)
                self.server.setChecked(True)
                return
        if target is not None:
            self.path.setText(str(target))
        self.local.setChecked(True)

    def _show_server(self, url: str, *, told: bool) -> None:
        setting, password = connection.parse_server(url)
        self.host.setText(setting.host)
        self.port.setValue(setting.port)
        self.database.setText(setting.database)
        self.user.setText(setting.user)
        if password and password != "***":  # "***": the open database's URL, shown hidden
            self.password = password
            if told:
                self._say(
                    tr(
                        "Kata sandi di URL itu dipakai untuk uji sambungan saja dan tidak "
                        "disimpan di pengaturan."
                    )
                )

    def _kind_changed(self) -> None:
        on_file = self.local.isChecked()
        self.file_box.setEnabled(on_file)
        self.server_box.setEnabled(not on_file)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            tr("Berkas basis data"),
            self.path.text(),
            tr("Basis data SQLite (*.sqlite)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if name:
            self.path.setText(name)

    def _host_pasted(self) -> None:
        """A URL pasted into the address field fills the four fields (password aside)."""
        text = self.host.text().strip()
        if not connection.is_url(text):
            return
        try:
            self._show_server(text, told=True)
        except ValueError as exc:
            self._say(str(exc))

    # --- the choice ----------------------------------------------------------------------------

    def server_setting(self) -> connection.ServerSetting | None:
        """The server described by the fields; ``None`` (after saying what is missing)."""
        missing = [
            label
            for label, field in (
                (tr("alamat server"), self.host),
                (tr("nama basis data"), self.database),
                (tr("pengguna"), self.user),
            )
            if not field.text().strip()
        ]
        if missing:
            self._say(tr("Isi dulu: {f}.").replace("{f}", ", ".join(missing)))
            return None
        return connection.ServerSetting(
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.user.text().strip(),
        )

    def target(self) -> Path | str | None:
        """What the next start opens: a file path or a server URL (never a password)."""
        if self.local.isChecked():
            text = self.path.text().strip()
            return Path(text) if text else None
        setting = self.server_setting()
        return None if setting is None else setting.url()

    def accept(self) -> None:
        if self.server.isChecked() and self.server_setting() is None:
            return
        connection.remember_target(self.target())
        parent = self.parent()
        if isinstance(parent, QMainWindow):
            parent.statusBar().showMessage(
                tr("Pilihan basis data disimpan; berlaku saat aplikasi dibuka lagi."), 10000
            )
        super().accept()

    # --- "Uji sambungan" ------------------------------------------------------------------------

    def test_connection(self) -> None:
        setting = self.server_setting()
        if setting is None or self.worker is not None:
            return
        self._start(setting.url())

    def _start(self, url: str) -> None:
        self.test_button.setEnabled(False)
        self.busy.setVisible(True)
        self.outcome.setText(tr("Menghubungi server…"))
        self._testing = url
        self._ticket = next(_tickets)
        # A daemon: a server that never answers must not hold the app's exit (libpq
        # gives up after connection.CONNECT_TIMEOUT seconds anyway). The thread holds
        # no reference to this dialog (see _Relay).
        self.worker = threading.Thread(
            target=_probe,
            args=(_relay(), self._ticket, connection.with_password(url, self.password)),
            name="db-test",
            daemon=True,
        )
        self.worker.start()

    def _answered(self, ticket: int, kind: str, text: str) -> None:
        if ticket != self._ticket:  # another dialog's test
            return
        self.worker = None
        self.busy.setVisible(False)
        self.test_button.setEnabled(True)
        url = self._testing
        if kind in (PASSWORD_WANTED, PASSWORD_REFUSED):
            if self._find_password(url, rejected=kind == PASSWORD_REFUSED):
                self._start(url)
            return
        if kind == FAILED:
            self._say(text)
            return
        if self._keep_password and self.password is not None:
            self._keep_password = False
            if not connection.keep_password(url, self.password):
                self._say(tr("Tersambung, tetapi keyring sistem tidak menerima kata sandi."))
                return
        self._say(tr("Tersambung: {v}.").replace("{v}", text))

    def _find_password(self, url: str, *, rejected: bool) -> bool:
        """The keyring's password (once per server), else the prompt's; ``True`` to retry."""
        if url not in self._keyring_tried:
            self._keyring_tried.add(url)
            kept = connection.keyring_password(url)
            if kept is not None:
                self.password = kept
                return True
        told = tr("Kata sandi ditolak server; periksa dan coba lagi.") if rejected else ""
        answer = ask_password(url, told, self)
        if answer is None:
            self._say(tr("Uji sambungan dibatalkan: kata sandi tidak diisi."))
            return False
        self.password, self._keep_password = answer.password, answer.keep
        return True

    def _say(self, text: str) -> None:
        self.outcome.setText(text)
        self.tested.emit(text)
