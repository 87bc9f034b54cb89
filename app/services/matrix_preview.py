"""What a matrix package would change in this database, before anything is written.

A package names a new plan (a new period), updates a plan the database has (compared
row by row by stable key, with Indonesian field labels), or changes nothing because
this version or a newer one is already applied. The signer's key is placed against the
pinned Pokja key (``trust.pokja_key_state``). See docs/matrix-distribution.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.formats.matrix_package import MatrixError, MatrixPackage, canonical_row, read_matrix
from app.formats.refusal import refusing
from app.models.db import Database
from app.models.schema import (
    MatrixUpdate,
    Plan,
    PlanRow,
    Realisation,
    RowContinuation,
    RowLink,
    Target,
)
from app.services.catalog import LEVEL_LABELS
from app.services.matrix_region import catalogue_changes, region_changes
from app.services.matrix_state import PlanState, load_state
from app.services.trust import KeyState, pokja_key_state

# What a package would do to this database.
NEW_PLAN = "rencana-baru"  # a plan code not in the database: a new period
UPDATE = "pembaruan"  # a newer matrix of a plan the database has
SAME = "sama"  # this very data version is already applied: nothing to do
OUTDATED = "usang"  # not newer than the last package applied: nothing to do
APPLICABLE = {NEW_PLAN, UPDATE}

# What happens to a row.
ROW_ADDED = "baru"
ROW_CHANGED = "berubah"
ROW_RETIRED = "dipensiunkan"
ROW_DELETED = "dihapus"
ROW_RESTORED = "dipulihkan"


FIELD_LABELS = {
    "no": "Nomor",
    **LEVEL_LABELS,
    **{f"{lvl}_code": f"Kode {label}" for lvl, label in LEVEL_LABELS.items()},
    "aktivitas": "Aktivitas",
    "indikator": "Indikator",
    "satuan": "Satuan",
    "keterangan": "Keterangan",
    "opd": "Perangkat Daerah",
    "node_opd": "Pemilik program",
    "opd_text": "Nama OPD di dokumen",
    "polarity": "Arah capaian",
    "share": "Porsi L/P/D",
    "source_table": "Tabel sumber",
    "statement": "Pernyataan kinerja",
    "formula": "Rumus",
    "unit_name": "Unit kerja",
    "location": "Lokasi",
    "baseline": "Capaian awal",
    "end_target": "Target akhir",
    "end_budget": "Anggaran akhir",
}
# Written on apply but not listed as changes: a row inserted above shifts every
# position below it, and listing hundreds of those would hide the real corrections.
SILENT_FIELDS = {"key", "seq", "seed_line"}


# ------------------------------------------------------------------ preview
@dataclass(frozen=True)
class FieldChange:
    field: str  # Indonesian label
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    kind: str  # ROW_ADDED, ROW_CHANGED, ROW_RETIRED, ROW_DELETED, ROW_RESTORED
    key: str
    opd_code: str
    title: str
    fields: tuple[FieldChange, ...] = ()
    realisations: int = 0


@dataclass(frozen=True)
class MatrixPreview:
    plan_code: str
    title: str
    start_year: int
    end_year: int
    status: str
    message: str
    key_state: KeyState
    signer_key_id: str
    pinned_key_id: str | None
    created_at: str
    note: str
    data_version: str
    row_count: int
    plan_changes: tuple[FieldChange, ...] = ()
    rows: tuple[RowChange, ...] = ()
    region_changes: tuple[FieldChange, ...] = ()  # Pokja's profile (format version 2)
    catalogue_changes: tuple[FieldChange, ...] = ()  # new/renamed OPDs, new variants
    realisations_kept: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def applicable(self) -> bool:
        return self.status in APPLICABLE

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    def summary(self) -> str:
        """One Indonesian line with the counts."""
        return self._rows_summary() + self._extras_summary()

    def _extras_summary(self) -> str:
        if not self.applicable:
            return ""
        parts = []
        if self.region_changes:
            parts.append(f"profil wilayah berubah ({len(self.region_changes)} isian)")
        if self.catalogue_changes:
            parts.append(f"katalog OPD: {len(self.catalogue_changes)} perubahan")
        return (" " + "; ".join(parts).capitalize() + ".") if parts else ""

    def _rows_summary(self) -> str:
        if self.status == NEW_PLAN:
            period = f"{self.start_year}–{self.end_year}"
            return f"Rencana baru {self.plan_code} ({period}): {self.row_count} baris."
        if not self.applicable:
            return self.message
        if not self.rows and not self.plan_changes:
            return (
                f"tidak ada baris yang berubah; {self.realisations_kept} realisasi tetap tersimpan."
            )
        return (
            f"{self.count(ROW_ADDED)} baris baru, {self.count(ROW_CHANGED)} baris berubah, "
            f"{self.count(ROW_RETIRED)} dipensiunkan, {self.count(ROW_DELETED)} dihapus"
            + (f", {self.count(ROW_RESTORED)} dipulihkan" if self.count(ROW_RESTORED) else "")
            + f"; {self.realisations_kept} realisasi tetap tersimpan."
        )


def _title(r: dict[str, Any]) -> str:
    return str(
        r.get("indikator") or r.get("aktivitas") or r.get("sub_kegiatan") or "(tanpa uraian)"
    )


def _show(v: Any) -> str:
    if v is None or v == "":
        return "–"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_show(x)}" for k, x in v.items())
    return str(v)


def _target_numbers(t: dict[str, Any]) -> str:
    parts = [f"{t['total'] or '–'}{' %' if t['is_percent'] else ''}"]
    for k, label in (("male", "L"), ("female", "P"), ("disabled", "D")):
        if t[k] is not None:
            parts.append(f"{label} {t[k]}")
    return " · ".join(parts)


def diff_row(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Field-by-field changes of the official contents of one row (Indonesian labels)."""
    out: list[FieldChange] = []
    for f, label in FIELD_LABELS.items():
        if old.get(f) != new.get(f):
            out.append(FieldChange(label, _show(old.get(f)), _show(new.get(f))))
    for y in sorted(set(old["targets"]) | set(new["targets"])):
        a, b = old["targets"].get(y), new["targets"].get(y)
        if a == b or a is None or b is None:
            continue
        if a["text"] != b["text"]:
            out.append(FieldChange(f"Target {y}", _show(a["text"]), _show(b["text"])))
        if _target_numbers(a) != _target_numbers(b):
            out.append(FieldChange(f"Target {y} (angka)", _target_numbers(a), _target_numbers(b)))
        if (a["budget_text"], a["budget"]) != (b["budget_text"], b["budget"]):
            out.append(
                FieldChange(
                    f"Anggaran {y}",
                    _show(a["budget_text"] or a["budget"]),
                    _show(b["budget_text"] or b["budget"]),
                )
            )
    return out


def _carrying_work(session: Session, plan: Plan) -> tuple[dict[int, int], set[int]]:
    """Realisations per row of the plan, and rows with other work (proposals, links,
    continuations)."""
    reals: dict[int, int] = {
        rid: n
        for rid, n in session.execute(
            select(Realisation.row_id, func.count())
            .join(PlanRow, PlanRow.id == Realisation.row_id)
            .where(PlanRow.plan_id == plan.id)
            .group_by(Realisation.row_id)
        )
    }
    other = set(
        session.scalars(
            select(Target.row_id)
            .join(PlanRow, PlanRow.id == Target.row_id)
            .where(PlanRow.plan_id == plan.id, Target.proposed.is_(True))
        )
    )
    for a, b in session.execute(
        select(RowLink.row_a_id, RowLink.row_b_id)
        .join(PlanRow, or_(PlanRow.id == RowLink.row_a_id, PlanRow.id == RowLink.row_b_id))
        .where(PlanRow.plan_id == plan.id)
    ):
        other.update((a, b))
    # A row a later period continues is that period's history: deleting it would cut the
    # earlier years out of the new plan's form and reports.
    other.update(
        session.scalars(
            select(RowContinuation.previous_row_id)
            .join(PlanRow, PlanRow.id == RowContinuation.previous_row_id)
            .where(PlanRow.plan_id == plan.id)
        )
    )
    other.update(
        session.scalars(
            select(RowContinuation.row_id)
            .join(PlanRow, PlanRow.id == RowContinuation.row_id)
            .where(PlanRow.plan_id == plan.id)
        )
    )
    return reals, other


def _last_applied(session: Session, plan_code: str) -> MatrixUpdate | None:
    updates = list(session.scalars(select(MatrixUpdate).where(MatrixUpdate.plan_code == plan_code)))
    return max(updates, key=lambda u: datetime.fromisoformat(u.created_at), default=None)


def preview_in(session: Session, pkg: MatrixPackage) -> tuple[MatrixPreview, PlanState | None]:
    """The preview in an open session, with the plan's state when it is an update.

    ``apply_matrix`` calls this in its own transaction, so what it applies is what it
    previewed; refusals (period, kind, row keys of another plan) raise MatrixError.
    """
    state_key, pinned = pokja_key_state(session, pkg.public_key)
    base: dict[str, Any] = {
        "plan_code": pkg.plan_code,
        "title": pkg.title,
        "start_year": pkg.start_year,
        "end_year": pkg.end_year,
        "key_state": state_key,
        "signer_key_id": pkg.key_id,
        "pinned_key_id": pinned.key_id if pinned else None,
        "created_at": pkg.created_at,
        "note": pkg.note,
        "data_version": pkg.data_version,
        "row_count": pkg.row_count,
    }
    plan = session.scalar(select(Plan).where(Plan.code == pkg.plan_code))
    rows = pkg.data["rows"]
    extras: dict[str, Any] = {
        "region_changes": tuple(FieldChange(*c) for c in region_changes(session, pkg.region)),
        "catalogue_changes": tuple(FieldChange(*c) for c in catalogue_changes(session, pkg)),
    }
    if plan is None:
        clash = _key_clash(session, [r["key"] for r in rows])
        if clash:
            raise MatrixError(
                f"Kunci baris {clash} di paket sudah dipakai rencana lain di basis data ini; "
                "paket ditolak. Hubungi Pokja PUG."
            )
        return (
            MatrixPreview(
                status=NEW_PLAN,
                message=(
                    f"Rencana baru (periode {pkg.start_year}–{pkg.end_year}) akan ditambahkan "
                    f"dengan {len(rows)} baris; rencana yang sudah ada tidak diubah."
                ),
                rows=tuple(RowChange(ROW_ADDED, r["key"], r["opd"], _title(r)) for r in rows),
                counts={ROW_ADDED: len(rows)},
                **extras,
                **base,
            ),
            None,
        )
    if (plan.start_year, plan.end_year) != (pkg.start_year, pkg.end_year):
        raise MatrixError(
            f"Rencana {plan.code} di basis data ini berperiode {plan.start_year}–"
            f"{plan.end_year}, paket menyebut {pkg.start_year}–{pkg.end_year}. Periode baru "
            "harus dikirim dengan kode rencana baru; paket ditolak."
        )
    if plan.kind != pkg.data["plan"]["kind"]:
        raise MatrixError(f"Jenis rencana {plan.code} di paket berbeda; paket ditolak.")
    if plan.data_version == pkg.data_version:
        return (
            MatrixPreview(
                status=SAME,
                message=(f"Matriks {plan.code} versi ini sudah diterapkan; tidak ada yang diubah."),
                **base,
            ),
            None,
        )
    last = _last_applied(session, plan.code)
    if last is not None and datetime.fromisoformat(pkg.created_at) <= datetime.fromisoformat(
        last.created_at
    ):
        return (
            MatrixPreview(
                status=OUTDATED,
                message=(
                    f"Paket ini dibuat {pkg.created_at}, tidak lebih baru daripada matriks "
                    f"yang sudah diterapkan (dibuat {last.created_at}); tidak ada yang diubah."
                ),
                **base,
            ),
            None,
        )
    clash = _key_clash(session, [r["key"] for r in rows], exclude_plan=plan.id)
    if clash:
        raise MatrixError(
            f"Kunci baris {clash} di paket sudah dipakai rencana lain di basis data ini; "
            "paket ditolak. Hubungi Pokja PUG."
        )
    state = load_state(session, plan)
    reals, other = _carrying_work(session, plan)
    changes: list[RowChange] = []
    new_keys = set()
    for seq, r in enumerate(rows, start=1):
        new = canonical_row(r, plan.years, seq)
        new_keys.add(new["key"])
        old = state.records.get(new["key"])
        if old is None:
            kind = ROW_RESTORED if new["key"] in state.retired else ROW_ADDED
            rid = state.rows[new["key"]].id if kind == ROW_RESTORED else None
            changes.append(
                RowChange(kind, new["key"], new["opd"], _title(new), (), reals.get(rid or -1, 0))
            )
            continue
        fields = diff_row(old, new)
        if fields:
            rid = state.rows[new["key"]].id
            changes.append(
                RowChange(
                    ROW_CHANGED,
                    new["key"],
                    new["opd"],
                    _title(new),
                    tuple(fields),
                    reals.get(rid, 0),
                )
            )
    for key, old in state.records.items():
        if key in new_keys:
            continue
        rid = state.rows[key].id
        kind = ROW_RETIRED if (rid in reals or rid in other) else ROW_DELETED
        changes.append(RowChange(kind, key, old["opd"], _title(old), (), reals.get(rid, 0)))
    plan_changes = []
    p = pkg.data["plan"]
    if plan.title != p["title"]:
        plan_changes.append(FieldChange("Judul rencana", plan.title, p["title"]))
    if (plan.source or "") != p["source"]:
        plan_changes.append(FieldChange("Sumber", _show(plan.source), _show(p["source"])))
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    preview = MatrixPreview(
        status=UPDATE,
        message=(
            f"Matriks {plan.code} diperbarui di tempat menurut kunci baris; realisasi, usulan "
            "target, jawaban ARG dan tautan baris tetap melekat."
            if changes or plan_changes or any(extras.values())
            else f"Isi baris matriks {plan.code} tidak berubah; hanya versi data yang dicatat."
        ),
        plan_changes=tuple(plan_changes),
        rows=tuple(changes),
        realisations_kept=sum(reals.values()),
        counts=counts,
        **extras,
        **base,
    )
    return preview, state


def _key_clash(
    session: Session, row_keys: list[str], exclude_plan: int | None = None
) -> str | None:
    for start in range(0, len(row_keys), 900):
        stmt = select(PlanRow.key).where(PlanRow.key.in_(row_keys[start : start + 900]))
        if exclude_plan is not None:
            stmt = stmt.where(PlanRow.plan_id != exclude_plan)
        found = session.scalars(stmt.limit(1)).first()
        if found:
            return found
    return None


PREVIEW_FAILED = (
    "Paket matriks tidak dapat diperiksa: terjadi kesalahan tak terduga ({error}) saat "
    "membandingkannya dengan basis data. Tidak ada yang diubah; minta Pokja PUG mengirim "
    "ulang paketnya, dan laporkan paket ini kepada pengelola aplikasi."
)


@refusing(MatrixError, PREVIEW_FAILED)
def preview_matrix(db: Database, package: MatrixPackage | str | Path) -> MatrixPreview:
    """What applying ``package`` would change here; nothing is written."""
    pkg = package if isinstance(package, MatrixPackage) else read_matrix(package)
    with db.sessions() as session:
        preview, _ = preview_in(session, pkg)
        session.rollback()
    return preview


__all__ = [
    "APPLICABLE",
    "NEW_PLAN",
    "OUTDATED",
    "ROW_ADDED",
    "ROW_CHANGED",
    "ROW_DELETED",
    "ROW_RESTORED",
    "ROW_RETIRED",
    "SAME",
    "UPDATE",
    "FieldChange",
    "MatrixPreview",
    "RowChange",
    "diff_row",
    "preview_in",
    "preview_matrix",
]
