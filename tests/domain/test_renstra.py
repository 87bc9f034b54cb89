"""Renstra figures and the TC-23/TC-24 computations, against hand-worked seed examples."""

from decimal import Decimal as D

import pytest

from app.domain.renstra import (
    EndMode,
    absorption_per_year,
    average_growth,
    check_end,
    end_mode,
    end_of_period,
    parse_amount,
    parse_figure,
    ratio_per_year,
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "percent"),
    [
        ("100 %", D(100), "%", True),
        ("4 lapor an", D(4), "laporan", False),  # word broken by the PDF column
        ("86 orang/12 bulan", D(86), "orang/12bulan", False),
        ("1089 6 Dok ume n", D(10896), "dokumen", False),  # digits broken too
        ("48dokumen", D(48), "dokumen", False),
        ("83,5", D("83.5"), "", False),  # Indonesian decimal comma
        ("5.51 %", D("5.51"), "%", True),
    ],
)
def test_parse_figure_mixed_forms(text: str, value: D, unit: str, percent: bool) -> None:
    f = parse_figure(text)
    assert (f.value, f.unit, f.is_percent, f.ok) == (value, unit, percent, True)
    assert f.text == text


def test_parse_figure_grade_and_empty() -> None:
    graded = parse_figure("60 (B-)")
    assert graded.value == 60 and graded.note == "B-"
    for empty in ("N/A", "n/a", "na", "-", ""):
        assert parse_figure(empty).value is None and parse_figure(empty).ok


def test_parse_amount_rupiah_forms() -> None:
    assert parse_amount("Rp 1,368,676,135").value == D(1368676135)
    assert parse_amount("Rp200,000,000").value == D(200000000)
    assert parse_amount("1.234.567").value == D(1234567)
    assert parse_amount("Rp").value is None and parse_amount("Rp").ok
    garbled = parse_amount("Rp 1,96,125,000")  # TC-24 prints this; never guessed
    assert garbled.value is None and not garbled.ok


def test_end_of_period_sum_and_last() -> None:
    # TC-27 4.01.01.2.01.01: 4 + 6 + 4 dokumen → 14 dokumen, as the document prints.
    assert end_of_period([D(4), D(6), D(4)]) == 14
    # A percent ends at the last year's level, not 300 %.
    assert end_mode("persen") is EndMode.LAST
    assert end_of_period([D(65), D(67), D(70)], EndMode.LAST) == 70
    # "86 orang/12 bulan" three times is still 86 people (the document: "86 orang/36 bulan").
    rate = [parse_figure("86 orang/12 bulan")] * 3
    assert end_mode("orang/12 bulan", rate) is EndMode.LAST
    # Vehicles maintained every year are the same vehicles.
    assert end_mode("Unit", (), "Jumlah Kendaraan ... yang Dipelihara") is EndMode.LAST
    assert end_mode("Dokumen") is EndMode.SUM
    assert end_of_period([None, D(2), None]) == 2  # "0 / 2 unit / -"
    assert end_of_period([None, None]) is None


def test_end_check_marks_the_documents_difference() -> None:
    # TC-27 4.01.01.2.06.04: 28 + 29 + 27 paket = 84, the document says 82 paket.
    check = check_end([D(28), D(29), D(27)], D(82))
    assert (check.computed, check.document, check.differs) == (84, 82, True)
    assert check_end([D(1)], None).differs is None
    # Rupiah of 4.01.01.2.01.01: 21.692.375 + 23.180.765 + 24.817.994 = 69.691.134.
    assert not check_end([D(21692375), D(23180765), D(24817994)], D(69691134)).differs


def test_tc23_ratio_index_targets() -> None:
    # Bagian Pengadaan Barang dan Jasa, IKM 2020-2023: target 84.77/85.33/85/86, realisation
    # 85.33/87.72/89.07/84.48; the seed prints 100.66 %, 102.80 %, 104.79 %, 98.23 %.
    targets = {2020: D("84.77"), 2021: D("85.33"), 2022: D(85), 2023: D(86)}
    real = {2020: D("85.33"), 2021: D("87.72"), 2022: D("89.07"), 2023: D("84.48")}
    got = ratio_per_year(targets, real)
    assert got == {2020: D("100.66"), 2021: D("102.80"), 2022: D("104.79"), 2023: D("98.23")}


def test_tc23_ratio_percent_targets() -> None:
    # Bagian Protokol 2020: sarana dan prasarana target 87 %, realisation 97 % → "111%".
    got = ratio_per_year({2020: parse_figure("87%").value}, {2020: parse_figure("97%").value})
    assert got[2020] == D("111.49")
    # Bagian Organisasi 2019: target 80 %, realisation 100 % → "125%".
    assert ratio_per_year({2019: D(80)}, {2019: D(100)})[2019] == 125
    # "N/A" years have no ratio.
    assert ratio_per_year({2019: D(100), 2020: None}, {2019: D(94), 2020: None}) == {
        2019: D(94),
        2020: None,
    }


def test_tc23_ratio_lower_is_better() -> None:
    # Angka Inflasi Daerah (TC-27 4.01.03, lower is better): target 5,51 %.
    # Realisation 4,2 % → (2 × 5,51 − 4,2) / 5,51 × 100 = 123,77 %; 6 % → 91,11 %.
    got = ratio_per_year({2024: D("5.51"), 2025: D("5.51")}, {2024: D("4.2"), 2025: D(6)}, "lower")
    assert got == {2024: D("123.77"), 2025: D("91.11")}
    # The same figures read the other way round would be a failure.
    assert ratio_per_year({2024: D("5.51")}, {2024: D("4.2")})[2024] == D("76.23")


def test_tc24_absorption() -> None:
    # Bagian Organisasi, Program Penunjang: budget 339.070.750, spending 327.925.426 (2022)
    # → 96,71 %, printed "97%"; 2021: 266.211.005 / 275.461.700 → 96,64 %.
    budget = {2021: D(275461700), 2022: D(339070750), 2023: None}
    spending = {2021: D(266211005), 2022: D(327925426), 2023: D(108265729)}
    got = absorption_per_year(budget, spending)
    assert got == {2021: D("96.64"), 2022: D("96.71"), 2023: None}


def test_tc24_average_growth_reproduces_the_seed() -> None:
    # Same row: the seed prints "Rata-rata Pertumbuhan" 23 % (budget) and 23 % (spending)
    # over 2021-2022: (339.070.750 − 275.461.700) / 275.461.700 = 23,09 %,
    # (327.925.426 − 266.211.005) / 266.211.005 = 23,18 %.
    assert average_growth({2021: D(275461700), 2022: D(339070750)}) == D("23.09")
    assert average_growth({2021: D(266211005), 2022: D(327925426)}) == D("23.18")
    # Bagian Hukum, Program Pengembangan Sistem Pelaporan: 12.000.000 → 9.582.000, "-20%".
    assert average_growth({2019: D(12000000), 2020: D(9582000)}) == D("-20.15")


def test_average_growth_is_the_mean_of_yearly_rates() -> None:
    # +10 % then −50 % → mean −20 % (not the compound rate).
    assert average_growth({2019: D(100), 2020: D(110), 2021: D(55)}) == D(-20)
    # A gap year breaks the chain; a missing or zero base gives no rate.
    assert average_growth({2019: D(100), 2021: D(200)}) is None
    assert average_growth({2019: D(0), 2020: D(5)}) is None
