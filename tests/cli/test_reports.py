"""The command line on a new database holding both plans: RAD PUG and the Renstra."""

import json
from pathlib import Path

import pytest

from app.__main__ import main

RENSTRA = "RENSTRA-SETDA-LMJ-2024-2026"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("renstra") / "monev.sqlite"


def test_summary_of_the_renstra(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "summary", "--db", str(db_path), "--plan", RENSTRA, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["plan"]["code"] == RENSTRA
    assert (data["plan"]["start_year"], data["plan"]["end_year"]) == (2024, 2026)
    assert data["year"] == 2024
    assert (data["programs"], data["kegiatan"], data["sub_kegiatan"]) == (3, 20, 71)
    assert data["rows_without_opd"] == 0
    codes = {o["code"] for o in data["opds"]}
    assert {"SETDA", "SETDA-BAG-UMUM", "SETDA-BAG-HUKUM", "SETDA-BAG-PBJ"} <= codes


def test_default_plan_is_still_rad_pug(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "summary", "--db", str(db_path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["plan"]["code"] == "RADPUG-LMJ-2022-2024"
    assert 840 <= data["rows"] <= 900


def test_year_outside_the_renstra_period(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(
        capsys, "summary", "--db", str(db_path), "--plan", RENSTRA, "--year", "2022"
    )
    assert code != 0 and "2024–2026" in err


def test_dump_of_a_bagian_shows_both_plans(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys, "dump", "--db", str(db_path), "--plan", RENSTRA, "--opd", "SETDA-BAG-UMUM"
    )
    assert code == 0
    data = json.loads(out)
    assert data["row_count"] > 0 and all(r["opd"] == "SETDA-BAG-UMUM" for r in data["rows"])
    row = next(r for r in data["rows"] if r["code"] == "4.01.01.2.07.03")
    assert row["kegiatan_code"] == "4.01.01.2.07"
    assert row["targets"]["2025"]["budget"] == "18925500"
    # Computed beside the document's own figure, with the difference marked.
    assert row["end_target"] == {
        "text": "6 unit",
        "document": "6",
        "computed": "6",
        "rule": "sum",
        "differs": False,
    }
    assert row["end_budget"]["computed"] == "3147334182"
    assert row["end_budget"]["document"] == "289993050"
    assert row["end_budget"]["differs"] is True
    # The same Bagian's RAD PUG rows are reached by the same OPD code.
    code, out, _ = _run(capsys, "dump", "--db", str(db_path), "--opd", "SETDA-BAG-UMUM")
    radpug = json.loads(out)
    assert code == 0 and radpug["plan"]["code"] == "RADPUG-LMJ-2022-2024"
    assert radpug["row_count"] > 0
    assert "end_target" not in radpug["rows"][0]  # RAD PUG rows keep their format


def test_report_prints_a_renstra_table_for_a_bagian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    db = str(tmp_path / "r.sqlite")
    pdf = tmp_path / "tc23.pdf"
    code = main(
        [
            "report",
            "--db",
            db,
            "--plan",
            "RENSTRA-SETDA-LMJ-2024-2026",
            "--table",
            "tc23",
            "--opd",
            "SETDA-BAG-PBJ",
            "--pdf",
            str(pdf),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    assert "TC23" in out and "PBJ" in out
    code = main(
        [
            "report",
            "--db",
            db,
            "--plan",
            "RENSTRA-SETDA-LMJ-2024-2026",
            "--pdf",
            str(tmp_path / "no-table.pdf"),
        ]
    )
    assert code == 2 and "--table" in capsys.readouterr().err
