"""No received file, however broken or hostile, makes a reader raise anything but a refusal.

Issue 11, item 1. Every public reader of a received file (signed submission, fill-in
workbook, matrix package, public-key file, canonical JSON) raises only
:class:`SubmissionError` (or a subclass, such as ``MatrixError``) so that a batch can
refuse the file and go on. The examples start from valid files and break their structure:
zip header fields, truncation, byte flips, JSON values (re-signed, so that they reach the
checks behind the signature) and sheet cells. Derandomised, so CI sees the same files.
"""

from __future__ import annotations

import logging
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.formats.canonical_json import SubmissionError, parse_canonical
from app.formats.fillin import FillinError, read_workbook
from app.formats.matrix_package import MatrixError, read_matrix
from app.formats.public_key_file import key_from_file, read_public_key_file
from app.formats.refusal import refusing
from app.formats.sheet_scan import MAX_SHEET_ROWS
from app.formats.submission import CONTENT_PART, read_package
from tests.formats.hostile import (
    CENTRAL_FIELDS,
    DATA_SHEET_PART,
    FIELD_VALUES,
    HOSTILE_CELLS,
    HOSTILE_JSON,
    META_SHEET_PART,
    Originals,
    build_originals,
    cell_refs,
    content_of,
    manifest_for,
    matrix_parts,
    matrix_with,
    mutate_json,
    paths,
    records,
    replace_part,
    set_cell,
    set_field,
    signed_with_content,
    with_flag,
)

FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Originals]:
    o = build_originals(tmp_path_factory.mktemp("asli"))
    yield o
    o.pair.dispose()


class Unexpected(logging.Handler):
    """Collects the exceptions the last guard had to turn into a refusal."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.names: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[0] is not None:
            self.names.append(record.exc_info[0].__name__)


@pytest.fixture
def guard_log() -> Iterator[Unexpected]:
    handler = Unexpected()
    logger = logging.getLogger("app.formats")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def refuses_only(read: Callable[[Path], Any], path: Path) -> SubmissionError | None:
    """Run a reader; any exception other than the refusal type fails the test."""
    try:
        read(path)
    except SubmissionError as exc:
        assert str(exc).strip(), "a refusal always says why"
        return exc
    return None


READERS: dict[str, tuple[Callable[[Path], Any], ...]] = {
    "signed": (read_package,),
    "fillin": (read_workbook,),
    "matrix": (read_matrix, key_from_file),
    "key_file": (read_public_key_file, key_from_file),
}


def original(o: Originals, kind: str) -> Path:
    return {"signed": o.signed, "fillin": o.fillin, "matrix": o.matrix, "key_file": o.key_file}[
        kind
    ]


# ------------------------------------------------------------------ the rules found first
def test_an_encrypted_zip_entry_is_refused_from_the_directory(
    originals: Originals, tmp_path: Path
) -> None:
    for kind, part in (
        ("signed", CONTENT_PART),
        ("signed", "xl/workbook.xml"),
        ("fillin", DATA_SHEET_PART),
        ("matrix", "manifest.json"),
    ):
        bad = with_flag(original(originals, kind), tmp_path / f"enkripsi-{kind}.zip", part, 0x1)
        for read in READERS[kind]:
            with pytest.raises(SubmissionError, match="terenkripsi"):
                read(bad)


def test_an_integer_beyond_the_int_string_limit_is_refused(
    originals: Originals, tmp_path: Path
) -> None:
    huge = b"9" * 5000
    content = mutate_json(content_of(originals), ("revision",), "replace", huge)
    signed = signed_with_content(originals, content, tmp_path / "panjang.xlsx")
    with pytest.raises(SubmissionError, match="terlalu panjang"):
        read_package(signed)
    manifest, data = matrix_parts(originals)
    bad = matrix_with(
        originals,
        tmp_path / "panjang.monevmatriks",
        manifest=mutate_json(manifest, ("row_count",), "replace", huge),
        data=data,
    )
    with pytest.raises(MatrixError) as refused:
        read_matrix(bad)
    assert "tak terduga" not in str(refused.value)  # refused by rule, not by the last guard
    with pytest.raises(SubmissionError, match="terlalu panjang"):
        parse_canonical(b'{"a":' + huge + b"}")


def test_lone_surrogates_and_deep_nesting_are_refused() -> None:
    for data in (b'{"a":"\\ud800"}', b'{"a":' + b"[" * 5000 + b"]" * 5000 + b"}"):
        with pytest.raises(SubmissionError):
            parse_canonical(data)


def test_odd_zip_methods_and_part_names_are_refused(originals: Originals, tmp_path: Path) -> None:
    data = originals.matrix.read_bytes()
    for value in (12, 14, 99):  # bzip2, lzma, a method nobody defined
        bad = tmp_path / f"metode-{value}.monevmatriks"
        with zipfile.ZipFile(originals.matrix) as zf:
            info = zf.getinfo("manifest.json")
        out = set_field(data, info.header_offset + 8, "<H", value)
        for at, fields in records(out):
            if fields is CENTRAL_FIELDS and out[at + 46 : at + 59] == b"manifest.json":
                out = set_field(out, at + 10, "<H", value)
        bad.write_bytes(out)
        with pytest.raises(MatrixError, match="dimampatkan dengan cara yang tidak dikenal"):
            read_matrix(bad)
    for name in ("../manifest.json", "/abs.json", "a\\b.json"):
        bad = tmp_path / "nama.monevmatriks"
        with zipfile.ZipFile(originals.matrix) as zin, zipfile.ZipFile(bad, "w") as zout:
            for info in zin.infolist():
                zout.writestr(info.filename, zin.read(info))
            zout.writestr(name, b"{}")
        with pytest.raises(MatrixError, match="bernama tidak sah"):
            read_matrix(bad)


def test_an_unforeseen_error_becomes_a_logged_refusal(guard_log: Unexpected) -> None:
    @refusing(MatrixError)
    def reader(_path: Path) -> None:
        raise KeyError("lembar")

    with pytest.raises(MatrixError, match=r"kesalahan tak terduga: KeyError\); berkas ditolak"):
        reader(Path("x"))
    assert guard_log.names == ["KeyError"]


def test_matrix_error_is_the_refusal_type() -> None:
    assert issubclass(MatrixError, SubmissionError)


# ------------------------------------------------------------------ fill-in rows (item 10)
def test_rows_below_the_declared_dimension_are_read(originals: Originals, tmp_path: Path) -> None:
    """A row beyond ``<dimension>`` used to be skipped without a word."""
    added = (
        b'<row r="60"><c r="A60" t="inlineStr"><is><t>tambahan</t></is></c>'
        b'<c r="J60"><v>5</v></c></row>'
    )
    bad = replace_part(
        originals.fillin,
        tmp_path / "di-luar-dimensi.xlsx",
        DATA_SHEET_PART,
        lambda d: d.replace(b"</sheetData>", added + b"</sheetData>"),
    )
    with pytest.raises(FillinError, match=r"baris 60, kolom A.*'tambahan'"):
        read_workbook(bad)


def test_a_declared_million_rows_is_refused_before_parsing(
    originals: Originals, tmp_path: Path
) -> None:
    last = b'<row r="1000000"><c r="B1000000" t="inlineStr"><is><t>x</t></is></c></row>'

    def declare(d: bytes) -> bytes:
        d = d.replace(b'<dimension ref="A1:Q', b'<dimension ref="A1:Q1000000" x="', 1)
        return d.replace(b"</sheetData>", last + b"</sheetData>")

    for part in (DATA_SHEET_PART, META_SHEET_PART):
        bad = replace_part(originals.fillin, tmp_path / "sejuta.xlsx", part, declare)
        assert bad.stat().st_size < 20_000
        started = time.perf_counter()
        with pytest.raises(SubmissionError, match=f"paling banyak {MAX_SHEET_ROWS:,} baris"):
            read_workbook(bad)
        # A functional bound, not a benchmark: walking a million rows took 4.5 s.
        assert time.perf_counter() - started < 1.5


# ------------------------------------------------------------------ the fuzz
@FUZZ
@given(data=st.data())
def test_zip_structure_mutations_are_refused_or_read(
    originals: Originals, tmp_path: Path, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(sorted(READERS)), label="kind")
    raw = original(originals, kind).read_bytes()
    how = data.draw(st.sampled_from(["field", "field", "truncate", "flip", "junk"]), label="how")
    if how == "field" and records(raw):
        at, fields = data.draw(st.sampled_from(records(raw)), label="record")
        name = data.draw(st.sampled_from(sorted(fields)), label="field")
        offset, fmt = fields[name]
        value = data.draw(st.sampled_from(FIELD_VALUES) | st.integers(0, 0xFFFF), label="value")
        raw = set_field(raw, at + offset, fmt, value, xor=data.draw(st.booleans(), label="xor"))
    elif how == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="cut")]
    elif how == "flip":
        for _ in range(data.draw(st.integers(1, 4), label="flips")):
            at = data.draw(st.integers(0, len(raw) - 1), label="at")
            raw = raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255))]) + raw[at + 1 :]
    else:
        at = data.draw(st.integers(0, len(raw)), label="at")
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=64), label="junk") + raw[at:]
    path = tmp_path / f"mutasi.{kind}"
    path.write_bytes(raw)
    for read in READERS[kind]:
        refuses_only(read, path)


@FUZZ
@given(data=st.data())
def test_signed_json_mutations_are_refused(
    originals: Originals, tmp_path: Path, data: st.DataObject
) -> None:
    """Hostile values behind a valid signature reach the schema check, and stop there."""
    kind = data.draw(st.sampled_from(["submission", "manifest", "matrix-data"]), label="kind")
    content = content_of(originals)
    manifest, matrix_data = matrix_parts(originals)
    source = {"submission": content, "manifest": manifest, "matrix-data": matrix_data}[kind]
    where = data.draw(st.sampled_from(paths(parse_canonical(source))), label="path")
    op = data.draw(st.sampled_from(["replace", "replace", "replace", "delete", "sibling"]))
    token = data.draw(st.sampled_from(HOSTILE_JSON), label="token")
    mutated = mutate_json(source, where, op, token)
    if kind == "submission":
        path = signed_with_content(originals, mutated, tmp_path / "kiriman.xlsx")
        readers: tuple[Callable[[Path], Any], ...] = (read_package,)
    else:
        if kind == "manifest":
            parts = {"manifest": mutated, "data": matrix_data}
        else:
            parts = {"manifest": manifest_for(manifest, mutated), "data": mutated}
        path = matrix_with(originals, tmp_path / "paket.monevmatriks", **parts)
        readers = (read_matrix, key_from_file)
    for read in readers:
        refuses_only(read, path)


@FUZZ
@given(data=st.data())
def test_key_file_mutations_are_refused(
    originals: Originals, tmp_path: Path, data: st.DataObject
) -> None:
    source = originals.key_file.read_bytes().strip()
    where = data.draw(st.sampled_from(paths(parse_canonical(source))), label="path")
    op = data.draw(st.sampled_from(["replace", "delete", "sibling"]), label="op")
    token = data.draw(st.sampled_from(HOSTILE_JSON), label="token")
    path = tmp_path / "kunci.monevkunci"
    path.write_bytes(mutate_json(source, where, op, token))
    for read in READERS["key_file"]:
        refuses_only(read, path)


@FUZZ
@given(data=st.data())
def test_sheet_cell_mutations_are_refused_or_read(
    originals: Originals, tmp_path: Path, data: st.DataObject
) -> None:
    """Odd numbers and cell types in the fill-in's input cells and its hidden sheet."""
    part = data.draw(st.sampled_from([DATA_SHEET_PART, DATA_SHEET_PART, META_SHEET_PART]))
    with zipfile.ZipFile(originals.fillin) as zf:
        sheet = zf.read(part)
    refs = cell_refs(sheet)
    if part == DATA_SHEET_PART:
        refs = [r for r in refs if r[0] in "AJKLMNOPQ" and int(r[1:]) >= 4]
    changes = data.draw(
        st.lists(st.tuples(st.sampled_from(refs), st.sampled_from(HOSTILE_CELLS)), max_size=3),
        label="cells",
    )
    if data.draw(st.booleans(), label="dimension"):
        sheet = sheet.replace(b'<dimension ref="', b'<dimension ref="A1:B2" x="', 1)
    for ref, xml in changes:
        sheet = set_cell(sheet, ref, xml)
    path = replace_part(originals.fillin, tmp_path / "isian.xlsx", part, lambda _d: sheet)
    refuses_only(read_workbook, path)


@FUZZ
@given(data=st.data())
def test_xml_structure_mutations_are_refused_or_read(
    originals: Originals, tmp_path: Path, data: st.DataObject
) -> None:
    """XML parts cut, elements dropped or doubled (the zip stays valid)."""
    kind = data.draw(st.sampled_from(["signed", "fillin"]), label="kind")
    src = original(originals, kind)
    with zipfile.ZipFile(src) as zf:
        names = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
        part = data.draw(st.sampled_from(names), label="part")
        xml = zf.read(part)
    how = data.draw(st.sampled_from(["cut", "drop", "double", "rename"]), label="how")
    tags = sorted(set(re.findall(rb"<([A-Za-z:]+)[ />]", xml)))
    tag = data.draw(st.sampled_from(tags), label="tag") if tags else b"x"
    element = re.compile(rb"<" + tag + rb"\b[^>]*?(?:/>|>.*?</" + tag + rb">)", re.S)
    if how == "cut":
        xml = xml[: data.draw(st.integers(0, len(xml)), label="cut")]
    elif how == "drop":
        xml = element.sub(b"", xml, count=1)
    elif how == "double":
        xml = element.sub(lambda m: m[0] + m[0], xml, count=1)
    else:
        xml = xml.replace(b"<" + tag, b"<zz" + tag, 1)
    path = replace_part(src, tmp_path / f"xml.{kind}.xlsx", part, lambda _d: xml)
    for read in READERS[kind]:
        refuses_only(read, path)
