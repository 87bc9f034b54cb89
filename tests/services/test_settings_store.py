from pathlib import Path

import pytest

from app.models.db import Database, open_database
from app.services.concurrency import ConcurrentEditError
from app.services.profile import (
    ROLE_FOCAL,
    ROLE_POKJA,
    Profile,
    ProfileError,
    load_profile,
    profile_seen,
)
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


def test_a_profile_saved_by_someone_else_since_is_refused(syn_db: Database, tmp_path: Path) -> None:
    store_profile(syn_db, Profile(ROLE_POKJA, "Siti Aminah", NIP, None, 2023))
    with syn_db.begin() as s:
        ani = profile_seen(s)  # what Ani's profile dialog showed
    budi = open_database(tmp_path / "syn.sqlite")  # another Pokja member's app
    store_profile(budi, Profile(ROLE_POKJA, "Budi Hartono", NIP, None, 2024))
    budi.dispose()
    with pytest.raises(ConcurrentEditError, match="diubah oleh Budi Hartono pada"):
        store_profile(syn_db, Profile(ROLE_POKJA, "Ani Lestari", NIP, None, 2023), seen=ani)
    with syn_db.begin() as s:
        kept = load_profile(s)
        assert kept is not None and kept.name == "Budi Hartono" and kept.year == 2024
        ani = profile_seen(s)  # after "Muat ulang"
    store_profile(syn_db, Profile(ROLE_POKJA, "Ani Lestari", NIP, None, 2024), seen=ani)
    # The seen follows the dialog's own save; saving the same values moves nothing.
    store_profile(syn_db, Profile(ROLE_POKJA, "Ani Lestari", NIP, None, 2024), seen=ani)
    with syn_db.begin() as s:
        assert profile_seen(s).version == ani.version
