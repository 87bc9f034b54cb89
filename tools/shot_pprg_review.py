"""Screenshots of Telaah PPRG and of the board's PPRG counts at 1366×768 (offscreen).

    QT_QPA_PLATFORM=offscreen python -m tools.shot_pprg_review

Builds, in a temporary folder, a focal-point and a Pokja database on the official
matrix. Three OPDs write a GAP and a GBS for some of their kegiatan, export real signed
submissions (which carry the documents) and Pokja imports them; Pokja then reviews a
few (accepted, or needing correction with a remark). Writes
``docs/img/pprg_review.png`` (the review list, a GBS needing correction selected) and
``docs/img/pprg_board.png`` (the completeness board of 2023 with its PPRG column).
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.domain.pprg import GapDocument, GbsComponent, GbsDocument, Kind, ReviewStatus
from app.formats import keys
from app.models.db import Database
from app.models.schema import Opd, PlanNode
from app.services import catalog, importer, pprg_store
from app.services.database import open_seeded
from app.services.pprg_review import review_received
from app.services.sample import fill_sample
from app.services.submission_export import export_submission
from app.ui.completeness_board import CompletenessBoard
from app.ui.pprg_review_dialog import PprgReviewDialog

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
YEAR = 2023
OPDS = {"DINSOS-PPPA": 3, "DINKES-PPKB": 2, "DISDIKBUD": 1}
SIZE = (1366, 698)  # a 1366×768 screen less the taskbar and the title bar


def _kegiatan(db: Database, code: str, n: int) -> list[tuple[str, str]]:
    with db.begin() as s:
        return list(
            s.execute(
                select(PlanNode.key, PlanNode.name)
                .join(Opd, Opd.id == PlanNode.opd_id)
                .where(Opd.code == code, PlanNode.level == "kegiatan")
                .order_by(PlanNode.position, PlanNode.id)
                .limit(n)
            ).all()
        )


def _documents(db: Database, code: str, n: int) -> list[str]:
    nodes = _kegiatan(db, code, n)
    for key, name in nodes:
        gap = GapDocument(
            node_key=key,
            opd_code=code,
            year=YEAR,
            policy=name,
            objective="Meningkatkan akses layanan yang setara bagi perempuan dan laki-laki",
            insight_data="Peserta 2022: laki-laki 64, perempuan 21, penyandang disabilitas 2",
            gap_access="Jadwal kegiatan pada jam kerja menyulitkan ibu rumah tangga",
            gap_participation="Perempuan jarang hadir dalam musyawarah perencanaan",
            internal_causes="Belum ada data terpilah pada laporan kegiatan",
            external_causes="Norma bahwa urusan publik adalah urusan laki-laki",
            reformulated_objective="Layanan menjangkau perempuan dan laki-laki secara setara",
            action_plan="Kegiatan sore hari di balai desa; undangan langsung kepada kelompok PKK",
            baseline="Perempuan 25% peserta (2022)",
            gender_indicators="Perempuan sedikitnya 40% peserta (2023)",
        )
        gbs = GbsDocument(
            node_key=key,
            opd_code=code,
            year=YEAR,
            program="Program sesuai matriks",
            activity=name,
            output_indicator="Jumlah peserta (L/P)",
            output_target="120 orang, sedikitnya 48 perempuan",
            situation="Perempuan 25% peserta karena jadwal dan undangan yang tidak menjangkau",
            expected_outcome="Perempuan dan laki-laki sama-sama mendapat manfaat layanan",
            components=(
                GbsComponent("Sosialisasi di balai desa pada sore hari", Decimal("12500000")),
                GbsComponent("Pendataan peserta terpilah", Decimal("4000000")),
            ),
        )
        pprg_store.save_document(db, gap, "Focal Point")
        pprg_store.save_document(db, gbs, "Focal Point")
    return [k for k, _ in nodes]


def _prepare(tmp: Path) -> tuple[Database, dict[str, list[str]]]:
    focal = open_seeded(tmp / "focal.sqlite")
    pokja = open_seeded(tmp / "pokja.sqlite")
    nodes: dict[str, list[str]] = {}
    for i, (code, n) in enumerate(OPDS.items()):
        fill_sample(focal, YEAR, full_opds=(code,), others=0.0, arg_nodes=2, seed=i)
        nodes[code] = _documents(focal, code, n)
        key = keys.generate_key("sandi-gambar", tmp / "kunci" / code)
        path = tmp / f"{code}-{YEAR}.xlsx"
        export_submission(focal, YEAR, key, xlsx=path, opd=code, now=datetime(2024, 1, 8, 9))
        out = importer.import_file(pokja, path, accept_new_key=True, user="Pokja")
        assert out.ok, out.reason
    focal.dispose()
    dinsos, dinkes = nodes["DINSOS-PPPA"], nodes["DINKES-PPKB"]
    when = datetime(2024, 2, 5, 10)
    for kind, node, status, remark, role in (
        (Kind.GAP, dinsos[0], ReviewStatus.DITERIMA, "", "pokja"),
        (Kind.GBS, dinsos[0], ReviewStatus.DITERIMA, "", "pokja"),
        (Kind.GAP, dinsos[1], ReviewStatus.DITERIMA, "", "inspektorat"),
        (
            Kind.GBS,
            dinsos[1],
            ReviewStatus.PERLU_PERBAIKAN,
            "Komponen pendataan belum menyebut anggaran untuk peserta disabilitas.",
            "inspektorat",
        ),
        (Kind.GAP, dinkes[0], ReviewStatus.DITERIMA, "", "pokja"),
    ):
        review_received(
            pokja, kind, node, YEAR, status, remark, reviewer="Siti Aminah", role=role, now=when
        )
    return pokja, nodes


def main() -> None:
    app = QApplication.instance() or QApplication([])
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        pokja, _nodes = _prepare(Path(folder))
        dialog = PprgReviewDialog(pokja, received=True, user="Siti Aminah", year=YEAR)
        dialog.resize(*SIZE)
        dialog.show()
        fix = [i for i, st in enumerate(dialog.states) if "perbaikan" in st.status]
        dialog.table.selectRow(fix[0])  # the GBS that needs correction
        app.processEvents()
        dialog.grab().save(str(IMG / "pprg_review.png"))
        dialog.close()
        with pokja.begin() as s:
            code = catalog.get_plan(s).code
        board = CompletenessBoard(pokja, code, YEAR)
        board.resize(*SIZE)
        board.show()
        app.processEvents()
        board.grab().save(str(IMG / "pprg_board.png"))
        board.close()
        pokja.dispose()
    print(IMG / "pprg_review.png")
    print(IMG / "pprg_board.png")


if __name__ == "__main__":
    main()
