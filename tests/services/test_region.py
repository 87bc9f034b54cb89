"""Where the region profile lives: the ``setting`` table, with shipped defaults."""

from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.region import Region, RegionError
from app.models.db import Database, open_database
from app.models.schema import Setting
from app.services.database import open_seeded
from app.services.region import default_region, load_region, store_region

PNG = b"\x89PNG\r\n\x1a\n" + b"\1" * 64
CONTOH = Region(
    "Contoh",
    "Kota",
    letterhead=("PEMERINTAH KOTA CONTOH", "BADAN PERENCANAAN PEMBANGUNAN DAERAH"),
    address="Jl. Merdeka No. 1, Contoh",
    place="Contoh",
    logo=PNG,
)


def _region_keys(db: Database) -> set[str]:
    with db.begin() as s:
        return set(s.scalars(select(Setting.key).where(Setting.key.startswith("region."))))


def test_the_shipped_profile_is_lumajang() -> None:
    r = default_region()
    assert r.full_name == "Kabupaten Lumajang"
    assert r.letterhead_lines == ("PEMERINTAH KABUPATEN LUMAJANG",)
    assert r.signature_place == "Lumajang"
    assert r.pokja_title == "Ketua Pokja PUG Kabupaten Lumajang"


def test_seeding_writes_the_shipped_profile(tmp_path: Path) -> None:
    db = open_seeded(tmp_path / "m.sqlite")
    try:
        assert "region.name" in _region_keys(db)
        with db.begin() as s:
            assert load_region(s) == default_region()
    finally:
        db.dispose()


def test_a_database_without_a_profile_reads_the_defaults(tmp_path: Path) -> None:
    db = open_database(tmp_path / "old.sqlite")
    try:
        assert _region_keys(db) == set()
        with db.begin() as s:
            assert load_region(s) == default_region()
        assert _region_keys(db) == set()  # reading writes nothing
    finally:
        db.dispose()


def test_a_stored_profile_is_read_back_and_survives_reopening(tmp_path: Path) -> None:
    db = open_seeded(tmp_path / "m.sqlite")
    try:
        assert store_region(db, CONTOH) == CONTOH
    finally:
        db.dispose()
    db = open_seeded(tmp_path / "m.sqlite")  # seeding again must not reset it
    try:
        with db.begin() as s:
            assert load_region(s) == CONTOH
    finally:
        db.dispose()


def test_a_refused_profile_leaves_the_stored_one(tmp_path: Path) -> None:
    db = open_seeded(tmp_path / "m.sqlite")
    try:
        store_region(db, CONTOH)
        with pytest.raises(RegionError, match="PNG atau JPEG"):
            store_region(db, Region("Lain", "Kota", logo=b"not an image"))
        with db.begin() as s:
            assert load_region(s) == CONTOH
    finally:
        db.dispose()
