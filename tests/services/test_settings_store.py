import pytest

from app.models.db import Database
from app.services.profile import ROLE_FOCAL, Profile, ProfileError, load_profile
from app.services.settings_store import store_profile

NIP = "197001011995031001"


def test_a_stored_profile_is_read_back(syn_db: Database) -> None:
    profile = Profile(ROLE_FOCAL, "Siti Aminah", NIP, "OPD-002", 2023)
    store_profile(syn_db, profile)
    with syn_db.begin() as s:
        assert load_profile(s) == profile


def test_a_refused_profile_leaves_nothing_stored(syn_db: Database) -> None:
    with pytest.raises(ProfileError, match="Perangkat Daerah"):
        store_profile(syn_db, Profile(ROLE_FOCAL, "Siti", NIP, "TIDAK-ADA", 2023))
    with syn_db.begin() as s:
        assert load_profile(s) is None
