"""What a focal point types for one row and year, checked before anything is written.

The form sends the raw texts; :func:`parse_realisation` either returns values that are
safe to store or raises :class:`FormError` naming the field and saying, in Indonesian,
what is wrong. Nothing is written on error, and the form keeps what the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.breakdown import Breakdown, BreakdownError
from app.domain.numbers import NumberError, check_money, format_number
from app.domain.plausibility import fractional_count
from app.domain.rupiah import parse_rupiah
from app.domain.text_policy import FREE_TEXT_MAX, TextError, check_text, clean_text

# Evidence/notes: generous, but a paste of a whole document is a mistake. The one limit of
# app.domain.text_policy, kept under this name for the fill-in writer's hints.
MAX_TEXT = FREE_TEXT_MAX

FIELD_LABELS = {
    "total": "Total",
    "male": "Laki-laki",
    "female": "Perempuan",
    "disabled": "Disabilitas",
    "budget": "Pagu anggaran",
    "spending": "Realisasi anggaran",
    "evidence": "Bukti dukung",
    "note": "Catatan",
}


class FormError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RealisationValues:
    """A realisation as stored: the breakdown, money in whole Rupiah, free texts."""

    breakdown: Breakdown = field(default_factory=Breakdown)
    budget: Decimal | None = None
    spending: Decimal | None = None
    evidence: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return (
            self.breakdown.is_empty
            and self.budget is None
            and self.spending is None
            and not self.evidence
            and not self.note
        )

    def check(self) -> RealisationValues:
        """Raise :class:`FormError` unless every value is one the form could have produced:
        the breakdown rules, money stored exactly, texts under the text policy. The entry
        service calls it, so no caller can store what the form would refuse."""
        try:
            self.breakdown.validate()
        except BreakdownError as exc:
            raise FormError(str(exc), exc.field or "total") from exc
        for name in ("budget", "spending"):
            try:
                check_money(getattr(self, name))
            except NumberError as exc:
                raise FormError(f"{FIELD_LABELS[name]}: {exc}", name) from exc
        for name in ("evidence", "note"):
            try:
                check_text(getattr(self, name), MAX_TEXT)
            except TextError as exc:
                raise FormError(f"{FIELD_LABELS[name]}: {exc}", name) from exc
        return self

    def texts(self) -> dict[str, str]:
        """The values as the form shows them (Indonesian notation)."""
        b = self.breakdown
        return {
            "total": format_number(b.total),
            "male": format_number(b.male),
            "female": format_number(b.female),
            "disabled": format_number(b.disabled),
            "budget": format_number(self.budget),
            "spending": format_number(self.spending),
            "evidence": self.evidence,
            "note": self.note,
        }


def _money(name: str, text: str | None) -> Decimal | None:
    try:
        return parse_rupiah(text)
    except NumberError as exc:
        raise FormError(f"{FIELD_LABELS[name]}: {exc}", name) from exc


def _text(name: str, text: str | None) -> str:
    try:
        return clean_text(text, MAX_TEXT)
    except TextError as exc:
        raise FormError(f"{FIELD_LABELS[name]}: {exc}", name) from exc


def parse_realisation(
    texts: dict[str, str], *, counted_unit: str | None = None
) -> RealisationValues:
    """Check every field of the form; the first problem found is raised.

    ``counted_unit`` names the row's unit when it is counted one by one (``orang``,
    ``dokumen``; see ``plausibility.Units``): then every figure must be whole.
    """
    try:
        breakdown = Breakdown.from_texts(
            texts.get("total"), texts.get("male"), texts.get("female"), texts.get("disabled")
        )
    except BreakdownError as exc:
        raise FormError(str(exc), exc.field or "total") from exc
    if counted_unit:
        for name in ("total", "male", "female", "disabled"):
            problem = fractional_count(
                [(FIELD_LABELS[name], getattr(breakdown, name))], counted_unit
            )
            if problem:
                raise FormError(problem, name)
    return RealisationValues(
        breakdown=breakdown.completed(),
        budget=_money("budget", texts.get("budget")),
        spending=_money("spending", texts.get("spending")),
        evidence=_text("evidence", texts.get("evidence")),
        note=_text("note", texts.get("note")),
    )
