"""Achievement (capaian) and budget absorption, as in Renstra tables TC-23 and TC-24.

For an indicator where more is better, capaian = realisasi / target × 100 %. Where less
is better (maternal deaths, violence cases), a realisation below target is a success;
we use the SAKIP formula (2 × target − realisasi) / target × 100 %, which gives 100 % on
target, more when lower, and never divides by a realisation of zero.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)


class Polarity(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Band(StrEnum):
    """Colour bands shown beside a capaian (the UI and reports pick colours from these)."""

    NONE = "none"
    LOW = "rendah"  # < 75 %
    NEAR = "mendekati"  # 75 % – < 100 %
    MET = "tercapai"  # ≥ 100 %


def _round(v: Decimal) -> Decimal:
    return v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def achievement(
    target: Decimal | None, realised: Decimal | None, polarity: str = Polarity.HIGHER
) -> Decimal | None:
    """Capaian in percent, or ``None`` when it cannot be computed (no target or no figure)."""
    if target is None or realised is None or target == 0:
        return None
    if Polarity(polarity) is Polarity.LOWER:
        value = (2 * target - realised) / target * HUNDRED
        return _round(max(value, Decimal(0)))
    return _round(realised / target * HUNDRED)


def absorption(budget: Decimal | None, spending: Decimal | None) -> Decimal | None:
    """Serapan anggaran = realisasi anggaran / pagu × 100 %."""
    if budget is None or spending is None or budget == 0:
        return None
    return _round(spending / budget * HUNDRED)


def band(percent: Decimal | None) -> Band:
    if percent is None:
        return Band.NONE
    if percent >= HUNDRED:
        return Band.MET
    if percent >= 75:
        return Band.NEAR
    return Band.LOW
