"""The region profile value: derived names, and what ``check_region`` refuses."""

import pytest

from app.domain.region import LOGO_MAX_BYTES, Region, RegionError, check_region

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32


def test_names_are_derived_from_kind_and_name() -> None:
    r = Region("Contoh", "Kota")
    assert r.full_name == "Kota Contoh"
    assert r.letterhead_lines == ("PEMERINTAH KOTA CONTOH",)
    assert r.signature_place == "Contoh"
    assert r.pokja_title == "Ketua Pokja PUG Kota Contoh"
    assert r.pokja_name == "Kelompok Kerja Pengarusutamaan Gender Kota Contoh"
    assert r.head_title == "Wali Kota"


def test_given_fields_win_over_derived_ones() -> None:
    r = Region(
        "Contoh",
        "Kota",
        letterhead=("PEMERINTAH KOTA CONTOH", "BAPPEDA"),
        address="Jl. Merdeka 1",
        place="Kota Contoh",
        pokja_position="Ketua Kelompok Kerja PUG",
    )
    assert r.letterhead_lines == ("PEMERINTAH KOTA CONTOH", "BAPPEDA", "Jl. Merdeka 1")
    assert r.signature_place == "Kota Contoh"
    assert r.pokja_title == "Ketua Kelompok Kerja PUG"


def test_check_normalises() -> None:
    r = check_region(Region("  Contoh  ", "kota", letterhead=(" A  B ", "", "  ")))
    assert (r.name, r.kind, r.letterhead) == ("Contoh", "Kota", ("A B",))


@pytest.mark.parametrize(
    ("region", "field", "words"),
    [
        (Region("", "Kota"), "name", "wajib"),
        (Region("Contoh", "Desa"), "kind", "Kabupaten, Kota, Provinsi"),
        (Region("Kota Contoh", "Kota"), "name", "tanpa jenisnya"),
        (Region("Contoh", letterhead=("x",) * 6), "letterhead", "5 baris"),
        (Region("C" * 201), "name", "terlalu panjang"),
        (Region("Contoh", logo=b"GIF89a" + b"\0" * 10), "logo", "PNG atau JPEG"),
        (Region("Contoh", logo=PNG + b"\0" * LOGO_MAX_BYTES), "logo", "terlalu besar"),
    ],
)
def test_refusals_name_the_field(region: Region, field: str, words: str) -> None:
    with pytest.raises(RegionError, match=words) as exc:
        check_region(region)
    assert exc.value.field == field


@pytest.mark.parametrize(("logo", "kind"), [(PNG, "png"), (JPEG, "jpeg"), (b"", "")])
def test_png_and_jpeg_logos_are_kept(logo: bytes, kind: str) -> None:
    r = check_region(Region("Contoh", logo=logo))
    assert r.logo == logo and r.logo_kind == kind
