"""Reading target cells and percent shares of the RAD PUG matrix (Tabel 4.2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.breakdown import Breakdown
from app.domain.target_text import ParsedTarget, parse_share, parse_target


def parts(p: ParsedTarget) -> dict[str, str | None]:
    return p.breakdown.to_json()


@pytest.mark.parametrize("text", ["", "-", " - ", "–", None])
def test_empty_cells_are_no_target(text: str | None) -> None:
    p = parse_target(text)
    assert p.breakdown.is_empty
    assert p.ok and p.problem is None and not p.is_percent
    assert p.text == (text or "").strip()


@pytest.mark.parametrize(
    ("text", "total", "percent"),
    [
        ("100%", "100", True),
        ("268,08", "268.08", False),
        ("9.500", "9500", False),
        ("1.200", "1200", False),
        ("0", "0", False),
        (" 35 ", "35", False),
        ("64%", "64", True),
    ],
)
def test_bare_figures_are_the_total(text: str, total: str, percent: bool) -> None:
    p = parse_target(text)
    assert parts(p) == {"total": total, "male": None, "female": None, "disabled": None}
    assert p.is_percent is percent
    assert p.ok and p.problem is None
    assert p.text == text.strip()


def test_ikm_example_total_and_sexes() -> None:
    p = parse_target("20 jenis produk dari 15 IKM laki - laki, 5 IKM perempuan")
    assert parts(p) == {"total": "20", "male": "15", "female": "5", "disabled": None}
    assert p.ok and p.problem is None
    p.breakdown.validate()


def test_thirty_people_with_disability() -> None:
    p = parse_target("30 orang terdiri dari 20 orang laki - laki, 9 orang perempuan, 1 disabilitas")
    assert parts(p) == {"total": "30", "male": "20", "female": "9", "disabled": "1"}


def test_participants_with_colon() -> None:
    p = parse_target(
        "80 peserta terdiri dari : 35 IKM laki - laki, 40 IKM perempuan, 5 IKM disabilitas"
    )
    assert parts(p) == {"total": "80", "male": "35", "female": "40", "disabled": "5"}


def test_parentheses_and_wanita() -> None:
    p = parse_target("50 pemuda (30 laki-laki, 20 Wanita)")
    assert parts(p) == {"total": "50", "male": "30", "female": "20", "disabled": None}


def test_parts_that_do_not_add_up_are_kept_as_written() -> None:
    p = parse_target("260 (156 laki-laki 96 Perempuan)")
    assert parts(p) == {"total": "260", "male": "156", "female": "96", "disabled": None}
    assert p.ok
    assert p.breakdown.parts_sum == Decimal(252)


def test_both_sexes_together_is_not_a_part() -> None:
    p = parse_target("100% laki-laki dan perempuan")
    assert parts(p) == {"total": "100", "male": None, "female": None, "disabled": None}
    assert p.is_percent


def test_parts_without_total_sum_up_with_a_note() -> None:
    p = parse_target("15 IKM laki-laki, 5 IKM perempuan")
    assert parts(p) == {"total": "20", "male": "15", "female": "5", "disabled": None}
    assert p.ok and p.problem and "no total" in p.problem


def test_ratio_target() -> None:
    p = parse_target("Laki - laki : Perempuan = 30 : 30 (termasuk 1 orang)")
    assert parts(p)["male"] == "30" and parts(p)["female"] == "30"


def test_unused_figures_are_noted() -> None:
    p = parse_target("1000 ; 5")
    assert parts(p)["total"] == "1000"
    assert p.ok and p.problem == "figures not used: 5"


def test_unreadable_figures_are_not_ok() -> None:
    p = parse_target("##### #")
    assert not p.ok
    assert p.breakdown.is_empty
    assert p.problem


def test_text_without_figures_is_ok_but_noted() -> None:
    p = parse_target("Resposif Gender")
    assert p.ok and p.breakdown.is_empty and p.problem == "no figure in the text"


def test_whitespace_is_normalised() -> None:
    assert parse_target("  20   jenis\tproduk ").text == "20 jenis produk"


@pytest.mark.parametrize(
    ("text", "male", "female", "disabled"),
    [
        ("Jumlah peserta sebanyak 50 orang (75% Perempuan dan 25% Laki-laki)", "25", "75", None),
        ("L = 50% P = 50%", "50", "50", None),
        ("Laki-laki 50 % Perempuan 50 %", "50", "50", None),
        ("Target Laki-laki 50 % Perempuan 50 %", "50", "50", None),
        ("sebanyak 60 orang (54.8% laki-laki, dan 45.2% perempuan)", "54.8", "45.2", None),
        ("dihadiri oleh peserta 50% laki-laki, 50% perempuan", "50", "50", None),
        ("diadakan (80% pria, 20% wanita)", "80", "20", None),
        ("Laki - laki 70% ; Perempuan ; 30%", "70", "30", None),
        ("undangan laki-laki dan perempuan sebesar 60 : 40", "60", "40", None),
        ("peserta diklat PPLH dan PPNS Perempuan :Laki-laki 50%:50%", "50", "50", None),
        ("(100% laki-laki)", "100", None, None),
    ],
)
def test_percent_shares(
    text: str, male: str | None, female: str | None, disabled: str | None
) -> None:
    share = parse_share(text)
    assert share is not None
    assert share.to_json() == {"total": "100", "male": male, "female": female, "disabled": disabled}


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "Jumlah peserta laki-laki dan perempuan",
        "Laki - laki 8 ; Perempuan ; 7",
        "sebesar 50%",
    ],
)
def test_no_share(text: str | None) -> None:
    assert parse_share(text) is None


def test_partial_share_keeps_the_parts_given() -> None:
    share = parse_share("Jumlah peserta rapat, disabilitas 10%, dan Perempuan 4 orang")
    assert share == Breakdown(total=Decimal(100), disabled=Decimal(10))
