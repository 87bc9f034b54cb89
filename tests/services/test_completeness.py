"""The Pokja completeness board: state per OPD and year, rows filled, ARG classes."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.formats import keys
from app.formats.arg_questions import load_question_sets
from app.models.schema import Opd, PlanNode, PlanRow, Realisation, Submission
from app.services import catalog, completeness, importer
from app.services.arg_store import recap
from app.services.completeness import NONE, REFUSED, SIGNED, UNSIGNED, board_json, build_board
from tests.services.submission_helpers import OPD, YEAR, Pair, content_of, forge, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def base(pair: Pair, tmp_path: Path) -> Path:
    return submit(pair, tmp_path / "kiriman.xlsx")


def _board(pair: Pair, years: list[int] | None = None) -> completeness.Board:
    """The board as the window reads it (filled rows counted on a second connection),
    checked against the board read in the one session: every case below covers both."""
    with pair.pokja.begin() as s:
        board = build_board(s, catalog.get_plan(s), years, beside=pair.pokja.sessions)
        alone = build_board(s, catalog.get_plan(s), years)
    assert board_json(board) == board_json(alone)
    return board


def _rows_of(pair: Pair, opd: str) -> int:
    with pair.pokja.begin() as s:
        return (
            s.scalar(select(func.count()).select_from(PlanRow).join(Opd).where(Opd.code == opd))
            or 0
        )


def test_empty_database_shows_every_opd_and_year_as_nothing_received(pair: Pair) -> None:
    board = _board(pair)
    assert board.years == [2022, 2023, 2024]
    assert [r.opd_code for r in board.rows] == ["OPD-001", "OPD-002", "OPD-003"]
    for r in board.rows:
        assert r.rows == _rows_of(pair, r.opd_code) > 0
        for c in r.cells.values():
            assert c.state == NONE and c.state_text == "belum ada"
            assert c.filled == 0 and c.filled_text == f"0/{r.rows} (0%)"
            assert c.classes_text == ""
    assert board.received(YEAR) == 0


def test_signed_file_fills_the_cell_with_revision_date_rows_and_arg(pair: Pair, base: Path) -> None:
    out = importer.import_file(pair.pokja, base, accept_new_key=True)
    assert out.outcome == importer.ACCEPTED, out.reason
    board = _board(pair)
    cell = board.row(OPD).cells[YEAR]
    assert cell.state == SIGNED and cell.revision == 1 and cell.revisions == 1
    assert cell.received_at is not None
    assert cell.state_text == f"revisi 1, {cell.received_at:%d-%m-%Y}"
    # Rows filled come from the database: the OPD's whole matrix was filled and imported.
    rows = _rows_of(pair, OPD)
    assert cell.filled == rows and cell.filled_text == f"{rows}/{rows} (100%)"
    # ARG: the sample answered 3 kegiatan, the last one half done.
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        expected = Counter(
            r.score.klass or "Belum lengkap"
            for r in recap(s, plan.id, YEAR, load_question_sets())
            if r.node.opd_code == OPD
        )
    assert cell.classes == expected and sum(expected.values()) == 3
    assert "BL 1" in cell.classes_text
    # Other years and OPDs stay empty; the OPD total counts the one year received.
    assert board.row(OPD).cells[2022].state == NONE
    assert board.row("OPD-002").cells[YEAR].state == NONE
    assert board.row(OPD).received == 1 and board.received(YEAR) == 1
    assert board.row(OPD).filled == rows and board.row(OPD).possible == 3 * rows


def test_refused_only_cell_and_refusals_after_the_current_revision(
    pair: Pair, base: Path, tmp_path: Path
) -> None:
    stranger = keys.generate_key("kunci-orang-lain", tmp_path / "lain")
    # OPD-002 sends a file signed by a key Pokja never accepted: refused, nothing else.
    other = forge(base, tmp_path / "opd2.xlsx", content_of(pair.focal, "OPD-002"), stranger)
    assert importer.import_file(pair.pokja, other).outcome == importer.REFUSED
    # OPD-001: accepted, then a revision 2 signed by another key is refused after it.
    assert importer.import_file(pair.pokja, base, accept_new_key=True).ok
    late = forge(base, tmp_path / "r2.xlsx", content_of(pair.focal, revision=2), stranger)
    assert importer.import_file(pair.pokja, late).outcome == importer.REFUSED
    board = _board(pair)
    two = board.row("OPD-002").cells[YEAR]
    assert two.state == REFUSED and two.state_text == "ditolak"
    assert "Kunci penanda tangan" in two.refused[0].reason
    one = board.row(OPD).cells[YEAR]
    assert one.state == SIGNED and one.revision == 1 and one.refused_after == 1
    assert one.state_text.endswith("; 1 ditolak sesudahnya")
    assert one.refused[0].file_name == "r2.xlsx"
    assert board.received(YEAR) == 1


def test_refusal_before_the_accepted_file_is_not_reported(
    pair: Pair, base: Path, tmp_path: Path
) -> None:
    # The first try is refused (key not yet accepted), then accepted: the cell is clean.
    assert importer.import_file(pair.pokja, base).outcome == importer.REFUSED
    assert _board(pair).row(OPD).cells[YEAR].state == REFUSED
    assert importer.import_file(pair.pokja, base, accept_new_key=True).ok
    cell = _board(pair).row(OPD).cells[YEAR]
    assert cell.state == SIGNED and cell.refused_after == 0
    assert "ditolak" not in cell.state_text


def test_unsigned_fill_in_workbook_is_shown_as_such(pair: Pair) -> None:
    with pair.pokja.begin() as s:
        s.add(
            Submission(
                submission_id="00000000-0000-4000-8000-000000000003",
                opd_code="OPD-003",
                plan_code=catalog.get_plan(s).code,
                year=2024,
                revision=2,
                content_hash="ab" * 32,
                created_at="2025-01-05T08:00:00",
                received_at=datetime(2025, 1, 6, 9, 30),
                signature_state="unsigned",
                key_id=None,
                file_name="isian-opd3.xlsx",
                current=True,
                content="{}",
            )
        )
    cell = _board(pair).row("OPD-003").cells[2024]
    assert cell.state == UNSIGNED
    assert cell.state_text == "revisi 2, 06-01-2025, tanpa tanda tangan"


def test_rows_filled_follow_the_database_not_the_files(pair: Pair) -> None:
    # Figures entered at Pokja by hand (no file) still count as filled rows.
    with pair.pokja.begin() as s:
        ids = s.scalars(
            select(PlanRow.id).join(Opd).where(Opd.code == "OPD-002").order_by(PlanRow.seq)
        ).all()[:4]
        for i, rid in enumerate(ids):
            s.add(
                Realisation(
                    row_id=rid,
                    year=2022,
                    semester=0,
                    total=None if i == 3 else 7,  # an empty total is not a filled row
                    updated_at=datetime(2023, 1, 1),
                )
            )
    row = _board(pair).row("OPD-002")
    assert row.cells[2022].filled == 3 and row.cells[2022].state == NONE
    assert row.cells[2023].filled == 0


def test_year_filter_and_out_of_period_year(pair: Pair) -> None:
    assert _board(pair, [2023]).years == [2023]
    with pytest.raises(ValueError, match="di luar periode"):
        _board(pair, [2030])


def test_json_lists_every_cell(pair: Pair, base: Path) -> None:
    importer.import_file(pair.pokja, base, accept_new_key=True)
    data = board_json(_board(pair))
    assert data["years"] == [2022, 2023, 2024] and data["received"]["2023"] == 1
    first = data["opds"][0]
    assert first["code"] == OPD and first["received_years"] == 1
    cell = first["years"]["2023"]
    assert cell["state"] == "signed" and cell["revision"] == 1
    assert cell["filled"] == cell["rows"] == _rows_of(pair, OPD)
    assert sum(cell["arg_classes"].values()) == 3
    assert data["opds"][1]["years"]["2023"]["state_text"] == "belum ada"


def test_share_text_never_rounds_some_to_none_or_most_to_all() -> None:
    from app.services.completeness import share_text

    assert share_text(1, 456) == "1/456 (<1%)"
    assert share_text(455, 456) == "455/456 (>99%)"
    assert share_text(0, 456) == "0/456 (0%)"
    assert share_text(456, 456) == "456/456 (100%)"
    assert share_text(228, 456) == "228/456 (50%)"
    assert share_text(3, 456) == "3/456 (1%)"  # 0.66 rounds to 1: already says "some"
    assert share_text(0, 0) == "0/0 (0%)"


def _stored(
    s: Session,
    opd: str,
    year: int,
    revision: int,
    *,
    current: bool,
    content: str | None,
    state: str = "signed",
    plan_code: str | None = None,
) -> None:
    s.add(
        Submission(
            submission_id=f"00000000-0000-4000-8000-{year * 100 + revision:012d}",
            opd_code=opd,
            plan_code=catalog.get_plan(s).code if plan_code is None else plan_code,
            year=year,
            revision=revision,
            content_hash=f"{revision:02d}" * 32,
            created_at=f"{year + 1}-01-0{revision}T08:00:00",
            received_at=datetime(year + 1, 1, revision, 9, 0),
            signature_state=state,
            key_id=None if state == "unsigned" else "k1",
            file_name=f"{opd}-{year}-r{revision}.xlsx",
            current=current,
            content=content,
        )
    )


def test_revisions_count_only_stored_contents_and_the_flag_picks_the_current(pair: Pair) -> None:
    with pair.pokja.begin() as s:
        # OPD-001 2022: r1 with content, r2 current from before contents were kept (NULL),
        # r3 an older-style row of a refused file: one revision to compare, r2 shown.
        _stored(s, "OPD-001", 2022, 1, current=False, content="{}")
        _stored(s, "OPD-001", 2022, 2, current=True, content=None)
        _stored(s, "OPD-001", 2022, 3, current=False, content=None, state="refused")
        # OPD-002 2023: no flag at all (never expected): the latest counts; an empty
        # content is still a stored content.
        _stored(s, "OPD-002", 2023, 1, current=False, content="", state="unsigned")
        _stored(s, "OPD-002", 2023, 2, current=False, content="{}", state="unsigned")
        # Another plan's file and an OPD not on the board change nothing.
        _stored(s, "OPD-003", 2024, 1, current=True, content="{}", plan_code="LAIN-2022-2024")
        _stored(s, "OPD-999", 2024, 1, current=True, content="{}")
    board = _board(pair)
    one = board.row("OPD-001").cells[2022]
    assert (one.state, one.revision, one.revisions) == (SIGNED, 2, 1)
    assert one.file_name == "OPD-001-2022-r2.xlsx" and one.key_id == "k1"
    two = board.row("OPD-002").cells[2023]
    assert (two.state, two.revision, two.revisions) == (UNSIGNED, 2, 2)
    assert two.received_at == datetime(2024, 1, 2, 9, 0)
    three = board.row("OPD-003").cells[2024]
    assert (three.state, three.revisions) == (NONE, 0)
    assert board.received(2022) == 1 and board.received(2024) == 0


def test_an_opd_with_kegiatan_but_no_rows_in_force_stays_and_one_with_neither_is_absent(
    pair: Pair,
) -> None:
    with pair.pokja.begin() as s:
        three = s.scalars(select(Opd).where(Opd.code == "OPD-003")).one()
        assert s.scalar(
            select(func.count()).select_from(PlanNode).where(PlanNode.opd_id == three.id)
        )
        for row in s.scalars(select(PlanRow).where(PlanRow.opd_id == three.id)):
            row.retired_at = datetime(2023, 6, 1)
        s.add(Opd(code="OPD-LAIN", name="Badan Tanpa Baris", short_name="Badan Lain"))
    board = _board(pair)
    assert [r.opd_code for r in board.rows] == ["OPD-001", "OPD-002", "OPD-003"]
    assert board.row("OPD-003").rows == 0


def test_the_filled_rows_are_counted_beside_on_another_thread(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = completeness.filled_counts

    def counted(s: Session, plan_id: int, years: list[int]) -> dict[tuple[int, int], int]:
        threads.append(threading.current_thread().name)
        return real(s, plan_id, years)

    monkeypatch.setattr(completeness, "filled_counts", counted)
    with pair.pokja.begin() as s:
        build_board(s, catalog.get_plan(s), beside=pair.pokja.sessions)
        build_board(s, catalog.get_plan(s))
    assert threads[0].startswith("board-read") and threads[1] == threading.current_thread().name
