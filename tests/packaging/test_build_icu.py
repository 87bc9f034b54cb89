"""The ICU data slimming of the Linux bundle (build_icu.py): which items stay, that the
package and the library are rewritten consistently, and that Qt still collates, names time
zones and maps case on the slim data."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build_icu  # noqa: E402
import build_installer as bi  # noqa: E402
import build_smoke  # noqa: E402


def _qt_icu_data() -> Path | None:
    """The ICU data library of the installed PySide6 (Linux wheels only)."""
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


QT_ICU = _qt_icu_data()
needs_qt_icu = pytest.mark.skipif(QT_ICU is None, reason="this PySide6 carries no ICU (not Linux)")


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("icudt73l/coll/root.res", True),
        ("icudt73l/coll/ucadata.icu", True),
        ("icudt73l/coll/id.res", True),
        ("icudt73l/coll/en_US.res", True),
        ("icudt73l/coll/res_index.res", True),
        ("icudt73l/zone/id.res", True),
        ("icudt73l/zone/pool.res", True),
        ("icudt73l/zoneinfo64.res", True),
        ("icudt73l/cnvalias.icu", True),
        ("icudt73l/root.res", True),
        ("icudt73l/in_ID.res", True),
        ("icudt73l/coll/zh.res", False),
        ("icudt73l/zone/de.res", False),
        ("icudt73l/ar_SA.res", False),
        ("icudt73l/ibm-1390_P110-2003.cnv", False),
        ("icudt73l/brkitr/root.res", False),
        ("icudt73l/brkitr/cjdict.dict", False),
        ("icudt73l/translit/root.res", False),
        ("icudt73l/curr/id.res", False),
    ],
)
def test_only_what_qt_reads_for_root_english_and_indonesian_stays(name: str, kept: bool) -> None:
    assert build_icu.keep_item(name) is kept


def _package(items: list[tuple[str, bytes]]) -> bytes:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0)
    header += b"CmnD" + bytes([1, 0, 0, 0]) + bytes(4)
    return build_icu.CommonData(header.ljust(32, b"\0"), items).to_bytes()


def test_a_package_reads_back_in_order_and_slims_to_the_kept_items() -> None:
    items = [
        ("icudt73l/coll/root.res", b"R" * 40),
        ("icudt73l/coll/zh.res", b"Z" * 7),
        ("icudt73l/gb18030.cnv", b"G" * 100),
        ("icudt73l/id.res", b"I" * 16),
    ]
    raw = _package(items)
    parsed = build_icu.CommonData.parse(raw)
    # Items are 16-aligned in the package, so a blob reads back padded to 16.
    assert [(n, b.rstrip(b"\0")) for n, b in parsed.items] == items
    slim = build_icu.CommonData.parse(parsed.slimmed().to_bytes())
    assert [n for n, _ in slim.items] == ["icudt73l/coll/root.res", "icudt73l/id.res"]
    assert slim.header == parsed.header
    with pytest.raises(ValueError, match="ICU common data"):
        build_icu.CommonData.parse(b"\0" * 64)


def test_a_file_that_is_not_an_icu_data_library_is_left_untouched(tmp_path: Path) -> None:
    lib = tmp_path / "libicudata.so.73"
    lib.write_bytes(b"\x7fELF not really" + bytes(100))
    assert build_icu.slim_icu_data(lib) is None
    assert lib.read_bytes() == b"\x7fELF not really" + bytes(100)


def _qt_on(lib: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LD_PRELOAD": str(lib), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", script, str(lib)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@needs_qt_icu
def test_qt_collates_and_names_zones_on_the_slim_library(tmp_path: Path) -> None:
    assert QT_ICU is not None
    lib = tmp_path / QT_ICU.name
    lib.write_bytes(QT_ICU.read_bytes())
    before, after = build_icu.slim_icu_data(lib) or (0.0, 0.0)
    assert before > 25 and after < 5  # 32 MB -> about 3.3 MB
    at, size = build_icu.data_symbol(lib.read_bytes())
    names = [n for n, _ in build_icu.CommonData.parse(lib.read_bytes()[at : at + size]).items]
    assert names == sorted(names)  # ICU looks items up by binary search
    assert all(build_icu.keep_item(n) for n in names)
    res = _qt_on(lib, build_smoke.ICU_CHECK)
    assert res.returncode == 0 and "ICU ok" in res.stdout, res.stdout + res.stderr
    assert build_icu.slim_icu_data(lib) is None  # already slim: nothing more to cut


@needs_qt_icu
def test_the_icu_check_fails_when_the_collation_data_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert QT_ICU is not None
    monkeypatch.setattr(build_icu, "TREES_KEPT", frozenset({"zone"}))
    lib = tmp_path / QT_ICU.name
    lib.write_bytes(QT_ICU.read_bytes())
    assert build_icu.slim_icu_data(lib) is not None
    res = _qt_on(lib, build_smoke.ICU_CHECK)
    assert res.returncode != 0 and "ICU ok" not in res.stdout


def test_the_bundle_step_finds_and_slims_the_library_qt_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib_dir = tmp_path / "_internal" / "PySide6" / "Qt" / "lib"
    lib_dir.mkdir(parents=True)
    (lib_dir / "libicudata.so.73").write_bytes(b"data")
    (tmp_path / "_internal" / "libicudata.so.73").symlink_to(lib_dir / "libicudata.so.73")
    seen: list[Path] = []
    monkeypatch.setattr(build_icu, "slim_icu_data", lambda p: seen.append(p) or (2.0, 1.0))
    assert bi.slim_icu(tmp_path) == [(lib_dir / "libicudata.so.73", 2.0, 1.0)]
    assert seen == [lib_dir / "libicudata.so.73"]  # the link is not rewritten twice


@needs_qt_icu
def test_slimming_writes_a_new_file_and_keeps_the_mode(tmp_path: Path) -> None:
    assert QT_ICU is not None
    cached = tmp_path / "cache.so"
    cached.write_bytes(QT_ICU.read_bytes())
    lib = tmp_path / QT_ICU.name
    os.link(cached, lib)  # as if the bundle's copy were a hard link into a cache
    lib.chmod(0o755)
    assert build_icu.slim_icu_data(lib) is not None
    assert cached.read_bytes() == QT_ICU.read_bytes()
    assert lib.stat().st_mode & 0o777 == 0o755
    assert not list(tmp_path.glob("*.slim"))
