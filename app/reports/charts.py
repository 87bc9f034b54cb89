"""Charts of the summary page: spread of capaian by band, and beneficiaries by sex.

Drawn with reportlab's vector graphics (no matplotlib, no Qt) in the embedded font.
The colours and labels are shared with the Excel charts so both files read alike.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from app.domain.achievement import Band
from app.domain.numbers import format_number, format_percent
from app.reports.fonts import BOLD, REGULAR
from app.reports.report_model import Summary

BAND_LABELS = {
    Band.MET.value: "≥ 100 %",
    Band.NEAR.value: "75 – < 100 %",
    Band.LOW.value: "< 75 %",
    Band.NONE.value: "Belum dapat dihitung",
}
SHORT_BAND_LABELS = {**BAND_LABELS, Band.NONE.value: "Belum\ndihitung"}
BAND_COLOURS = {
    Band.MET.value: "2E7D32",
    Band.NEAR.value: "F9A825",
    Band.LOW.value: "C62828",
    Band.NONE.value: "9E9E9E",
}
BAND_FILLS = {  # light cell backgrounds for the capaian column
    Band.MET.value: "DCEFD9",
    Band.NEAR.value: "FFF2C2",
    Band.LOW.value: "F8D7D7",
}
GROUP_LABELS = ("Laki-laki", "Perempuan", "Disabilitas")
GROUP_COLOURS = ("1565C0", "AD1457", "6A1B9A")


def _hex(c: str) -> colors.Color:
    return colors.HexColor("#" + c)


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = REGULAR  # the renderer's default is Helvetica, never embedded
    d.initialFontSize = 7
    return d


def band_chart(summary: Summary, width: float, height: float) -> Drawing:
    """Rows per capaian band (bars in the band colours, counts above the bars)."""
    d = _drawing(width, height)
    d.add(String(0, height - 11, "Sebaran capaian indikator", fontName=BOLD, fontSize=9))
    keys = list(BAND_LABELS)
    values = [summary.bands.get(k, 0) for k in keys]
    c = VerticalBarChart()
    c.x, c.y = 30, 34
    c.width, c.height = width - 40, height - 64
    c.data = [values]
    c.categoryAxis.categoryNames = [SHORT_BAND_LABELS[k] for k in keys]
    c.categoryAxis.labels.fontName = REGULAR
    c.categoryAxis.labels.fontSize = 7
    c.valueAxis.labels.fontName = REGULAR
    c.valueAxis.labels.fontSize = 7
    c.valueAxis.valueMin = 0
    c.valueAxis.valueMax = max([*values, 1]) * 1.15
    c.valueAxis.labelTextFormat = lambda v: format_number(int(v))
    c.barLabelFormat = lambda v: format_number(int(v))
    c.barLabels.fontName = REGULAR
    c.barLabels.fontSize = 7
    c.barLabels.nudge = 6
    c.bars.strokeColor = None
    for i, k in enumerate(keys):
        c.bars[(0, i)].fillColor = _hex(BAND_COLOURS[k])
    d.add(c)
    return d


def beneficiary_chart(summary: Summary, width: float, height: float) -> Drawing:
    """Counted beneficiaries as a pie of laki-laki / perempuan / disabilitas."""
    d = _drawing(width, height)
    d.add(String(0, height - 11, "Penerima manfaat terpilah", fontName=BOLD, fontSize=9))
    b = summary.beneficiaries
    values = [b.male or Decimal(0), b.female or Decimal(0), b.disabled or Decimal(0)]
    total = sum(values, Decimal(0))
    if not total:
        d.add(
            String(
                width / 2,
                height / 2,
                "Belum ada realisasi terpilah",
                fontName=REGULAR,
                fontSize=8,
                textAnchor="middle",
                fillColor=colors.grey,
            )
        )
        return d
    size = min(height - 40, width * 0.45)
    p = Pie()
    p.x, p.y = 10, (height - 20 - size) / 2
    p.width = p.height = size
    p.data = [float(v) for v in values]
    p.labels = None
    p.slices.strokeColor = colors.white
    p.slices.strokeWidth = 0.5
    for i, c in enumerate(GROUP_COLOURS):
        p.slices[i].fillColor = _hex(c)
    d.add(p)
    lx = 10 + size + 14
    ly = p.y + size - 14
    for i, (label, v) in enumerate(zip(GROUP_LABELS, values, strict=True)):
        y = ly - i * 16
        d.add(Rect(lx, y, 8, 8, fillColor=_hex(GROUP_COLOURS[i]), strokeColor=None))
        d.add(
            String(
                lx + 12,
                y + 1,
                f"{label}: {format_number(v)} ({format_percent(v / total * 100, 1)})",
                fontName=REGULAR,
                fontSize=7.5,
            )
        )
    return d
