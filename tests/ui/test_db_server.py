"""The window on a PostgreSQL server: the password's order, an unreachable server said
plainly with the local file as a way out, and the window itself on a real server."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

from app.models.db import Database, PasswordRequired, ServerUnreachable
from app.services import connection
from app.ui import application, db_server
from app.ui.db_password import PasswordAnswer, PasswordDialog
from tests.services.fake_keyring import MemoryKeyring, memory_keyring, no_keyring
from tests.ui.conftest import POKJA

__all__ = ["memory_keyring", "no_keyring"]  # fixtures used below

URL = "postgresql+psycopg://monev@10.20.1.5:5432/monev"
UNREACHABLE = "postgresql+psycopg://monev@127.0.0.1:1/monev"


class FakeServer:
    """Stands in for ``open_seeded`` on a server that wants the password ``secret``."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.tried: list[str | None] = []
        self.db = object()

    def __call__(self, url: str) -> Database:
        password = connection.parse_server(url)[1]
        self.tried.append(password)
        if password is None:
            raise PasswordRequired("monev")
        if password != self.secret:
            cause = OperationalError("connect", {}, Exception("password authentication failed"))
            raise ServerUnreachable("kata sandi pengguna monev ditolak server") from cause
        return self.db  # type: ignore[return-value]


class Prompt:
    """Stands in for the password box: records the error it showed, answers in turn."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: PasswordAnswer | None) -> None:
        self.answers = list(answers)
        self.errors: list[str] = []
        monkeypatch.setattr(db_server, "ask_password", self)

    def __call__(self, url: str, error: str = "", parent: object = None) -> PasswordAnswer | None:
        assert connection.parse_server(url)[1] is None  # the box never sees a password
        self.errors.append(error)
        return self.answers.pop(0)


def test_the_keyring_password_is_used_when_the_server_asks_for_one(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    connection.keep_password(URL, "rahasia")
    prompt = Prompt(monkeypatch)
    server = FakeServer("rahasia")
    assert db_server.open_server(URL, opener=server) is server.db
    # PGPASSWORD/.pgpass first (no password given: libpq looks), then the keyring's.
    assert server.tried == [None, "rahasia"]
    assert prompt.errors == []  # nobody was asked


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_password_is_asked_and_never_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prompt = Prompt(monkeypatch, PasswordAnswer("rahasia", keep=False))
    server = FakeServer("rahasia")
    assert db_server.open_server(URL, opener=server) is server.db
    assert server.tried == [None, "rahasia"]
    assert prompt.errors == [""]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and b"rahasia" in p.read_bytes()]
    assert written == []


def test_a_password_the_server_turns_down_is_forgotten_and_asked_again(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    connection.keep_password(URL, "lama")  # changed on the server since
    prompt = Prompt(
        monkeypatch, PasswordAnswer("salah", keep=True), PasswordAnswer("baru", keep=True)
    )
    server = FakeServer("baru")
    assert db_server.open_server(URL, opener=server) is server.db
    assert server.tried == [None, "lama", "salah", "baru"]
    assert prompt.errors[0] and "ditolak" in prompt.errors[1]
    # Kept only once the server took it, in place of the one it refused.
    assert connection.keyring_password(URL) == "baru"


def test_cancelling_the_password_box_leaves_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    Prompt(monkeypatch, None)
    assert db_server.open_server(URL, opener=FakeServer("rahasia")) is None


def test_the_password_box_masks_and_offers_the_keyring_only_when_one_works(
    qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    dialog = PasswordDialog(URL)
    qtbot.addWidget(dialog)
    assert dialog.field.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.keep.isVisibleTo(dialog)
    assert "monev" in dialog.findChild(QLabel).text()  # type: ignore[union-attr]
    dialog.field.setText("rahasia")
    dialog.keep.setChecked(True)
    assert dialog.answer() == PasswordAnswer("rahasia", keep=True)


@pytest.mark.usefixtures("no_keyring")
def test_the_password_box_says_when_no_keyring_works(qtbot: QtBot) -> None:
    dialog = PasswordDialog(URL, "Kata sandi ditolak server")
    qtbot.addWidget(dialog)
    assert not dialog.keep.isVisibleTo(dialog)
    note = dialog.findChild(QLabel, "no-keyring")
    assert note is not None and "tidak tersedia" in note.text()
    assert dialog.error.isVisibleTo(dialog) and "ditolak" in dialog.error.text()
    dialog.field.setText("rahasia")
    dialog.keep.setChecked(True)  # hidden: cannot count
    assert dialog.answer() == PasswordAnswer("rahasia", keep=False)


def test_an_unreachable_server_is_said_plainly_with_retry_and_the_local_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[str, list[str]]] = []
    answers = [0, 1]  # "Coba lagi", then "Buka berkas lokal"

    def ask(parent: object, title: str, text: str, choices: list[str], **k: object) -> int:
        asked.append((text, choices))
        return answers.pop(0)

    monkeypatch.setattr(db_server.messages, "ask", ask)
    assert db_server.open_server(UNREACHABLE) is db_server.Fallback.LOCAL_FILE
    assert len(asked) == 2  # tried again once
    text, choices = asked[0]
    assert choices == ["Coba lagi", "Buka berkas lokal", "Keluar"]
    assert text.startswith("Server basis data tidak dapat dihubungi:")
    assert "hubungi pengelola server" in text and "Traceback" not in text


def test_a_url_that_is_no_server_offers_the_local_file(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        db_server.messages, "ask", lambda p, t, text, c, **k: asked.append(text) or 0
    )
    assert db_server.open_server("mysql://monev@10.20.1.5/monev") is db_server.Fallback.LOCAL_FILE
    assert "postgresql+psycopg://" in asked[0]


def test_leaving_at_an_unreachable_server_quits_and_the_local_file_opens_on_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.paths import default_db_path

    answers = [2, 1]  # "Keluar"; then, on the next start, "Buka berkas lokal"
    monkeypatch.setattr(db_server.messages, "ask", lambda *a, **k: answers.pop(0))
    opened: list[Path] = []
    monkeypatch.setattr(application, "open_interactive", lambda p: opened.append(p))
    assert application.run_gui(UNREACHABLE) == application.EXIT_FAIL
    assert opened == []
    connection.remember_target(UNREACHABLE)  # the setting, with no --db, does the same
    application.run_gui(None)
    assert opened == [default_db_path().resolve()]


def test_the_window_runs_on_a_server(
    server_url: str, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.__main__ import main
    from app.services import entry
    from app.services.database import open_seeded
    from app.services.profile import save_profile
    from app.ui.main_window import MainWindow
    from app.ui.open_check import OpenCheck
    from tests.ui.test_main_window import edit, first_row, type_into

    db = open_seeded(server_url)  # a Pokja colleague set the server up
    with db.begin() as s:
        save_profile(s, POKJA)
    db.dispose()
    seen: dict[str, object] = {}

    def in_the_window(app: QApplication) -> int:
        # Windows of earlier tests may linger, closed, in a whole-suite run: this one is
        # the shown window on the server's database.
        (window,) = [
            w
            for w in app.topLevelWidgets()
            if isinstance(w, MainWindow)
            and w.isVisible()
            and w.db.engine.url.database == make_url(server_url).database
        ]
        qtbot.waitExposed(window)
        label = connection.server_label(server_url)
        seen["title"] = window.windowTitle()
        note = window.statusBar().findChild(QLabel, "db-server")
        seen["bar"] = note.text() if note else ""
        seen["checked"] = window.db.checked and window.findChild(OpenCheck) is None
        seen["row"] = first_row(window)
        type_into(qtbot, edit(window, "real-total"), "37", Qt.Key.Key_Return)
        assert window.form is not None
        seen["saved"] = window.form.real_box.saved_label.text()
        window.close()
        assert label in str(seen["title"])
        return 0

    monkeypatch.setattr(QApplication, "exec", in_the_window)
    # No single-window lock: several Pokja members work on one server at once.
    monkeypatch.setattr(application, "acquire_lock", lambda *a: pytest.fail("locked"))
    assert main(["--db", server_url]) == 0
    label = connection.server_label(server_url)
    assert str(seen["title"]).endswith(f" — server {label}")
    assert seen["bar"] == f"Basis data server: {label}"
    assert seen["checked"]  # no integrity check or backup copy of a file on a server
    assert str(seen["saved"]).startswith("Tersimpan ")
    again = open_seeded(server_url)  # what another Pokja PC reads from the server
    try:
        with again.begin() as s:
            stored = entry.get_realisation(s, int(seen["row"]), POKJA.year)  # type: ignore[arg-type]
        assert stored is not None and stored.breakdown.total == Decimal(37)
    finally:
        again.dispose()


def test_a_server_database_a_newer_version_upgraded_is_said_plainly(
    server_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url)
    with engine.begin() as con:
        con.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        con.execute(text("INSERT INTO alembic_version VALUES ('0099_masa_depan')"))
    engine.dispose()
    asked: list[tuple[str, list[str]]] = []

    def ask(parent: object, title: str, text: str, choices: list[str], **k: object) -> int:
        asked.append((text, choices))
        return len(choices) - 1  # "Keluar"

    monkeypatch.setattr(db_server.messages, "ask", ask)
    assert db_server.open_server(server_url) is None
    ((text_, choices),) = asked
    assert "versi aplikasi yang lebih baru" in text_ and "Traceback" not in text_
    assert choices == ["Buka berkas lokal", "Keluar"]  # retrying would not help
    assert "0099_masa_depan" in capsys.readouterr().err  # the details, for the log


def test_a_first_run_on_a_server_does_not_restore_a_file_backup_into_it(
    server_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.ui.first_run import RestoreRequest

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(
        application, "first_run_profile", lambda db: RestoreRequest(tmp_path / "x.monevcadangan")
    )
    assert application.run_gui(server_url) == application.EXIT_FAIL
    assert "berkas lokal, bukan ke server" in told[0]
    monkeypatch.setattr(application, "first_run_profile", lambda db: None)  # left the first run
    assert application.run_gui(server_url) == application.EXIT_OK
