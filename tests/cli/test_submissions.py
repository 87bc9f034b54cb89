"""keygen, submit, verify, import and keys from the command line."""

from pathlib import Path

import pytest

from app.__main__ import main
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.services.profile import Profile, save_profile
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data

SECRET = "sandi-cli-uji"


def _db(path: Path, focal: bool) -> Path:
    db = open_database(path)
    load_plan_data(db, synthetic_plan(40, opds=2))
    if focal:
        fill_sample(db, 2023, full_opds=("OPD-001",), others=0.0, arg_nodes=1, proposals=1)
        with db.begin() as s:
            save_profile(
                s, Profile("focal_point", "Siti Aminah", "198001012005012002", "OPD-001", 2023)
            )
    db.dispose()
    return path


def test_submit_verify_import_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    focal, pokja = _db(tmp_path / "f.sqlite", True), _db(tmp_path / "p.sqlite", False)
    monkeypatch.setenv("MONEV_PASSPHRASE", SECRET)
    assert main(["keygen"]) == 0
    out = capsys.readouterr().out
    assert "Sidik jari" in out and SECRET not in out
    xlsx, pdf = tmp_path / "kiriman.xlsx", tmp_path / "kiriman.pdf"
    assert (
        main(
            ["submit", "--db", str(focal), "--year", "2023", "--xlsx", str(xlsx), "--pdf", str(pdf)]
        )
        == 0
    )
    assert "revisi 1" in capsys.readouterr().out and pdf.stat().st_size > 0
    assert main(["verify", str(xlsx)]) == 0
    assert capsys.readouterr().out.startswith("SAH\tkiriman.xlsx\tOPD-001 tahun 2023")
    # Pokja has not accepted the key yet: verify against the database fails, import refuses.
    assert main(["verify", "--db", str(pokja), str(xlsx)]) == 1
    assert "belum diterima" in capsys.readouterr().out
    assert main(["import", "--db", str(pokja), str(xlsx)]) == 1
    assert "DITOLAK" in capsys.readouterr().out
    assert main(["keys", "pin", "--db", str(pokja), str(xlsx)]) == 0
    capsys.readouterr()
    assert main(["keys", "list", "--db", str(pokja)]) == 0
    assert "OPD-001" in capsys.readouterr().out
    assert main(["import", "--db", str(pokja), str(xlsx)]) == 0
    assert capsys.readouterr().out.startswith("DITERIMA\tkiriman.xlsx")
    assert main(["import", "--db", str(pokja), str(xlsx)]) == 0
    assert "SAMA" in capsys.readouterr().out
    junk = tmp_path / "bukan.xlsx"
    junk.write_text("bukan excel")
    assert main(["verify", str(junk)]) == 1
    assert "GAGAL" in capsys.readouterr().out


def test_passphrase_from_a_file_and_a_wrong_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MONEV_PASSPHRASE", raising=False)
    secret = tmp_path / "sandi.txt"
    secret.write_text(SECRET + "\n")
    assert main(["keygen", "--passphrase-file", str(secret)]) == 0
    assert main(["keys", "show"]) == 0
    capsys.readouterr()
    focal = _db(tmp_path / "f.sqlite", True)
    monkeypatch.setenv("MONEV_PASSPHRASE", "sandi-yang-keliru")
    assert main(["submit", "--db", str(focal), "--xlsx", str(tmp_path / "k.xlsx")]) == 1
    assert "salah" in capsys.readouterr().err
    assert not (tmp_path / "k.xlsx").exists()
