"""Sender clocks are not trusted; Pokja may replace anyway, logged (issue 11, item 4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.models.schema import AuditEntry, ImportLog, PlanRow, Realisation, Submission
from app.services import importer
from app.services.importer import ACCEPTED, DUPLICATE, OUTDATED, REFUSED, SUPERSEDED
from tests.services.submission_helpers import (
    OPD,
    Pair,
    content_of,
    dump_bytes,
    forge,
    make_pair,
    submit,
)

SID = "00000000-0000-4000-8000-000000000001"
OTHER_SID = "00000000-0000-4000-8000-0000000000aa"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def base(pair: Pair, tmp_path: Path) -> Path:
    """A genuine signed file (visible sheets for forged ones), not imported."""
    return submit(pair, tmp_path / "asli.xlsx")


def _file(pair: Pair, base: Path, name: str, **changes: object) -> Path:
    c = content_of(pair.focal, sid=SID)
    c.update(changes)
    return forge(base, base.parent / name, c, pair.key)


def _current(pair: Pair) -> tuple[str, int]:
    with pair.pokja.begin() as s:
        sub = s.scalars(select(Submission).where(Submission.current.is_(True))).one()
        return sub.submission_id, sub.revision


def test_a_file_dated_in_the_future_is_refused_and_later_files_still_win(
    pair: Pair, base: Path
) -> None:
    future = _file(pair, base, "2099.xlsx", created_at="2099-12-31T00:00:00", revision=1)
    out = importer.import_file(pair.pokja, future, accept_new_key=True)
    assert out.outcome == REFUSED
    assert "2099-12-31T00:00:00 (created_at)" in out.reason and "jam" in out.reason
    # Replacing anyway does not make a wrong clock right.
    forced = importer.import_file(pair.pokja, future, accept_new_key=True, replace_anyway="uji")
    assert forced.outcome == REFUSED
    genuine = _file(pair, base, "asli-r1.xlsx", created_at="2024-01-10T09:00:00")
    assert importer.import_file(pair.pokja, genuine, accept_new_key=True).outcome == ACCEPTED


def test_a_future_stamp_inside_the_content_is_refused(pair: Pair, base: Path) -> None:
    c = content_of(pair.focal, sid=SID)
    row = next(r for r in c["rows"] if "0" in r["realisations"])
    row["realisations"]["0"]["updated_at"] = "2099-01-01T00:00:00"
    out = importer.import_file(
        pair.pokja, forge(base, base.parent / "isi.xlsx", c, pair.key), accept_new_key=True
    )
    assert out.outcome == REFUSED
    assert f"baris {row['key']} semester 0" in out.reason


def test_a_revision_jump_is_refused_and_the_next_genuine_revision_wins(
    pair: Pair, base: Path
) -> None:
    r1 = _file(pair, base, "r1.xlsx", revision=1)
    assert importer.import_file(pair.pokja, r1, accept_new_key=True).outcome == ACCEPTED
    snapshot = dump_bytes(pair.pokja)
    huge = _file(pair, base, "r1000000.xlsx", revision=1_000_000)
    out = importer.import_file(pair.pokja, huge)
    assert out.outcome == REFUSED and "melompat lebih dari 100" in out.reason
    assert "'Ganti paksa…'" in out.reason and "--" not in out.reason
    assert out.action == "replace-anyway"
    assert dump_bytes(pair.pokja) == snapshot
    r2 = _file(pair, base, "r2.xlsx", revision=2)
    assert importer.import_file(pair.pokja, r2).outcome == SUPERSEDED
    assert _current(pair) == (SID, 2)


def test_created_at_is_compared_as_an_instant_not_as_text(pair: Pair, base: Path) -> None:
    held = _file(pair, base, "wib.xlsx", created_at="2024-01-10T09:00:00+07:00")
    assert importer.import_file(pair.pokja, held, accept_new_key=True).outcome == ACCEPTED
    # A reinstalled app (another id) exporting at 10:00 WIB, written in UTC: later.
    c = content_of(pair.focal, sid=OTHER_SID)
    c["created_at"] = "2024-01-10T03:00:00+00:00"
    later = forge(base, base.parent / "utc.xlsx", c, pair.key)
    out = importer.import_file(pair.pokja, later)
    assert out.outcome == SUPERSEDED, out.reason
    c["created_at"], c["submission_id"] = "2024-01-10T01:00:00+00:00", SID[:-1] + "b"
    earlier = forge(base, base.parent / "utc-lama.xlsx", c, pair.key)
    assert importer.import_file(pair.pokja, earlier).outcome == OUTDATED


def test_a_future_date_held_from_before_never_blocks_genuine_files(pair: Pair, base: Path) -> None:
    # A database that took a 2099 file before this rule existed.
    first = _file(pair, base, "r1.xlsx")
    assert importer.import_file(pair.pokja, first, accept_new_key=True).outcome == ACCEPTED
    with pair.pokja.begin() as s:
        s.execute(update(Submission).values(created_at="2099-12-31T00:00:00"))
    c = content_of(pair.focal, sid=OTHER_SID)
    out = importer.import_file(pair.pokja, forge(base, base.parent / "baru.xlsx", c, pair.key))
    assert out.outcome == SUPERSEDED, out.reason


def test_replace_anyway_takes_an_older_revision_and_logs_the_reason(pair: Pair, base: Path) -> None:
    r1 = _file(pair, base, "r1.xlsx", revision=1)
    r2 = _file(pair, base, "r2.xlsx", revision=2)
    assert importer.import_file(pair.pokja, r1, accept_new_key=True).outcome == ACCEPTED
    assert importer.import_file(pair.pokja, r2).outcome == SUPERSEDED
    assert importer.import_file(pair.pokja, r1).outcome == DUPLICATE
    why = "OPD meminta revisi 1 dipakai kembali (surat 12/2024)"
    out = importer.import_file(pair.pokja, r1, replace_anyway=why, user="Pokja Uji")
    assert out.outcome == SUPERSEDED and "Diganti paksa" in out.reason and why in out.reason
    assert _current(pair) == (SID, 1)
    with pair.pokja.begin() as s:
        log = s.scalars(select(ImportLog).order_by(ImportLog.id.desc())).first()
        assert log is not None and why in log.reason
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "ganti-paksa")).one()
        assert audit.user == "Pokja Uji" and why in (audit.new_value or "")
    # A blank reason is no reason; an equal revision is replaced anyway too.
    assert importer.import_file(pair.pokja, r2, replace_anyway="  ").outcome == DUPLICATE
    r1_again = _file(pair, base, "r1-lagi.xlsx", revision=1, created_at="2024-01-11T00:00:00")
    assert importer.import_file(pair.pokja, r1_again).outcome == OUTDATED
    assert importer.import_file(pair.pokja, r2, replace_anyway="uji").outcome == SUPERSEDED


def test_replace_anyway_re_merges_the_current_file_restoring_signed_values(
    pair: Pair, base: Path
) -> None:
    r1 = _file(pair, base, "r1.xlsx")
    assert importer.import_file(pair.pokja, r1, accept_new_key=True).outcome == ACCEPTED
    signed = dump_bytes(pair.pokja)
    with pair.pokja.begin() as s:
        rid = s.scalar(
            select(Realisation.row_id).join(PlanRow).where(Realisation.total.is_not(None))
        )
        s.execute(update(Realisation).where(Realisation.row_id == rid).values(total=Decimal(60)))
    assert dump_bytes(pair.pokja) != signed
    assert importer.import_file(pair.pokja, r1).outcome == DUPLICATE
    out = importer.import_file(pair.pokja, r1, replace_anyway="kembalikan nilai bertanda tangan")
    assert out.outcome == SUPERSEDED, out.reason
    assert dump_bytes(pair.pokja) == signed


def test_import_files_forces_only_the_named_file(pair: Pair, base: Path) -> None:
    r1 = _file(pair, base, "r1.xlsx", revision=1)
    r2 = _file(pair, base, "r2.xlsx", revision=2)
    key = {(OPD, pair.key.key_id)}
    outs = importer.import_files(pair.pokja, [r2, r1], accept_keys=key)
    assert [o.outcome for o in outs] == [ACCEPTED, OUTDATED]
    outs = importer.import_files(pair.pokja, [r1, r2], replace_anyway={r1: "uji"})
    assert [o.outcome for o in outs] == [SUPERSEDED, DUPLICATE]
    assert _current(pair) == (SID, 1)


def test_a_fill_in_workbook_from_the_future_is_refused(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.fillin_export import export_fillin
    from tests.formats.test_fillin import fill

    blank = tmp_path / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, 2023, blank)
    filled = fill(blank, tmp_path / "isian-terisi.xlsx", {"J5": 10})

    class Past(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Past:  # type: ignore[override]
            return cls(2020, 1, 1, 12, 0)

    # The receiving machine's clock is years behind the workbook's exported_at.
    monkeypatch.setattr(importer, "datetime", Past)
    out = importer.import_file(pair.pokja, filled)
    assert out.outcome == REFUSED and "tanggal pembuatan buku kerja isian" in out.reason
    monkeypatch.undo()
    assert importer.import_file(pair.pokja, filled).outcome == ACCEPTED


def _import_two_revisions(pair: Pair, base: Path) -> None:
    r1 = _file(pair, base, "r1.xlsx", revision=1)
    assert importer.import_file(pair.pokja, r1, accept_new_key=True).outcome == ACCEPTED
    r2 = _file(pair, base, "r2.xlsx", revision=2)
    assert importer.import_file(pair.pokja, r2).outcome == SUPERSEDED


def test_current_and_same_answer_as_the_two_queries_did_in_one_statement(
    pair: Pair, base: Path
) -> None:
    """The held submission of the OPD, plan and year, and the earliest signed one with the
    same content wherever it is, come back from one query (one reply from a server)."""
    from sqlalchemy import event

    from app.services import import_order

    _import_two_revisions(pair, base)
    with pair.pokja.begin() as s:
        subs = s.scalars(select(Submission).order_by(Submission.id)).all()
        first, held = subs[0], subs[-1]
        plan_code, year = held.plan_code, held.year
        statements: list[str] = []
        event.listen(s.connection(), "before_cursor_execute", lambda *a: statements.append(a[2]))
        cases = [
            (OPD, first.content_hash, held, first),  # the older revision's content
            (OPD, held.content_hash, held, held),
            (OPD, "0" * 64, held, None),  # new content
            ("OPD-XXX", first.content_hash, None, first),  # same content, other OPD
        ]
        for opd, content_hash, want_current, want_same in cases:
            got = import_order.current_and_same(s, opd, plan_code, year, content_hash)
            assert got == (want_current, want_same)
            assert got[0] is import_order.current_submission(s, opd, plan_code, year)
    assert len([q for q in statements if "FROM submission" in q]) == len(cases) * 2  # 1 + 1 check


def test_the_replaced_submission_is_in_the_trail_after_the_files_values(
    pair: Pair, base: Path
) -> None:
    _import_two_revisions(pair, base)
    with pair.pokja.begin() as s:
        trail = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    imports = [a for a in trail if a.action == "impor-kiriman"]
    assert [(a.field, a.old_value, a.new_value) for a in imports] == [
        (OPD, None, f"{SID} r1"),
        (OPD, f"{SID} r1", f"{SID} r2"),
    ]
    # Written with the file's own values, after them: the last entry of each import.
    last_of_second = max(a.id for a in trail)
    assert imports[-1].id == last_of_second
