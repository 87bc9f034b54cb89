"""The committed plan data file is exactly what the converter makes from the seed."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from tests.tools.conftest import convert_from_seed
from tools import convert_radpug as conv
from tools import radpug_fidelity as fid


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


# --------------------------------------------------------------------------- fidelity


def _is_page_first(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(previous row, row) for every row that is the first data row of a seed page."""
    seed = conv.default_seed_path().read_text(encoding="utf-8")
    lines = conv.read_lines(seed, conv.variant_map(conv.load_opds()))
    page = {line.no: line.page for line in lines}
    return [
        (prev, row)
        for prev, row in itertools.pairwise(rows)
        if page[row["seed_line"]] != page[prev["seed_line"]]
    ]


def test_shifted_line_1804_realigned(rows: list[dict[str, Any]]) -> None:
    # Seed: "Pemenuhan operasional Puskesmas | persentase … | persen | 82 | 83 | 83 | (empty)"
    # sat one column too far left; 2024 was lost and 82 was the unit.
    row = by_line(rows, 1804)
    assert row["sub_kegiatan"] == "Operasional Pelayanan Puskesmas"  # from line 1803
    assert row["aktivitas"] == "Pemenuhan operasional Puskesmas"
    assert row["indikator"] == "persentase pemenuhan operasional puskesmas"
    assert row["satuan"] == "persen"
    assert [t["text"] for t in row["targets"].values()] == ["82", "83", "83"]


def test_every_shifted_line_realigned(rows: list[dict[str, Any]]) -> None:
    # The rule covers the other lines with the same defect, not only the example.
    for line in (1805, 1806, 1858, 1859, 1860):
        row = by_line(rows, line)
        assert row["satuan"] in ("persen", "kali", "orang"), line
        assert row["targets"]["2024"]["text"], line
    assert by_line(rows, 2458)["satuan"] == "Kegiatan"
    assert by_line(rows, 2458)["indikator"].startswith("Jumlah fasilitasi")


def test_no_row_still_shifted(rows: list[dict[str, Any]]) -> None:
    # Independent of the repair rule's wording: no SATUAN holds a bare figure, and no
    # row has a unit word as indicator with an indicator phrase as its activity.
    for r in rows:
        assert not fid.BARE_FIGURE_RE.match(r["satuan"] or "x"), r["seed_line"]
        values = {
            "aktivitas": r["aktivitas"],
            "indikator": r["indikator"],
            "satuan": r["satuan"],
            **{f"t{i}": t["text"] for i, t in enumerate(r["targets"].values())},
        }
        assert not fid.is_shifted_left(values, conv.INDICATOR_RE), r["seed_line"]


def test_remark_cut_by_page_break_returned(rows: list[dict[str, Any]]) -> None:
    # Line 1071 (Dinas Pariwisata) carried the end of line 1068's DPMPTSP remark.
    assert by_line(rows, 1068)["keterangan"].endswith(
        "pentingnya kesetaraan Gender pada kegiatan Koordinasi dan Sinkronisasi "
        "Pembinaan Pelaksanaan Penanaman Modal"
    )
    assert by_line(rows, 1071)["keterangan"] == ""
    assert by_line(rows, 1071)["opd"] == "DISPAR"


def test_no_page_first_remark_still_continues(rows: list[dict[str, Any]]) -> None:
    names = ("program", "kegiatan", "sub_kegiatan", "aktivitas", "indikator")
    pairs = _is_page_first(rows)
    assert len(pairs) > 100  # the check really walks the page breaks
    for prev, row in pairs:
        assert not fid.continues_previous(
            row["keterangan"],
            prev["keterangan"],
            [prev[f] for f in names],
            [row[f] for f in names],
        ), row["seed_line"]


def test_repaired_rows_keep_their_keys(rows: list[dict[str, Any]]) -> None:
    # Keys are what submissions point at: the repairs must not change any of them.
    seed = conv.default_seed_path().read_text(encoding="utf-8")
    corrections = json.loads(conv.CORRECTIONS_PATH.read_text(encoding="utf-8"))
    unrepaired, _ = conv.convert(seed, corrections, repair=False)
    assert [r["key"] for r in rows] == [r["key"] for r in unrepaired["rows"]]
    assert by_line(rows, 1804)["key"] == by_line(unrepaired["rows"], 1804)["key"]
    assert by_line(unrepaired["rows"], 1804)["satuan"] == "82"  # the defect, unrepaired


def test_review_lists_every_repair(converted: tuple[dict[str, Any], str]) -> None:
    review = converted[1]
    shifted = review.split("## Lines shifted one column to the left")[1].split("\n## ")[0]
    for line in (1804, 1805, 1806, 1858, 1859, 1860, 2458):
        assert f"- line {line} " in shifted
    moved = review.split("## Remarks cut by a page break")[1].split("\n## ")[0]
    assert "- line 1071 → line 1068" in moved


def test_realign_left_rule() -> None:
    left = ["", "", "activity", "indicator", "unit", "1", "2", "3", ""]
    assert fid.realign_left(left) == ["", "", "", "activity", "indicator", "unit", "1", "2", "3"]
    with pytest.raises(ValueError):
        fid.realign_left(["a", "b"])


def test_continuation_rule_needs_unfinished_remark() -> None:
    prev = ["Koordinasi dan Sinkronisasi Pembinaan Pelaksanaan Penanaman Modal"]
    own = ["Program Pemasaran Pariwisata"]
    text = "Gender pada kegiatan Koordinasi dan Sinkronisasi Pembinaan Penanaman Modal"
    assert fid.continues_previous(text, "pentingnya kesetaraan", prev, own)
    assert not fid.continues_previous(text, "pentingnya kesetaraan.", prev, own)
    assert not fid.continues_previous(text, "pentingnya kesetaraan", prev, [*own, *prev])


def test_review_explains_why_2234_is_dinsos_pppa(
    converted: tuple[dict[str, Any], str], rows: list[dict[str, Any]]
) -> None:
    row = by_line(rows, 2234)
    assert (row["opd_text"], row["opd"]) == ("Disdalduk, KB dan PP", "DINSOS-PPPA")
    # The evidence the review gives: every other row of the program is Dinsos PPPA's.
    others = [r for r in rows if r["program"] == row["program"] and r is not row]
    assert others and all(r["opd"] == "DINSOS-PPPA" for r in others)
    section = converted[1].split("## Spellings that name another agency")[1].split("\n## ")[0]
    assert "- line 2234 " in section and f"{len(others)} × Dinsos PPPA" in section


def test_cell_tails_inside_an_opd_block_returned(rows: list[dict[str, Any]]) -> None:
    # Line 1378 opens page 72 with an activity of its own (no indicator, unit or target)
    # and carries the ends of line 1375's indicator and remark; line 1372 closes the
    # bracket that line 1366's remark opened on the page before.
    r1375, r1378 = by_line(rows, 1375), by_line(rows, 1378)
    assert r1375["indikator"].endswith("Fasilitas Pelayanan Kesehatan yg diadakan")
    assert r1375["keterangan"].startswith("pemenuhan alat kesehatan untuk menjamin pemuhan")
    assert (r1378["satuan"], r1378["keterangan"]) == ("", "")
    assert r1378["aktivitas"] == "Pengadaan Alat Kesehatan Kebidanan dan Penyakit Kandungan"
    assert by_line(rows, 1366)["keterangan"].endswith("lansia, dan disabilitas)")
    assert by_line(rows, 1372)["keterangan"] == ""


def test_review_lists_cell_tails(converted: tuple[dict[str, Any], str]) -> None:
    section = converted[1].split("## Cells cut by a page break inside")[1].split("\n## ")[0]
    assert "- line 1372 → line 1366, `keterangan`" in section
    assert "- line 1378 → line 1375, `indikator`" in section


def test_tail_rules() -> None:
    assert fid.is_tail("disabilitas)")  # closes a bracket it never opened
    assert fid.is_tail("pemuhan pelayanan kesehatan")
    assert not fid.is_tail("Peserta laki-laki dan perempuan")
    assert not fid.is_tail("")
    assert fid.is_cut("pemenuhan alat kesehatan untuk menjamin")
    assert fid.is_cut("bagi seluruh pasien (baik laki/perempuan; bayi, lansia, dan")
    assert not fid.is_cut("lokasi di 19 pkm")  # too short to have wrapped
    assert not fid.is_cut("pemenuhan alat kesehatan untuk semua pasien (bayi, lansia).")
