"""Render the Renstra reports of docs/renstra.md to PNG pages in docs/img/.

    python tools/renstra_report_images.py [--out docs/img] [--dpi 80] [--keep DIR]

Builds a seeded database, fills sample realisations for 2024 (every row with a target)
and 2025 (every other row), exports TC-23, TC-24 and TC-27 of the whole Sekretariat
Daerah as PDF on A4, and turns a chosen page of each into a PNG with pdftoppm
(TC-27: the first page that shows an end-of-period difference). Needs poppler-utils.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.domain.breakdown import Breakdown  # noqa: E402
from app.domain.realisation import RealisationValues  # noqa: E402
from app.models.db import Database  # noqa: E402
from app.models.schema import Target  # noqa: E402
from app.services import catalog, entry  # noqa: E402
from app.services.database import open_seeded  # noqa: E402
from app.services.renstra_export import export_renstra  # noqa: E402
from app.services.renstra_report import renstra_plan  # noqa: E402
from app.services.signatory import Signatory  # noqa: E402

SIGNER = Signatory("Drs. Agus Triyono, M.Si.", "196901011990031010", "", "Lumajang")
# Deterministic spread of realisations around the target (per cent of the target).
SHARES = (Decimal(100), Decimal(92), Decimal(105), Decimal(71), Decimal(100), Decimal(88))


def fill_sample(db: Database) -> int:
    """Realisations for every row with a target in 2024 and every other row in 2025:
    figures around the target, pagu from the plan's own Rupiah, spending 85–99 %."""
    count = 0
    with db.begin() as s:
        plan = renstra_plan(s)
        rows = catalog.load_rows(s, plan.id)
        targets = {
            (t.row_id, t.year): t
            for t in s.query(Target).filter(Target.row_id.in_([r.id for r in rows]))
        }
    for i, r in enumerate(rows):
        for year in (2024, 2025):
            if year == 2025 and i % 2:
                continue
            t = targets.get((r.id, year))
            if t is None or t.total is None:
                continue
            share = SHARES[(i + year) % len(SHARES)]
            if r.polarity == "lower":
                share = Decimal(76)  # inflation below its ceiling: a success
            value = (t.total * share / 100).quantize(Decimal("0.01"))
            if not t.is_percent and t.total == t.total.to_integral_value() and t.total > 10:
                value = value.quantize(Decimal(1))  # counted outputs: whole documents
            budget = t.budget or Decimal(50_000_000 + 1_000_000 * i)
            spending = (budget * Decimal(85 + (i * 7 + year) % 15) / 100).quantize(Decimal(1))
            entry.save_realisation(
                db,
                r.id,
                year,
                RealisationValues(Breakdown(value), budget, spending, "", ""),
                "contoh",
            )
            count += 1
    return count


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")


def render(pdf: Path, page: int, out: Path, dpi: int) -> Path:
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
            str(out.with_suffix("")),
        ],
        check=True,
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    ap.add_argument("--dpi", type=int, default=80)
    ap.add_argument("--keep", type=Path, help="also keep the PDFs and workbooks here")
    args = ap.parse_args()
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            print(f"{tool} tidak terpasang", file=sys.stderr)
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="monev-renstra-"))
    work.mkdir(parents=True, exist_ok=True)
    db = open_seeded(work / "monev.sqlite")
    try:
        fill_sample(db)
        for table in ("tc23", "tc24", "tc27"):
            pdf = work / f"renstra-{table}.pdf"
            export_renstra(
                db,
                None,
                table=table,
                pdf=pdf,
                xlsx=work / f"renstra-{table}.xlsx",
                signatory=SIGNER,
                report_date=date(2025, 1, 20),
            )
            page = 1
            if table == "tc27":
                texts = page_texts(pdf)
                page = next((i for i, t in enumerate(texts, 1) if "≠" in t), 1)
            png = render(pdf, page, args.out / f"renstra-{table}.png", args.dpi)
            print(f"{png} (halaman {page} dari {pdf.name})")
    finally:
        db.dispose()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
