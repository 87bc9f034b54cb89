"""Shrink the ICU data library that Qt Core links on Linux (libicudata.so.NN, 32 MB).

PySide6's Linux wheel carries ICU, and all of ICU's data sits in one shared library that
exports one symbol, ``icudtNN_dat``: a "common data" package (a table of contents, then
items such as ``icudt73l/coll/root.res``). Qt Core calls only four corners of ICU (found
with ``nm -D --undefined-only libQt6Core.so.6``): case mapping (``u_strToUpper``, whose
tables are compiled into libicuuc), collation (``ucol_*``: the ``coll/`` tree), time zone
names (``ucal_*``: the ``zone/`` tree and the zone tables at the top) and legacy code page
converters (``ucnv_*``: the ``.cnv`` files). The app reads and writes UTF-8 only and never
asks Qt for a code page, and Qt's own CLDR tables (not ICU's) format numbers and dates.

So the slim package keeps the top-level tables, the ``coll/`` and ``zone/`` trees, and of
the per-locale bundles only the root, English and Indonesian ones (the others fall back
to root, which ICU does for any locale it lacks). Left out: the other locales, the trees
Qt never opens (word-break dictionaries, transliteration, spelled-out numbers, unit,
currency, language and region names) and the code page converters. 32 MB becomes 3.3.

ICU finds an item by binary search over the table of contents, so the kept items stay in
their order. The library is rewritten, not rebuilt (no C compiler needed): the data is the
last thing in its read-only segment, so the bytes after it (the ``.dynamic`` section, the
section headers) move down by whole pages, which keeps every offset/address pair aligned.
Anything that does not look like that layout is left as it is.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

PAGE = 0x1000
# Trees (second path component) Qt's ICU calls read; the other trees are never opened.
TREES_KEPT = frozenset({"coll", "zone"})
# Locale bundles kept in the trees and at the top: root, English and Indonesian ("in" is
# ICU's old code for Indonesian, still aliased).
LOCALES_KEPT = re.compile(r"(root|en|id|in)(_\w+)?\.res")
LOCALE_BUNDLE = re.compile(r"([a-z]{2,3}|root)(_\w+)?\.res")
# Not locales although they look like one.
INDEXES = frozenset({"res_index.res", "pool.res"})


def keep_item(name: str) -> bool:
    """Whether the slim package keeps ``name`` (``icudt73l/coll/root.res``)."""
    parts = name.split("/")[1:]
    base = parts[-1]
    if len(parts) > 1 and parts[0] not in TREES_KEPT:
        return False
    if base.endswith((".cnv", ".dict")):
        return False
    if base in INDEXES or not LOCALE_BUNDLE.fullmatch(base):
        return True
    return LOCALES_KEPT.fullmatch(base) is not None


@dataclass(frozen=True)
class CommonData:
    """An ICU common data package: its header and its items in table order."""

    header: bytes
    items: list[tuple[str, bytes]]

    @classmethod
    def parse(cls, data: bytes) -> CommonData:
        header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
        if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD" or data[6] != 0:
            raise ValueError("not a little-endian ICU common data package")
        toc = data[header_size:]
        (count,) = struct.unpack_from("<I", toc, 0)
        entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
        items = []
        for i, (name_at, data_at) in enumerate(entries):
            name = toc[name_at : toc.index(b"\0", name_at)].decode("ascii")
            end = entries[i + 1][1] if i + 1 < count else len(toc)
            items.append((name, toc[data_at:end]))
        return cls(data[:header_size], items)

    def to_bytes(self) -> bytes:
        count = len(self.items)
        names = b"".join(n.encode("ascii") + b"\0" for n, _ in self.items)
        table_end = 4 + 8 * count
        data_at = _align(table_end + len(names), 16)
        entries, blobs, name_at = [], [], table_end
        for name, blob in self.items:
            entries.append(struct.pack("<II", name_at, data_at))
            name_at += len(name) + 1
            padded = blob.ljust(_align(len(blob), 16), b"\0")
            blobs.append(padded)
            data_at += len(padded)
        head = struct.pack("<I", count) + b"".join(entries) + names
        return self.header + head.ljust(_align(len(head), 16), b"\0") + b"".join(blobs)

    def slimmed(self) -> CommonData:
        return CommonData(self.header, [(n, b) for n, b in self.items if keep_item(n)])


def _align(n: int, to: int) -> int:
    return (n + to - 1) // to * to


# ELF64 little-endian layouts (elf.h): program header, section header, symbol, dynamic.
_PHDR = struct.Struct("<IIQQQQQQ")
_SHDR = struct.Struct("<IIQQQQIIQQ")
_SYM = struct.Struct("<IBBHQQ")
_DYN = struct.Struct("<qQ")
_SHT_DYNSYM, _PT_LOAD, _PT_DYNAMIC = 11, 1, 2
# Dynamic tags whose value is an address (the others are sizes, flags or string offsets).
_DT_ADDRESSES = {3, 4, 5, 6, 7, 12, 13, 17, 23, 25, 26, 0x6FFFFEF5, 0x6FFFFFF0, 0x6FFFFFFC}
_DT_RELOCATIONS = {7, 17, 23}  # RELA, REL, JMPREL: a data library has none to move


@dataclass(frozen=True)
class _Elf:
    raw: bytearray
    phoff: int
    phnum: int
    shoff: int
    shnum: int

    @classmethod
    def read(cls, raw: bytes) -> _Elf:
        if raw[:4] != b"\x7fELF" or raw[4] != 2 or raw[5] != 1:
            raise ValueError("not a 64-bit little-endian ELF file")
        phoff, shoff = struct.unpack_from("<QQ", raw, 0x20)
        phnum, _, shnum = struct.unpack_from("<HHH", raw, 0x38)
        return cls(bytearray(raw), phoff, phnum, shoff, shnum)

    def table(self, fmt: struct.Struct, at: int, n: int) -> list[list[int]]:
        return [list(fmt.unpack_from(self.raw, at + i * fmt.size)) for i in range(n)]

    def put(self, fmt: struct.Struct, at: int, rows: list[list[int]]) -> None:
        for i, row in enumerate(rows):
            fmt.pack_into(self.raw, at + i * fmt.size, *row)


def data_symbol(raw: bytes) -> tuple[int, int]:
    """File offset and size of ICU's ``icudtNN_dat`` in a data library."""
    elf = _Elf.read(raw)
    sections = elf.table(_SHDR, elf.shoff, elf.shnum)
    for sh in sections:
        if sh[1] != _SHT_DYNSYM:
            continue
        names = sections[sh[6]]
        for sym in elf.table(_SYM, sh[4], sh[5] // _SYM.size):
            name_at = names[4] + sym[0]
            name = raw[name_at : raw.index(b"\0", name_at)].decode("ascii")
            if re.fullmatch(r"icudt\d+_dat", name) and sym[3]:
                target = sections[sym[3]]
                return target[4] + sym[4] - target[3], sym[5]
    raise ValueError("no icudtNN_dat symbol")


def shrink_library(raw: bytes, new_data: bytes) -> bytes:
    """The library with its ICU data replaced by ``new_data`` and the freed whole pages cut
    out; ``ValueError`` if the layout is not the one this relies on."""
    elf = _Elf.read(raw)
    data_at, old_size = data_symbol(raw)
    end = data_at + old_size
    phdrs = elf.table(_PHDR, elf.phoff, elf.phnum)
    sections = elf.table(_SHDR, elf.shoff, elf.shnum)
    # Whole multiples of the largest segment alignment keep offset ≡ address (mod align).
    align = max([PAGE, *(p[7] for p in phdrs if p[0] == _PT_LOAD)])
    cut = (old_size - len(new_data)) // align * align
    if cut <= 0:
        raise ValueError("the new data is not smaller by a page")
    holder = [p for p in phdrs if p[0] == _PT_LOAD and p[2] <= data_at < p[2] + p[5]]
    if len(holder) != 1 or holder[0][2] + holder[0][5] != end or elf.shoff < end:
        raise ValueError("the ICU data is not the end of its segment")
    if not any(sh[4] == data_at and sh[5] == old_size for sh in sections):
        raise ValueError("the ICU data is not a whole section")
    end_addr = holder[0][3] + end - holder[0][2]
    for p in phdrs:
        if p[2] >= end:
            p[2], p[3], p[4] = p[2] - cut, p[3] - cut, p[4] - cut
        elif p is holder[0]:
            p[5], p[6] = p[5] - cut, p[6] - cut
    dynamic = [p for p in phdrs if p[0] == _PT_DYNAMIC]
    for sh in sections:
        if sh[4] == data_at and sh[5] == old_size:
            sh[5] -= cut
        elif sh[4] >= end:
            sh[4] -= cut
            sh[3] -= cut if sh[3] >= end_addr else 0
    elf.put(_PHDR, elf.phoff, phdrs)
    elf.put(_SHDR, elf.shoff, sections)
    _shrink_symbol(elf, sections, old_size, old_size - cut)
    out = elf.raw
    body = new_data.ljust(old_size - cut, b"\0")
    out[:] = out[:data_at] + body + out[end:]
    struct.pack_into("<Q", out, 0x28, elf.shoff - cut)
    for p in dynamic:
        _move_dynamic(out, p[2], p[5] // _DYN.size, end_addr, cut)
    return bytes(out)


def _shrink_symbol(elf: _Elf, sections: list[list[int]], old: int, new: int) -> None:
    for sh in sections:
        if sh[1] == _SHT_DYNSYM:
            syms = elf.table(_SYM, sh[4], sh[5] // _SYM.size)
            for sym in syms:
                if sym[3] and sym[5] == old:
                    sym[5] = new
            elf.put(_SYM, sh[4], syms)


def _move_dynamic(out: bytearray, at: int, n: int, end_addr: int, cut: int) -> None:
    for i in range(n):
        tag, value = _DYN.unpack_from(out, at + i * _DYN.size)
        if tag in _DT_RELOCATIONS:
            raise ValueError("the data library has relocations")
        if tag in _DT_ADDRESSES and value >= end_addr:
            _DYN.pack_into(out, at + i * _DYN.size, tag, value - cut)


def slim_icu_data(library: Path) -> tuple[float, float] | None:
    """Rewrite ``library`` with the slim ICU package; MB before and after, or None when
    it is not an ICU data library laid out as expected (then it is left untouched)."""
    raw = library.read_bytes()
    try:
        at, size = data_symbol(raw)
        common = CommonData.parse(raw[at : at + size])
        new = shrink_library(raw, common.slimmed().to_bytes())
    except ValueError:
        return None
    # A new file, not the old one truncated: were the bundle's copy a hard link into
    # PyInstaller's binary cache, the cache would otherwise be slimmed too.
    tmp = library.with_name(library.name + ".slim")
    tmp.write_bytes(new)
    shutil.copymode(library, tmp)
    os.replace(tmp, library)
    return len(raw) / 1e6, len(new) / 1e6
