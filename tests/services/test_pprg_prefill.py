"""Prefilling GAP and GBS from the official matrix: a real kegiatan of Dinkop UKM Perindag
(seed lines 1011–1017), with realisations entered the way a focal point enters them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.breakdown import Breakdown
from app.domain.pprg import PprgError
from app.domain.realisation import RealisationValues
from app.models.db import Database, open_database
from app.models.schema import PlanNode, PlanRow
from app.services.database import open_seeded
from app.services.entry import save_realisation
from app.services.pprg_prefill import action_lines, prefill_gap, prefill_gbs, refresh_gap

NODE = "n-0a7335645453b0"  # Penyelenggaraan Promosi dan Misi Dagang Bagi Produk Unggulan …
APKASI = "rp-ba9957fe2db2"  # Pameran APKASI: 2024 target "20 … 13 L, 5 P, 2 disabilitas"
JATIM = "rp-c2b333fab45e"


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pprg") / "m.sqlite"
    db = open_seeded(path)
    with db.begin() as s:
        ids = {
            r.key: r.id for r in s.scalars(select(PlanRow).where(PlanRow.key.in_([APKASI, JATIM])))
        }
    b22 = Breakdown(Decimal(20), Decimal(16), Decimal(4), None)
    b23 = Breakdown(Decimal(20), Decimal(14), Decimal(5), Decimal(1))
    save_realisation(db, ids[APKASI], 2022, RealisationValues(b22), "t")
    save_realisation(db, ids[APKASI], 2023, RealisationValues(b23), "t")
    save_realisation(db, ids[APKASI], 2024, RealisationValues(budget=Decimal(45_000_000)), "t")
    save_realisation(db, ids[JATIM], 2024, RealisationValues(budget=Decimal(38_500_000)), "t")
    db.dispose()
    return path


@pytest.fixture
def db(seeded_file: Path) -> Iterator[Database]:
    database = open_database(seeded_file)
    yield database
    database.dispose()


def test_gap_prefill_quotes_program_indicators_targets_and_earlier_realisations(
    db: Database,
) -> None:
    with db.begin() as s:
        gap = prefill_gap(s, NODE, 2024)
    assert gap.opd_code == "DINKOP-UKMPP" and gap.year == 2024
    assert "Program: PROGRAM PENGEMBANGAN EKSPOR" in gap.policy
    assert "Sub Kegiatan: Pameran Dagang Nasional" in gap.policy
    # Step 2: indicator, the year's target with L / P / disabilitas, earlier realisations.
    assert "Jumlah produk yang dipromosikan dalam pameran APKASI (jenis produk)" in gap.insight_data
    assert "Target 2024: 20 (L 13 · P 5 · disabilitas 2)" in gap.insight_data
    assert "Realisasi 2022: 20 (L 16 · P 4)" in gap.insight_data
    assert "Realisasi 2023: 20 (L 14 · P 5 · disabilitas 1)" in gap.insight_data
    # Step 8: the latest earlier realisation where the plan gives no baseline.
    assert "(jenis produk): 20 (L 14 · P 5 · disabilitas 1) (realisasi 2023)" in gap.baseline
    assert "Target 2024: 30 (L 20 · P 9 · disabilitas 1)" in gap.gender_indicators
    assert gap.row_keys[:2] == (APKASI, JATIM) and len(gap.row_keys) == 5
    assert gap.missing_steps() == [3, 4, 5, 6, 7]  # the OPD's own analysis is left open


def test_refresh_rewrites_only_the_prefilled_steps(db: Database) -> None:
    with db.begin() as s:
        typed = prefill_gap(s, NODE, 2024).with_values(
            objective="Tujuan tulisan OPD",
            insight_data="diubah tangan",
            gap_access="Akses OPD",
            action_plan="- Pameran APKASI bagi produk IKM",
            gender_indicators="",
        )
        fresh = refresh_gap(s, typed)
    assert fresh.objective == "Tujuan tulisan OPD"
    assert fresh.gap_access == "Akses OPD" and fresh.action_plan == typed.action_plan
    assert "Realisasi 2022: 20 (L 16 · P 4)" in fresh.insight_data
    assert "Target 2024" in fresh.gender_indicators


def test_gbs_from_gap_takes_situation_components_budgets_and_total(db: Database) -> None:
    with db.begin() as s:
        gap = prefill_gap(s, NODE, 2024).with_values(
            objective="Tujuan awal",
            reformulated_objective="Tujuan responsif gender",
            gap_access="IKM perempuan jarang diundang",
            internal_causes="Data belum terpilah",
            external_causes="Biaya perjalanan",
            action_plan="1. Pameran APKASI bagi produk IKM\n"
            "2. pameran jatim fair bagi produk ikm\n\n- Pendataan IKM perempuan",
        )
        gbs = prefill_gbs(s, gap)
    assert gbs.program_objective == "Tujuan responsif gender"
    assert gbs.situation.startswith("Data pembuka wawasan:\n1. Jumlah produk")
    for part in (
        "Faktor kesenjangan — akses:\nIKM perempuan jarang diundang",
        "Sebab kesenjangan internal:\nData belum terpilah",
        "Sebab kesenjangan eksternal:\nBiaya perjalanan",
    ):
        assert part in gbs.situation
    assert [(c.name, c.budget) for c in gbs.components] == [
        ("Pameran APKASI bagi produk IKM", Decimal(45_000_000)),
        ("pameran jatim fair bagi produk ikm", Decimal(38_500_000)),
        ("Pendataan IKM perempuan", None),
    ]
    assert gbs.total == Decimal(83_500_000)
    assert "1. 20 (L 13 · P 5 · disabilitas 2) jenis produk" in gbs.output_target
    assert gbs.expected_outcome == gap.gender_indicators


def test_action_lines_drop_bullets_and_blank_lines() -> None:
    assert action_lines("- a\n\n 2) b \n• c\nd") == ["a", "b", "c", "d"]


def test_only_kegiatan_and_sub_kegiatan_have_documents(db: Database) -> None:
    with db.begin() as s:
        program = s.scalar(select(PlanNode.key).where(PlanNode.level == "program").limit(1))
        assert program is not None
        with pytest.raises(PprgError, match="kegiatan atau sub kegiatan"):
            prefill_gap(s, program, 2024)
        with pytest.raises(LookupError, match="tidak ada"):
            prefill_gap(s, "n-tidak-ada", 2024)
