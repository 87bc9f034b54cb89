import pytest

from app.models.db import Database
from app.services.profile import (
    ROLE_FOCAL,
    ROLE_POKJA,
    ProfileError,
    load_profile,
    save_profile,
    validate_profile,
)

NIP = "197001011995031001"


def test_a_bad_nip_is_a_profile_error_on_the_nip_field() -> None:
    with pytest.raises(ProfileError, match="18 digit") as err:
        validate_profile(ROLE_POKJA, "Budi", NIP[:-1], None, 2023, [2022, 2023, 2024])
    assert err.value.field == "nip"


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
