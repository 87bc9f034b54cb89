"""Figures that are allowed but unlikely, and counts that cannot be fractional.

Stored values follow one rule (``domain.numbers``); this module adds what a careful
reader would ask about a figure that is valid as a number: "2,5 orang" is a typing
slip, a capaian of 1.333.359 % is a target typed in the wrong unit, and spending above
the budget (pagu) needs an explanation. A fractional count is refused; the other two
are warnings shown beside the figure and listed in the reports, because they can be
true (an over-achieving programme, a budget shift approved later).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.domain.numbers import format_number, format_percent

# Above this capaian (percent of target) a figure is more likely a slip than a success.
ACHIEVEMENT_WARNING = Decimal(200)
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Units:
    """The unit lists of ``resources/units.json``: counted nouns and spans of time."""

    counted: frozenset[str]
    per_time: frozenset[str]

    @classmethod
    def from_json(cls, data: dict[str, Iterable[str]]) -> Units:
        return cls(
            frozenset(w.casefold() for w in data.get("counted", ())),
            frozenset(w.casefold() for w in data.get("per_time", ())),
        )

    def is_counted(self, unit: str | None) -> bool:
        """Whether a realisation in ``unit`` must be a whole number."""
        words = _WORD.findall((unit or "").casefold())
        if not words or any(w in self.per_time for w in words[1:]):
            return False
        return words[0] in self.counted


def fractional_count(values: Iterable[tuple[str, Decimal | None]], unit: str) -> str | None:
    """The first (field, label) whose figure is not whole, as an Indonesian message."""
    for label, value in values:
        if value is not None and value != value.to_integral_value():
            return (
                f"{label}: {format_number(value)} {unit} tidak mungkin; satuan “{unit}” "
                "dihitung utuh. Isikan bilangan bulat."
            )
    return None


def warnings(
    achievement_pct: Decimal | None, budget: Decimal | None, spending: Decimal | None
) -> list[str]:
    """Warnings (not refusals) about a saved realisation, in Indonesian."""
    out: list[str] = []
    if achievement_pct is not None and achievement_pct > ACHIEVEMENT_WARNING:
        out.append(
            f"Capaian {format_percent(achievement_pct)} melebihi 200 % dari target: "
            "periksa apakah angka atau satuannya salah ketik."
        )
    if budget is not None and spending is not None and spending > budget:
        pct = format_percent(spending * 100 / budget) if budget else "–"
        out.append(
            f"Realisasi anggaran Rp {format_number(spending)} melebihi pagu "
            f"Rp {format_number(budget)} ({pct}): periksa, atau jelaskan di catatan."
        )
    return out
