import re
from decimal import Decimal

import pytest

from app.domain.realisation import FormError, RealisationValues, parse_realisation


def test_valid_form_is_parsed_and_total_completed() -> None:
    v = parse_realisation(
        {
            "male": "10",
            "female": "12",
            "disabled": "1",
            "budget": "1.500.000",
            "spending": "Rp 1.000.000",
            "evidence": " foto kegiatan ",
            "note": "",
        }
    )
    assert v.breakdown.total == Decimal(23)
    assert v.budget == Decimal(1_500_000)
    assert v.spending == Decimal(1_000_000)
    assert v.evidence == "foto kegiatan"


@pytest.mark.parametrize(
    ("texts", "field", "words"),
    [
        ({"total": "abc"}, "total", "bukan angka"),
        ({"total": "-5"}, "total", "negatif"),
        ({"total": "30", "male": "20", "female": "5"}, "total", "tidak sesuai"),
        ({"budget": "1.000,50"}, "budget", "tanpa sen"),
        ({"spending": "x"}, "spending", "bukan angka"),
        ({"note": "x" * 5000}, "note", "terlalu panjang"),
    ],
)
def test_bad_input_names_field_in_indonesian(texts: dict[str, str], field: str, words: str) -> None:
    with pytest.raises(FormError, match=words) as err:
        parse_realisation(texts)
    assert err.value.field == field


def test_empty_form_is_empty() -> None:
    assert parse_realisation({}).is_empty


def test_largest_figures_pass_and_one_beyond_is_refused() -> None:
    v = parse_realisation(
        {
            "total": "999.999.999.999.999",
            "budget": "999.999.999.999.999",
            "spending": "Rp 999.999.999.999.999",
        }
    )
    assert v.breakdown.total == v.budget == v.spending == Decimal(999_999_999_999_999)
    assert parse_realisation({"male": "99.999.999.999,9999"}).breakdown.total == Decimal(
        "99999999999.9999"
    )
    for texts, field in (
        ({"budget": "999.999.999.999.999.999"}, "budget"),  # stored as 10**18 before
        ({"spending": "1.000.000.000.000.000"}, "spending"),
        ({"total": "1.000.000.000.000.000"}, "total"),
        ({"female": "100.000.000.000,5"}, "female"),
        ({"disabled": "0,00001"}, "disabled"),
    ):
        with pytest.raises(FormError, match=r"terlalu besar|di belakang koma") as err:
            parse_realisation(texts)
        assert err.value.field == field


def test_parts_whose_sum_is_too_long_are_refused_at_the_total() -> None:
    with pytest.raises(FormError, match="terlalu besar") as err:
        parse_realisation({"male": "999.999.999.999.999", "female": "1"})
    assert err.value.field == "total"


@pytest.mark.parametrize(
    ("char", "code"), [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\u202e", "U+202E")]
)
def test_control_and_bidi_characters_are_refused_naming_field_and_character(
    char: str, code: str
) -> None:
    with pytest.raises(FormError, match=f"Catatan: .*{re.escape(code)} tidak diizinkan") as err:
        parse_realisation({"note": f"selesai{char}dicek"})
    assert err.value.field == "note"
    with pytest.raises(FormError, match=f"Bukti dukung: .*{re.escape(code)}") as err:
        parse_realisation({"evidence": f"{char}SK"})
    assert err.value.field == "evidence"


def test_free_text_limit_is_4000_after_cleaning() -> None:
    assert len(parse_realisation({"note": " " + "x" * 4000 + " \r\n"}).note) == 4000
    assert parse_realisation({"note": "a\r\nb"}).note == "a\nb"
    with pytest.raises(FormError, match="maksimal 4000"):
        parse_realisation({"evidence": "x" * 4001})


def test_values_built_without_the_form_are_checked_the_same_way() -> None:
    with pytest.raises(FormError, match="U\\+0000") as err:
        RealisationValues(note="a\x00b").check()
    assert err.value.field == "note"
    with pytest.raises(FormError, match="terlalu besar") as err:
        RealisationValues(budget=Decimal(10**18)).check()
    assert err.value.field == "budget"
    with pytest.raises(FormError, match="tanpa sen"):
        RealisationValues(spending=Decimal("1.5")).check()
    with pytest.raises(FormError, match="terlalu panjang"):
        RealisationValues(evidence="x" * 4001).check()
