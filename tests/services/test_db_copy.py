"""Moving a Pokja database between engines, verified row by row (issue 14, item 3)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from app.models.db import HEAD_REVISION, open_database
from app.models.lock import AlreadyOpen, InstanceLock
from app.models.schema import ArgAnswer, AuditEntry, Base, Realisation, Setting, Submission
from app.services import db_copy, importer
from app.services.db_copy import (
    CopyMismatch,
    CopyRefused,
    canonical,
    copy_database,
    preview_copy,
    row_counts,
    verify,
)
from app.services.profile import Profile, save_profile
from tests.cli.test_locks import snapshot
from tests.services.submission_helpers import YEAR, make_pair, submit

# Its databases are SQLite files even on the suite's PostgreSQL run; the server side
# is an empty server database of the test (``server_url``).
pytestmark = pytest.mark.usefixtures("real_sqlite_files")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A Pokja database that has lived: a plan, an imported signed submission (its
    realisations, ARG answers, pinned key, import log) and the audit lines of it all."""
    folder = tmp_path_factory.mktemp("pokja")
    patch = pytest.MonkeyPatch()
    patch.setenv("MONEV_DATA_DIR", str(folder / "data"))
    try:
        pair = make_pair(folder)
        signed = submit(pair, folder / "kiriman.xlsx")
        assert importer.import_file(pair.pokja, signed, accept_new_key=True).outcome == (
            importer.ACCEPTED
        )
        with pair.pokja.begin() as s:
            save_profile(s, Profile("pokja", "Sari Dewi", "", None, YEAR))
        with pair.pokja.begin() as s:
            for model in (Realisation, Submission, ArgAnswer, AuditEntry, Setting):
                assert s.scalar(select(func.count()).select_from(model)), model
        pair.dispose()
        yield folder / "pokja.sqlite"
    finally:
        patch.undo()


@pytest.fixture
def source(seeded: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded database, so a test may change it."""
    path = tmp_path / "sumber.sqlite"
    shutil.copyfile(seeded, path)
    return path


def _counts(path: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return row_counts(conn)
    finally:
        engine.dispose()


def _rows(path: Path) -> list[str]:
    """SQLite's own dump of every table, keys included, independent of the digests. Sorted,
    because a table keyed by text keeps SQLite's hidden insertion order, which the copy
    (made in key order) need not repeat."""
    return sorted(snapshot(path).splitlines())


def _verify(a: Path | str, b: Path | str) -> list[db_copy.TableCheck]:
    first = create_engine(a if isinstance(a, str) else f"sqlite:///{a}")
    second = create_engine(b if isinstance(b, str) else f"sqlite:///{b}")
    try:
        with first.connect() as one, second.connect() as two:
            return verify(one, two)
    finally:
        first.dispose()
        second.dispose()


def test_round_trip_copies_every_row_and_verifies(source: Path, tmp_path: Path) -> None:
    middle, back = tmp_path / "tengah.sqlite", tmp_path / "kembali.sqlite"
    report = copy_database(source, middle)
    assert [t.name for t in report.tables] == [t.name for t in Base.metadata.sorted_tables]
    assert all(t.matches for t in report.tables)
    assert report.rows == sum(_counts(source).values()) > 500
    assert "realisation: 20 baris, cocok" in [t.line() for t in report.tables]
    copy_database(middle, back)
    assert _rows(back) == _rows(source)


def test_a_changed_cell_or_a_missing_row_is_found(source: Path, tmp_path: Path) -> None:
    copied = tmp_path / "salinan.sqlite"
    copy_database(source, copied)
    assert all(c.matches for c in _verify(source, copied))
    con = sqlite3.connect(copied)
    with con:
        con.execute(
            "UPDATE realisation SET note = note || '.' WHERE id = (SELECT MIN(id) FROM realisation)"
        )
    con.close()
    checks = _verify(source, copied)
    assert [c.name for c in checks if not c.matches] == ["realisation"]
    (bad,) = [c for c in checks if not c.matches]
    assert bad.source_rows == bad.target_rows == 20
    assert bad.line() == "realisation: sumber 20 baris, tujuan 20 baris, TIDAK COCOK"
    con = sqlite3.connect(copied)
    with con:
        con.execute("DELETE FROM audit_entry WHERE id = (SELECT MAX(id) FROM audit_entry)")
    con.close()
    assert {c.name for c in _verify(source, copied) if not c.matches} == {
        "realisation",
        "audit_entry",
    }


def _spoil_one_realisation(monkeypatch: pytest.MonkeyPatch) -> None:
    real = db_copy._insert_batch

    def spoiled(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        if table.name == "realisation":
            rows[0]["evidence"] = "bukan dari sumber"
        real(conn, table, rows)

    monkeypatch.setattr(db_copy, "_insert_batch", spoiled)


def test_a_copy_that_does_not_match_is_rolled_back(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _spoil_one_realisation(monkeypatch)
    new = tmp_path / "baru.sqlite"
    with pytest.raises(CopyMismatch, match="realisation") as caught:
        copy_database(source, new)
    assert "dibatalkan" in str(caught.value)
    assert [c.name for c in caught.value.checks if not c.matches] == ["realisation"]
    assert not new.exists()  # a file the copy made is taken away again
    empty = tmp_path / "kosong.sqlite"
    open_database(empty).dispose()  # made by someone else: stays, without rows
    with pytest.raises(CopyMismatch):
        copy_database(source, empty)
    assert empty.exists() and not any(_counts(empty).values())


def test_a_target_with_rows_is_refused_and_left_alone(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "berisi.sqlite"
    copy_database(source, target)
    before = snapshot(target)
    with pytest.raises(CopyRefused, match="sudah berisi data") as caught:
        copy_database(source, target)
    assert "audit_entry 126 baris" in str(caught.value)
    assert snapshot(target) == before
    assert preview_copy(source, target).problem == str(caught.value)


def test_a_source_of_a_newer_app_is_refused(source: Path, tmp_path: Path) -> None:
    con = sqlite3.connect(source)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0099_masa_depan'")
    con.close()
    before = snapshot(source)
    target = tmp_path / "tujuan.sqlite"
    with pytest.raises(CopyRefused, match="lebih baru") as caught:
        copy_database(source, target)
    assert "0099_masa_depan" in str(caught.value) and HEAD_REVISION in str(caught.value)
    assert not target.exists()
    assert snapshot(source) == before
    assert preview_copy(source, target).problem == str(caught.value)


def test_a_parent_after_its_child_in_key_order_is_copied(source: Path, tmp_path: Path) -> None:
    # A node added later (higher id) that became the parent of an older node: inserting in
    # key order meets the child first, and the foreign key must not stop the copy.
    con = sqlite3.connect(source)
    with con:
        top = con.execute("SELECT MAX(id) + 1, MIN(id) FROM plan_node").fetchone()
        con.execute(
            "INSERT INTO plan_node (id, plan_id, parent_id, opd_id, level, key, code, name, "
            "position) SELECT ?, plan_id, NULL, NULL, level, 'baru-induk', NULL, 'Induk baru', 0 "
            "FROM plan_node WHERE id = ?",
            top,
        )
        con.execute("UPDATE plan_node SET parent_id = ? WHERE id = ?", top)
    con.close()
    target = tmp_path / "tujuan.sqlite"
    copy_database(source, target)
    assert _rows(target) == _rows(source)


def test_a_file_held_by_a_window_is_not_copied(source: Path, tmp_path: Path) -> None:
    lock = InstanceLock(source).acquire()
    try:
        with pytest.raises(AlreadyOpen):
            copy_database(source, tmp_path / "tujuan.sqlite")
    finally:
        lock.release()
    assert not (tmp_path / "tujuan.sqlite").exists()


def test_same_or_missing_source_is_refused(source: Path, tmp_path: Path) -> None:
    with pytest.raises(CopyRefused, match="sama"):
        copy_database(source, f"sqlite:///{source}")
    missing = tmp_path / "tidak-ada.sqlite"
    with pytest.raises(CopyRefused, match="tidak ditemukan"):
        copy_database(missing, tmp_path / "tujuan.sqlite")
    assert not missing.exists() and not (tmp_path / "tujuan.sqlite").exists()


def test_progress_is_told_per_batch(source: Path, tmp_path: Path) -> None:
    seen: list[tuple[str, str, int, int]] = []
    copy_database(source, tmp_path / "t.sqlite", batch=50, progress=lambda *a: seen.append(a))
    told = [s for s in seen if s[1] == "target"]
    copying = [(db_copy.COPYING, "target", n, 180) for n in (50, 100, 150, 180)]
    # Read back on both ends: the source's 180 rows, then the copy's.
    checking = [(db_copy.CHECKING, "target", n, 360) for n in (50, 100, 150, 180)]
    checking += [(db_copy.CHECKING, "target", 180 + n, 360) for n in (50, 100, 150, 180)]
    assert told == copying + checking


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (Decimal("52.0000"), 52.0),
        (Decimal("52"), Decimal("52.00")),
        (Decimal("0.0000"), 0),
        (True, 1),
        (False, 0),
        (datetime(2024, 1, 10, 2, 0, tzinfo=UTC), datetime(2024, 1, 10, 2, 0)),
        (
            datetime(2024, 1, 10, 9, 0, tzinfo=timezone(timedelta(hours=7))),
            datetime(2024, 1, 10, 2, 0),
        ),
        (memoryview(b"\x00\xff"), b"\x00\xff"),
    ],
)
def test_one_value_from_two_engines_is_one_canonical_text(one: Any, other: Any) -> None:
    assert canonical(one) == canonical(other)


def test_different_values_stay_different() -> None:
    assert canonical(Decimal("0.12345")) != canonical(Decimal("0.1235"))
    assert canonical(1, boolean=True) == "1" and canonical(0) == "0"
    assert canonical(None) is None and canonical("") == ""


def test_sqlite_to_postgresql_and_back(source: Path, tmp_path: Path, server_url: str) -> None:
    """Runs on the suite's PostgreSQL run (--pg-url), into an empty database of its own."""
    PG_URL = server_url
    server = create_engine(PG_URL)
    with server.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    server.dispose()
    there = copy_database(source, PG_URL)
    assert all(t.matches for t in there.tables) and there.rows > 500
    assert "audit_entry" in there.sequences_reset
    back = tmp_path / "kembali.sqlite"
    home = copy_database(PG_URL, back)
    assert [t.source_digest for t in home.tables] == [t.source_digest for t in there.tables]
    assert _rows(back) == _rows(source)
    # The server's keys go on after the copied ones: a new audit line does not collide.
    db = open_database(PG_URL)
    try:
        with db.begin() as s:
            s.add(AuditEntry(at=datetime(2026, 1, 1), user="uji", action="uji"))
        with db.begin() as s:
            newest = s.scalar(select(func.max(AuditEntry.id)))
        con = sqlite3.connect(source)
        assert newest == con.execute("SELECT MAX(id) FROM audit_entry").fetchone()[0] + 1
        con.close()
    finally:
        db.dispose()


def test_a_password_in_a_url_is_never_printed(tmp_path: Path) -> None:
    server = db_copy.location("postgresql+psycopg://monev:rahasia@10.0.0.5:5432/monev")
    assert server.path is None and "rahasia" not in server.label
    assert server.label == "postgresql+psycopg://monev:***@10.0.0.5:5432/monev"
    assert db_copy.location(f"sqlite:///{tmp_path}/a.sqlite").path == tmp_path / "a.sqlite"
    assert db_copy.location(str(tmp_path / "a.sqlite")).label == str(tmp_path / "a.sqlite")


def test_a_server_that_cannot_be_reached_is_refused_plainly(source: Path) -> None:
    pytest.importorskip("psycopg")
    url = "postgresql+psycopg://monev:rahasia@127.0.0.1:1/monev"  # nothing listens on port 1
    with pytest.raises(CopyRefused, match="Tidak dapat terhubung") as caught:
        copy_database(source, url)
    assert "rahasia" not in str(caught.value) and "monev:***@" in str(caught.value)
    with pytest.raises(CopyRefused, match="Tidak dapat terhubung"):
        preview_copy(source, url)


def test_an_unknown_kind_of_database_is_refused(source: Path) -> None:
    with pytest.raises(CopyRefused, match="tidak dikenal atau pengandarnya belum terpasang"):
        copy_database(source, "mysql+tidakada://monev@server/monev")
    with pytest.raises(CopyRefused, match="Bukan jalur berkas atau URL"):
        preview_copy(source, "::rusak://x")
