"""GAP/GBS counts on the completeness board, the regency total, the Inspektorat's realisation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli.board import format_board
from app.domain.pprg import Kind, ReviewStatus
from app.models.schema import AuditEntry, Opd, PlanRow
from app.services import catalog, entry, importer, pprg_store
from app.services.completeness import board_json, build_board
from app.services.pprg_counts import (
    choose_row,
    chosen_row,
    fill_inspektorat_realisation,
    reviewed_total,
    row_candidates,
)
from app.services.pprg_review import review_received
from tests.services.pprg_helpers import gap, write_documents
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def received(pair: Pair, tmp_path: Path) -> list[str]:
    nodes = write_documents(pair.focal, 2)
    out = importer.import_file(pair.pokja, submit(pair, tmp_path / "k.xlsx"), accept_new_key=True)
    assert out.ok, out.reason
    return nodes


def _board(pair: Pair):  # type: ignore[no-untyped-def]
    with pair.pokja.begin() as s:
        return build_board(s, catalog.get_plan(s))


def test_received_documents_counted_without_reviews(pair: Pair, received: list[str]) -> None:
    board = _board(pair)
    c = board.row(OPD).cells[YEAR].pprg
    assert (c.gap, c.gbs, c.reviewed, c.accepted) == (2, 2, 0, 0)
    assert c.text == "GAP 2 · GBS 2 · telaah 0 (diterima 0)"
    assert board.row("OPD-002").cells[YEAR].pprg.text == ""
    assert board_json(board)["opds"][0]["years"][str(YEAR)]["pprg"] == {
        "gap": 2,
        "gbs": 2,
        "reviewed": 0,
        "accepted": 0,
    }


def test_reviews_counted_and_totalled(pair: Pair, received: list[str]) -> None:
    review_received(
        pair.pokja, Kind.GAP, received[0], YEAR, ReviewStatus.DITERIMA, "", reviewer="S"
    )
    review_received(
        pair.pokja, Kind.GBS, received[0], YEAR, ReviewStatus.PERLU_PERBAIKAN, "Data", reviewer="S"
    )
    board = _board(pair)
    c = board.row(OPD).cells[YEAR].pprg
    assert (c.reviewed, c.accepted) == (2, 1)
    assert board.row(OPD).pprg.reviewed == 2
    assert board.pprg_reviewed(YEAR) == 2
    with pair.pokja.begin() as s:
        assert reviewed_total(s, YEAR) == 2
        assert reviewed_total(s, YEAR + 1) == 0
    text = format_board(board)
    assert "GAP 2 · GBS 2 · telaah 2 (diterima 1)" in text
    assert f"Dokumen PPRG (GAP/GBS) yang ditelaah tahun {YEAR}: 2" in text


def test_a_review_of_an_older_version_does_not_count(
    pair: Pair, received: list[str], tmp_path: Path
) -> None:
    review_received(
        pair.pokja, Kind.GAP, received[0], YEAR, ReviewStatus.DITERIMA, "", reviewer="S"
    )

    pprg_store.save_document(pair.focal, gap(received[0], baseline="baru"), "Budi")
    importer.import_file(pair.pokja, submit(pair, tmp_path / "k2.xlsx"))
    assert _board(pair).row(OPD).cells[YEAR].pprg.reviewed == 0


def test_inspektorat_realisation_written_from_the_count(pair: Pair, received: list[str]) -> None:
    for node in received:
        review_received(pair.pokja, Kind.GBS, node, YEAR, ReviewStatus.DITERIMA, "", reviewer="S")
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        # A row of an OPD that sent nothing: Pokja's own write is allowed there.
        row = s.scalars(
            select(PlanRow).join(Opd).where(PlanRow.plan_id == plan.id, Opd.code == "OPD-003")
        ).first()
        assert row is not None
        row.indikator = "Meningkatnya kuantitas dan kualitas reviu dokumen PPRG (GAP, GBS, KAK)"
        candidates = row_candidates(s, plan)
        assert [c.key for c in candidates] == [row.key]
        assert chosen_row(s, plan) is None
        choose_row(s, plan, row.key)
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        chosen = chosen_row(s, plan)
    assert chosen is not None and chosen.key == row.key
    total, old = fill_inspektorat_realisation(pair.pokja, chosen.row_id, YEAR, "Sari")
    assert total == 2
    with pair.pokja.begin() as s:
        now = entry.get_realisation(s, chosen.row_id, YEAR)
        assert now is not None and now.breakdown.total == 2
        assert (
            s.scalar(
                select(AuditEntry.new_value).where(
                    AuditEntry.row_key == row.key, AuditEntry.field == "total"
                )
            )
            == "2"
        )
    # A row holding an OPD's signed figures is not overwritten (Koreksi Pokja is the way).
    with pair.pokja.begin() as s:
        signed_row = s.scalars(
            select(PlanRow.id).join(Opd).where(Opd.code == OPD).order_by(PlanRow.seq)
        ).first()
    assert signed_row is not None
    with pytest.raises(entry.EntryError, match="Koreksi Pokja"):
        fill_inspektorat_realisation(pair.pokja, signed_row, YEAR, "Sari")
    # Undo is writing the old value back through the same service.
    entry.save_realisation(pair.pokja, chosen.row_id, YEAR, old, "Sari")
    with pair.pokja.begin() as s:
        assert entry.get_realisation(s, chosen.row_id, YEAR) == old
