"""Shared fixtures: every test gets its own data folder and temporary databases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Tests never need a screen; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.services.seeding import load_plan_data


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never touch the developer's real database from a test.
    monkeypatch.setenv("MONEV_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def syn_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh file database holding a 300-row synthetic plan over 5 OPDs."""
    db = open_database(tmp_path / "syn.sqlite")
    load_plan_data(db, synthetic_plan(300, opds=5))
    yield db
    db.dispose()
