"""Window sizes that fit the screen, and that come back as the user left them.

The windows were laid out on a large monitor; the commonest office laptop has a
1366×768 screen, where a 1500-pixel board or an 850-pixel-high main window opens with
its buttons below the taskbar. Every window that asks for a size asks here: the size
is clamped to the screen's free area (without the taskbar), and a window the user
resized reopens at that size, remembered by a name in QSettings.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room left around a window for its frame and title bar, which the size does not include.
MARGIN = 24
TITLE_BAR = 32


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The free area of the screen the widget is on (the primary screen before it shows)."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def fitted(widget: QWidget | None, width: int, height: int, margin: int = MARGIN) -> QSize:
    """``width``×``height``, made smaller where the screen's free area is smaller."""
    free = available_geometry(widget)
    return QSize(
        max(1, min(width, free.width() - 2 * margin)),
        max(1, min(height, free.height() - 2 * margin - TITLE_BAR)),
    )


def fit_to_screen(widget: QWidget, width: int, height: int, margin: int = MARGIN) -> QSize:
    """Resize ``widget`` to the wanted size or the screen's, whichever is smaller.

    ``margin`` keeps a window the program sizes clear of the screen's edges; a size the
    user chose themselves is only kept on the screen (``margin=0``)."""
    size = fitted(widget, width, height, margin)
    widget.resize(size)
    return size


def fit_minimum(widget: QWidget, width: int, height: int) -> None:
    """A minimum size that never forces a window past the screen's edge."""
    widget.setMinimumSize(fitted(widget, width, height))


def _key(name: str) -> str:
    return f"windows/{name}/size"


class _SizeKeeper(QObject):
    """Writes the window's size when it hides (closed, accepted, or rejected)."""

    def __init__(self, widget: QWidget, name: str, settings: QSettings | None) -> None:
        super().__init__(widget)
        self.name = name
        self.settings = settings

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and isinstance(obj, QWidget) and not obj.isMinimized():
            settings = self.settings if self.settings is not None else QSettings()
            size = obj.size()
            settings.setValue(_key(self.name), f"{size.width()}x{size.height()}")
        return False


def remembered_size(name: str, settings: QSettings | None = None) -> QSize | None:
    """The size the window called ``name`` had when last closed, if any."""
    value = (settings if settings is not None else QSettings()).value(_key(name))
    if isinstance(value, QByteArray):
        value = bytes(value.data()).decode("ascii", "replace")
    if not isinstance(value, str) or "x" not in value:
        return None
    w, _, h = value.partition("x")
    if not (w.isdigit() and h.isdigit()) or int(w) < 50 or int(h) < 50:
        return None  # a damaged or absurd entry: the window's own size instead
    return QSize(int(w), int(h))


def remember_size(
    widget: QWidget, name: str, width: int, height: int, settings: QSettings | None = None
) -> QSize:
    """Size ``widget`` as last left (else ``width``×``height``), fitted to the screen,
    and remember its size under ``name`` each time it hides."""
    widget.installEventFilter(_SizeKeeper(widget, name, settings))
    size = remembered_size(name, settings)
    if size is None:
        return fit_to_screen(widget, width, height)
    return fit_to_screen(widget, size.width(), size.height(), margin=0)
