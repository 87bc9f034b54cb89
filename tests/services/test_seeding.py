"""Seeding the shipped plans: once per shipped data, then one cheap check per start."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models.db import Database
from app.models.schema import Opd, OpdAlias, Plan, Setting
from app.services import seeding
from app.services.database import open_seeded


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("seeded") / "m.sqlite"
    open_seeded(path).dispose()
    yield path


@pytest.fixture
def db(seeded_file: Path, tmp_path: Path, copy_db) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.sqlite"
    copy_db(seeded_file, path)
    d = open_seeded(path)
    yield d
    d.dispose()


def _fingerprint(db: Database) -> str | None:
    with db.begin() as s:
        row = s.get(Setting, seeding.SEED_SETTING)
        return row.value if row is not None else None


def test_seeding_stores_what_it_seeded(db: Database) -> None:
    shipped = [seeding.resource("opd_lumajang.json"), *seeding.plan_files()]
    assert _fingerprint(db) == seeding.seed_fingerprint(shipped)


def test_a_seeded_database_is_not_seeded_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the OPD list and the plans were read again")

    monkeypatch.setattr(seeding, "ensure_opds", refuse)
    monkeypatch.setattr(seeding, "load_plan", refuse)
    assert seeding.ensure_seeded(db) == []


def test_a_database_seeded_before_the_fingerprint_is_completed_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.begin() as s:
        s.delete(s.get(Setting, seeding.SEED_SETTING))
        opd = s.scalars(select(Opd).where(Opd.aliases.any())).first()
        assert opd is not None
        removed = opd.aliases.pop()
        removed_variant = removed.variant
    assert seeding.ensure_seeded(db) == []  # nothing new to load, but checked whole
    with db.begin() as s:
        back = s.scalar(select(func.count()).where(OpdAlias.variant == removed_variant))
        assert back == 1
    assert _fingerprint(db) is not None


def test_new_shipped_data_is_loaded(db: Database, tmp_path: Path) -> None:
    """A later version ships another plan: the stored fingerprint does not hide it."""
    renstra = next(p for p in seeding.plan_files() if p.name.startswith("renstra"))
    data = json.loads(renstra.read_text(encoding="utf-8"))
    data["plan"]["code"] = "RENSTRA-BARU"
    for row in data["rows"]:  # (row keys are unique across plans)
        row["key"] = "baru-" + row["key"]
    extra = tmp_path / "zz_renstra_baru.json"
    extra.write_text(json.dumps(data), encoding="utf-8")
    before = _fingerprint(db)
    assert seeding.ensure_seeded(db, [*seeding.plan_files(), extra]) == ["RENSTRA-BARU"]
    with db.begin() as s:
        assert "RENSTRA-BARU" in set(s.scalars(select(Plan.code)))
    assert _fingerprint(db) not in (None, before)
