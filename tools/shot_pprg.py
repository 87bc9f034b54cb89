"""Images of the PPRG documents for docs/pprg.md: the GAP and GBS PDFs of one kegiatan of
the official matrix (first page each, and the GBS's second page) and the editor at
1366×768 (GAP tab, and the GBS tab scrolled to its components).

The kegiatan is Dinkop UKM Perindag's "Penyelenggaraan Promosi dan Misi Dagang …"
(seed lines 1011–1017), whose targets carry L / P / disabilitas. Realisations for 2022
and 2023 and the 2024 pagu are entered as a focal point would, the OPD's analysis
(steps 3–7) is typed, the GBS is built from the GAP and both are printed.

Run: ``QT_QPA_PLATFORM=offscreen python -m tools.shot_pprg`` (needs pdftoppm).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.domain.breakdown import Breakdown
from app.domain.pprg import Kind
from app.domain.realisation import RealisationValues
from app.models.db import Database
from app.models.schema import PlanRow
from app.services import pprg_store
from app.services.database import open_seeded
from app.services.entry import save_realisation
from app.services.pprg_export import export_pprg
from app.services.pprg_prefill import prefill_gap, prefill_gbs
from app.services.signatory import Signatory, store_signatory

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
NODE = "n-0a7335645453b0"  # Penyelenggaraan Promosi dan Misi Dagang … (Dinkop UKM Perindag)
YEAR = 2024
# (row key, 2022 L/P/disabilitas, 2023 L/P/disabilitas, 2024 pagu)
FIGURES = {
    "rp-ba9957fe2db2": ((16, 4, 0), (14, 5, 1), 45_000_000),
    "rp-c2b333fab45e": ((15, 5, 0), (13, 6, 1), 38_500_000),
    "rp-53de188c6675": (None, (15, 4, 1), 27_000_000),
    "rp-5a4cf374c804": (None, (6, 4, 0), 22_750_000),
    "rp-63c4ab51bf8d": (None, (21, 8, 1), 15_000_000),
}
ANALYSIS = {
    "objective": "Meningkatkan pemasaran produk IKM Kabupaten melalui pameran dagang "
    "nasional dan lokal.",
    "gap_access": "IKM milik perempuan dan penyandang disabilitas jarang mendapat undangan "
    "pameran: informasi seleksi peserta beredar lewat asosiasi yang pengurusnya laki-laki.",
    "gap_participation": "Peserta pameran 2023: 5 IKM perempuan dari 20 (25 %), 1 IKM disabilitas.",
    "gap_control": "Keputusan produk yang dipamerkan diambil oleh kurator tanpa wakil IKM "
    "perempuan.",
    "gap_benefit": "Transaksi pameran lebih banyak dinikmati IKM laki-laki yang mampu "
    "membiayai stan tambahan.",
    "internal_causes": "Data IKM belum terpilah menurut jenis kelamin pemilik; kriteria "
    "seleksi peserta belum memuat afirmasi.",
    "external_causes": "Beban ganda perempuan pelaku usaha; biaya perjalanan ke pameran "
    "luar daerah; stan pameran belum aksesibel.",
    "reformulated_objective": "Meningkatkan pemasaran produk IKM dengan keikutsertaan IKM "
    "perempuan paling sedikit 30 % dan IKM penyandang disabilitas di setiap pameran.",
    "action_plan": "- Pameran APKASI bagi produk IKM\n- Pameran Jatim Fair bagi produk IKM\n"
    "- Pameran Dekranasda Provinsi Jawa Timur bagi produk kerajinan IKM\n"
    "- Pameran Batik Bordir bagi produk kerajinan IKM\n"
    "- Sosialisasi Kebijakan Prosedur Ekspor\n"
    "- Pendataan IKM terpilah menurut jenis kelamin dan disabilitas pemilik",
}


def _bd(figures: tuple[int, int, int]) -> Breakdown:
    m, f, d = figures
    return Breakdown(Decimal(m + f + d), Decimal(m), Decimal(f), Decimal(d) if d else None)


def build_scene(db: Database) -> None:
    """Figures, the OPD's analysis, the GBS and the signatory of the demo kegiatan."""
    with db.begin() as s:
        ids = {r.key: r.id for r in s.scalars(select(PlanRow).where(PlanRow.key.in_(FIGURES)))}
    for key, (y22, y23, pagu) in FIGURES.items():
        for year, figures in ((2022, y22), (2023, y23)):
            if figures is not None:
                save_realisation(db, ids[key], year, RealisationValues(_bd(figures)), "Demo")
        values = RealisationValues(budget=Decimal(pagu))
        save_realisation(db, ids[key], YEAR, values, "Demo")
    with db.begin() as s:
        gap = prefill_gap(s, NODE, YEAR).with_values(**ANALYSIS)
        gbs = prefill_gbs(s, gap)
    pprg_store.save_document(db, gap, "Demo")
    pprg_store.save_document(db, gbs, "Demo")
    store_signatory(
        db, "DINKOP-UKMPP", Signatory("Drs. Agus Salim, M.Si", "197205141998031007", "", "")
    )


def _page_image(pdf: Path, out: Path, page: int = 1) -> None:
    stem = out.with_suffix("")
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", *pages, "-singlefile", str(pdf), str(stem)], check=True
    )


def main() -> None:
    from app.ui.pprg_dialog import PprgDialog

    app = QApplication.instance() or QApplication([])
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        db = open_seeded(tmp / "monev-radpug.sqlite")
        build_scene(db)
        for kind, name in ((Kind.GAP, "pprg_gap"), (Kind.GBS, "pprg_gbs")):
            result = export_pprg(db, kind, NODE, YEAR, pdf=tmp / f"{name}.pdf")
            assert result.pdf is not None
            _page_image(result.pdf, IMG / f"{name}.png")
            print(IMG / f"{name}.png", f"{result.pdf_pages} halaman")
        # The GBS's action plan, budgets and total are on its second page.
        _page_image(tmp / "pprg_gbs.pdf", IMG / "pprg_gbs_2.png", page=2)
        dialog = PprgDialog(db, NODE, YEAR, "Budi Santoso (Focal Point)")
        dialog.resize(1366, 768)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(IMG / "pprg_editor.png"))
        dialog.tabs.setCurrentWidget(dialog.gbs_page)
        bar = dialog.gbs_page.verticalScrollBar()
        bar.setValue(bar.maximum())  # the components, their budgets and the total
        app.processEvents()
        dialog.grab().save(str(IMG / "pprg_editor_gbs.png"))
        dialog.close()
        db.dispose()
    print(IMG / "pprg_editor.png")


if __name__ == "__main__":
    main()
