"""Property tests: generated Indonesian target phrases read back to the figures they say.

The matrix writes targets in a handful of shapes ("30 orang terdiri dari 20 orang laki -
laki, 9 orang perempuan, 1 disabilitas", "15 IKM laki-laki, 5 IKM perempuan", "1.200",
"64%"). Writing random figures into those shapes the way the documents do (dots between
thousands, a decimal comma) must give back exactly those figures.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.numbers import format_number, parse_number
from app.domain.target_text import parse_target

UNITS = ("orang", "IKM", "desa", "kelompok", "peserta", "dokumen", "anak")
MALE = ("laki - laki", "laki-laki", "Laki-laki", "laki laki", "pria")
FEMALE = ("perempuan", "Perempuan", "wanita")
DISABLED = ("disabilitas", "penyandang disabilitas", "difabel")
LINKS = ("terdiri dari", "dari", "yaitu", ":")

counts = st.integers(min_value=0, max_value=2_000_000).map(Decimal)
decimals = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2, allow_nan=False
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(counts, decimals))
def test_indonesian_figures_read_back(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value


@settings(max_examples=200, deadline=None)
@given(st.one_of(counts, decimals), st.booleans())
def test_a_bare_figure_is_the_total(value: Decimal, percent: bool) -> None:
    text = format_number(value) + ("%" if percent else "")
    p = parse_target(text)
    assert p.ok
    assert p.breakdown.total == value
    assert p.is_percent is percent
    assert not p.breakdown.has_parts


@st.composite
def breakdown_phrase(draw: st.DrawFn) -> tuple[str, Decimal, Decimal, Decimal, Decimal | None]:
    unit = draw(st.sampled_from(UNITS))
    male = Decimal(draw(st.integers(0, 50_000)))
    female = Decimal(draw(st.integers(0, 50_000)))
    disabled = draw(st.one_of(st.none(), st.integers(0, 5_000).map(Decimal)))
    total = male + female + (disabled or 0)
    repeat_unit = draw(st.booleans())
    u = f" {unit}" if repeat_unit else ""
    parts = [
        f"{format_number(male)}{u} {draw(st.sampled_from(MALE))}",
        f"{format_number(female)}{u} {draw(st.sampled_from(FEMALE))}",
    ]
    if disabled is not None:
        parts.append(f"{format_number(disabled)}{u} {draw(st.sampled_from(DISABLED))}")
    text = f"{format_number(total)} {unit} {draw(st.sampled_from(LINKS))} " + ", ".join(parts)
    return text, total, male, female, disabled


@settings(max_examples=300, deadline=None)
@given(breakdown_phrase())
def test_total_and_parts_read_back(
    case: tuple[str, Decimal, Decimal, Decimal, Decimal | None],
) -> None:
    text, total, male, female, disabled = case
    p = parse_target(text)
    assert p.ok, (text, p.problem)
    assert p.text == text
    assert p.breakdown.total == total, text
    assert p.breakdown.male == male, text
    assert p.breakdown.female == female, text
    if disabled is not None:
        assert p.breakdown.disabled == disabled, text


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 50_000), st.integers(0, 50_000), st.sampled_from(UNITS))
def test_parts_without_a_total_add_up(male: int, female: int, unit: str) -> None:
    text = f"{format_number(male)} {unit} laki-laki, {format_number(female)} {unit} perempuan"
    p = parse_target(text)
    assert p.ok, (text, p.problem)
    assert p.breakdown.male == male and p.breakdown.female == female
    assert p.breakdown.total == male + female
