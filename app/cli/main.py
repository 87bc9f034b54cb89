"""Command line: ``python -m app [command]``; the parser, the list of command groups, and
how a command's errors become a message and an exit code.

Every command works without a display and without Qt, so Pokja can script batch work
and tests can drive the app. Messages are Indonesian; JSON output is for machines.
Without a command (or with ``gui``) the window opens; app.__main__ does that, because
the window (app.ui) is a sibling of this package, not something it may import.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.cli import (
    backup,
    board,
    data,
    db,
    fillin,
    matrix,
    pades,
    plan,
    pprg,
    region,
    reports,
    restore,
    submissions,
    window,
)
from app.cli.common import (
    EXIT_FAIL,
    EXIT_USAGE,
    CommandFailed,
    Handler,
    UsageError,
    db_target,
    program,
    quoted,
)

# Every command group, in the order ``--help`` lists their commands. Each module has
# ``register(subparsers) -> {command: handler}``.
GROUPS = (
    data,
    reports,
    pprg,
    submissions,
    window,
    board,
    fillin,
    matrix,
    plan,
    region,
    pades,
    restore,
    backup,
    db,
)


@dataclass(frozen=True)
class CommandLine:
    """The parsed arguments and the command to run; no handler means the window."""

    args: argparse.Namespace
    handler: Handler | None


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    p = argparse.ArgumentParser(
        prog=program(),
        description="Monev RAD PUG — monitoring dan evaluasi Rencana Aksi Daerah "
        "Pengarusutamaan Gender (wilayahnya: perintah 'region'). Tanpa perintah: membuka "
        "jendela.",
    )
    p.add_argument("--version", action="version", version=f"Monev RAD PUG {__version__}")
    p.add_argument(
        "--db", type=db_target, help="berkas basis data SQLite (bawaan: folder data pengguna)"
    )
    sub = p.add_subparsers(dest="command", metavar="PERINTAH")
    commands: dict[str, Handler] = {}
    for group in GROUPS:
        commands.update(group.register(sub))
    return p, commands


def parse(argv: Sequence[str] | None = None) -> CommandLine:
    """``argv`` (default: the process's) parsed; argparse exits 2 on a wrong argument."""
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    return CommandLine(args, None if window.opens_window(args) else commands[args.command])


def run(call: Callable[[], int]) -> int:
    """The exit code of ``call``; the errors a command raises are printed (stderr) instead."""
    from app.models.db import DatabaseDamaged, DatabaseError

    try:
        return call()
    except UsageError as exc:
        if str(exc):
            print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except CommandFailed as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
    except DatabaseDamaged as exc:
        print(str(exc), file=sys.stderr)
        if exc.backups:
            print(restore_advice(exc.path), file=sys.stderr)
        return EXIT_FAIL
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL


def restore_advice(path: Path) -> str:
    """What to type after "the database is damaged": the restore command, preview first."""
    db = quoted(path)
    return (
        f"Lihat cadangannya: {program()} restore --db {db} --list\n"
        f"Lihat apa yang hilang jika cadangan terbaru dipulihkan: {program()} restore "
        f"--db {db}\nLalu pulihkan: {program()} restore --db {db} --yes"
    )
