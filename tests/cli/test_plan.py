"""``python -m app plan import-xlsx | export-xlsx`` (issue #12 item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.__main__ import main
from app.models.db import open_database
from app.models.schema import Plan, PlanRow

LMJ = "RADPUG-LMJ-2022-2024"


def _rows(db_file: Path, code: str) -> int | None:
    db = open_database(db_file)
    try:
        with db.begin() as s:
            plan = s.scalar(select(Plan).where(Plan.code == code))
            if plan is None:
                return None
            return s.scalar(
                select(func.count()).select_from(PlanRow).where(PlanRow.plan_id == plan.id)
            )
    finally:
        db.dispose()


def test_export_then_dry_run_then_import_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, xlsx = tmp_path / "pokja.sqlite", tmp_path / "matriks.xlsx"
    assert main(["plan", "export-xlsx", "--db", str(db), "--plan", LMJ, "--out", str(xlsx)]) == 0
    assert "848 baris" in capsys.readouterr().out
    base = ["plan", "import-xlsx", "--db", str(db), "--code", "LMJ-B", "--region",
            "Kabupaten Lumajang", str(xlsx)]  # fmt: skip
    assert main([*base, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Baris indikator: 848; periode 2022–2024" in out
    assert "OPD\tDinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak\t→ DINSOS-PPPA" in out
    assert "CATATAN\tbaris 786\tTarget 2024 '##### #'" in out
    assert "tidak ada yang ditulis" in out
    assert _rows(db, "LMJ-B") is None
    assert main(base) == 0
    assert "DIIMPOR\tLMJ-B" in capsys.readouterr().out
    assert _rows(db, "LMJ-B") == 848
    assert main(base) == 1  # the code exists now
    assert "sudah ada" in capsys.readouterr().err


def test_unknown_opds_are_listed_and_refused_unless_create_opds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["PROGRAM", "KEGIATAN", "SUB KEGIATAN", "AKTIVITAS", "INDIKATOR", "SATUAN",
               "2026", "2027", "OPD"])  # fmt: skip
    ws.append(["P", "K", "S", "A", "I", "orang", "10", "12", "Dinas Sosial Pemberdayaan"])
    xlsx, db = tmp_path / "x.xlsx", tmp_path / "pokja.sqlite"
    wb.save(xlsx)
    base = ["plan", "import-xlsx", "--db", str(db), "--code", "X-2026", "--region", "Kota X",
            str(xlsx)]  # fmt: skip
    assert main(base) == 1
    captured = capsys.readouterr()
    assert "OPD BARU\tDinas Sosial Pemberdayaan\t1 baris (mungkin: Dinas Sosial," in captured.out
    assert "tidak ada di katalog" in captured.err
    assert _rows(db, "X-2026") is None
    assert main([*base, "--create-opds"]) == 0
    assert "OPD baru: DINAS-SOSIAL-PEMBERDAYAAN" in capsys.readouterr().out
    assert _rows(db, "X-2026") == 1


def test_a_file_that_is_not_a_workbook_fails_with_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("bukan zip")
    args = ["plan", "import-xlsx", "--db", str(tmp_path / "d.sqlite"), "--code", "Y",
            "--region", "Kota Y", "--dry-run", str(bad)]  # fmt: skip
    assert main(args) == 1
    assert "bukan buku kerja Excel" in capsys.readouterr().err
