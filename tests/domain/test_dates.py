from datetime import date

import pytest

from app.domain.dates import MONTHS, default_year, format_date, place_and_date


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (date(2023, 1, 16), "16 Januari 2023"),
        (date(2024, 2, 29), "29 Februari 2024"),
        (date(2022, 8, 1), "1 Agustus 2022"),
        (date(2022, 12, 31), "31 Desember 2022"),
    ],
)
def test_format_date(d: date, text: str) -> None:
    assert format_date(d) == text


def test_every_month_has_its_indonesian_name() -> None:
    assert [format_date(date(2023, m, 1)).split()[1] for m in range(1, 13)] == list(MONTHS)


def test_place_and_date() -> None:
    assert place_and_date("Lumajang", date(2023, 1, 16)) == "Lumajang, 16 Januari 2023"
    assert place_and_date("  ", date(2023, 1, 16)) == "16 Januari 2023"


def test_default_year_is_this_year_clamped_into_the_plan() -> None:
    years = [2022, 2023, 2024]
    assert default_year(years, date(2023, 5, 1)) == 2023
    assert default_year(years, date(2026, 1, 1)) == 2024
    assert default_year(years, date(2020, 1, 1)) == 2022
    assert default_year([], date(2026, 1, 1)) == 2026
