"""Pokja corrects the official matrix in its database; the corrections travel in a package."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models.db import Database, open_database
from app.models.schema import (
    AuditEntry,
    Opd,
    PlanNode,
    PlanRow,
    Realisation,
    Submission,
    Target,
)
from app.services import catalog, row_place
from app.services.concurrency import ConcurrentEditError, Seen
from app.services.matrix_apply import apply_matrix
from app.services.matrix_export import export_matrix
from app.services.plan_edit import (
    ACTION,
    UNDO_ACTION,
    PlanEditError,
    add_row,
    corrected_fields,
    edit_field,
    edit_target,
    move_row,
    remove_added_row,
    rename_node,
    set_retired,
    split_reason,
    undo_move,
    undo_reason,
)
from app.services.row_place import row_seen
from tests.services.submission_helpers import YEAR, Pair, make_pair

PLAN = "SYN-2022-2024"
REASON = "salah ketik di Perbup, dikonfirmasi Bappeda"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def first_row(db: Database, opd: str = "OPD-001") -> tuple[int, str]:
    with db.begin() as s:
        r = s.execute(
            select(PlanRow.id, PlanRow.key)
            .join(Opd, Opd.id == PlanRow.opd_id)
            .where(Opd.code == opd)
            .order_by(PlanRow.seq)
        ).first()
        assert r is not None
        return r[0], r[1]


def row_by_key(db: Database, key: str) -> PlanRow:
    with db.begin() as s:
        row = s.scalars(select(PlanRow).where(PlanRow.key == key)).one()
        s.expunge(row)
        return row


def entries(db: Database, key: str) -> list[AuditEntry]:
    with db.begin() as s:
        found = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.row_key == key, AuditEntry.action.in_((ACTION, UNDO_ACTION)))
                .order_by(AuditEntry.id)
            )
        )
        s.expunge_all()
        return found


class Sender:
    """Pokja exports after each change; the focal point applies each package in turn."""

    def __init__(self, pair: Pair, tmp: Path) -> None:
        self.pair, self.tmp, self.n = pair, tmp, 0

    def send(self) -> None:
        self.n += 1
        out = export_matrix(
            self.pair.pokja,
            PLAN,
            self.pair.key,
            self.tmp / f"m{self.n}.monevmatriks",
            now=datetime(2026, 12, 1, 9, 0) + timedelta(hours=self.n),
        )
        assert apply_matrix(self.pair.focal, out.path, accept_key=True, user="Budi").changed


def test_every_change_needs_a_reason(pair: Pair) -> None:
    rid, key = first_row(pair.pokja)
    with pytest.raises(PlanEditError, match="alasan"):
        edit_field(pair.pokja, rid, "indikator", "Indikator baru", "  ", "Pokja")
    with pytest.raises(PlanEditError, match="alasan"):
        set_retired(pair.pokja, rid, True, "", "Pokja")
    assert entries(pair.pokja, key) == []


def test_edited_cell_and_target_are_in_the_history_with_their_reason(pair: Pair) -> None:
    rid, key = first_row(pair.pokja)
    edit = edit_field(pair.pokja, rid, "indikator", "Jumlah kader perempuan", REASON, "Pokja")
    tgt = edit_target(
        pair.pokja, rid, YEAR, "30 orang terdiri dari 20 laki-laki, 10 perempuan", REASON, "Pokja"
    )
    row = row_by_key(pair.pokja, key)
    assert row.indikator == "Jumlah kader perempuan"
    with pair.pokja.begin() as s:
        t = s.scalars(select(Target).where(Target.row_id == rid, Target.year == YEAR)).one()
        assert (t.total, t.male, t.female) == (Decimal(30), Decimal(20), Decimal(10))
        history = catalog.row_history(s, key)
        marks = corrected_fields(s, key)
    assert [split_reason(h.new)[1] for h in history[:2]] == [REASON, REASON]
    assert {"indikator", f"target:{YEAR}"} <= set(marks)
    assert REASON in marks[f"target:{YEAR}"]
    # Undo is the same call with the old value, recorded as an undo; the mark goes.
    edit_target(pair.pokja, rid, YEAR, tgt.old, undo_reason(REASON), "Pokja")
    edit_field(pair.pokja, rid, "indikator", edit.old, undo_reason(REASON), "Pokja")
    assert row_by_key(pair.pokja, key).indikator == edit.old
    with pair.pokja.begin() as s:
        assert corrected_fields(s, key) == {}
    assert [e.action for e in entries(pair.pokja, key)] == [
        ACTION,
        ACTION,
        UNDO_ACTION,
        UNDO_ACTION,
    ]


def test_a_target_the_matrix_rules_cannot_read_is_refused(pair: Pair) -> None:
    rid, key = first_row(pair.pokja)
    with pytest.raises(PlanEditError, match="tidak terbaca"):
        edit_target(pair.pokja, rid, YEAR, "#####", REASON, "Pokja")
    with pytest.raises(PlanEditError, match="Target"):
        edit_target(pair.pokja, rid, YEAR, "50\x1b orang", REASON, "Pokja")
    assert entries(pair.pokja, key) == []


def test_renamed_node_is_recorded_on_every_row_under_it(pair: Pair, tmp_path: Path) -> None:
    rid, _ = first_row(pair.pokja)
    with pair.pokja.begin() as s:
        node = s.get(PlanRow, rid).node  # type: ignore[union-attr]
        assert node is not None
        node_id = node.id
        keys = list(s.scalars(select(PlanRow.key).where(PlanRow.node_id == node_id)))
    rename_node(pair.pokja, node_id, "Sub kegiatan yang dibetulkan", REASON, "Pokja")
    assert all(entries(pair.pokja, k) for k in keys)
    Sender(pair, tmp_path).send()
    with pair.focal.begin() as s:
        names = {
            s.get(PlanNode, r.node_id).name  # type: ignore[union-attr]
            for r in s.scalars(select(PlanRow).where(PlanRow.key.in_(keys)))
        }
    assert names == {"Sub kegiatan yang dibetulkan"}


def test_added_row_gets_a_fresh_key_after_its_node_and_travels(pair: Pair, tmp_path: Path) -> None:
    rid, _ = first_row(pair.pokja)
    with pair.pokja.begin() as s:
        row = s.get(PlanRow, rid)
        assert row is not None and row.node_id is not None
        node_id = row.node_id
        last = s.scalar(select(func.max(PlanRow.seq)).where(PlanRow.node_id == node_id)) or 0
        before = s.scalar(select(func.count()).select_from(PlanRow)) or 0
    added = add_row(
        pair.pokja,
        node_id,
        indikator="Jumlah desa ramah perempuan",
        satuan="desa",
        targets={2022: "5", 2023: "10 desa", 2024: "15"},
        reason=REASON,
        user="Pokja",
    )
    new = row_by_key(pair.pokja, added.key)
    assert new.seq == last + 1 and new.node_id == node_id
    with pair.pokja.begin() as s:
        assert s.scalar(select(func.count()).select_from(PlanRow)) == before + 1
        seqs = list(s.scalars(select(PlanRow.seq).order_by(PlanRow.seq)))
        assert len(seqs) == len(set(seqs))  # the rows after it moved down one place
        t = s.scalars(select(Target).where(Target.row_id == added.row_id, Target.year == 2023))
        assert t.one().total == Decimal(10)
    Sender(pair, tmp_path).send()
    focal = row_by_key(pair.focal, added.key)
    assert focal.indikator == "Jumlah desa ramah perempuan" and focal.satuan == "desa"
    # Undo removes it; a second add never reuses the key.
    remove_added_row(pair.pokja, added.row_id, undo_reason(REASON), "Pokja")
    again = add_row(pair.pokja, node_id, indikator="x y z", reason=REASON, user="Pokja")
    assert again.key != added.key


def test_retired_row_keeps_realisations_and_travels(pair: Pair, tmp_path: Path) -> None:
    rid, key = first_row(pair.pokja)
    sender = Sender(pair, tmp_path)
    set_retired(pair.pokja, rid, True, REASON, "Pokja")
    assert row_by_key(pair.pokja, key).retired_at is not None
    sender.send()
    # The focal point's row has realisations (sample data): retired, not deleted.
    focal = row_by_key(pair.focal, key)
    assert focal.retired_at is not None
    with pair.focal.begin() as s:
        assert (s.scalar(select(func.count()).where(Realisation.row_id == focal.id)) or 0) > 0
    set_retired(pair.pokja, rid, False, undo_reason(REASON), "Pokja")
    sender.send()
    assert row_by_key(pair.focal, key).retired_at is None
    with pytest.raises(PlanEditError, match="masih aktif"):
        set_retired(pair.pokja, rid, False, REASON, "Pokja")


def test_moved_row_goes_under_the_same_names_of_the_other_opd(pair: Pair, tmp_path: Path) -> None:
    rid, key = first_row(pair.pokja)
    with pair.pokja.begin() as s:
        target_opd = s.scalars(select(Opd).where(Opd.code == "OPD-002")).one().id
        s.add(Realisation(row_id=rid, year=YEAR, total=Decimal(7), updated_at=datetime.now()))
        old_path = catalog.row_detail(s, rid).path
    move = move_row(pair.pokja, rid, target_opd, REASON, "Pokja")
    assert move.realisations == 1 and move.created_nodes
    with pair.pokja.begin() as s:
        row = s.get(PlanRow, rid)
        assert row is not None and row.opd_id == target_opd
        assert catalog.row_detail(s, rid).path == old_path
        node = s.get(PlanNode, row.node_id)
        assert node is not None and node.opd_id == target_opd
        assert s.scalar(select(Realisation.total).where(Realisation.row_id == rid)) == 7
    Sender(pair, tmp_path).send()
    with pair.focal.begin() as s:
        focal = s.scalars(select(PlanRow).where(PlanRow.key == key)).one()
        assert focal.opd.code == "OPD-002"
        assert catalog.row_detail(s, focal.id).path == old_path
    undo_move(pair.pokja, move, undo_reason(REASON), "Pokja")
    with pair.pokja.begin() as s:
        row = s.get(PlanRow, rid)
        assert row is not None and (row.opd_id, row.node_id) == (move.old_opd_id, move.old_node_id)
        assert all(s.get(PlanNode, n) is None for n in move.created_nodes)


def test_move_refused_when_the_row_holds_signed_figures(pair: Pair) -> None:
    rid, _ = first_row(pair.pokja)
    with pair.pokja.begin() as s:
        other = s.scalars(select(Opd).where(Opd.code == "OPD-002")).one().id
        s.add(Realisation(row_id=rid, year=YEAR, total=Decimal(7), updated_at=datetime.now()))
        s.add(
            Submission(
                submission_id="00000000-0000-4000-8000-000000000001",
                opd_code="OPD-001",
                plan_code=PLAN,
                year=YEAR,
                revision=1,
                content_hash="0" * 64,
                created_at="2024-01-10T09:00:00",
                received_at=datetime.now(),
                signature_state="signed",
                current=True,
            )
        )
    with pytest.raises(PlanEditError, match="bertanda tangan"):
        move_row(pair.pokja, rid, other, REASON, "Pokja")
    with pair.pokja.begin() as s:
        assert s.get(PlanRow, rid).opd.code == "OPD-001"  # type: ignore[union-attr]


def test_retired_row_is_reported_only_for_a_year_it_holds_a_realisation(pair: Pair) -> None:
    """Item c: kept in the report, tree and board of YEAR (it has a realisation there),
    marked as retired; no longer asked for in 2022, where it holds nothing."""
    from app.services.completeness import build_board
    from app.services.report_data import build_report

    rid, key = first_row(pair.pokja)
    with pair.pokja.begin() as s:
        s.add(Realisation(row_id=rid, year=YEAR, total=Decimal(7), updated_at=datetime.now()))

    def seen(year: int) -> tuple[list[str], int, int, list[str]]:
        with pair.pokja.begin() as s:
            plan = catalog.get_plan(s)
            opd = catalog.find_opd(s, "OPD-001")
            data = build_report(s, year, opd, plan=plan)
            board = build_board(s, plan, [year])
            cell = next(b for b in board.rows if b.opd_code == "OPD-001").cells[year]
            tree = [r.key for r in catalog.load_rows(s, plan.id, year=year)]
            marks = [r.keterangan for r in data.rows if r.key == key]
            return [r.key for r in data.rows], cell.rows, cell.filled, marks + tree

    _, rows_before, filled_before, _ = seen(YEAR)
    keys_2022, rows_2022, _, _ = seen(2022)
    set_retired(pair.pokja, rid, True, REASON, "Pokja")
    keys_after, rows_after, filled_after, extra = seen(YEAR)
    assert key in keys_after and rows_after == rows_before and filled_after == filled_before
    assert extra[0].startswith("Dipensiunkan")
    assert key in extra  # the tree of YEAR still lists it
    keys_2022_after, rows_2022_after, _, _ = seen(2022)
    assert key in keys_2022 and key not in keys_2022_after
    assert rows_2022_after == rows_2022 - 1
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        assert key in [r.key for r in catalog.load_rows(s, plan.id, year=2022, all_retired=True)]


def test_a_row_a_later_period_continues_is_retired_not_deleted(pair: Pair, tmp_path: Path) -> None:
    # At the focal point the row holds no figure of its own, but a 2025–2029 row
    # continues it: deleting it would cut those earlier years out of the new plan.
    from app.models.schema import Plan, RowContinuation, RowLink

    rid, key = first_row(pair.pokja)
    with pair.focal.begin() as s:
        old = row_by_key(pair.focal, key)
        # Nothing else keeps it either: no figure, proposal or sharing link.
        s.execute(Realisation.__table__.delete().where(Realisation.row_id == old.id))
        s.execute(Target.__table__.update().where(Target.row_id == old.id).values(proposed=False))
        s.execute(
            RowLink.__table__.delete().where(
                (RowLink.row_a_id == old.id) | (RowLink.row_b_id == old.id)
            )
        )
        later = Plan(code="NEXT", kind="radpug", title="Next", start_year=2030, end_year=2034)
        s.add(later)
        s.flush()
        new = PlanRow(plan_id=later.id, key="rp-next-1", opd_id=old.opd_id, seq=1)
        s.add(new)
        s.flush()
        s.add(
            RowContinuation(
                row_id=new.id, previous_row_id=old.id, created_at=datetime.now(), created_by="P"
            )
        )
    set_retired(pair.pokja, rid, True, REASON, "Pokja")
    Sender(pair, tmp_path).send()
    kept = row_by_key(pair.focal, key)
    assert kept.retired_at is not None
    with pair.focal.begin() as s:
        assert s.scalar(select(func.count()).select_from(RowContinuation)) == 1


# --- two Pokja members on one database: a dialog's save checks what it showed ----------
def _two_views(syn_db: Database, tmp_path: Path) -> tuple[Database, int, Seen]:
    """A second connection to ``syn_db`` (another person's app), its first row, and that
    row's version as Ani's dialog showed it before Budi saved."""
    other = open_database(tmp_path / "syn.sqlite")
    with syn_db.begin() as s:
        rid = catalog.load_rows(s, catalog.get_plan(s).id)[0].id
        seen = row_seen(s, rid)
    return other, rid, seen


def test_retiring_a_row_someone_edited_since_is_refused(syn_db: Database, tmp_path: Path) -> None:
    budi, rid, ani = _two_views(syn_db, tmp_path)
    edit_field(budi, rid, "indikator", "Indikator menurut Budi", REASON, "Budi")
    with pytest.raises(ConcurrentEditError, match="diubah oleh Budi pada"):
        set_retired(syn_db, rid, True, REASON, "Ani", seen=ani)
    with syn_db.begin() as s:
        assert s.get(PlanRow, rid).retired_at is None  # type: ignore[union-attr]
    # Reloaded, the same dialog retires it, and its seen follows its own write.
    with syn_db.begin() as s:
        ani = row_seen(s, rid)
    set_retired(syn_db, rid, True, REASON, "Ani", seen=ani)
    set_retired(syn_db, rid, False, REASON, "Ani", seen=ani)
    budi.dispose()


def test_a_row_retired_since_is_not_moved(syn_db: Database, tmp_path: Path) -> None:
    budi, rid, ani = _two_views(syn_db, tmp_path)
    with syn_db.begin() as s:
        other_opd = s.scalars(select(Opd.id).where(Opd.code == "OPD-003")).one()
        own = s.scalar(select(PlanRow.opd_id).where(PlanRow.id == rid))
    set_retired(budi, rid, True, REASON, "Budi")
    with pytest.raises(ConcurrentEditError, match="diubah oleh Budi pada"):
        move_row(syn_db, rid, other_opd, REASON, "Ani", seen=ani)
    with syn_db.begin() as s:
        assert s.scalar(select(PlanRow.opd_id).where(PlanRow.id == rid)) == own
    budi.dispose()


def test_a_move_made_since_refuses_the_stale_retire(syn_db: Database, tmp_path: Path) -> None:
    budi, rid, ani = _two_views(syn_db, tmp_path)
    with syn_db.begin() as s:
        other_opd = s.scalars(select(Opd.id).where(Opd.code == "OPD-003")).one()
    move_row(budi, rid, other_opd, REASON, "Budi")
    with pytest.raises(ConcurrentEditError, match="Budi"):
        set_retired(syn_db, rid, True, REASON, "Ani", seen=ani)
    budi.dispose()


def test_a_node_renamed_since_the_dialog_showed_it_is_refused(
    syn_db: Database, tmp_path: Path
) -> None:
    budi, rid, _seen = _two_views(syn_db, tmp_path)
    with syn_db.begin() as s:
        node_id, shown = row_place.row_nodes(s, rid)["kegiatan"]
    rename_node(budi, node_id, "Kegiatan menurut Budi", REASON, "Budi")
    with pytest.raises(ConcurrentEditError, match="diubah oleh Budi pada"):
        rename_node(syn_db, node_id, "Kegiatan menurut Ani", REASON, "Ani", shown=shown)
    with syn_db.begin() as s:
        assert s.get(PlanNode, node_id).name == "Kegiatan menurut Budi"  # type: ignore[union-attr]
    # With the name as it is now (after "Muat ulang"), the rename goes through.
    rename_node(syn_db, node_id, "Kegiatan menurut Ani", REASON, "Ani", "Kegiatan menurut Budi")
    budi.dispose()
