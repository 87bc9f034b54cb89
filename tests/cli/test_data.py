"""``summary``, ``dump`` and ``arg`` (app.cli.data) on a new database seeded with the
official matrix."""

import json
from pathlib import Path

import pytest

from app.__main__ import main
from app.domain.arg import Answer
from app.domain.realisation import parse_realisation
from app.formats.arg_questions import current_question_set
from app.services import arg_store, catalog, entry
from app.services.database import open_seeded


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_summary_json_on_a_new_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], on_server: bool
) -> None:
    db = tmp_path / "new" / "monev.sqlite"
    code, out, _ = _run(capsys, "summary", "--db", str(db), "--json")
    assert code == 0 and (on_server or db.exists())
    data = json.loads(out)
    # The seed has ~871 content lines; page-break tails and echoes are merged (review file).
    assert 840 <= data["rows"] <= 900
    assert data["rows_without_opd"] == 0
    assert sum(o["rows"] for o in data["opds"]) == data["rows"]
    dinkes = next(o for o in data["opds"] if o["code"] == "DINKES-PPKB")
    assert dinkes["rows"] > 400
    assert data["filled"] == 0 and data["year"] == 2022


def test_summary_counts_a_filled_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.sqlite"
    db = open_seeded(path)
    with db.begin() as s:
        row = catalog.load_rows(s, catalog.get_plan(s).id)[0]
    entry.save_realisation(db, row.id, 2023, parse_realisation({"total": "5"}), "u")
    db.dispose()
    code, out, _ = _run(capsys, "summary", "--db", str(path), "--year", "2023")
    assert code == 0
    assert "1 terisi" in out
    code, _, err = _run(capsys, "summary", "--db", str(path), "--year", "2031")
    assert code == 2 and "di luar periode" in err


def _targets(rows: list[dict], text_start: str) -> dict:
    for r in rows:
        for t in r["targets"].values():
            if t["text"].startswith(text_start):
                return t
    raise AssertionError(f"no target starting with {text_start!r}")


def test_dump_shows_targets_as_written_and_parsed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "dump", "--db", str(tmp_path / "d.sqlite"))
    assert code == 0
    data = json.loads(out)
    rows = data["rows"]
    assert data["row_count"] == len(rows) and all(r["opd"] for r in rows)
    assert len({r["key"] for r in rows}) == len(rows)
    assert _targets(rows, "9.500")["total"] == "9500"
    assert _targets(rows, "268,08")["total"] == "268.08"
    ikm = _targets(rows, "20 jenis produk dari 15 IKM laki - laki, 5 IKM perempuan")
    assert (ikm["total"], ikm["male"], ikm["female"]) == ("20", "15", "5")


def test_dump_of_one_opd_by_a_variant_spelling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys, "dump", "--db", str(tmp_path / "d.sqlite"), "--opd", "Dinkes PP & KB"
    )
    assert code == 0
    rows = json.loads(out)["rows"]
    assert len(rows) > 400 and {r["opd"] for r in rows} == {"DINKES-PPKB"}
    code, _, err = _run(capsys, "dump", "--db", str(tmp_path / "d.sqlite"), "--opd", "Dinas X")
    assert code == 2 and "tidak dikenal" in err


def test_arg_recap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.sqlite"
    db = open_seeded(path)
    qset = current_question_set()
    with db.begin() as s:
        node = arg_store.assessable_nodes(s, catalog.get_plan(s).id)[0]
    for i, q in enumerate(qset.questions):
        save = Answer.YA if i < 10 else Answer.TIDAK
        arg_store.save_answer(db, node.id, 2024, qset, q.id, save, "", "u")
    db.dispose()
    code, out, _ = _run(capsys, "arg", "--db", str(path), "--year", "2024", "--json")
    assert code == 0
    data = json.loads(out)
    (row,) = data["rows"]
    assert row["total_ya"] == 10 and row["class"] == "Kurang Responsif Gender"
    assert data["class_counts"][node.opd_name] == {"Kurang Responsif Gender": 1}
    code, out, _ = _run(capsys, "arg", "--db", str(path), "--year", "2024")
    assert "Kurang Responsif Gender" in out


def test_arg_and_report_refuse_a_year_outside_the_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "y.sqlite")
    code, _, err = _run(capsys, "arg", "--db", db, "--year", "2019")
    assert code == 2 and "di luar periode 2022–2024" in err
    code, _, err = _run(
        capsys, "report", "--db", db, "--year", "2031", "--pdf", str(tmp_path / "x.pdf")
    )
    assert code == 2 and "di luar periode" in err
    assert not (tmp_path / "x.pdf").exists()
