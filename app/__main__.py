"""``python -m app`` and the ``monev-radpug`` program: the window, or a command for batch
work without a display.

This module sits above both app.ui (the window) and app.cli (the commands), so it is the
one place that chooses between them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from app.cli.common import db_path
from app.cli.main import parse, run


def main(argv: Sequence[str] | None = None) -> int:
    """Without a command (or with ``gui``) the window on ``--db``; else the command."""
    line = parse(argv)
    handler = line.handler
    if handler is None:
        return run(lambda: _open_window(db_path(line.args)))
    return run(lambda: handler(line.args))


def _open_window(path: Path | str | None) -> int:
    """The window on a file or a server URL (``None``: the database chosen in the window)."""
    # Qt is imported only now: commands start without it.
    from app.ui.application import run_gui

    return run_gui(path)


if __name__ == "__main__":
    sys.exit(main())
