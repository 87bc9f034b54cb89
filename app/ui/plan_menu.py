"""The plan tree's context menu: the ARG checklist, the PPRG documents, Pokja's corrections.

The menu only says what the user chose, through the two callbacks it is given (the
browser's ``argRequested``, ``pprgRequested`` and ``matrixEditRequested``); the window acts on them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import QMenu, QWidget

from app.services import arg_store
from app.ui.plan_model import PlanModel


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def arg_node(model: PlanModel, index: QModelIndex) -> int | None:
    """The kegiatan/sub kegiatan node for the checklist: ``index``'s group, or the sub
    kegiatan (else kegiatan) of ``index``'s indicator row."""
    ref = model.node_ref(index)
    if ref is not None:
        level, node_id = ref
        return node_id if level in arg_store.ASSESSABLE_LEVELS else None
    row_id = model.row_id(index)
    if row_id is None:
        return None
    nodes = model.row(row_id).path_nodes
    return nodes.get("sub_kegiatan") or nodes.get("kegiatan")


def tree_menu(
    parent: QWidget,
    model: PlanModel,
    index: QModelIndex,
    *,
    pokja: bool,
    arg: Callable[[int], None],
    pprg: Callable[[int], None],
    edit: Callable[[str, int], None],
) -> QMenu:
    """The menu for ``index``: ``arg(node id)`` opens a checklist, ``pprg(node id)`` the
    GAP/GBS editor, ``edit(kind, id)`` asks for a matrix correction (``plan_edit_dialog``'s
    kinds)."""
    menu = QMenu(parent)
    node_id = arg_node(model, index)
    if node_id is not None:
        menu.addAction(tr("Isi instrumen ARG…"), lambda: arg(node_id))
        menu.addAction(tr("PPRG (GAP/GBS)…"), lambda: pprg(node_id))
    if not pokja:
        return menu
    row_id = model.row_id(index)
    sub = menu.addMenu(tr("Koreksi matriks"))
    sub.setObjectName("matrix-edit")

    def ask(kind: str, ident: int) -> Callable[[], None]:
        return lambda: edit(kind, ident)

    if row_id is not None:
        row = model.row(row_id)
        sub.addAction(tr("Ubah isi baris…"), ask("ubah", row_id))
    if node_id is not None:
        sub.addAction(tr("Tambah baris di bawah…"), ask("tambah", node_id))
    if row_id is not None:
        if row.retired:
            sub.addAction(tr("Aktifkan kembali…"), ask("aktifkan", row_id))
        else:
            sub.addAction(tr("Pensiunkan baris…"), ask("pensiun", row_id))
        sub.addAction(tr("Pindahkan ke OPD lain…"), ask("pindah", row_id))
    if sub.isEmpty():
        menu.removeAction(sub.menuAction())
    return menu
