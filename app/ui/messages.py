"""Modal questions with Indonesian button labels, in one place so tests can patch them.

``QMessageBox``'s standard buttons carry Qt's own (English) texts unless Qt's
translations ship with the app; custom buttons say exactly what will happen.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: list[str],
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    default: int = 0,
) -> int:
    """Show ``text`` with one button per choice; the index of the chosen one.

    Closing the box (Esc) picks the *last* choice, which callers make the safe one.
    """
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    buttons = []
    for i, label in enumerate(choices):
        role = (
            QMessageBox.ButtonRole.RejectRole
            if i == len(choices) - 1
            else QMessageBox.ButtonRole.AcceptRole
        )
        buttons.append(box.addButton(label, role))
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[-1])
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else len(choices) - 1
