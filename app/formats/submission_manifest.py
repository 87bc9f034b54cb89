"""The signed manifest of a submission package: every part by hash, every cell by value.

The signature of a submission covers the manifest, and the manifest covers everything
else: each zip part (the machine-readable content included) by SHA-256, so that no byte
a person can see, print or have Excel compute from changes unnoticed. A second part,
the *cell list*, records the value of every non-empty cell of every worksheet; it is
read only when a sheet no longer matches its hash, to name each cell that differs
(a valid file never parses it, so verifying stays as fast as before).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from app.formats.canonical_json import SubmissionError, canonical_bytes, parse_canonical
from app.formats.sheet_cells import (
    PartReader,
    Sheet,
    SheetReadError,
    differences,
    one_line,
    read_sheets,
)

MANIFEST_FORMAT = "monev-radpug-manifest"
CELLS_FORMAT = "monev-radpug-cells"
MANIFEST_VERSION = 1
MAX_LISTED = 20  # differences named in a refusal; the rest are counted
MAX_PARTS_LISTED = 8

TAMPERED = (
    "Berkas telah diubah setelah ditandatangani; minta Perangkat Daerah mengirim ulang "
    "berkas asli hasil ekspor aplikasi, tanpa dibuka dan disimpan ulang."
)
_HEX64 = re.compile(r"[0-9a-f]{64}")


def part_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------ writing
def cells_bytes(read: PartReader) -> bytes:
    """The cell list of a package's worksheets, as canonical JSON."""
    _, sheets = read_sheets(read)
    return canonical_bytes(
        {
            "format": CELLS_FORMAT,
            "format_version": MANIFEST_VERSION,
            "sheets": [{"name": s.name, "cells": s.cells} for s in sheets],
        }
    )


def manifest_bytes(parts: dict[str, bytes]) -> bytes:
    """The manifest over ``parts`` (every part of the package but the manifest and signature)."""
    return canonical_bytes(
        {
            "format": MANIFEST_FORMAT,
            "format_version": MANIFEST_VERSION,
            "parts": {name: part_hash(data) for name, data in parts.items()},
        }
    )


# ------------------------------------------------------------------ reading
_BAD = "Bagian daftar tanda tangan berkas rusak; berkas ditolak."


def parse_manifest(data: bytes, required: tuple[str, ...]) -> dict[str, str]:
    """Part name → SHA-256 from a signed manifest (already verified); refuses any other shape."""
    try:
        m = parse_canonical(data)
    except SubmissionError:
        raise SubmissionError(_BAD) from None
    if m.get("format") != MANIFEST_FORMAT or set(m) != {"format", "format_version", "parts"}:
        raise SubmissionError(_BAD)
    if m["format_version"] != MANIFEST_VERSION:
        raise SubmissionError(
            f"Versi daftar tanda tangan {one_line(str(m['format_version']))} tidak dikenal oleh "
            "aplikasi ini; perbarui aplikasi Pokja."
        )
    parts = m["parts"]
    if (
        not isinstance(parts, dict)
        or not all(isinstance(v, str) and _HEX64.fullmatch(v) for v in parts.values())
        or not set(required) <= set(parts)
    ):
        raise SubmissionError(_BAD)
    return parts


def parse_cells(data: bytes) -> list[Sheet] | None:
    """The signed cell list, or None if it cannot be read (the parts are then named)."""
    try:
        c: dict[str, Any] = parse_canonical(data)
        if c.get("format") != CELLS_FORMAT or c.get("format_version") != MANIFEST_VERSION:
            return None
        out = []
        for s in c["sheets"]:
            cells = s["cells"]
            if not isinstance(s["name"], str) or not isinstance(cells, dict):
                return None
            if not all(isinstance(v, str) and v for v in cells.values()):
                return None
            out.append(Sheet(s["name"], "", cells))
        return out
    except (SubmissionError, KeyError, TypeError):
        return None


def _names(names: list[str]) -> str:
    shown = [one_line(n, 60) for n in names[:MAX_PARTS_LISTED]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" dan {more} bagian lain" if more > 0 else "")


def tamper_message(
    changed: list[str],
    added: list[str],
    missing: list[str],
    signed_cells: list[Sheet] | None,
    read: PartReader,
) -> str:
    """The refusal for a package whose parts differ from its signed manifest.

    Names every visible cell that differs first (what a person would have read wrongly),
    then the parts that changed, appeared or went missing.
    """
    found: list[str] = []
    covered: set[str] = set()
    if signed_cells is not None:
        try:
            lay, sheets = read_sheets(read)
        except (SheetReadError, SubmissionError):  # unreadable or over a cap: name the parts
            pass
        else:
            found = differences(signed_cells, sheets, limit=MAX_LISTED)
            covered = lay.parts if found else set()
    pieces: list[str] = []
    if found:
        listed = "; ".join(found[:MAX_LISTED])
        more = len(found) - MAX_LISTED
        tail = f"; dan {more} perbedaan lain" if more > 0 else ""
        pieces.append(f"Sel yang terlihat berbeda dari isi bertanda tangan: {listed}{tail}.")
    other = [n for n in changed if n not in covered]
    if other:
        pieces.append(f"Bagian berkas berubah setelah ditandatangani: {_names(other)}.")
    if added:
        pieces.append(f"Berkas memuat bagian yang tidak ditandatangani: {_names(added)}.")
    if missing:
        pieces.append(f"Bagian bertanda tangan hilang dari berkas: {_names(missing)}.")
    pieces.append(TAMPERED)
    return " ".join(pieces)


__all__ = [
    "CELLS_FORMAT",
    "MANIFEST_FORMAT",
    "MANIFEST_VERSION",
    "MAX_LISTED",
    "TAMPERED",
    "cells_bytes",
    "manifest_bytes",
    "parse_cells",
    "parse_manifest",
    "part_hash",
    "tamper_message",
]
