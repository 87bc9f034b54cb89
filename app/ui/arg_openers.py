"""The ARG checklist, its recap and the GAP/GBS editor, opened from the main window
(typed by its base, app.ui.pokja_window, which declares what they use).

Loaded when one of them is first opened (app.ui.main_window): the dialogs and what they
import are not needed for the window's first paint (issue 14: first paint <= 1.0 s).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox

from app.domain.arg import ArgError
from app.domain.pprg import PprgError
from app.formats.arg_questions import current_question_set, load_question_sets
from app.services import arg_store
from app.ui.arg_dialog import ArgDialog
from app.ui.arg_recap import ArgRecapView
from app.ui.pokja_window import PokjaWindow
from app.ui.pprg_dialog import PprgDialog
from app.ui.pprg_review_dialog import open_editor
from app.ui.window_size import remember_size


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)  # (their texts moved from there)


def open_arg(window: PokjaWindow, node_id: int) -> ArgDialog | None:
    if not window._leave_form():
        return None
    try:
        with window.db.begin() as s:
            node = arg_store.node_info(s, node_id)
        dialog = ArgDialog(
            window.db,
            node,
            window.year,
            load_question_sets(),
            current_question_set(),
            window.profile.user_label,
            opd_id=window.browser.opd_id,
            parent=window,
        )
    except ArgError as exc:
        QMessageBox.warning(window, tr("Instrumen ARG"), str(exc))
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.answersChanged.connect(window.browser.arg_changed)  # the line's ARG count
    dialog.show()
    return dialog


def open_pprg(window: PokjaWindow, node_id: int) -> PprgDialog | None:
    """The GAP/GBS editor of the node (read-only for Pokja and received copies)."""
    if not window._leave_form():
        return None
    try:
        with window.db.begin() as s:
            key = arg_store.node_info(s, node_id).key
        # The editor with its review panel filled by the review flow.
        dialog = open_editor(
            window.db,
            key,
            window.year,
            window.profile.user_label,
            pokja=window.profile.is_pokja,
            parent=window,
        )
    except (ArgError, PprgError, LookupError) as exc:
        QMessageBox.warning(window, tr("PPRG (GAP/GBS)"), str(exc))
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_arg_recap(window: PokjaWindow, open_arg: Callable[[int], object]) -> ArgRecapView:
    """The recap; a row chosen in it opens with ``open_arg`` (the window's)."""
    view = ArgRecapView(
        window.db,
        window.browser.plan_id,
        window.browser.years,
        window.year,
        load_question_sets(),
        opd_id=window.browser.opd_id,
        parent=window,
    )
    view.setWindowFlag(Qt.WindowType.Window)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    remember_size(view, "arg_recap", 1200, 700)
    view.openRequested.connect(open_arg)
    view.show()
    return view
