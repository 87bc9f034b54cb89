"""The region profile inside a version-2 matrix package, read as hostile input.

Pokja's profile travels in ``matriks.json`` (``region``, the JSON form of
``services.region.region_to_json``), so the data version covers it and the signature
covers the data version. A package is a file from outside like any other: every text
passes the one text policy and the region's own limits, and the logo is decoded under a
cap and walked as a PNG or JPEG (not only its first bytes), because every report will
draw it.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib
from typing import Any

from app.domain.region import (
    LOGO_MAX_BYTES,
    MAX_LETTERHEAD_LINES,
    MAX_TEXT,
    Region,
    RegionError,
    check_region,
)
from app.formats.container import Schema

REGION_KEYS = {"name", "kind", "letterhead", "address", "place", "pokja_position", "logo"}
REGION_TEXT_FIELDS = ("name", "kind", "address", "place", "pokja_position")
# Base64 of the largest logo allowed, so an oversized one is refused before decoding.
LOGO_BASE64_CAP = (LOGO_MAX_BYTES + 2) // 3 * 4
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_PNG = b"\x89PNG\r\n\x1a\n"
MAX_SIDE = 20_000


def check_image(data: bytes) -> None:
    """Raise ``RegionError`` unless ``data`` is a whole PNG (every chunk's CRC right,
    IHDR first, IEND last) or a JPEG (SOI, a frame header, EOI)."""
    bad = RegionError("Logo di dalam paket bukan gambar PNG atau JPEG yang utuh.", "logo")
    if data.startswith(_PNG):
        pos, first, ended = len(_PNG), True, False
        while pos < len(data):
            if ended or pos + 12 > len(data):
                raise bad
            (length,) = struct.unpack(">I", data[pos : pos + 4])
            kind = data[pos + 4 : pos + 8]
            body = data[pos + 8 : pos + 8 + length]
            end = pos + 12 + length
            if end > len(data) or (first and (kind != b"IHDR" or length != 13)):
                raise bad
            (crc,) = struct.unpack(">I", data[end - 4 : end])
            if zlib.crc32(kind + body) != crc:
                raise bad
            if first:
                width, height = struct.unpack(">II", body[:8])
                if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
                    raise bad
            first, ended, pos = False, kind == b"IEND", end
        if not ended:
            raise bad
        return
    if data.startswith(b"\xff\xd8\xff"):
        frame = any(bytes((0xFF, m)) in data for m in (0xC0, 0xC1, 0xC2))
        if not (frame and data.rstrip(b"\x00").endswith(b"\xff\xd9")):
            raise bad
        return
    raise bad


def read_region(v: Any, s: Schema) -> Region:
    """The checked region of a package's ``region`` object (``s.fail`` on anything wrong)."""
    s.obj(v, "region", REGION_KEYS)
    for f in REGION_TEXT_FIELDS:
        s.text(v[f], f"region.{f}", maxlen=MAX_TEXT)
    lines = v["letterhead"]
    if not isinstance(lines, list) or len(lines) > MAX_LETTERHEAD_LINES:
        raise s.fail(f"region.letterhead harus daftar paling banyak {MAX_LETTERHEAD_LINES} baris")
    for line in lines:
        s.text(line, "region.letterhead", maxlen=MAX_TEXT)
    logo_text = v["logo"]
    if not isinstance(logo_text, str) or len(logo_text) > LOGO_BASE64_CAP:
        raise s.fail(f"region.logo harus teks base64 gambar paling besar {LOGO_MAX_BYTES} bita")
    if not _BASE64.fullmatch(logo_text):
        raise s.fail("region.logo bukan base64")
    try:
        logo = base64.b64decode(logo_text, validate=True)
        if logo:
            check_image(logo)
        return check_region(
            Region(
                name=v["name"],
                kind=v["kind"],
                letterhead=tuple(lines),
                address=v["address"],
                place=v["place"],
                pokja_position=v["pokja_position"],
                logo=logo,
            )
        )
    except binascii.Error:
        raise s.fail("region.logo bukan base64") from None
    except RegionError as exc:
        raise s.fail(f"profil wilayah: {exc}") from None


__all__ = ["LOGO_BASE64_CAP", "REGION_KEYS", "check_image", "read_region"]
