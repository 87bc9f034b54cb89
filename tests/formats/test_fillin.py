"""Fill-in workbooks: export, fill with openpyxl (or LibreOffice), import as unsigned data."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from app.formats.fillin import DATA_SHEET, FIRST_ROW, META_SHEET, FillinError, read_workbook
from app.formats.submission import RESAVED
from app.models.schema import ArgAnswer, ImportLog, PlanRow, Submission
from app.services import catalog, provenance
from app.services.fillin_export import export_fillin
from app.services.importer import (
    ACCEPTED,
    DUPLICATE,
    OUTDATED,
    REFUSED,
    SUPERSEDED,
    import_file,
)
from tests.services.submission_helpers import (
    OPD,
    YEAR,
    Pair,
    dump_bytes,
    make_pair,
    opd_parts,
    submit,
)

ERROR_LINE = re.compile(r"^Lembar 'Isian', baris (\d+), kolom ([A-Q]) \(([^)]*\)?)\): .+")


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def blank(pair: Pair, tmp_path: Path) -> Path:
    path = tmp_path / "isian-OPD-001.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, path)
    return path


def fill(src: Path, dst: Path, cells: dict[str, Any], sheet: str = DATA_SHEET) -> Path:
    """What an OPD does in Excel: type values into cells and save."""
    wb = load_workbook(src)
    ws = wb[sheet]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(dst)
    return dst


def keys_of(db: Any, opd: str) -> list[str]:
    with db.begin() as s:
        return [
            r["key"] for r in catalog.dump(s, catalog.get_plan(s), catalog.find_opd(s, opd))["rows"]
        ]


def real(db: Any, key: str) -> dict[str, Any] | None:
    with db.begin() as s:
        rows = catalog.dump(s, catalog.get_plan(s))["rows"]
    row = next(r for r in rows if r["key"] == key)
    return row["realisations"].get(str(YEAR))


def reason_errors(reason: str) -> list[str]:
    return reason.split("\n")[1:]


def measured(db: Any, key: str) -> None:
    """Give a row a measured unit, so a decimal figure on it is not a counting slip."""
    with db.begin() as s:
        s.execute(update(PlanRow).where(PlanRow.key == key).values(satuan="km"))


def test_filled_workbook_imports_as_unsigned(pair: Pair, blank: Path, tmp_path: Path) -> None:
    keys = keys_of(pair.pokja, OPD)
    measured(pair.pokja, keys[1])  # row 6 gets "1.200,5"
    filled = fill(
        blank,
        tmp_path / "terisi.xlsx",
        {
            "J5": 10, "K5": 4, "L5": 5, "M5": 1, "N5": 1_500_000, "O5": 1_250_000,
            "P5": "SK Bupati 12/2023", "Q5": "selesai",
            "J6": "1.200,5",  # Indonesian notation typed as text
            "K7": 3, "L7": 7,  # parts only: total is their sum
            "N8": "Rp 2.000.000",
        },
    )  # fmt: skip
    out = import_file(pair.pokja, filled, user="Pokja Uji")
    assert out.outcome == ACCEPTED, out.reason
    assert "TANPA tanda tangan" in out.reason
    assert "20 baris (4 terisi)" in out.reason
    r0 = real(pair.pokja, keys[0])
    assert r0 is not None
    assert (r0["total"], r0["male"], r0["female"], r0["disabled"]) == ("10", "4", "5", "1")
    assert (r0["budget"], r0["spending"]) == ("1500000", "1250000")
    assert (r0["evidence"], r0["note"]) == ("SK Bupati 12/2023", "selesai")
    assert real(pair.pokja, keys[1])["total"] == "1200.5"  # type: ignore[index]
    assert real(pair.pokja, keys[2])["total"] == "10"  # type: ignore[index]
    assert real(pair.pokja, keys[3])["budget"] == "2000000"  # type: ignore[index]
    assert real(pair.pokja, keys[4]) is None
    with pair.pokja.begin() as s:
        sub = s.scalar(select(Submission).where(Submission.current.is_(True)))
        assert sub is not None
        assert (sub.signature_state, sub.opd_code, sub.year) == ("unsigned", OPD, YEAR)
        content = json.loads(sub.content or "")
        assert content["format"] == "monev-radpug-submission"
        assert content["rows"][0]["realisations"]["0"]["updated_by"] == "Pokja Uji"
        assert provenance.data_source(s, sub.plan_code, OPD, YEAR) == "unsigned"
        assert provenance.data_source(s, sub.plan_code, "OPD-002", YEAR) is None
        log = s.scalars(select(ImportLog)).all()
        assert [x.outcome for x in log] == [ACCEPTED]


def test_same_data_twice_is_duplicate_and_new_data_replaces(
    pair: Pair, blank: Path, tmp_path: Path
) -> None:
    keys = keys_of(pair.pokja, OPD)
    first = fill(blank, tmp_path / "a.xlsx", {"J5": 5})
    assert import_file(pair.pokja, first).outcome == ACCEPTED
    again = import_file(pair.pokja, first)
    assert again.outcome == DUPLICATE
    assert "tanpa tanda tangan" in again.reason
    second = fill(blank, tmp_path / "b.xlsx", {"J6": 7})
    out = import_file(pair.pokja, second)
    assert out.outcome == SUPERSEDED, out.reason
    assert "menggantikan berkas isian sebelumnya" in out.reason
    # The workbook is the whole picture: the row left empty this time is cleared.
    assert real(pair.pokja, keys[0]) is None
    assert real(pair.pokja, keys[1])["total"] == "7"  # type: ignore[index]
    with pair.pokja.begin() as s:
        states = s.execute(
            select(Submission.signature_state, Submission.current).order_by(Submission.id)
        ).all()
    assert [tuple(x) for x in states] == [("unsigned", False), ("unsigned", True)]


def test_every_error_is_listed_with_sheet_row_column_and_nothing_changes(
    pair: Pair, blank: Path, tmp_path: Path
) -> None:
    ok = fill(blank, tmp_path / "ok.xlsx", {"J5": 1})
    assert import_file(pair.pokja, ok).outcome == ACCEPTED
    before = dump_bytes(pair.pokja)
    bad = fill(
        blank,
        tmp_path / "salah.xlsx",
        {
            "L6": "dua",  # not a number
            "J7": 10, "K7": 6, "L7": 6,  # parts (12) do not add up to the total
            "N8": 12.5,  # Rupiah with sen
            "O9": -3,  # negative
            "K10": "=1+1",  # a formula
            "J11": "1,23456",  # too many decimals
            "J5": 1,  # valid line among the bad ones: still nothing is written
        },
    )  # fmt: skip
    out = import_file(pair.pokja, bad)
    assert out.outcome == REFUSED
    errors = reason_errors(out.reason)
    assert len(errors) == 6, out.reason
    assert out.reason.startswith("Buku kerja isian ditolak (6 kesalahan)")
    got = {(ERROR_LINE.match(e).group(1), ERROR_LINE.match(e).group(2)) for e in errors}  # type: ignore[union-attr]
    assert got == {("6", "L"), ("7", "J"), ("8", "N"), ("9", "O"), ("10", "K"), ("11", "J")}
    assert "Lembar 'Isian', baris 6, kolom L (Perempuan): “dua” bukan angka" in out.reason
    assert "baris 10, kolom K (Laki-laki): berisi rumus" in out.reason
    assert "Rincian tidak sesuai" in out.reason
    assert dump_bytes(pair.pokja) == before
    with pair.pokja.begin() as s:
        assert s.scalar(select(func.count()).select_from(Submission)) == 1
        last = s.scalars(select(ImportLog).order_by(ImportLog.id.desc())).first()
        assert last is not None and last.outcome == REFUSED and "baris 6" in last.reason


def test_formula_in_an_input_cell_is_refused(pair: Pair, blank: Path, tmp_path: Path) -> None:
    before = dump_bytes(pair.pokja)
    bad = fill(blank, tmp_path / "rumus.xlsx", {"P5": '=HYPERLINK("http://x","klik")'})
    out = import_file(pair.pokja, bad)
    assert out.outcome == REFUSED
    assert "Lembar 'Isian', baris 5, kolom P (Bukti Dukung): berisi rumus" in out.reason
    assert dump_bytes(pair.pokja) == before


def test_text_that_only_looks_like_a_formula_is_kept_as_text(
    pair: Pair, blank: Path, tmp_path: Path
) -> None:
    wb = load_workbook(blank)
    cell = wb[DATA_SHEET]["Q5"]
    cell.value = "=1+1"
    cell.data_type = "s"  # typed with a leading apostrophe in Excel
    wb.save(tmp_path / "teks.xlsx")
    out = import_file(pair.pokja, tmp_path / "teks.xlsx")
    assert out.outcome == ACCEPTED, out.reason
    assert real(pair.pokja, keys_of(pair.pokja, OPD)[0])["note"] == "=1+1"  # type: ignore[index]


def test_another_opds_keys_are_refused_whole(pair: Pair, blank: Path, tmp_path: Path) -> None:
    other = keys_of(pair.pokja, "OPD-002")
    before = dump_bytes(pair.pokja)
    # The key column and the hidden list swapped for OPD-002's keys, data typed in.
    wb = load_workbook(blank)
    ws, meta = wb[DATA_SHEET], wb[META_SHEET]
    for i in range(3):
        ws[f"A{FIRST_ROW + i}"] = other[i]
        meta[f"A{13 + i}"] = other[i]
    ws["J5"] = 4
    wb.save(tmp_path / "tukar.xlsx")
    out = import_file(pair.pokja, tmp_path / "tukar.xlsx")
    assert out.outcome == REFUSED
    assert "milik Perangkat Daerah lain" in out.reason
    assert "Lembar 'Isian', baris 5, kolom A (Kunci baris)" in out.reason
    assert "baris 7, kolom A" in out.reason
    assert dump_bytes(pair.pokja) == before


def test_rows_pasted_from_another_workbook_are_refused(
    pair: Pair, blank: Path, tmp_path: Path
) -> None:
    other = keys_of(pair.pokja, "OPD-002")
    bad = fill(blank, tmp_path / "tempel.xlsx", {f"A{FIRST_ROW + 1}": other[0], "J6": 1})
    out = import_file(pair.pokja, bad)
    assert out.outcome == REFUSED
    assert "baris 6, kolom A (Kunci baris): kunci" in out.reason
    assert "bukan baris buku kerja ini" in out.reason
    assert "hilang" in out.reason  # the overwritten row's own key is missing now


def test_workbook_relabelled_for_another_opd_is_refused(
    pair: Pair, blank: Path, tmp_path: Path
) -> None:
    bad = fill(blank, tmp_path / "label.xlsx", {"B6": "OPD-002"}, sheet=META_SHEET)
    out = import_file(pair.pokja, bad)
    assert out.outcome == REFUSED
    assert "milik Perangkat Daerah lain, bukan OPD-002" in out.reason


def test_unknown_year_and_changed_header_are_refused(
    pair: Pair, blank: Path, tmp_path: Path
) -> None:
    year = fill(blank, tmp_path / "tahun.xlsx", {"B11": 2031}, sheet=META_SHEET)
    out = import_file(pair.pokja, year)
    assert out.outcome == REFUSED and "Tahun 2031 di luar periode" in out.reason
    header = fill(blank, tmp_path / "judul.xlsx", {"L4": "P"})
    with pytest.raises(FillinError) as exc:
        read_workbook(header)
    assert exc.value.errors == [
        "Lembar 'Isian', baris 4, kolom L: judul kolom diubah (seharusnya 'Perempuan'); "
        "susunan kolom tidak boleh diubah."
    ]


def test_deleted_row_is_refused(pair: Pair, blank: Path, tmp_path: Path) -> None:
    wb = load_workbook(blank)
    wb[DATA_SHEET].delete_rows(FIRST_ROW + 2)
    wb.save(tmp_path / "hapus.xlsx")
    out = import_file(pair.pokja, tmp_path / "hapus.xlsx")
    assert out.outcome == REFUSED
    assert "hilang; baris tidak boleh dihapus" in out.reason


def test_a_plain_workbook_still_gets_the_resaved_message(pair: Pair, tmp_path: Path) -> None:
    from openpyxl import Workbook

    Workbook().save(tmp_path / "lain.xlsx")
    out = import_file(pair.pokja, tmp_path / "lain.xlsx")
    assert (out.outcome, out.reason) == (REFUSED, RESAVED)


def test_dtd_in_a_sheet_is_refused_before_parsing(pair: Pair, blank: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(blank) as zin, zipfile.ZipFile(bomb, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            zout.writestr(info, data)
    out = import_file(pair.pokja, bomb)
    assert out.outcome == REFUSED
    assert "XML yang tidak aman" in out.reason


def test_signed_data_outranks_a_fillin_workbook(pair: Pair, tmp_path: Path) -> None:
    signed = submit(pair, tmp_path / "kiriman.xlsx")
    first = import_file(pair.pokja, signed, accept_new_key=True)
    assert first.outcome == ACCEPTED, first.reason
    parts_before = opd_parts(pair.pokja)
    with pair.pokja.begin() as s:
        answers = s.scalar(select(func.count()).select_from(ArgAnswer))
    assert answers
    before = dump_bytes(pair.pokja)
    # A workbook made before the signed file arrived, even with the flag, changes nothing.
    old = tmp_path / "lama.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, old, now=datetime.now() - timedelta(days=1))
    only_total = {"J5": 99, "K5": None, "L5": None, "M5": None}
    old_filled = fill(old, tmp_path / "lama-isi.xlsx", only_total)
    refused = import_file(pair.pokja, old_filled)
    assert refused.outcome == REFUSED
    # The window's reason has no command-line words; the CLI adds --replace-signed.
    assert "--" not in refused.reason and refused.action == "replace-signed"
    assert import_file(pair.pokja, old_filled, replace_signed=True).outcome == OUTDATED
    assert dump_bytes(pair.pokja) == before
    # Exported after: with the flag it replaces the whole-year figures only.
    new = tmp_path / "baru.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, new, now=datetime.now() + timedelta(seconds=5))
    wb = load_workbook(new)
    assert wb[DATA_SHEET]["J5"].value is not None  # pre-filled with the signed figures
    new_filled = fill(new, tmp_path / "baru-isi.xlsx", only_total)
    out = import_file(pair.pokja, new_filled, replace_signed=True)
    assert out.outcome == SUPERSEDED, out.reason
    assert "kiriman bertanda tangan revisi 1 (atas permintaan Pokja)" in out.reason
    key = keys_of(pair.pokja, OPD)[0]
    assert real(pair.pokja, key)["total"] == "99"  # type: ignore[index]
    # Everything else of the OPD (other rows, proposed targets, ARG answers) is kept.
    after = opd_parts(pair.pokja)
    assert after[1:] == parts_before[1:]
    with pair.pokja.begin() as s:
        assert s.scalar(select(func.count()).select_from(ArgAnswer)) == answers
        assert provenance.data_source(s, catalog.get_plan(s).code, OPD, YEAR) == "unsigned"
    # And a signed file replaces unsigned data again, whatever its date.
    back = import_file(pair.pokja, signed)
    assert back.outcome == SUPERSEDED, back.reason
    assert "menggantikan data berkas isian tanpa tanda tangan" in back.reason
    assert opd_parts(pair.pokja) == parts_before
    with pair.pokja.begin() as s:
        assert provenance.data_source(s, catalog.get_plan(s).code, OPD, YEAR) == "signed"


def test_read_workbook_values(blank: Path, tmp_path: Path) -> None:
    wb = read_workbook(fill(blank, tmp_path / "x.xlsx", {"J5": 2.25, "N5": 1000.0}))
    line = wb.lines[0]
    assert line.breakdown.total == Decimal("2.25")
    assert line.budget == Decimal(1000)
    assert wb.opd_code == OPD and wb.year == YEAR and len(wb.keys) == 20


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_resaved_fillin_still_imports(pair: Pair, blank: Path, tmp_path: Path) -> None:
    measured(pair.pokja, keys_of(pair.pokja, OPD)[1])  # row 6 gets 3.5
    filled = fill(
        blank, tmp_path / "isi.xlsx", {"J5": 12, "K5": 5, "L5": 7, "N5": 2_500_000, "J6": 3.5}
    )
    out_dir = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            str(filled),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = out_dir / filled.name
    with zipfile.ZipFile(resaved) as z:
        assert not any(n.startswith("customXml/") for n in z.namelist())
    wb = load_workbook(resaved)
    assert wb[META_SHEET].sheet_state == "hidden"
    assert wb[DATA_SHEET].column_dimensions["A"].hidden
    out = import_file(pair.pokja, resaved)
    assert out.outcome == ACCEPTED, out.reason
    keys = keys_of(pair.pokja, OPD)
    r0 = real(pair.pokja, keys[0])
    assert r0 is not None
    assert (r0["total"], r0["male"], r0["female"], r0["budget"]) == ("12", "5", "7", "2500000")
    assert real(pair.pokja, keys[1])["total"] == "3.5"  # type: ignore[index]
