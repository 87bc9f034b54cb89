"""``gui`` (or no command at all): the arguments for opening the window.

The window itself is Qt and lives in app.ui, a package beside this one; app.__main__,
above both, opens it when ``opens_window`` says so. Here are only the arguments, so the
command list in ``--help`` stays whole.
"""

from __future__ import annotations

import argparse
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
