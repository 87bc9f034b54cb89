"""``pprg export``: a kegiatan's GAP or GBS from the command line, stored or prefilled."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.__main__ import main
from app.domain.pprg import GbsComponent
from app.models.db import open_database
from app.services import pprg_store
from app.services.pprg_prefill import prefill_gap, prefill_gbs

NODE = "n-0a7335645453b0"  # Dinkop UKM Perindag: Promosi dan Misi Dagang


def test_export_prints_the_prefill_then_the_stored_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "m.sqlite"
    argv = ["pprg", "export", "--db", str(db_path), "--node", NODE, "--year", "2024"]
    assert main([*argv, "--kind", "gap", "--out", str(tmp_path / "gap.pdf")]) == 0
    out = capsys.readouterr().out
    assert "GAP 2024:" in out and "halaman, PDF" in out
    assert (tmp_path / "gap.pdf").read_bytes().startswith(b"%PDF")

    db = open_database(db_path)
    with db.begin() as s:
        gbs = prefill_gbs(s, prefill_gap(s, NODE, 2024)).with_values(
            components=(GbsComponent("Komponen dari OPD"),)
        )
    pprg_store.save_document(db, gbs, "Ani")
    db.dispose()
    xlsx = tmp_path / "gbs.xlsx"
    assert main([*argv, "--kind", "gbs", "--format", "xlsx", "--out", str(xlsx)]) == 0
    ws = load_workbook(xlsx).active
    assert ws is not None
    values = {c.value for row in ws.iter_rows() for c in row}
    assert "1. Komponen dari OPD" in values  # the stored GBS, not a fresh prefill


def test_unknown_node_fails_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "pprg",
            "export",
            "--db",
            str(tmp_path / "m.sqlite"),
            "--node",
            "n-x",
            "--year",
            "2024",
            "--kind",
            "gap",
            "--out",
            str(tmp_path / "x.pdf"),
        ]
    )
    assert code == 1
    assert "tidak ada" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
