"""``python -m app region show|set``: Pokja reads and edits the region profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from app.__main__ import main
from app.models.db import open_database
from app.models.lock import InstanceLock

PNG = b"\x89PNG\r\n\x1a\n" + b"\2" * 40


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _region_rows(path: Path) -> list[tuple[str, str]]:
    db = open_database(path)  # not sqlite3: on the PostgreSQL test run the rows are there
    try:
        with db.begin() as s:
            rows = s.execute(
                text("SELECT key, value FROM setting WHERE key LIKE 'region.%' ORDER BY key")
            )
            return [(r[0], r[1]) for r in rows]
    finally:
        db.dispose()


def test_show_set_and_show_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "m.sqlite")
    code, out, _ = _run(capsys, "region", "show", "--db", db)
    assert code == 0 and "Wilayah: Kabupaten Lumajang" in out
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    code, out, err = _run(
        capsys,
        "region",
        "set",
        "--db",
        db,
        "--kind",
        "Kota",
        "--name",
        "Contoh",
        "--letterhead-line",
        "PEMERINTAH KOTA CONTOH",
        "--letterhead-line",
        "SEKRETARIAT DAERAH",
        "--address",
        "Jl. Merdeka 1",
        "--logo",
        str(logo),
    )
    assert code == 0, err
    assert "Profil wilayah disimpan" in out
    code, out, _ = _run(capsys, "region", "show", "--db", db, "--json")
    data = json.loads(out)
    assert data["full_name"] == "Kota Contoh"
    assert data["letterhead"] == ["PEMERINTAH KOTA CONTOH", "SEKRETARIAT DAERAH"]
    assert data["address"] == "Jl. Merdeka 1"
    assert data["logo"]  # kept, as base64
    # Only the options given change: the place follows the new name.
    code, out, _ = _run(capsys, "region", "set", "--db", db, "--place", "Contoh Kota")
    assert code == 0
    assert "Tempat tanda tangan: Contoh Kota" in out and "Wilayah: Kota Contoh" in out
    assert "Logo: PNG" in out
    code, out, _ = _run(capsys, "region", "set", "--db", db, "--logo", "")
    assert code == 0 and "Logo: -" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--kind", "Desa"], "Kabupaten, Kota, Provinsi"),
        (["--name", ""], "wajib diisi"),
        (["--logo", "LOGO_GIF"], "PNG atau JPEG"),
        (["--logo", "MISSING"], "tidak dapat dibaca"),
    ],
)
def test_refusals_leave_the_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    db = tmp_path / "m.sqlite"
    assert main(["region", "show", "--db", str(db)]) == 0
    before = _region_rows(db)
    (tmp_path / "x.gif").write_bytes(b"GIF89a" + b"\0" * 20)
    argv = [
        {"LOGO_GIF": str(tmp_path / "x.gif"), "MISSING": str(tmp_path / "no.png")}.get(a, a)
        for a in argv
    ]
    capsys.readouterr()
    code, _, err = _run(capsys, "region", "set", "--db", str(db), *argv)
    assert code == 1 and words in err
    assert _region_rows(db) == before


def test_set_without_options_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "region", "set", "--db", str(tmp_path / "m.sqlite"))
    assert code == 2 and "Tidak ada yang diubah" in err


@pytest.mark.sqlite_only  # the single-window lock is a SQLite file's
def test_set_refuses_while_a_window_holds_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "m.sqlite"
    assert main(["region", "show", "--db", str(db)]) == 0
    before = _region_rows(db)
    window = InstanceLock(db).acquire()
    try:
        code, _, err = _run(capsys, "region", "set", "--db", str(db), "--name", "Contoh")
        assert code == 1 and "sedang dibuka oleh Monev RAD PUG lain" in err
        assert _region_rows(db) == before
    finally:
        window.release()
    assert main(["region", "set", "--db", str(db), "--name", "Contoh"]) == 0
    assert _region_rows(db) != before


def test_consolidated_report_line_names_the_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "m.sqlite")
    assert main(["region", "set", "--db", db, "--kind", "Kota", "--name", "Contoh"]) == 0
    capsys.readouterr()
    code, out, err = _run(
        capsys, "report", "--db", db, "--year", "2022", "--xlsx", str(tmp_path / "k.xlsx")
    )
    assert code == 0, err
    assert "Laporan Kota Contoh (konsolidasi) tahun 2022" in out
