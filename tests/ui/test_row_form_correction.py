"""The row form keeps an OPD's signed figures read-only for Pokja; a correction is an
explicit act with a reason and is marked on the corrected fields (issue 11, item 6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.services import catalog, corrections, entry, importer
from app.ui.correction_dialog import CorrectionDialog
from app.ui.row_form import RowForm
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    path = submit(p, tmp_path / "r1.xlsx")
    assert importer.import_file(p.pokja, path, accept_new_key=True).ok
    yield p
    p.dispose()


def _rows(pair: Pair, opd: str) -> list[int]:
    with pair.pokja.begin() as s:
        plan = catalog.get_plan(s)
        return [r.id for r in catalog.load_rows(s, plan.id, catalog.find_opd(s, opd).id)]


def _filled(pair: Pair) -> int:
    with pair.pokja.begin() as s:
        for rid in _rows(pair, OPD):
            v = entry.get_realisation(s, rid, YEAR)
            if v is not None and v.budget is not None:
                return rid
    raise AssertionError("no filled row")


def test_signed_figures_are_read_only_until_a_correction_with_a_reason(
    qtbot: QtBot, pair: Pair
) -> None:
    form = RowForm(pair.pokja, "Rina (Pokja)")
    qtbot.addWidget(form)
    form.show()
    rid = _filled(pair)
    form.load(rid, YEAR)
    budget = form.real_box.edits["budget"]
    assert form.correction_banner.isVisible()
    assert "Kiriman bertanda tangan" in form.correction_banner.label.text()
    assert form.signed_read_only and not budget.isEnabled()
    assert form.correction_banner.button.isEnabled()

    form.begin_correction("salah ketik, dikonfirmasi OPD")
    assert budget.isEnabled() and not form.correction_banner.button.isEnabled()
    budget.setText("60")
    assert form.commit()
    with pair.pokja.begin() as s:
        fixes = corrections.row_corrections(s, rid, YEAR)
    assert [(c.field, c.corrected_value, c.by) for c in fixes] == [("budget", "60", "Rina (Pokja)")]
    # The corrected field is marked, with the whole story in its tooltip and the banner.
    assert budget.property("corrected") is True
    assert budget.toolTip().startswith("Dikoreksi Pokja: Pagu anggaran ")
    assert "→ 60, alasan: salah ketik, dikonfirmasi OPD, oleh Rina (Pokja)" in budget.toolTip()
    assert fixes[0].text in form.correction_banner.label.text()
    assert form.real_box.edits["total"].property("corrected") is not True

    # Another visit: read-only again, the mark stays.
    form.load(rid, YEAR)
    assert not budget.isEnabled() and budget.property("corrected") is True

    # Undo writes the signed value back and the correction ends.
    form.undo_stack.undo()
    with pair.pokja.begin() as s:
        assert corrections.row_corrections(s, rid, YEAR) == []
    form.load(rid, YEAR)
    assert budget.property("corrected") is not True


def test_rows_of_an_opd_without_a_signed_file_are_ordinary_edits(qtbot: QtBot, pair: Pair) -> None:
    form = RowForm(pair.pokja, "Pokja")
    qtbot.addWidget(form)
    form.show()
    form.load(_rows(pair, "OPD-002")[0], YEAR)
    assert not form.correction_banner.isVisible()
    assert form.real_box.edits["total"].isEnabled() and not form.signed_read_only


def test_the_dialog_requires_a_reason(qtbot: QtBot) -> None:
    dialog = CorrectionDialog("Pelatihan kader", "kiriman bertanda tangan OPD-001, revisi 2")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "minimal" in dialog.hint.text()
    dialog.reason_edit.setPlainText("ok")
    assert not ok.isEnabled()
    dialog.reason_edit.setPlainText("  angka   salah ketik ")
    assert ok.isEnabled() and dialog.reason == "angka salah ketik"
