"""A seeded database with realistic figures, and the reports rendered from it once.

Rendering and LibreOffice conversions are session-scoped: each file is made once and
read by several tests, which keeps the suite fast.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.domain.arg import Answer
from app.domain.realisation import parse_realisation
from app.formats.arg_questions import current_question_set
from app.models.db import Database
from app.services import arg_store, catalog, entry
from app.services.database import open_seeded
from app.services.export import export_report
from app.services.sample import fill_sample
from app.services.signatory import Signatory

YEAR = 2023
OPD = "DINSOS-PPPA"
SIGNER = Signatory("Dra. Hj. Rina Wulandari, M.Si.", "197001011990032005", "", "Lumajang")
REPORT_DATE = date(2023, 1, 16)
INJECTIONS = ("=1+1", "+62 812 3456 7890", "@x", "-5", '=HYPERLINK("http://x")')
LONG_END = "AKHIR-TEKS-PANJANG"


@dataclass(frozen=True)
class Rendered:
    db_path: Path
    opd_pdf: Path
    opd_xlsx: Path
    kab_pdf: Path
    kab_xlsx: Path
    indicators: list[str]
    injected_row: str  # the indicator of the row whose evidence is "=1+1"


def need(*tools: str) -> None:
    """Skip when a reader is missing (CI installs them; see .ci/run)."""
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} tidak terpasang (paket poppler-utils / qpdf / libreoffice)")


def run(*cmd: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def _fill(db: Database) -> tuple[list[str], str]:
    fill_sample(db, YEAR, full_opds=(OPD,), others=0.25)
    with db.begin() as s:
        plan = catalog.get_plan(s)
        opd = catalog.find_opd(s, OPD)
        rows = catalog.load_rows(s, plan.id, opd.id)
        nodes = arg_store.assessable_nodes(s, plan.id, opd.id)
    texts = [
        {
            "male": "3",
            "female": "4",
            "disabled": "1",
            "evidence": INJECTIONS[0],
            "note": INJECTIONS[1],
            "budget": "1.000.000",
            "spending": "900.000",
        },
        {"total": "5", "evidence": INJECTIONS[2], "note": INJECTIONS[3]},
        {"total": "2", "evidence": INJECTIONS[4], "note": "Uraian panjang. " * 230 + LONG_END},
    ]
    for row, t in zip(rows[-3:], texts, strict=True):
        entry.save_realisation(db, row.id, YEAR, parse_realisation(t), "Siti", opd_id=opd.id)
    qset = current_question_set()
    node = nodes[-1]
    for q in qset.questions:
        arg_store.save_answer(db, node.id, YEAR, qset, q.id, Answer.YA, "", "Siti")
    arg_store.save_answer(
        db, node.id, YEAR, qset, qset.questions[0].id, Answer.TIDAK_DAPAT, "=SUM(A1:A2)", "Siti"
    )
    return [r.indikator for r in rows], rows[-3].indikator


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    folder = tmp_path_factory.mktemp("reports")
    db = open_seeded(folder / "monev.sqlite")
    indicators, injected = _fill(db)
    out = Rendered(
        folder / "monev.sqlite",
        folder / "opd.pdf",
        folder / "opd.xlsx",
        folder / "kabupaten.pdf",
        folder / "kabupaten.xlsx",
        indicators,
        injected,
    )
    export_report(
        db,
        YEAR,
        opd=OPD,
        pdf=out.opd_pdf,
        xlsx=out.opd_xlsx,
        signatory=SIGNER,
        report_date=REPORT_DATE,
    )
    export_report(db, YEAR, pdf=out.kab_pdf, xlsx=out.kab_xlsx, paper="f4", report_date=REPORT_DATE)
    db.dispose()
    yield out


@pytest.fixture(scope="session")
def libreoffice_pdfs(
    rendered: Rendered, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Both workbooks converted by LibreOffice headless in one run (private profile)."""
    if shutil.which("soffice") is None:
        pytest.skip("soffice tidak terpasang (paket libreoffice-calc-nogui)")
    folder = tmp_path_factory.mktemp("lo")
    profile = tmp_path_factory.mktemp("lo-profile")
    res = run(
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        str(rendered.opd_xlsx),
        str(rendered.kab_xlsx),
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    pdfs = {"opd": folder / "opd.pdf", "kab": folder / "kabupaten.pdf"}
    for p in pdfs.values():
        assert p.exists(), f"LibreOffice did not convert {p.name}: {res.stdout} {res.stderr}"
    return pdfs
