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
from typing import Any, NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.arg import QuestionSet
from app.formats.arg_questions import load_question_sets
from app.gc_pause import paused_gc
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
    held_counts,
    is_stored,
    plain_rows,
    read_beside,
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


@dataclass(slots=True)
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
    beside: sessionmaker[Session] | None = None,
) -> Board:
    """The board for ``plan`` over ``years`` (default: every year of the plan).

    With ``beside`` (the database's session factory) the filled rows are counted on a
    second connection while the rest is read: pass it only when ``session`` holds no
    write of its own that is not committed yet, since the second connection cannot see
    one. The window and ``python -m app board`` read the board in a session of its own.
    """
    # A province board makes ~20,000 small objects (cells, their counters, fetched rows),
    # none of them garbage while it is built; a full collection over the process's heap
    # in the middle cost ~25 ms on half the builds.
    with paused_gc():
        return _build_board(session, plan, years, qsets, beside)


def _build_board(
    session: Session,
    plan: Plan,
    years: Iterable[int] | None,
    qsets: dict[str, QuestionSet] | None,
    beside: sessionmaker[Session] | None,
) -> Board:
    wanted = sorted(set(plan.years if years is None else years))
    for y in wanted:
        if y not in plan.years:
            raise ValueError(f"Tahun {y} di luar periode {plan.start_year}–{plan.end_year}.")
    qsets = load_question_sets() if qsets is None else qsets

    def count_filled(s: Session) -> dict[tuple[int, int], int]:
        return filled_counts(s, plan.id, wanted)

    filled_later = None if beside is None else read_beside(beside, count_filled)
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
    opds = sorted(
        (
            (o.id, o.code, o.name, o.short_name)
            for o in every
            if o.id in live_rows or o.id in node_opds
        ),
        key=lambda o: o[3].casefold(),  # by short name
    )

    held = held_counts(session, plan.id, wanted) if any_retired else {}
    classes = arg_classes(session, plan.id, wanted, qsets)
    current, revisions = _submissions(session, plan, wanted)
    refusals = _refusals(session, wanted)
    pprg = received_counts(session, wanted)
    corrected = count_by_opd(session, plan.id, wanted)
    filled = count_filled(session) if filled_later is None else filled_later.result()

    # Each cell is made whole in one go: a province has 3,762, and setting their fields
    # one reading at a time cost more than some of the readings.
    rows = []
    for oid, code, name, short_name in opds:  # plain values: a Row's fields are read by name
        in_force = live_rows.get(oid, 0)
        cells = {}
        for y in wanted:
            key = (code, y)
            s = current.get(key)
            refused = [
                r for r in refusals.get(key, ()) if s is None or r.at > s.received_at
            ]  # a refusal before the current revision arrived is superseded by it
            state = NONE if s is None else s.state
            cells[y] = Cell(
                code,
                y,
                state=REFUSED if s is None and refused else state,
                revision=None if s is None else s.revision,
                received_at=None if s is None else s.received_at,
                file_name="" if s is None else s.file_name,
                key_id=None if s is None else s.key_id,
                revisions=revisions.get(key, 0),
                refused=refused,
                rows=in_force + held.get((oid, y), 0),
                filled=filled.get((oid, y), 0),
                classes=classes.get((oid, y)) or Counter(),
                # The board must not say "signed" alone where Pokja changed the figures.
                corrections=corrected.get(key, 0) if state == SIGNED else 0,
                pprg=pprg.get(key) or PprgCounts(),
            )
        rows.append(BoardRow(code, name, short_name, in_force, cells))
    return Board(plan.code, plan.title, wanted, rows)


class _Current(NamedTuple):
    """The current submission of one OPD and year, as the board shows it.

    Plain tuple fields: reading five fields of 3,762 SQLAlchemy rows by name cost more
    than building the cells.
    """

    state: str
    revision: int
    received_at: datetime
    file_name: str
    key_id: str | None
    flagged: bool  # ``submission.current``


def _submissions(
    session: Session, plan: Plan, years: list[int]
) -> tuple[dict[tuple[str, int], _Current], dict[tuple[str, int], int]]:
    """(OPD code, year) → its current signed or unsigned submission, and → how many of
    its stored revisions keep their content (what "Bandingkan revisi" can use)."""
    current: dict[tuple[str, int], _Current] = {}
    revisions: dict[tuple[str, int], int] = {}
    if not years:
        return current, revisions
    # Refused files are recorded with an empty plan code (the plan may be what was wrong).
    # Plain rows from the connection, as in ``board_counts``: a province has 3,762.
    query = (
        select(
            Submission.opd_code,
            Submission.year,
            Submission.revision,
            Submission.received_at,
            Submission.signature_state,
            Submission.file_name,
            Submission.key_id,
            Submission.current,
            is_stored(Submission.content),
        )
        .where(
            Submission.year.in_(years),
            or_(Submission.plan_code == plan.code, Submission.plan_code == ""),
            Submission.signature_state.in_((SIGNED, UNSIGNED)),
        )
        .order_by(Submission.received_at, Submission.id)
    )
    for code, year, revision, received_at, state, name, key_id, flagged, has_content in plain_rows(
        session, query
    ):
        key = (code, year)
        if has_content:
            revisions[key] = revisions.get(key, 0) + 1
        # The flagged current one wins; without a flag (never expected) the latest counts.
        held = current.get(key)
        if flagged or held is None or not held.flagged:
            current[key] = _Current(state, revision, received_at, name, key_id, flagged)
    return current, revisions


def _refusals(session: Session, years: list[int]) -> dict[tuple[str, int], list[Refusal]]:
    """(OPD code, year) → every refusal the importer could attribute to it, oldest first."""
    found: dict[tuple[str, int], list[Refusal]] = {}
    if not years:
        return found
    for at, name, reason, opd_code, year in plain_rows(
        session,
        select(
            ImportLog.at, ImportLog.file_name, ImportLog.reason, ImportLog.opd_code, ImportLog.year
        )
        .where(
            ImportLog.outcome == _REFUSED_OUTCOME,
            ImportLog.opd_code.is_not(None),
            ImportLog.year.in_(years),
        )
        .order_by(ImportLog.at, ImportLog.id),
    ):
        if opd_code is not None and year is not None:
            found.setdefault((opd_code, year), []).append(Refusal(at, name, reason))
    return found


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
