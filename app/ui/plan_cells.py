"""How the plan tree draws a cell: row names, achievement colours, the filled mark.

Kept apart from ``plan_model`` (which owns the tree's structure and its lazy reading)
so that the row form can use the same colours without the model.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from app.domain.achievement import Band, band
from app.services.catalog import RowSummary
from app.services.figures import RowFigures

COL_TITLE, COL_UNIT, COL_TARGET, COL_REAL, COL_ACH = range(5)  # the tree's columns

# Text and background per achievement band (same hues as the ARG classes).
BAND_COLOURS: dict[Band, tuple[str, str]] = {
    Band.MET: ("#1b7f3b", "#dcefe1"),
    Band.NEAR: ("#8a5300", "#fbecd0"),
    Band.LOW: ("#b3261e", "#f8d7d4"),
}
BAND_LABELS = {
    Band.MET: "Tercapai (≥ 100 %)",
    Band.NEAR: "Mendekati (75 % – < 100 %)",
    Band.LOW: "Rendah (< 75 %)",
    Band.NONE: "Belum dapat dihitung",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("PlanModel", text)


def row_label(row: RowSummary) -> str:
    """What names a row in the tree: its aktivitas, else its indikator.

    Within one sub kegiatan the indikator often repeats word for word ("Jumlah peserta
    laki-laki dan perempuan yang …") while the aktivitas tells the rows apart.
    """
    if row.retired:  # kept for its realisations (issue 12): say why it is still here
        return tr("[dipensiunkan] ") + (row.aktivitas or row.indikator or tr("(tanpa uraian)"))
    if row.aktivitas or row.indikator:
        return row.aktivitas or row.indikator
    # A heading line of the matrix (a sasaran or sub kegiatan with only its OPD): name it
    # by the deepest level it carries, so it is not a blank line in the tree.
    for level in ("sub_kegiatan", "kegiatan", "program", "sasaran", "tujuan", "misi"):
        if row.path.get(level):
            return tr("(baris judul) {name}").replace("{name}", row.path[level])
    return tr("(tanpa uraian)")


def status_icon(filled: bool) -> QIcon:
    """A small circle: green with a tick when the year's realisation is in, grey when not."""
    size = 16
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if filled:
        p.setBrush(QColor("#1b7f3b"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(1, 1, size - 2, size - 2)
        pen = QPen(QColor("white"), 2)
        p.setPen(pen)
        p.drawPolyline([QPointF(4.5, 8.5), QPointF(7, 11), QPointF(11.5, 5.5)])
    else:
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor("#9aa0a6"), 1.5))
        p.drawEllipse(2, 2, size - 4, size - 4)
    p.end()
    return QIcon(pix)


def row_tooltip(row: RowSummary, fig: RowFigures | None, col: int, year: int) -> str:
    """A row's tooltip in column ``col``: the target in full, the band, or what it is."""
    if col == COL_TARGET and fig is not None:
        if fig.proposed:
            return tr("Target diusulkan berubah.\nResmi: {o}\nUsulan: {p}").format(
                o=fig.official_text or "-", p=fig.proposed_text or "-"
            )
        return fig.official_text
    if col == COL_ACH and fig is not None:
        return BAND_LABELS[band(fig.achievement)]
    lines = [row_label(row)]
    if row.indikator and row.indikator != lines[0]:
        lines.append(tr("Indikator: {i}").format(i=row.indikator))
    if fig is not None:
        lines.append(
            tr("Realisasi {y} sudah diisi") if fig.filled else tr("Realisasi {y} belum diisi")
        )
        lines[-1] = lines[-1].format(y=year)
        if fig.proposed:
            lines.append(tr("Target diusulkan berubah"))
    return "\n".join(lines)
