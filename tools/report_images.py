"""Render the example reports of docs/reports.md to PNG pages in docs/img/.

    python tools/report_images.py [--out docs/img] [--dpi 70]

Builds a seeded database with sample figures (every row of Dinsos PPPA, a quarter of
the others, a few ARG instruments, a focal-point profile), exports the OPD report on A4
and the regency report on F4, converts the OPD workbook with LibreOffice headless, and
turns chosen pages into PNGs with pdftoppm. Needs poppler-utils and LibreOffice.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.services import catalog  # noqa: E402
from app.services.database import open_seeded  # noqa: E402
from app.services.export import export_report  # noqa: E402
from app.services.profile import Profile, save_profile  # noqa: E402
from app.services.sample import fill_sample  # noqa: E402
from app.services.signatory import Signatory  # noqa: E402

YEAR = 2023
OPD = "DINSOS-PPPA"


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")


def first_page(texts: list[str], needle: str, default: int = 1) -> int:
    for i, t in enumerate(texts, start=1):
        if needle in " ".join(t.split()):
            return i
    return default


def render(pdf: Path, page: int, out: Path, dpi: int) -> Path:
    stem = out.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    ap.add_argument("--dpi", type=int, default=70)
    args = ap.parse_args()
    for tool in ("pdftoppm", "pdftotext", "soffice"):
        if shutil.which(tool) is None:
            print(f"{tool} tidak terpasang", file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="monev-img-"))
    db = open_seeded(work / "contoh.sqlite")
    fill_sample(db, YEAR, full_opds=(OPD,), others=0.25)
    with db.begin() as s:
        save_profile(
            s, Profile("focal_point", "Siti Nurhaliza, S.Sos.", "198503152010012014", OPD, YEAR)
        )
        plan_title = catalog.get_plan(s).title
    signer = Signatory("Dra. Hj. Rina Wulandari, M.Si.", "197001011990032005", "", "Lumajang")
    opd_pdf, opd_xlsx = work / "opd-a4.pdf", work / "opd.xlsx"
    kab_pdf, kab_xlsx = work / "kabupaten-f4.pdf", work / "kabupaten.xlsx"
    when = date(2024, 1, 16)
    export_report(db, YEAR, opd=OPD, pdf=opd_pdf, xlsx=opd_xlsx, signatory=signer, report_date=when)
    export_report(db, YEAR, pdf=kab_pdf, xlsx=kab_xlsx, paper="f4", report_date=when)
    db.dispose()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(work / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "lo"),
            str(opd_xlsx),
        ],
        check=True,
        capture_output=True,
    )
    lo_pdf = work / "lo" / "opd.pdf"
    opd = page_texts(opd_pdf)
    kab = page_texts(kab_pdf)
    lo = page_texts(lo_pdf)
    shots = [
        (opd_pdf, 1, "report-opd-a4-p1.png"),
        (opd_pdf, 3, "report-opd-a4-matrix.png"),
        (opd_pdf, first_page(opd, "Tabel 5.1 Instrumen"), "report-opd-a4-arg.png"),
        (opd_pdf, first_page(opd, "Evaluasi Anggaran Responsif Gender"), "report-opd-a4-eval.png"),
        (opd_pdf, len(opd) - 1 if not opd[-1].strip() else len(opd), "report-opd-a4-last.png"),
        (kab_pdf, 1, "report-kab-f4-p1.png"),
        (kab_pdf, first_page(kab, "Klasifikasi ARG per Perangkat Daerah"), "report-kab-f4-arg.png"),
        (lo_pdf, 1, "report-xlsx-matrix.png"),
        (lo_pdf, first_page(lo, "Tabel 5.1 Instrumen"), "report-xlsx-arg.png"),
        (lo_pdf, first_page(lo, "Sebaran capaian indikator"), "report-xlsx-summary.png"),
    ]
    for pdf, page, name in shots:
        # the workbook prints scaled to the page width: a little more resolution to read it
        render(pdf, page, args.out / name, args.dpi + (20 if pdf == lo_pdf else 0))
        print(f"{args.out / name}  ({pdf.name}, halaman {page})")
    print(f"{plan_title}: contoh di {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
