"""The signed zip container shared by submissions and matrix packages.

Both file kinds are zips read as hostile input: the directory is checked against size
caps before anything is decompressed, only the needed entries are read (never more than
their cap), XML goes through defusedxml. Both carry the same detached Ed25519 signature
part (canonical JSON naming the key), and both check their JSON with the same strict,
hand-written :class:`Schema`. What each file kind holds lives in ``submission`` and
``matrix_package``; this module knows only the container.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from app.domain.breakdown import Breakdown, BreakdownError
from app.domain.numbers import NumberError, check_figure
from app.domain.printable import shown_name
from app.domain.text_policy import FREE_TEXT_MAX, text_problem
from app.formats import keys
from app.formats.canonical_json import SubmissionError, canonical_bytes, parse_canonical
from app.formats.refusal import refusing

SIGNATURE_FORMAT = "monev-radpug-signature"
SPREADSHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
NOT_XLSX = (
    "Berkas ini bukan buku kerja Excel (.xlsx) yang utuh: mungkin terpotong saat dikirim, "
    "rusak, atau berkas lain yang diberi nama .xlsx."
)


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


# ------------------------------------------------------------------ the zip
# Office packages and our own files are stored or deflated; anything else (bzip2, lzma,
# the methods Python cannot read at all) comes from another program or an attacker.
COMPRESSION_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# The zip formats we read (Python's zipfile up to ZIP64 on 2.0 with deflate) need
# version 4.5 at most; a higher "version needed" asks for features we do not read.
MAX_ZIP_VERSION = 63
ZIP_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def part_name(name: str) -> str:
    """A zip part's name as shown in a refusal: escaped, and at most 60 characters."""
    return shown_name(name[:60])


def read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read one entry, never more than ``cap`` bytes whatever the header says."""
    if info.file_size > cap:
        raise SubmissionError(f"Bagian {part_name(info.filename)} terlalu besar; berkas ditolak.")
    with zf.open(info) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise SubmissionError(f"Bagian {part_name(info.filename)} terlalu besar; berkas ditolak.")
    return data


def _bad_name(name: str) -> bool:
    """A part name no office program writes: absolute, climbing (``..``), DOS-style."""
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or ".." in name.split("/")
        or (len(name) > 1 and name[1] == ":")
        or any(ord(ch) < 0x20 for ch in name)
    )


@refusing()
def check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a zip by its directory alone (count, names, flags, sizes, ratios), before reading."""
    if len(infos) > limits.entries:
        raise SubmissionError(f"Berkas memuat terlalu banyak bagian ({len(infos)}); ditolak.")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise SubmissionError("Berkas memuat bagian bernama ganda; ditolak.")
    total = 0
    for i in infos:
        if _bad_name(i.filename):
            raise SubmissionError(
                f"Bagian berkas bernama tidak sah ({part_name(i.filename)!r}); berkas ditolak."
            )
        if i.flag_bits & 0x1:
            raise SubmissionError(
                f"Bagian {part_name(i.filename)} terenkripsi (dilindungi kata sandi zip); "
                "berkas ditolak. Kirim ulang berkas tanpa kata sandi."
            )
        if i.compress_type not in COMPRESSION_METHODS or i.extract_version > MAX_ZIP_VERSION:
            raise SubmissionError(
                f"Bagian {part_name(i.filename)} dimampatkan dengan cara yang tidak dikenal "
                "(bukan buatan Excel, LibreOffice atau aplikasi ini); berkas ditolak."
            )
        total += i.file_size
        if i.file_size > limits.entry_uncompressed:
            raise SubmissionError(
                f"Bagian {part_name(i.filename)} mengaku berukuran {i.file_size:,} bita setelah "
                "dibuka: terlalu besar untuk sebuah kiriman (kemungkinan bom zip); ditolak."
            )
        if i.file_size > limits.ratio_floor and i.file_size > limits.ratio * max(
            1, i.compress_size
        ):
            raise SubmissionError(
                f"Bagian {part_name(i.filename)} memampat lebih dari {limits.ratio} kali "
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


@refusing()
def check_container(
    path: Path,
    limits: Limits,
    caps: dict[str, int] | None = None,
    digests: dict[str, str] | None = None,
) -> dict[str, zipfile.ZipInfo]:
    """File size, zip directory, spreadsheet type and every entry's CRC, before any parsing.

    Shared by the signed submission reader and the fill-in reader (``app/formats/fillin.py``);
    ``caps`` gives tighter size caps for named entries. Returns the entries by name. With
    ``digests``, the SHA-256 (hex) of every entry is put there from the same pass, so a
    reader that checks part hashes does not decompress every part twice.
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
                digest = hashlib.sha256()
                with zf.open(info) as fh:
                    read = 0
                    while chunk := fh.read(1 << 16):
                        read += len(chunk)
                        if digests is not None:
                            digest.update(chunk)
                        if read > cap:
                            raise SubmissionError(
                                f"Bagian {part_name(info.filename)} lebih besar dari yang "
                                "tercatat; berkas ditolak."
                            )
                if digests is not None:
                    digests[info.filename] = digest.hexdigest()
    except SubmissionError:
        raise
    except ZIP_CORRUPT:
        raise SubmissionError(NOT_XLSX) from None
    return by_name


# ------------------------------------------------------------------ the signature part
def signature_part(key: keys.SigningKey, content: bytes) -> bytes:
    """The detached signature over ``content``, naming the signer's public key."""
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


_HEX64 = re.compile(r"[0-9a-f]{64}")


@refusing()
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
MAX_TEXT = FREE_TEXT_MAX  # the form's limit (app.domain.text_policy): one limit everywhere
# Only the shape of a figure in canonical JSON (bounded, so nothing huge is converted);
# whether the database keeps it exactly is ``numbers.check_figure``'s rule, applied by
# :meth:`Schema.figure`, so a signed file is refused with the form's own reason.
DECIMAL = re.compile(r"-?(0|[1-9]\d{0,39})(\.\d{1,40})?")


class Schema:
    """Hand-written strict checks: every key required, no unknown keys, exact types.

    ``subject`` and ``version`` name what is checked in the refusal ("Isi kiriman
    tidak sesuai format versi 1: …").
    """

    def __init__(self, subject: str = "Isi kiriman", version: int = 1) -> None:
        self.subject = subject
        self.version = version

    def fail(self, what: str) -> SubmissionError:
        return SubmissionError(f"{self.subject} tidak sesuai format versi {self.version}: {what}.")

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

    def text(self, v: Any, where: str, *, maxlen: int = MAX_TEXT, null: bool = False) -> None:
        """A text under the one text policy: at most ``maxlen`` characters, no control,
        bidi or non-characters (``app.domain.text_policy``), as the form enforces."""
        if v is None and null:
            return
        if not isinstance(v, str):
            raise self.fail(f"{where} harus teks (maksimal {maxlen} huruf)")
        problem = text_problem(v, maxlen)
        if problem is not None:
            raise self.fail(f"{where}: {problem}")

    def figure(
        self, v: Any, where: str, *, whole: bool = False, signed: bool = True, null: bool = False
    ) -> None:
        """A figure as decimal text that the database stores exactly (``check_figure``);
        ``whole`` for Rupiah, ``signed=False`` refuses a minus sign."""
        if v is None and null:
            return
        self.pattern(v, where, DECIMAL)
        if not signed and v.startswith("-"):
            raise self.fail(f"{where} tidak boleh negatif")
        try:
            check_figure(Decimal(v), whole=whole)
        except NumberError as exc:
            raise self.fail(f"{where}: {exc}") from None

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
            self.figure(v[f], f"{where}.{f}", null=True)
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


__all__ = [
    "COMPRESSION_METHODS",
    "NOT_XLSX",
    "SIGNATURE_FORMAT",
    "ZIP_CORRUPT",
    "Limits",
    "Schema",
    "check_container",
    "check_directory",
    "parse_signature",
    "part_name",
    "read_entry",
    "signature_part",
]
