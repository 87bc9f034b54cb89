"""Issue 12 item 5: Pokja edits the OPD catalogue (names, short names, variants, new OPDs)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.models.schema import AuditEntry, Opd, PlanRow
from app.services import catalog
from app.services.matrix_apply import apply_matrix
from app.services.matrix_export import export_matrix
from app.services.opd_catalogue import (
    CatalogueError,
    add_opd,
    list_opds,
    new_opd_code,
    update_opd,
)
from app.services.plan_import import catalogue, match_opds, opd_key
from app.services.seeding import load_plan_data
from tests.services.submission_helpers import dump_bytes, make_pair


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    d = open_database(tmp_path / "pokja.sqlite")
    load_plan_data(d, synthetic_plan(30, opds=3))
    yield d
    d.dispose()


def entries(db: Database) -> dict[str, tuple[str, str, int, tuple[str, ...]]]:
    with db.begin() as s:
        return {e.code: (e.name, e.short_name, e.rows, e.variants) for e in list_opds(s)}


def audits(db: Database) -> list[tuple[str, str, str | None, str | None]]:
    with db.begin() as s:
        return [
            (a.action, a.field, a.old_value, a.new_value)
            for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_list_shows_code_name_short_rows_and_variants(db: Database) -> None:
    listed = entries(db)
    with db.begin() as s:
        counts = dict(
            s.execute(
                select(Opd.code, func.count(PlanRow.id)).join(PlanRow).group_by(Opd.code)
            ).all()
        )
        expected = {
            o.code: (
                o.name,
                o.short_name,
                counts.get(o.code, 0),
                tuple(sorted(a.variant for a in o.aliases)),
            )
            for o in s.scalars(select(Opd))
        }
    assert listed == expected
    assert sum(e[2] for e in listed.values()) == 30


def test_rename_short_name_and_variants_in_one_audited_save(db: Database) -> None:
    code = sorted(entries(db))[0]
    old_name, old_short, _, old_variants = entries(db)[code]
    done = update_opd(
        db,
        code,
        name="Dinas Pemberdayaan Baru",
        short_name="DPB",
        variants=["DINAS P. BARU", "Dns Pemberdayaan Baru"],
        user="pokja",
    )
    assert len(done) == 4 + len(old_variants)
    name, short, _, variants = entries(db)[code]
    assert (name, short) == ("Dinas Pemberdayaan Baru", "DPB")
    assert variants == ("DINAS P. BARU", "Dns Pemberdayaan Baru")
    got = audits(db)
    assert ("katalog-opd-nama", code, old_name, "Dinas Pemberdayaan Baru") in got
    assert ("katalog-opd-singkat", code, old_short, "DPB") in got
    assert ("katalog-opd-varian", code, None, "DINAS P. BARU") in got
    assert all(("katalog-opd-varian-hapus", code, v, None) in got for v in old_variants)
    # Saving the same again changes nothing and audits nothing.
    n = len(got)
    assert update_opd(db, code, name=name, short_name=short, variants=variants) == []
    assert len(audits(db)) == n


def test_import_matching_uses_the_variants(db: Database) -> None:
    code = sorted(entries(db))[1]
    name, short, _, _ = entries(db)[code]
    update_opd(db, code, name=name, short_name=short, variants=["Badan Ejaan Lama Sekali"])
    with db.begin() as s:
        assert catalogue(s)[opd_key("BADAN  ejaan-lama sekali")].code == code
        (m,) = match_opds(s, Counter({"Badan Ejaan Lama Sekali.": 2}))
        assert m.code == code
        assert catalog.find_opd(s, "badan ejaan lama sekali").code == code


def test_a_spelling_of_another_opd_is_refused_and_nothing_written(db: Database) -> None:
    a, b = sorted(entries(db))[:2]
    name_b = entries(db)[b][0]
    name_a, short_a, _, variants_a = entries(db)[a]
    snapshot = dump_bytes(db)
    # The same name with other case and punctuation is the same spelling for an import.
    with pytest.raises(CatalogueError, match="sudah menunjuk OPD lain"):
        update_opd(db, a, name=name_a, short_name=short_a, variants=[name_b.upper() + "."])
    with pytest.raises(CatalogueError, match="sudah menunjuk OPD lain"):
        update_opd(db, a, name=name_b.lower(), short_name=short_a, variants=variants_a)
    with pytest.raises(CatalogueError, match="sudah menunjuk OPD lain"):
        add_opd(db, name="Badan Lain", variants=[f" {name_b} "])
    assert dump_bytes(db) == snapshot


@pytest.mark.parametrize(
    "name, reason", [("", "wajib diisi"), ("Dinas\x00Uji", "Nama OPD"), ("x" * 501, "Nama OPD")]
)
def test_bad_text_is_refused(db: Database, name: str, reason: str) -> None:
    code = sorted(entries(db))[0]
    snapshot = dump_bytes(db)
    with pytest.raises(CatalogueError, match=reason):
        update_opd(db, code, name=name, short_name="S", variants=[])
    assert dump_bytes(db) == snapshot


def test_add_opd_with_generated_or_typed_unique_code(db: Database) -> None:
    first = add_opd(db, name="Dinas Pariwisata dan Kebudayaan", short_name="Disparbud", user="p")
    assert first.code == "DISPARBUD"
    # A code made from the name is numbered when taken (the spellings differ: ü ≠ u).
    assert add_opd(db, name="Badan Ü", short_name="Disparbud Ü").code == "DISPARBUD-2"
    assert entries(db)["DISPARBUD"] == ("Dinas Pariwisata dan Kebudayaan", "Disparbud", 0, ())
    assert ("katalog-opd-baru", "DISPARBUD", None, "Dinas Pariwisata dan Kebudayaan") in audits(db)
    typed = add_opd(db, name="Badan Riset Daerah", code="BRIDA", variants=["BRIDA Kab."])
    assert entries(db)["BRIDA"][3] == ("BRIDA Kab.",)
    assert typed.short_name == "Badan Riset Daerah"
    snapshot = dump_bytes(db)
    with pytest.raises(CatalogueError, match="sudah dipakai"):
        add_opd(db, name="Badan Lain Lagi", code="BRIDA")
    with pytest.raises(CatalogueError, match="Kode OPD hanya boleh"):
        add_opd(db, name="Badan Lain Lagi", code="ada spasi")
    assert dump_bytes(db) == snapshot


def test_new_code_rule() -> None:
    assert new_opd_code("Dinas P & K", {"DINAS-P-K"}) == "DINAS-P-K-2"
    assert new_opd_code("!!!", set()) == "OPD"


def test_an_edited_catalogue_reaches_the_focal_point(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    try:
        code = sorted(entries(pair.pokja))[0]
        update_opd(pair.pokja, code, name="Nama Resmi Baru", short_name="NRB", variants=["N.R.B"])
        added = add_opd(pair.pokja, name="Badan Baru Pokja")
        out = export_matrix(
            pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "m", now=datetime(2026, 12, 1)
        )
        apply_matrix(pair.focal, out.path, accept_key=True)
        got = entries(pair.focal)
        assert got[code][:2] == ("Nama Resmi Baru", "NRB") and "N.R.B" in got[code][3]
        assert got[added.code][0] == "Badan Baru Pokja"
    finally:
        pair.dispose()
