"""A signed file never wipes what it does not mention (issue 11, item 2)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from app.models.schema import ArgAnswer, AuditEntry, ImportLog, Opd, PlanRow, Realisation, Target
from app.services import catalog, importer
from app.services.importer import ACCEPTED, REFUSED
from app.services.merge import AUDITED, Refused, check_scope, merge_content
from tests.services.submission_helpers import (
    OPD,
    YEAR,
    Pair,
    content_of,
    dump_bytes,
    forge,
    make_pair,
    submit,
)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def first(pair: Pair, tmp_path: Path) -> Path:
    path = submit(pair, tmp_path / "r1.xlsx")
    out = importer.import_file(pair.pokja, path, accept_new_key=True)
    assert out.outcome == ACCEPTED, out.reason
    return path


def _realisations(pair: Pair, opd: str = OPD) -> int:
    with pair.pokja.begin() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(Realisation)
                .join(PlanRow, PlanRow.id == Realisation.row_id)
                .join(Opd, Opd.id == PlanRow.opd_id)
                .where(Opd.code == opd, Realisation.year == YEAR)
            )
            or 0
        )


@pytest.mark.parametrize("keep", [1, 0])
def test_a_signed_file_listing_only_some_rows_is_refused(
    pair: Pair, first: Path, tmp_path: Path, keep: int
) -> None:
    held = _realisations(pair)
    assert held >= 5
    snapshot = dump_bytes(pair.pokja)
    c = content_of(pair.focal, revision=2)
    c["rows"] = [r for r in c["rows"] if r["realisations"]][:keep]
    missing = len(content_of(pair.focal)["rows"]) - keep
    out = importer.import_file(
        pair.pokja, forge(first, tmp_path / f"sebagian{keep}.xlsx", c, pair.key)
    )
    assert out.outcome == REFUSED
    assert f"{missing} baris {OPD} tidak ada di berkas" in out.reason
    assert "tidak terhapus" in out.reason
    assert _realisations(pair) == held
    assert dump_bytes(pair.pokja) == snapshot
    with pair.pokja.begin() as s:
        logged = s.scalars(select(ImportLog).order_by(ImportLog.id.desc())).first()
        assert logged is not None and logged.outcome == REFUSED


def test_a_file_listing_a_retired_row_is_refused_as_from_another_matrix(
    pair: Pair, first: Path, tmp_path: Path
) -> None:
    c = content_of(pair.focal, revision=2)
    retired = c["rows"][0]["key"]
    with pair.pokja.begin() as s:
        s.execute(update(PlanRow).where(PlanRow.key == retired).values(retired_at=datetime.now()))
    c["plan"]["data_version"] = "matriks-lama"
    out = importer.import_file(pair.pokja, forge(first, tmp_path / "lama.xlsx", c, pair.key))
    assert out.outcome == REFUSED
    assert f"1 baris di berkas sudah tidak aktif di rencana ini ('{retired}')" in out.reason
    assert "versi matriks 'matriks-lama'" in out.reason


def test_merge_never_deletes_a_row_the_content_does_not_list(pair: Pair, first: Path) -> None:
    held = _realisations(pair)
    c = content_of(pair.focal, revision=2)
    listed = [r for r in c["rows"] if r["realisations"]][:1]
    c["rows"] = [{**listed[0], "realisations": {}}]  # the one listed row is emptied
    c["arg"] = []
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        rows = {
            k: rid
            for rid, k in s.execute(
                select(PlanRow.id, PlanRow.key).where(PlanRow.key == listed[0]["key"])
            )
        }
        merge_content(s, c, plan, rows, {}, user="uji")
    # Only the listed row lost its realisations; every other row kept its own.
    assert _realisations(pair) == held - len(listed[0]["realisations"])
    with pair.pokja.begin() as s, pytest.raises(Refused, match="tidak ada di berkas"):
        check_scope(s, c)


def test_every_value_an_import_writes_is_audited_in_one_statement(
    pair: Pair, tmp_path: Path
) -> None:
    """One audit line per value the file sets, sent together: the ORM's bulk insert split
    a file's audit trail into a statement per run of lines with or without an old value
    (dozens per file, a good part of a province's import)."""
    c = content_of(pair.focal)
    expected = sorted(
        (r["key"], YEAR if sem == "0" else YEAR * 10 + int(sem), f, str(v[f]))
        for r in c["rows"]
        for sem, v in r["realisations"].items()
        for f in AUDITED
        if v[f] not in (None, "")
    )
    assert len(expected) > 20
    statements: list[str] = []

    def seen(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        if "audit_entry" in statement and statement.lstrip().upper().startswith("INSERT"):
            statements.append(statement)

    event.listen(pair.pokja.engine, "before_cursor_execute", seen)
    try:
        out = importer.import_file(
            pair.pokja, submit(pair, tmp_path / "r1.xlsx"), accept_new_key=True
        )
    finally:
        event.remove(pair.pokja.engine, "before_cursor_execute", seen)
    assert out.outcome == ACCEPTED, out.reason
    with pair.pokja.begin() as s:
        got = s.execute(
            select(
                AuditEntry.row_key,
                AuditEntry.year,
                AuditEntry.field,
                AuditEntry.old_value,
                AuditEntry.new_value,
            ).where(AuditEntry.action == "impor kiriman r1")
        ).all()
    assert all(old in (None, "") for _k, _y, _f, old, _n in got)
    written = sorted((k, y, f, new) for k, y, f, _old, new in got)
    # Numbers are audited in their stored form ("12.5000" may read "12.5").
    assert [(k, y, f) for k, y, f, _n in written] == [(k, y, f) for k, y, f, _v in expected]
    # The merge's lines at most once (none on PostgreSQL, which takes them by COPY), and
    # the line that records the file itself.
    assert len(statements) <= 2, statements


def test_a_reimport_reads_what_it_replaces_in_the_statement_that_deletes_it(
    pair: Pair, tmp_path: Path
) -> None:
    """The old values (for the audit trail) and versions come back from DELETE …
    RETURNING: no separate read of realisations or ARG answers per file."""
    first = forge(
        submit(pair, tmp_path / "dasar.xlsx"),
        tmp_path / "r1.xlsx",
        content_of(pair.focal),
        pair.key,
    )
    assert importer.import_file(pair.pokja, first, accept_new_key=True).outcome == ACCEPTED
    c = content_of(pair.focal, revision=2)
    row = next(r for r in c["rows"] if "0" in r["realisations"])
    old_note = row["realisations"]["0"]["note"]
    row["realisations"]["0"]["note"] = "catatan baru dari revisi 2"
    statements: list[str] = []

    def seen(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(pair.pokja.engine, "before_cursor_execute", seen)
    try:
        out = importer.import_file(pair.pokja, forge(first, tmp_path / "r2.xlsx", c, pair.key))
    finally:
        event.remove(pair.pokja.engine, "before_cursor_execute", seen)
    assert out.outcome == importer.SUPERSEDED, out.reason
    reads = [
        s
        for s in statements
        if s.startswith("SELECT") and ("FROM realisation" in s or "FROM arg_answer" in s)
    ]
    assert reads == []
    assert any(s.startswith("DELETE FROM realisation") and "RETURNING" in s for s in statements)
    assert any(s.startswith("DELETE FROM arg_answer") and "RETURNING" in s for s in statements)
    with pair.pokja.begin() as s:
        audited = s.execute(
            select(AuditEntry.old_value, AuditEntry.new_value).where(
                AuditEntry.row_key == row["key"],
                AuditEntry.field == "note",
                AuditEntry.action == "impor kiriman r2",
            )
        ).all()
        answers = s.scalars(select(ArgAnswer.version)).all()
    assert [tuple(a) for a in audited] == [(old_note, "catatan baru dari revisi 2")]
    assert answers and set(answers) == {2}


def test_the_next_file_is_verified_while_this_one_is_merged(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """import_files reads the following file on a second thread during a merge (which
    mostly waits for the database); both files are still verified and merged in order."""
    base = submit(pair, tmp_path / "dasar.xlsx")
    files = [
        forge(base, tmp_path / f"{code}.xlsx", content_of(pair.focal, code), pair.key)
        for code in (OPD, "OPD-002")
    ]
    second_read = threading.Event()
    merged: list[str] = []
    real_read, real_merge = importer.read_package, importer.merge_content

    def read(path: Path, *args: Any) -> Any:
        if path == files[1]:
            second_read.set()
        return real_read(path, *args)

    def merge(session: Any, c: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        if c["opd"]["code"] == OPD:  # the first file waits for the second one's reading
            assert second_read.wait(10), "the next file was not read during this merge"
        real_merge(session, c, *args, **kwargs)
        merged.append(c["opd"]["code"])

    monkeypatch.setattr(importer, "read_package", read)
    monkeypatch.setattr(importer, "merge_content", merge)
    outs = importer.import_files(
        pair.pokja, files, accept_keys={(OPD, pair.key.key_id)}, reassign_keys=set()
    )
    assert [o.outcome for o in outs] == [ACCEPTED, REFUSED]  # one key, one OPD
    assert merged == [OPD]


def test_an_import_moves_only_the_targets_whose_proposal_it_clears(
    pair: Pair, tmp_path: Path
) -> None:
    """A target without a proposal is not rewritten, so a form open on it stays current."""
    c = content_of(pair.focal)
    for r in c["rows"]:
        r["proposed_target"] = None
    first = forge(submit(pair, tmp_path / "dasar.xlsx"), tmp_path / "r1.xlsx", c, pair.key)
    with pair.pokja.begin() as s:
        keys = [r["key"] for r in c["rows"]]
        rows = dict(s.execute(select(PlanRow.key, PlanRow.id).where(PlanRow.key.in_(keys))).all())
        proposed_row = rows[keys[0]]
        s.execute(
            update(Target)
            .where(Target.row_id == proposed_row, Target.year == YEAR)
            .values(proposed=True, proposed_text="usulan Pokja", version=Target.version + 1)
        )
        versions = dict(
            s.execute(
                select(Target.row_id, Target.version).where(
                    Target.row_id.in_(list(rows.values())), Target.year == YEAR
                )
            ).all()
        )
    assert importer.import_file(pair.pokja, first, accept_new_key=True).outcome == ACCEPTED
    with pair.pokja.begin() as s:
        after = {
            t.row_id: t
            for t in s.scalars(
                select(Target).where(Target.row_id.in_(list(rows.values())), Target.year == YEAR)
            )
        }
    cleared = after[proposed_row]
    assert (cleared.proposed, cleared.proposed_text) == (False, None)
    assert cleared.version == versions[proposed_row] + 1
    assert {rid: t.version for rid, t in after.items() if rid != proposed_row} == {
        rid: v for rid, v in versions.items() if rid != proposed_row
    }
