"""Valid files of every received kind, and structural mutations of them (issue 11, item 1).

Used by ``test_hostile_files.py`` (the readers) and by the batch tests in
``tests/services`` and ``tests/cli``. Mutations are structural, not random noise only:
zip header fields (local, central, end of directory), truncation, byte flips, JSON values
replaced by hostile ones and re-signed (so they reach the schema check behind the
signature), and sheet cells rewritten with odd numbers and types.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.formats import keys
from app.formats.canonical_json import canonical_bytes, parse_canonical
from app.formats.container import signature_part
from app.formats.matrix_package import (
    DATA_PART,
    MANIFEST_PART,
    SIGNATURE_PART,
    data_version_of,
)
from app.formats.public_key_file import write_public_key_file
from app.formats.submission import CONTENT_PART, copy_without_parts, sign_package
from app.services.fillin_export import export_fillin
from app.services.matrix_export import export_matrix
from tests.services.submission_helpers import OPD, YEAR, Pair, make_pair, submit

PLAN = "SYN-2022-2024"
DATA_SHEET_PART = "xl/worksheets/sheet2.xml"  # "Isian" in the fill-in writer's order
META_SHEET_PART = "xl/worksheets/sheet3.xml"  # "Monev"


@dataclass
class Originals:
    """One valid file of each kind, with what it takes to re-sign a mutated one."""

    folder: Path
    pair: Pair
    signed: Path
    fillin: Path
    matrix: Path
    key_file: Path

    @property
    def key(self) -> keys.SigningKey:
        return self.pair.key


def build_originals(folder: Path) -> Originals:
    folder.mkdir(parents=True, exist_ok=True)
    pair = make_pair(folder / "db", rows=40)
    signed = submit(pair, folder / "kiriman.xlsx")
    fillin = folder / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, fillin)
    matrix = export_matrix(pair.pokja, PLAN, pair.key, folder / "m.monevmatriks").path
    key_file = write_public_key_file(pair.key.public, folder / "pokja.monevkunci")
    return Originals(folder, pair, signed, fillin, matrix, key_file)


# ------------------------------------------------------------------ zip structure
# (offset in the record, struct format) of the fields worth breaking.
LOCAL_FIELDS = {
    "version": (4, "<H"),
    "flags": (6, "<H"),
    "method": (8, "<H"),
    "crc": (14, "<I"),
    "compressed": (18, "<I"),
    "size": (22, "<I"),
    "name_len": (26, "<H"),
    "extra_len": (28, "<H"),
}
CENTRAL_FIELDS = {
    "made_by": (4, "<H"),
    "version": (6, "<H"),
    "flags": (8, "<H"),
    "method": (10, "<H"),
    "crc": (16, "<I"),
    "compressed": (20, "<I"),
    "size": (24, "<I"),
    "name_len": (28, "<H"),
    "extra_len": (30, "<H"),
    "comment_len": (32, "<H"),
    "disk": (34, "<H"),
    "offset": (42, "<I"),
}
END_FIELDS = {
    "disk": (4, "<H"),
    "entries_disk": (8, "<H"),
    "entries": (10, "<H"),
    "dir_size": (12, "<I"),
    "dir_offset": (16, "<I"),
    "comment_len": (20, "<H"),
}
RECORDS = {b"PK\x03\x04": LOCAL_FIELDS, b"PK\x01\x02": CENTRAL_FIELDS, b"PK\x05\x06": END_FIELDS}
FIELD_VALUES = (0, 1, 0x8, 0x9, 0x41, 12, 14, 99, 0x7FFF, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF)


def records(data: bytes) -> list[tuple[int, dict[str, tuple[int, str]]]]:
    """Every (offset, field table) of a zip record signature found in ``data``."""
    found = []
    for sig, fields in RECORDS.items():
        for m in re.finditer(re.escape(sig), data):
            found.append((m.start(), fields))
    return sorted(found, key=lambda r: r[0])


def set_field(data: bytes, at: int, fmt: str, value: int, *, xor: bool = False) -> bytes:
    size = struct.calcsize(fmt)
    if at + size > len(data):
        return data
    value &= (1 << (8 * size)) - 1
    if xor:
        value ^= struct.unpack_from(fmt, data, at)[0]
    return data[:at] + struct.pack(fmt, value) + data[at + size :]


def replace_part(src: Path, dst: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """``src`` rewritten with one part's bytes changed (a valid zip, CRCs recomputed)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, change(data) if info.filename == part else data)
    return dst


def with_flag(src: Path, dst: Path, part: str, flag: int) -> Path:
    """``src`` with a general-purpose flag bit set on ``part`` in both headers."""
    data = src.read_bytes()
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(part)
    local = info.header_offset
    out = set_field(data, local + 6, "<H", flag, xor=True)
    name = part.encode()
    for m in re.finditer(re.escape(b"PK\x01\x02"), out):
        if out[m.start() + 46 : m.start() + 46 + len(name)] == name:
            out = set_field(out, m.start() + 8, "<H", flag, xor=True)
    dst.write_bytes(out)
    return dst


# ------------------------------------------------------------------ JSON values
HOSTILE_JSON: tuple[bytes, ...] = (
    b"9" * 5000,  # beyond Python's int-string limit
    b"-" + b"9" * 45,
    b"1e400",
    b"-0",
    b"1.5",
    b"NaN",
    b"Infinity",
    b"[" * 3000 + b"]" * 3000,  # deeper than the recursion limit
    b"[" * 200 + b"]" * 200,
    b'"\\ud800"',  # a lone surrogate: no UTF-8 form
    b'"\\udfff\\ud800"',
    b'"\\u0000\\u001b[2J\\u202e"',
    '"\u202egnp.exe\u2066"'.encode(),
    b'"' + b"x" * 20_000 + b'"',
    b"null",
    b"true",
    b"false",
    b"{}",
    b"[]",
    b'{"a":1}',
    b"[null]",
    b'["x",1]',
    b"0",
    b"-1",
    b"2147483648",
    b"18446744073709551616",
    b'""',
    b'"0"',
    b'"-0"',
    b'"1E+308"',
    b'"NaN"',
    b'"99999999999999999999999"',
    b'"2099-12-31T23:59:59+14:00"',
    b'"9999-99-99"',
    b'"../../etc/passwd"',
)
SENTINEL = "@@mutasi@@"


def paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (dict keys and list indexes)."""
    out = [here] if here else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*here, i))
    return out


def mutate_json(data: bytes, path: tuple[Any, ...], op: str, token: bytes) -> bytes:
    """Canonical ``data`` with the value at ``path`` replaced, deleted or given a sibling."""
    value = parse_canonical(data)
    parent: Any = value
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if op == "delete":
        del parent[last]
        return canonical_bytes(value)
    if op == "sibling" and isinstance(parent, dict):
        parent["zz-tak-dikenal"] = SENTINEL
    else:
        parent[last] = SENTINEL
    return canonical_bytes(value).replace(f'"{SENTINEL}"'.encode(), token, 1)


def signed_with_content(o: Originals, content: bytes, out: Path) -> Path:
    """A submission whose (possibly hostile) content bytes are signed by the OPD's key."""
    copy_without_parts(o.signed, out)
    sign_package(out, content, o.key)
    return out


def matrix_with(o: Originals, out: Path, *, manifest: bytes, data: bytes) -> Path:
    """A package of the given parts, its manifest signed by Pokja's key."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST_PART, manifest)
        zf.writestr(DATA_PART, data)
        zf.writestr(SIGNATURE_PART, signature_part(o.key, manifest))
    return out


def matrix_parts(o: Originals) -> tuple[bytes, bytes]:
    with zipfile.ZipFile(o.matrix) as zf:
        return zf.read(MANIFEST_PART), zf.read(DATA_PART)


def manifest_for(manifest: bytes, data: bytes) -> bytes:
    """The manifest with its data version made to match ``data`` (so data mutations reach
    the data's own checks instead of stopping at the hash)."""
    m = parse_canonical(manifest)
    m["data_version"] = data_version_of(data)
    return canonical_bytes(m)


def content_of(o: Originals) -> bytes:
    with zipfile.ZipFile(o.signed) as zf:
        return zf.read(CONTENT_PART)


# ------------------------------------------------------------------ sheet cells
HOSTILE_CELLS: tuple[str, ...] = (
    '<c r="{ref}"><v>1E+308</v></c>',
    '<c r="{ref}"><v>-1E+308</v></c>',
    '<c r="{ref}"><v>1E+309</v></c>',
    '<c r="{ref}"><v>NaN</v></c>',
    '<c r="{ref}"><v>INF</v></c>',
    '<c r="{ref}"><v>-INF</v></c>',
    '<c r="{ref}"><v>-0</v></c>',
    '<c r="{ref}"><v>4.9E-324</v></c>',
    '<c r="{ref}"><v>' + "9" * 5000 + "</v></c>",
    '<c r="{ref}"><v>' + "1" * 400 + ".5</v></c>",
    '<c r="{ref}"><v>abc</v></c>',
    '<c r="{ref}"><v></v></c>',
    '<c r="{ref}" t="n"><v>0x10</v></c>',
    '<c r="{ref}" t="e"><v>#DIV/0!</v></c>',
    '<c r="{ref}" t="e"><v>#N/A</v></c>',
    '<c r="{ref}" t="b"><v>1</v></c>',
    '<c r="{ref}" t="b"><v>2</v></c>',
    '<c r="{ref}" t="b"><v>benar</v></c>',
    '<c r="{ref}" t="s"><v>0</v></c>',
    '<c r="{ref}" t="s"><v>99999</v></c>',  # no shared-strings part at all
    '<c r="{ref}" t="s"><v>-1</v></c>',
    '<c r="{ref}" t="d"><v>2023-13-45</v></c>',
    '<c r="{ref}" t="d"><v>9999-12-31T23:59:59</v></c>',
    '<c r="{ref}" t="str"><v>1E+308</v></c>',
    '<c r="{ref}" t="inlineStr"><is><t>NaN</t></is></c>',
    '<c r="{ref}" t="inlineStr"><is><t>1E+308</t></is></c>',
    '<c r="{ref}" t="inlineStr"><is><t>\u202e\u0085 x</t></is></c>',
    '<c r="{ref}" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>',
    '<c r="{ref}" t="inlineStr"></c>',
    '<c r="{ref}" t="zz"><v>1</v></c>',
    '<c r="{ref}"><f>1/0</f><v>5</v></c>',
    '<c r="{ref}" s="9999"><v>5</v></c>',  # a style that does not exist
    '<c r="{ref}" s="-1"><v>5</v></c>',
    '<c r="{ref}"><v>5</v><v>6</v></c>',
    '<c r="XFD1048576"><v>5</v></c>',
    '<c r="A0"><v>5</v></c>',
    '<c r="{ref}{ref}"><v>5</v></c>',
    "<c><v>5</v></c>",
    "<c/>",
)
CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)


def cell_refs(sheet: bytes) -> list[str]:
    return [f"{m[1].decode()}{m[2].decode()}" for m in CELL.finditer(sheet)]


def set_cell(sheet: bytes, ref: str, xml: str) -> bytes:
    """The sheet with the cell ``ref`` replaced by ``xml`` (``{ref}`` filled in)."""
    col, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()  # type: ignore[union-attr]
    pattern = re.compile(rb'<c r="' + (col + row).encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    new = xml.replace("{ref}", ref).encode()
    return pattern.sub(lambda _m: new, sheet, count=1)
