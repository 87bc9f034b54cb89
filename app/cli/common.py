"""What every command group shares: exit codes, the two errors a command raises, opening
the database named by ``--db`` (with the single-writer lock when the command writes),
JSON output, the plan's year and OPD from the arguments, and unlocking this
installation's signing key.

Imports of services and formats stay inside the functions: ``python -m app --help`` and
the window's cold start should not pay for what a command may never use.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.formats.keys import SigningKey
    from app.models.db import Database
    from app.models.lock import InstanceLock
    from app.models.schema import Opd, Plan

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
# Asked to confirm and not confirmed (``restore`` without --yes): nothing was changed.
EXIT_NOT_CONFIRMED = 3

# A command: the parsed arguments in, the exit code out. Each group module has
# ``register(subparsers) -> {command: Handler}``; app.cli.main lists the groups.
Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """A wrong argument; the message (Indonesian) is printed and the exit code is 2."""


class CommandFailed(Exception):
    """The command could not do its work; the message is printed and the exit code is 1."""


def db_target(given: str) -> Path | str:
    """The type of every ``--db``: a database URL (``postgresql+psycopg://…``) stays as
    given, anything else is a file path. (``Path`` would fold the URL's ``//`` into one
    slash, and the URL would quietly become the name of a new SQLite file.)"""
    return given if "://" in given else Path(given)


def db_path(args: argparse.Namespace) -> Path | str | None:
    """``--db`` after the command name, else before it, else None (the user's data folder)."""
    return getattr(args, "db_sub", None) or args.db


def program() -> str:
    """How the user started the app, for messages that name a command to run."""
    return "monev-radpug" if getattr(sys, "frozen", False) else "python -m app"


def quoted(path: Path | str) -> str:
    """A path as typed on a command line (Windows user folders often hold spaces)."""
    text = str(path)
    return f'"{text}"' if " " in text else text


def lock_target(args: argparse.Namespace) -> Path | None:
    """The database file the command works on, resolved as the window resolves it (so both
    lock the same ``<db>.lock``); ``None`` for a database URL, which has no lock file."""
    from app.paths import default_db_path

    given = db_path(args)
    if given is not None and "://" in str(given):
        return None
    return Path(given or default_db_path()).expanduser().resolve()


def sqlite_file(args: argparse.Namespace, refusal: str) -> Path:
    """``lock_target`` for a command that works on the SQLite file itself (backup,
    restore): a server URL is refused with ``refusal``."""
    target = lock_target(args)
    if target is None:
        raise UsageError(refusal)
    return target


def write_lock(args: argparse.Namespace) -> InstanceLock | None:
    """The single-writer lock the window holds, taken for this command.

    Held elsewhere (a window, another command): ``CommandFailed`` with the window's own
    message, before the database is opened, so nothing at all is written.
    """
    from app.models.lock import AlreadyOpen, InstanceLock

    target = lock_target(args)
    if target is None:
        return None
    try:
        return InstanceLock(target, f"perintah {args.command}").acquire()
    except AlreadyOpen as exc:
        raise CommandFailed(str(exc)) from exc


def open_db(args: argparse.Namespace, *, write: bool = False) -> Database:
    """The database of ``--db``, opened (created, migrated, seeded) for the command.

    ``write``: the command changes the database, so it first takes the single-writer
    lock, which ``Database.dispose()`` releases. Read-only commands do not take it: a
    window may stay open while Pokja looks at the board or verifies a file.
    """
    lock = write_lock(args) if write else None
    try:
        db = open_asking_password(db_path(args))
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    db.lock = lock
    return db


def open_asking_password(target: str | Path | None) -> Database:
    """``open_seeded``, asking once on a terminal for the password a server wants.

    The answer goes to this process's PGPASSWORD, which libpq reads on connect: it is
    never written anywhere, and a script (no terminal) gets the plain refusal instead.
    """
    import getpass
    import os

    from app.models.db import PasswordRequired
    from app.services.database import open_seeded

    try:
        return open_seeded(target)
    except PasswordRequired as exc:
        if not sys.stdin.isatty():
            raise
        os.environ["PGPASSWORD"] = getpass.getpass(f"Kata sandi basis data ({exc.user}): ")
    return open_seeded(target)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
    sys.stdout.write("\n")


def plan_year(session: Session, plan: Plan, given: int | None) -> int:
    """The year asked for, else the profile's, else the plan's first; within the period."""
    from app.services.profile import load_profile

    profile = load_profile(session)
    year = given or (profile.year if profile and profile.year else plan.start_year)
    if year not in plan.years:
        raise UsageError(f"Tahun {year} di luar periode {plan.start_year}–{plan.end_year}.")
    return year


def find_opd(session: Session, text: str | None) -> Opd | None:
    from app.services import catalog

    if not text:
        return None
    try:
        return catalog.find_opd(session, text)
    except LookupError as exc:
        raise UsageError(str(exc)) from exc


def passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str | None:
    """From --passphrase-file, MONEV_PASSPHRASE, or asked on a terminal; never echoed."""
    import getpass
    import os

    from app.formats.keys import PASSPHRASE_ENV

    if getattr(args, "passphrase_file", None) is not None:
        try:
            return args.passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            print(f"Berkas kata sandi tidak dapat dibaca: {exc.strerror}", file=sys.stderr)
            return None
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        print(
            f"Kata sandi kunci diperlukan: --passphrase-file atau variabel {PASSPHRASE_ENV}.",
            file=sys.stderr,
        )
        return None
    first = getpass.getpass("Kata sandi kunci: ")
    if confirm and getpass.getpass("Ulangi kata sandi: ") != first:
        print("Kata sandi tidak sama.", file=sys.stderr)
        return None
    return first


def unlock_key(args: argparse.Namespace) -> SigningKey:
    """This installation's key, unlocked with the passphrase from the file, env or prompt."""
    from app.formats import keys

    secret = passphrase(args)
    if secret is None:
        raise UsageError("")  # passphrase() has said why
    try:
        return keys.load_key(secret)
    except keys.KeyMissing as exc:
        raise CommandFailed(f"{exc} {keys.KEYGEN_HINT}") from exc
    except keys.KeyStoreError as exc:
        raise CommandFailed(str(exc)) from exc
