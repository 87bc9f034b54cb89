"""What Pokja sees before importing a batch of submission files (Qt-free).

The window's "Terima Berkas" dialog first reads every file without writing anything
(``read_package``) and shows, per file, the OPD, year, revision and the signing key's
fingerprint with its state against the keys Pokja already pinned. A new or changed key
is never accepted silently: the user confirms each (OPD, key) pair after comparing the
fingerprint with the OPD by phone or letter, and only then is that file imported with
that one (OPD, key) pair accepted. A key already pinned for another OPD is shouted and
needs a separate, explicit reassignment. OPDs are shown by the name in this database,
never by the name a file gives itself. The preview also says when the ordering rules
would leave a file out (an older revision, the same content, a date in the future), so
Pokja can choose "ganti paksa" for that file. This module holds those rules so they can
be tested without a display; the dialog only shows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.ordering import Verdict
from app.domain.printable import shown_name
from app.formats import keys
from app.formats.canonical_json import SubmissionError
from app.formats.container import Limits
from app.formats.submission import MissingSignedParts, read_package
from app.models.db import Database
from app.models.schema import ImportLog, Opd, Submission
from app.services import corrections, import_order
from app.services.import_keys import KeyConsent, KeyPair, ambiguous_keys, opd_label
from app.services.importer import (
    ACCEPTED,
    DUPLICATE,
    OUTDATED,
    REFUSED,
    SUPERSEDED,
    ImportOutcome,
    unexpected_reason,
)
from app.services.trust import KeyState, opd_key_state

# What the window shows for a file's key (a changed key is shouted), and for a fill-in
# workbook, which has no key at all.
KEY_LABELS = {
    KeyState.KNOWN: "kunci dikenal",
    KeyState.NEW: "kunci baru",
    KeyState.CHANGED: "KUNCI BERGANTI",
    KeyState.OTHER_OPD: "KUNCI OPD LAIN",
}
UNSIGNED = "tanpa tanda tangan"  # a fill-in workbook from an OPD without the app

OUTCOME_ORDER = (ACCEPTED, SUPERSEDED, DUPLICATE, OUTDATED, REFUSED)
SUFFIX = ".xlsx"


@dataclass(frozen=True)
class FileCheck:
    """One file as read before import: either its identity and key state, or an error."""

    file: Path
    error: str | None = None
    opd_code: str | None = None
    opd_name: str | None = None
    year: int | None = None
    revision: int | None = None
    key_id: str | None = None
    key_state: KeyState | None = None
    pinned_key_id: str | None = None  # the key already pinned, when it differs
    opd_known: bool = True
    already_received: bool = False  # the same content is already in the database
    unsigned: bool = False  # a fill-in workbook: no key at all
    pokja_corrections: int = 0  # values Pokja corrected since this same file was received
    owner: str | None = None  # OTHER_OPD: the OPD the key is pinned for, "CODE (name)"
    clock_problem: str | None = None  # a stamp more than a day ahead: will be refused
    order_problem: str | None = None  # an older revision or a revision jump: left out

    @property
    def state_label(self) -> str:
        """The key column's Indonesian text ("" for an unreadable file)."""
        if self.unsigned:
            return UNSIGNED
        return KEY_LABELS[self.key_state] if self.key_state else ""

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def fingerprint(self) -> str:
        return keys.grouped(self.key_id) if self.key_id else ""

    @property
    def key_pair(self) -> KeyPair | None:
        if self.opd_code is None or self.key_id is None:
            return None
        return (self.opd_code, self.key_id)

    @property
    def needs_confirmation(self) -> bool:
        """A readable file whose key Pokja has not accepted for this OPD."""
        return self.readable and self.key_state in (
            KeyState.NEW,
            KeyState.CHANGED,
            KeyState.OTHER_OPD,
        )

    @property
    def needs_reassignment(self) -> bool:
        """A readable file signed by a key pinned for another OPD."""
        return self.readable and self.key_state == KeyState.OTHER_OPD

    @property
    def forceable(self) -> bool:
        """A signed file the ordering rules would leave out: Pokja may replace anyway."""
        return (
            self.readable
            and not self.unsigned
            and self.clock_problem is None
            and (self.already_received or self.order_problem is not None)
        )


@dataclass(frozen=True)
class KeyQuestion:
    """One (OPD, key) the user must confirm before its files are imported."""

    opd_code: str
    opd_name: str
    key_id: str
    state: KeyState  # NEW, CHANGED or OTHER_OPD
    pinned_key_id: str | None
    files: int
    owner: str | None = None  # OTHER_OPD: the OPD the key is pinned for, "CODE (name)"
    # Other OPDs whose files in this batch carry the same unaccepted key: only one of
    # them can own it, so Pokja must find out which before accepting it for any.
    also_claimed_by: tuple[str, ...] = ()

    @property
    def state_label(self) -> str:
        return KEY_LABELS[self.state]

    @property
    def pair(self) -> KeyPair:
        return (self.opd_code, self.key_id)

    @property
    def fingerprint(self) -> str:
        return keys.grouped(self.key_id)

    @property
    def pinned_fingerprint(self) -> str:
        return keys.grouped(self.pinned_key_id) if self.pinned_key_id else ""


@dataclass(frozen=True)
class LogEntry:
    at: datetime
    file_name: str
    opd_code: str | None
    year: int | None
    revision: int | None
    outcome: str
    reason: str


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files to check: ``.xlsx`` files as given, and every ``.xlsx`` directly in a folder.

    A folder's files come sorted by name; Office lock files (``~$…``) and anything that
    is not an xlsx are skipped; a file named twice is kept once, at its first place.
    """
    out: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.iterdir(), key=lambda c: c.name.lower()):
                if is_submission_name(child) and child.is_file():
                    add(child)
        elif is_submission_name(p):
            add(p)
    return out


def is_submission_name(path: Path) -> bool:
    return path.suffix.lower() == SUFFIX and not path.name.startswith("~$")


def check_file(db: Database, path: Path, limits: Limits | None = None) -> FileCheck:
    """Read and verify one file (no writes) and place its key against the pinned ones.

    Never raises for a bad file: whatever goes wrong becomes the file's ``error``.
    """
    try:
        return _check_file(db, path, limits)
    except Exception as exc:
        return FileCheck(path, error=unexpected_reason(exc))


def _check_file(db: Database, path: Path, limits: Limits | None) -> FileCheck:
    try:
        signed = read_package(path, limits)
    except MissingSignedParts as exc:
        return _check_fillin(db, path, limits, exc)
    except SubmissionError as exc:
        return FileCheck(path, error=str(exc))
    with db.begin() as session:
        state, pinned = opd_key_state(session, signed.opd_code, signed.public_key)
        opd_name = session.scalar(select(Opd.name).where(Opd.code == signed.opd_code))
        owner = (
            opd_label(session, pinned.opd_code)
            if pinned is not None and state == KeyState.OTHER_OPD
            else None
        )
        order = _order_problem(session, signed.content)
        already = (
            session.scalar(
                select(Submission.id)
                .where(
                    Submission.content_hash == signed.content_hash,
                    Submission.signature_state == "signed",
                )
                .limit(1)
            )
            is not None
        )
        fixed = (
            corrections.count_for(
                session, str(signed.content["plan"]["code"]), signed.opd_code, signed.year
            )
            if already
            else 0
        )
    return FileCheck(
        path,
        opd_code=signed.opd_code,
        opd_name=opd_name or "",
        year=signed.year,
        revision=signed.revision,
        key_id=signed.key_id,
        key_state=state,
        pinned_key_id=pinned.key_id if pinned is not None and state == KeyState.CHANGED else None,
        opd_known=opd_name is not None,
        already_received=already,
        pokja_corrections=fixed,
        owner=owner,
        clock_problem=import_order.content_clock_problem(signed.content, datetime.now()),
        order_problem=order,
    )


def _order_problem(session: Session, c: dict[str, Any]) -> str | None:
    """Why the ordering rules would leave this file out (as the importer will say)."""
    current = import_order.current_submission(
        session, str(c["opd"]["code"]), str(c["plan"]["code"]), int(c["year"])
    )
    v = import_order.verdict(current, c, datetime.now())
    if v == Verdict.JUMP:
        return import_order.jump_reason(current, c)
    if v == Verdict.NOT_NEWER and current is not None:
        return import_order.not_newer_reason(current, c)
    return None


def _check_fillin(
    db: Database, path: Path, limits: Limits | None, unsigned: MissingSignedParts
) -> FileCheck:
    """A workbook without signed parts may be a filled-in fill-in workbook: read it."""
    from app.formats.fillin import NotFillin, read_workbook

    try:
        book = read_workbook(path, limits)
    except NotFillin:
        return FileCheck(path, error=str(unsigned))  # the "re-saved elsewhere" explanation
    except SubmissionError as exc:
        return FileCheck(path, error=str(exc))
    with db.begin() as session:
        opd_name = session.scalar(select(Opd.name).where(Opd.code == book.opd_code))
        already = (
            session.scalar(
                select(Submission.id)
                .where(
                    Submission.content_hash == book.values_hash,
                    Submission.signature_state == "unsigned",
                    Submission.current.is_(True),
                )
                .limit(1)
            )
            is not None
        )
    return FileCheck(
        path,
        opd_code=book.opd_code,
        opd_name=opd_name or "",
        year=book.year,
        unsigned=True,
        opd_known=opd_name is not None,
        already_received=already,
        clock_problem=import_order.fillin_clock_problem(book.exported_at, datetime.now()),
    )


def check_files(
    db: Database,
    paths: Sequence[Path],
    *,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[FileCheck]:
    """``check_file`` for each path in order; a cancel returns the files checked so far."""
    out: list[FileCheck] = []
    for i, p in enumerate(paths):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(i, len(paths))
        out.append(check_file(db, p, limits))
    if progress is not None:
        progress(len(out), len(paths))
    return out


def key_questions(checks: Iterable[FileCheck]) -> list[KeyQuestion]:
    """The (OPD, key) pairs to confirm, one each however many files they signed."""
    found: dict[KeyPair, FileCheck] = {}
    counts: Counter[KeyPair] = Counter()
    for c in checks:
        pair = c.key_pair
        if pair is None or not c.needs_confirmation:
            continue
        found.setdefault(pair, c)
        counts[pair] += 1
    claimants: dict[str, set[str]] = {}
    for opd_code, key_id in found:
        claimants.setdefault(key_id, set()).add(opd_code)
    return [
        KeyQuestion(
            c.opd_code or "",
            c.opd_name or "",
            c.key_id or "",
            c.key_state or KeyState.NEW,
            c.pinned_key_id,
            counts[pair],
            c.owner,
            tuple(sorted(claimants[pair[1]] - {pair[0]})),
        )
        for pair, c in sorted(found.items())
    ]


def will_import(
    check: FileCheck, accepted: Set[KeyPair], reassigned: Set[KeyPair] = frozenset()
) -> bool:
    """Whether the file's key is known or the user explicitly accepted it (or, for a key
    of another OPD, explicitly reassigned it)."""
    if not check.readable:
        return False
    if check.key_state == KeyState.KNOWN or check.unsigned:
        return True
    if check.needs_reassignment:
        return check.key_pair in reassigned
    return check.needs_confirmation and check.key_pair in accepted


def import_plan(
    checks: Iterable[FileCheck],
    accepted: Set[KeyPair],
    reassigned: Set[KeyPair] = frozenset(),
) -> list[tuple[Path, KeyConsent]]:
    """Each file with the key consent it is imported with: only its own (OPD, key) pair.

    Files with a known key get no consent (the importer needs none, and a key swapped
    between preview and import is then still refused). A key of another OPD passes only
    when reassigned; ticking "accept" is not enough. Unreadable files and files with an
    unaccepted key are still passed, without consent, so that the importer refuses them
    and records the refusal in the import log.
    """
    # A key ticked for two OPDs is accepted for neither (a key belongs to one OPD).
    ambiguous = ambiguous_keys(accepted | reassigned)
    accepted = {p for p in accepted if p[1] not in ambiguous}
    reassigned = {p for p in reassigned if p[1] not in ambiguous}
    out: list[tuple[Path, KeyConsent]] = []
    for c in checks:
        pair = c.key_pair
        consent = KeyConsent()
        if pair is not None and c.needs_reassignment and pair in reassigned:
            consent = KeyConsent(reassign=frozenset({pair}))
        elif pair is not None and not c.needs_reassignment and pair in accepted:
            consent = KeyConsent(accept=frozenset({pair}))
        out.append((c.file, consent))
    return out


def not_accepted_reason(check: FileCheck) -> str:
    """The reason shown in the window for a file refused because its key was not accepted."""
    if check.needs_reassignment:
        return (
            f"Tidak diimpor: kunci dengan sidik jari {check.fingerprint} sudah diterima untuk "
            f"{check.owner}, bukan {check.opd_code}. Satu kunci hanya untuk satu Perangkat "
            "Daerah. Bila kunci itu memang sudah berpindah, centang 'Pindahkan kunci ke "
            "Perangkat Daerah ini' dan konfirmasi, lalu impor berkas ini lagi."
        )
    return (
        f"Tidak diimpor: kunci {check.opd_code} dengan sidik jari {check.fingerprint} belum "
        "diterima. Cocokkan sidik jari dengan Perangkat Daerah, centang 'Terima kunci ini', "
        "lalu impor berkas ini lagi."
    )


def summary(outcomes: Sequence[ImportOutcome], total: int | None = None) -> str:
    """``12 berkas: 9 diterima, 1 menggantikan, 2 ditolak`` (zero counts left out).

    With ``total`` larger than the outcomes (a cancelled run), says how many were left.
    """
    counts = Counter(o.outcome for o in outcomes)
    parts = [f"{counts[k]} {k}" for k in OUTCOME_ORDER if counts[k]]
    text = f"{len(outcomes)} berkas" + (": " + ", ".join(parts) if parts else "")
    if total is not None and total > len(outcomes):
        text += f"; dibatalkan, {total - len(outcomes)} berkas tidak diproses"
    return text


def merged(outcomes: Iterable[ImportOutcome]) -> list[tuple[str, int]]:
    """(OPD, year) pairs whose figures changed, in first-seen order, each once."""
    out: list[tuple[str, int]] = []
    for o in outcomes:
        if o.outcome in (ACCEPTED, SUPERSEDED) and o.opd_code and o.year is not None:
            pair = (o.opd_code, o.year)
            if pair not in out:
                out.append(pair)
    return out


def results_text(
    outcomes: Sequence[ImportOutcome],
    total: int | None = None,
    reasons: dict[Path, str] | None = None,
) -> str:
    """The results as plain text (summary, then one tab-separated line per file).

    Tabs let the text be pasted into a spreadsheet as columns or into a letter as is.
    """
    reasons = reasons or {}
    lines = [summary(outcomes, total), ""]
    lines.append("Berkas\tHasil\tPerangkat Daerah\tTahun\tRevisi\tAlasan")
    for o in outcomes:
        lines.append(
            "\t".join(
                [
                    shown_name(o.file.name),
                    o.outcome,
                    o.opd_code or "",
                    "" if o.year is None else str(o.year),
                    "" if o.revision is None else str(o.revision),
                    reasons.get(o.file, o.reason),
                ]
            )
        )
    return "\n".join(lines) + "\n"


def recent_log(session: Session, limit: int = 1000) -> list[LogEntry]:
    """The import log, newest first."""
    rows = session.scalars(
        select(ImportLog).order_by(ImportLog.at.desc(), ImportLog.id.desc()).limit(limit)
    )
    return [
        LogEntry(r.at, r.file_name, r.opd_code, r.year, r.revision, r.outcome, r.reason)
        for r in rows
    ]
