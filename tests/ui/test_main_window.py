"""The main window driven as a focal point or Pokja member would: tree, search, form, undo."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.domain.search import normalise
from app.models.db import Database, open_database
from app.services import catalog, entry
from app.ui import main_window as main_window_module
from app.ui.main_window import MainWindow
from app.ui.plan_model import COL_REAL, COL_TARGET, visible_row_ids

from .conftest import FOCAL, POKJA

Make = Callable[..., MainWindow]

# The offscreen platform cannot pass size hints to a window manager it does not have.


def dump(db: Database) -> dict[str, Any]:
    """What ``python -m app dump`` prints: every row with targets and realisations."""
    with db.begin() as s:
        return catalog.dump(s, catalog.get_plan(s))


def edit(window: MainWindow, name: str) -> QLineEdit:
    widget = window.findChild(QLineEdit, name)
    assert widget is not None, name
    return widget


def type_into(
    qtbot: QtBot, field: QLineEdit, text: str, key: Qt.Key | None = None, *, focus: bool = True
) -> None:
    """Replace a field's text by typing, optionally press a key after it.

    With ``focus`` the cursor first moves into the field, which (as for a user) makes
    the field that had it report that its editing finished.
    """
    if focus:
        field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)
    if key is not None:
        qtbot.keyClick(field, key)


def leave(field: QLineEdit) -> None:
    """The user moves on (Tab, a click elsewhere): the field reports editing finished."""
    field.editingFinished.emit()


def tree_text(window: MainWindow, row_id: int, column: int) -> str:
    index = window.browser.model.index_of_row(row_id).siblingAtColumn(column)
    return window.browser.model.data(index) or ""


def first_row(window: MainWindow) -> int:
    row_id = window.current_row_id
    assert row_id is not None  # the window selects the first row on opening
    return row_id


def test_realisation_typed_in_the_form_survives_a_restart(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db)
    rows = sorted(window.browser.rows, key=lambda r: r.seq)
    row = rows[10]
    assert window.select_row(row.id)
    type_into(qtbot, edit(window, "real-male"), "12")
    qtbot.keyClick(edit(window, "real-male"), Qt.Key.Key_Tab)  # focus moves to Perempuan
    type_into(qtbot, edit(window, "real-female"), "15")
    qtbot.keyClick(edit(window, "real-female"), Qt.Key.Key_Tab)
    type_into(qtbot, edit(window, "real-disabled"), "1", Qt.Key.Key_Return)
    type_into(qtbot, edit(window, "real-budget"), "1.500.000", Qt.Key.Key_Return)
    type_into(qtbot, edit(window, "real-spending"), "1.200.000", Qt.Key.Key_Return)
    window.form.real_box.evidence.setFocus()
    qtbot.keyClicks(window.form.real_box.evidence, "Daftar hadir pelatihan")
    edit(window, "real-total").setFocus()  # leaving the text box saves it

    assert window.form.real_box.saved_label.text().startswith("Tersimpan ")
    assert tree_text(window, row.id, COL_REAL) == "28"  # total = 12 + 15 + 1
    assert window.form.real_box.absorption.text() == "80,00 %"
    assert "Terisi 1 dari 300 baris" in window.completeness.text()
    window.close()

    assert syn_db.path is not None
    syn_db.dispose()
    db = open_database(syn_db.path)
    try:
        again = make_window(db)
        assert again.select_row(row.id)
        assert edit(again, "real-male").text() == "12"
        assert edit(again, "real-female").text() == "15"
        assert edit(again, "real-disabled").text() == "1"
        # The total was never typed: it follows the parts and says so.
        assert edit(again, "real-total").text() == ""
        assert edit(again, "real-total").placeholderText() == "otomatis: 28"
        assert edit(again, "real-budget").text() == "1.500.000"
        assert again.form.real_box.evidence.text() == "Daftar hadir pelatihan"
        assert tree_text(again, row.id, COL_REAL) == "28"
        with db.begin() as s:
            stored = entry.get_realisation(s, row.id, 2023)
        assert stored is not None and stored.breakdown.total == Decimal(28)
        assert stored.spending == Decimal(1_200_000)
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"real-male": "abc"}, "bukan angka"),
        ({"real-total": "-5"}, "negatif"),
        ({"real-total": "10", "real-male": "3", "real-female": "3"}, "Rincian tidak sesuai"),
        ({"real-budget": "12,5"}, "Rupiah penuh"),
    ],
)
def test_refused_input_keeps_the_text_shows_why_and_saves_nothing(
    qtbot: QtBot, syn_db: Database, make_window: Make, typed: dict[str, str], message: str
) -> None:
    window = make_window(syn_db)
    row_id = first_row(window)
    before = dump(syn_db)
    # Typed without moving the focus, so only the final Enter asks for a save.
    for name, text in typed.items():
        type_into(qtbot, edit(window, name), text, focus=False)
    last = edit(window, list(typed)[-1])
    qtbot.keyClick(last, Qt.Key.Key_Return)
    leave(last)

    assert dump(syn_db) == before
    for name, text in typed.items():
        assert edit(window, name).text() == text
    assert window.form.real_box.error.isVisible()
    assert message in window.form.real_box.error.text()
    assert window.form.has_error
    assert tree_text(window, row_id, COL_REAL) == ""
    assert not window.undo_stack.canUndo()


def test_parts_typed_after_the_total_raise_no_alarm_until_the_figures_are_left(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db)
    row_id = first_row(window)
    type_into(qtbot, edit(window, "real-total"), "10", Qt.Key.Key_Tab)
    type_into(qtbot, edit(window, "real-male"), "3", Qt.Key.Key_Tab)
    # 3 of 10 so far, the focus is still among the figures: no red message yet.
    assert not window.form.real_box.error.isVisible()
    type_into(qtbot, edit(window, "real-female"), "7", Qt.Key.Key_Tab)
    assert not window.form.has_error
    with syn_db.begin() as s:
        stored = entry.get_realisation(s, row_id, 2023)
    assert stored is not None
    assert (stored.breakdown.total, stored.breakdown.male, stored.breakdown.female) == (10, 3, 7)


def test_switching_rows_with_a_refused_value_asks_to_fix_or_discard(
    qtbot: QtBot, syn_db: Database, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(syn_db)
    row_id = first_row(window)
    other = sorted(window.browser.rows, key=lambda r: r.seq)[5].id
    before = dump(syn_db)
    type_into(qtbot, edit(window, "real-male"), "abc", Qt.Key.Key_Return)
    asked: list[str] = []

    def fix(parent: object, message: str) -> bool:
        asked.append(message)
        return False

    monkeypatch.setattr(main_window_module, "confirm_discard", fix)
    window.select_row(other)
    qtbot.waitUntil(
        lambda: window.browser.tree.currentIndex() == window.browser.model.index_of_row(row_id)
    )
    assert window.current_row_id == row_id
    assert edit(window, "real-male").text() == "abc"
    assert asked and "bukan angka" in asked[0]

    monkeypatch.setattr(main_window_module, "confirm_discard", lambda parent, message: True)
    assert window.select_row(other)
    assert edit(window, "real-male").text() == ""
    assert not window.form.has_error
    assert dump(syn_db) == before


def test_undo_and_redo_a_realisation(qtbot: QtBot, syn_db: Database, make_window: Make) -> None:
    window = make_window(syn_db)
    row_id = first_row(window)
    type_into(qtbot, edit(window, "real-total"), "20", Qt.Key.Key_Return)
    type_into(qtbot, edit(window, "real-total"), "25", Qt.Key.Key_Return)
    assert tree_text(window, row_id, COL_REAL) == "25"

    def stored() -> Decimal | None:
        with syn_db.begin() as s:
            r = entry.get_realisation(s, row_id, 2023)
        return r.breakdown.total if r else None

    window.browser.tree.setFocus()
    window.undo_action.trigger()
    assert stored() == 20
    assert edit(window, "real-total").text() == "20"
    assert tree_text(window, row_id, COL_REAL) == "20"
    window.undo_action.trigger()
    assert stored() is None
    assert edit(window, "real-total").text() == ""
    assert tree_text(window, row_id, COL_REAL) == ""
    assert "Terisi 0 dari" in window.completeness.text()
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert stored() == 25
    assert edit(window, "real-total").text() == "25"
    assert tree_text(window, row_id, COL_REAL) == "25"


def test_undo_brings_back_the_row_and_year_it_changed(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db)
    row_id = first_row(window)
    type_into(qtbot, edit(window, "real-total"), "7", Qt.Key.Key_Return)
    window.browser.year_box.setCurrentIndex(window.browser.years.index(2024))
    other = sorted(window.browser.rows, key=lambda r: r.seq)[20].id
    window.select_row(other)
    window.undo()
    assert (window.current_row_id, window.year) == (row_id, 2023)
    assert edit(window, "real-total").text() == ""


def test_undo_and_redo_a_target_proposal(qtbot: QtBot, syn_db: Database, make_window: Make) -> None:
    window = make_window(syn_db)
    row_id = first_row(window)
    with syn_db.begin() as s:
        official = catalog.row_detail(s, row_id).targets[2023].text
    type_into(qtbot, edit(window, "target-2023-text"), "25 orang terdiri dari 10 L, 15 P")
    type_into(qtbot, edit(window, "target-2023-male"), "10")
    type_into(qtbot, edit(window, "target-2023-female"), "15", Qt.Key.Key_Return)

    def proposal() -> catalog.TargetInfo:
        with syn_db.begin() as s:
            return catalog.row_detail(s, row_id).targets[2023]

    t = proposal()
    assert t.proposed and t.proposed_breakdown.total == 25  # total = sum of the parts
    assert t.text == official  # the official target is kept
    assert tree_text(window, row_id, COL_TARGET) == "✎ 25 orang terdiri dari 10 L, 15 P"
    tip = window.browser.model.data(
        window.browser.model.index_of_row(row_id).siblingAtColumn(COL_TARGET),
        Qt.ItemDataRole.ToolTipRole,
    )
    assert "Target diusulkan berubah" in tip
    # A search finds the row by the words of its proposal.
    window.browser.search.setText("terdiri 15 P")
    window.browser.apply_filter()
    assert row_id in set(visible_row_ids(window.browser.model))

    # One proposal typed over three fields is taken back in one step.
    assert window.undo_stack.count() == 1
    window.undo()
    assert not proposal().proposed
    assert edit(window, "target-2023-text").text() == ""
    assert tree_text(window, row_id, COL_TARGET) == official
    window.redo()
    assert proposal().proposed
    assert edit(window, "target-2023-female").text() == "15"

    # Clearing every proposal field withdraws the proposal.
    for name in ("text", "male", "female"):
        type_into(qtbot, edit(window, f"target-2023-{name}"), "")
    qtbot.keyClick(edit(window, "target-2023-female"), Qt.Key.Key_Return)
    assert not proposal().proposed
    window.undo()
    assert proposal().proposed


def test_search_ignores_case_and_accents_and_needs_every_word(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db)

    def expected(*words: str) -> set[int]:
        out = set()
        for r in window.browser.rows:
            text = normalise(
                " | ".join(
                    [
                        r.opd_name,
                        *r.path.values(),
                        r.aktivitas,
                        r.indikator,
                        r.satuan,
                        r.keterangan,
                        *r.target_texts,
                    ]
                )
            )
            if all(w in text for w in words):
                out.add(r.id)
        return out

    want = expected("perempuan")
    assert 0 < len(want) < len(window.browser.rows)
    for query in ("PEREMPUAN", "perempuán"):
        window.browser.search.clear()
        # QTest can only type ASCII keys; the accented word arrives as from an input method.
        window.browser.search.insert(query)
        qtbot.waitUntil(lambda: window.browser.match_label.text().endswith("cocok"))
        assert set(visible_row_ids(window.browser.model)) == want
    assert window.browser.match_label.text() == f"{len(want)} cocok"

    window.browser.search.setText("pelatihan  PEREMPUAN posyandu")
    window.browser.apply_filter()
    both = expected("pelatihan", "perempuan", "posyandu")
    assert set(visible_row_ids(window.browser.model)) == both
    assert both < want

    window.browser.search.setText("tidak-ada-kata-ini")
    window.browser.apply_filter()
    assert window.browser.model.rowCount() == 0
    window.browser.search.clear()
    window.browser.apply_filter()
    assert len(list(visible_row_ids(window.browser.model))) == len(window.browser.rows)


def test_belum_diisi_shows_only_rows_without_a_realisation_for_the_year(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    rows = sorted(catalog_rows(syn_db), key=lambda r: r.seq)
    entry.save_realisation(syn_db, rows[0].id, 2023, _values("4"), "uji")
    entry.save_realisation(syn_db, rows[1].id, 2024, _values("4"), "uji")
    window = make_window(syn_db)
    window.browser.unfilled.setChecked(True)
    shown = set(visible_row_ids(window.browser.model))
    assert rows[0].id not in shown and rows[1].id in shown
    assert len(shown) == 299
    # The filter follows the year.
    window.browser.year_box.setCurrentIndex(window.browser.years.index(2024))
    shown = set(visible_row_ids(window.browser.model))
    assert rows[0].id in shown and rows[1].id not in shown
    # Combined with a search.
    window.browser.search.setText(rows[1].indikator)
    window.browser.apply_filter()
    assert rows[1].id not in set(visible_row_ids(window.browser.model))
    window.browser.unfilled.setChecked(False)
    assert rows[1].id in set(visible_row_ids(window.browser.model))


def catalog_rows(db: Database) -> list[catalog.RowSummary]:
    with db.begin() as s:
        return catalog.load_rows(s, catalog.get_plan(s).id)


def _values(total: str) -> Any:
    from app.domain.realisation import parse_realisation

    return parse_realisation({"total": total})


def test_focal_point_sees_only_their_opd_and_pokja_sees_all(
    syn_db: Database, make_window: Make
) -> None:
    focal = make_window(syn_db, FOCAL)
    assert focal.browser.model.rowCount() == 1
    top = focal.browser.model.index(0, 0)
    assert focal.browser.model.data(top) == "Dinas Uji 002"
    codes = {focal.browser.row_by_id[i].opd_code for i in visible_row_ids(focal.browser.model)}
    assert codes == {"OPD-002"}
    assert "Dinas Uji 002" in focal.user_label.text()
    total_002 = sum(1 for r in catalog_rows(syn_db) if r.opd_code == "OPD-002")
    assert f"dari {total_002} baris" in focal.completeness.text()
    focal.close()

    pokja = make_window(syn_db, POKJA)
    assert pokja.browser.model.rowCount() == 5
    assert len(list(visible_row_ids(pokja.browser.model))) == 300
    assert "Pokja PUG" in pokja.user_label.text()


def test_keyboard_ctrl_f_searches_and_enter_in_the_tree_goes_to_the_form(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db)
    window.browser.tree.setFocus()
    qtbot.keyClick(window.browser.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.browser.search
    qtbot.keyClicks(window.browser.search, "gizi")
    qtbot.keyClick(window.browser.search, Qt.Key.Key_Return)  # to the first match
    assert QApplication.focusWidget() is window.browser.tree
    assert window.current_row_id is not None
    assert "gizi" in normalise(str(window.browser.row_by_id[window.current_row_id]))
    qtbot.keyClick(window.browser.tree, Qt.Key.Key_Down)
    qtbot.keyClick(window.browser.tree, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is edit(window, "real-total")
    qtbot.keyClick(edit(window, "real-total"), Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.browser.tree


def test_year_selector_changes_the_columns_and_the_completeness(
    syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db)
    row_id = first_row(window)
    entry.save_realisation(syn_db, row_id, 2024, _values("3"), "uji")
    window.browser.year_box.setCurrentIndex(window.browser.years.index(2024))
    assert window.browser.model.headerData(COL_REAL, Qt.Orientation.Horizontal) == "Realisasi 2024"
    assert "Terisi 1 dari 300 baris (0,3 %) untuk tahun 2024" in window.completeness.text()
    assert edit(window, "real-total").text() == "3"
    assert window.form.real_box.title() == "Realisasi tahun 2024"


def test_window_geometry_is_remembered(
    syn_db: Database, make_window: Make, settings: QSettings
) -> None:
    window = make_window(syn_db)
    window.resize(780, 560)  # inside the offscreen screen, which is small
    window.close()
    assert settings.value("main/geometry") is not None
    again = make_window(syn_db)
    assert (again.width(), again.height()) == (780, 560)
