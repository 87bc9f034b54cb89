"""``python -m app matrix …``: export, show, pin the Pokja key, import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.models.schema import PlanRow, Realisation
from app.services import catalog
from app.services.profile import Profile, save_profile
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data

SECRET = "sandi-cli-uji"
PLAN = "SYN-2022-2024"


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


def _dump(path: Path) -> str:
    db = open_database(path)
    try:
        with db.begin() as s:
            return json.dumps(catalog.dump(s, catalog.get_plan(s, PLAN)), sort_keys=True)
    finally:
        db.dispose()


def test_pokja_exports_and_a_focal_point_imports_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pokja, focal = _db(tmp_path / "p.sqlite", False), _db(tmp_path / "f.sqlite", True)
    monkeypatch.setenv("MONEV_PASSPHRASE", SECRET)
    assert main(["keygen"]) == 0
    capsys.readouterr()
    db = open_database(pokja)
    with db.begin() as s:
        s.scalars(
            select(PlanRow).where(PlanRow.key == "syn-0000001")
        ).one().indikator = "Indikator yang dikoreksi Pokja"
    db.dispose()

    package = tmp_path / "matriks.monevmatriks"
    args = ["matrix", "export", "--db", str(pokja), "--plan", PLAN, "--out", str(package)]
    assert main([*args, "--note", "Koreksi indikator"]) == 0
    out = capsys.readouterr().out
    assert "Paket matriks SYN-2022-2024: 40 baris" in out and SECRET not in out
    assert package.is_file()

    assert main(["matrix", "show", str(package)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SAH\tmatriks.monevmatriks\tSYN-2022-2024 2022–2024, 40 baris")
    assert "Catatan: Koreksi indikator" in out

    # No Pokja key pinned yet: refused, the fingerprint shown, nothing written.
    before = _dump(focal)
    assert main(["matrix", "import", "--db", str(focal), str(package)]) == 1
    captured = capsys.readouterr()
    assert "belum disematkan" in captured.err
    assert _dump(focal) == before

    key_file = tmp_path / "pokja.monevkunci"
    assert main(["matrix", "pokja-key", "export", "--out", str(key_file)]) == 0
    fingerprint = capsys.readouterr().out.split("Sidik jari: ")[1][:19]
    assert main(["matrix", "pokja-key", "pin", "--db", str(focal), str(key_file)]) == 0
    assert fingerprint in capsys.readouterr().out
    assert main(["matrix", "pokja-key", "show", "--db", str(focal)]) == 0
    assert f"Kunci Pokja: {fingerprint}" in capsys.readouterr().out

    assert main(["matrix", "show", str(package), "--db", str(focal)]) == 0
    out = capsys.readouterr().out
    assert "cocok dengan kunci Pokja yang disematkan" in out
    assert "BERUBAH\tsyn-0000001\tOPD-001" in out
    assert "→ Indikator yang dikoreksi Pokja" in out
    assert _dump(focal) == before  # show never writes

    db = open_database(focal)
    with db.begin() as s:
        reals = sorted((r.row_id, r.year, r.total) for r in s.scalars(select(Realisation)))
    db.dispose()
    assert main(["matrix", "import", "--db", str(focal), str(package)]) == 0
    assert "PEMBARUAN\tmatriks.monevmatriks\tMatriks SYN-2022-2024 diperbarui" in (
        capsys.readouterr().out
    )
    db = open_database(focal)
    with db.begin() as s:
        row = s.scalars(select(PlanRow).where(PlanRow.key == "syn-0000001")).one()
        assert row.indikator == "Indikator yang dikoreksi Pokja"
        assert sorted((r.row_id, r.year, r.total) for r in s.scalars(select(Realisation))) == reals
    db.dispose()
    assert main(["matrix", "import", "--db", str(focal), str(package)]) == 0
    assert "SAMA\t" in capsys.readouterr().out


def test_refusals_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pokja, focal = _db(tmp_path / "p.sqlite", False), _db(tmp_path / "f.sqlite", True)
    monkeypatch.setenv("MONEV_PASSPHRASE", SECRET)
    assert main(["keygen"]) == 0
    package = tmp_path / "m.monevmatriks"
    args = ["matrix", "export", "--db", str(pokja), "--out", str(package)]
    assert main([*args, "--plan", "TIDAK-ADA"]) == 1
    assert "Rencana TIDAK-ADA tidak ada" in capsys.readouterr().err
    monkeypatch.setenv("MONEV_PASSPHRASE", "sandi-yang-salah")
    assert main([*args, "--plan", PLAN]) == 1
    assert "Kata sandi kunci salah" in capsys.readouterr().err
    monkeypatch.setenv("MONEV_PASSPHRASE", SECRET)
    assert main([*args, "--plan", PLAN]) == 0
    capsys.readouterr()

    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered = tmp_path / "rusak.monevmatriks"
    tampered.write_bytes(bytes(data))
    assert main(["matrix", "show", str(tampered)]) == 1
    assert capsys.readouterr().err.strip()
    before = _dump(focal)
    assert main(["matrix", "import", "--db", str(focal), "--accept-key", str(tampered)]) == 1
    assert _dump(focal) == before
    assert main(["matrix", "pokja-key", "pin", "--db", str(focal), str(tmp_path / "x")]) == 2
    assert "tidak ditemukan" in capsys.readouterr().err

    # Accepting the key with the package itself (after comparing the fingerprint).
    assert main(["matrix", "import", "--db", str(focal), "--accept-key", str(package)]) == 0
    assert "disematkan" in capsys.readouterr().out
