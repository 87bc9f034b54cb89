"""``python -m app board``: the completeness board as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.__main__ import main
from app.services import importer
from tests.services.submission_helpers import make_pair, submit


@pytest.fixture
def pokja(tmp_path: Path) -> Path:
    pair = make_pair(tmp_path)
    xlsx = submit(pair, tmp_path / "kiriman.xlsx")
    assert importer.import_file(pair.pokja, xlsx, accept_new_key=True).ok
    path = pair.pokja.path
    assert path is not None
    pair.dispose()
    return path


def test_board_as_text(pokja: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["board", "--db", str(pokja), "--year", "2023"]) == 0
    out = capsys.readouterr().out
    assert "Tahun 2023: 1 dari 3 Perangkat Daerah mengirim" in out
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert "revisi 1, " in lines["Dinas Uji 001"] and "(100%)" in lines["Dinas Uji 001"]
    assert "belum ada" in lines["Dinas Uji 002"]
    assert "Tahun 2022" not in out


def test_board_as_json_for_every_year(pokja: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["board", "--db", str(pokja), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["years"] == [2022, 2023, 2024]
    assert [o["code"] for o in data["opds"]] == ["OPD-001", "OPD-002", "OPD-003"]
    cell = data["opds"][0]["years"]["2023"]
    assert cell["state"] == "signed" and cell["filled"] == cell["rows"]
    assert data["opds"][0]["years"]["2022"]["state_text"] == "belum ada"


def test_year_outside_the_plan_is_a_usage_error(
    pokja: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["board", "--db", str(pokja), "--year", "2030"]) == 2
    assert "di luar periode" in capsys.readouterr().err
