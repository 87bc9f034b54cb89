"""Work queued until a widget first painted runs after that paint, and only once."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.ui.after_paint import AfterPaint


def test_work_waits_for_the_first_paint_then_runs_at_once(qtbot: QtBot) -> None:
    label = QLabel("x")
    qtbot.addWidget(label)
    after = AfterPaint(label)
    done: list[str] = []
    after.call(lambda: done.append("queued"))
    qtbot.wait(20)
    assert done == [] and not after.painted  # never shown: nothing painted, nothing run
    label.show()
    qtbot.waitUntil(lambda: done == ["queued"])
    assert after.painted
    after.call(lambda: done.append("now"))
    assert done == ["queued", "now"]  # painted already: run at once
    label.repaint()
    qtbot.wait(20)
    assert done == ["queued", "now"]
