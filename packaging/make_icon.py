"""Draw the application icon and write it as a multi-size Windows icon and a PNG.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py

Writes ``packaging/monev-radpug.ico`` (16, 24, 32, 48, 64 and 256 px) and
``packaging/monev-radpug.png`` (256 px). Both are committed, so a build does not need to
run this; run it again only when the drawing changes.

The drawing is ours: a violet rounded tile (the colour gender-mainstreaming material in
Indonesia commonly uses) with three rising bars, for a plan whose progress is monitored,
and a tick on the last bar, for a target met. Shapes only, no text, so the small sizes
stay legible and no font is needed.

Each size is painted at its own resolution instead of scaled down from 256 px, so the
16 px icon keeps crisp bars. The ICO is written by hand: sizes up to 64 px as 32-bit
bitmaps (what every Windows shell and NSIS read), 256 px as PNG (what Windows expects
for the large size and what keeps the file small).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

HERE = Path(__file__).resolve().parent
ICO = HERE / "monev-radpug.ico"
PNG = HERE / "monev-radpug.png"
SIZES = (16, 24, 32, 48, 64, 256)
BITMAP_MAX = 64  # larger sizes are stored as PNG inside the ICO

VIOLET = QColor("#6a2c91")
VIOLET_DARK = QColor("#4a1d66")
WHITE = QColor("#ffffff")
GREEN = QColor("#7ed957")


def draw(size: int) -> QImage:
    """The icon at ``size`` × ``size`` pixels, transparent outside the tile."""
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    # Small sizes get a thinner margin: every pixel counts at 16 px.
    margin = s * (0.03 if size <= 24 else 0.06)
    tile = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(VIOLET_DARK)
    p.drawRoundedRect(tile, s * 0.2, s * 0.2)
    p.setBrush(VIOLET)
    inner = tile.adjusted(0, 0, 0, -s * 0.04)
    p.drawRoundedRect(inner, s * 0.2, s * 0.2)

    # Three rising bars on a common baseline.
    base = tile.bottom() - s * 0.2
    left = tile.left() + s * 0.18
    width = s * 0.16
    gap = s * 0.06
    heights = (0.22, 0.36, 0.5)
    p.setBrush(WHITE)
    for i, h in enumerate(heights):
        x = left + i * (width + gap)
        p.drawRect(QRectF(x, base - s * h, width, s * h))

    # A tick above the first two bars: the target reached.
    if size >= 24:
        pen = QPen(GREEN, max(1.5, s * 0.07))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        tick = QPainterPath(QPointF(s * 0.24, s * 0.34))
        tick.lineTo(QPointF(s * 0.33, s * 0.43))
        tick.lineTo(QPointF(s * 0.52, s * 0.22))
        p.drawPath(tick)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]  # the stubs want bytes, Qt wants str
    return bytes(buf.data().data())


def bitmap_bytes(img: QImage) -> bytes:
    """A 32-bit DIB as ICO stores it: header with doubled height, BGRA rows bottom-up,
    then an all-zero AND mask (the alpha channel already says what is transparent)."""
    size = img.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(size - 1, -1, -1):
        row = bytearray()
        for x in range(size):
            c = img.pixelColor(x, y)
            row += bytes((c.blue(), c.green(), c.red(), c.alpha()))
        rows.append(bytes(row))
    mask_row = ((size + 31) // 32) * 4  # 1 bit per pixel, rows padded to 32 bits
    return header + b"".join(rows) + b"\0" * (mask_row * size)


def ico_bytes(images: dict[int, QImage]) -> bytes:
    """An ICO file holding every image: the directory, then the images in size order."""
    entries = []
    blobs = []
    offset = 6 + 16 * len(images)
    for size in sorted(images):
        img = images[size]
        data = bitmap_bytes(img) if size <= BITMAP_MAX else png_bytes(img)
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    return struct.pack("<HHH", 0, 1, len(images)) + b"".join(entries) + b"".join(blobs)


def main() -> int:
    # A GUI application is needed for QPainter's antialiasing on some platforms; offscreen
    # suffices, so the tool runs on a headless build machine.
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    images = {size: draw(size) for size in SIZES}
    ICO.write_bytes(ico_bytes(images))
    PNG.write_bytes(png_bytes(images[256]))
    print(f"{ICO} ({', '.join(map(str, SIZES))} px)\n{PNG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
