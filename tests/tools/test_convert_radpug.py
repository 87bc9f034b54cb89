"""The committed plan data file is exactly what the converter makes from the seed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.tools.conftest import convert_from_seed
from tools import convert_radpug as conv


@pytest.fixture(scope="module")
def converted() -> tuple[dict[str, Any], str]:
    return convert_from_seed(conv)


@pytest.fixture(scope="module")
def rows(converted: tuple[dict[str, Any], str]) -> list[dict[str, Any]]:
    return converted[0]["rows"]


def by_line(rows: list[dict[str, Any]], line: int) -> dict[str, Any]:
    found = [r for r in rows if r["seed_line"] == line]
    assert len(found) == 1, f"expected one row from seed line {line}"
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


def test_check_mode_passes(converted: tuple[dict[str, Any], str]) -> None:
    assert conv.main(["--check"]) == 0


def test_check_mode_fails_on_stale_output(
    tmp_path: Path, converted: tuple[dict[str, Any], str]
) -> None:
    stale = tmp_path / "plan.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert conv.main(["--check", "--out", str(stale), "--review", str(conv.DEFAULT_REVIEW)]) == 1


def test_row_count(rows: list[dict[str, Any]]) -> None:
    # 848 rows: the ~871 content lines of Tabel 4.2 minus page-break tails merged into
    # the row above, echo lines, one hierarchy-only line and one skipped fragment.
    assert 840 <= len(rows) <= 900
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["seed_line"] for r in rows] == sorted(r["seed_line"] for r in rows)


def test_every_row_has_a_known_opd(
    converted: tuple[dict[str, Any], str], rows: list[dict[str, Any]]
) -> None:
    canonical = json.loads(conv.OPD_PATH.read_text(encoding="utf-8"))
    codes = {o["code"] for o in canonical["opds"]}
    assert all(r["opd"] in codes for r in rows)
    assert {o["code"] for o in converted[0]["opds"]} == {r["opd"] for r in rows}


def test_dinkes_has_most_rows(rows: list[dict[str, Any]]) -> None:
    assert sum(r["opd"] == "DINKES-PPKB" for r in rows) > 400


def test_keys_unique_and_content_derived(rows: list[dict[str, Any]]) -> None:
    keys = [r["key"] for r in rows]
    assert len(set(keys)) == len(keys)
    assert all(k.startswith("rp-") for k in keys)


def test_every_year_present(
    converted: tuple[dict[str, Any], str], rows: list[dict[str, Any]]
) -> None:
    plan = converted[0]["plan"]
    years = [str(y) for y in range(plan["start_year"], plan["end_year"] + 1)]
    for r in rows:
        assert list(r["targets"]) == years
        for t in r["targets"].values():
            assert set(t) == {"text", "is_percent", "total", "male", "female", "disabled"}
            if t["text"] in ("", "-"):
                assert t["total"] is None


def test_thousands_dot_target(rows: list[dict[str, Any]]) -> None:
    row = by_line(rows, 1137)
    assert row["targets"]["2022"]["text"] == "9.500"
    assert row["targets"]["2022"]["total"] == "9500"
    assert row["opd"] == "DPUTR"


def test_decimal_comma_target(rows: list[dict[str, Any]]) -> None:
    row = by_line(rows, 1165)
    assert row["targets"]["2024"]["text"] == "268,08"
    assert row["targets"]["2024"]["total"] == "268.08"


def test_ikm_example_row(rows: list[dict[str, Any]]) -> None:
    row = by_line(rows, 1012)
    assert row["aktivitas"] == "Pameran Jatim Fair bagi produk IKM"
    assert row["sub_kegiatan"] == "Pameran Dagang Lokal"
    assert row["program"] == "PROGRAM PENGEMBANGAN EKSPOR"  # carried down from line 1011
    assert row["opd"] == "DINKOP-UKMPP"
    t = row["targets"]["2022"]
    assert t["text"] == "20 jenis produk dari 15 IKM laki - laki, 5 IKM perempuan"
    assert (t["total"], t["male"], t["female"], t["disabled"]) == ("20", "15", "5", None)
    t24 = row["targets"]["2024"]
    assert (t24["total"], t24["male"], t24["female"], t24["disabled"]) == ("20", "13", "5", "2")


def test_page_break_continuation_merged(rows: list[dict[str, Any]]) -> None:
    # Lines 1060/1063: kegiatan name cut by the page break (correction "continues").
    full = (
        "Kegiatan Penyediaan Dan Penyaluran Bahan Baku Industri Pengolahan Ikan Dalam "
        "1 (Satu) Daerah Kabupaten/Kota"
    )
    assert by_line(rows, 1060)["kegiatan"] == full
    assert by_line(rows, 1063)["kegiatan"] == full
    # Line 1067 holds only the remark of line 1064.
    assert by_line(rows, 1064)["keterangan"].endswith("setiap/ semua kegiatan acara")


def test_opd_from_correction(rows: list[dict[str, Any]]) -> None:
    row = by_line(rows, 2488)
    assert row["opd"] == "SETDA-BAG-ORGANISASI"
    assert row["opd_text"] is None
    assert "opd" in row["corrected"]


def test_opd_variants_mapped(rows: list[dict[str, Any]]) -> None:
    assert by_line(rows, 1064)["opd"] == by_line(rows, 1068)["opd"] == "DPMPTSP"
    assert by_line(rows, 1068)["opd_text"] == "DPMPPTSP"
    assert by_line(rows, 2125)["opd"] == "DPKP" and by_line(rows, 2125)["opd_text"] == "dpkp"


def test_share_from_indicator(rows: list[dict[str, Any]]) -> None:
    row = by_line(rows, 1522)
    assert row["share"] == {"total": "100", "male": "25", "female": "75", "disabled": None}


def test_two_target_columns_page(rows: list[dict[str, Any]]) -> None:
    # Page with only two target columns: corrections put them in 2023 and 2024.
    row = by_line(rows, 1015)
    assert row["targets"]["2022"]["text"] == ""
    assert row["targets"]["2023"]["disabled"] == "1"
    assert row["targets"]["2024"]["disabled"] == "2"


def test_unknown_correction_line_is_an_error() -> None:
    seed = conv.default_seed_path()
    if not seed.exists():
        pytest.skip(f"seed file not available: {seed}")
    bad = {"corrections": [{"line": 5, "set": {"opd": "DLH"}, "reason": "test"}]}
    with pytest.raises(conv.ConversionError):
        conv.convert(seed.read_text(encoding="utf-8"), bad)


def test_missing_opd_without_correction_is_an_error() -> None:
    seed = conv.default_seed_path()
    if not seed.exists():
        pytest.skip(f"seed file not available: {seed}")
    with pytest.raises(conv.ConversionError, match="without OPD"):
        conv.convert(seed.read_text(encoding="utf-8"), {"corrections": []})
