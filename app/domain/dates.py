"""Indonesian dates as official letters print them: ``16 Januari 2023``; the year shown
by default.

Written out by hand rather than through ``locale``: the system locale of an office PC
is often English, and a signature line must read the same on every machine.
"""

from __future__ import annotations

from datetime import date

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_date(d: date) -> str:
    """``date(2023, 1, 16)`` → ``16 Januari 2023`` (day without a leading zero)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def place_and_date(place: str, d: date) -> str:
    """The first line of a signature block: ``Lumajang, 16 Januari 2023``."""
    place = (place or "").strip()
    return f"{place}, {format_date(d)}" if place else format_date(d)


def default_year(years: list[int], today: date | None = None) -> int:
    """This year, clamped into the plan period (a 2022–2024 plan opened in 2025 → 2024)."""
    year = (today or date.today()).year
    if not years:
        return year
    return min(max(year, years[0]), years[-1])
