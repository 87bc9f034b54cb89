from decimal import Decimal

import pytest

from app.domain.realisation import FormError, parse_realisation


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
