"""``gui`` (or no command at all): the arguments for opening the window.

The window itself is Qt and lives in app.ui, a package beside this one; app.__main__,
above both, opens it when ``opens_window`` says so. Here are only the arguments, so the
command list in ``--help`` stays whole; and :func:`window_arguments`, which reads a plain
window start without loading every command group (app.cli.main).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from app.cli.common import Handler, db_target

WINDOW_COMMANDS = (None, "gui")


def register(sub: Any) -> dict[str, Handler]:
    g = sub.add_parser("gui", help="membuka jendela (sama dengan tanpa perintah)")
    g.add_argument(
        "--db",
        type=db_target,
        dest="db_sub",
        metavar="PATH|URL",
        help="berkas basis data atau URL server (mengalahkan pilihan di Berkas → Basis data…)",
    )
    return {}  # no handler here: app.__main__ opens the window


def opens_window(args: argparse.Namespace) -> bool:
    """True for ``gui`` and for no command: app.__main__ opens the window on db_path(args)."""
    return args.command in WINDOW_COMMANDS


def window_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """``argv`` read as a window start (``[--db X] [gui [--db X]]``), else ``None``.

    The full parser imports and registers every command group, some 60 ms of a cold
    start that the window does not use (issue 14: first paint <= 1.0 s). Anything else
    (a command, ``--help``, ``--version``, a mistake) gives ``None``: app.cli.main then
    parses it, with its help and its messages. The namespace has what the full parser's
    would for these arguments: ``command``, ``db`` and, after ``gui``, ``db_sub``.
    """
    args = argparse.Namespace(command=None, db=None)
    words = list(argv)
    while words:
        word = words.pop(0)
        if word == "gui" and args.command is None:
            args.command, args.db_sub = "gui", None
            continue
        if word == "--db" and words and not words[0].startswith("-"):
            value = words.pop(0)
        elif word.startswith("--db=") and len(word) > len("--db="):
            value = word[len("--db=") :]
        else:
            return None
        setattr(args, "db_sub" if args.command == "gui" else "db", db_target(value))
    return args
