"""The committed Renstra plan file is exactly what the converter makes from the seed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.tools.conftest import convert_from_seed
from tools import convert_renstra as conv


@pytest.fixture(scope="module")
def converted() -> tuple[dict[str, Any], str]:
    return convert_from_seed(conv)


@pytest.fixture(scope="module")
def rows(converted: tuple[dict[str, Any], str]) -> list[dict[str, Any]]:
    return converted[0]["rows"]


def by_code(rows: list[dict[str, Any]], code: str) -> dict[str, Any]:
    found = [r for r in rows if r["no"] == code]
    assert found, f"no row with code {code}"
    return found[0]


def test_committed_files_match_converter(converted: tuple[dict[str, Any], str]) -> None:
    data, review = converted
    assert conv.DEFAULT_OUT.read_text(encoding="utf-8") == conv.dump_json(data)
    assert conv.DEFAULT_REVIEW.read_text(encoding="utf-8") == review


def test_output_is_deterministic(converted: tuple[dict[str, Any], str]) -> None:
    seed = conv.default_seed_path().read_text(encoding="utf-8")
    corrections = json.loads(conv.CORRECTIONS_PATH.read_text(encoding="utf-8"))
    again = conv.convert(seed, corrections)
    assert conv.dump_json(again[0]) == conv.dump_json(converted[0])
    assert again[1] == converted[1]


def test_check_mode(tmp_path: Path, converted: tuple[dict[str, Any], str]) -> None:
    assert conv.main(["--check"]) == 0
    stale = tmp_path / "plan.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert conv.main(["--check", "--out", str(stale), "--review", str(conv.DEFAULT_REVIEW)]) == 1


def test_plan_is_a_renstra_of_its_own_period(converted: tuple[dict[str, Any], str]) -> None:
    plan = converted[0]["plan"]
    assert (plan["kind"], plan["start_year"], plan["end_year"]) == ("renstra", 2024, 2026)
    assert plan["code"] == "RENSTRA-SETDA-LMJ-2024-2026"


def test_three_tables_and_the_hierarchy(rows: list[dict[str, Any]]) -> None:
    sources = {r["source_table"] for r in rows}
    assert sources == {"TC-25", "TC-27", "Tabel 4.2"}
    assert sum(r["source_table"] == "TC-25" for r in rows) == 7
    programs = {r["program_code"] for r in rows if r["program_code"]}
    kegiatan = {r["kegiatan_code"] for r in rows if r["kegiatan_code"]}
    subs = {(r["kegiatan"], r["sub_kegiatan"]) for r in rows if r["sub_kegiatan"]}
    assert (len(programs), len(kegiatan), len(subs)) == (3, 20, 71)
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert len({r["key"] for r in rows}) == len(rows)


def test_tc25_targets_and_split_sasaran(rows: list[dict[str, Any]]) -> None:
    tc25 = [r for r in rows if r["source_table"] == "TC-25"]
    ikm = next(r for r in tc25 if r["indikator"] == "Indeks Kepuasan Masyarakat")
    assert [ikm["targets"][y]["total"] for y in ("2024", "2025", "2026")] == ["83.5", "84", "84.5"]
    pbj = next(r for r in tc25 if r["indikator"] == "Indeks tata kelola pengadaan")
    # The sasaran cell is cut after "serta" and continues on the next line.
    assert pbj["sasaran"].endswith("serta Pengelolahan Pengadaan Barang dan Jasa")
    assert pbj["targets"]["2024"]["text"] == "70 (Cukup)"
    assert pbj["formula"].startswith("Nilai Pemanfaatan Sistem Pengadaan")


def test_tc27_row_with_everything(rows: list[dict[str, Any]]) -> None:
    r = by_code(rows, "4.01.01.2.01.01")
    assert r["statement"] == "Tersusunnya Dokumen Perencanaan Perangkat Daerah"
    assert r["baseline"] == {"text": "4 dokumen", "value": "4"}
    assert [r["targets"][y]["total"] for y in ("2024", "2025", "2026")] == ["4", "6", "4"]
    assert r["targets"]["2024"]["budget"] == "21692375"
    assert r["end_target"]["value"] == "14" and r["end_budget"]["value"] == "69691134"
    assert r["node_opd"] == "SETDA"


def test_garbled_codes_are_reconciled(rows: list[dict[str, Any]]) -> None:
    for printed, code in [
        ("01.2.14", "4.01.01.2.14"),
        ("4.01.01.13.04", "4.01.01.2.13.04"),
        ("01.2.02.02", "4.01.01.2.02.02"),
    ]:
        assert by_code(rows, code)["code_printed"] == printed
    assert by_code(rows, "4.01.01.2.14.01")["kegiatan_code"] == "4.01.01.2.14"


def test_duplicated_block_is_kept_once(rows: list[dict[str, Any]]) -> None:
    assert sum(r["no"] == "4.01.03.2.02.01" for r in rows) == 1
    r = by_code(rows, "4.01.03.2.02.01")  # the corrected first copy
    assert r["satuan"] == "Dokumen" and r["indikator"].startswith("Jumlah Dokumen Hasil")


def test_program_with_three_indicators(rows: list[dict[str, Any]]) -> None:
    prog = [r for r in rows if r["source_table"] == "TC-27" and r["no"] == "4.01.02"]
    assert len(prog) == 3
    assert {r["opd"] for r in prog} == {"SETDA-BAG-KESRA", "SETDA-BAG-TAPEM", "SETDA-BAG-HUKUM"}


def test_inflation_is_lower_is_better(rows: list[dict[str, Any]]) -> None:
    inflation = next(r for r in rows if r["indikator"] == "Angka Inflasi Daerah" and r["no"])
    assert inflation["polarity"] == "lower"
    assert inflation["targets"]["2024"] == {
        "text": "5.51 %",
        "is_percent": True,
        "total": "5.51",
        "male": None,
        "female": None,
        "disabled": None,
        "budget_text": "",
        "budget": None,
    }


def test_rows_belong_to_their_bagian(rows: list[dict[str, Any]]) -> None:
    assert by_code(rows, "4.01.01.2.05.10")["opd"] == "SETDA-BAG-HUKUM"  # "… Bagian Hukum"
    assert by_code(rows, "4.01.01.2.11.01")["opd"] == "SETDA-BAG-TU-PROTOKOL"  # Lokasi column
    assert by_code(rows, "4.01.01.2.12.02")["opd"] == "SETDA-BAG-UMUM"  # inherited
    assert by_code(rows, "4.01.01.2.01.01")["opd"] == "SETDA"


def test_corrections_fix_cell_order(rows: list[dict[str, Any]]) -> None:
    r = by_code(rows, "4.01.01.2.05")  # the sub kegiatan prove the order
    assert r["targets"]["2025"]["budget"] == "510235000"
    assert r["targets"]["2026"]["budget"] is None
    assert r["end_budget"]["value"] == "19347572500"
    assert "budgets" in r["corrected"]


def test_review_reconciles_the_counts(converted: tuple[dict[str, Any], str]) -> None:
    review = converted[1]
    assert "| sub kegiatan | 71 | 70 | 72 |" in review
    assert "| kegiatan | 20 | 20 | 20 |" in review
    assert "Koordinasi, Sinkronisasi, dan Evaluasi Kebijakan Energi dan Air" in review
    assert "`01.2.14` → `4.01.01.2.14`" in review
    assert "`4.01.01.13.04` → `4.01.01.2.13.04`" in review


def test_review_lists_every_end_of_period_difference(
    converted: tuple[dict[str, Any], str], rows: list[dict[str, Any]]
) -> None:
    from app.domain.renstra import EndMode, check_end, end_mode, parse_figure

    review = converted[1]
    section = review.split("## End-of-period targets that differ")[1].split("## Program and")[0]
    n = 0
    for r in rows:
        if r["source_table"] != "TC-27":
            continue
        years = [r["targets"][y] for y in ("2024", "2025", "2026")]
        figs = [parse_figure(t["text"]) for t in years]
        mode = end_mode(r["satuan"], figs, r["indikator"])
        value = r["end_target"]["value"]
        t = check_end([f.value for f in figs], None if value is None else conv.Decimal(value), mode)
        amounts = [None if t["budget"] is None else conv.Decimal(t["budget"]) for t in years]
        doc_rp = r["end_budget"]["value"]
        b = check_end(amounts, None if doc_rp is None else conv.Decimal(doc_rp), EndMode.SUM)
        for check in (t, b):
            if check.differs:
                n += 1
                assert f"| {r['seed_line']} | `{r['no']}` |" in section
    assert n >= 20
    assert (
        "| 1049 | `4.01.01.2.06.04` | 28 paket / 29 paket / 27 paket | sum | 84 | 82 paket |"
        in (section)
    )


def test_corrections_file_is_strict() -> None:
    seed = conv.default_seed_path()
    if not seed.exists():
        pytest.skip("seed file not available")
    text = seed.read_text(encoding="utf-8")
    real = json.loads(conv.CORRECTIONS_PATH.read_text(encoding="utf-8"))["corrections"]
    extra = {"line": 5, "skip": True, "reason": "not a table line"}
    with pytest.raises(conv.ConversionError, match="not applied"):
        conv.convert(text, {"corrections": [*real, extra]})
    with pytest.raises(conv.ConversionError, match="reason"):
        conv.convert(text, {"corrections": [*real, {"line": 976}]})
    guard = {"line": 976, "expect": {"satuan": "dokumen"}, "reason": "guard"}
    with pytest.raises(conv.ConversionError, match="seed changed"):
        conv.convert(text, {"corrections": [*real, guard]})


def _by_line(rows: list[dict[str, Any]], line: int) -> dict[str, Any]:
    found = [r for r in rows if r["seed_line"] == line]
    assert len(found) == 1, f"expected one row from seed line {line}"
    return found[0]


def test_amount_printed_on_1105_is_the_2026_budget_of_1106(rows: list[dict[str, Any]]) -> None:
    # Line 1106's own end of period proves it: 1.0 + 1.1 + 1.21 billion = 3.31 billion.
    r1105, r1106 = _by_line(rows, 1105), _by_line(rows, 1106)
    assert r1106["targets"]["2026"]["budget"] == "1210000000"
    years = [int(r1106["targets"][y]["budget"]) for y in ("2024", "2025", "2026")]
    assert sum(years) == int(r1106["end_budget"]["value"])
    assert r1105["targets"]["2026"]["budget"] is None  # not printed for 1105 itself
    assert r1105["key"] != r1106["key"]


def test_reason_for_989_is_arithmetically_true(
    converted: tuple[dict[str, Any], str], rows: list[dict[str, Any]]
) -> None:
    from decimal import Decimal

    t = _by_line(rows, 989)["targets"]
    b24, b25, b26 = (Decimal(t[y]["budget"]) for y in ("2024", "2025", "2026"))
    assert b25 == b24 * Decimal("1.05")
    assert b26 != b25 * Decimal("1.05")  # the old reason ("4,172,700 + 5 %") was false
    assert b26 == b24 * Decimal("1.105")  # what the review now says
    review = converted[1]
    line = next(s for s in review.splitlines() if s.startswith("- line 989 (targets)"))
    assert "3,974,000 × 1.105 = 4,391,270" in line
    assert "(= 4,172,700 + 5 %)" not in line
