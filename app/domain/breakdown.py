"""The one value type for sex-disaggregated figures.

Targets, realisations, reports and the Pokja merge all carry the same four numbers:
laki-laki (L), perempuan (P), disabilitas and total. The official matrix counts people
with disabilities as a third group beside men and women ("30 orang terdiri dari 20 orang
laki-laki, 9 orang perempuan, 1 disabilitas"), so the parts add up to the total.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from app.domain.numbers import NumberError, check_figure, format_number, parse_number

__all__ = ["FIELD_LABELS", "Breakdown", "BreakdownError"]

FIELD_LABELS = {
    "total": "Total",
    "male": "Laki-laki",
    "female": "Perempuan",
    "disabled": "Disabilitas",
}


class BreakdownError(ValueError):
    """Invalid figures; ``field`` names the offending input, the message is Indonesian."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Total with optional L / P / disabilitas parts; ``None`` means not given."""

    total: Decimal | None = None
    male: Decimal | None = None
    female: Decimal | None = None
    disabled: Decimal | None = None

    PARTS = ("male", "female", "disabled")

    @property
    def is_empty(self) -> bool:
        return all(v is None for v in (self.total, self.male, self.female, self.disabled))

    @property
    def has_parts(self) -> bool:
        return any(getattr(self, p) is not None for p in self.PARTS)

    @property
    def parts_sum(self) -> Decimal:
        return sum((getattr(self, p) or Decimal(0) for p in self.PARTS), Decimal(0))

    @property
    def effective_total(self) -> Decimal | None:
        """The stated total, or the sum of the parts when only parts were given."""
        if self.total is not None:
            return self.total
        return self.parts_sum if self.has_parts else None

    def completed(self) -> Breakdown:
        """Fill in the total from the parts when it was left empty."""
        if self.total is None and self.has_parts:
            return replace(self, total=self.parts_sum)
        return self

    def validate(self) -> Breakdown:
        """Raise :class:`BreakdownError` for negative figures, figures the database cannot
        store exactly (``numbers.check_figure``, also for a total computed from the parts)
        or parts that miss the total."""
        for name in ("total", *self.PARTS):
            v = getattr(self, name)
            if v is None:
                continue
            try:
                check_figure(v)
            except NumberError as exc:
                raise BreakdownError(f"{FIELD_LABELS[name]}: {exc}", name) from None
            if v < 0:
                raise BreakdownError(
                    f"{FIELD_LABELS[name]} tidak boleh negatif ({format_number(v)}).", name
                )
        if self.total is None and self.has_parts:
            try:
                check_figure(self.parts_sum)
            except NumberError as exc:
                raise BreakdownError(
                    f"{FIELD_LABELS['total']} (jumlah rinciannya): {exc}", "total"
                ) from None
        if self.total is not None and self.has_parts and self.parts_sum != self.total:
            raise BreakdownError(
                "Rincian tidak sesuai: laki-laki + perempuan + disabilitas = "
                f"{format_number(self.parts_sum)}, sedangkan total {format_number(self.total)}.",
                "total",
            )
        return self

    @classmethod
    def from_texts(
        cls,
        total: str | None = None,
        male: str | None = None,
        female: str | None = None,
        disabled: str | None = None,
    ) -> Breakdown:
        """Parse what a user typed in the four fields; errors name the field."""
        values: dict[str, Decimal | None] = {}
        for name, text in (
            ("total", total),
            ("male", male),
            ("female", female),
            ("disabled", disabled),
        ):
            try:
                values[name] = parse_number(text)
            except NumberError as exc:
                raise BreakdownError(f"{FIELD_LABELS[name]}: {exc}", name) from exc
        return cls(**values).validate()

    def to_json(self) -> dict[str, str | None]:
        """Decimal as text so JSON keeps the exact figure (no float rounding)."""
        return {k: (None if v is None else str(v)) for k, v in self.as_dict().items()}

    @classmethod
    def from_json(cls, data: dict[str, str | None] | None) -> Breakdown:
        if not data:
            return cls()
        return cls(
            **{
                k: (None if data.get(k) in (None, "") else Decimal(str(data[k])))
                for k in ("total", "male", "female", "disabled")
            }
        )

    def as_dict(self) -> dict[str, Decimal | None]:
        return {
            "total": self.total,
            "male": self.male,
            "female": self.female,
            "disabled": self.disabled,
        }
