"""Pokja's OPD catalogue dialog: lists, renames, edits variants, adds OPDs; the tree follows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain.region import Region
from app.models.db import Database
from app.models.schema import AuditEntry, Opd
from app.services.matrix_export import export_matrix
from app.services.matrix_preview import preview_matrix
from app.services.opd_catalogue import OpdEntry, list_opds, update_opd
from app.services.profile import ROLE_FOCAL, Profile
from app.services.region import store_region
from app.ui.main_window import MainWindow
from app.ui.matrix_changes import MatrixChangesTree
from app.ui.opd_catalogue_dialog import OpdCatalogueDialog
from tests.services.submission_helpers import dump_bytes, make_pair

Make = Callable[..., MainWindow]


def tree_labels(window: MainWindow) -> set[str]:
    model = window.browser.model
    assert model is not None
    return {
        str(model.index(r, 0, QModelIndex()).data(Qt.ItemDataRole.DisplayRole))
        for r in range(model.rowCount(QModelIndex()))
    }


def select_code(dlg: OpdCatalogueDialog, code: str) -> None:
    dlg.table.selectRow([e.code for e in dlg.entries].index(code))


def test_dialog_lists_code_name_short_rows_and_variants(qtbot: QtBot, syn_db: Database) -> None:
    dlg = OpdCatalogueDialog(syn_db)
    qtbot.addWidget(dlg)
    with syn_db.begin() as s:
        expected = list_opds(s)
    assert dlg.table.rowCount() == len(expected) == 5
    shown = [
        tuple(dlg.table.item(i, c).text() for c in range(5)) for i in range(dlg.table.rowCount())
    ]
    assert shown == [
        (e.code, e.name, e.short_name, str(e.rows), "; ".join(e.variants)) for e in expected
    ]
    assert sum(e.rows for e in expected) == 300
    assert dlg.code.isReadOnly()  # codes key submissions and keys: never edited here
    dlg.filter.setText(expected[2].code)
    assert [dlg.table.isRowHidden(i) for i in range(5)] == [i != 2 for i in range(5)]


def test_rename_saves_audits_signals_and_the_tree_follows_on_close(
    qtbot: QtBot, syn_db: Database, make_window: Make
) -> None:
    window = make_window(syn_db)
    assert window.opd_catalogue_action in window.pokja_menu.actions()
    dlg = window.open_opd_catalogue()
    assert dlg is not None
    code = dlg.entries[0].code
    select_code(dlg, code)
    dlg.short.setText("Dinas Berganti Nama")
    dlg.variants.setPlainText(dlg.variants.toPlainText() + "\nDINAS BERGANTI NAMA KAB.")
    with qtbot.waitSignal(dlg.catalogueChanged, timeout=2000):
        dlg.save_button.click()
    assert "Tersimpan" in dlg.message.text()
    with syn_db.begin() as s:
        opd = s.scalars(select(Opd).where(Opd.code == code)).one()
        assert opd.short_name == "Dinas Berganti Nama"
        assert "DINAS BERGANTI NAMA KAB." in {a.variant for a in opd.aliases}
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.field == code)))
    assert {"katalog-opd-singkat", "katalog-opd-varian"} <= actions
    assert "Dinas Berganti Nama" not in tree_labels(window)
    dlg.close()
    assert "Dinas Berganti Nama" in tree_labels(window)


def test_a_variant_of_another_opd_is_refused_and_the_typed_text_stays(
    qtbot: QtBot, syn_db: Database
) -> None:
    dlg = OpdCatalogueDialog(syn_db)
    qtbot.addWidget(dlg)
    other = dlg.entries[1]
    select_code(dlg, dlg.entries[0].code)
    dlg.variants.setPlainText(other.name.upper())
    snapshot = dump_bytes(syn_db)
    with qtbot.assertNotEmitted(dlg.catalogueChanged):
        dlg.save_button.click()
    assert "sudah menunjuk OPD lain" in dlg.message.text()
    assert other.code in dlg.message.text()
    assert dlg.variants.toPlainText() == other.name.upper()
    assert dump_bytes(syn_db) == snapshot


def test_new_opd_gets_a_generated_code(qtbot: QtBot, syn_db: Database) -> None:
    dlg = OpdCatalogueDialog(syn_db)
    qtbot.addWidget(dlg)
    dlg.new_button.click()
    assert not dlg.code.isReadOnly() and dlg.code.text() == ""
    dlg.name.setText("Badan Riset dan Inovasi Daerah")
    dlg.short.setText("Brida")
    with qtbot.waitSignal(dlg.catalogueChanged, timeout=2000):
        dlg.save_button.click()
    assert [e.code for e in dlg.entries].count("BRIDA") == 1
    assert dlg.selected() is not None and dlg.selected().code == "BRIDA"  # type: ignore[union-attr]


def test_focal_point_has_no_catalogue_editor(syn_db: Database, make_window: Make) -> None:
    focal = Profile(ROLE_FOCAL, "Budi", "198001012005011001", "OPD-001", 2023)
    window = make_window(syn_db, focal)
    assert not window.opd_catalogue_action.isEnabled()
    assert window.open_opd_catalogue() is None


def test_matrix_preview_lists_region_and_catalogue_changes(qtbot: QtBot, tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    try:
        first = sorted(dialog_entries(pair.pokja), key=lambda e: e.code)[0]
        code, old_name, old_short = first.code, first.name, first.short_name
        # Its variants stay, so the catalogue shows exactly a rename and a new short name.
        variants = first.variants
        update_opd(pair.pokja, code, name="Nama Resmi Baru", short_name="NRB", variants=variants)
        store_region(pair.pokja, Region("Contoh", "Kota"))
        out = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "m")
        tree = MatrixChangesTree()
        qtbot.addWidget(tree)
        tree.show_preview(preview_matrix(pair.focal, out.path))
        groups = {
            tree.topLevelItem(i).text(0): tree.topLevelItem(i)
            for i in range(tree.topLevelItemCount())
        }
        region, opds = groups["Profil wilayah (2)"], groups["Katalog Perangkat Daerah (2)"]
        assert region.isExpanded() and opds.isExpanded()

        def lines(item: QTreeWidgetItem) -> set[tuple[str, ...]]:
            return {
                tuple(item.child(i).text(c) for c in range(3)) for i in range(item.childCount())
            }

        assert lines(region) == {
            ("Nama wilayah", "Lumajang", "Contoh"),
            ("Jenis wilayah", "Kabupaten", "Kota"),
        }
        assert lines(opds) == {
            (f"Nama {code}", old_name, "Nama Resmi Baru"),
            (f"Nama singkat {code}", old_short, "NRB"),
        }
    finally:
        pair.dispose()


def dialog_entries(db: Database) -> list[OpdEntry]:
    with db.begin() as s:
        return list_opds(s)
