"""The plan as a tree: OPD → program → kegiatan → sub kegiatan → indicator rows.

Built for 100,000 rows: only group nodes are Python objects; a leaf is a row id in its
group's ``children``. Every index carries its *parent* group as internal pointer, so
``parent()`` is one attribute read and ``index()`` one list access. Filtering (search,
"belum diisi") rebuilds the groups from the matching row ids inside a model reset,
which is cheaper than a recursive filter proxy asking about every node.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap

from app.domain.achievement import Band, band
from app.domain.numbers import format_number, format_percent
from app.services.catalog import LEVEL_LABELS, RowSummary
from app.services.figures import RowFigures

_Index = QModelIndex | QPersistentModelIndex

GROUP_LEVELS = ("program", "kegiatan", "sub_kegiatan")
COL_TITLE, COL_UNIT, COL_TARGET, COL_REAL, COL_ACH = range(5)
ROW_ID_ROLE = Qt.ItemDataRole.UserRole
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1

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


class _Group:
    """An OPD or hierarchy node; ``children`` holds groups and row ids in display order."""

    __slots__ = (
        "children",
        "filled",
        "label",
        "level",
        "node_id",
        "parent",
        "position",
        "stamp",
        "total",
    )

    def __init__(
        self,
        level: str,
        label: str,
        parent: _Group | None,
        position: int,
        node_id: int | None = None,
    ) -> None:
        self.level = level
        self.node_id = node_id  # the PlanNode (None for the OPD level)
        self.label = label
        self.parent = parent
        self.position = position
        self.children: list[_Group | int] = []
        # Row counts below this group, computed when first shown (None = not yet).
        self.total: int | None = None
        self.filled: int | None = None
        self.stamp = -1  # the rebuild that last linked this group into the tree


def _link(group: _Group, stamp: int) -> None:
    """Put a group (and any ancestor not yet there) under its parent for this rebuild."""
    parent = group.parent
    assert parent is not None
    if parent.stamp != stamp:
        _link(parent, stamp)
    group.stamp, group.children, group.total, group.filled = stamp, [], None, None
    group.position = len(parent.children)
    parent.children.append(group)


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


def _status_icon(filled: bool) -> QIcon:
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


class PlanModel(QAbstractItemModel):
    """Rows of one plan for one year, grouped; filter with :meth:`set_visible`."""

    def __init__(self, rows: list[RowSummary], year: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._year = year
        self._figures: dict[int, RowFigures] = {}
        # Row id → "Dikoreksi Pokja: …" lines: signed figures Pokja changed (marked ✱).
        self._corrections: dict[int, list[str]] = {}
        self._icons: tuple[QIcon, QIcon] | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._root = _Group("root", "", None, 0)
        self._groups: dict[tuple[int | None, ...], _Group] = {}
        self._keys: dict[int, tuple[int | None, ...]] = {}
        self.set_rows(rows)

    # --- data in -------------------------------------------------------------------

    def set_rows(self, rows: list[RowSummary]) -> None:
        """The rows this user may see; OPDs sorted by name, rows in document order."""
        self.beginResetModel()
        self._rows = {r.id: r for r in rows}
        ordered = sorted(rows, key=lambda r: (r.opd_name.casefold(), r.opd_id, r.seq))
        self._order = [r.id for r in ordered]
        # One shared key tuple per group, so the rebuild loop compares by identity.
        shared: dict[tuple[int | None, ...], tuple[int | None, ...]] = {}
        self._keys = {}
        for r in ordered:
            key = (r.opd_id, *(r.path_nodes.get(lvl) for lvl in GROUP_LEVELS))
            self._keys[r.id] = shared.setdefault(key, key)
        # Every group is made once, here; a filter only re-links the groups it needs.
        root = _Group("root", "", None, 0)
        groups: dict[tuple[int | None, ...], _Group] = {}
        for r in ordered:
            key = self._keys[r.id]
            if key not in groups:
                self._make_groups(root, groups, key, r)
        self._root, self._groups, self._stamp = root, groups, 0
        self._visible: set[int] | None = None
        self._rebuild()
        self.endResetModel()

    def set_figures(self, year: int, figures: dict[int, RowFigures]) -> None:
        """New year or reloaded figures: same structure, every cell may change."""
        self.layoutAboutToBeChanged.emit()
        self._year = year
        self._figures = figures
        self._reset_counts(self._root)
        self.layoutChanged.emit()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_TARGET, COL_ACH)

    def set_corrections(self, corrections: dict[int, list[str]]) -> None:
        """Rows whose signed figures Pokja corrected, with the lines that say how."""
        changed = set(corrections) | set(self._corrections)
        self._corrections = corrections
        for rid in changed:
            index = self.index_of_row(rid)
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(COL_ACH))

    def update_row(self, row_id: int, figures: RowFigures | None) -> None:
        """One row's figures changed (a save or an undo): repaint it and its groups."""
        if figures is None:
            self._figures.pop(row_id, None)
        else:
            self._figures[row_id] = figures
        index = self.index_of_row(row_id)
        if not index.isValid():
            return
        self.dataChanged.emit(index, index.siblingAtColumn(COL_ACH))
        parent = index.parent()
        while parent.isValid():
            group = self._item(parent)
            assert isinstance(group, _Group)
            group.filled = None
            self.dataChanged.emit(parent, parent.siblingAtColumn(COL_ACH))
            parent = parent.parent()

    def set_visible(self, row_ids: Collection[int] | None) -> None:
        """Show only these rows (``None``: all), with their groups."""
        # Groups live as long as the model (indexes point at them); a reset re-links them.
        self.beginResetModel()
        self._visible = None if row_ids is None else set(row_ids)
        self._rebuild()
        self.endResetModel()

    # --- structure -----------------------------------------------------------------

    def _rebuild(self) -> None:
        """Link the groups of the visible rows under the root, in display order."""
        self._stamp += 1
        stamp, root = self._stamp, self._root
        root.stamp, root.children, root.total, root.filled = stamp, [], None, None
        visible, keys, groups = self._visible, self._keys, self._groups
        if visible is not None and len(visible) >= len(self._order):
            visible = None  # a query matching every row (one letter) filters nothing
        order = self._order if visible is None else [i for i in self._order if i in visible]
        last_key: tuple[int | None, ...] | None = None
        children: list[_Group | int] = root.children
        for rid in order:
            key = keys[rid]
            # Rows of one sub kegiatan are consecutive: one lookup for the first of them.
            if key is not last_key:
                group = groups[key]
                if group.stamp != stamp:
                    _link(group, stamp)
                children = group.children
                last_key = key
            children.append(rid)

    @staticmethod
    def _make_groups(
        root: _Group,
        groups: dict[tuple[int | None, ...], _Group],
        key: tuple[int | None, ...],
        row: RowSummary,
    ) -> _Group:
        parent = root
        for depth, node_id in enumerate(key):
            if node_id is None:  # a level the matrix leaves out is skipped, not shown blank
                continue
            prefix = key[: depth + 1]
            group = groups.get(prefix)
            if group is None:
                if depth == 0:
                    level, label = "opd", row.opd_name
                else:
                    level = GROUP_LEVELS[depth - 1]
                    label = row.path.get(level, "")
                group = _Group(level, label, parent, 0, node_id if depth else None)
                groups[prefix] = group
            parent = group
        groups[key] = parent
        return parent

    def _reset_counts(self, group: _Group) -> None:
        stack = [group]
        while stack:
            g = stack.pop()
            g.filled = None
            stack.extend(c for c in g.children if isinstance(c, _Group))

    def _counts(self, group: _Group) -> tuple[int, int]:
        if group.total is None or group.filled is None:
            total = filled = 0
            figs = self._figures
            for c in group.children:
                if isinstance(c, _Group):
                    t, f = self._counts(c)
                    total += t
                    filled += f
                else:
                    total += 1
                    fig = figs.get(c)
                    filled += fig is not None and fig.realised is not None
            group.total, group.filled = total, filled
        return group.total, group.filled

    def _item(self, index: _Index) -> _Group | int:
        parent: _Group = index.internalPointer()
        return parent.children[index.row()]

    def index_of_row(self, row_id: int) -> QModelIndex:
        """The index of a row in the current filter (invalid when filtered out)."""
        key = self._keys.get(row_id)
        group = self._groups.get(key) if key is not None else None
        if group is None or group.stamp != self._stamp:
            return QModelIndex()
        try:
            pos = group.children.index(row_id)
        except ValueError:
            return QModelIndex()
        return self.createIndex(pos, 0, group)

    def row_id(self, index: _Index) -> int | None:
        if not index.isValid():
            return None
        item = self._item(index)
        return item if isinstance(item, int) else None

    def node_ref(self, index: _Index) -> tuple[str, int] | None:
        """(level, plan node id) of a group row: what the ARG checklist is answered for."""
        if not index.isValid():
            return None
        item = self._item(index)
        if isinstance(item, int) or item.node_id is None:
            return None
        return item.level, item.node_id

    def row(self, row_id: int) -> RowSummary:
        return self._rows[row_id]

    def figures(self, row_id: int) -> RowFigures | None:
        return self._figures.get(row_id)

    @property
    def year(self) -> int:
        return self._year

    @property
    def visible_count(self) -> int:
        return self._counts(self._root)[0]

    def first_row_index(self) -> QModelIndex:
        """The first indicator row in display order (to have something selected)."""
        group = self._root
        while group.children:
            first = group.children[0]
            if isinstance(first, int):
                return self.createIndex(0, 0, group)
            group = first
        return QModelIndex()

    # --- QAbstractItemModel ----------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= 5 or row < 0 or (parent.isValid() and parent.column() != 0):
            return QModelIndex()
        group = self._root if not parent.isValid() else self._item(parent)
        if not isinstance(group, _Group) or row >= len(group.children):
            return QModelIndex()
        return self.createIndex(row, column, group)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        group: _Group = index.internalPointer()
        if group is self._root or group.parent is None:
            return QModelIndex()
        return self.createIndex(group.position, 0, group.parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._root.children)
        if parent.column() != 0:
            return 0
        item = self._item(parent)
        return len(item.children) if isinstance(item, _Group) else 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 5

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if isinstance(self._item(index), int):
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                tr("Uraian"),
                tr("Satuan"),
                tr("Target {year}").replace("{year}", str(self._year)),
                tr("Realisasi {year}").replace("{year}", str(self._year)),
                tr("Capaian %"),
            )[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_ACH:
            return tr("Realisasi dibanding target (memperhitungkan polaritas indikator)")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._item(index)
        if isinstance(item, _Group):
            return self._group_data(item, index.column(), role)
        return self._row_data(item, index.column(), role)

    def _group_data(self, g: _Group, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TITLE:
                return g.label
            if col == COL_REAL:
                # A count of rows, worded as one: "3/12" under a figures column read
                # as a value (three of twelve what?).
                total, filled = self._counts(g)
                return (
                    tr("{f} dari {t}")
                    .replace("{f}", format_number(filled))
                    .replace("{t}", format_number(total))
                )
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_REAL:
                total, filled = self._counts(g)
                return tr("{f} dari {t} baris terisi untuk tahun {y}").format(
                    f=filled, t=total, y=self._year
                )
            level = tr("Perangkat Daerah") if g.level == "opd" else LEVEL_LABELS[g.level]
            return f"{level}: {g.label}"
        if role == Qt.ItemDataRole.FontRole and col == COL_TITLE and g.level in ("opd", "program"):
            return self._bold
        if role == Qt.ItemDataRole.FontRole and col == COL_REAL:
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_REAL:
            return QBrush(QColor("#5f6368"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_REAL:
            # Centred, away from the right-aligned figures of the indicator rows.
            return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
        if role == LEVEL_ROLE:
            return g.level
        return None

    def _row_data(self, rid: int, col: int, role: int) -> Any:
        row = self._rows[rid]
        fig = self._figures.get(rid)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TITLE:
                return row_label(row)
            if col == COL_UNIT:
                return row.satuan
            if col == COL_TARGET:
                if fig is None:
                    return ""
                return ("✎ " if fig.proposed else "") + fig.target_text
            if col == COL_REAL:
                mark = "✱ " if rid in self._corrections else ""
                return mark + format_number(fig.realised) if fig else mark
            if col == COL_ACH:
                return format_percent(fig.achievement) if fig else ""
            return None
        if role == ROW_ID_ROLE:
            return rid
        if role == LEVEL_ROLE:
            return "row"
        if role == Qt.ItemDataRole.DecorationRole and col == COL_TITLE:
            if self._icons is None:
                self._icons = (_status_icon(False), _status_icon(True))
            return self._icons[bool(fig and fig.filled)]
        if role == Qt.ItemDataRole.FontRole and col == COL_TARGET and fig and fig.proposed:
            return self._italic
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_REAL, COL_ACH):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            if col == COL_REAL and rid in self._corrections:
                front = role == Qt.ItemDataRole.ForegroundRole
                return QBrush(QColor("#5c3800" if front else "#fff4d6"))
            if col == COL_ACH and fig is not None:
                colours = BAND_COLOURS.get(band(fig.achievement))
                if colours:
                    fg, bg = colours
                    return QBrush(QColor(fg if role == Qt.ItemDataRole.ForegroundRole else bg))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._row_tooltip(row, fig, col)
            return "\n".join([tip, *self._corrections.get(rid, [])])
        return None

    def _row_tooltip(self, row: RowSummary, fig: RowFigures | None, col: int) -> str:
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
            lines[-1] = lines[-1].format(y=self._year)
            if fig.proposed:
                lines.append(tr("Target diusulkan berubah"))
        return "\n".join(lines)


def visible_row_ids(model: PlanModel) -> Iterable[int]:
    """Every row id currently in the tree, in display order (for tests and counts)."""
    stack: list[_Group | int] = list(reversed(model._root.children))
    while stack:
        item = stack.pop()
        if isinstance(item, int):
            yield item
        else:
            stack.extend(reversed(item.children))
