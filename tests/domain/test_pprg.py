"""The GAP/GBS values: round trip through their dictionaries and the refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.pprg import (
    FORMAT_VERSION,
    GAP_STEPS,
    GapDocument,
    GbsComponent,
    GbsDocument,
    Kind,
    PprgError,
    Review,
    ReviewStatus,
    gap_from_dict,
    gbs_from_dict,
)


def _gap(**changes: object) -> GapDocument:
    base = GapDocument(node_key="n-1", opd_code="DINKES", year=2025, policy="Program Kesehatan")
    return base.with_values(**changes)


def test_gap_round_trip_keeps_every_step_and_the_row_links() -> None:
    values = {name: f"isi {name}" for name, _, _ in GAP_STEPS}
    gap = _gap(**values, row_keys=("r-1", "r-2"))
    back = gap_from_dict(gap.to_dict())
    assert back == gap
    assert back.row_keys == ("r-1", "r-2")
    assert gap.to_dict()["format"] == FORMAT_VERSION


def test_gap_steps_cover_nine_steps_and_missing_steps_are_named() -> None:
    assert sorted({n for _, n, _ in GAP_STEPS}) == list(range(1, 10))
    gap = _gap(insight_data="P 40%, L 60%", gap_benefit="manfaat")
    assert gap.missing_steps() == [4, 5, 6, 7, 8, 9]
    assert set(gap.step(3)) == {"gap_access", "gap_participation", "gap_control", "gap_benefit"}


@pytest.mark.parametrize(
    "data, words",
    [
        ({"node_key": "n", "opd_code": "X", "year": 2025, "hidden": 1}, "tidak dikenal"),
        ({"node_key": "n", "opd_code": "X", "year": 1800}, "Tahun"),
        ({"node_key": "n", "opd_code": "X", "year": True}, "Tahun"),
        ({"node_key": "", "opd_code": "X", "year": 2025}, "kunci"),
        ({"node_key": "n", "opd_code": "X", "year": 2025, "policy": 5}, "teks"),
        ({"node_key": "n", "opd_code": "X", "year": 2025, "policy": "a\x00b"}, "karakter"),
        ({"node_key": "n", "opd_code": "X", "year": 2025, "format": 99}, "perbarui"),
        ({"node_key": "n", "opd_code": "X", "year": 2025, "kind": "gbs"}, "bukan GAP"),
        ({"opd_code": "X", "year": 2025}, "tidak lengkap"),
        ({"node_key": "n", "opd_code": "X", "year": 2025, "row_keys": "r-1"}, "daftar"),
        ([1, 2], "bentuknya"),
    ],
)
def test_gap_from_untrusted_dict_refuses_in_indonesian(data: object, words: str) -> None:
    with pytest.raises(PprgError, match=words):
        gap_from_dict(data)  # type: ignore[arg-type]


def test_gbs_total_is_the_sum_of_budgeted_components_and_round_trips() -> None:
    gbs = GbsDocument(
        node_key="n-1",
        opd_code="DINKES",
        year=2025,
        situation="analisis",
        components=(
            GbsComponent("Pelatihan kader", Decimal("15000000")),
            GbsComponent("Sosialisasi", None),
            GbsComponent("Pendataan terpilah", Decimal("2500000")),
        ),
    )
    assert gbs.total == Decimal("17500000")
    assert gbs_from_dict(gbs.to_dict()) == gbs
    assert GbsDocument(node_key="n", opd_code="X", year=2025).total is None


@pytest.mark.parametrize(
    "component, words",
    [
        ({"name": "a", "budget": "1.5"}, "tanpa sen"),
        ({"name": "a", "budget": 1.5}, "bilangan bulat"),
        ({"name": "a", "budget": "-3"}, "di luar batas"),
        ({"name": "a", "budget": "1" * 16}, "di luar batas"),
        ({"name": "a", "budget": "NaN"}, "tanpa sen"),
        ({"name": "a", "budget": "abc"}, "bukan angka"),
        ({"name": "  ", "budget": "1"}, "kosong"),
        ({"name": "a", "budget": "1", "formula": "=1+1"}, "nama dan anggaran"),
    ],
)
def test_gbs_component_refusals(component: dict[str, object], words: str) -> None:
    data = {"node_key": "n", "opd_code": "X", "year": 2025, "components": [component]}
    with pytest.raises(PprgError, match=words):
        gbs_from_dict(data)


def test_gbs_refuses_too_many_components() -> None:
    data = {
        "node_key": "n",
        "opd_code": "X",
        "year": 2025,
        "components": [{"name": f"k{i}", "budget": "1"} for i in range(51)],
    }
    with pytest.raises(PprgError, match="paling banyak"):
        gbs_from_dict(data)


def test_review_needs_remarks_when_corrections_are_asked_and_round_trips() -> None:
    base = {
        "kind": "gbs",
        "node_key": "n-1",
        "opd_code": "DINKES",
        "year": 2025,
        "content_hash": "a" * 64,
        "status": "perlu_perbaikan",
        "remarks": "",
    }
    with pytest.raises(PprgError, match="memerlukan catatan"):
        Review.from_dict(base)
    review = Review.from_dict({**base, "remarks": "Lengkapi data terpilah", "reviewer": "Ani"})
    assert review.status is ReviewStatus.PERLU_PERBAIKAN and review.kind is Kind.GBS
    assert Review.from_dict(review.to_dict()) == review
    with pytest.raises(PprgError, match="SHA-256"):
        Review.from_dict({**base, "content_hash": "x", "remarks": "r"})
    with pytest.raises(PprgError, match="tidak lengkap"):
        Review.from_dict({**base, "status": "lulus", "remarks": "r"})
    with pytest.raises(PprgError, match="peran"):
        Review.from_dict({**base, "remarks": "r", "reviewer_role": "bupati"})
