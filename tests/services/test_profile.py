import pytest

from app.models.db import Database
from app.services.profile import (
    ROLE_FOCAL,
    ROLE_POKJA,
    ProfileError,
    load_profile,
    save_profile,
    validate_nip,
    validate_profile,
)

NIP = "197001011995031001"


def test_nip_is_eighteen_digits() -> None:
    assert validate_nip("19700101 199503 1 001") == NIP
    with pytest.raises(ProfileError, match="18 digit"):
        validate_nip(NIP[:-1])
    with pytest.raises(ProfileError, match="angka"):
        validate_nip("1970010119950310O1")


def test_focal_point_needs_an_opd_pokja_does_not() -> None:
    with pytest.raises(ProfileError, match="Perangkat Daerah") as err:
        validate_profile(ROLE_FOCAL, "Siti Aminah", NIP, None, 2023, [2022, 2023, 2024])
    assert err.value.field == "opd"
    p = validate_profile(ROLE_POKJA, "Budi", NIP, "OPD-001", 2023, [2022, 2023, 2024])
    assert p.opd_code is None and p.is_pokja


def test_year_must_be_in_period() -> None:
    with pytest.raises(ProfileError, match="2022 dan 2024"):
        validate_profile(ROLE_POKJA, "Budi", NIP, None, 2025, [2022, 2023, 2024])


def test_profile_is_stored_in_the_database(syn_db: Database) -> None:
    p = validate_profile(ROLE_FOCAL, "Siti Aminah", NIP, "OPD-002", 2023, [2022, 2023, 2024])
    with syn_db.begin() as s:
        assert load_profile(s) is None
        save_profile(s, p)
    with syn_db.begin() as s:
        assert load_profile(s) == p
