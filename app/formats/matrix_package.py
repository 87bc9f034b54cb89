"""The signed matrix package Pokja sends to focal points (docs/matrix-distribution.md).

A package (``*.monevmatriks``, a zip) carries three parts:

* ``matriks.json`` — the plan data in the shipped format (``resources/plans/*.json``,
  ``plan_data.PLAN_FORMAT``) as canonical JSON; official targets only, never an OPD's
  proposals;
* ``manifest.json`` — canonical JSON naming the plan and period, the note, the creation
  time and the data version (``sha256:`` + SHA-256 of the data bytes);
* ``tanda-tangan.sig`` — the detached Ed25519 signature over the manifest bytes (the same
  signature part as a submission's), so the signature covers the data through its hash.

Format version 2 (written since issue 12) adds Pokja's region profile to the data
(``region``) and lists the whole OPD catalogue in ``opds`` instead of the plan's OPDs
only. Version 1 packages are still read; their region and catalogue change nothing.

Reading treats the file as hostile: caps, zip directory, signature, then strict JSON.
Whether the signer is Pokja is decided against the pinned key by ``app/services/trust.py``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app import __version__
from app.domain.numbers import decimal_text
from app.domain.region import Region
from app.formats import keys
from app.formats.canonical_json import SubmissionError, canonical_bytes, parse_canonical
from app.formats.container import (
    ZIP_CORRUPT,
    Limits,
    Schema,
    check_directory,
    parse_signature,
    read_entry,
    signature_part,
)
from app.formats.plan_data import (
    HIERARCHY,
    OPD_LEVELS,
    PLAN_FORMAT,
    RENSTRA_FIGURE_FIELDS,
    RENSTRA_TEXT_FIELDS,
)
from app.formats.refusal import refusing
from app.formats.region_part import read_region

FORMAT = "monev-radpug-matrix"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
EXTENSION = ".monevmatriks"
MANIFEST_PART = "manifest.json"
DATA_PART = "matriks.json"
SIGNATURE_PART = "tanda-tangan.sig"
PARTS = (MANIFEST_PART, DATA_PART, SIGNATURE_PART)
MANIFEST_CAP = 64 * 1024


class MatrixError(SubmissionError):
    """A refused package or key file; the message (Indonesian) says why and what to do.

    A :class:`SubmissionError`, so that one ``except`` covers every received file kind.
    """


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


def number_text(v: Any) -> str | None:
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

    The same shape comes out of ``matrix_state.row_record`` for a database row, so comparing a
    package with the database is comparing two dicts, and exporting is writing them.
    """
    names = {lvl: (r.get(lvl) or "").strip() for lvl in HIERARCHY}
    has_opd_level = any(names[lvl] for lvl in OPD_LEVELS)
    share = r.get("share") or {}
    share_v = {k: number_text(share.get(k)) for k in ("male", "female", "disabled")}
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
            **{k: number_text(t.get(k)) for k in ("total", "male", "female", "disabled")},
            "budget_text": t.get("budget_text"),
            "budget": number_text(t.get("budget")),
        }
    for f in RENSTRA_TEXT_FIELDS:
        out[f] = r.get(f)
    for f in RENSTRA_FIGURE_FIELDS:
        fig = r.get(f)
        if fig is None:
            out[f] = None
        elif isinstance(fig, dict):
            out[f] = {"text": fig.get("text") or "", "value": number_text(fig.get("value"))}
        else:
            out[f] = {"text": str(fig), "value": number_text(fig)}
    return out


def data_version_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------ writing
def write_matrix(
    out: Path,
    data: dict[str, Any],
    key: keys.SigningKey,
    note: str,
    created: datetime,
    *,
    format_version: int | None = None,
) -> str:
    """Write ``data`` as a package signed by ``key`` at ``out`` (replaced only when whole).

    Version 2 data carries ``region`` (``matrix_region.add_region_and_catalogue``); by
    default the version follows the data (version 1 without a region, as before issue
    12). The data is written as given, so tests can sign what a reader must refuse.
    Returns the data version.
    """
    if format_version is None:
        format_version = FORMAT_VERSION if "region" in data else 1
    if format_version not in READABLE_VERSIONS:
        raise ValueError(f"unknown matrix package version {format_version}")
    data_bytes = canonical_bytes(data)
    version = data_version_of(data_bytes)
    p = data["plan"]
    manifest = {
        "format": FORMAT,
        "format_version": format_version,
        "created_at": created.isoformat(),
        "note": note,
        "app_version": __version__,
        "plan": {k: p[k] for k in ("code", "kind", "title", "start_year", "end_year")},
        "data_version": version,
        "row_count": len(data["rows"]),
    }
    manifest_bytes = canonical_bytes(manifest)
    signature = signature_part(key, manifest_bytes)
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
    return version


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
    region: Region | None = None  # version 2 only: Pokja's region profile, checked

    @property
    def format_version(self) -> int:
        return int(self.manifest["format_version"])

    @property
    def carries_catalogue(self) -> bool:
        """Whether ``data["opds"]`` is Pokja's whole catalogue (version 2), to be applied
        with renames, rather than only the OPDs the rows name."""
        return self.format_version >= 2

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


@refusing(MatrixError)
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
    except ZIP_CORRUPT:
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
    region = validate_data(data, manifest["format_version"])
    mp, dp = manifest["plan"], data["plan"]
    if any(mp[k] != dp[k] for k in mp) or manifest["row_count"] != len(data["rows"]):
        raise MatrixError("Manifes paket tidak sesuai dengan data matriksnya; paket ditolak.")
    return MatrixPackage(
        manifest,
        data,
        data_bytes,
        public,
        keys.fingerprint(public),
        file_name=path.name,
        region=region,
    )


_CODE = re.compile(r"[A-Za-z0-9._:\-]{1,64}")
_VERSION = re.compile(r"sha256:[0-9a-f]{64}")
MAX_ROWS = 200_000
MAX_OPDS = 2_000


def _run(check: Any, *args: Any) -> None:
    try:
        check(*args)
    except SubmissionError as exc:
        raise MatrixError(str(exc)) from None


def validate_manifest(m: dict[str, Any]) -> None:
    if m.get("format") != FORMAT:
        raise MatrixError("Berkas ini bukan paket matriks Monev RAD PUG.")
    version = m.get("format_version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise MatrixError(
            f"Versi format paket matriks {m.get('format_version')!r} tidak dikenal oleh "
            "aplikasi ini; perbarui aplikasi Monev RAD PUG."
        )

    def check() -> None:
        s = Schema("Paket matriks", version)
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


def _plan_obj(s: Schema, p: Any, *, with_source: bool) -> None:
    fields = {"code", "kind", "title", "start_year", "end_year"}
    s.obj(p, "plan", fields | {"source"} if with_source else fields)
    s.pattern(p["code"], "plan.code", _CODE)
    s.text(p["kind"], "plan.kind", maxlen=32)
    s.text(p["title"], "plan.title", maxlen=500)
    s.integer(p["start_year"], "plan.start_year", 2000, 2100)
    s.integer(p["end_year"], "plan.end_year", p["start_year"], p["start_year"] + 10)
    if with_source:
        s.text(p["source"], "plan.source", maxlen=2000)


def validate_data(d: dict[str, Any], version: int = FORMAT_VERSION) -> Region | None:
    """Strict check of the plan data of a package: exact keys, types, known OPDs; returns
    the checked region of a version-2 package (None for version 1)."""
    if d.get("format") != PLAN_FORMAT or d.get("format_version") != 1:
        raise MatrixError("Data di dalam paket bukan data rencana yang dikenal aplikasi ini.")
    region: list[Region] = []

    def check() -> None:
        s = Schema("Paket matriks", version)
        top = {"format", "format_version", "plan", "opds", "rows"}
        s.obj(d, "data", top | {"region"} if version >= 2 else top)
        if version >= 2:
            region.append(read_region(d["region"], s))
        _plan_obj(s, d["plan"], with_source=True)
        years = [str(y) for y in range(d["plan"]["start_year"], d["plan"]["end_year"] + 1)]
        if not isinstance(d["opds"], list) or not isinstance(d["rows"], list):
            raise s.fail("opds dan rows harus daftar")
        if not 1 <= len(d["rows"]) <= MAX_ROWS:
            raise s.fail(f"jumlah baris harus 1–{MAX_ROWS}")
        if len(d["opds"]) > MAX_OPDS:
            raise s.fail(f"paling banyak {MAX_OPDS} OPD")
        opds: set[str] = set()
        variant_of: dict[str, str] = {}
        for i, o in enumerate(d["opds"]):
            w = f"opds[{i}]"
            s.obj(o, w, {"code", "name", "short", "variants"})
            s.pattern(o["code"], f"{w}.code", _CODE)
            s.text(o["name"], f"{w}.name", maxlen=500)
            s.text(o["short"], f"{w}.short", maxlen=120)
            if not isinstance(o["variants"], list) or len(o["variants"]) > 100:
                raise s.fail(f"{w}.variants harus daftar")
            if o["code"] in opds:
                raise s.fail(f"OPD {o['code']} tercantum dua kali")
            for v in o["variants"]:
                s.text(v, f"{w}.variants", maxlen=500)
                # One spelling naming two OPDs would make every import guess.
                if variant_of.setdefault(v, o["code"]) != o["code"]:
                    raise s.fail(f"varian {v[:60]!r} tercantum pada dua OPD")
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
                    s.figure(v, f"{w}.share.{k}", null=True)
            s.obj(r["targets"], f"{w}.targets", set(years))
            for y in years:
                t = r["targets"][y]
                tw = f"{w}.targets.{y}"
                s.obj(t, tw, TARGET_KEYS)
                s.text(t["text"], f"{tw}.text")
                if not isinstance(t["is_percent"], bool):
                    raise s.fail(f"{tw}.is_percent harus true/false")
                # Figures the database stores exactly (numbers.check_figure), as the
                # form's; budgets are whole Rupiah like every Money column.
                for k in ("total", "male", "female", "disabled"):
                    s.figure(t[k], f"{tw}.{k}", null=True)
                s.figure(t["budget"], f"{tw}.budget", whole=True, null=True)
                s.text(t["budget_text"], f"{tw}.budget_text", null=True)
            for f in RENSTRA_TEXT_FIELDS:
                s.text(r[f], f"{w}.{f}", null=True)
            for f in RENSTRA_FIGURE_FIELDS:
                if r[f] is not None:
                    s.obj(r[f], f"{w}.{f}", {"text", "value"})
                    s.text(r[f]["text"], f"{w}.{f}.text")
                    money = f == "end_budget"  # Numeric(18, 0) like every budget
                    s.figure(r[f]["value"], f"{w}.{f}.value", whole=money, null=True)

    _run(check)
    return region[0] if region else None


__all__ = [
    "CODE_FIELDS",
    "DATA_PART",
    "EXTENSION",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST_PART",
    "PARTS",
    "READABLE_VERSIONS",
    "ROW_TEXT_FIELDS",
    "SIGNATURE_PART",
    "MatrixError",
    "MatrixPackage",
    "canonical_row",
    "data_version_of",
    "number_text",
    "read_matrix",
    "validate_data",
    "validate_manifest",
    "write_matrix",
]
