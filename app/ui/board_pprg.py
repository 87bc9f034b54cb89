"""The PPRG part of the completeness board: its column text and the Inspektorat action.

Kept apart from ``completeness_board`` so that module stays about the submissions.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.realisation import RealisationValues
from app.models.db import Database
from app.services import catalog, pprg_counts
from app.services.entry import EntryError, get_realisation
from app.services.pprg_counts import PprgCounts, RowChoice
from app.ui.messages import ask


def tr(text: str) -> str:
    return QCoreApplication.translate("CompletenessBoard", text)


def pprg_text(c: PprgCounts) -> str:
    """``GAP 2 · GBS 1 · telaah 2`` (accepted in the tooltip), "–" when none received."""
    if not c.received:
        return "–"
    return (
        tr("GAP {g} · GBS {b} · telaah {r}")
        .replace("{g}", str(c.gap))
        .replace("{b}", str(c.gbs))
        .replace("{r}", str(c.reviewed))
    )


def pprg_tip(c: PprgCounts) -> str:
    if not c.received:
        return tr("Belum ada GAP/GBS yang diterima dalam kiriman.")
    return (
        tr("GAP diterima: {g}\nGBS diterima: {b}\nDitelaah (versi ini): {r}\nStatus diterima: {a}")
        .replace("{g}", str(c.gap))
        .replace("{b}", str(c.gbs))
        .replace("{r}", str(c.reviewed))
        .replace("{a}", str(c.accepted))
    )


def choose_row(parent: QWidget, candidates: list[RowChoice]) -> RowChoice | None:
    """Ask once which row is the Inspektorat's PPRG-review row (tests replace this)."""
    from PySide6.QtWidgets import QInputDialog

    labels = [f"{c.label} [{c.key}]" for c in candidates]
    text, ok = QInputDialog.getItem(
        parent,
        tr("Baris Inspektorat"),
        tr("Baris yang realisasinya jumlah dokumen PPRG yang ditelaah:"),
        labels,
        0,
        False,
    )
    return candidates[labels.index(text)] if ok and text in labels else None


def fill_inspektorat(
    board: QWidget, hint: QLabel, db: Database, plan_code: str, year: int, user: str
) -> tuple[int, int, RealisationValues | None, RealisationValues | None] | None:
    """Ask, then write the year's reviewed total as the chosen row's realisation.

    The row is chosen once (``choose_row``) and remembered in the settings. Returns the
    row id, year, old and new values for the window's undo stack, or None (nothing
    written; ``hint`` says why).
    """
    with db.begin() as s:
        plan = catalog.get_plan(s, plan_code)
        row = pprg_counts.chosen_row(s, plan)
        candidates = [] if row is not None else pprg_counts.row_candidates(s, plan)
        total = pprg_counts.reviewed_total(s, year)
    if row is None:
        if not candidates:
            hint.setText(tr("Tidak ada baris rencana yang menyebut reviu dokumen PPRG."))
            return None
        row = choose_row(board, candidates)
        if row is None:
            return None
        with db.begin() as s:
            pprg_counts.choose_row(s, catalog.get_plan(s, plan_code), row.key)
    question = (
        tr("Isi realisasi tahun {y} baris\n{row}\ndengan {n} dokumen PPRG yang ditelaah?")
        .replace("{y}", str(year))
        .replace("{row}", row.label)
        .replace("{n}", str(total))
    )
    if ask(board, tr("Realisasi Inspektorat"), question, [tr("Isi"), tr("Batal")]) != 0:
        return None
    try:
        written, old = pprg_counts.fill_inspektorat_realisation(db, row.row_id, year, user)
    except EntryError as exc:
        hint.setText(str(exc))
        return None
    with db.begin() as s:
        new = get_realisation(s, row.row_id, year)
    hint.setText(
        tr("Realisasi Inspektorat {y} diisi: {n} dokumen.")
        .replace("{y}", str(year))
        .replace("{n}", str(written))
    )
    return row.row_id, year, old, new
