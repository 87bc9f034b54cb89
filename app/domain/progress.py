"""How long work reports progress and learns that the user cancelled it.

Reports, imports and exports run off the UI thread; the window passes these two
callables down so that the work itself stays free of Qt.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
"""Called with (done, total) as work advances."""

Cancelled = Callable[[], bool]
"""Asked between steps; True means stop as soon as it is safe."""
