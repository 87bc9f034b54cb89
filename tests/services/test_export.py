"""export_report: the window's entry point (progress, cancel, atomic files) and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.__main__ import main
from app.models.db import Database
from app.reports.report_model import ReportCancelled
from app.services.database import open_seeded
from app.services.export import export_report
from app.services.signatory import load_signatory


@pytest.fixture
def seeded(tmp_path: Path):
    db = open_seeded(tmp_path / "m.sqlite")
    yield db
    db.dispose()


def test_progress_runs_up_to_its_total(seeded: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    res = export_report(
        seeded,
        2022,
        opd="Bappeda",
        pdf=tmp_path / "a.pdf",
        xlsx=tmp_path / "a.xlsx",
        progress=lambda d, t: seen.append((d, t)),
    )
    assert res.pdf and res.pdf.exists() and res.xlsx and res.xlsx.exists()
    assert res.pdf_pages and res.pdf_pages >= 2
    done = [d for d, _ in seen]
    assert done == sorted(done) and seen[-1][0] == seen[-1][1]
    assert len({t for _, t in seen}) == 1


@pytest.mark.parametrize("after", [1, 5, 40])
def test_cancel_leaves_no_file(seeded: Database, tmp_path: Path, after: int) -> None:
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > after

    pdf, xlsx = tmp_path / "c.pdf", tmp_path / "c.xlsx"
    with pytest.raises(ReportCancelled):
        export_report(seeded, 2022, pdf=pdf, xlsx=xlsx, cancelled=cancelled)
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob("*.xlsx")) == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_refusals(seeded: Database, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="keluaran"):
        export_report(seeded, 2022)
    with pytest.raises(ValueError, match="kertas"):
        export_report(seeded, 2022, pdf=tmp_path / "x.pdf", paper="letter")
    with pytest.raises(ValueError, match="periode"):
        export_report(seeded, 2031, pdf=tmp_path / "x.pdf")
    with pytest.raises(LookupError):
        export_report(seeded, 2022, opd="Dinas Antah Berantah", pdf=tmp_path / "x.pdf")


def test_cli_report_writes_both_and_remembers_the_signatory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "m.sqlite"
    pdf, xlsx = tmp_path / "dlh.pdf", tmp_path / "dlh.xlsx"
    code = main(
        [
            "report",
            "--db",
            str(db),
            "--opd",
            "DLH",
            "--year",
            "2023",
            "--pdf",
            str(pdf),
            "--xlsx",
            str(xlsx),
            "--paper",
            "f4",
            "--signer-name",
            "Ir. Budi Santoso",
            "--signer-nip",
            "19680101 199203 1 007",
            "--date",
            "2023-01-16",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert pdf.exists() and xlsx.exists()
    assert "halaman, F4" in out
    d = open_seeded(db)
    with d.begin() as s:
        stored = load_signatory(s, "DLH")
    d.dispose()
    assert stored is not None
    assert (stored.name, stored.nip) == ("Ir. Budi Santoso", "196801011992031007")
    assert stored.position == "Kepala Dinas Lingkungan Hidup"
    # the next report without options reuses it
    code = main(["report", "--db", str(db), "--opd", "DLH", "--year", "2023", "--pdf", str(pdf)])
    assert code == 0


def test_cli_report_regency_and_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "m.sqlite")
    assert main(["report", "--db", db, "--year", "2022", "--xlsx", str(tmp_path / "k.xlsx")]) == 0
    assert "konsolidasi" in capsys.readouterr().out
    assert main(["report", "--db", db, "--year", "2022"]) == 2
    assert main(["report", "--db", db, "--opd", "Antah", "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert main(["report", "--db", db, "--pdf", str(tmp_path / "x.pdf"), "--date", "16-1"]) == 2
    assert (
        main(["report", "--db", db, "--pdf", str(tmp_path / "x.pdf"), "--signer-nip", "123"]) == 2
    )
    assert "18 digit" in capsys.readouterr().err
