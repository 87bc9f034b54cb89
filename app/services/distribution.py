"""Matrix distribution: Pokja sends a signed matrix package, focal points apply it.

A package (``*.monevmatriks``, a zip) carries three parts:

* ``matriks.json`` — the plan data in the shipped format (``resources/plans/*.json``,
  ``seeding.PLAN_FORMAT``) as canonical JSON, rebuilt from Pokja's database so that a
  correction made there travels; official targets only, never an OPD's proposals;
* ``manifest.json`` — canonical JSON naming the plan and period, the note, the creation
  time and the data version (``sha256:`` + SHA-256 of the data bytes);
* ``tanda-tangan.sig`` — the detached Ed25519 signature over the manifest bytes (the same
  signature part as a submission's), so the signature covers the data through its hash.

A focal point trusts only the Pokja key pinned in its database (``setting`` table): from
a public-key file Pokja hands out, or from a first package after comparing the
fingerprint. Applying updates the plan in place by stable row key, in one transaction:
realisations, proposed targets, ARG answers and row links stay attached; a row the
matrix no longer lists is retired when it carries such work and deleted when empty.
See docs/matrix-distribution.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from app import __version__
from app.domain.numbers import decimal_text, text_decimal
from app.formats import keys
from app.formats.submission import (
    Limits,
    Schema,
    SubmissionError,
    canonical_bytes,
    check_directory,
    parse_canonical,
    parse_signature,
    read_entry,
    signature_part,
)
from app.models.db import Database
from app.models.schema import (
    ArgAnswer,
    AuditEntry,
    MatrixUpdate,
    Opd,
    Plan,
    PlanNode,
    PlanRow,
    Realisation,
    RowLink,
    Setting,
    Target,
)
from app.paths import default_data_dir
from app.services.catalog import LEVEL_LABELS
from app.services.seeding import (
    HIERARCHY,
    OPD_LEVELS,
    PLAN_FORMAT,
    RENSTRA_FIGURE_FIELDS,
    RENSTRA_TEXT_FIELDS,
    ensure_opds,
    load_plan,
    node_key,
)

FORMAT = "monev-radpug-matrix"
FORMAT_VERSION = 1
EXTENSION = ".monevmatriks"
MANIFEST_PART = "manifest.json"
DATA_PART = "matriks.json"
SIGNATURE_PART = "tanda-tangan.sig"
PARTS = (MANIFEST_PART, DATA_PART, SIGNATURE_PART)
PUBLIC_KEY_FORMAT = "monev-radpug-public-key"
PUBLIC_KEY_EXTENSION = ".monevkunci"
POKJA_KEY_SETTING = "matrix.pokja_key"
MANIFEST_CAP = 64 * 1024
PUBLIC_KEY_CAP = 4096

# What a package would do to this database.
NEW_PLAN = "rencana-baru"  # a plan code not in the database: a new period
UPDATE = "pembaruan"  # a newer matrix of a plan the database has
SAME = "sama"  # this very data version is already applied: nothing to do
OUTDATED = "usang"  # not newer than the last package applied: nothing to do
APPLICABLE = {NEW_PLAN, UPDATE}

# The signer's key against the Pokja key pinned here.
KEY_MATCH = "cocok"
KEY_UNKNOWN = "belum-disematkan"
KEY_DIFFERENT = "berbeda"

# What happens to a row.
ROW_ADDED = "baru"
ROW_CHANGED = "berubah"
ROW_RETIRED = "dipensiunkan"
ROW_DELETED = "dihapus"
ROW_RESTORED = "dipulihkan"


class MatrixError(ValueError):
    """A refused package or key file; the message (Indonesian) says why and what to do."""


# ------------------------------------------------------------------ data shape
ROW_TEXT_FIELDS = ("aktivitas", "indikator", "satuan", "keterangan")
CODE_FIELDS = tuple(f"{level}_code" for level in HIERARCHY)
ROW_KEYS = {
    "key", "seq", "seed_line", "no", *HIERARCHY, *CODE_FIELDS, *ROW_TEXT_FIELDS,
    "opd", "node_opd", "opd_text", "polarity", "share", "targets",
    *RENSTRA_TEXT_FIELDS, *RENSTRA_FIGURE_FIELDS,
}  # fmt: skip
TARGET_KEYS = {
    "text", "is_percent", "total", "male", "female", "disabled", "budget_text", "budget",
}  # fmt: skip
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


def _num(v: Any) -> str | None:
    """Exact decimal text without padding zeros (``20.0000`` → ``20``); None stays None."""
    if v is None or v == "":
        return None
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        raise MatrixError(f"Angka tidak sah di data matriks: {str(v)[:30]!r}.") from None
    return decimal_text(d)


def canonical_row(r: dict[str, Any], years: Iterable[int], seq: int) -> dict[str, Any]:
    """A plan-data row as ``seeding.load_plan`` would store it, every key present.

    The same shape comes out of :func:`_row_record` for a database row, so comparing a
    package with the database is comparing two dicts, and exporting is writing them.
    """
    names = {lvl: (r.get(lvl) or "").strip() for lvl in HIERARCHY}
    has_opd_level = any(names[lvl] for lvl in OPD_LEVELS)
    share = r.get("share") or {}
    share_v = {k: _num(share.get(k)) for k in ("male", "female", "disabled")}
    targets = r.get("targets") or {}
    out: dict[str, Any] = {
        "key": r["key"],
        "seq": int(r.get("seq") or seq),
        "seed_line": None if r.get("seed_line") is None else int(r["seed_line"]),
        "no": str(r.get("no") or ""),
        **names,
        **{f"{lvl}_code": (r.get(f"{lvl}_code") if names[lvl] else None) for lvl in HIERARCHY},
        **{f: r.get(f) or "" for f in ROW_TEXT_FIELDS},
        "opd": r["opd"],
        "node_opd": (r.get("node_opd") or r["opd"]) if has_opd_level else None,
        "opd_text": r.get("opd_text"),
        "polarity": r.get("polarity") or "higher",
        "share": share_v if any(v is not None for v in share_v.values()) else None,
        "targets": {},
    }
    for year in years:
        t = targets.get(str(year)) or {}
        out["targets"][str(year)] = {
            "text": t.get("text") or "",
            "is_percent": bool(t.get("is_percent")),
            **{k: _num(t.get(k)) for k in ("total", "male", "female", "disabled")},
            "budget_text": t.get("budget_text"),
            "budget": _num(t.get("budget")),
        }
    for f in RENSTRA_TEXT_FIELDS:
        out[f] = r.get(f)
    for f in RENSTRA_FIGURE_FIELDS:
        fig = r.get(f)
        if fig is None:
            out[f] = None
        elif isinstance(fig, dict):
            out[f] = {"text": fig.get("text") or "", "value": _num(fig.get("value"))}
        else:
            out[f] = {"text": str(fig), "value": _num(fig)}
    return out


@dataclass
class _PlanState:
    """The database's plan as canonical rows, with the ORM objects to update."""

    plan: Plan
    rows: dict[str, PlanRow]
    records: dict[str, dict[str, Any]]  # current (not retired) rows only
    retired: set[str]
    nodes: dict[str, PlanNode]


def _load_state(session: Session, plan: Plan) -> _PlanState:
    nodes = {n.id: n for n in session.scalars(select(PlanNode).where(PlanNode.plan_id == plan.id))}
    opd_code: dict[int, str] = {
        oid: code for oid, code in session.execute(select(Opd.id, Opd.code))
    }
    rows = {
        r.key: r
        for r in session.scalars(
            select(PlanRow)
            .where(PlanRow.plan_id == plan.id)
            .options(selectinload(PlanRow.targets))
            .order_by(PlanRow.seq)
        )
    }
    records = {
        key: _row_record(r, nodes, opd_code, plan.years)
        for key, r in rows.items()
        if r.retired_at is None
    }
    retired = {key for key, r in rows.items() if r.retired_at is not None}
    return _PlanState(plan, rows, records, retired, {n.key: n for n in nodes.values()})


def _row_record(
    row: PlanRow, nodes: dict[int, PlanNode], opd_code: dict[int, str], years: list[int]
) -> dict[str, Any]:
    chain: list[PlanNode] = []
    nid = row.node_id
    while nid is not None:
        chain.append(nodes[nid])
        nid = nodes[nid].parent_id
    by_level = {n.level: n for n in chain}
    owner = next((n.opd_id for n in chain if n.level in OPD_LEVELS and n.opd_id), None)
    targets = {t.year: t for t in row.targets}
    data: dict[str, Any] = {
        "key": row.key,
        "seq": row.seq,
        "seed_line": row.seed_line,
        "no": row.no,
        **{lvl: by_level[lvl].name if lvl in by_level else "" for lvl in HIERARCHY},
        **{f"{lvl}_code": by_level[lvl].code if lvl in by_level else None for lvl in HIERARCHY},
        **{f: getattr(row, f) or "" for f in ROW_TEXT_FIELDS},
        "opd": opd_code[row.opd_id],
        "node_opd": None if owner is None else opd_code[owner],
        "opd_text": row.opd_text,
        "polarity": row.polarity,
        "share": None,
        "targets": {},
        **{f: getattr(row, f) for f in RENSTRA_TEXT_FIELDS},
    }
    share = {
        "male": _num(row.share_male),
        "female": _num(row.share_female),
        "disabled": _num(row.share_disabled),
    }
    if any(v is not None for v in share.values()):
        data["share"] = share
    for year in years:
        t = targets.get(year)
        data["targets"][str(year)] = {
            "text": t.text if t else "",
            "is_percent": bool(t.is_percent) if t else False,
            **{
                k: _num(getattr(t, k)) if t else None
                for k in ("total", "male", "female", "disabled")
            },
            "budget_text": t.budget_text if t else None,
            "budget": _num(t.budget) if t else None,
        }
    for f in RENSTRA_FIGURE_FIELDS:
        text, value = getattr(row, f"{f}_text"), getattr(row, f)
        data[f] = (
            None if text is None and value is None else {"text": text or "", "value": _num(value)}
        )
    return data


def plan_data(session: Session, plan: Plan) -> dict[str, Any]:
    """The plan as the database holds it now, in the shipped data format.

    Retired rows are left out (the matrix no longer lists them) and only official target
    columns are read: a focal point's proposals are never distributed.
    """
    state = _load_state(session, plan)
    rows = sorted(state.records.values(), key=lambda r: (r["seq"], r["key"]))
    used = {r["opd"] for r in rows} | {r["node_opd"] for r in rows if r["node_opd"]}
    opds = []
    for opd in session.scalars(select(Opd).where(Opd.code.in_(used)).order_by(Opd.code)):
        opds.append(
            {
                "code": opd.code,
                "name": opd.name,
                "short": opd.short_name,
                "variants": sorted({a.variant for a in opd.aliases}),
            }
        )
    return {
        "format": PLAN_FORMAT,
        "format_version": 1,
        "plan": {
            "code": plan.code,
            "kind": plan.kind,
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "source": plan.source or "",
        },
        "opds": opds,
        "rows": rows,
    }


# ------------------------------------------------------------------ export
@dataclass(frozen=True)
class ExportResult:
    path: Path
    plan_code: str
    data_version: str
    rows: int
    key_id: str
    created_at: str


def data_version_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def export_matrix(
    db: Database,
    plan_code: str,
    key: keys.SigningKey,
    out: Path,
    note: str = "",
    *,
    user: str = "",
    now: datetime | None = None,
) -> ExportResult:
    """Write Pokja's current plan as a signed package at ``out`` (replaced only when whole).

    Pokja's own ``plan.data_version`` becomes the package's, so submissions made against
    the distributed matrix and Pokja's database name the same version.
    """
    note = note.strip()
    if len(note) > 2000:
        raise MatrixError("Catatan paket terlalu panjang (maksimal 2.000 huruf).")
    created = (now or datetime.now()).replace(microsecond=0)
    with db.begin() as session:
        plan = session.scalar(select(Plan).where(Plan.code == plan_code))
        if plan is None:
            raise MatrixError(f"Rencana {plan_code} tidak ada di basis data ini.")
        data = plan_data(session, plan)
    if not data["rows"]:
        raise MatrixError(f"Rencana {plan_code} tidak memuat baris; tidak ada yang dikirim.")
    data_bytes = canonical_bytes(data)
    version = data_version_of(data_bytes)
    p = data["plan"]
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created.isoformat(),
        "note": note,
        "app_version": __version__,
        "plan": {k: p[k] for k in ("code", "kind", "title", "start_year", "end_year")},
        "data_version": version,
        "row_count": len(data["rows"]),
    }
    manifest_bytes = canonical_bytes(manifest)
    signature = signature_part(key, manifest_bytes)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST_PART, manifest_bytes)
            zf.writestr(DATA_PART, data_bytes)
            zf.writestr(SIGNATURE_PART, signature)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the package is meant to be shared
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    with db.begin() as session:
        plan = session.scalars(select(Plan).where(Plan.code == plan_code)).one()
        old = plan.data_version
        plan.data_version = version
        session.add(
            AuditEntry(
                at=datetime.now(),
                user=user,
                action="ekspor-matriks",
                row_key=None,
                year=None,
                field=plan_code[:40],
                old_value=old,
                new_value=version,
            )
        )
    return ExportResult(out, plan_code, version, len(data["rows"]), key.key_id, created.isoformat())


# ------------------------------------------------------------------ reading
@dataclass(frozen=True)
class MatrixPackage:
    """A package whose signature checked out against its embedded key (not yet trusted:
    whether that key is Pokja's is decided against the pinned key)."""

    manifest: dict[str, Any]
    data: dict[str, Any]
    data_bytes: bytes
    public_key: bytes
    key_id: str
    file_name: str = ""

    @property
    def plan_code(self) -> str:
        return str(self.manifest["plan"]["code"])

    @property
    def title(self) -> str:
        return str(self.manifest["plan"]["title"])

    @property
    def start_year(self) -> int:
        return int(self.manifest["plan"]["start_year"])

    @property
    def end_year(self) -> int:
        return int(self.manifest["plan"]["end_year"])

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def data_version(self) -> str:
        return str(self.manifest["data_version"])

    @property
    def created_at(self) -> str:
        return str(self.manifest["created_at"])

    @property
    def note(self) -> str:
        return str(self.manifest["note"])

    @property
    def row_count(self) -> int:
        return int(self.manifest["row_count"])


NOT_PACKAGE = (
    "Berkas ini bukan paket matriks Monev RAD PUG yang utuh: mungkin terpotong saat "
    "dikirim, rusak, atau berkas lain. Minta Pokja PUG mengirim ulang berkas aslinya."
)
TAMPERED = (
    "Tanda tangan tidak cocok dengan isi paket: paket telah diubah atau rusak setelah "
    "ditandatangani Pokja PUG. Paket ditolak; minta Pokja mengirim ulang berkas aslinya."
)


def read_matrix(path: str | Path, limits: Limits | None = None) -> MatrixPackage:
    """Open a package as hostile input: caps, zip directory, signature, then strict JSON."""
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise MatrixError(f"Berkas tidak dapat dibaca: {exc.strerror or exc}.") from None
    if size == 0:
        raise MatrixError("Berkas kosong.")
    if size > limits.file_size:
        raise MatrixError(f"Berkas terlalu besar untuk sebuah paket matriks ({size:,} bita).")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            check_directory(infos, limits)
            by_name = {i.filename: i for i in infos}
            if set(by_name) != set(PARTS):
                missing = [p for p in PARTS if p not in by_name]
                if missing:
                    raise MatrixError(NOT_PACKAGE)
                raise MatrixError("Paket memuat bagian yang tidak dikenal; paket ditolak.")
            manifest_bytes = read_entry(zf, by_name[MANIFEST_PART], MANIFEST_CAP)
            data_bytes = read_entry(zf, by_name[DATA_PART], limits.content)
            sig_bytes = read_entry(zf, by_name[SIGNATURE_PART], limits.signature)
    except MatrixError:
        raise
    except SubmissionError as exc:
        raise MatrixError(str(exc).replace("kiriman", "paket matriks")) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise MatrixError(NOT_PACKAGE) from None
    try:
        public, signature = parse_signature(sig_bytes)
    except SubmissionError:
        raise MatrixError(TAMPERED) from None
    if not keys.verify(public, signature, manifest_bytes):
        raise MatrixError(TAMPERED)
    try:
        manifest = parse_canonical(manifest_bytes)
    except SubmissionError:
        raise MatrixError(NOT_PACKAGE) from None
    validate_manifest(manifest)
    if data_version_of(data_bytes) != manifest["data_version"]:
        raise MatrixError(TAMPERED)
    try:
        data = parse_canonical(data_bytes)
    except SubmissionError as exc:
        raise MatrixError(f"Data matriks tidak sah: {exc}") from None
    validate_data(data)
    mp, dp = manifest["plan"], data["plan"]
    if any(mp[k] != dp[k] for k in mp) or manifest["row_count"] != len(data["rows"]):
        raise MatrixError("Manifes paket tidak sesuai dengan data matriksnya; paket ditolak.")
    return MatrixPackage(
        manifest, data, data_bytes, public, keys.fingerprint(public), file_name=path.name
    )


class _Check(Schema):
    """The submission schema checker, speaking of a matrix package."""

    def fail(self, what: str) -> SubmissionError:
        return SubmissionError(f"Paket matriks tidak sesuai format versi {FORMAT_VERSION}: {what}.")


_CODE = re.compile(r"[A-Za-z0-9._:\-]{1,64}")
_NUMBER = re.compile(r"-?(0|[1-9]\d{0,17})(\.\d{1,4})?")
_VERSION = re.compile(r"sha256:[0-9a-f]{64}")
MAX_ROWS = 200_000


def _run(check: Any, *args: Any) -> None:
    try:
        check(*args)
    except SubmissionError as exc:
        raise MatrixError(str(exc)) from None


def validate_manifest(m: dict[str, Any]) -> None:
    if m.get("format") != FORMAT:
        raise MatrixError("Berkas ini bukan paket matriks Monev RAD PUG.")
    if m.get("format_version") != FORMAT_VERSION:
        raise MatrixError(
            f"Versi format paket matriks {m.get('format_version')!r} tidak dikenal oleh "
            "aplikasi ini; perbarui aplikasi Monev RAD PUG."
        )

    def check() -> None:
        s = _Check()
        s.obj(
            m,
            "manifes",
            {"format", "format_version", "created_at", "note", "app_version", "plan",
             "data_version", "row_count"},
        )  # fmt: skip
        s.stamp(m["created_at"], "created_at")
        s.text(m["note"], "note", maxlen=2000)
        s.text(m["app_version"], "app_version", maxlen=40)
        _plan_obj(s, m["plan"], with_source=False)
        s.pattern(m["data_version"], "data_version", _VERSION)
        s.integer(m["row_count"], "row_count", 1, MAX_ROWS)

    _run(check)


def _plan_obj(s: _Check, p: Any, *, with_source: bool) -> None:
    fields = {"code", "kind", "title", "start_year", "end_year"}
    s.obj(p, "plan", fields | {"source"} if with_source else fields)
    s.pattern(p["code"], "plan.code", _CODE)
    s.text(p["kind"], "plan.kind", maxlen=32)
    s.text(p["title"], "plan.title", maxlen=500)
    s.integer(p["start_year"], "plan.start_year", 2000, 2100)
    s.integer(p["end_year"], "plan.end_year", p["start_year"], p["start_year"] + 10)
    if with_source:
        s.text(p["source"], "plan.source", maxlen=2000)


def validate_data(d: dict[str, Any]) -> None:
    """Strict check of the plan data of a package: exact keys, types, known OPDs."""
    if d.get("format") != PLAN_FORMAT or d.get("format_version") != 1:
        raise MatrixError("Data di dalam paket bukan data rencana yang dikenal aplikasi ini.")

    def check() -> None:
        s = _Check()
        s.obj(d, "data", {"format", "format_version", "plan", "opds", "rows"})
        _plan_obj(s, d["plan"], with_source=True)
        years = [str(y) for y in range(d["plan"]["start_year"], d["plan"]["end_year"] + 1)]
        if not isinstance(d["opds"], list) or not isinstance(d["rows"], list):
            raise s.fail("opds dan rows harus daftar")
        if not 1 <= len(d["rows"]) <= MAX_ROWS:
            raise s.fail(f"jumlah baris harus 1–{MAX_ROWS}")
        opds: set[str] = set()
        for i, o in enumerate(d["opds"]):
            w = f"opds[{i}]"
            s.obj(o, w, {"code", "name", "short", "variants"})
            s.pattern(o["code"], f"{w}.code", _CODE)
            s.text(o["name"], f"{w}.name", maxlen=500)
            s.text(o["short"], f"{w}.short", maxlen=120)
            if not isinstance(o["variants"], list) or len(o["variants"]) > 100:
                raise s.fail(f"{w}.variants harus daftar")
            for v in o["variants"]:
                s.text(v, f"{w}.variants", maxlen=500)
            opds.add(o["code"])
        seen: set[str] = set()
        for i, r in enumerate(d["rows"]):
            w = f"rows[{i}]"
            s.obj(r, w, ROW_KEYS)
            s.pattern(r["key"], f"{w}.key", _CODE)
            if r["key"] in seen:
                raise s.fail(f"baris {r['key']} tercantum dua kali")
            seen.add(r["key"])
            s.integer(r["seq"], f"{w}.seq", 1, 10 * MAX_ROWS)
            if r["seed_line"] is not None:
                s.integer(r["seed_line"], f"{w}.seed_line", 0, 10_000_000)
            s.text(r["no"], f"{w}.no", maxlen=20)
            for f in (*HIERARCHY, *ROW_TEXT_FIELDS):
                s.text(r[f], f"{w}.{f}")
            for f in CODE_FIELDS:
                s.text(r[f], f"{w}.{f}", maxlen=64, null=True)
            for f in ("opd", "node_opd"):
                if r[f] is None and f == "node_opd":
                    continue
                s.pattern(r[f], f"{w}.{f}", _CODE)
                if r[f] not in opds:
                    raise s.fail(f"{w}.{f} menyebut OPD yang tidak tercantum ({r[f]})")
            s.text(r["opd_text"], f"{w}.opd_text", null=True)
            if r["polarity"] not in ("higher", "lower"):
                raise s.fail(f"{w}.polarity harus higher atau lower")
            if r["share"] is not None:
                s.obj(r["share"], f"{w}.share", {"male", "female", "disabled"})
                for k, v in r["share"].items():
                    s.pattern(v, f"{w}.share.{k}", _NUMBER, null=True)
            s.obj(r["targets"], f"{w}.targets", set(years))
            for y in years:
                t = r["targets"][y]
                tw = f"{w}.targets.{y}"
                s.obj(t, tw, TARGET_KEYS)
                s.text(t["text"], f"{tw}.text")
                if not isinstance(t["is_percent"], bool):
                    raise s.fail(f"{tw}.is_percent harus true/false")
                for k in ("total", "male", "female", "disabled", "budget"):
                    s.pattern(t[k], f"{tw}.{k}", _NUMBER, null=True)
                s.text(t["budget_text"], f"{tw}.budget_text", null=True)
            for f in RENSTRA_TEXT_FIELDS:
                s.text(r[f], f"{w}.{f}", null=True)
            for f in RENSTRA_FIGURE_FIELDS:
                if r[f] is not None:
                    s.obj(r[f], f"{w}.{f}", {"text", "value"})
                    s.text(r[f]["text"], f"{w}.{f}.text")
                    s.pattern(r[f]["value"], f"{w}.{f}.value", _NUMBER, null=True)

    _run(check)


# ------------------------------------------------------------------ the Pokja key
@dataclass(frozen=True)
class PokjaKey:
    public_key: bytes
    key_id: str
    pinned_at: str
    pinned_by: str
    previous: tuple[str, ...] = ()  # key ids accepted before, newest last


def pokja_key(session: Session) -> PokjaKey | None:
    """The Pokja key pinned in this database, or None before setup."""
    row = session.get(Setting, POKJA_KEY_SETTING)
    if row is None:
        return None
    v = json.loads(row.value)
    return PokjaKey(
        bytes.fromhex(v["public_key"]),
        v["key_id"],
        v["pinned_at"],
        v.get("pinned_by", ""),
        tuple(v.get("previous", [])),
    )


def pin_pokja_key(session: Session, public_key: bytes, user: str = "") -> PokjaKey:
    """Trust ``public_key`` as Pokja's from now on; the previous key id stays listed."""
    if len(public_key) != 32:
        raise MatrixError("Kunci publik Pokja harus 32 bita (Ed25519).")
    old = pokja_key(session)
    key_id = keys.fingerprint(public_key)
    previous = list(old.previous) if old else []
    if old is not None and old.key_id != key_id:
        previous.append(old.key_id)
    pinned_at = datetime.now().replace(microsecond=0).isoformat()
    value = {
        "public_key": public_key.hex(),
        "key_id": key_id,
        "pinned_at": pinned_at,
        "pinned_by": user,
        "previous": previous,
    }
    session.merge(Setting(key=POKJA_KEY_SETTING, value=json.dumps(value, sort_keys=True)))
    session.add(
        AuditEntry(
            at=datetime.now(),
            user=user,
            action="sematkan-kunci-pokja",
            row_key=None,
            year=None,
            field="kunci Pokja",
            old_value=old.key_id if old else None,
            new_value=key_id,
        )
    )
    return PokjaKey(public_key, key_id, pinned_at, user, tuple(previous))


def key_state(session: Session, public_key: bytes) -> tuple[str, PokjaKey | None]:
    pinned = pokja_key(session)
    if pinned is None:
        return KEY_UNKNOWN, None
    return (KEY_MATCH if pinned.public_key == public_key else KEY_DIFFERENT), pinned


def public_key_file_bytes(public_key: bytes) -> bytes:
    return canonical_bytes(
        {
            "format": PUBLIC_KEY_FORMAT,
            "format_version": 1,
            "algorithm": "Ed25519",
            "owner": "Pokja PUG",
            "key_id": keys.fingerprint(public_key),
            "public_key": public_key.hex(),
        }
    )


def own_public_key(folder: Path | None = None) -> bytes:
    """This installation's public key (from the ``.pub`` file beside the private key)."""
    pub = (folder or default_data_dir()) / keys.PUBLIC_FILE
    try:
        text = pub.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        raise MatrixError(
            "Kunci tanda tangan instalasi ini belum dibuat. Buat dulu dengan: python -m app keygen"
        ) from None
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise MatrixError(f"Berkas kunci publik rusak: {pub}")
    return bytes.fromhex(text)


def write_public_key_file(public_key: bytes, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(public_key_file_bytes(public_key) + b"\n")
    return out


def read_public_key_file(path: str | Path) -> bytes:
    """A public-key file from Pokja (ours, or the bare 64-hex ``.pub`` of a key)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(PUBLIC_KEY_CAP + 1)
    except OSError as exc:
        raise MatrixError(f"Berkas kunci tidak dapat dibaca: {exc.strerror or exc}.") from None
    bad = MatrixError("Berkas ini bukan berkas kunci publik Pokja PUG.")
    if len(raw) > PUBLIC_KEY_CAP:
        raise bad
    text = raw.strip()
    if re.fullmatch(rb"[0-9a-f]{64}", text):
        return bytes.fromhex(text.decode("ascii"))
    try:
        v = parse_canonical(text)
    except SubmissionError:
        raise bad from None
    if (
        set(v) != {"format", "format_version", "algorithm", "owner", "key_id", "public_key"}
        or v["format"] != PUBLIC_KEY_FORMAT
        or v["format_version"] != 1
        or v["algorithm"] != "Ed25519"
        or not isinstance(v["public_key"], str)
        or not re.fullmatch(r"[0-9a-f]{64}", v["public_key"])
    ):
        raise bad
    public = bytes.fromhex(v["public_key"])
    if v["key_id"] != keys.fingerprint(public):
        raise MatrixError("Sidik jari di berkas kunci tidak cocok dengan kuncinya; ditolak.")
    return public


def key_from_file(path: str | Path) -> bytes:
    """The Pokja key from a public-key file or from a package (verified first)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        return read_matrix(path).public_key
    return read_public_key_file(path)


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
    key_state: str
    signer_key_id: str
    pinned_key_id: str | None
    created_at: str
    note: str
    data_version: str
    row_count: int
    plan_changes: tuple[FieldChange, ...] = ()
    rows: tuple[RowChange, ...] = ()
    realisations_kept: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def applicable(self) -> bool:
        return self.status in APPLICABLE

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    def summary(self) -> str:
        """One Indonesian line with the counts."""
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
    """Realisations per row of the plan, and rows with other work (proposals, links)."""
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
    return reals, other


def _last_applied(session: Session, plan_code: str) -> MatrixUpdate | None:
    updates = list(session.scalars(select(MatrixUpdate).where(MatrixUpdate.plan_code == plan_code)))
    return max(updates, key=lambda u: datetime.fromisoformat(u.created_at), default=None)


def _preview(session: Session, pkg: MatrixPackage) -> tuple[MatrixPreview, _PlanState | None]:
    state_key, pinned = key_state(session, pkg.public_key)
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
    state = _load_state(session, plan)
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
            if changes or plan_changes
            else f"Isi baris matriks {plan.code} tidak berubah; hanya versi data yang dicatat."
        ),
        plan_changes=tuple(plan_changes),
        rows=tuple(changes),
        realisations_kept=sum(reals.values()),
        counts=counts,
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


def preview_matrix(db: Database, package: MatrixPackage | str | Path) -> MatrixPreview:
    """What applying ``package`` would change here; nothing is written."""
    pkg = package if isinstance(package, MatrixPackage) else read_matrix(package)
    with db.sessions() as session:
        preview, _ = _preview(session, pkg)
        session.rollback()
    return preview


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
    if preview.key_state == KEY_UNKNOWN:
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


def apply_matrix(
    db: Database,
    package: MatrixPackage | str | Path,
    *,
    accept_key: bool = False,
    user: str = "",
) -> MatrixOutcome:
    """Apply a package in ONE transaction (or refuse with :class:`MatrixError`).

    ``accept_key`` pins the signer's key as Pokja's (first package, or a changed key the
    user accepted after comparing the fingerprint); otherwise only the pinned key is
    trusted. An equal or older package changes nothing and says so.
    """
    pkg = package if isinstance(package, MatrixPackage) else read_matrix(package)
    now = datetime.now().replace(microsecond=0)
    with db.begin() as session:
        preview, state = _preview(session, pkg)
        pinned = False
        if preview.key_state != KEY_MATCH:
            if not accept_key:
                _refuse_key(preview)
            pin_pokja_key(session, pkg.public_key, user)
            pinned = True
        if not preview.applicable:
            return MatrixOutcome(preview.status, preview.message, preview, pinned)
        old_version = ""
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
    state: _PlanState,
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
            setattr(row, f, r[f])
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


__all__ = [
    "EXTENSION",
    "FORMAT",
    "FORMAT_VERSION",
    "KEY_DIFFERENT",
    "KEY_MATCH",
    "KEY_UNKNOWN",
    "NEW_PLAN",
    "OUTDATED",
    "SAME",
    "UPDATE",
    "ExportResult",
    "FieldChange",
    "MatrixError",
    "MatrixOutcome",
    "MatrixPackage",
    "MatrixPreview",
    "PokjaKey",
    "RowChange",
    "applied_updates",
    "apply_matrix",
    "canonical_row",
    "diff_row",
    "export_matrix",
    "key_from_file",
    "key_state",
    "own_public_key",
    "pin_pokja_key",
    "plan_data",
    "pokja_key",
    "preview_matrix",
    "read_matrix",
    "read_public_key_file",
    "write_public_key_file",
]
