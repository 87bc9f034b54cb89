"""Pokja's completeness board: which OPD sent what for which year (no Qt here).

One cell per OPD and year says what Pokja holds: nothing yet, the current revision
(signed, or an unsigned fill-in workbook) with the date it arrived, or only refused
files; and whether files were refused after the current one, because a refusal after
an accepted file usually means the OPD tried to send a correction that did not get in.
Beside the state, the rows filled and the ARG classes come from the database itself,
not from the files, so the board also shows figures entered by hand at Pokja.

Everything is read with a handful of grouped column selects (never the stored
``content`` JSON); the rows filled and the ARG classes are counted by the database
(``board_counts``), so a province board (1,254 OPDs × 3 years, 97k realisations) has
no per-realisation or per-answer row to load. It is computed afresh on every build
rather than kept in a summary: no write path (entry, import, plan edits) can leave it
stale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.arg import QuestionSet
from app.formats.arg_questions import load_question_sets
from app.models.schema import (
    ImportLog,
    Opd,
    Plan,
    PlanNode,
    Submission,
)
from app.services.board_counts import (
    INCOMPLETE,
    arg_classes,
    filled_counts,
    is_stored,
    plain_rows,
    row_counts,
)
from app.services.corrections import corrections_note, count_by_opd
from app.services.pprg_counts import PprgCounts, received_counts

# Cell states, in the order the board sorts them (worst first).
NONE = "none"
REFUSED = "refused"
UNSIGNED = "unsigned"
SIGNED = "signed"
STATE_ORDER = (NONE, REFUSED, UNSIGNED, SIGNED)

CLASS_ORDER = ("Responsif Gender", "Kurang Responsif Gender", "Tidak Responsif Gender", INCOMPLETE)
CLASS_SHORT = {
    "Responsif Gender": "RG",
    "Kurang Responsif Gender": "KRG",
    "Tidak Responsif Gender": "TRG",
    INCOMPLETE: "BL",
}

_REFUSED_OUTCOME = "ditolak"  # importer.REFUSED, kept literal to avoid importing the importer


@dataclass(frozen=True)
class Refusal:
    at: datetime
    file_name: str
    reason: str


def share_text(part: int, whole: int) -> str:
    """``812/848 (96%)``; never "0%" for some nor "100%" for not all.

    Plain rounding would say "0%" for 1 of 456 rows filled and "100%" for 455 of 456:
    both read as the opposite of the truth on a board Pokja acts on.
    """
    pct = 100 * part / whole if whole else 0.0
    if 0 < part < whole and round(pct) < 1:
        shown = "<1%"
    elif 0 < part < whole and round(pct) >= 100:
        shown = ">99%"
    else:
        shown = f"{pct:.0f}%"
    return f"{part}/{whole} ({shown})"


@dataclass
class Cell:
    """One OPD in one year."""

    opd_code: str
    year: int
    state: str = NONE
    revision: int | None = None
    received_at: datetime | None = None
    file_name: str = ""
    key_id: str | None = None
    revisions: int = 0  # stored revisions with content (what "Bandingkan revisi" can use)
    refused: list[Refusal] = field(default_factory=list)  # after the current one (or all)
    rows: int = 0
    filled: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    corrections: int = 0  # values Pokja corrected on the current signed figures
    pprg: PprgCounts = field(default_factory=PprgCounts)  # GAP/GBS received and reviewed

    @property
    def refused_after(self) -> int:
        """Refused files that arrived after the current revision (all, when none)."""
        return len(self.refused)

    @property
    def percent(self) -> float:
        return 100.0 * self.filled / self.rows if self.rows else 0.0

    @property
    def state_text(self) -> str:
        """Short Indonesian text of the state, as the board and the CLI print it."""
        if self.state == NONE:
            return "belum ada"
        if self.state == REFUSED:
            return "ditolak" if self.refused_after <= 1 else f"ditolak ({self.refused_after}×)"
        assert self.received_at is not None
        text = f"revisi {self.revision}, {self.received_at:%d-%m-%Y}"
        if self.state == UNSIGNED:
            text += ", tanpa tanda tangan"
        if self.corrections:
            text += " " + corrections_note(self.corrections)
        if self.refused:
            text += f"; {self.refused_after} ditolak sesudahnya"
        return text

    @property
    def filled_text(self) -> str:
        """``812/848 (96%)``, ``1/456 (<1%)``, ``455/456 (>99%)``."""
        return share_text(self.filled, self.rows)

    @property
    def classes_text(self) -> str:
        """``RG 3 · KRG 1 · BL 2`` (empty when no kegiatan was assessed)."""
        return " · ".join(
            f"{CLASS_SHORT[c]} {self.classes[c]}" for c in CLASS_ORDER if self.classes.get(c)
        )


@dataclass
class BoardRow:
    """One OPD with a cell per year of the board."""

    opd_code: str
    opd_name: str
    short_name: str
    rows: int
    cells: dict[int, Cell]

    @property
    def filled(self) -> int:
        return sum(c.filled for c in self.cells.values())

    @property
    def possible(self) -> int:
        return self.rows * len(self.cells)

    @property
    def received(self) -> int:
        """Years for which a current (signed or unsigned) submission is held."""
        return sum(1 for c in self.cells.values() if c.state in (SIGNED, UNSIGNED))

    @property
    def pprg(self) -> PprgCounts:
        """GAP/GBS over every year of the board."""
        total = PprgCounts()
        for c in self.cells.values():
            total.gap += c.pprg.gap
            total.gbs += c.pprg.gbs
            total.reviewed += c.pprg.reviewed
            total.accepted += c.pprg.accepted
        return total

    @property
    def classes(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for c in self.cells.values():
            total.update(c.classes)
        return total


@dataclass
class Board:
    plan_code: str
    plan_title: str
    years: list[int]
    rows: list[BoardRow]

    def row(self, opd_code: str) -> BoardRow:
        for r in self.rows:
            if r.opd_code == opd_code:
                return r
        raise LookupError(f"Perangkat Daerah tidak ada di papan: {opd_code}")

    def received(self, year: int) -> int:
        """OPDs holding a current submission for ``year``."""
        return sum(1 for r in self.rows if r.cells[year].state in (SIGNED, UNSIGNED))

    def pprg_reviewed(self, year: int) -> int:
        """The regency's reviewed GAP/GBS of ``year`` (``pprg_counts.reviewed_total``)."""
        return sum(r.cells[year].pprg.reviewed for r in self.rows)


def build_board(
    session: Session,
    plan: Plan,
    years: Iterable[int] | None = None,
    qsets: dict[str, QuestionSet] | None = None,
) -> Board:
    """The board for ``plan`` over ``years`` (default: every year of the plan)."""
    wanted = sorted(set(plan.years if years is None else years))
    for y in wanted:
        if y not in plan.years:
            raise ValueError(f"Tahun {y} di luar periode {plan.start_year}–{plan.end_year}.")
    qsets = load_question_sets() if qsets is None else qsets

    live_rows, any_retired = row_counts(session, plan.id)
    # OPDs of the plan: those owning rows or kegiatan (an OPD with ARG only still shows).
    # Only the OPDs without rows in force (few, usually none) are looked for among the
    # plan's nodes, by the OPD index: a DISTINCT over a province's 26k nodes cost more.
    every = plain_rows(session, select(Opd.id, Opd.code, Opd.name, Opd.short_name))
    rest = [o.id for o in every if o.id not in live_rows]
    node_opds = (
        set(
            session.scalars(
                select(PlanNode.opd_id)
                .where(PlanNode.plan_id == plan.id, PlanNode.opd_id.in_(rest))
                .distinct()
            )
        )
        if rest
        else set()
    )
    opds = [o for o in every if o.id in live_rows or o.id in node_opds]
    by_id = {o.id: o for o in opds}

    filled, held = filled_counts(session, plan.id, wanted, any_retired)
    classes = arg_classes(session, plan.id, wanted, qsets)

    cells: dict[tuple[str, int], Cell] = {
        (o.code, y): Cell(
            o.code,
            y,
            rows=live_rows.get(o.id, 0) + held.get((o.id, y), 0),
            filled=filled.get((o.id, y), 0),
            classes=classes.get((o.id, y), Counter()),
        )
        for o in opds
        for y in wanted
    }
    _read_submissions(session, plan, wanted, cells)
    for key, counts in received_counts(session, wanted).items():
        if key in cells:
            cells[key].pprg = counts
    # The board must not say "signed" alone where Pokja changed the signed figures.
    for key, n in count_by_opd(session, plan.id, wanted).items():
        if key in cells and cells[key].state == SIGNED:
            cells[key].corrections = n

    rows = [
        BoardRow(
            o.code,
            o.name,
            o.short_name,
            live_rows.get(o.id, 0),
            {y: cells[(o.code, y)] for y in wanted},
        )
        for o in sorted(by_id.values(), key=lambda o: o.short_name.casefold())
    ]
    return Board(plan.code, plan.title, wanted, rows)


def _read_submissions(
    session: Session, plan: Plan, years: list[int], cells: dict[tuple[str, int], Cell]
) -> None:
    """Fill each cell's state from ``submission`` and the refusals in ``import_log``."""
    if not years:
        return
    current: dict[tuple[str, int], Any] = {}
    # Refused files are recorded with an empty plan code (the plan may be what was wrong).
    # Plain rows from the connection, as in ``board_counts``: a province has 3,762.
    for s in plain_rows(
        session,
        select(
            Submission.opd_code,
            Submission.year,
            Submission.revision,
            Submission.received_at,
            Submission.signature_state,
            Submission.file_name,
            Submission.key_id,
            Submission.current,
            is_stored(Submission.content).label("has_content"),
        )
        .where(
            Submission.year.in_(years),
            or_(Submission.plan_code == plan.code, Submission.plan_code == ""),
            Submission.signature_state.in_((SIGNED, UNSIGNED)),
        )
        .order_by(Submission.received_at, Submission.id),
    ):
        key = (s.opd_code, s.year)
        cell = cells.get(key)
        if cell is None:
            continue
        if s.has_content:
            cell.revisions += 1
        # The flagged current one wins; without a flag (never expected) the latest counts.
        if s.current or (key not in current or not current[key].current):
            current[key] = s
    for key, s in current.items():
        cell = cells[key]
        cell.state = s.signature_state
        cell.revision = s.revision
        cell.received_at = s.received_at
        cell.file_name = s.file_name
        cell.key_id = s.key_id

    # Every refusal the importer could attribute to an OPD and year is in the log.
    for at, name, reason, opd_code, year in session.execute(
        select(
            ImportLog.at, ImportLog.file_name, ImportLog.reason, ImportLog.opd_code, ImportLog.year
        )
        .where(
            ImportLog.outcome == _REFUSED_OUTCOME,
            ImportLog.opd_code.is_not(None),
            ImportLog.year.in_(years),
        )
        .order_by(ImportLog.at, ImportLog.id)
    ):
        cell = None if opd_code is None or year is None else cells.get((opd_code, year))
        if cell is None:
            continue
        if cell.received_at is not None and at <= cell.received_at:
            continue  # refused before the current revision arrived: superseded by it
        cell.refused.append(Refusal(at, name, reason))
        if cell.state == NONE:
            cell.state = REFUSED


def board_json(board: Board) -> dict[str, Any]:
    """The board for ``python -m app board --json`` (plain values, ISO times)."""

    def cell(c: Cell) -> dict[str, Any]:
        return {
            "state": c.state,
            "state_text": c.state_text,
            "revision": c.revision,
            "received_at": None if c.received_at is None else c.received_at.isoformat(),
            "file_name": c.file_name,
            "revisions": c.revisions,
            "refused_after": c.refused_after,
            "pokja_corrections": c.corrections,
            "refusals": [
                {"at": r.at.isoformat(), "file_name": r.file_name, "reason": r.reason}
                for r in c.refused
            ],
            "rows": c.rows,
            "filled": c.filled,
            "arg_classes": {k: c.classes[k] for k in CLASS_ORDER if c.classes.get(k)},
            "pprg": _pprg_json(c.pprg),
        }

    return {
        "plan": board.plan_code,
        "title": board.plan_title,
        "years": board.years,
        "received": {str(y): board.received(y) for y in board.years},
        "pprg_reviewed": {str(y): board.pprg_reviewed(y) for y in board.years},
        "opds": [
            {
                "code": r.opd_code,
                "name": r.opd_name,
                "short_name": r.short_name,
                "rows": r.rows,
                "filled": r.filled,
                "possible": r.possible,
                "received_years": r.received,
                "arg_classes": {k: r.classes[k] for k in CLASS_ORDER if r.classes.get(k)},
                "pprg": _pprg_json(r.pprg),
                "years": {str(y): cell(c) for y, c in r.cells.items()},
            }
            for r in board.rows
        ],
    }


def _pprg_json(c: PprgCounts) -> dict[str, int]:
    return {"gap": c.gap, "gbs": c.gbs, "reviewed": c.reviewed, "accepted": c.accepted}


__all__ = [
    "CLASS_ORDER",
    "CLASS_SHORT",
    "INCOMPLETE",
    "NONE",
    "REFUSED",
    "SIGNED",
    "STATE_ORDER",
    "UNSIGNED",
    "Board",
    "BoardRow",
    "Cell",
    "Refusal",
    "board_json",
    "build_board",
    "share_text",
]
