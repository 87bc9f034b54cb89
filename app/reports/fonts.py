"""TrueType fonts for the PDF, found on the machine at run time and embedded.

reportlab's built-in Helvetica is not embedded and has no "√"; a TrueType font is
embedded (subset) in every PDF so the file prints the same on any office PC. Font files
are not shipped in the repository: DejaVu Sans comes with every Linux desktop
(Debian: ``fonts-dejavu-core``); on Windows and macOS, where DejaVu is rarely present,
Arial or Liberation Sans carry the same glyphs. ``MONEV_FONT_DIR`` points at a folder
holding the files (e.g. a frozen bundle's ``resources/fonts``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resource

REGULAR = "MonevSans"
BOLD = "MonevSans-Bold"
# The glyphs the reports use beyond Latin-1: the tick of Tabel 5.1-5.3, dashes, bullets.
REQUIRED_GLYPHS = "√–—·•…"

# (regular file, bold file, family shown in documents), in order of preference.
CANDIDATES = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVu Sans"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "Liberation Sans"),
    ("arial.ttf", "arialbd.ttf", "Arial"),
    ("Arial.ttf", "Arial Bold.ttf", "Arial"),
)


class FontError(RuntimeError):
    """No usable font; the message (Indonesian) says what to install."""


@dataclass(frozen=True)
class FontInfo:
    family: str
    regular: Path
    bold: Path


def font_dirs() -> list[Path]:
    """Folders searched, most specific first (each also searched one level deep)."""
    dirs: list[Path] = []
    env = os.environ.get("MONEV_FONT_DIR")
    if env:
        dirs.append(Path(env))
    dirs.append(resource("fonts"))
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs.append(windir / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [
            home / "Library" / "Fonts",
            Path("/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
            Path("/System/Library/Fonts"),
        ]
    dirs += [
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/share/fonts/dejavu-sans-fonts"),
        Path("/usr/share/fonts/truetype/liberation"),
        Path("/usr/share/fonts/liberation-sans"),
        Path("/usr/share/fonts/truetype"),
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]
    return dirs


def _find(name: str, dirs: list[Path]) -> Path | None:
    for d in dirs:
        p = d / name
        if p.is_file():
            return p
    for d in dirs:
        try:
            for sub in d.iterdir():
                p = sub / name
                if sub.is_dir() and p.is_file():
                    return p
        except OSError:
            continue
    return None


def find_fonts(dirs: list[Path] | None = None) -> FontInfo:
    dirs = font_dirs() if dirs is None else dirs
    for regular, bold, family in CANDIDATES:
        r = _find(regular, dirs)
        b = _find(bold, dirs)
        if r and b:
            return FontInfo(family, r, b)
    raise FontError(
        "Huruf TrueType untuk PDF tidak ditemukan (DejaVu Sans, Liberation Sans atau Arial). "
        "Pasang paket fonts-dejavu-core (Linux) atau atur MONEV_FONT_DIR ke folder berisi "
        "DejaVuSans.ttf dan DejaVuSans-Bold.ttf."
    )


@cache
def register_fonts() -> FontInfo:
    """Register the regular and bold faces once per process under stable names."""
    info = find_fonts()
    pdfmetrics.registerFont(TTFont(REGULAR, str(info.regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(info.bold)))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return info


METRIC = "MonevArialMetric"
ARIAL_METRIC_FILES = ("LiberationSans-Regular.ttf", "arial.ttf", "Arial.ttf")


@cache
def arial_metrics() -> tuple[str, float]:
    """A font measuring like Arial (the workbook's font), and a width factor.

    Liberation Sans has Arial's widths; without it the PDF's face is used, scaled to
    Arial's narrower letters (DejaVu Sans runs about 8 % wider), for row-height estimates.
    """
    path = None
    for name in ARIAL_METRIC_FILES:
        path = _find(name, font_dirs())
        if path:
            break
    if path is not None:
        pdfmetrics.registerFont(TTFont(METRIC, str(path)))
        return METRIC, 1.0
    register_fonts()
    return REGULAR, 0.92
