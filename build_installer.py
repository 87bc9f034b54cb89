"""Build the one-folder desktop bundle with PyInstaller, smoke-test it, and wrap it in the
Windows installer.

    python build_installer.py               # build dist/monev-radpug/ (two programs)
    python build_installer.py --smoke       # ... then run the frozen programs as a user would
    python build_installer.py --installer   # ... then compile packaging/monev-radpug.nsi
    python build_installer.py --sizes       # ... then print the biggest parts of the bundle
    python build_installer.py --no-build --smoke   # test an existing bundle again

The bundle holds two programs over one set of libraries (packaging/monev-radpug.spec):
``monev-radpug`` opens the window (windowed on Windows) and ``monev-radpug-cli`` runs the
subcommands in a console, because a windowed Windows program has nowhere to print.

Building on Windows (the installer the focal points and the Pokja receive):

1. Install Python 3.11 (python.org, "py launcher" ticked) and NSIS 3 (nsis.sourceforge.io;
   ``makensis`` on PATH, or in its default folder ``C:\\Program Files (x86)\\NSIS``).
2. In a clone of the repository::

       py -3.11 -m venv .venv
       .venv\\Scripts\\activate
       pip install -e ".[dev]"
       python build_installer.py --smoke --installer

3. The installer is ``dist\\monev-radpug-<version>-setup.exe``; docs/windows.md says what
   it does on the user's PC (per-user install, no administrator rights, data kept).

On Linux (CI) ``--installer`` compiles the same script over the Linux bundle with
``-DCHECK_ONLY`` (no compression, output in the work folder): it proves the script and the
bundle fit together, not that the result runs on Windows.

The smoke test (build_smoke.py) runs the frozen programs on a new database in a temporary
folder, so it proves that migrations and the seeded matrix are found when frozen (they are
data files, not imports, and PyInstaller would silently drop them), that a focal point can
sign a submission and a PDF (cryptography, openpyxl, reportlab, pyHanko), that the window
starts, that the PostgreSQL driver (psycopg's binary build and its libpq) dials a server,
and on Linux that Qt collates and names time zones on the slimmed ICU data.

Slimming: SLIMS below lists what is left out of the bundle and the MB each saves. The
paths were measured with ``--measure-slims`` over a bundle built with ``MONEV_NO_SLIM=1``
(218.3 MB: stripped, nothing else left out); the other entries by comparing builds (strip:
the same files in main's unstripped bundle; archives: PyInstaller's PYZ table of contents).
Linux x86_64, December 2026: 161.3 MB once the PostgreSQL driver came in (issue 14), 130.7 MB
with ICU's data cut to what Qt reads (build_icu.py). What remains is mostly Qt's libraries
(Gui, Widgets, Core and ICU's code: 38 MB), the module archive (13.2 MB), cryptography
(11.6 MB), the PostgreSQL client library with its OpenSSL and Kerberos (10.7 MB),
PySide6's bindings (15 MB) and Pillow, whose core reportlab needs for PNG logos.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "monev-radpug.spec"
NSI = PACKAGING / "monev-radpug.nsi"
ICON = PACKAGING / "monev-radpug.ico"
VERSION_TEMPLATE = PACKAGING / "version_info.template"
NAME = "monev-radpug"
CLI_NAME = "monev-radpug-cli"
WINDOWS = sys.platform == "win32"
# Debug symbols are most of libpython's 22 MB on Linux; Windows binaries carry none.
STRIP = not WINDOWS
EXE_SUFFIX = ".exe" if WINDOWS else ""

HIDDEN_IMPORTS = ["alembic.runtime.migration", "alembic.ddl.sqlite", "logging.config"]
# reportlab loads its barcode widgets (the QR code of a submission PDF) by name in exec():
# PyInstaller cannot see those imports, and a frozen submit failed without them.
HIDDEN_PACKAGES = ["reportlab.graphics.barcode"]

# Modules never imported at run time; excluding them keeps PyInstaller from following them.
EXCLUDES = [
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtWebEngineCore",
    "PySide6.Qt3DCore",
    "PySide6.QtMultimedia",
    "PySide6.QtOpenGL",
    "PySide6.QtSql",
    "tkinter",
    "matplotlib",
    "numpy",
    "pandas",
    "IPython",
    "pytest",
    "hypothesis",
]


@dataclass(frozen=True)
class Slim:
    """Something the bundle would otherwise carry: the modules PyInstaller must not follow
    and the bundle paths (globs, relative to the bundle's library folder) to drop."""

    what: str
    mb: float  # measured on Linux (x86_64) unless `what` says otherwise; see the docstring
    why: str
    modules: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()


SLIMS: tuple[Slim, ...] = (
    Slim(
        "debug symbols (strip)",
        47.8,
        "libpython and cryptography's Rust module ship with symbols; Linux/macOS only",
    ),
    Slim(
        "lxml",
        9.6,
        "openpyxl falls back to the standard library's XML; pyHanko signs and verifies without it",
        modules=("lxml",),
        paths=("lxml/*",),
    ),
    Slim(
        "Pillow codecs beyond PNG/JPEG",
        9.3,
        "reportlab needs Pillow only to read the region's PNG/JPEG logo: no AVIF, WebP, "
        "fonts (FreeType/HarfBuzz), colour management or Tk",
        modules=(
            "PIL._avif",
            "PIL._webp",
            "PIL._imagingft",
            "PIL._imagingcms",
            "PIL._imagingtk",
            "PIL.ImageTk",
            "PIL.ImageQt",
        ),
        paths=(
            "PIL/_avif*",
            "PIL/_webp*",
            "PIL/_imagingft*",
            "PIL/_imagingcms*",
            "PIL/_imagingtk*",
            "pillow.libs/libavif*",
            "pillow.libs/libwebp*",
            "pillow.libs/libsharpyuv*",
            "pillow.libs/libfreetype*",
            "pillow.libs/libharfbuzz*",
            "pillow.libs/libbrotli*",
            "pillow.libs/libpng*",
            "pillow.libs/liblcms*",
        ),
    ),
    Slim(
        "Qt translations",
        7.0,
        "the interface is Indonesian through our own tr(); no Qt catalogue is loaded",
        paths=("PySide6/Qt/translations/*", "PySide6/translations/*"),
    ),
    Slim(
        "Qt platform theme plugins (GTK, portal); their Cairo/Pango/GIO libraries: see below",
        0.4,
        "the window uses Qt's own Fusion-like style; file dialogs are Qt's",
        paths=("PySide6/Qt/plugins/platformthemes/*",),
    ),
    Slim(
        "Qt plugins for embedded/Wayland/VNC displays and input devices",
        2.4,
        "a desktop PC uses windows (Windows) or xcb (Linux; XWayland under Wayland); "
        "offscreen stays for tests",
        paths=(
            "PySide6/Qt/plugins/egldeviceintegrations/*",
            "PySide6/Qt/plugins/generic/*",
            "PySide6/Qt/plugins/wayland-*/*",
            "PySide6/Qt/plugins/platforms/*qeglfs*",
            "PySide6/Qt/plugins/platforms/*qlinuxfb*",
            "PySide6/Qt/plugins/platforms/*qminimal*",
            "PySide6/Qt/plugins/platforms/*qvkkhrdisplay*",
            "PySide6/Qt/plugins/platforms/*qvnc*",
            "PySide6/Qt/plugins/platforms/*qwayland*",
            "PySide6/Qt/plugins/platforms/*qdirect2d*",
            "PySide6/Qt/plugins/platforminputcontexts/*ibus*",
        ),
    ),
    Slim(
        "Qt's software OpenGL renderer (Windows; MB of PySide6's Windows wheel)",
        20.6,
        "Qt loads opengl32sw.dll only to make an OpenGL context on a PC without an OpenGL "
        "driver; our widgets paint with the raster engine and QtOpenGL is excluded "
        "(windeployqt's --no-opengl-sw leaves it out for the same kind of program)",
        paths=("PySide6/opengl32sw.dll",),
    ),
    Slim(
        "Qt image formats we never read, SVG, OpenGL on X11, the D-Bus binding",
        2.2,
        "logos are PNG/JPEG, icons PNG/ICO, no SVG anywhere; widgets paint without OpenGL; "
        "Qt itself keeps its D-Bus library, only the unused Python module goes",
        modules=("PySide6.QtDBus", "PySide6.QtSvg"),
        paths=(
            "PySide6/Qt/plugins/imageformats/*qicns*",
            "PySide6/Qt/plugins/imageformats/*qtga*",
            "PySide6/Qt/plugins/imageformats/*qtiff*",
            "PySide6/Qt/plugins/imageformats/*qwbmp*",
            "PySide6/Qt/plugins/imageformats/*qwebp*",
            "PySide6/Qt/plugins/imageformats/*qpdf*",
            "PySide6/Qt/plugins/imageformats/*qsvg*",
            "PySide6/Qt/plugins/iconengines/*qsvg*",
            "PySide6/Qt/plugins/xcbglintegrations/*",
            "PySide6/QtDBus*",
        ),
    ),
    Slim(
        "the CUPS print plugin and what only it links (CUPS, GnuTLS, Kerberos, Avahi)",
        9.1,
        "Linux only: the ARG recap's Cetak… still prints to PDF through Qt's own dialog; "
        "focal points print on Windows, whose print plugin stays",
        paths=("PySide6/Qt/plugins/printsupport/*cups*",),
    ),
    Slim(
        "Chinese/Korean codecs, readline",
        0.6,
        "files are UTF-8; the CLI reads no interactive line. Japanese stays: reportlab's "
        "QR code (submission PDFs) tries Shift-JIS",
        modules=("readline",),
        paths=("python3.11/lib-dynload/_codecs_[chkt]*", "lib-dynload/_codecs_[chkt]*"),
    ),
    Slim(
        "Pygments, setuptools, pkg_resources, distutils, pydoc topics, packaging, dateutil, "
        "unittest, multiprocessing",
        8.6,
        "pulled in by optional imports; never run by the app. 4.3 MB in each program's "
        "module archive (compressed), and each of the two programs carries one",
        modules=(
            "pygments",
            "setuptools",
            "pkg_resources",
            "distutils",
            "_distutils_hack",
            "pydoc_data",
            "packaging",
            "dateutil",
            "unittest",
            "multiprocessing",
        ),
    ),
    Slim(
        "aiohttp's compiled speedups (and those of multidict, yarl, propcache, frozenlist)",
        1.4,
        "pyHanko imports its HTTP timestamp client, hence aiohttp, whenever it signs; the app "
        "never timestamps nor fetches revocation data online, and each of these packages "
        "falls back to its pure-Python twin when the compiled one is missing",
        modules=(
            "aiohttp._http_parser",
            "aiohttp._http_writer",
            "aiohttp._websocket.reader_c",
            "aiohttp._websocket.mask",
            "multidict._multidict",
            "yarl._quoting_c",
            "propcache._helpers_c",
            "frozenlist._frozenlist",
        ),
    ),
    Slim(
        "SQLAlchemy's MySQL, Oracle and SQL Server dialects",
        0.4,
        "SQLAlchemy imports a dialect by the URL's name; ours are sqlite and postgresql "
        "(alembic names the others only for type checking). In each program's archive",
        modules=(
            "sqlalchemy.dialects.mysql",
            "sqlalchemy.dialects.oracle",
            "sqlalchemy.dialects.mssql",
        ),
    ),
    Slim(
        "the console program as a link to the window program (Linux/macOS)",
        12.5,
        "there both are console programs, identical byte for byte; Windows keeps two",
    ),
    Slim(
        "ICU data Qt never reads (Linux): other locales, code pages, dictionaries",
        28.8,
        "Qt Core calls ICU only for collation, time zone names, case mapping and code page "
        "converters; the app asks for no code page. build_icu.py keeps root, English and "
        "Indonesian collation and zone names (32.0 MB -> 3.3 MB)",
    ),
    Slim(
        "libraries only the dropped parts needed",
        16.0,
        "after the drops, shared libraries nothing left links to (Linux): QtNetwork, "
        "QtWayland, QtOpenGL, QtSvg, GIO, Cairo, Pango, Kerberos, readline...",
    ),
)

# The SLIMS table is the measure; this switch builds the unslimmed bundle to measure against.
NO_SLIM = os.environ.get("MONEV_NO_SLIM") == "1"


def datas() -> list[tuple[str, str]]:
    """Data files PyInstaller does not find by itself: migrations, seeds and resources."""
    return [
        (str(ROOT / "resources"), "resources"),
        (str(ROOT / "app" / "migrations"), "app/migrations"),
    ]


def hidden_imports() -> list[str]:
    from PyInstaller.utils.hooks import collect_submodules

    return [*HIDDEN_IMPORTS, *(m for p in HIDDEN_PACKAGES for m in collect_submodules(p))]


def excluded_modules() -> list[str]:
    if NO_SLIM:
        return list(EXCLUDES)
    return [*EXCLUDES, *(m for s in SLIMS for m in s.modules)]


def _dropped(dest: str) -> bool:
    dest = dest.replace("\\", "/")
    return any(fnmatch.fnmatch(dest, g) for s in SLIMS for g in s.paths)


def slim(toc: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The TOC without the SLIMS paths, and (Linux) without libraries left unused."""
    if NO_SLIM:
        return toc
    kept = [entry for entry in toc if not _dropped(entry[0])]
    if sys.platform.startswith("linux"):
        kept = _without_orphans(kept)
    return kept


def _is_library(dest: str) -> bool:
    """A shared library other binaries link to (not an extension module or a plugin)."""
    name = dest.replace("\\", "/").rsplit("/", 1)[-1]
    return (
        ".so" in name
        and "/plugins/" not in dest.replace("\\", "/")
        and "cpython-" not in name
        and ".abi3." not in name
        and not name.startswith("libpython")
    )


def _without_orphans(toc: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Drop libraries that nothing kept links to: the GTK stack of the dropped theme
    plugin, the codecs of dropped Pillow modules, Qt's Wayland and EGLFS libraries. Only
    links are followed: Qt loads nothing but plugins by name, and plugins are roots."""
    from PyInstaller.depend.bindepend import get_imports

    binaries = [e for e in toc if e[2] in ("BINARY", "EXTENSION")]
    needs = {e[0]: {Path(n).name for n, _ in get_imports(e[1])} for e in binaries}
    by_name = {Path(e[0]).name: e[0] for e in binaries}
    alive = {d for d in needs if not _is_library(d)}
    todo = list(alive)
    while todo:
        for lib in needs.get(todo.pop(), ()):
            dest = by_name.get(lib)
            if dest and dest not in alive:
                alive.add(dest)
                todo.append(dest)
    kept = [e for e in toc if e[2] not in ("BINARY", "EXTENSION") or e[0] in alive]
    # PyInstaller links a library's name at the top to its copy in PySide6/Qt/lib; a link
    # to a dropped copy would dangle.
    dests = {e[0].replace("\\", "/") for e in kept if e[2] != "SYMLINK"}
    return [e for e in kept if e[2] != "SYMLINK" or _link_target(e) in dests]


def _link_target(entry: tuple[str, str, str]) -> str:
    parent = Path(entry[0]).parent
    return os.path.normpath(parent / entry[1]).replace("\\", "/")


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``0.1.0`` → ``(0, 1, 0, 0)``: Windows wants four numbers; a suffix (``rc1``) is
    dropped from the number, kept in the text."""
    numbers = []
    for part in version.split(".")[:4]:
        digits = re.match(r"\d*", part)
        numbers.append(int(digits.group() or 0) if digits else 0)
    a, b, c, d = [*numbers, 0, 0, 0, 0][:4]
    return (a, b, c, d)


def version_info_text(version: str) -> str:
    template = VERSION_TEMPLATE.read_text(encoding="utf-8")
    return template.format(version=version, version_tuple=version_tuple(version))


def write_version_info(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    out = work / "version_info.txt"
    out.write_text(version_info_text(project_version()), encoding="utf-8")
    return out


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller over the spec; the bundle's folder."""
    args = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    subprocess.run(args, check=True, cwd=ROOT)
    bundle = dist / NAME
    for name in (NAME, CLI_NAME):
        if not (bundle / (name + EXE_SUFFIX)).exists():
            raise SystemExit(f"program {name} not found in {bundle}")
    if not WINDOWS and not NO_SLIM:
        link_identical_programs(bundle)
        for lib, before, after in slim_icu(bundle):
            print(f"ICU data slimmed: {lib.name} {before:.1f} MB -> {after:.1f} MB")
    return bundle


def icu_libraries(bundle: Path) -> list[Path]:
    """ICU's data library as Qt Core links it on Linux (Windows and macOS wheels carry none)."""
    found = (bundle / "_internal").rglob("libicudata.so*")
    return sorted(p for p in found if p.is_file() and not p.is_symlink())


def slim_icu(bundle: Path) -> list[tuple[Path, float, float]]:
    """Rewrite the bundle's ICU data library with only what Qt reads (build_icu.py)."""
    import build_icu

    done = []
    for lib in icu_libraries(bundle):
        mb = build_icu.slim_icu_data(lib)
        if mb is None:
            print(f"ICU data left as it is: {lib} (already slim, or not laid out as expected)")
        else:
            done.append((lib, *mb))
    return done


def link_identical_programs(bundle: Path) -> bool:
    """Outside Windows "windowed" means nothing, so the two programs come out byte for
    byte the same (each with its own 13 MB module archive): the second becomes a link to
    the first. The bootloader finds its archive and _internal through the link's target."""
    gui, cli = bundle / NAME, bundle / CLI_NAME
    if cli.is_symlink() or gui.read_bytes() != cli.read_bytes():
        return False
    cli.unlink()
    cli.symlink_to(gui.name)
    return True


def _files(bundle: Path) -> Iterable[Path]:
    return (p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())


def total_mb(bundle: Path) -> float:
    return sum(p.stat().st_size for p in _files(bundle)) / 1e6


def sizes(bundle: Path, top: int = 25) -> list[tuple[str, float]]:
    """The biggest parts of the bundle (a package folder, or a file at the top), in MB."""
    lib = bundle / "_internal"
    base = lib if lib.is_dir() else bundle
    parts: dict[str, float] = {}
    for p in _files(bundle):
        rel = p.relative_to(base).parts if p.is_relative_to(base) else (p.name,)
        key = "/".join(rel[:3]) if rel[0] == "PySide6" else rel[0]
        parts[key] = parts.get(key, 0.0) + p.stat().st_size / 1e6
    return sorted(parts.items(), key=lambda kv: -kv[1])[:top]


def measure_slims(bundle: Path) -> list[tuple[str, float]]:
    """MB each SLIMS entry's paths take in an unslimmed bundle (``MONEV_NO_SLIM=1``)."""
    lib = bundle / "_internal"
    found = []
    for s in SLIMS:
        mb = sum(
            p.stat().st_size
            for p in _files(lib)
            if any(fnmatch.fnmatch(p.relative_to(lib).as_posix(), g) for g in s.paths)
        )
        found.append((s.what, mb / 1e6))
    return found


def find_makensis() -> str:
    found = shutil.which("makensis")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "NSIS" / "makensis.exe").exists():
            return str(Path(base) / "NSIS" / "makensis.exe")
    raise SystemExit("makensis not found: install NSIS 3 (Debian: apt-get install nsis)")


def nsis_command(bundle: Path, out: Path, check_only: bool) -> list[str]:
    """makensis over the bundle; the version and paths come in as defines."""
    version = project_version()
    defines = {
        "VERSION": version,
        "VERSION4": ".".join(map(str, version_tuple(version))),
        "BUNDLE": str(bundle.resolve()),
        "OUTFILE": str(out.resolve()),
        "ICON": str(ICON),
        "EXE": NAME + EXE_SUFFIX,
        "CLI_EXE": CLI_NAME + EXE_SUFFIX,
    }
    args = [find_makensis(), "-V2", "-INPUTCHARSET", "UTF8"]
    args += [f"-D{k}={v}" for k, v in defines.items()]
    if check_only:
        args.append("-DCHECK_ONLY")
    return [*args, str(NSI)]


def installer(bundle: Path, dist: Path, work: Path) -> Path:
    """The Windows setup program; elsewhere a check-only compile into the work folder."""
    check_only = not WINDOWS
    folder = work if check_only else dist
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{NAME}-{project_version()}-setup.exe"
    t0 = time.perf_counter()
    subprocess.run(nsis_command(bundle, out, check_only), check=True, cwd=PACKAGING)
    kind = "checked (no compression, not for Windows use)" if check_only else "built"
    mb = out.stat().st_size / 1e6
    print(f"installer {kind}: {out} ({mb:.1f} MB, {time.perf_counter() - t0:.0f} s)")
    return out


def main() -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--smoke", action="store_true", help="run the bundle after building")
    p.add_argument("--installer", action="store_true", help="compile the NSIS installer")
    p.add_argument("--sizes", action="store_true", help="print the biggest parts")
    p.add_argument("--no-build", action="store_true", help="use the bundle already in --dist")
    p.add_argument(
        "--measure-slims", type=Path, metavar="BUNDLE", help="MB of each SLIMS entry in BUNDLE"
    )
    p.add_argument("--dist", type=Path, default=ROOT / "dist")
    p.add_argument("--work", type=Path, default=ROOT / "build")
    args = p.parse_args()
    if args.measure_slims:
        for what, mb in measure_slims(args.measure_slims):
            print(f"{mb:7.1f} MB  {what}")
        return 0
    bundle = args.dist / NAME
    if not args.no_build:
        t0 = time.perf_counter()
        bundle = build(args.dist, args.work)
        print(f"built {bundle} in {time.perf_counter() - t0:.0f} s")
    print(f"bundle size: {total_mb(bundle):.1f} MB unpacked")
    if args.sizes:
        for part, mb in sizes(bundle):
            print(f"{mb:7.1f} MB  {part}")
        print("left out (SLIMS, MB measured on Linux unless said otherwise):")
        for s in SLIMS:
            print(f"{s.mb:7.1f} MB  {s.what}")
    if args.smoke:
        from build_smoke import smoke

        smoke(bundle)
    if args.installer:
        installer(bundle, args.dist, args.work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
