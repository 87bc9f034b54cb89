"""The Windows delivery's sources agree with each other and keep the user's data safe:
the NSIS script, the PyInstaller spec, the version resource and the icon (no full build)."""

from __future__ import annotations

import ast
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from app import paths

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build_installer as bi  # noqa: E402

NSI_TEXT = bi.NSI.read_text(encoding="utf-8")
SAFE_TARGETS = ("$INSTDIR", "$SMPROGRAMS\\", "$DESKTOP\\")


def _defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'^!define (\w+) "([^"]*)"', text, re.MULTILINE))


def _expand(value: str, defines: dict[str, str]) -> str:
    for _ in range(5):  # defines may use defines
        value = re.sub(r"\$\{(\w+)\}", lambda m: defines.get(m.group(1), m.group(0)), value)
    return value


def deletions(text: str) -> list[str]:
    """The targets of every Delete and RMDir line, defines expanded, flags dropped."""
    defines = _defines(text)
    found = []
    for line in text.splitlines():
        m = re.match(r"\s*(Delete|RMDir)\s+((?:/\w+\s+)*)\"?([^\"]+)\"?", line)
        if m:
            found.append(_expand(m.group(3).strip(), defines))
    return found


def unsafe(targets: list[str]) -> list[str]:
    """Targets outside the program folder and the two shortcuts, or naming the data folder."""
    return [
        t
        for t in targets
        if not t.startswith(SAFE_TARGETS)
        or (t.startswith(("$SMPROGRAMS", "$DESKTOP")) and not t.endswith(".lnk"))
        or "$LOCALAPPDATA\\MonevRADPUG" in t
    ]


def test_the_uninstaller_and_upgrade_delete_only_program_files() -> None:
    targets = deletions(NSI_TEXT)
    assert "$INSTDIR\\_internal" in targets  # an upgrade replaces the old libraries
    assert "$INSTDIR" in targets  # the emptied program folder, not recursively
    assert unsafe(targets) == []
    assert not re.search(r'RMDir\s+/r\s+"\$INSTDIR"', NSI_TEXT)


def test_the_deletion_check_catches_a_line_reaching_the_data_folder() -> None:
    bad = NSI_TEXT + '\n  RMDir /r "${DATADIR}"\n  Delete "$LOCALAPPDATA\\x.txt"\n'
    assert unsafe(deletions(bad)) == ["$LOCALAPPDATA\\MonevRADPUG", "$LOCALAPPDATA\\x.txt"]


def test_the_protected_data_folder_is_the_one_the_app_uses_on_windows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # app.paths sees a Windows PC (only its view of os: pathlib stays POSIX).
    windows = SimpleNamespace(name="nt", environ={"LOCALAPPDATA": "/pc/AppData/Local"})
    monkeypatch.setattr(paths, "os", windows)
    real = paths.default_data_dir()
    datadir = _expand("${DATADIR}", _defines(NSI_TEXT))
    assert datadir == "$LOCALAPPDATA\\" + real.name
    assert real.parent == Path("/pc/AppData/Local")
    # The program folder is elsewhere, and the installer refuses the data folder.
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APPKEY}"' in NSI_TEXT
    assert '${If} "$INSTDIR" == "${DATADIR}"' in NSI_TEXT


def test_installs_per_user_without_administrator_rights() -> None:
    assert re.search(r"^RequestExecutionLevel user$", NSI_TEXT, re.MULTILINE)
    writes = re.findall(
        r"^\s*(?:WriteReg\w+|DeleteRegKey|InstallDirRegKey)\s+(\w+)", NSI_TEXT, re.M
    )
    assert writes and set(writes) == {"HKCU"}
    assert "HKLM" not in NSI_TEXT
    assert "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\" in NSI_TEXT
    assert '!insertmacro MUI_LANGUAGE "Indonesian"' in NSI_TEXT
    assert "SetShellVarContext current" in NSI_TEXT


def test_version_resource_is_filled_from_pyproject() -> None:
    version = bi.project_version()
    text = bi.version_info_text(version)
    numbers = bi.version_tuple(version)
    assert f"StringStruct('ProductVersion', '{version}')" in text
    assert f"filevers={numbers}" in text
    assert "{" not in text.split("VSVersionInfo(", 1)[1]  # no placeholder left
    ast.parse(text, mode="eval")  # PyInstaller eval()s it: one expression
    assert bi.version_tuple("1.2.3rc1") == (1, 2, 3, 0)
    assert bi.version_tuple("2.0") == (2, 0, 0, 0)


def test_installer_gets_the_pyproject_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bi, "find_makensis", lambda: "makensis")
    cmd = bi.nsis_command(Path("bundle"), Path("out.exe"), check_only=True)
    version = bi.project_version()
    assert f"-DVERSION={version}" in cmd
    assert f"-DVERSION4={'.'.join(map(str, bi.version_tuple(version)))}" in cmd
    assert "-DCHECK_ONLY" in cmd
    assert cmd[-1] == str(bi.NSI)


class _Recorder:
    """Stand-ins for PyInstaller's spec classes that record what the spec asks for."""

    def __init__(self) -> None:
        self.exes: list[dict[str, Any]] = []
        self.collected: list[Any] = []

    def namespace(self, work: Path) -> dict[str, Any]:
        rec = self

        class Analysis:
            def __init__(self, scripts: list[str], **kw: Any) -> None:
                self.scripts, self.kw = scripts, kw
                self.pure: list[Any] = []
                self.binaries: list[Any] = []
                self.datas: list[Any] = []

        def exe(*args: Any, **kw: Any) -> dict[str, Any]:
            rec.exes.append(kw)
            return kw

        def collect(*args: Any, **kw: Any) -> None:
            rec.collected = list(args)

        return {
            "Analysis": Analysis,
            "PYZ": lambda pure: ("pyz", pure),
            "EXE": exe,
            "COLLECT": collect,
            "SPECPATH": str(bi.PACKAGING),
            "workpath": str(work),
            "__file__": str(bi.SPEC),
        }


@pytest.mark.parametrize("windows", [True, False])
def test_spec_declares_a_window_and_a_console_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: bool
) -> None:
    monkeypatch.setattr(bi, "WINDOWS", windows)
    monkeypatch.setattr(bi, "hidden_imports", lambda: list(bi.HIDDEN_IMPORTS))
    rec = _Recorder()
    exec(
        compile(bi.SPEC.read_text(encoding="utf-8"), str(bi.SPEC), "exec"), rec.namespace(tmp_path)
    )
    by_name = {e["name"]: e for e in rec.exes}
    assert set(by_name) == {"monev-radpug", "monev-radpug-cli"}
    assert by_name["monev-radpug"]["console"] is (not windows)
    assert by_name["monev-radpug-cli"]["console"] is True
    assert all(e["exclude_binaries"] and e["icon"] == str(bi.ICON) for e in rec.exes)
    assert all(
        Path(e["version"]).read_text(encoding="utf-8") == bi.version_info_text(bi.project_version())
        for e in rec.exes
    )
    assert rec.collected[:2] == rec.exes  # one folder holds both programs


def test_spec_keeps_the_data_files() -> None:
    dests = {dest for _, dest in bi.datas()}
    assert dests == {"resources", "app/migrations"}
    assert all(Path(src).is_dir() for src, _ in bi.datas())


def test_slim_drops_the_listed_paths_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bi, "NO_SLIM", False)
    toc = [
        ("PySide6/Qt/translations/qt_de.qm", "/x/qt_de.qm", "DATA"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "DATA"),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", "/x/libqvnc.so", "DATA"),
        ("lxml/etree.so", "/x/etree.so", "DATA"),
        ("resources/units.json", "/x/units.json", "DATA"),
    ]
    kept = [e[0] for e in bi.slim(toc)]
    assert kept == ["PySide6/Qt/plugins/platforms/libqxcb.so", "resources/units.json"]
    monkeypatch.setattr(bi, "NO_SLIM", True)
    assert bi.slim(toc) == toc


def test_sizes_sum_the_parts_of_a_bundle(tmp_path: Path) -> None:
    lib = tmp_path / "_internal"
    (lib / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (lib / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6").write_bytes(b"x" * 3_000_000)
    (lib / "sqlalchemy").mkdir()
    (lib / "sqlalchemy" / "a.so").write_bytes(b"x" * 1_000_000)
    (lib / "sqlalchemy" / "b.so").write_bytes(b"x" * 1_000_000)
    (tmp_path / "monev-radpug").write_bytes(b"x" * 500_000)
    assert bi.sizes(tmp_path) == [
        ("PySide6/Qt/lib", 3.0),
        ("sqlalchemy", 2.0),
        ("monev-radpug", 0.5),
    ]
    assert bi.total_mb(tmp_path) == pytest.approx(5.5)


def test_icon_is_a_valid_ico_with_several_sizes() -> None:
    data = bi.ICON.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        w, h, _, _, planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        size = w or 256
        assert (w, planes, bpp) == (h, 1, 32)
        assert offset + length <= len(data)
        blob = data[offset : offset + length]
        if blob.startswith(b"\x89PNG\r\n\x1a\n"):
            assert struct.unpack(">II", blob[16:24]) == (size, size)
        else:
            header, bw, bh = struct.unpack_from("<Iii", blob)
            assert (header, bw, bh) == (40, size, 2 * size)
            assert length == 40 + 4 * size * size + ((size + 31) // 32) * 4 * size
        sizes.add(size)
    assert {16, 32, 48, 256} <= sizes
    assert bi.ICON.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (NSIS) not installed")
def test_nsis_script_compiles_over_a_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "monev-radpug"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    for name in (bi.NAME, bi.CLI_NAME):
        (bundle / (name + bi.EXE_SUFFIX)).write_bytes(b"MZ fake program")
    (bundle / "_internal" / "resources" / "units.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "setup.exe"
    res = subprocess.run(
        bi.nsis_command(bundle, out, check_only=True),
        cwd=bi.PACKAGING,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert out.read_bytes().startswith(b"MZ")  # a Windows program


def test_libraries_nothing_links_to_are_dropped_with_their_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import PyInstaller.depend.bindepend as bindepend

    links = {
        "/x/_foo.cpython-311-x86_64-linux-gnu.so": {"libQt6Core.so.6"},
        "/x/libqxcb.so": {"libcairo.so.2"},
        "/x/libQt6Core.so.6": {"libicuuc.so.73"},
    }
    monkeypatch.setattr(
        bindepend, "get_imports", lambda path, *a: {(n, "/lib/" + n) for n in links.get(path, ())}
    )
    toc = [
        (
            "foo/_foo.cpython-311-x86_64-linux-gnu.so",
            "/x/_foo.cpython-311-x86_64-linux-gnu.so",
            "EXTENSION",
        ),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/lib/libicuuc.so.73", "/x/libicuuc.so.73", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/x/libQt6Network.so.6", "BINARY"),
        ("libcairo.so.2", "/x/libcairo.so.2", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
    ]
    kept = [e[0] for e in bi._without_orphans(toc)]
    assert kept == [
        "foo/_foo.cpython-311-x86_64-linux-gnu.so",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libicuuc.so.73",
        "libQt6Core.so.6",
    ]
    # A kept plugin keeps what it links to.
    toc.append(("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"))
    assert "libcairo.so.2" in [e[0] for e in bi._without_orphans(toc)]


def test_identical_programs_become_one_file_and_a_link(tmp_path: Path) -> None:
    gui, cli = tmp_path / bi.NAME, tmp_path / bi.CLI_NAME
    gui.write_bytes(b"same bootloader and archive")
    cli.write_bytes(b"same bootloader and archive")
    assert bi.link_identical_programs(tmp_path)
    assert cli.is_symlink() and cli.resolve() == gui.resolve()
    assert cli.read_bytes() == gui.read_bytes()
    assert not bi.link_identical_programs(tmp_path)  # already a link


def test_different_programs_stay_two_files(tmp_path: Path) -> None:
    (tmp_path / bi.NAME).write_bytes(b"windowed")
    (tmp_path / bi.CLI_NAME).write_bytes(b"console")
    assert not bi.link_identical_programs(tmp_path)
    assert not (tmp_path / bi.CLI_NAME).is_symlink()


def app_imports() -> set[str]:
    """Every absolute module name app/ imports; ``from x import y`` counts x and x.y, since
    y may be a submodule (``from PySide6 import QtSvg``)."""
    names: set[str] = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def cut_off(imports: set[str], excluded: list[str]) -> list[tuple[str, str]]:
    """(import, exclusion) pairs where the exclusion removes what is imported."""
    return sorted(
        (name, ex) for name in imports for ex in excluded if name == ex or name.startswith(ex + ".")
    )


def test_no_exclusion_removes_a_module_app_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bi, "NO_SLIM", False)
    imports = app_imports()
    assert {"PySide6.QtWidgets", "sqlalchemy", "keyring", "pyhanko.sign"} <= imports  # walk works
    assert cut_off(imports, bi.excluded_modules()) == []


def test_the_exclusion_check_catches_a_module_app_imports() -> None:
    imports = app_imports()
    found = cut_off(imports, ["PySide6.QtWidgets", "keyring", "sqlalchemy.dialects"])
    assert ("PySide6.QtWidgets", "PySide6.QtWidgets") in found
    assert ("keyring", "keyring") in found
    assert not cut_off({"sqlalchemy.dialectsx"}, ["sqlalchemy.dialects"])


def test_the_server_driver_and_the_dialects_we_use_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    # The Pokja's window talks to PostgreSQL through psycopg's binary build (libpq inside);
    # a pure-Python psycopg would need a libpq Windows PCs do not have.
    monkeypatch.setattr(bi, "NO_SLIM", False)
    kept = ["psycopg", "psycopg_binary", "sqlalchemy.dialects.postgresql", "aiohttp"]
    kept += ["sqlalchemy.dialects.sqlite", "keyring", "multidict", "yarl"]
    assert cut_off(set(kept), bi.excluded_modules()) == []
    assert not any(bi._dropped(p) for p in ("psycopg_binary.libs/libpq.so", "psycopg_binary/x"))


def test_windows_leaves_out_the_software_opengl_renderer_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bi, "NO_SLIM", False)
    toc = [
        ("PySide6/opengl32sw.dll", "C:/x/opengl32sw.dll", "BINARY"),
        ("PySide6/Qt6Gui.dll", "C:/x/Qt6Gui.dll", "BINARY"),
        ("PySide6/Qt6OpenGL.dll", "C:/x/Qt6OpenGL.dll", "BINARY"),
        ("PySide6/plugins/platforms/qwindows.dll", "C:/x/qwindows.dll", "BINARY"),
    ]
    dropped = [e[0] for e in toc if bi._dropped(e[0])]
    assert dropped == ["PySide6/opengl32sw.dll"]
    assert bi._dropped("PySide6\\opengl32sw.dll")  # a Windows TOC may use backslashes
