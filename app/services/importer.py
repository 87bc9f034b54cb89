"""Pokja's import of submissions: verify everything, then merge one file at a time.

Signed submissions (docs/submissions.md) and, since the fill-in workbook, unsigned
workbooks filled by OPDs without the app (docs/fillin.md; read by ``app/core/fillin``,
merged by the same code as signed content, recorded with signature_state "unsigned").

Each file is read and checked completely before anything is written (size caps,
spreadsheet check, signature, format, OPD, period, year, row and node keys, pinned
key); then its figures are merged in one transaction, so a failure, a cancel or a
killed process never leaves half a file in the database. Every outcome is logged with
an Indonesian reason. Callers (CLI, the window's worker) pass ``progress`` and
``cancelled`` callables; cancelling stops between files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.domain.numbers import decimal_text, text_decimal
from app.domain.progress import Cancelled, Progress
from app.formats import fillin, keys
from app.formats.arg_questions import load_question_sets
from app.formats.submission import (
    Limits,
    MissingSignedParts,
    Signed,
    SubmissionError,
    canonical_bytes,
    read_package,
)
from app.models.db import Database
from app.models.schema import (
    ArgAnswer,
    AuditEntry,
    ImportLog,
    Opd,
    PinnedKey,
    Plan,
    PlanNode,
    PlanRow,
    Realisation,
    Submission,
    Target,
)

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

    @property
    def ok(self) -> bool:
        return self.outcome != REFUSED


class _Refused(Exception):
    def __init__(self, reason: str, state: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.state = state  # a signature state worth recording in ``submission``


def _ts(v: str | None) -> datetime | None:
    return None if v is None else datetime.fromisoformat(v)


def pinned_key(session: Session, opd_code: str) -> PinnedKey | None:
    return session.scalar(
        select(PinnedKey).where(PinnedKey.opd_code == opd_code, PinnedKey.active.is_(True))
    )


def pin_key(session: Session, opd_code: str, public: bytes, user: str = "") -> PinnedKey:
    """Make ``public`` the OPD's accepted key (the previous one stays, inactive)."""
    key_id = keys.fingerprint(public)
    session.execute(
        update(PinnedKey)
        .where(PinnedKey.opd_code == opd_code, PinnedKey.key_id != key_id)
        .values(active=False)
    )
    row = session.scalar(
        select(PinnedKey).where(PinnedKey.opd_code == opd_code, PinnedKey.key_id == key_id)
    )
    if row is None:
        row = PinnedKey(
            opd_code=opd_code,
            key_id=key_id,
            public_key=public.hex(),
            pinned_at=datetime.now(),
            pinned_by=user,
        )
        session.add(row)
    row.active = True
    return row


def _check_key(session: Session, signed: Signed, accept_new_key: bool) -> bool:
    """Whether the file's key is (or is now to be) pinned; refuses otherwise."""
    pinned = pinned_key(session, signed.opd_code)
    shown = keys.grouped(signed.key_id)
    if pinned is not None and pinned.public_key == signed.public_key.hex():
        return False
    if accept_new_key:
        return True
    if pinned is None:
        raise _Refused(
            f"Kunci penanda tangan {signed.opd_code} belum dikenal (sidik jari {shown}). "
            "Cocokkan sidik jari ini dengan Perangkat Daerah (misalnya lewat telepon), lalu "
            "terima kuncinya (jendela Terima Berkas: 'Terima kunci ini'; baris perintah: "
            "--accept-new-key).",
            "refused",
        )
    raise _Refused(
        f"Berkas ditandatangani dengan kunci lain ({shown}) daripada kunci "
        f"{signed.opd_code} yang sudah diterima ({keys.grouped(pinned.key_id)}). Pastikan "
        "Perangkat Daerah memang mengganti kuncinya, lalu terima kunci baru (jendela Terima "
        "Berkas: 'Terima kunci ini'; baris perintah: --accept-new-key).",
        "refused",
    )


def _check_scope(
    session: Session, c: dict[str, Any]
) -> tuple[Plan, dict[str, int], dict[str, int]]:
    """Plan, year, OPD and every key known; returns the OPD's row and node ids by key."""
    opd_code, year = str(c["opd"]["code"]), int(c["year"])
    opd = session.scalar(select(Opd).where(Opd.code == opd_code))
    if opd is None:
        raise _Refused(f"Perangkat Daerah {opd_code} tidak dikenal di basis data ini.")
    p = c["plan"]
    plan = session.scalar(select(Plan).where(Plan.code == p["code"]))
    if plan is None or (plan.start_year, plan.end_year) != (p["start_year"], p["end_year"]):
        raise _Refused(
            f"Periode rencana {p['code']} {p['start_year']}–{p['end_year']} tidak dikenal di "
            "basis data ini."
        )
    if year not in plan.years:
        raise _Refused(f"Tahun {year} di luar periode {plan.start_year}–{plan.end_year}.")
    row_owner = {
        key: (rid, oid)
        for rid, key, oid in session.execute(
            select(PlanRow.id, PlanRow.key, PlanRow.opd_id).where(PlanRow.plan_id == plan.id)
        )
    }
    rows: dict[str, int] = {}
    for r in c["rows"]:
        got = row_owner.get(r["key"])
        if got is None:
            raise _Refused(f"Baris {r['key']} tidak ada di rencana {plan.code}; berkas ditolak.")
        if got[1] != opd.id:
            raise _Refused(
                f"Berkas memuat baris milik Perangkat Daerah lain ({r['key']}); "
                "berkas ditolak seluruhnya."
            )
        rows[r["key"]] = got[0]
    node_owner = {
        key: (nid, oid)
        for nid, key, oid in session.execute(
            select(PlanNode.id, PlanNode.key, PlanNode.opd_id).where(PlanNode.plan_id == plan.id)
        )
    }
    qsets = load_question_sets()
    nodes: dict[str, int] = {}
    for a in c["arg"]:
        node = node_owner.get(a["node"])
        if node is None:
            raise _Refused(f"Kegiatan {a['node']} tidak ada di rencana {plan.code}.")
        if node[1] != opd.id:
            raise _Refused(
                f"Berkas memuat jawaban ARG untuk kegiatan Perangkat Daerah lain ({a['node']}); "
                "berkas ditolak seluruhnya."
            )
        qset = qsets.get(a["question_set"])
        if qset is None:
            raise _Refused(f"Set pertanyaan ARG {a['question_set']} tidak dikenal.")
        if a["question"] not in {q.id for q in qset.questions}:
            raise _Refused(f"Pertanyaan ARG {a['question']} tidak ada di {qset.version}.")
        nodes[a["node"]] = node[0]
    return plan, rows, nodes


_AUDITED = ("total", "male", "female", "disabled", "budget", "spending", "evidence", "note")


def _audit_text(v: Any) -> str | None:
    if v is None:
        return None
    return decimal_text(v) if isinstance(v, Decimal) else str(v)


def _values(v: dict[str, Any]) -> dict[str, Any]:
    """A realisation's audited fields, empty texts and missing numbers alike."""
    return {f: (v.get(f) or "") if f in ("evidence", "note") else v.get(f) for f in _AUDITED}


def _merge(
    session: Session,
    c: dict[str, Any],
    plan: Plan,
    rows: dict[str, int],
    nodes: dict[str, int],
    *,
    user: str = "",
    now: datetime | None = None,
    action: str = "impor-kiriman",
) -> None:
    """Replace the OPD's realisations, proposals and ARG answers for the year.

    ``c`` is submission content (format v1): from a signed package, or built from a
    fill-in workbook by ``fillin.fillin_content``. Every realisation value the file
    changes is written to the audit trail, so a row's history shows what an import did.
    """
    opd_code, year = str(c["opd"]["code"]), int(c["year"])
    keyed = dict(
        session.execute(
            select(PlanRow.id, PlanRow.key)
            .join(Opd, Opd.id == PlanRow.opd_id)
            .where(PlanRow.plan_id == plan.id, Opd.code == opd_code)
        ).all()
    )
    opd_rows = list(keyed)
    before: dict[tuple[int, int], dict[str, Any]] = {}
    for start in range(0, max(len(opd_rows), 1), 900):
        for x in session.scalars(
            select(Realisation).where(
                Realisation.row_id.in_(opd_rows[start : start + 900]), Realisation.year == year
            )
        ):
            before[(x.row_id, x.semester)] = _values({f: getattr(x, f) for f in _AUDITED})
    opd_nodes = [
        nid
        for (nid,) in session.execute(
            select(PlanNode.id)
            .join(Opd, Opd.id == PlanNode.opd_id)
            .where(PlanNode.plan_id == plan.id, Opd.code == opd_code)
        )
    ]
    for start in range(0, max(len(opd_rows), 1), 900):
        chunk = opd_rows[start : start + 900]
        session.execute(
            delete(Realisation).where(Realisation.row_id.in_(chunk), Realisation.year == year)
        )
        session.execute(
            update(Target)
            .where(Target.row_id.in_(chunk), Target.year == year)
            .values(
                proposed=False,
                proposed_text=None,
                proposed_total=None,
                proposed_male=None,
                proposed_female=None,
                proposed_disabled=None,
                proposed_at=None,
                proposed_by=None,
            )
        )
    for start in range(0, max(len(opd_nodes), 1), 900):
        chunk = opd_nodes[start : start + 900]
        session.execute(
            delete(ArgAnswer).where(ArgAnswer.node_id.in_(chunk), ArgAnswer.year == year)
        )
    reals: list[dict[str, Any]] = []
    for r in c["rows"]:
        rid = rows[r["key"]]
        for sem, v in r["realisations"].items():
            reals.append(
                {
                    "row_id": rid,
                    "year": year,
                    "semester": int(sem),
                    "total": text_decimal(v["total"]),
                    "male": text_decimal(v["male"]),
                    "female": text_decimal(v["female"]),
                    "disabled": text_decimal(v["disabled"]),
                    "budget": text_decimal(v["budget"]),
                    "spending": text_decimal(v["spending"]),
                    "evidence": v["evidence"],
                    "note": v["note"],
                    "updated_at": _ts(v["updated_at"]),
                    "updated_by": v["updated_by"],
                }
            )
        p = r["proposed_target"]
        if p is not None:
            session.execute(
                update(Target)
                .where(Target.row_id == rid, Target.year == year)
                .values(
                    proposed=True,
                    proposed_text=p["text"],
                    proposed_total=text_decimal(p["total"]),
                    proposed_male=text_decimal(p["male"]),
                    proposed_female=text_decimal(p["female"]),
                    proposed_disabled=text_decimal(p["disabled"]),
                    proposed_at=_ts(p["at"]),
                    proposed_by=p["by"],
                )
            )
    if reals:
        session.execute(insert(Realisation), reals)
    after = {(r["row_id"], r["semester"]): _values(r) for r in reals}
    empty = _values({})
    audit = [
        {
            "at": now or datetime.now(),
            "user": user,
            "action": action,
            "row_key": keyed.get(rid),
            "year": year if not sem else year * 10 + sem,
            "field": f,
            "old_value": _audit_text(old[f]),
            "new_value": _audit_text(new[f]),
        }
        for (rid, sem) in sorted(before.keys() | after.keys())
        for old, new in [(before.get((rid, sem), empty), after.get((rid, sem), empty))]
        for f in _AUDITED
        if old[f] != new[f]
    ]
    if audit:
        session.execute(insert(AuditEntry), audit)
    answers = [
        {
            "node_id": nodes[a["node"]],
            "year": year,
            "qset_version": a["question_set"],
            "question_id": a["question"],
            "answer": a["answer"],
            "remark": a["remark"],
            "answered_at": _ts(a["answered_at"]),
            "answered_by": a["answered_by"],
        }
        for a in c["arg"]
    ]
    if answers:
        session.execute(insert(ArgAnswer), answers)


def _import_signed(
    session: Session, signed: Signed, file: Path, accept_new_key: bool, user: str, now: datetime
) -> tuple[str, str]:
    c = signed.content
    same = session.scalar(
        select(Submission).where(
            Submission.content_hash == signed.content_hash,
            Submission.signature_state == "signed",
        )
    )
    # Unsigned data in between: the same signed file is welcome again (it restores).
    replaced_by_unsigned = session.scalar(
        select(Submission.id).where(
            Submission.opd_code == signed.opd_code,
            Submission.plan_code == c["plan"]["code"],
            Submission.year == signed.year,
            Submission.current.is_(True),
            Submission.signature_state == UNSIGNED,
        )
    )
    if same is not None and replaced_by_unsigned is None:
        return DUPLICATE, (
            f"Berkas yang sama sudah diterima {same.received_at:%d-%m-%Y %H:%M} "
            f"(revisi {same.revision}); tidak ada yang diubah."
        )
    plan, rows, nodes = _check_scope(session, c)
    new_key = _check_key(session, signed, accept_new_key)
    current = session.scalar(
        select(Submission).where(
            Submission.opd_code == signed.opd_code,
            Submission.plan_code == plan.code,
            Submission.year == signed.year,
            Submission.current.is_(True),
        )
    )
    if current is not None:
        if current.signature_state == UNSIGNED:
            pass  # signed content always outranks a fill-in workbook (docs/fillin.md)
        elif current.submission_id == signed.submission_id:
            if signed.revision <= current.revision:
                return OUTDATED, (
                    f"Revisi {signed.revision} tidak lebih baru daripada revisi "
                    f"{current.revision} yang sudah diterima; tidak ada yang diubah."
                )
        elif c["created_at"] <= current.created_at:
            return OUTDATED, (
                f"Kiriman ini dibuat {c['created_at']}, lebih lama daripada kiriman yang sudah "
                f"diterima ({current.created_at}); tidak ada yang diubah."
            )
        current.current = False
    if new_key:
        pin_key(session, signed.opd_code, signed.public_key, user)
    _merge(
        session,
        c,
        plan,
        rows,
        nodes,
        user=user,
        now=now,
        action=f"impor kiriman r{signed.revision}",
    )
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
            file_name=file.name,
            current=True,
            content=signed.content_bytes.decode("utf-8"),
        )
    )
    session.add(
        AuditEntry(
            at=now,
            user=user,
            action="impor-kiriman",
            row_key=None,
            year=signed.year,
            field=signed.opd_code,
            old_value=None if current is None else f"{current.submission_id} r{current.revision}",
            new_value=f"{signed.submission_id} r{signed.revision}",
        )
    )
    filled = sum(1 for r in c["rows"] if r["realisations"].get("0", {}).get("total") is not None)
    what = f"{len(c['rows'])} baris ({filled} terisi), {len(c['arg'])} jawaban ARG" + (
        "; kunci baru diterima" if new_key else ""
    )
    if current is None:
        return ACCEPTED, f"Diterima: {what}."
    if current.signature_state == UNSIGNED:
        return SUPERSEDED, (
            f"Kiriman bertanda tangan menggantikan data berkas isian tanpa tanda tangan "
            f"(diterima {current.received_at:%d-%m-%Y %H:%M}): {what}."
        )
    return SUPERSEDED, f"Revisi {signed.revision} menggantikan revisi {current.revision}: {what}."


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
    current = session.scalar(
        select(Submission).where(
            Submission.opd_code == wb.opd_code,
            Submission.plan_code == wb.plan_code,
            Submission.year == wb.year,
            Submission.current.is_(True),
        )
    )
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
    content, plan = fillin.fillin_content(session, wb, now=now, user=user)
    if current is not None and current.signature_state != UNSIGNED:
        if not replace_signed:
            raise _Refused(
                f"Data {wb.opd_code} tahun {wb.year} berasal dari kiriman bertanda tangan "
                f"(revisi {current.revision}, diterima {current.received_at:%d-%m-%Y %H:%M}). "
                "Berkas isian tanpa tanda tangan tidak menggantikannya. Bila Pokja memang "
                "ingin menggantinya, impor ulang dengan --replace-signed."
            )
        if wb.exported_at <= current.received_at:
            return OUTDATED, (
                f"Buku kerja isian ini dibuat {wb.exported_at:%d-%m-%Y %H:%M}, sebelum kiriman "
                f"bertanda tangan diterima ({current.received_at:%d-%m-%Y %H:%M}); tidak ada "
                "yang diubah. Buat buku kerja isian baru bila data itu memang perlu diganti."
            )
    _plan, rows, nodes = _check_scope(session, content)
    if current is not None:
        current.current = False
    _merge(session, content, plan, rows, nodes, user=user, now=now, action="impor isian")
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
            file_name=file.name,
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

    def outcome_of(outcome: str, reason: str) -> ImportOutcome:
        return ImportOutcome(
            file, outcome, reason, wb.opd_code, wb.year, wb.workbook_id, 1, wb.values_hash
        )

    try:
        with db.begin() as session:
            outcome, reason = _import_unsigned(session, wb, file, replace_signed, user, now)
            out = outcome_of(outcome, reason)
            session.add(_log_entry(out, now))
    except (_Refused, SubmissionError) as exc:
        out = outcome_of(REFUSED, exc.reason if isinstance(exc, _Refused) else str(exc))
        _log(db, out, now)
    return out


def _log_entry(o: ImportOutcome, now: datetime) -> ImportLog:
    """The import log's line for an outcome (written with the merge, or alone)."""
    return ImportLog(
        at=now,
        file_name=o.file.name,
        content_hash=o.content_hash,
        opd_code=o.opd_code,
        year=o.year,
        submission_id=o.submission_id,
        revision=o.revision,
        outcome=o.outcome,
        reason=o.reason,
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
                    file_name=o.file.name,
                    current=False,
                )
            )


def import_file(
    db: Database,
    path: str | Path,
    *,
    accept_new_key: bool = False,
    replace_signed: bool = False,
    user: str = "",
    limits: Limits | None = None,
) -> ImportOutcome:
    """Import one file: everything or nothing, with its outcome logged.

    A workbook without signed parts that is a fill-in workbook (``app/formats/fillin.py``)
    is imported as unsigned data; ``replace_signed`` lets it replace signed data.
    """
    file = Path(path)
    now = datetime.now()
    try:
        signed = read_package(file, limits)
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

    def outcome_of(outcome: str, reason: str) -> ImportOutcome:
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
        )

    try:
        with db.begin() as session:
            outcome, reason = _import_signed(session, signed, file, accept_new_key, user, now)
            out = outcome_of(outcome, reason)
            session.add(_log_entry(out, now))
    except _Refused as exc:
        out = outcome_of(REFUSED, exc.reason)
        _log(db, out, now, exc.state)
    return out


def import_files(
    db: Database,
    paths: Iterable[str | Path],
    *,
    accept_new_key: bool = False,
    replace_signed: bool = False,
    user: str = "",
    limits: Limits | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[ImportOutcome]:
    """Import files in order, each its own transaction; a cancel stops between files."""
    files = [Path(p) for p in paths]
    out: list[ImportOutcome] = []
    for i, f in enumerate(files):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress(i, len(files))
        out.append(
            import_file(
                db,
                f,
                accept_new_key=accept_new_key,
                replace_signed=replace_signed,
                user=user,
                limits=limits,
            )
        )
    if progress is not None:
        progress(len(out), len(files))
    return out
