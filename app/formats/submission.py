"""The signed content of a submission, and how it rides inside the xlsx (docs/submissions.md).

An OPD's workbook carries, as two extra parts of its zip package, the exact bytes of
the machine-readable content it was made from (canonical JSON) and a detached Ed25519
signature over those bytes with the signer's public key. Pokja reads only those parts;
the visible sheets are for people.

Reading treats the file as hostile until the signature is verified: the container is
checked first (``container.check_container``), only the needed parts are read, JSON is
read without floats and checked by hand against the format version. The content is
built from the database by ``app/services/submission_content.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.arg import Answer
from app.formats import keys
from app.formats.canonical_json import SubmissionError, content_hash, parse_canonical
from app.formats.container import (
    NOT_XLSX,
    Limits,
    Schema,
    check_container,
    parse_signature,
    read_entry,
)
from app.formats.refusal import refusing

FORMAT = "monev-radpug-submission"
FORMAT_VERSION = 1
CONTENT_PART = "customXml/monev-submission.json"
SIGNATURE_PART = "customXml/monev-submission.sig"


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


class MissingSignedParts(SubmissionError):
    """A whole spreadsheet without the signed parts (re-saved, or never signed)."""


@refusing()
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


# ------------------------------------------------------------------ schema check
_MONEY = re.compile(r"(0|[1-9]\d{0,17})")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_KEY = re.compile(r"[A-Za-z0-9._:\-]{1,64}")

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
    s = Schema("Isi kiriman", FORMAT_VERSION)
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
        if not isinstance(a["answer"], str) or a["answer"] not in answers:
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
    "RESAVED",
    "SIGNATURE_PART",
    "MissingSignedParts",
    "Signed",
    "add_parts",
    "copy_without_parts",
    "read_package",
    "validate_content",
]
