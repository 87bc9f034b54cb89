"""A focal point applies a matrix package from Pokja, in one transaction.

Only the pinned Pokja key is trusted (``trust``); accepting a new or changed key is an
explicit step. Applying updates the plan in place by stable row key: realisations,
proposed targets, ARG answers and row links stay attached; a row the matrix no longer
lists is retired when it carries such work and deleted when empty. Applying the same
package again changes nothing. See docs/matrix-distribution.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.numbers import text_decimal
from app.formats import keys
from app.formats.matrix_package import (
    ROW_TEXT_FIELDS,
    MatrixError,
    MatrixPackage,
    canonical_row,
    read_matrix,
)
from app.formats.plan_data import (
    HIERARCHY,
    OPD_LEVELS,
    RENSTRA_FIGURE_FIELDS,
    RENSTRA_TEXT_FIELDS,
)
from app.formats.refusal import refusing
from app.models.db import Database
from app.models.schema import ArgAnswer, AuditEntry, MatrixUpdate, Plan, PlanNode, PlanRow, Target
from app.services.matrix_preview import (
    APPLICABLE,
    NEW_PLAN,
    ROW_ADDED,
    ROW_CHANGED,
    ROW_DELETED,
    ROW_RESTORED,
    ROW_RETIRED,
    MatrixPreview,
    preview_in,
)
from app.services.matrix_region import apply_region_and_catalogue
from app.services.matrix_state import PlanState
from app.services.seeding import RENSTRA_ROW_ATTRIBUTES, ensure_opds, load_plan, node_key
from app.services.trust import KeyState, pin_pokja_key


# ------------------------------------------------------------------ apply
@dataclass(frozen=True)
class MatrixOutcome:
    status: str
    message: str
    preview: MatrixPreview
    key_pinned: bool = False

    @property
    def changed(self) -> bool:
        return self.status in APPLICABLE


def _refuse_key(preview: MatrixPreview) -> None:
    shown = keys.grouped(preview.signer_key_id)
    if preview.key_state == KeyState.NEW:
        raise MatrixError(
            f"Kunci Pokja PUG belum disematkan di basis data ini. Paket ditandatangani kunci "
            f"dengan sidik jari {shown}: cocokkan sidik jari ini dengan Pokja PUG (misalnya "
            "lewat telepon), lalu terima kunci tersebut."
        )
    raise MatrixError(
        f"Paket ditandatangani kunci lain ({shown}) daripada kunci Pokja PUG yang disematkan "
        f"({keys.grouped(preview.pinned_key_id or '')}). Pastikan Pokja memang mengganti "
        "kuncinya, lalu terima kunci baru secara tegas."
    )


APPLY_FAILED = (
    "Paket matriks tidak dapat diterapkan: terjadi kesalahan tak terduga ({error}). "
    "Tidak ada yang diubah (seluruh penerapan dibatalkan); laporkan paket ini kepada "
    "pengelola aplikasi."
)


@refusing(MatrixError, APPLY_FAILED)
def apply_matrix(
    db: Database,
    package: MatrixPackage | str | Path,
    *,
    accept_key: bool = False,
    user: str = "",
) -> MatrixOutcome:
    """Apply a package in ONE transaction (or refuse with :class:`MatrixError`, and only that:
    an unforeseen error rolls the transaction back and becomes a ``MatrixError`` too).

    ``accept_key`` pins the signer's key as Pokja's (first package, or a changed key the
    user accepted after comparing the fingerprint); otherwise only the pinned key is
    trusted. An equal or older package changes nothing and says so.
    """
    pkg = package if isinstance(package, MatrixPackage) else read_matrix(package)
    now = datetime.now().replace(microsecond=0)
    with db.begin() as session:
        preview, state = preview_in(session, pkg)
        pinned = False
        if preview.key_state != KeyState.KNOWN:
            if not accept_key:
                _refuse_key(preview)
            pin_pokja_key(session, pkg.public_key, user)
            pinned = True
        if not preview.applicable:
            return MatrixOutcome(preview.status, preview.message, preview, pinned)
        old_version = ""
        # Before the rows: a new OPD of the catalogue may be the one a row names.
        apply_region_and_catalogue(session, pkg, now, user)
        if state is None:
            load_plan(session, pkg.data, pkg.data_version)
        else:
            old_version = state.plan.data_version
            _update_in_place(session, state, pkg, preview, now, user)
        session.add(
            MatrixUpdate(
                plan_code=pkg.plan_code,
                data_version=pkg.data_version,
                created_at=pkg.created_at,
                note=pkg.note,
                key_id=pkg.key_id,
                applied_at=now,
                applied_by=user,
                file_name=pkg.file_name,
                summary=preview.summary(),
            )
        )
        session.add(
            AuditEntry(
                at=now,
                user=user,
                action="terapkan-matriks",
                row_key=None,
                year=None,
                field=pkg.plan_code[:40],
                old_value=old_version or None,
                new_value=pkg.data_version,
            )
        )
    message = (
        f"Rencana baru {pkg.plan_code} ({pkg.start_year}–{pkg.end_year}) ditambahkan: "
        f"{pkg.row_count} baris."
        if preview.status == NEW_PLAN
        else f"Matriks {pkg.plan_code} diperbarui: {preview.summary()}"
    )
    if pinned:
        message += f" Kunci Pokja {keys.grouped(pkg.key_id)} disematkan."
    return MatrixOutcome(preview.status, message, preview, pinned)


def _update_in_place(
    session: Session,
    state: PlanState,
    pkg: MatrixPackage,
    preview: MatrixPreview,
    now: datetime,
    user: str,
) -> None:
    plan = state.plan
    opds = ensure_opds(session, pkg.data["opds"])
    years = plan.years
    nodes = state.nodes
    seen_nodes: set[str] = set()
    new_keys: set[str] = set()
    for seq, raw in enumerate(pkg.data["rows"], start=1):
        r = canonical_row(raw, years, seq)
        new_keys.add(r["key"])
        parent: PlanNode | None = None
        path: list[str] = []
        for level in HIERARCHY:
            name = r[level]
            if not name:
                continue
            path.append(name)
            owner = r["node_opd"] if level in OPD_LEVELS else None
            key = node_key(plan.code, level, owner, path)
            node = nodes.get(key)
            if node is None:
                node = PlanNode(plan_id=plan.id, level=level, key=key, name=name)
                session.add(node)
                nodes[key] = node
            if key not in seen_nodes:
                # The first row naming a node decides its spelling, code and place,
                # exactly as when the plan was first loaded.
                seen_nodes.add(key)
                node.parent = parent
                node.name = name
                node.code = r[f"{level}_code"]
                node.opd_id = opds[owner].id if owner else None
                node.position = len(seen_nodes) - 1
            parent = node
        row = state.rows.get(r["key"])
        if row is None:
            row = PlanRow(plan_id=plan.id, key=r["key"])
            session.add(row)
            state.rows[r["key"]] = row
        row.node = parent
        row.opd_id = opds[r["opd"]].id
        row.seq = r["seq"]
        row.seed_line = r["seed_line"]
        row.no = r["no"]
        for f in ROW_TEXT_FIELDS:
            setattr(row, f, r[f])
        row.opd_text = r["opd_text"]
        row.polarity = r["polarity"]
        share = r["share"] or {}
        row.share_male = text_decimal(share.get("male"))
        row.share_female = text_decimal(share.get("female"))
        row.share_disabled = text_decimal(share.get("disabled"))
        for f in RENSTRA_TEXT_FIELDS:
            setattr(row, RENSTRA_ROW_ATTRIBUTES[f], r[f])
        for f in RENSTRA_FIGURE_FIELDS:
            fig = r[f]
            setattr(row, f"{f}_text", None if fig is None else fig["text"])
            setattr(row, f, None if fig is None else text_decimal(fig["value"]))
        row.retired_at = None
        by_year = {t.year: t for t in row.targets}
        for year in years:
            t = r["targets"][str(year)]
            target = by_year.get(year)
            if target is None:
                target = Target(year=year, proposed=False)
                row.targets.append(target)
            # Official columns only: the proposed_* columns are a focal point's work.
            target.text = t["text"]
            target.is_percent = t["is_percent"]
            target.total, target.male = text_decimal(t["total"]), text_decimal(t["male"])
            target.female, target.disabled = text_decimal(t["female"]), text_decimal(t["disabled"])
            target.budget_text = t["budget_text"]
            target.budget = text_decimal(t["budget"])
    p = pkg.data["plan"]
    plan.title, plan.source, plan.data_version = p["title"], p["source"], pkg.data_version
    kinds = {c.key: c for c in preview.rows}
    for key in list(state.records):
        if key in new_keys:
            continue
        row = state.rows[key]
        if kinds[key].kind == ROW_RETIRED:
            row.retired_at = now
        else:
            session.delete(row)
    session.flush()
    _drop_unused_nodes(session, plan)
    action = {
        ROW_ADDED: "matriks-baris-baru",
        ROW_CHANGED: "matriks-koreksi",
        ROW_RETIRED: "matriks-pensiun",
        ROW_DELETED: "matriks-hapus",
        ROW_RESTORED: "matriks-pulih",
    }
    entries: list[AuditEntry] = []
    for c in preview.rows:
        base = {"at": now, "user": user, "action": action[c.kind], "row_key": c.key, "year": None}
        if c.fields:
            entries.extend(
                AuditEntry(**base, field=f.field[:40], old_value=f.old, new_value=f.new)
                for f in c.fields
            )
        else:
            entries.append(AuditEntry(**base, field="baris", old_value=None, new_value=c.kind))
    session.add_all(entries)


def _drop_unused_nodes(session: Session, plan: Plan) -> None:
    """Delete hierarchy nodes no row (current or retired) and no ARG answer hangs on."""
    nodes: dict[int, int | None] = {
        nid: parent
        for nid, parent in session.execute(
            select(PlanNode.id, PlanNode.parent_id).where(PlanNode.plan_id == plan.id)
        )
    }
    used: set[int] = set()
    starts = set(
        session.scalars(
            select(PlanRow.node_id).where(PlanRow.plan_id == plan.id, PlanRow.node_id.is_not(None))
        )
    )
    starts |= set(
        session.scalars(
            select(ArgAnswer.node_id)
            .join(PlanNode, PlanNode.id == ArgAnswer.node_id)
            .where(PlanNode.plan_id == plan.id)
        )
    )
    for nid in starts:
        cur: int | None = nid
        while cur is not None and cur not in used:
            used.add(cur)
            cur = nodes.get(cur)
    unused = [nid for nid in nodes if nid not in used]
    if not unused:
        return

    def depth(nid: int) -> int:
        d, cur = 0, nodes.get(nid)
        while cur is not None:
            d, cur = d + 1, nodes.get(cur)
        return d

    # Deepest first: a parent's database-level cascade must not pull a child from under
    # the ORM.
    for nid in sorted(unused, key=depth, reverse=True):
        node = session.get(PlanNode, nid)
        if node is not None:
            session.delete(node)
            session.flush()


def applied_updates(session: Session, plan_code: str | None = None) -> list[MatrixUpdate]:
    stmt = select(MatrixUpdate).order_by(MatrixUpdate.id)
    if plan_code:
        stmt = stmt.where(MatrixUpdate.plan_code == plan_code)
    return list(session.scalars(stmt))


__all__ = ["MatrixOutcome", "applied_updates", "apply_matrix"]
