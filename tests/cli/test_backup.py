"""``python -m app backup create|restore``: move data and key to a new PC (issue 13, item 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.__main__ import main
from app.cli.common import EXIT_FAIL, EXIT_NOT_CONFIRMED
from app.domain.realisation import parse_realisation
from app.formats import keys
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.models.lock import InstanceLock
from app.services import catalog, entry
from app.services.seeding import load_plan_data
from tests.cli.test_locks import snapshot

# The backup file carries the SQLite database file itself.
pytestmark = pytest.mark.sqlite_only

PASSPHRASE = "kata-sandi-uji"


@pytest.fixture
def pc(tmp_path: Path) -> Path:
    """The user's data folder (MONEV_DATA_DIR, set by conftest) with a database and a key."""
    folder = Path(os.environ["MONEV_DATA_DIR"])
    path = folder / "monev-radpug.sqlite"
    db = open_database(path)
    load_plan_data(db, synthetic_plan(40, opds=2))
    with db.begin() as s:
        row_id = catalog.load_rows(s, catalog.get_plan(s).id)[0].id
    entry.save_realisation(db, row_id, 2023, parse_realisation({"total": "9"}), "Rina Wati")
    db.dispose()
    keys.generate_key(PASSPHRASE)
    return path


def test_create_then_restore_on_a_wiped_pc(
    pc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "usb" / "cadangan.monevcadangan"
    key_id = keys.stored_key_id()
    assert main(["backup", "create", "--db", str(pc), "--out", str(out)]) == 0
    assert "Cadangan dibuat" in capsys.readouterr().out
    before = snapshot(pc)
    for p in pc.parent.iterdir():
        if p.is_file():
            p.unlink()

    # Without --yes: the preview, and nothing written.
    assert main(["backup", "restore", str(out), "--db", str(pc)]) == EXIT_NOT_CONFIRMED
    text = capsys.readouterr().out
    assert "1 baris berisi realisasi" in text and "Belum ada yang diubah" in text
    assert not pc.exists() and keys.stored_key_id() is None

    assert main(["backup", "restore", str(out), "--db", str(pc), "--yes"]) == 0
    assert "Dipulihkan" in capsys.readouterr().out
    assert "Rina Wati" in snapshot(pc) and snapshot(pc).count('INSERT INTO "realisation"') == (
        before.count('INSERT INTO "realisation"')
    )
    assert keys.load_key(PASSPHRASE).key_id == key_id


def test_restore_is_refused_while_a_window_holds_the_lock(
    pc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "c.monevcadangan"
    assert main(["backup", "create", "--db", str(pc), "--out", str(out)]) == 0
    keys.generate_key("kata-sandi-lain", replace=True)
    before, key_before = snapshot(pc), keys.stored_key_id()
    with InstanceLock(pc.resolve()):
        code = main(["backup", "restore", str(out), "--db", str(pc), "--yes"])
    assert code == EXIT_FAIL
    assert "sedang dibuka" in capsys.readouterr().err
    assert snapshot(pc) == before and keys.stored_key_id() == key_before


def test_a_tampered_file_fails_with_the_reason(
    pc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.monevcadangan"
    bad.write_bytes(b"PK\x03\x04 rusak")
    before = snapshot(pc)
    assert main(["backup", "restore", str(bad), "--db", str(pc), "--yes"]) == EXIT_FAIL
    assert "bukan berkas cadangan" in capsys.readouterr().err
    assert snapshot(pc) == before
