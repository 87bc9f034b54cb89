"""``python -m app`` and the ``monev-radpug`` program: the window, or a command for batch
work without a display.

This module sits above both app.ui (the window) and app.cli (the commands), so it is the
one place that chooses between them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from app.cli.common import UsageError, db_path
from app.cli.main import parse, run


def main(argv: Sequence[str] | None = None) -> int:
    """Without a command (or with ``gui``) the window on ``--db``; else the command."""
    line = parse(argv)
    handler = line.handler
    if handler is None:
        return run(lambda: _open_window(db_path(line.args)))
    return run(lambda: handler(line.args))


def _open_window(path: Path | str | None) -> int:
    if isinstance(path, str):
        # The window's way in is still a file's (single-window lock, backups on open); a
        # server database is for the commands until the window learns it (issue 14).
        raise UsageError(
            "Jendela belum dapat membuka basis data di server; gunakan perintahnya "
            "(misalnya board, summary, import) dengan --db URL tersebut."
        )
    # Qt is imported only now: commands start without it.
    from app.ui.application import run_gui

    return run_gui(path)


if __name__ == "__main__":
    sys.exit(main())
