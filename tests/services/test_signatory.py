from pathlib import Path

import pytest

from app.domain.nip import format_nip
from app.models.db import Database, open_database
from app.services.signatory import (
    Signatory,
    SignatoryError,
    default_position,
    load_signatory,
    resolve_signatory,
    save_signatory,
)


def test_default_positions() -> None:
    assert default_position("Dinas Perikanan", "") == "Kepala Dinas Perikanan"
    assert (
        default_position("Sekretariat Daerah – Bagian Kesejahteraan Rakyat", "")
        == "Kepala Bagian Kesejahteraan Rakyat"
    )
    assert default_position("Kecamatan Pasirian", "") == "Camat Pasirian"
    assert default_position(None, "Ketua Pokja PUG Kota Contoh") == "Ketua Pokja PUG Kota Contoh"


def test_nip_is_printed_in_its_four_groups() -> None:
    assert format_nip("197001011990031005") == "19700101 199003 1 005"
    assert format_nip("") == ""


def test_saved_signatory_is_read_back_per_opd(syn_db: Database) -> None:
    with syn_db.begin() as s:
        assert load_signatory(s, "OPD-001") is None
        save_signatory(
            s, "OPD-001", Signatory("Dr. Siti Aminah", "19700101 199003 1 005", "Kepala Dinas Uji")
        )
    with syn_db.begin() as s:
        got = load_signatory(s, "OPD-001")
        assert load_signatory(s, "OPD-002") is None
    assert got == Signatory("Dr. Siti Aminah", "197001011990031005", "Kepala Dinas Uji", "")


def test_overrides_win_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.sqlite")
    with db.begin() as s:
        save_signatory(s, "X", Signatory("Budi", "", "", "Lumajang"))
        r = resolve_signatory(s, "X", "Dinas Perikanan", nip="197001011990031005", place=None)
    db.dispose()
    assert r == Signatory("Budi", "197001011990031005", "Kepala Dinas Perikanan", "Lumajang")


def test_a_bad_nip_is_refused(syn_db: Database) -> None:
    with syn_db.begin() as s, pytest.raises(SignatoryError, match="18 digit"):
        save_signatory(s, "OPD-001", Signatory("Budi", "12345"))
