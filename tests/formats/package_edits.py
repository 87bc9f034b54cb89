"""Edits of a signed package as an attacker would make them: the zip stays sound.

Each edit re-zips every part with fresh CRCs, so only the signed manifest can tell.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

MATRIKS = "xl/worksheets/sheet1.xml"  # "Matriks", the plan-and-realisation table


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rezip(parts: dict[str, bytes], out: Path) -> Path:
    """A sound zip (fresh CRCs) holding ``parts`` in order."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


def edited(src: Path, out: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    parts = parts_of(src)
    new = edit(parts[part])
    assert new != parts[part], "the edit must change the part"
    parts[part] = new
    return rezip(parts, out)


def set_cell(xml: bytes, ref: str, cell: str) -> bytes:
    """Replace the <c> element ``ref`` (which must exist) with ``cell``."""
    text = xml.decode()
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', re.DOTALL)
    assert pattern.search(text), ref
    return pattern.sub(lambda _m: cell, text, count=1).encode()


def number_cell(ref: str, value: int) -> str:
    return f'<c r="{ref}" s="11" t="n"><v>{value}</v></c>'


def with_number(src: Path, out: Path, ref: str, value: int) -> Path:
    """``src`` with the Matriks cell ``ref`` showing ``value``."""
    return edited(src, out, MATRIKS, lambda x: set_cell(x, ref, number_cell(ref, value)))
