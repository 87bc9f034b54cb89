"""keygen, submit, verify, import and keys from the command line."""

from datetime import datetime
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


def _two_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path, str]:
    """A Pokja database, OPD-001's file and a file claiming OPD-002 signed by the same key."""
    from app.formats import keys
    from app.formats.canonical_json import canonical_bytes
    from app.formats.submission import copy_without_parts, sign_package

    focal, pokja = _db(tmp_path / "f.sqlite", True), _db(tmp_path / "p.sqlite", False)
    monkeypatch.setenv("MONEV_PASSPHRASE", SECRET)
    monkeypatch.setenv("MONEV_DATA_DIR", str(tmp_path / "data"))
    assert main(["keygen"]) == 0
    own = tmp_path / "bappeda.xlsx"
    assert main(["submit", "--db", str(focal), "--year", "2023", "--xlsx", str(own)]) == 0
    from app.services import catalog
    from app.services.submission_content import build_content

    db = open_database(focal)
    with db.begin() as s:
        c = build_content(
            s,
            catalog.get_plan(s),
            catalog.find_opd(s, "OPD-002"),
            2023,
            submission_id="00000000-0000-4000-8000-000000000002",
            revision=1,
            created_at=datetime(2024, 1, 10),
            preparer=None,
        )
    c["opd"]["name"] = "Dinas dari berkas"  # the name a file gives itself is never shown
    db.dispose()
    key = keys.load_key(SECRET, tmp_path / "data")
    copy_without_parts(own, tmp_path / "dinkes-palsu.xlsx")
    data = canonical_bytes(c)
    sign_package(tmp_path / "dinkes-palsu.xlsx", data, key)
    return pokja, own, tmp_path / "dinkes-palsu.xlsx", keys.grouped(key.key_id)


def test_import_accepts_only_the_named_key_for_the_named_opd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pokja, own, claimed, fp = _two_files(tmp_path, monkeypatch)
    capsys.readouterr()
    # The old batch-wide switch is an error that names the new options.
    assert main(["import", "--db", str(pokja), "--accept-new-key", str(own)]) == 2
    assert "--accept-key KODE-OPD=SIDIKJARI" in capsys.readouterr().err
    assert main(["import", "--db", str(pokja), "--accept-key", "OPD-001", str(own)]) == 2
    assert main(["import", "--db", str(pokja), "--accept-key", "OPD-009=" + fp, str(own)]) == 2
    assert "OPD-009 tidak dikenal" in capsys.readouterr().err
    # One key named for two OPDs in one run is refused before anything is read.
    twice = ["--accept-key", "OPD-001=" + fp, "--accept-key", "OPD-002=" + fp]
    assert main(["import", "--db", str(pokja), *twice, str(own), str(claimed)]) == 2
    assert "lebih dari satu Perangkat Daerah" in capsys.readouterr().err
    # Fingerprint as shown, spaces/dashes optional, any case: only OPD-001 gets the key.
    loose = "OPD-001=" + fp.lower().replace(" ", "-")
    assert main(["import", "--db", str(pokja), "--accept-key", loose, str(own), str(claimed)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("DITERIMA\tbappeda.xlsx")
    assert out[1].startswith("DITOLAK\tdinkes-palsu.xlsx")
    # Accepting it for OPD-002 too is not enough: the key is OPD-001's.
    both = ["--accept-key", "OPD-002=" + fp.replace(" ", "")]
    assert main(["import", "--db", str(pokja), *both, str(claimed)]) == 1
    refused = capsys.readouterr().out
    assert "sudah diterima untuk Perangkat Daerah lain, OPD-001 (" in refused
    assert "Dinas dari berkas" not in refused
    assert f"--reassign-key OPD-002={fp.replace(' ', '')}" in refused
    assert main(["keys", "pin", "--db", str(pokja), str(claimed)]) == 1
    assert "--reassign" in capsys.readouterr().err
    assert main(["verify", "--db", str(pokja), str(claimed)]) == 1
    assert "sudah diterima untuk OPD-001" in capsys.readouterr().out
    reassign = ["--reassign-key", "OPD-002=" + fp]
    assert main(["import", "--db", str(pokja), *reassign, str(claimed)]) == 0
    assert "kunci dipindahkan" in capsys.readouterr().out
    assert main(["keys", "list", "--db", str(pokja)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[::2] for line in listed] == [
        ["OPD-001", "diganti"],
        ["OPD-002", "aktif"],
    ]
    # keys pin names the OPD, and moves the key back only with --reassign.
    assert main(["keys", "pin", "--db", str(pokja), "--opd", "OPD-002", str(own)]) == 1
    assert "bukan OPD-002" in capsys.readouterr().err
    assert main(["keys", "pin", "--db", str(pokja), "--reassign", str(own)]) == 0
    assert "dipindahkan dari OPD-002" in capsys.readouterr().out


def test_replace_anyway_names_the_file_and_needs_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pokja, own, _claimed, fp = _two_files(tmp_path, monkeypatch)
    accept = ["--accept-key", "OPD-001=" + fp]
    assert main(["import", "--db", str(pokja), *accept, str(own)]) == 0
    capsys.readouterr()
    assert main(["import", "--db", str(pokja), "--replace-anyway", str(own), str(own)]) == 2
    assert "--reason" in capsys.readouterr().err
    elsewhere = ["--replace-anyway", str(tmp_path / "lain.xlsx"), "--reason", "uji"]
    assert main(["import", "--db", str(pokja), *elsewhere, str(own)]) == 2
    assert main(["import", "--db", str(pokja), str(own)]) == 0
    same = capsys.readouterr().out
    assert same.startswith("SAMA")
    assert "(Baris perintah: --replace-anyway BERKAS --reason ALASAN.)" in same
    why = ["--replace-anyway", str(own), "--reason", "kembalikan nilai bertanda tangan"]
    assert main(["import", "--db", str(pokja), *why, str(own)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("MENGGANTIKAN") and "kembalikan nilai bertanda tangan" in out


def test_without_a_key_the_command_line_names_keygen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window offers "Buat kunci…"; here the same plain sentence names the command."""
    focal = _db(tmp_path / "f.sqlite", True)
    monkeypatch.setenv("MONEV_PASSPHRASE", SECRET)
    assert main(["submit", "--db", str(focal), "--xlsx", str(tmp_path / "k.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "Kunci tanda tangan belum dibuat di komputer ini." in err
    assert "Buat dulu dengan: python -m app keygen" in err
    assert main(["matrix", "pokja-key", "export", "--out", str(tmp_path / "pokja.pub")]) == 1
    err = capsys.readouterr().err
    assert "belum dibuat" in err and "python -m app keygen" in err
