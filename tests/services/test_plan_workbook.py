"""A plan from a workbook and back (issue #12 items 1-3): the whole Lumajang plan round
trip, OPD matching, and the import's refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.formats.plan_data import HIERARCHY
from app.models.db import Database
from app.models.schema import Opd, Plan, PlanRow
from app.services.database import open_seeded
from app.services.matrix_state import plan_data
from app.services.plan_import import (
    PlanImportError,
    export_plan,
    import_plan,
    opd_key,
    preview_plan,
)

LMJ = "RADPUG-LMJ-2022-2024"
ROW_FIELDS = (
    "no",
    *HIERARCHY,
    "aktivitas",
    "indikator",
    "satuan",
    "keterangan",
    "opd",
    "share",
    "polarity",
)
TARGET_FIELDS = ("text", "is_percent", "total", "male", "female", "disabled")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    d = open_seeded(tmp_path / "pokja.sqlite")
    yield d
    d.dispose()


def _data(db: Database, code: str) -> dict[str, Any]:
    with db.begin() as s:
        return plan_data(s, s.scalars(select(Plan).where(Plan.code == code)).one())


def test_the_whole_lumajang_plan_survives_export_and_import_under_a_new_code(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "lumajang.xlsx"
    with db.begin() as s:
        # Some indicators are better when lower (cases of violence): the polarity column
        # must carry them across, not reset them to "higher".
        rows = s.scalars(
            select(PlanRow).join(Plan).where(Plan.code == LMJ).order_by(PlanRow.id)
        ).all()
        for r in rows[::7]:
            r.polarity = "lower"
    with db.begin() as s:
        assert export_plan(s, LMJ, path) == 848
    done = import_plan(db, path, code="LMJ-SALINAN", region="Kabupaten Lumajang")
    assert done.rows == 848 and done.created_opds == ()
    old, new = _data(db, LMJ), _data(db, "LMJ-SALINAN")
    assert (new["plan"]["start_year"], new["plan"]["end_year"]) == (2022, 2024)
    assert "Kabupaten Lumajang" in new["plan"]["title"]
    assert len(new["rows"]) == len(old["rows"]) == 848
    for a, b in zip(old["rows"], new["rows"], strict=True):
        for f in ROW_FIELDS:
            assert b[f] == a[f], (a["key"], f)
        for year in ("2022", "2023", "2024"):
            for f in TARGET_FIELDS:
                assert b["targets"][year][f] == a["targets"][year][f], (a["key"], year, f)
    # The new rows have their own keys: no row key is shared with the shipped plan.
    assert not {r["key"] for r in old["rows"]} & {r["key"] for r in new["rows"]}


def _opd_workbook(path: Path, opd_names: list[str]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["PROGRAM", "KEGIATAN", "SUB KEGIATAN", "AKTIVITAS", "INDIKATOR", "SATUAN", "2026", "OPD"]
    )
    for i, name in enumerate(opd_names):
        ws.append(
            [
                "Program A",
                "Kegiatan A",
                "Sub A",
                f"Aktivitas {i}",
                f"Indikator {i}",
                "orang",
                "10",
                name,
            ]
        )
    wb.save(path)
    return path


def test_opd_names_match_ignoring_case_spacing_and_punctuation_and_close_ones_are_suggested(
    db: Database, tmp_path: Path
) -> None:
    with db.begin() as s:
        name = s.scalars(select(Opd.name).where(Opd.code == "DINSOS-PPPA")).one()
    variant = name.upper().replace(",", "").replace(" ", "  ")
    path = _opd_workbook(
        tmp_path / "opd.xlsx",
        [variant, "Dinas Sosial Pemberdayaan Perempuan", "Badan Antariksa Daerah"],
    )
    with db.begin() as s:
        preview = preview_plan(s, path)
    by_written = {m.written: m for m in preview.opds}
    assert opd_key(variant) == opd_key(name)
    assert by_written[" ".join(variant.split())].code == "DINSOS-PPPA"
    assert name in by_written["Dinas Sosial Pemberdayaan Perempuan"].suggestions
    assert [m.written for m in preview.unknown] == [
        "Badan Antariksa Daerah",
        "Dinas Sosial Pemberdayaan Perempuan",
    ]
    assert preview.period == (2026, 2026) and preview.rows == 3


def test_unknown_opds_are_refused_unless_the_caller_asks_to_create_them(
    db: Database, tmp_path: Path
) -> None:
    path = _opd_workbook(tmp_path / "opd.xlsx", ["Badan Antariksa Daerah"])
    with pytest.raises(PlanImportError, match="tidak ada di katalog: Badan Antariksa Daerah"):
        import_plan(db, path, code="BARU-2026", region="Kabupaten X")
    with db.begin() as s:
        assert s.scalar(select(Plan.id).where(Plan.code == "BARU-2026")) is None
    done = import_plan(db, path, code="BARU-2026", region="Kabupaten X", create_opds=True)
    assert done.created_opds == ("BADAN-ANTARIKSA-DAERAH",)
    with db.begin() as s:
        opd = s.scalars(select(Opd).where(Opd.code == "BADAN-ANTARIKSA-DAERAH")).one()
        assert opd.name == "Badan Antariksa Daerah"
        assert (
            s.scalar(select(func.count()).select_from(PlanRow).where(PlanRow.opd_id == opd.id)) == 1
        )


def test_an_existing_plan_code_is_refused_and_the_plan_left_alone(
    db: Database, tmp_path: Path
) -> None:
    path = _opd_workbook(tmp_path / "opd.xlsx", ["Dinsos PPPA"])
    with db.begin() as s:
        before = s.scalar(select(func.count()).select_from(PlanRow))
    with pytest.raises(PlanImportError, match="sudah ada"):
        import_plan(db, path, code=LMJ, region="Kabupaten Lumajang")
    with pytest.raises(PlanImportError, match="Kode rencana"):
        import_plan(db, path, code="kode dengan spasi", region="Kabupaten Lumajang")
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(PlanRow)) == before


def test_two_imports_of_one_workbook_make_distinct_row_keys(db: Database, tmp_path: Path) -> None:
    path = _opd_workbook(tmp_path / "opd.xlsx", ["Dinsos PPPA", "Dinsos PPPA"])
    import_plan(db, path, code="A-2026", region="Kabupaten X")
    import_plan(db, path, code="B-2026", region="Kabupaten X")
    a, b = _data(db, "A-2026"), _data(db, "B-2026")
    keys_a, keys_b = {r["key"] for r in a["rows"]}, {r["key"] for r in b["rows"]}
    assert len(keys_a) == len(keys_b) == 2 and not keys_a & keys_b


def test_a_misspelled_opd_mapped_to_an_existing_one_is_kept_as_its_alias(
    db: Database, tmp_path: Path
) -> None:
    # The wizard's decision per written name: an existing OPD (alias kept), or None (new).
    path = _opd_workbook(
        tmp_path / "opd.xlsx", ["Dinas Sosial Pemberdayaan Perempuan", "Badan Antariksa Daerah"]
    )
    done = import_plan(
        db,
        path,
        code="PILIH-2026",
        region="Kabupaten X",
        opd_choices={
            "Dinas Sosial Pemberdayaan Perempuan": "DINSOS-PPPA",
            "Badan Antariksa Daerah": None,
        },
    )
    assert done.created_opds == ("BADAN-ANTARIKSA-DAERAH",)
    assert done.aliases == ("Dinas Sosial Pemberdayaan Perempuan",)
    assert done.period == (2026, 2026)
    with db.begin() as s:
        dinsos = s.scalars(select(Opd).where(Opd.code == "DINSOS-PPPA")).one()
        assert "Dinas Sosial Pemberdayaan Perempuan" in {a.variant for a in dinsos.aliases}
        owners = {
            r.aktivitas: r.opd.code
            for r in s.scalars(select(PlanRow).join(Plan).where(Plan.code == "PILIH-2026"))
        }
        assert owners == {"Aktivitas 0": "DINSOS-PPPA", "Aktivitas 1": "BADAN-ANTARIKSA-DAERAH"}
        # The next preview matches the spelling by itself.
        again = {m.written: m.code for m in preview_plan(s, path).opds}
    assert again["Dinas Sosial Pemberdayaan Perempuan"] == "DINSOS-PPPA"
    assert again["Badan Antariksa Daerah"] == "BADAN-ANTARIKSA-DAERAH"


def test_an_opd_left_undecided_or_chosen_wrongly_refuses_the_whole_import(
    db: Database, tmp_path: Path
) -> None:
    path = _opd_workbook(tmp_path / "opd.xlsx", ["Dinsos PPPA", "Badan Antariksa Daerah"])
    with pytest.raises(PlanImportError, match="tidak ada di katalog: Badan Antariksa Daerah"):
        import_plan(db, path, code="X-2026", region="Kabupaten X", opd_choices={})
    with pytest.raises(PlanImportError, match="TIDAK-ADA"):
        import_plan(
            db,
            path,
            code="X-2026",
            region="Kabupaten X",
            opd_choices={"Badan Antariksa Daerah": "TIDAK-ADA"},
        )
    with db.begin() as s:
        assert s.scalar(select(Plan.id).where(Plan.code == "X-2026")) is None
        assert s.scalar(select(func.count()).select_from(Opd).where(Opd.code.like("BADAN%"))) == 0


def test_only_a_near_identical_spelling_is_offered_as_the_default(db: Database) -> None:
    # A new agency whose name merely shares words with another must not be preset to it.
    from collections import Counter

    from app.services.plan_import import match_opds

    written = Counter(
        {
            "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anakk": 1,  # a typo
            "Badan Riset dan Inovasi Daerah": 1,  # another agency
        }
    )
    with db.begin() as s:
        found = {m.written: m for m in match_opds(s, written)}
    typo = found["Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anakk"]
    assert typo.code is None and typo.confident and typo.closeness >= 0.85
    other = found["Badan Riset dan Inovasi Daerah"]
    assert not other.confident
