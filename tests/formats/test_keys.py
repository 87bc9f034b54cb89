import stat
from pathlib import Path

import pytest

from app.formats import keys


def test_generate_then_unlock_gives_the_same_key(tmp_path: Path) -> None:
    made = keys.generate_key("sandi-rahasia", tmp_path)
    loaded = keys.load_key("sandi-rahasia", tmp_path)
    assert loaded.public == made.public and loaded.key_id == made.key_id
    assert len(made.key_id) == 16
    assert keys.verify(made.public, loaded.sign(b"isi"), b"isi")
    assert not keys.verify(made.public, loaded.sign(b"isi"), b"isi lain")
    pem = (tmp_path / keys.KEY_FILE).read_bytes()
    assert b"ENCRYPTED" in pem
    assert stat.S_IMODE((tmp_path / keys.KEY_FILE).stat().st_mode) == 0o600


def test_default_folder_is_the_data_folder(tmp_path: Path) -> None:
    keys.generate_key("sandi-rahasia")
    assert keys.key_exists(tmp_path / "data")


def test_wrong_or_short_passphrase_and_no_silent_overwrite(tmp_path: Path) -> None:
    with pytest.raises(keys.KeyStoreError, match="minimal"):
        keys.generate_key("pendek", tmp_path)
    with pytest.raises(keys.KeyMissing, match="belum dibuat") as missing:
        keys.load_key("sandi-rahasia", tmp_path)
    assert "python -m app" not in str(missing.value)  # the CLI adds KEYGEN_HINT itself
    first = keys.generate_key("sandi-rahasia", tmp_path)
    with pytest.raises(keys.KeyStoreError, match="salah"):
        keys.load_key("sandi-keliru!", tmp_path)
    with pytest.raises(keys.KeyStoreError, match="sudah ada"):
        keys.generate_key("sandi-rahasia", tmp_path)
    second = keys.generate_key("sandi-rahasia", tmp_path, replace=True)
    assert second.key_id != first.key_id


def test_fingerprint_is_grouped_for_reading_aloud() -> None:
    assert keys.grouped("0123456789abcdef") == "0123 4567 89AB CDEF"
    assert keys.fingerprint(bytes(32)) == "66687aadf862bd77"
