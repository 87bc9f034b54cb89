"""The signed content of a submission, and how it rides inside the xlsx (docs/submissions.md).

An OPD's workbook carries, as extra parts of its zip package, the exact bytes of the
machine-readable content it was made from (canonical JSON), the list of every visible
cell, and a manifest naming every other part by SHA-256, signed (Ed25519, detached,
with the signer's public key). Pokja imports the content; the signature over the
manifest means the sheets people read and print are exactly those that were signed.

Reading treats the file as hostile until the signature is verified: the container is
checked first (``container.check_container``), only the needed parts are read, JSON is
read without floats and checked by hand against the format version. The content is
built from the database by ``app/services/submission_content.py``; the manifest and
cell list live in ``submission_manifest`` and ``sheet_cells``.
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
from app.domain.text_policy import PERSON_NAME_MAX, REMARK_MAX
from app.formats import keys
from app.formats.canonical_json import SubmissionError, content_hash, parse_canonical
from app.formats.container import (
    NOT_XLSX,
    Limits,
    Schema,
    check_container,
    parse_signature,
    read_entry,
    signature_part,
)
from app.formats.refusal import refusing
from app.formats.submission_manifest import (
    cells_bytes,
    manifest_bytes,
    parse_cells,
    parse_manifest,
    part_hash,
    tamper_message,
)
from app.formats.submission_pprg import PPRG_KEY, parse_pprg

FORMAT = "monev-radpug-submission"
# Version 2 (issue 15) adds the OPD's GAP and GBS documents (``pprg``). A content without
# documents is still written as version 1, so a Pokja app that predates them keeps
# reading what it can read, and refuses a file with documents by its version, plainly.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
CONTENT_PART = "customXml/monev-submission.json"
SIGNATURE_PART = "customXml/monev-submission.sig"
MANIFEST_PART = "customXml/monev-manifest.json"
CELLS_PART = "customXml/monev-cells.json"
SIGNED_PARTS = (CONTENT_PART, CELLS_PART, MANIFEST_PART, SIGNATURE_PART)


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


def sign_package(xlsx: Path, content: bytes, key: keys.SigningKey) -> None:
    """Rewrite ``xlsx`` as a signed submission carrying ``content``, signed by ``key``.

    Adds the content, the cell list and the manifest over every part (declared in
    [Content_Types].xml), and the signature over the manifest. The new zip is written
    beside the file and moved over it only when complete.
    """
    with zipfile.ZipFile(xlsx) as src:
        infos = [i for i in src.infolist() if i.filename not in SIGNED_PARTS]
        parts = {i.filename: src.read(i) for i in infos}
    types = parts["[Content_Types].xml"].decode("utf-8")
    if 'Extension="json"' not in types:  # a copy of a signed file already declares them
        extra = (
            '<Default Extension="json" ContentType="application/json"/>'
            '<Default Extension="sig" ContentType="application/octet-stream"/>'
        )
        types = types.replace("</Types>", extra + "</Types>", 1)
    parts["[Content_Types].xml"] = types.encode("utf-8")
    parts[CONTENT_PART] = content
    parts[CELLS_PART] = cells_bytes(parts.get)
    manifest = manifest_bytes(parts)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{xlsx.name}.", suffix=".tmp", dir=xlsx.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in infos:
                with dst.open(info, "w") as out:
                    out.write(parts[info.filename])
            for name in (CONTENT_PART, CELLS_PART):
                dst.writestr(name, parts[name], zipfile.ZIP_DEFLATED)
            dst.writestr(MANIFEST_PART, manifest, zipfile.ZIP_DEFLATED)
            dst.writestr(SIGNATURE_PART, signature_part(key, manifest), zipfile.ZIP_DEFLATED)
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


OLD_SIGNATURE = (
    "Berkas ini ditandatangani dengan format lama, yang hanya melindungi isi untuk mesin dan "
    "tidak melindungi sel yang terlihat, sehingga perubahan pada lembar kerja tidak dapat "
    "diperiksa. Minta Perangkat Daerah memperbarui aplikasi Monev RAD PUG lalu mengekspor "
    "ulang kiriman ini."
)
BAD_SIGNATURE = (
    "Tanda tangan tidak cocok dengan isi berkas: berkas telah diubah atau rusak "
    "setelah ditandatangani. Minta Perangkat Daerah mengirim ulang berkas aslinya."
)


@refusing()
def read_package(path: Path, limits: Limits | None = None) -> Signed:
    """Open a submission file and check it is whole and signed by its embedded key.

    The signature covers the manifest; every other part must match its hash there, and
    no part may be added or missing. Raises :class:`SubmissionError` with an Indonesian
    reason for every refusal (naming each visible cell that differs from what was
    signed), and :class:`MissingSignedParts` (a subclass) for a sound workbook without
    signed parts.
    """
    limits = limits or Limits()
    digests: dict[str, str] = {}  # every part's SHA-256, from the container's CRC pass
    by_name = check_container(
        path,
        limits,
        {
            CONTENT_PART: limits.content,
            CELLS_PART: limits.content,
            MANIFEST_PART: limits.xml_part,
            SIGNATURE_PART: limits.signature,
        },
        digests,
    )
    if CONTENT_PART not in by_name or SIGNATURE_PART not in by_name:
        raise MissingSignedParts(RESAVED)
    try:
        with zipfile.ZipFile(path) as zf:

            def read(name: str, cap: int = limits.entry_uncompressed) -> bytes | None:
                info = by_name.get(name)
                return None if info is None else read_entry(zf, info, cap)

            content = read_entry(zf, by_name[CONTENT_PART], limits.content)
            public, signature = parse_signature(
                read_entry(zf, by_name[SIGNATURE_PART], limits.signature)
            )
            if MANIFEST_PART not in by_name:
                # Format of the first releases: the signature covered the content only, so
                # the sheets could be altered freely. Never accept it, even when it verifies.
                raise SubmissionError(
                    OLD_SIGNATURE if keys.verify(public, signature, content) else BAD_SIGNATURE
                )
            manifest = read_entry(zf, by_name[MANIFEST_PART], limits.xml_part)
            if not keys.verify(public, signature, manifest):
                raise SubmissionError(BAD_SIGNATURE)
            hashes = parse_manifest(manifest, (CONTENT_PART, CELLS_PART))
            if part_hash(content) != hashes[CONTENT_PART]:
                raise SubmissionError(BAD_SIGNATURE)
            present = set(by_name) - {MANIFEST_PART, SIGNATURE_PART}
            added = sorted(present - set(hashes))
            missing = sorted(set(hashes) - present)
            changed = [n for n in sorted(present & set(hashes)) if digests[n] != hashes[n]]
            if added or missing or changed:
                cells = read(CELLS_PART, limits.content)
                signed_cells = (
                    parse_cells(cells)
                    if cells is not None and part_hash(cells) == hashes[CELLS_PART]
                    else None
                )

                def capped(name: str) -> bytes | None:
                    return read(name, limits.content)

                raise SubmissionError(tamper_message(changed, added, missing, signed_cells, capped))
    except SubmissionError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise SubmissionError(NOT_XLSX) from None
    value = parse_canonical(content)
    validate_content(value)
    return Signed(content, value, content_hash(content), public, keys.fingerprint(public))


# ------------------------------------------------------------------ schema check
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
    """Strict check of a parsed content against its format version (raises SubmissionError).

    Version 2 differs from 1 only by the required ``pprg`` list (``submission_pprg``).
    """
    if c.get("format") != FORMAT:
        raise SubmissionError("Berkas ini bukan kiriman Monev RAD PUG.")
    version = c.get("format_version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise SubmissionError(
            f"Versi format kiriman {c.get('format_version')!r} tidak dikenal oleh aplikasi "
            "ini; perbarui aplikasi Pokja."
        )
    s = Schema("Isi kiriman", version)
    s.obj(c, "kiriman", _TOP_KEYS | {PPRG_KEY} if version >= 2 else _TOP_KEYS)
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
            s.text(p[k], f"prepared_by.{k}", maxlen=PERSON_NAME_MAX)
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
            # Rupiah as the form takes them: whole, not negative, stored exactly.
            s.figure(r["budget"], f"{w}.budget", whole=True, signed=False, null=True)
            s.figure(r["spending"], f"{w}.spending", whole=True, signed=False, null=True)
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
        s.text(a["remark"], f"{where}.remark", maxlen=REMARK_MAX)
        s.stamp(a["answered_at"], f"{where}.answered_at")
        s.text(a["answered_by"], f"{where}.answered_by", maxlen=300)
        ident = (a["node"], a["question_set"], a["question"])
        if ident in seen_a:
            raise s.fail(f"jawaban ARG {ident[0]} {ident[2]} tercantum dua kali")
        seen_a.add(ident)
    if version >= 2:
        parse_pprg(c[PPRG_KEY], opd["code"], c["year"])


def copy_without_parts(src: Path, dst: Path) -> None:
    """A copy of a submission xlsx without its signed parts (tests, documentation)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in SIGNED_PARTS:
                zout.writestr(info, zin.read(info))


__all__ = [
    "BAD_SIGNATURE",
    "CELLS_PART",
    "CONTENT_PART",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST_PART",
    "OLD_SIGNATURE",
    "READABLE_VERSIONS",
    "RESAVED",
    "SIGNATURE_PART",
    "SIGNED_PARTS",
    "MissingSignedParts",
    "Signed",
    "copy_without_parts",
    "read_package",
    "sign_package",
    "validate_content",
]
