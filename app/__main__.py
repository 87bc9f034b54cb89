"""``python -m app`` and the ``monev-radpug`` program: the window, or a command for batch
work without a display.

This module sits above both app.ui (the window) and app.cli (the commands), so it is the
one place that chooses between them.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from app.cli.common import db_path
from app.cli.window import window_arguments


def main(argv: Sequence[str] | None = None) -> int:
    """Without a command (or with ``gui``) the window on ``--db``; else the command."""
    args = window_arguments(sys.argv[1:] if argv is None else argv)
    if args is not None:
        # A plain window start skips the command groups' parser (app.cli.window).
        return _window(db_path(args))
    from app.cli.main import parse, run

    line = parse(argv)
    handler = line.handler
    if handler is None:
        return run(lambda: _open_window(db_path(line.args)))
    return run(lambda: handler(line.args))


def _window(path: Path | str | None) -> int:
    """The window, with an escaping error told as a command's would be (app.cli.main.run)."""
    try:
        return _open_window(path)
    except Exception as exc:
        from app.cli.main import run  # loaded only now: it imports every command group

        return run(partial(_reraise, exc))


def _reraise(exc: Exception) -> int:
    raise exc


def _open_window(path: Path | str | None) -> int:
    """The window on a file or a server URL (``None``: the database chosen in the window).

    Python's cycle collector is paused while the window's code is imported: SQLAlchemy,
    the schema and Qt make hundreds of thousands of long-lived objects, and each burst of
    them set off a collection that scanned all the others, about 50 ms of a cold start in
    150 passes that never found garbage (issue 14: first paint <= 1.0 s). The window
    resumes it once its code is in (app.ui.application.resume_collector); a start that
    ends before that resumes it here.
    """
    gc.disable()
    try:
        return _window_runner()(path)
    finally:
        gc.enable()


def _window_runner() -> Callable[[Path | str | None], int]:
    """app.ui.application.run_gui, imported: Qt is imported only now (commands start
    without it), and after the database layer (SQLAlchemy, the schema): PySide6 reads
    the source of every module imported after it (its ``__feature__`` hook), about
    0.1 s of a cold start for modules that never use Qt (issue 14: first paint <= 1.0 s).
    """
    import app.services.database  # noqa: F401
    from app.ui.application import run_gui

    return run_gui


if __name__ == "__main__":
    sys.exit(main())
