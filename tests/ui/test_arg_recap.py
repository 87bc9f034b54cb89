"""The recap agrees with the dialog, sorts, and gives Pokja counts per class per OPD."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.domain.arg import Answer
from app.formats.arg_questions import current_question_set, load_question_sets
from app.models.db import Database
from app.services import catalog
from app.services.arg_store import assessable_nodes, save_answer
from app.ui.arg_dialog import ArgDialog
from app.ui.arg_recap import ArgRecapView, CountsModel, RecapModel

QSET = current_question_set()


def _answer(db: Database, node_id: int, ya: int, answered: int = 20) -> None:
    for i, q in enumerate(QSET.questions[:answered]):
        save_answer(
            db, node_id, 2023, QSET, q.id, Answer.YA if i < ya else Answer.TIDAK, "", "Siti"
        )


def test_recap_agrees_with_the_dialog_for_every_assessed_kegiatan(
    qtbot: QtBot, syn_db: Database, qtmodeltester
) -> None:
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        nodes = assessable_nodes(s, plan.id)
    picked = [nodes[0], nodes[5], nodes[-1], next(n for n in nodes if n.opd_id != nodes[0].opd_id)]
    for node, ya, answered in zip(picked, (20, 15, 7, 9), (20, 20, 20, 12), strict=True):
        _answer(syn_db, node.id, ya, answered)
    view = ArgRecapView(syn_db, plan.id, plan.years, 2023, load_question_sets())
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.counts)
    assert view.model.rowCount() == len(picked)
    for r in view.model.rows:
        dlg = ArgDialog(syn_db, r.node, 2023, load_question_sets(), QSET, "Siti")
        qtbot.addWidget(dlg)
        assert dlg.current_score() == r.score
        assert dlg.class_label.property("klass") == (r.score.klass or "")
    classes = {view.model.index(i, 8).data() for i in range(view.model.rowCount())}
    assert "Responsif Gender" in classes and "Tidak Responsif Gender" in classes
    assert any(c.startswith("Belum lengkap") for c in classes)
    assert view.counts_table.isVisibleTo(view)


def test_sorting_by_total_orders_numerically(qtbot: QtBot, syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        nodes = assessable_nodes(s, plan.id)
    for node, ya in zip(nodes[:3], (3, 12, 20), strict=True):
        _answer(syn_db, node.id, ya)
    view = ArgRecapView(syn_db, plan.id, plan.years, 2023, load_question_sets())
    qtbot.addWidget(view)
    view.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    totals = [view.proxy.index(i, 6).data() for i in range(view.proxy.rowCount())]
    assert totals == [20, 12, 3]


def test_focal_point_sees_only_own_opd_without_counts(qtbot: QtBot, syn_db: Database) -> None:
    with syn_db.begin() as s:
        plan = catalog.get_plan(s)
        nodes = assessable_nodes(s, plan.id)
    mine = nodes[0]
    other = next(n for n in nodes if n.opd_id != mine.opd_id)
    _answer(syn_db, mine.id, 10)
    _answer(syn_db, other.id, 10)
    view = ArgRecapView(syn_db, plan.id, plan.years, 2023, load_question_sets(), opd_id=mine.opd_id)
    qtbot.addWidget(view)
    assert [r.node.id for r in view.model.rows] == [mine.id]
    assert not view.counts_table.isVisibleTo(view)


def test_models_are_empty_safe(qtmodeltester) -> None:
    qtmodeltester.check(RecapModel())
    qtmodeltester.check(CountsModel())


def _recap(qtbot: QtBot, db: Database) -> tuple[ArgRecapView, list]:
    with db.begin() as s:
        plan = catalog.get_plan(s)
        nodes = assessable_nodes(s, plan.id)
    _answer(db, nodes[0].id, 20)
    _answer(db, nodes[1].id, 3, answered=5)
    view = ArgRecapView(db, plan.id, plan.years, 2023, load_question_sets())
    qtbot.addWidget(view)
    return view, nodes


def test_the_recap_says_how_many_of_all_kegiatan_and_names_the_set(
    qtbot: QtBot, syn_db: Database
) -> None:
    view, nodes = _recap(qtbot, syn_db)
    assert view.summary.text().startswith(
        f"2 dari {len(nodes)} kegiatan/sub kegiatan dinilai, 1 lengkap."
    )
    tip = view.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert f"Set pertanyaan: {QSET.title}" in tip and QSET.version not in tip


def test_cetak_prints_the_recap_to_the_chosen_printer(
    qtbot: QtBot, syn_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui import arg_recap

    view, nodes = _recap(qtbot, syn_db)
    pdf = tmp_path / "rekap.pdf"

    class PrintToPdf:
        """Stands in for the system print dialog: the user picked 'print to PDF'."""

        def __init__(self, printer: QPrinter, parent: object) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(pdf))

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(arg_recap, "QPrintDialog", PrintToPdf)
    view.print_button.click()
    assert pdf.read_bytes().startswith(b"%PDF")
    html = view.printable_html()
    assert nodes[0].name in html and f"2 dari {len(nodes)} kegiatan" in html
    assert "Responsif Gender" in html and "<td>0</td>" in html  # zero counts are printed


def test_cancelling_the_print_dialog_prints_nothing(
    qtbot: QtBot, syn_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui import arg_recap

    view, _nodes = _recap(qtbot, syn_db)
    printed: list[object] = []

    class Cancelled:
        def __init__(self, printer: QPrinter, parent: object) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(arg_recap, "QPrintDialog", Cancelled)
    monkeypatch.setattr(view, "print_to", printed.append)
    view.print_button.click()
    assert printed == []
