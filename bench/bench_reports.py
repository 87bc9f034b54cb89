"""Consolidated regency report: PDF and Excel build times (goals ≤ 1.5 s and ≤ 1.0 s).

    python -m bench.bench_reports [--repeat 3] [--paper a4|f4]

On a database seeded with the official matrix and a realisation for every row (plus a
few ARG instruments), times gathering the data, building the PDF and building the
workbook for the whole regency, then LibreOffice headless converting that workbook to
PDF: the way a user gets a PDF today without the app's own PDF.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import time

from app.reports.fonts import register_fonts
from app.reports.radpug_pdf import build_pdf
from app.reports.radpug_xlsx import build_xlsx
from app.services import catalog
from app.services.report_data import build_report
from app.services.sample import fill_sample
from bench.common import machine, seeded_db, workdir

PDF_GOAL_S, XLSX_GOAL_S = 1.5, 1.0
YEAR = 2023


def _median(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def run(repeat: int, paper: str) -> None:
    folder = workdir()
    db = seeded_db(folder)
    with db.begin() as s:
        codes = tuple(o.code for o in catalog.opds(s))
    stats = fill_sample(db, YEAR, full_opds=codes, arg_nodes=12)
    register_fonts()  # once per process, as in the app
    print(f"machine: {machine()}")
    t0 = time.perf_counter()
    with db.begin() as s:
        data = build_report(s, YEAR)
    gather = time.perf_counter() - t0
    print(
        f"regency {YEAR}: {len(data.rows)} rows, {stats.realisations} realisations, "
        f"{len(data.recap)} ARG instruments, {len(data.completeness)} OPDs"
    )
    pdf, xlsx = folder / "kabupaten.pdf", folder / "kabupaten.xlsx"
    pages = build_pdf(data, pdf, paper)
    t_pdf = _median(lambda: build_pdf(data, pdf, paper), repeat)
    t_xlsx = _median(lambda: build_xlsx(data, xlsx, paper), repeat)
    print(f"gather data (queries + summary):  {gather * 1000:7.0f} ms")
    print(
        f"PDF build ({paper.upper()}, {pages} pages):     {t_pdf * 1000:7.0f} ms  "
        f"goal ≤ {PDF_GOAL_S:.1f} s: {'met' if t_pdf <= PDF_GOAL_S else 'NOT met'}"
    )
    print(
        f"xlsx build:                       {t_xlsx * 1000:7.0f} ms  "
        f"goal ≤ {XLSX_GOAL_S:.1f} s: {'met' if t_xlsx <= XLSX_GOAL_S else 'NOT met'}"
    )
    print(f"files: PDF {pdf.stat().st_size // 1024} KiB, xlsx {xlsx.stat().st_size // 1024} KiB")
    soffice = shutil.which("soffice")
    if soffice is None:
        print("LibreOffice: not installed, comparison skipped")
        return
    profile = folder / "lo-profile"
    times = []
    for _ in range(2):  # the first run also creates the LibreOffice profile
        t0 = time.perf_counter()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder / "lo"),
                str(xlsx),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        times.append(time.perf_counter() - t0)
    lo = times[-1]
    print(f"LibreOffice xlsx → PDF (headless): {lo * 1000:7.0f} ms (first run {times[0]:.1f} s)")
    print(f"ratio LibreOffice / our PDF: {lo / t_pdf:.1f}×")
    db.dispose()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--paper", choices=("a4", "f4"), default="a4")
    args = ap.parse_args()
    run(args.repeat, args.paper)
