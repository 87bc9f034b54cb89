"""Pokja corrects the official matrix in its own database, one audited change at a time.

Until issue 12 the official columns changed only through a received matrix package; Pokja
had no way to make the correction it then sends. Each function here is one user action
in one transaction: it refuses an empty reason, writes an :class:`AuditEntry` per changed
value (action :data:`ACTION`, the reason after :data:`REASON_MARK` in ``new_value``, since
the audit table has no reason column and the row's history must show it), and returns a
small record from which the window's undo command calls the inverse. An undo is itself
a change with a reason (``Urungkan: …``), recorded as :data:`UNDO_ACTION`, so the history
never loses a step.

Nothing here sends anything: ``matrix_export`` rebuilds the package from the database, so
a corrected cell, a new row, a retired row (left out of the package; the focal point
retires it too) and a moved row all travel with the next "Kirim matriks bertanda tangan".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.domain.achievement import Polarity
from app.domain.target_text import parse_target
from app.domain.text_policy import FREE_TEXT_MAX, TextError, clean_text
from app.formats.plan_data import OPD_LEVELS
from app.models.db import Database
from app.models.schema import AuditEntry, Opd, Plan, PlanNode, PlanRow, Realisation, Target
from app.services.concurrency import ConcurrentEditError, Seen, last_change, versioned_write
from app.services.corrections import is_signed
from app.services.matrix_audit import (  # re-exported: the form and the history read them
    ACTION,
    REASON_MARK,
    UNDO_ACTION,
    corrected_fields,
    split_reason,
)
from app.services.seeding import node_key

MIN_REASON = 5  # the same bar as a correction of signed figures
ROW_FIELDS = ("aktivitas", "indikator", "satuan", "keterangan", "polarity")
FIELD_LABELS = {
    "aktivitas": "Aktivitas",
    "indikator": "Indikator",
    "satuan": "Satuan",
    "keterangan": "Keterangan",
    "polarity": "Polaritas",
    "target": "Target",
    "program": "Program",
    "kegiatan": "Kegiatan",
    "sub_kegiatan": "Sub kegiatan",
    "baris": "Baris",
    "status": "Status",
    "opd": "Perangkat Daerah",
}
RETIRED = "dipensiunkan"
ACTIVE = "aktif"


class PlanEditError(RuntimeError):
    """A refused matrix correction, with an Indonesian message for the user."""


@dataclass(frozen=True)
class FieldEdit:
    """A row's official text changed (``year`` set for a target text)."""

    row_id: int
    field: str
    old: str
    new: str
    year: int | None = None


@dataclass(frozen=True)
class NodeEdit:
    node_id: int
    old: str
    new: str


@dataclass(frozen=True)
class RowAdded:
    row_id: int
    key: str


@dataclass(frozen=True)
class RetireEdit:
    row_id: int
    retired: bool  # the state after the change


@dataclass(frozen=True)
class RowMove:
    row_id: int
    old_opd_id: int
    new_opd_id: int
    old_node_id: int | None
    created_nodes: tuple[int, ...] = field(default=())
    realisations: int = 0


def check_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise PlanEditError(
            "Tulis alasan koreksi matriks (minimal 5 huruf), misalnya 'salah ketik di "
            "Perbup, dikonfirmasi Bappeda'."
        )
    return reason


def undo_reason(reason: str) -> str:
    return reason if reason.startswith("Urungkan: ") else f"Urungkan: {reason}"


def _audit(
    session: Session,
    user: str,
    row_key: str,
    fld: str,
    old: str | None,
    new: str | None,
    reason: str,
    *,
    year: int | None = None,
    now: datetime | None = None,
) -> None:
    action = UNDO_ACTION if reason.startswith("Urungkan: ") else ACTION
    session.add(
        AuditEntry(
            at=now or datetime.now(),
            user=user,
            action=action,
            row_key=row_key,
            year=year,
            field=fld[:40],
            old_value=old,
            new_value=f"{new or '–'}{REASON_MARK}{reason}",
        )
    )


def _row(session: Session, row_id: int) -> PlanRow:
    row = session.get(PlanRow, row_id)
    if row is None:
        raise PlanEditError("Baris rencana aksi tidak ditemukan (mungkin sudah dihapus).")
    return row


def checked_text(value: str, label: str, *, required: bool = False) -> str:
    """A typed official text cleaned by the text policy (refused with the field named)."""
    try:
        out = clean_text(value, FREE_TEXT_MAX)
    except TextError as exc:
        raise PlanEditError(f"{label}: {exc}") from None
    if required and not out:
        raise PlanEditError(f"{label} tidak boleh kosong.")
    return out


def parsed_target(text: str, year: int) -> dict[str, object]:
    """The Target columns for a typed official target, read as the matrix is read."""
    try:
        text = clean_text(text, FREE_TEXT_MAX)
    except TextError as exc:
        raise PlanEditError(f"Target {year}: {exc}") from None
    p = parse_target(text)
    if not p.ok:
        raise PlanEditError(
            f"Target {year} '{text}' tidak terbaca: ada angka yang tidak dapat dibaca. Tulis "
            "seperti di matriks, misalnya '30 orang terdiri dari 20 laki-laki, 10 perempuan'."
        )
    try:
        p.breakdown.validate()
    except ValueError as exc:
        raise PlanEditError(f"Target {year}: {exc}") from None
    b = p.breakdown
    return {
        "text": p.text,
        "is_percent": p.is_percent,
        "total": b.total,
        "male": b.male,
        "female": b.female,
        "disabled": b.disabled,
    }


# ------------------------------------------------------------------ a. official cells
def edit_field(
    db: Database,
    row_id: int,
    fld: str,
    value: str,
    reason: str,
    user: str,
    seen: Seen | None = None,
) -> FieldEdit:
    """Change one official text of a row (aktivitas, indikator, satuan, keterangan,
    polarity); the inverse is the same call with ``old``. ``seen``: the row's version the
    dialog showed, a correction made since by another person is refused (``concurrency``)."""
    reason = check_reason(reason)
    if fld not in ROW_FIELDS:
        raise PlanEditError(f"Kolom '{fld}' tidak dapat dikoreksi di sini.")
    if fld == "polarity":
        if value not in {p.value for p in Polarity}:
            raise PlanEditError("Polaritas harus 'higher' atau 'lower'.")
        new = value
    else:
        new = checked_text(value, FIELD_LABELS[fld], required=fld == "indikator")
    with versioned_write(db, seen, lambda s: s.get(PlanRow, row_id)) as session:
        row = _row(session, row_id)
        old = getattr(row, fld) or ""
        if old == new:
            raise PlanEditError(f"{FIELD_LABELS[fld]} tidak berubah; tidak ada yang dikoreksi.")
        setattr(row, fld, new)
        row.updated_at, row.updated_by = datetime.now(), user
        _audit(session, user, row.key, fld, old, new, reason)
    return FieldEdit(row_id, fld, old, new)


def edit_target(
    db: Database,
    row_id: int,
    year: int,
    text: str,
    reason: str,
    user: str,
    seen: Seen | None = None,
) -> FieldEdit:
    """Change a year's official target text (and the figures read from it); ``seen`` as for
    :func:`edit_field`, the target's version (0: the year had none)."""
    reason = check_reason(reason)
    values = parsed_target(text, year)
    find = select(Target).where(Target.row_id == row_id, Target.year == year)
    with versioned_write(db, seen, lambda s: s.scalar(find)) as session:
        row = _row(session, row_id)
        target = next((t for t in row.targets if t.year == year), None)
        if target is None:
            plan = session.get(Plan, row.plan_id)
            if plan is None or year not in plan.years:
                raise PlanEditError(f"Tahun {year} di luar periode rencana ini.")
            target = Target(year=year)
            row.targets.append(target)
        old = target.text or ""
        if old == values["text"]:
            raise PlanEditError(f"Target {year} tidak berubah; tidak ada yang dikoreksi.")
        for k, v in values.items():
            setattr(target, k, v)
        target.updated_at, target.updated_by = datetime.now(), user
        _audit(session, user, row.key, "target", old, str(values["text"]), reason, year=year)
    return FieldEdit(row_id, "target", old, str(values["text"]), year)


def rename_node(
    db: Database, node_id: int, name: str, reason: str, user: str, shown: str | None = None
) -> NodeEdit:
    """Correct a program / kegiatan / sub kegiatan name; every row under it records it.

    ``shown`` is the name the dialog showed. Nodes carry no version (migration 0012 gave
    one to what forms edit, not to the hierarchy), so the name itself is compared: renamed
    by someone else since, the save is refused naming them from the rows' audit trail."""
    reason = check_reason(reason)
    new = checked_text(name, "Nama", required=True)
    with db.begin() as session:
        node = session.get(PlanNode, node_id)
        if node is None:
            raise PlanEditError("Program/kegiatan tidak ditemukan.")
        keys = _keys_under(session, node.id)
        if shown is not None and node.name != shown:
            by = last_change(session, keys[0], None, node.level) if keys else None
            raise ConcurrentEditError(*(by or (None, None)))
        if node.name == new:
            raise PlanEditError("Nama tidak berubah; tidak ada yang dikoreksi.")
        twin = session.scalar(
            select(PlanNode.id).where(
                PlanNode.plan_id == node.plan_id,
                PlanNode.level == node.level,
                PlanNode.opd_id == node.opd_id
                if node.opd_id is not None
                else PlanNode.opd_id.is_(None),
                PlanNode.parent_id == node.parent_id
                if node.parent_id is not None
                else PlanNode.parent_id.is_(None),
                func.lower(PlanNode.name) == new.lower(),
                PlanNode.id != node.id,
            )
        )
        if twin is not None:
            # The package names nodes by their words: two siblings with one name would
            # become one node at the focal point.
            raise PlanEditError(
                f"Sudah ada {FIELD_LABELS.get(node.level, node.level).lower()} bernama "
                f"'{new}' di tempat yang sama; pilih nama lain atau pindahkan barisnya."
            )
        old, node.name = node.name, new
        now = datetime.now()
        for key in keys:
            _audit(session, user, key, node.level, old, new, reason, now=now)
    return NodeEdit(node_id, old, new)


def _keys_under(session: Session, node_id: int) -> list[str]:
    ids, frontier = {node_id}, [node_id]
    while frontier:
        frontier = list(
            session.scalars(select(PlanNode.id).where(PlanNode.parent_id.in_(frontier)))
        )
        ids.update(frontier)
    return list(session.scalars(select(PlanRow.key).where(PlanRow.node_id.in_(ids))))


# ------------------------------------------------------------------ b. a new row
def new_row_key(session: Session) -> str:
    """A key no row ever had: random, so a key freed by an undo is never given again."""
    while True:
        key = "pk-" + uuid.uuid4().hex[:16]
        if session.scalar(select(PlanRow.id).where(PlanRow.key == key)) is None:
            return key


def add_row(
    db: Database,
    node_id: int,
    *,
    indikator: str,
    aktivitas: str = "",
    satuan: str = "",
    keterangan: str = "",
    polarity: str = Polarity.HIGHER.value,
    targets: dict[int, str] | None = None,
    reason: str,
    user: str,
) -> RowAdded:
    """A row under a kegiatan / sub kegiatan of an OPD, placed after the node's last row."""
    reason = check_reason(reason)
    texts = {
        "aktivitas": checked_text(aktivitas, "Aktivitas"),
        "indikator": checked_text(indikator, "Indikator", required=True),
        "satuan": checked_text(satuan, "Satuan"),
        "keterangan": checked_text(keterangan, "Keterangan"),
    }
    if polarity not in {p.value for p in Polarity}:
        raise PlanEditError("Polaritas harus 'higher' atau 'lower'.")
    with db.begin() as session:
        node = session.get(PlanNode, node_id)
        if node is None or node.level not in OPD_LEVELS or node.opd_id is None:
            raise PlanEditError("Pilih program, kegiatan atau sub kegiatan milik satu OPD.")
        plan = session.get(Plan, node.plan_id)
        assert plan is not None
        values = {y: parsed_target((targets or {}).get(y, ""), y) for y in plan.years}
        last = session.scalar(select(func.max(PlanRow.seq)).where(PlanRow.node_id == node.id))
        if last is None:
            last = (
                session.scalar(select(func.max(PlanRow.seq)).where(PlanRow.plan_id == plan.id)) or 0
            )
        # Rows are ordered by seq across the plan: make room right after the node's rows.
        session.execute(
            update(PlanRow)
            .where(PlanRow.plan_id == plan.id, PlanRow.seq > last)
            .values(seq=PlanRow.seq + 1)
        )
        row = PlanRow(
            plan_id=plan.id,
            key=new_row_key(session),
            node_id=node.id,
            opd_id=node.opd_id,
            seq=last + 1,
            polarity=polarity,
            **texts,
        )
        for y, v in values.items():
            row.targets.append(Target(year=y, **v))
        session.add(row)
        session.flush()
        _audit(session, user, row.key, "baris", None, f"baris baru: {texts['indikator']}", reason)
        return RowAdded(row.id, row.key)


def remove_added_row(db: Database, row_id: int, reason: str, user: str) -> None:
    """Undo of :func:`add_row`: only a row nobody has filled can go (else retire it)."""
    reason = check_reason(reason)
    with db.begin() as session:
        row = _row(session, row_id)
        if session.scalar(select(Realisation.id).where(Realisation.row_id == row_id).limit(1)):
            raise PlanEditError(
                "Baris ini sudah berisi realisasi, jadi tidak dihapus; pensiunkan saja."
            )
        _audit(session, user, row.key, "baris", row.indikator, "baris dihapus", reason)
        session.delete(row)


# ------------------------------------------------------------------ c. retire
def set_retired(
    db: Database, row_id: int, retired: bool, reason: str, user: str, seen: Seen | None = None
) -> RetireEdit:
    """Retire a row (realisations kept) or make it current again; the inverse is the
    same call with ``not retired``. ``seen`` as for :func:`edit_field`."""
    reason = check_reason(reason)
    with versioned_write(db, seen, lambda s: s.get(PlanRow, row_id)) as session:
        row = _row(session, row_id)
        if (row.retired_at is not None) == retired:
            raise PlanEditError(
                "Baris ini sudah dipensiunkan." if retired else "Baris ini masih aktif."
            )
        now = datetime.now()
        row.retired_at = now if retired else None
        row.updated_at, row.updated_by = now, user  # named by a later refusal
        old, new = (ACTIVE, RETIRED) if retired else (RETIRED, ACTIVE)
        _audit(session, user, row.key, "status", old, new, reason, now=now)
    return RetireEdit(row_id, retired)


# ------------------------------------------------------------------ d. move
def realisation_count(session: Session, row_id: int) -> int:
    return int(session.scalar(select(func.count()).where(Realisation.row_id == row_id)) or 0)


def move_row(
    db: Database, row_id: int, opd_id: int, reason: str, user: str, seen: Seen | None = None
) -> RowMove:
    """Give a row to another OPD, under its same-named program/kegiatan chain (made when
    missing); the row's realisations go with it. ``seen`` as for :func:`edit_field`."""
    reason = check_reason(reason)
    with versioned_write(db, seen, lambda s: s.get(PlanRow, row_id)) as session:
        row = _row(session, row_id)
        target = session.get(Opd, opd_id)
        if target is None:
            raise PlanEditError("OPD tujuan tidak ditemukan.")
        if row.opd_id == opd_id:
            raise PlanEditError("Baris ini sudah milik OPD tersebut.")
        signed_years = sorted(
            {
                y
                for (y,) in session.execute(
                    select(Realisation.year).where(Realisation.row_id == row_id).distinct()
                )
                if is_signed(session, row_id, y)
            }
        )
        if signed_years:
            years = ", ".join(map(str, signed_years))
            raise PlanEditError(
                f"Baris ini memuat angka tahun {years} dari kiriman bertanda tangan "
                f"{row.opd.short_name}. Angka itu pernyataan OPD tersebut dan tidak boleh "
                "berpindah ke OPD lain; pensiunkan baris ini dan tambahkan baris baru di "
                "OPD tujuan."
            )
        old_opd, old_node = row.opd_id, row.node_id
        node_id, created = _chain_for(session, row, opd_id)
        row.node_id, row.opd_id = node_id, opd_id
        row.updated_at, row.updated_by = datetime.now(), user
        count = realisation_count(session, row_id)
        old_name = session.get(Opd, old_opd)
        _audit(
            session,
            user,
            row.key,
            "opd",
            old_name.short_name if old_name else str(old_opd),
            target.short_name,
            reason,
        )
    return RowMove(row_id, old_opd, opd_id, old_node, tuple(created), count)


def _chain_for(session: Session, row: PlanRow, opd_id: int) -> tuple[int | None, list[int]]:
    """The node for ``row`` under ``opd_id``: its chain's names, OPD levels re-owned."""
    chain: list[PlanNode] = []
    nid = row.node_id
    while nid is not None:
        node = session.get(PlanNode, nid)
        assert node is not None
        chain.append(node)
        nid = node.parent_id
    chain.reverse()
    plan = session.get(Plan, row.plan_id)
    assert plan is not None
    opd_code = session.scalar(select(Opd.code).where(Opd.id == opd_id))
    parent: PlanNode | None = None
    created: list[int] = []
    path: list[str] = []
    for old in chain:
        path.append(old.name)
        if old.level not in OPD_LEVELS:
            parent = old
            continue
        found = session.scalar(
            select(PlanNode).where(
                PlanNode.plan_id == plan.id,
                PlanNode.level == old.level,
                PlanNode.opd_id == opd_id,
                (PlanNode.parent_id == parent.id)
                if parent is not None
                else PlanNode.parent_id.is_(None),
                func.lower(PlanNode.name) == old.name.lower(),
            )
        )
        if found is None:
            key = node_key(plan.code, old.level, opd_code, path)
            n = 1
            while session.scalar(select(PlanNode.id).where(PlanNode.key == key)) is not None:
                n += 1
                key = node_key(plan.code, old.level, opd_code, [*path, str(n)])
            found = PlanNode(
                plan_id=plan.id,
                parent_id=parent.id if parent is not None else None,
                level=old.level,
                key=key,
                name=old.name,
                code=old.code,
                opd_id=opd_id,
                position=old.position,
            )
            session.add(found)
            session.flush()
            created.append(found.id)
        parent = found
    return (parent.id if parent is not None else None), created


def undo_move(db: Database, move: RowMove, reason: str, user: str) -> None:
    """Put a moved row back under its old node and drop the nodes the move made."""
    reason = check_reason(reason)
    with db.begin() as session:
        row = _row(session, move.row_id)
        new_name = session.get(Opd, row.opd_id)
        old_name = session.get(Opd, move.old_opd_id)
        row.opd_id, row.node_id = move.old_opd_id, move.old_node_id
        session.flush()
        for nid in reversed(move.created_nodes):
            used = session.scalar(select(PlanRow.id).where(PlanRow.node_id == nid).limit(1))
            child = session.scalar(select(PlanNode.id).where(PlanNode.parent_id == nid).limit(1))
            node = session.get(PlanNode, nid)
            if node is not None and used is None and child is None:
                session.delete(node)
                session.flush()
        _audit(
            session,
            user,
            row.key,
            "opd",
            new_name.short_name if new_name else "",
            old_name.short_name if old_name else "",
            reason,
        )


__all__ = [
    "ACTION",
    "FIELD_LABELS",
    "REASON_MARK",
    "ROW_FIELDS",
    "UNDO_ACTION",
    "FieldEdit",
    "NodeEdit",
    "PlanEditError",
    "RetireEdit",
    "RowAdded",
    "RowMove",
    "add_row",
    "check_reason",
    "checked_text",
    "corrected_fields",
    "edit_field",
    "edit_target",
    "move_row",
    "new_row_key",
    "parsed_target",
    "realisation_count",
    "remove_added_row",
    "rename_node",
    "set_retired",
    "split_reason",
    "undo_move",
    "undo_reason",
]
