"""The signed content of a submission, and how it rides inside the xlsx (docs/submissions.md).

An OPD's workbook carries, as two extra parts of its zip package, the exact bytes of
the machine-readable content it was made from (canonical JSON) and a detached Ed25519
signature over those bytes with the signer's public key. Pokja reads only those parts;
the visible sheets are for people.

Reading treats the file as hostile until the signature is verified: the zip directory
is checked against size caps before anything is decompressed, only the needed parts are
read, XML goes through defusedxml, JSON is read without floats and checked by hand
against the format version.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import __version__
from app.domain.arg import Answer
from app.domain.breakdown import Breakdown, BreakdownError
from app.domain.numbers import decimal_text
from app.formats import keys
from app.models.schema import ArgAnswer, Opd, Plan, PlanNode, PlanRow, Realisation, Target
from app.services.profile import Profile

FORMAT = "monev-radpug-submission"
FORMAT_VERSION = 1
SIGNATURE_FORMAT = "monev-radpug-signature"
CONTENT_PART = "customXml/monev-submission.json"
SIGNATURE_PART = "customXml/monev-submission.sig"
SPREADSHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


class SubmissionError(ValueError):
    """A refused file; the message (Indonesian) says why and what to do."""


@dataclass(frozen=True)
class Limits:
    """Caps checked on the zip directory before anything is decompressed."""

    file_size: int = 50 * 1024 * 1024
    entries: int = 2000
    total_uncompressed: int = 200 * 1024 * 1024
    entry_uncompressed: int = 100 * 1024 * 1024
    ratio: int = 200  # uncompressed / compressed, for entries over ratio_floor
    ratio_floor: int = 1024 * 1024
    content: int = 20 * 1024 * 1024
    signature: int = 4096
    xml_part: int = 256 * 1024


@dataclass(frozen=True)
class Signed:
    """What a package carries once its signature checks out against the embedded key."""

    content_bytes: bytes
    content: dict[str, Any]
    content_hash: str
    public_key: bytes
    key_id: str

    @property
    def opd_code(self) -> str:
        return str(self.content["opd"]["code"])

    @property
    def year(self) -> int:
        return int(self.content["year"])

    @property
    def submission_id(self) -> str:
        return str(self.content["submission_id"])

    @property
    def revision(self) -> int:
        return int(self.content["revision"])


# ------------------------------------------------------------------ canonical JSON
def canonical_bytes(content: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8; floats are refused (numbers travel as strings)."""

    def check(v: Any) -> None:
        if isinstance(v, float):
            raise TypeError("float in submission content")
        if isinstance(v, dict):
            for x in v.values():
                check(x)
        elif isinstance(v, list):
            for x in v:
                check(x)

    check(content)
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verification_code(content_sha256: str) -> str:
    """Short code printed on paper: the first 12 hex digits in groups of four."""
    return keys.grouped(content_sha256[:12]).replace(" ", "-")


def _no_float(text: str) -> Any:
    raise SubmissionError(f"Isi kiriman memuat angka pecahan mentah ({text[:20]}).")


def _no_constant(text: str) -> Any:
    raise SubmissionError(f"Isi kiriman memuat nilai tidak sah ({text}).")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise SubmissionError(f"Isi kiriman memuat kunci ganda ({k[:40]}).")
        out[k] = v
    return out


def parse_canonical(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(
            data.decode("utf-8"),
            parse_float=_no_float,
            parse_constant=_no_constant,
            object_pairs_hook=_no_duplicates,
        )
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SubmissionError(f"Isi kiriman bukan JSON yang sah: {exc}") from None
    if not isinstance(value, dict):
        raise SubmissionError("Isi kiriman bukan objek JSON.")
    if canonical_bytes(value) != data:
        raise SubmissionError("Isi kiriman tidak dalam bentuk kanonik.")
    return value


# ------------------------------------------------------------------ building
def _iso(v: datetime | None) -> str | None:
    return None if v is None else v.isoformat()


def build_content(
    session: Session,
    plan: Plan,
    opd: Opd,
    year: int,
    *,
    submission_id: str,
    revision: int,
    created_at: datetime,
    preparer: Profile | None,
) -> dict[str, Any]:
    """Every row of the OPD for the year (realisations, proposed target) and its ARG."""
    rows = list(
        session.execute(
            select(PlanRow.id, PlanRow.key)
            .where(
                PlanRow.plan_id == plan.id,
                PlanRow.opd_id == opd.id,
                # A row retired by a matrix update may be gone from Pokja's database.
                PlanRow.retired_at.is_(None),
            )
            .order_by(PlanRow.seq)
        )
    )
    ids = [rid for rid, _ in rows]
    reals: dict[int, dict[str, Any]] = {rid: {} for rid in ids}
    proposals: dict[int, Any] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for r in session.scalars(
            select(Realisation).where(Realisation.row_id.in_(chunk), Realisation.year == year)
        ):
            reals[r.row_id][str(r.semester)] = {
                "total": decimal_text(r.total),
                "male": decimal_text(r.male),
                "female": decimal_text(r.female),
                "disabled": decimal_text(r.disabled),
                "budget": decimal_text(r.budget),
                "spending": decimal_text(r.spending),
                "evidence": r.evidence,
                "note": r.note,
                "updated_at": _iso(r.updated_at),
                "updated_by": r.updated_by,
            }
        for t in session.scalars(
            select(Target).where(
                Target.row_id.in_(chunk), Target.year == year, Target.proposed.is_(True)
            )
        ):
            proposals[t.row_id] = {
                "text": t.proposed_text or "",
                "total": decimal_text(t.proposed_total),
                "male": decimal_text(t.proposed_male),
                "female": decimal_text(t.proposed_female),
                "disabled": decimal_text(t.proposed_disabled),
                "at": _iso(t.proposed_at),
                "by": t.proposed_by or "",
            }
    answers = [
        {
            "node": key,
            "question_set": a.qset_version,
            "question": a.question_id,
            "answer": a.answer,
            "remark": a.remark,
            "answered_at": _iso(a.answered_at),
            "answered_by": a.answered_by,
        }
        for a, key in session.execute(
            select(ArgAnswer, PlanNode.key)
            .join(PlanNode, PlanNode.id == ArgAnswer.node_id)
            .where(PlanNode.plan_id == plan.id, PlanNode.opd_id == opd.id, ArgAnswer.year == year)
            .order_by(PlanNode.key, ArgAnswer.qset_version, ArgAnswer.question_id)
        )
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "submission_id": submission_id,
        "revision": revision,
        "created_at": created_at.replace(microsecond=0).isoformat(),
        "app_version": __version__,
        "opd": {"code": opd.code, "name": opd.name},
        "plan": {
            "code": plan.code,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "data_version": plan.data_version or "",
        },
        "year": year,
        "prepared_by": None
        if preparer is None
        else {"name": preparer.name, "nip": preparer.nip, "role": preparer.role},
        "rows": [
            {"key": key, "realisations": reals[rid], "proposed_target": proposals.get(rid)}
            for rid, key in rows
        ],
        "arg": answers,
    }


def signature_part(key: keys.SigningKey, content: bytes) -> bytes:
    return canonical_bytes(
        {
            "format": SIGNATURE_FORMAT,
            "format_version": 1,
            "algorithm": "Ed25519",
            "key_id": key.key_id,
            "public_key": key.public.hex(),
            "signature": base64.b64encode(key.sign(content)).decode("ascii"),
        }
    )


def add_parts(xlsx: Path, content: bytes, signature: bytes) -> None:
    """Rewrite ``xlsx`` with the two parts added (and declared in [Content_Types].xml).

    The new zip is written beside the file and moved over it only when complete.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{xlsx.name}.", suffix=".tmp", dir=xlsx.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "[Content_Types].xml":
                    text = data.decode("utf-8")
                    extra = (
                        '<Default Extension="json" ContentType="application/json"/>'
                        '<Default Extension="sig" ContentType="application/octet-stream"/>'
                    )
                    data = text.replace("</Types>", extra + "</Types>", 1).encode("utf-8")
                with dst.open(info, "w") as out:
                    out.write(data)
            dst.writestr(CONTENT_PART, content, zipfile.ZIP_DEFLATED)
            dst.writestr(SIGNATURE_PART, signature, zipfile.ZIP_DEFLATED)
        shutil.copymode(xlsx, tmp)  # mkstemp makes 0600; keep the workbook's own mode
        os.replace(tmp, xlsx)
    finally:
        tmp.unlink(missing_ok=True)


# ------------------------------------------------------------------ reading
RESAVED = (
    "Berkas ini tidak memuat isi bertanda tangan. Bila berkas ini semula dibuat oleh "
    "aplikasi Monev RAD PUG, berkas ini sudah disimpan ulang oleh program lain (misalnya "
    "Excel atau LibreOffice) sehingga isi bertanda tangan hilang. Minta Perangkat Daerah "
    "mengirim ulang berkas asli hasil ekspor aplikasi, tanpa dibuka dan disimpan ulang."
)
NOT_XLSX = (
    "Berkas ini bukan buku kerja Excel (.xlsx) yang utuh: mungkin terpotong saat dikirim, "
    "rusak, atau berkas lain yang diberi nama .xlsx."
)


def read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read one entry, never more than ``cap`` bytes whatever the header says."""
    if info.file_size > cap:
        raise SubmissionError(f"Bagian {info.filename} terlalu besar; berkas ditolak.")
    with zf.open(info) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise SubmissionError(f"Bagian {info.filename} terlalu besar; berkas ditolak.")
    return data


def check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a zip by its directory alone (count, names, sizes, ratios), before reading."""
    if len(infos) > limits.entries:
        raise SubmissionError(f"Berkas memuat terlalu banyak bagian ({len(infos)}); ditolak.")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise SubmissionError("Berkas memuat bagian bernama ganda; ditolak.")
    total = 0
    for i in infos:
        total += i.file_size
        if i.file_size > limits.entry_uncompressed:
            raise SubmissionError(
                f"Bagian {i.filename[:60]} mengaku berukuran {i.file_size:,} bita setelah "
                "dibuka: terlalu besar untuk sebuah kiriman (kemungkinan bom zip); ditolak."
            )
        if i.file_size > limits.ratio_floor and i.file_size > limits.ratio * max(
            1, i.compress_size
        ):
            raise SubmissionError(
                f"Bagian {i.filename[:60]} memampat lebih dari {limits.ratio} kali "
                "(kemungkinan bom zip); berkas ditolak."
            )
    if total > limits.total_uncompressed:
        raise SubmissionError(
            "Isi berkas setelah dibuka terlalu besar untuk sebuah kiriman "
            "(kemungkinan bom zip); ditolak."
        )


def _check_spreadsheet(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], cap: int) -> None:
    info = infos.get("[Content_Types].xml")
    if info is None:
        raise SubmissionError(NOT_XLSX)
    data = read_entry(zf, info, cap)
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException:
        raise SubmissionError(
            "Berkas memuat XML yang tidak aman (entitas/DTD); berkas ditolak tanpa dibaca."
        ) from None
    except SafeET.ParseError:
        raise SubmissionError(NOT_XLSX) from None
    types = {
        el.get("PartName"): el.get("ContentType")
        for el in root
        if el.tag.endswith("}Override") or el.tag == "Override"
    }
    if types.get("/xl/workbook.xml") != SPREADSHEET_MAIN:
        raise SubmissionError(NOT_XLSX)


class MissingSignedParts(SubmissionError):
    """A whole spreadsheet without the signed parts (re-saved, or never signed)."""


def check_container(
    path: Path, limits: Limits, caps: dict[str, int] | None = None
) -> dict[str, zipfile.ZipInfo]:
    """File size, zip directory, spreadsheet type and every entry's CRC, before any parsing.

    Shared by the signed reader below and the fill-in reader (``app/formats/fillin.py``);
    ``caps`` gives tighter size caps for named entries. Returns the entries by name.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SubmissionError(f"Berkas tidak dapat dibaca: {exc.strerror or exc}.") from None
    if size == 0:
        raise SubmissionError("Berkas kosong.")
    if size > limits.file_size:
        raise SubmissionError(
            f"Berkas terlalu besar untuk sebuah kiriman ({size:,} bita); ditolak."
        )
    caps = caps or {}
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            check_directory(infos, limits)
            by_name = {i.filename: i for i in infos}
            _check_spreadsheet(zf, by_name, limits.xml_part)
            # Every entry must decompress to its recorded CRC: a damaged visible sheet
            # means the printed part no longer matches what was signed or filled in.
            for info in infos:
                cap = caps.get(info.filename, limits.entry_uncompressed)
                with zf.open(info) as fh:
                    read = 0
                    while chunk := fh.read(1 << 16):
                        read += len(chunk)
                        if read > cap:
                            raise SubmissionError(
                                f"Bagian {info.filename[:60]} lebih besar dari yang tercatat; "
                                "berkas ditolak."
                            )
    except SubmissionError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise SubmissionError(NOT_XLSX) from None
    return by_name


def read_package(path: Path, limits: Limits | None = None) -> Signed:
    """Open a submission file and check it is whole and signed by its embedded key.

    Raises :class:`SubmissionError` with an Indonesian reason for every refusal, and
    :class:`MissingSignedParts` (a subclass) for a sound workbook without signed parts.
    """
    limits = limits or Limits()
    by_name = check_container(
        path, limits, {CONTENT_PART: limits.content, SIGNATURE_PART: limits.signature}
    )
    if CONTENT_PART not in by_name or SIGNATURE_PART not in by_name:
        raise MissingSignedParts(RESAVED)
    try:
        with zipfile.ZipFile(path) as zf:
            content = read_entry(zf, by_name[CONTENT_PART], limits.content)
            sig_data = read_entry(zf, by_name[SIGNATURE_PART], limits.signature)
    except SubmissionError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise SubmissionError(NOT_XLSX) from None
    public, signature = parse_signature(sig_data)
    if not keys.verify(public, signature, content):
        raise SubmissionError(
            "Tanda tangan tidak cocok dengan isi berkas: berkas telah diubah atau rusak "
            "setelah ditandatangani. Minta Perangkat Daerah mengirim ulang berkas aslinya."
        )
    value = parse_canonical(content)
    validate_content(value)
    return Signed(content, value, content_hash(content), public, keys.fingerprint(public))


_HEX64 = re.compile(r"[0-9a-f]{64}")


def parse_signature(data: bytes) -> tuple[bytes, bytes]:
    """(public key, signature) from a detached signature part; refuses anything malformed."""
    bad = SubmissionError("Bagian tanda tangan berkas rusak; berkas ditolak.")
    try:
        sig = parse_canonical(data)
    except SubmissionError:
        raise bad from None
    if (
        sig.get("format") != SIGNATURE_FORMAT
        or sig.get("format_version") != 1
        or sig.get("algorithm") != "Ed25519"
        or not isinstance(sig.get("public_key"), str)
        or not _HEX64.fullmatch(sig["public_key"])
        or not isinstance(sig.get("signature"), str)
    ):
        raise bad
    try:
        signature = base64.b64decode(sig["signature"], validate=True)
    except ValueError:
        raise bad from None
    public = bytes.fromhex(sig["public_key"])
    if len(signature) != 64 or sig.get("key_id") != keys.fingerprint(public):
        raise bad
    return public, signature


# ------------------------------------------------------------------ schema check
_DECIMAL = re.compile(r"-?(0|[1-9]\d{0,13})(\.\d{1,4})?")
_MONEY = re.compile(r"(0|[1-9]\d{0,17})")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_KEY = re.compile(r"[A-Za-z0-9._:\-]{1,64}")
_MAX_TEXT = 10_000


class Schema:
    """Hand-written strict checks: every key required, no unknown keys, exact types."""

    def __init__(self) -> None:
        self.where = ""

    def fail(self, what: str) -> SubmissionError:
        return SubmissionError(f"Isi kiriman tidak sesuai format versi {FORMAT_VERSION}: {what}.")

    def obj(self, v: Any, where: str, keys_: set[str]) -> dict[str, Any]:
        if not isinstance(v, dict):
            raise self.fail(f"{where} harus objek")
        missing = keys_ - set(v)
        extra = set(v) - keys_
        if missing:
            raise self.fail(f"{where} tidak memuat {', '.join(sorted(missing))}")
        if extra:
            raise self.fail(f"{where} memuat kunci tak dikenal {', '.join(sorted(extra))[:80]}")
        return v

    def text(self, v: Any, where: str, *, maxlen: int = _MAX_TEXT, null: bool = False) -> None:
        if v is None and null:
            return
        if not isinstance(v, str) or len(v) > maxlen:
            raise self.fail(f"{where} harus teks (maksimal {maxlen} huruf)")

    def integer(self, v: Any, where: str, lo: int, hi: int) -> None:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise self.fail(f"{where} harus bilangan bulat {lo}–{hi}")

    def pattern(self, v: Any, where: str, rx: re.Pattern[str], *, null: bool = False) -> None:
        if v is None and null:
            return
        if not isinstance(v, str) or not rx.fullmatch(v):
            raise self.fail(f"{where} tidak sah ({str(v)[:30]!r})")

    def stamp(self, v: Any, where: str, *, null: bool = False) -> None:
        if v is None and null:
            return
        if not isinstance(v, str) or len(v) > 40:
            raise self.fail(f"{where} harus waktu ISO")
        try:
            datetime.fromisoformat(v)
        except ValueError:
            raise self.fail(f"{where} harus waktu ISO") from None

    def breakdown(self, v: dict[str, Any], where: str) -> None:
        for f in ("total", "male", "female", "disabled"):
            self.pattern(v[f], f"{where}.{f}", _DECIMAL, null=True)
        b = Breakdown(
            *(
                None if v[f] is None else Decimal(v[f])
                for f in ("total", "male", "female", "disabled")
            )
        )
        try:
            b.validate()
        except BreakdownError as exc:
            raise self.fail(f"{where}: {exc}") from None


_REAL_KEYS = {
    "total", "male", "female", "disabled", "budget", "spending",
    "evidence", "note", "updated_at", "updated_by",
}  # fmt: skip
_PROP_KEYS = {"text", "total", "male", "female", "disabled", "at", "by"}
_ARG_KEYS = {
    "node", "question_set", "question", "answer", "remark", "answered_at", "answered_by",
}  # fmt: skip
_TOP_KEYS = {
    "format", "format_version", "submission_id", "revision", "created_at", "app_version",
    "opd", "plan", "year", "prepared_by", "rows", "arg",
}  # fmt: skip


def validate_content(c: dict[str, Any]) -> None:
    """Strict check of a parsed content against format version 1 (raises SubmissionError)."""
    s = Schema()
    if c.get("format") != FORMAT:
        raise SubmissionError("Berkas ini bukan kiriman Monev RAD PUG.")
    if c.get("format_version") != FORMAT_VERSION:
        raise SubmissionError(
            f"Versi format kiriman {c.get('format_version')!r} tidak dikenal oleh aplikasi "
            "ini; perbarui aplikasi Pokja."
        )
    s.obj(c, "kiriman", _TOP_KEYS)
    s.pattern(c["submission_id"], "submission_id", _UUID)
    s.integer(c["revision"], "revision", 1, 1_000_000)
    s.stamp(c["created_at"], "created_at")
    s.text(c["app_version"], "app_version", maxlen=40)
    opd = s.obj(c["opd"], "opd", {"code", "name"})
    s.pattern(opd["code"], "opd.code", _KEY)
    s.text(opd["name"], "opd.name", maxlen=500)
    plan = s.obj(c["plan"], "plan", {"code", "start_year", "end_year", "data_version"})
    s.text(plan["code"], "plan.code", maxlen=64)
    s.integer(plan["start_year"], "plan.start_year", 2000, 2100)
    s.integer(plan["end_year"], "plan.end_year", 2000, 2100)
    s.text(plan["data_version"], "plan.data_version", maxlen=80)
    s.integer(c["year"], "year", 2000, 2100)
    if c["prepared_by"] is not None:
        p = s.obj(c["prepared_by"], "prepared_by", {"name", "nip", "role"})
        for k in ("name", "nip", "role"):
            s.text(p[k], f"prepared_by.{k}", maxlen=200)
    if not isinstance(c["rows"], list):
        raise s.fail("rows harus daftar")
    seen: set[str] = set()
    for i, row in enumerate(c["rows"]):
        where = f"rows[{i}]"
        s.obj(row, where, {"key", "realisations", "proposed_target"})
        s.pattern(row["key"], f"{where}.key", _KEY)
        if row["key"] in seen:
            raise s.fail(f"baris {row['key']} tercantum dua kali")
        seen.add(row["key"])
        reals = row["realisations"]
        if not isinstance(reals, dict) or not set(reals) <= {"0", "1", "2"}:
            raise s.fail(f"{where}.realisations harus objek semester 0/1/2")
        for sem, r in reals.items():
            w = f"{where}.realisations.{sem}"
            s.obj(r, w, _REAL_KEYS)
            s.breakdown(r, w)
            s.pattern(r["budget"], f"{w}.budget", _MONEY, null=True)
            s.pattern(r["spending"], f"{w}.spending", _MONEY, null=True)
            s.text(r["evidence"], f"{w}.evidence")
            s.text(r["note"], f"{w}.note")
            s.stamp(r["updated_at"], f"{w}.updated_at")
            s.text(r["updated_by"], f"{w}.updated_by", maxlen=300)
        p = row["proposed_target"]
        if p is not None:
            w = f"{where}.proposed_target"
            s.obj(p, w, _PROP_KEYS)
            s.text(p["text"], f"{w}.text")
            s.breakdown(p, w)
            s.stamp(p["at"], f"{w}.at", null=True)
            s.text(p["by"], f"{w}.by", maxlen=300)
    if not isinstance(c["arg"], list):
        raise s.fail("arg harus daftar")
    answers = {a.value for a in Answer}
    seen_a: set[tuple[str, str, str]] = set()
    for i, a in enumerate(c["arg"]):
        where = f"arg[{i}]"
        s.obj(a, where, _ARG_KEYS)
        s.pattern(a["node"], f"{where}.node", _KEY)
        s.text(a["question_set"], f"{where}.question_set", maxlen=80)
        s.text(a["question"], f"{where}.question", maxlen=20)
        if a["answer"] not in answers:
            raise s.fail(f"{where}.answer tidak dikenal")
        s.text(a["remark"], f"{where}.remark")
        s.stamp(a["answered_at"], f"{where}.answered_at")
        s.text(a["answered_by"], f"{where}.answered_by", maxlen=300)
        ident = (a["node"], a["question_set"], a["question"])
        if ident in seen_a:
            raise s.fail(f"jawaban ARG {ident[0]} {ident[2]} tercantum dua kali")
        seen_a.add(ident)


def copy_without_parts(src: Path, dst: Path) -> None:
    """A copy of a submission xlsx without its signed parts (tests, documentation)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in (CONTENT_PART, SIGNATURE_PART):
                zout.writestr(info, zin.read(info))


__all__ = [
    "CONTENT_PART",
    "FORMAT",
    "FORMAT_VERSION",
    "SIGNATURE_PART",
    "Limits",
    "MissingSignedParts",
    "Signed",
    "SubmissionError",
    "add_parts",
    "build_content",
    "canonical_bytes",
    "check_container",
    "content_hash",
    "copy_without_parts",
    "parse_canonical",
    "read_package",
    "signature_part",
    "validate_content",
    "verification_code",
]
