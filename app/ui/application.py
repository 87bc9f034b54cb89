"""Starting the window: one instance per database, damaged files, restores, first run.

Each step that can go wrong is a small function that explains the problem in a box
and returns ``None``, so ``run_gui`` reads as the order of events and tests can drive
each step with the boxes patched. A restore chosen from the menu closes the window;
``run_gui`` then restores and opens a new window on the restored file, all under the
one single-writer lock taken at start. A server URL (``--db`` or the remembered
setting, app.services.connection) takes the shorter way of :func:`run_server_window`.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError

from app import __version__
from app.models.db import (
    Database,
    DatabaseDamaged,
    DatabaseError,
    integrity_problem,
    list_backups,
)
from app.models.lock import AlreadyOpen, InstanceLock
from app.paths import default_db_path
from app.services import connection
from app.services.database import open_seeded
from app.services.profile import Profile, load_profile
from app.services.region import shipped_organisation
from app.ui import messages

# The first-run dialog and restoring load only when needed: neither is on the way to the
# window of a profile already set up, and restoring brings the backup file format with
# its signing keys (cryptography) and XML parser (issue 14: first paint <= 1.0 s).
if TYPE_CHECKING:
    from app.ui.first_run import RestoreRequest

EXIT_OK, EXIT_FAIL = 0, 1
TITLE = "Monev RAD PUG"


def tr(text: str) -> str:
    return QCoreApplication.translate("Application", text)


def make_application() -> QApplication:
    """The one QApplication, named so QSettings has a home per user."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setStyle("Fusion")  # same look on every Windows version offices run
    # From the shipped region profile, so QSettings keeps the home it always had.
    organisation, domain = shipped_organisation()
    app.setOrganizationName(organisation)
    app.setOrganizationDomain(domain)
    app.setApplicationName("Monev RAD PUG")
    app.setApplicationVersion(__version__)
    return app


def acquire_lock(path: Path, parent: QWidget | None = None) -> InstanceLock | None:
    """The instance lock of ``path``, or ``None`` (after saying why) if another window has it."""
    try:
        return InstanceLock(path).acquire()
    except AlreadyOpen as exc:
        # The pid and host are for logs; the person is told what to do.
        print(str(exc), file=sys.stderr)
        QMessageBox.critical(parent, tr("Sudah terbuka"), exc.plain)
        return None


def newest_good_backup(backups: list[Path]) -> Path | None:
    """The newest backup SQLite's integrity check accepts (backups come newest first)."""
    for backup in backups:
        if integrity_problem(backup) is None:
            return backup
    return None


def open_interactive(path: Path, parent: QWidget | None = None) -> Database | None:
    """Open the database; on damage offer the newest good backup; ``None`` to quit."""
    try:
        return open_seeded(path, backup_on_open=True, defer_check=True)
    except DatabaseDamaged as exc:
        return offer_restore(path, exc, parent)
    except DatabaseError as exc:
        QMessageBox.critical(parent, tr("Basis data tidak dapat dibuka"), str(exc))
        return None


def offer_restore(
    path: Path, exc: DatabaseDamaged, parent: QWidget | None = None
) -> Database | None:
    """Offer the newest good backup of a damaged ``path``; the restored database or ``None``."""
    backup = newest_good_backup(exc.backups)
    if backup is None:
        QMessageBox.critical(parent, tr("Basis data rusak"), str(exc))
        return None
    from app.services.restore import restore_preview

    # Before anything is replaced: what the backup lacks, and where this file goes.
    loss = restore_preview(path, backup).text()
    choice = messages.ask(
        parent,
        tr("Basis data rusak"),
        tr("{problem}\n\n{loss}\n\nPulihkan dari cadangan itu?")
        .replace("{problem}", str(exc))
        .replace("{loss}", loss),
        [tr("Pulihkan dari cadangan"), tr("Keluar")],
        icon=QMessageBox.Icon.Critical,
        default=1,
    )
    if choice != 0:
        return None
    return restore_and_open(path, backup, parent)


def restore_and_open(path: Path, backup: Path, parent: QWidget | None = None) -> Database | None:
    """Put ``backup`` in place (nothing may hold ``path`` open) and open the result.

    The replaced file is kept beside the database; the box says where.
    """
    from app.services.restore import restore

    try:
        aside = restore(path, backup)
        db = open_seeded(path, backup_on_open=True, defer_check=True)
    except DatabaseError as exc:
        QMessageBox.critical(parent, tr("Gagal memulihkan"), str(exc))
        return None
    kept = (
        tr("\nBerkas yang diganti disimpan sebagai {aside}.").replace("{aside}", str(aside))
        if aside
        else ""
    )
    QMessageBox.information(
        parent,
        tr("Cadangan dipulihkan"),
        tr("Basis data dipulihkan dari {name}.").replace("{name}", backup.name) + kept,
    )
    return db


def ensure_profile(db: Database) -> Profile | RestoreRequest | None:
    """The stored profile, or the first-run dialog's answer (``None``: the user left).

    A :class:`RestoreRequest` when the user chose to bring the old PC's backup file:
    that file has its own profile and key, so no key is offered here.
    """
    with db.begin() as s:
        profile = load_profile(s)
    if profile is not None:
        return profile
    answer = first_run_profile(db)
    if isinstance(answer, Profile):
        offer_key()
    return answer


def first_run_profile(db: Database) -> Profile | RestoreRequest | None:
    """The first-run dialog's answer (app.ui.first_run, loaded only on a first run)."""
    from app.ui.first_run import first_run_profile as ask

    return ask(db)


def offer_key(folder: Path | None = None) -> None:
    """First run: create the signing key now (it can also be done later from the menu)."""
    from app.formats import keys
    from app.ui.key_dialog import KeyDialog

    if keys.stored_key_id(folder) is None:
        KeyDialog(folder, first_run=True).exec()


def resume_collector() -> None:
    """Resume the cycle collector that ``python -m app`` paused while the window's code
    was imported: frozen first, as what imports make (modules, classes, the schema's
    mappers) lives as long as the program, so no later collection scans it again (a
    full one scans ~150,000 objects, 0.1 s). The database is opened after this, so the
    garbage a first run's seeding leaves is collected as usual, not frozen with them.
    A collector that was never paused (tests, a window opened from a command) is left
    as it is.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _found_damage(db: Database) -> DatabaseDamaged | None:
    """After a read failed on a file only cheaply checked: the full check's verdict."""
    if db.checked or db.path is None:
        return None
    problem = integrity_problem(db.path)
    return DatabaseDamaged(db.path, problem, list_backups(db.path)) if problem else None


def run_gui(db_path: Path | str | None) -> int:
    """``python -m app``: the window on ``db_path`` (a file or a server URL), else on the
    database chosen in the window for the next start, else the user's data folder's file."""
    app = make_application()
    target = connection.window_target(db_path)
    if connection.is_url(target):
        from app.ui.db_server import Fallback, open_server

        resume_collector()  # before a server database is opened (and perhaps seeded)
        opened = open_server(str(target))
        if opened is None:
            return EXIT_FAIL
        if isinstance(opened, Database):
            return run_server_window(app, opened)
        assert opened is Fallback.LOCAL_FILE
        target = None  # the user chose the file on this PC
    path = Path(target or default_db_path()).expanduser().resolve()
    lock = acquire_lock(path)
    if lock is None:
        return EXIT_FAIL
    db: Database | None = None
    try:
        from app.ui.main_window import MainWindow  # after the lock: faster refusal
        from app.ui.open_check import check_after_first_paint

        resume_collector()  # all the window's code is in
        db = open_interactive(path)
        if db is None:
            return EXIT_FAIL

        while True:
            profile = ensure_profile(db)
            if profile is None:
                return EXIT_OK  # first run cancelled: nothing to do, nothing wrong
            if not isinstance(profile, Profile):  # a RestoreRequest
                # A new PC given the old one's backup: swap the fresh file for it (still
                # under the lock), then start again on what it holds.
                db.dispose()
                db = restore_and_open(path, profile.file)
                if db is None:
                    return EXIT_FAIL
                continue
            try:
                window = MainWindow(db, profile, paint_first=True)
            except SQLAlchemyDatabaseError:
                # Only the cheap check ran before the window: a damaged page it read
                # is damage the full check would have refused. Say so and offer restore.
                damage = _found_damage(db)
                if damage is None:
                    raise
                db.dispose()
                db = offer_restore(path, damage)
                if db is None:
                    return EXIT_FAIL
                continue
            # The full damage check and the day's backup read the whole file: after the
            # first paint, in a thread (app.ui.open_check).
            check_after_first_paint(window)
            window.show()
            code = app.exec()
            from app.ui.restore_dialog import requested_restore  # (closed: no hurry)

            backup = requested_restore(window)
            window.deleteLater()
            if backup is None:
                return code
            # The window is closed and no widget holds the old file: swap it, reopen.
            db.dispose()
            db = restore_and_open(path, backup)
            if db is None:
                return EXIT_FAIL
    finally:
        if db is not None:
            db.dispose()
        lock.release()


def run_server_window(app: QApplication, db: Database) -> int:
    """The window on a server database ``db`` (opened): no lock, no deferred file check."""
    from app.ui.db_server import show_server
    from app.ui.main_window import MainWindow

    try:
        profile = ensure_profile(db)
        if profile is None:
            return EXIT_OK
        if not isinstance(profile, Profile):  # a RestoreRequest
            # A one-file backup is a SQLite file's: it is restored on a PC, not a server.
            QMessageBox.information(
                None,
                tr("Pulihkan dari cadangan"),
                tr(
                    "Berkas cadangan dipulihkan ke berkas lokal, bukan ke server. Pilih "
                    "berkas lokal di Berkas → Basis data…, buka ulang aplikasi, lalu "
                    "pulihkan; pindahkan ke server dengan perintah db copy."
                ),
            )
            return EXIT_FAIL
        window = MainWindow(db, profile)
        show_server(window)
        window.show()
        code = app.exec()
        window.deleteLater()
        return code
    finally:
        db.dispose()
