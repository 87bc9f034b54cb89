"""``fillin`` exports the workbook; the ordinary ``import`` takes it back as unsigned data."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.__main__ import main
from app.formats.fillin import DATA_SHEET, FIRST_ROW
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.services.seeding import load_plan_data


def _db(path: Path) -> Path:
    db = open_database(path)
    load_plan_data(db, synthetic_plan(40, opds=2))
    db.dispose()
    return path


def test_export_fill_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(tmp_path / "pokja.sqlite")
    out = tmp_path / "isian.xlsx"
    args = ["fillin", "--db", str(db), "--opd", "OPD-001", "--year", "2023", "--xlsx", str(out)]
    assert main(args) == 0
    assert "Buku kerja isian OPD-001 tahun 2023 (20 baris) ditulis" in capsys.readouterr().out
    assert not list(tmp_path.glob(".*.tmp"))
    wb = load_workbook(out)
    wb[DATA_SHEET][f"J{FIRST_ROW}"] = 4
    wb[DATA_SHEET][f"K{FIRST_ROW + 1}"] = "tiga"
    wb.save(tmp_path / "salah.xlsx")
    wb[DATA_SHEET][f"K{FIRST_ROW + 1}"] = 3
    wb.save(tmp_path / "benar.xlsx")

    assert main(["import", "--db", str(db), str(tmp_path / "salah.xlsx")]) == 1
    printed = capsys.readouterr().out
    assert printed.startswith("DITOLAK\tsalah.xlsx\tBuku kerja isian ditolak (1 kesalahan)")
    assert "Lembar 'Isian', baris 6, kolom K (Laki-laki): “tiga” bukan angka" in printed

    assert main(["import", "--db", str(db), str(tmp_path / "benar.xlsx")]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("DITERIMA\tbenar.xlsx\tDiterima dari berkas isian TANPA tanda tangan")
    assert "20 baris (2 terisi)" in printed

    # verify names what it is, and never passes it as signed.
    assert main(["verify", str(tmp_path / "benar.xlsx"), str(tmp_path / "salah.xlsx")]) == 1
    good, bad, *errors = capsys.readouterr().out.splitlines()
    assert errors and "kolom K (Laki-laki)" in errors[0]
    assert good.startswith("TANPA TTD\tbenar.xlsx\tbuku kerja isian OPD-001 tahun 2023: 20 baris")
    assert bad.startswith("GAGAL\tsalah.xlsx\tBuku kerja isian ditolak (1 kesalahan)")


def test_import_replace_signed_flag_reaches_the_importer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import importer

    seen: dict[str, object] = {}

    def fake(db: object, files: object, **kw: object) -> list[object]:
        seen.update(kw)
        return []

    monkeypatch.setattr(importer, "import_files", fake)
    db = _db(tmp_path / "pokja.sqlite")
    assert main(["import", "--db", str(db), "--replace-signed", str(tmp_path / "x.xlsx")]) == 0
    assert seen["replace_signed"] is True
    assert main(["import", "--db", str(db), str(tmp_path / "x.xlsx")]) == 0
    assert seen["replace_signed"] is False


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _db(tmp_path / "pokja.sqlite")
    base = ["fillin", "--db", str(db), "--year", "2023"]
    assert main([*base, "--opd", "TIDAK-ADA", "--xlsx", str(tmp_path / "a.xlsx")]) == 2
    assert "TIDAK-ADA" in capsys.readouterr().err
    assert main([*base, "--opd", "OPD-001", "--xlsx", str(tmp_path / "a.pdf")]) == 2
    assert ".xlsx" in capsys.readouterr().err
    args = ["fillin", "--db", str(db), "--year", "2040", "--opd", "OPD-001"]
    assert main([*args, "--xlsx", str(tmp_path / "a.xlsx")]) == 2
    assert "di luar periode" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".*"))
