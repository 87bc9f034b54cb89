"""Pokja's import of submissions: verify everything, then merge one file at a time.

Signed submissions (docs/submissions.md) and, since the fill-in workbook, unsigned
workbooks filled by OPDs without the app (docs/fillin.md; read by
``app/formats/fillin.py``, merged by the same code as signed content in
``app/services/merge.py``, recorded with signature_state "unsigned"). Which signing
keys are accepted is decided by ``app/services/trust.py``.

Each file is read and checked completely before anything is written (size caps,
spreadsheet check, signature, format, OPD, period, year, row and node keys, pinned
key); then its figures are merged in one transaction, so a failure, a cancel or a
killed process never leaves half a file in the database. Every outcome is logged with
an Indonesian reason. Callers (CLI, the window's worker) pass ``progress`` and
``cancelled`` callables; cancelling stops between files.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain.ordering import Verdict, aware, local_now
from app.domain.printable import shown_lines, shown_name
from app.domain.progress import Cancelled, Progress
from app.formats import fillin
from app.formats.canonical_json import SubmissionError, canonical_bytes
from app.formats.container import Limits
from app.formats.submission import MissingSignedParts, Signed, read_package
from app.models.db import Database
from app.models.schema import AuditEntry, ImportLog, Submission
from app.services import corrections, import_order
from app.services.fillin_content import fillin_content
from app.services.import_keys import KeyConsent, KeyPair, check_key
from app.services.import_lock import lock_opd_year, once_more_on_race
from app.services.merge import Refused, check_scope, merge_content
from app.services.pprg_intake import store_received
from app.services.trust import pin_opd_key

ACCEPTED = "diterima"  # first file of this OPD and year
SUPERSEDED = "menggantikan"  # a newer revision replaced the previous one
DUPLICATE = "sama"  # the same content was already imported: nothing changed
OUTDATED = "usang"  # an equal or older revision: nothing changed
REFUSED = "ditolak"
MERGED = {ACCEPTED, SUPERSEDED}
UNSIGNED = "unsigned"  # Submission.signature_state of a fill-in workbook (docs/fillin.md)


@dataclass(frozen=True)
class ImportOutcome:
    file: Path
    outcome: str
    reason: str
    opd_code: str | None = None
    year: int | None = None
    submission_id: str | None = None
    revision: int | None = None
    content_hash: str | None = None
    key_id: str | None = None
    # What Pokja can do about it (``import_keys.ACCEPT_KEY``, ``import_order.REPLACE_ANYWAY``
    # …): the CLI adds its option for it, the window has its own buttons.
    action: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome != REFUSED


def _order(current: Submission | None, c: dict[str, Any], now: datetime) -> tuple[str, str] | None:
    """The OUTDATED outcome when the file does not win, None when it does; refuses a
    revision jump (rules in app/domain/ordering.py)."""
    v = import_order.verdict(current, c, now)
    if v == Verdict.JUMP:
        raise Refused(import_order.jump_reason(current, c), action=import_order.REPLACE_ANYWAY)
    if v == Verdict.NOT_NEWER and current is not None:
        return OUTDATED, import_order.not_newer_reason(current, c)
    return None


def _import_signed(
    session: Session,
    signed: Signed,
    file: Path,
    consent: KeyConsent,
    user: str,
    now: datetime,
    force: str | None = None,
) -> tuple[str, str]:
    """Merge a verified signed file; ``force`` is Pokja's reason to replace anyway."""
    c = signed.content
    clock = import_order.content_clock_problem(c, now)
    if clock is not None:
        raise Refused(clock)
    # Read once for both uses (check_scope below finds the plan by this same code).
    current, same = import_order.current_and_same(
        session, signed.opd_code, str(c["plan"]["code"]), signed.year, signed.content_hash
    )
    # Unsigned data in between: the same signed file is welcome again (it restores).
    replaced_by_unsigned = current is not None and current.signature_state == UNSIGNED
    if same is not None and not replaced_by_unsigned and force is None:
        # Pokja may have corrected this file's figures since: "sama" alone would hide it.
        fixed = corrections.count_for(session, same.plan_code, same.opd_code, same.year)
        hint = corrections.restore_hint(fixed) if same.current and fixed else ""
        return DUPLICATE, (
            f"Berkas yang sama sudah diterima {same.received_at:%d-%m-%Y %H:%M} "
            f"(revisi {same.revision}); tidak ada yang diubah."
            + (hint or " " + import_order.FORCE_HINT)
        )
    plan, rows, nodes = check_scope(session, c)
    key_act = check_key(session, signed, consent)
    if force is None:
        older = _order(current, c, now)
        if older is not None:
            return older
    if current is not None:
        current.current = False
    if key_act is not None:
        pin_opd_key(
            session, signed.opd_code, signed.public_key, user, reassign=key_act == "reassign"
        )
    # Which submission replaced which goes into the trail with the file's changed values.
    replaced = {
        "at": now,
        "user": user,
        "action": "impor-kiriman" if force is None else "ganti-paksa",
        "row_key": None,
        "year": signed.year,
        "field": signed.opd_code,
        "old_value": None if current is None else f"{current.submission_id} r{current.revision}",
        "new_value": f"{signed.submission_id} r{signed.revision}"
        + ("" if force is None else f"; alasan: {force}"),
    }
    merge_content(
        session,
        c,
        plan,
        rows,
        nodes,
        user=user,
        now=now,
        action=f"impor kiriman r{signed.revision}" + (" (ganti paksa)" if force else ""),
        also_audit=[replaced],
    )
    # GAP/GBS documents ride in the same transaction: with the figures or not at all.
    documents = store_received(session, plan, c, signed.submission_id, user=user, now=now)
    session.add(
        Submission(
            submission_id=signed.submission_id,
            opd_code=signed.opd_code,
            plan_code=plan.code,
            year=signed.year,
            revision=signed.revision,
            content_hash=signed.content_hash,
            created_at=c["created_at"],
            received_at=now,
            signature_state="signed",
            key_id=signed.key_id,
            file_name=shown_name(file.name),
            current=True,
            content=signed.content_bytes.decode("utf-8"),
        )
    )
    filled = sum(1 for r in c["rows"] if r["realisations"].get("0", {}).get("total") is not None)
    what = (
        f"{len(c['rows'])} baris ({filled} terisi), {len(c['arg'])} jawaban ARG"
        + (f", {documents} dokumen PPRG" if documents else "")
        + (
            {
                None: "",
                "pin": "; kunci baru diterima",
                "reassign": "; kunci dipindahkan ke OPD ini",
            }[key_act]
        )
    )
    forced = "" if force is None else " " + import_order.forced_note(force)
    if current is None:
        return ACCEPTED, f"Diterima: {what}.{forced}"
    if current.signature_state == UNSIGNED:
        return SUPERSEDED, (
            f"Kiriman bertanda tangan menggantikan data berkas isian tanpa tanda tangan "
            f"(diterima {current.received_at:%d-%m-%Y %H:%M}): {what}.{forced}"
        )
    return SUPERSEDED, (
        f"Revisi {signed.revision} menggantikan revisi {current.revision}: {what}.{forced}"
    )


def _import_unsigned(
    session: Session,
    wb: fillin.FillinWorkbook,
    file: Path,
    replace_signed: bool,
    user: str,
    now: datetime,
) -> tuple[str, str]:
    """Merge a checked fill-in workbook as unsigned data (rules in docs/fillin.md).

    A new workbook for the OPD and year replaces the previous unsigned one; signed
    data is replaced only with ``replace_signed`` and only by a workbook exported after
    the signed submission was received.
    """
    current = import_order.current_submission(session, wb.opd_code, wb.plan_code, wb.year)
    local = local_now(now)  # naive stamps are this machine's local time
    values_hash = wb.values_hash
    if (
        current is not None
        and current.signature_state == UNSIGNED
        and current.content_hash == values_hash
    ):
        return DUPLICATE, (
            f"Isian yang sama (tanpa tanda tangan) sudah diterima "
            f"{current.received_at:%d-%m-%Y %H:%M}; tidak ada yang diubah."
        )
    clock = import_order.fillin_clock_problem(wb.exported_at, now)
    if clock is not None:
        raise Refused(clock)
    content, plan = fillin_content(session, wb, now=now, user=user)
    if current is not None and current.signature_state != UNSIGNED:
        if not replace_signed:
            raise Refused(
                f"Data {wb.opd_code} tahun {wb.year} berasal dari kiriman bertanda tangan "
                f"(revisi {current.revision}, diterima {current.received_at:%d-%m-%Y %H:%M}). "
                "Berkas isian tanpa tanda tangan tidak menggantikannya.",
                action=import_order.REPLACE_SIGNED,
            )
        if aware(wb.exported_at, local) <= aware(current.received_at, local):
            return OUTDATED, (
                f"Buku kerja isian ini dibuat {wb.exported_at:%d-%m-%Y %H:%M}, sebelum kiriman "
                f"bertanda tangan diterima ({current.received_at:%d-%m-%Y %H:%M}); tidak ada "
                "yang diubah. Buat buku kerja isian baru bila data itu memang perlu diganti."
            )
    _plan, rows, nodes = check_scope(session, content)
    if current is not None:
        current.current = False
    merge_content(session, content, plan, rows, nodes, user=user, now=now, action="impor isian")
    session.add(
        Submission(
            submission_id=wb.workbook_id,
            opd_code=wb.opd_code,
            plan_code=plan.code,
            year=wb.year,
            revision=1,
            content_hash=values_hash,
            created_at=wb.exported_at.isoformat(),
            received_at=now,
            signature_state=UNSIGNED,
            key_id=None,
            file_name=shown_name(file.name),
            current=True,
            content=canonical_bytes(content).decode("utf-8"),
        )
    )
    session.add(
        AuditEntry(
            at=now,
            user=user,
            action="impor-isian",
            row_key=None,
            year=wb.year,
            field=wb.opd_code,
            old_value=None
            if current is None
            else f"{current.signature_state} {current.submission_id} r{current.revision}",
            new_value=f"unsigned {wb.workbook_id}",
        )
    )
    filled = sum(1 for r in content["rows"] if "0" in r["realisations"])
    what = f"{len(content['rows'])} baris ({filled} terisi)"
    if current is None:
        return ACCEPTED, f"Diterima dari berkas isian TANPA tanda tangan elektronik: {what}."
    previous = (
        "berkas isian sebelumnya"
        if current.signature_state == UNSIGNED
        else f"kiriman bertanda tangan revisi {current.revision} (atas permintaan Pokja)"
    )
    return SUPERSEDED, (
        f"Berkas isian TANPA tanda tangan elektronik menggantikan {previous} "
        f"(diterima {current.received_at:%d-%m-%Y %H:%M}): {what}."
    )


def _import_fillin(
    db: Database,
    file: Path,
    resaved: str,
    *,
    replace_signed: bool,
    user: str,
    limits: Limits | None,
    now: datetime,
) -> ImportOutcome:
    """A workbook without signed parts: a fill-in workbook, or a re-saved submission."""
    try:
        wb = fillin.read_workbook(file, limits)
    except fillin.NotFillin:
        out = ImportOutcome(file, REFUSED, resaved)
        _log(db, out, now)
        return out
    except SubmissionError as exc:
        out = ImportOutcome(file, REFUSED, str(exc))
        _log(db, out, now)
        return out

    def outcome_of(outcome: str, reason: str, action: str | None = None) -> ImportOutcome:
        return ImportOutcome(
            file,
            outcome,
            reason,
            wb.opd_code,
            wb.year,
            wb.workbook_id,
            1,
            wb.values_hash,
            None,
            action,
        )

    def merge_once() -> ImportOutcome:
        with db.begin() as session:
            lock_opd_year(session, wb.opd_code, wb.plan_code, wb.year)
            outcome, reason = _import_unsigned(session, wb, file, replace_signed, user, now)
            out = outcome_of(outcome, reason)
            session.add(_log_entry(out, now))
        return out

    try:
        out = once_more_on_race(merge_once)
    except Refused as exc:
        out = outcome_of(REFUSED, exc.reason, exc.action)
        _log(db, out, now)
    except SubmissionError as exc:
        out = outcome_of(REFUSED, str(exc))
        _log(db, out, now)
    return out


def _log_entry(o: ImportOutcome, now: datetime) -> ImportLog:
    """The import log's line for an outcome (written with the merge, or alone)."""
    return ImportLog(
        at=now,
        file_name=shown_name(o.file.name),
        content_hash=o.content_hash,
        opd_code=o.opd_code,
        year=o.year,
        submission_id=o.submission_id,
        revision=o.revision,
        outcome=o.outcome,
        reason=shown_lines(o.reason),
    )


def _log(db: Database, o: ImportOutcome, now: datetime, state: str | None = None) -> None:
    with db.begin() as session:
        session.add(_log_entry(o, now))
        if state is not None and o.content_hash and o.opd_code and o.year:
            session.add(
                Submission(
                    submission_id=o.submission_id or "",
                    opd_code=o.opd_code,
                    plan_code="",
                    year=o.year,
                    revision=o.revision or 0,
                    content_hash=o.content_hash,
                    created_at="",
                    received_at=now,
                    signature_state=state,
                    key_id=o.key_id,
                    file_name=shown_name(o.file.name),
                    current=False,
                )
            )


log = logging.getLogger(__name__)


def unexpected_reason(exc: BaseException) -> str:
    """The refusal of one file for an error no rule foresaw (the traceback goes to the log)."""
    log.error("Unexpected %s while importing one file", type(exc).__name__, exc_info=exc)
    return (
        f"Berkas tidak dapat diproses: terjadi kesalahan tak terduga ({type(exc).__name__}) "
        "saat membaca atau menggabungkan berkas ini. Tidak ada data dari berkas ini yang "
        "disimpan; berkas lain tetap diproses. Laporkan berkas ini kepada pengelola aplikasi."
    )


def _fails_alone(fn: Callable[..., ImportOutcome]) -> Callable[..., ImportOutcome]:
    """Whatever goes wrong with one file becomes that file's logged refusal.

    The file's own transaction has already been rolled back by ``db.begin()`` when the
    exception arrives here, so nothing of it is in the database; the batch goes on.
    """

    @functools.wraps(fn)
    def one_file(db: Database, path: str | Path, *args: object, **kwargs: object) -> ImportOutcome:
        try:
            return fn(db, path, *args, **kwargs)
        except Exception as exc:
            out = ImportOutcome(Path(path), REFUSED, unexpected_reason(exc))
            try:
                _log(db, out, datetime.now())
            except Exception:  # the database itself failing: the outcome still says why
                log.exception("Could not log the refusal of %s", shown_name(str(path)))
            return out

    return one_file


@_fails_alone
def import_file(
    db: Database,
    path: str | Path,
    *,
    accept_new_key: bool = False,
    replace_signed: bool = False,
    user: str = "",
    limits: Limits | None = None,
    keys_allowed: KeyConsent | None = None,
    replace_anyway: str | None = None,
    read: Callable[[], Signed] | None = None,
) -> ImportOutcome:
    """Import one file: everything or nothing, with its outcome logged.

    A workbook without signed parts that is a fill-in workbook (``app/formats/fillin.py``)
    is imported as unsigned data; ``replace_signed`` lets it replace signed data.
    ``accept_new_key`` accepts the new or changed key of this one file's OPD (never a key
    pinned for another OPD); ``keys_allowed`` names accepted and reassigned keys by OPD.
    ``replace_anyway`` is Pokja's reason to replace the held data with this signed file
    although the ordering rules say no (equal or older, the same content, a revision
    jump); it is written to the import log and the audit trail. It never overrides the
    clock, key or row checks. ``read`` gives the file's :func:`read_package` result
    (or raises what it raised) when the caller verified it already, ahead of time.
    """
    file = Path(path)
    now = datetime.now()
    consent = keys_allowed or KeyConsent()
    if accept_new_key:
        consent = KeyConsent(consent.accept, consent.reassign, any_new=True)
    force = (replace_anyway or "").strip() or None
    try:
        signed = read_package(file, limits) if read is None else read()
    except MissingSignedParts as exc:
        return _import_fillin(
            db,
            file,
            str(exc),
            replace_signed=replace_signed,
            user=user,
            limits=limits,
            now=now,
        )
    except SubmissionError as exc:
        out = ImportOutcome(file, REFUSED, str(exc))
        _log(db, out, now)
        return out

    def outcome_of(outcome: str, reason: str, action: str | None) -> ImportOutcome:
        return ImportOutcome(
            file,
            outcome,
            reason,
            signed.opd_code,
            signed.year,
            signed.submission_id,
            signed.revision,
            signed.content_hash,
            signed.key_id,
            action,
        )

    def merge_once() -> ImportOutcome:
        with db.begin() as session:
            # Another client importing for this OPD and year goes first (import_lock).
            plan_code = str(signed.content.get("plan", {}).get("code", ""))
            lock_opd_year(session, signed.opd_code, plan_code, signed.year)
            outcome, reason = _import_signed(session, signed, file, consent, user, now, force)
            # Same or not newer: nothing changed, unless Pokja replaces anyway.
            held = outcome in (DUPLICATE, OUTDATED)
            out = outcome_of(outcome, reason, import_order.REPLACE_ANYWAY if held else None)
            session.add(_log_entry(out, now))
        return out

    try:
        out = once_more_on_race(merge_once)
    except Refused as exc:
        out = outcome_of(REFUSED, exc.reason, exc.action)
        _log(db, out, now, exc.state)
    return out


def import_files(
    db: Database,
    paths: Iterable[str | Path],
    *,
    accept_keys: Collection[KeyPair] = (),
    reassign_keys: Collection[KeyPair] = (),
    replace_anyway: Mapping[Path, str] | None = None,
    replace_signed: bool = False,
    user: str = "",
    limits: Limits | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[ImportOutcome]:
    """Import files in order, each its own transaction; a cancel stops between files.

    Keys are accepted only as named, per OPD (``accept_keys``, ``reassign_keys``: pairs
    of OPD code and key id); ``replace_anyway`` maps a file (matched by its resolved
    path) to Pokja's reason to replace anyway.
    """
    files = [Path(p) for p in paths]
    consent = KeyConsent(frozenset(accept_keys), frozenset(reassign_keys))
    forced = {Path(p).resolve(): why for p, why in (replace_anyway or {}).items()}
    out: list[ImportOutcome] = []
    # The next file is read and verified on a second thread while this one is merged:
    # the merge spends much of its time waiting for the database (a server's replies,
    # SQLite's sync to disk). Every file is still verified in full, and nothing of it is
    # written before its own turn; a cancel leaves the file read ahead unwritten.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="baca-kiriman") as ahead:

        def read(k: int) -> Future[Signed]:
            return ahead.submit(read_package, files[k], limits)

        following = read(0) if files else None
        for i, f in enumerate(files):
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(i, len(files))
            this = following or read(i)
            following = read(i + 1) if i + 1 < len(files) else None
            out.append(
                import_file(
                    db,
                    f,
                    keys_allowed=consent,
                    replace_anyway=forced.get(f.resolve()),
                    replace_signed=replace_signed,
                    user=user,
                    limits=limits,
                    read=this.result,
                )
            )
    if progress is not None:
        progress(len(out), len(files))
    return out
