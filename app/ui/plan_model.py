"""The plan as a tree: OPD → program → kegiatan → sub kegiatan → indicator rows.

Built for 100,000 rows: only group nodes are Python objects; a leaf is a row id in its
group's ``children``. Every index carries its *parent* group as internal pointer, so
``parent()`` is one attribute read and ``index()`` one list access. Filtering (search,
"belum diisi") rebuilds the OPDs with a match inside a model reset, cheaper than a
recursive filter proxy asking about every node. An OPD's rows are linked under it when
the view opens it (``fetchMore``); a :meth:`PlanModel.lazy` model also reads them, and
their figures, from its :class:`RowSource` only then, so 100,000 rows paint as fast as
a few hundred (a filter needs every row: it asks the source for all of them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from app.domain.achievement import band
from app.domain.numbers import format_number, format_percent
from app.services.catalog import LEVEL_LABELS, RowSummary
from app.services.figures import RowFigures
from app.services.outline import OpdCount
from app.ui.plan_cells import (
    BAND_COLOURS,
    COL_ACH,
    COL_REAL,
    COL_TARGET,
    COL_TITLE,
    COL_UNIT,
    row_label,
    row_tooltip,
    status_icon,
)
from app.ui.plan_cells import (
    BAND_LABELS as BAND_LABELS,  # (the row form's colours come from here too)
)
from app.ui.plan_tree import GROUP_LEVELS, Group, Key, RowSource, link, make_groups

_Index = QModelIndex | QPersistentModelIndex

ROW_ID_ROLE = Qt.ItemDataRole.UserRole
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
# A filter matching at most this many rows links them at once (the browser opens every
# group of so few matches anyway); more are linked per OPD as the view opens it.
LINK_AT_ONCE = 3000


def tr(text: str) -> str:
    return QCoreApplication.translate("PlanModel", text)


class PlanModel(QAbstractItemModel):
    """Rows of one plan for one year, grouped; filter with :meth:`set_visible`."""

    def __init__(self, rows: list[RowSummary], year: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._year = year
        self._figures: dict[int, RowFigures] = {}
        # OPDs whose figures were read from the source (None: every row's were given).
        self._figured: set[int] | None = None
        self._filled: set[int] = set()  # rows with the year's realisation figure
        # Row id → "Dikoreksi Pokja: …" lines: signed figures Pokja changed (marked ✱).
        self._corrections: dict[int, list[str]] = {}
        self._icons: tuple[QIcon, QIcon] | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._source: RowSource | None = None
        self._outline: dict[int, tuple[int, int]] = {}  # OPD → (rows, filled), unread OPDs
        self._start([])
        self.set_rows(rows)

    @classmethod
    def lazy(
        cls,
        source: RowSource,
        outline: list[OpdCount],
        filled: set[int],
        year: int,
        parent: QObject | None = None,
    ) -> PlanModel:
        """A tree of ``outline``'s OPDs whose rows are read from ``source`` when opened."""
        model = cls([], year, parent)
        model._source = source
        model.beginResetModel()
        model._start(outline)
        model._figured, model._filled = set(), set(filled)
        model._rebuild()
        model.endResetModel()
        return model

    def _start(self, outline: list[OpdCount]) -> None:
        """Forget every row; the top level holds ``outline``'s OPDs, none read yet."""
        self._root = Group("root", "", None, 0)
        self._groups: dict[Key, Group] = {}
        self._keys: dict[int, Key] = {}
        self._shared: dict[Key, Key] = {}  # one key tuple per group: compared by identity
        self._rows: dict[int, RowSummary] = {}
        self._opd_rows: dict[int, list[int]] = {}  # OPD → its row ids in document order
        self._opds: list[Group] = []
        self._complete = False
        self._stamp = 0
        self._visible: set[int] | None = None
        self._shown: dict[int, list[int]] | None = None  # OPD → visible rows, filtered
        self._outline = {o.opd_id: (o.rows, o.filled) for o in outline}
        for o in outline:
            self._opd_group(o.opd_id, o.name)

    def _opd_group(self, opd_id: int, name: str) -> Group:
        group = self._groups.get((opd_id,))
        if group is None:
            group = Group("opd", name, self._root, 0, None, opd_id)
            self._groups[(opd_id,)] = group
            self._opds.append(group)
            self._opds.sort(key=lambda g: (g.label.casefold(), g.opd_id))
        return group

    # --- data in -------------------------------------------------------------------

    def set_rows(self, rows: list[RowSummary]) -> None:
        """The rows this user may see; OPDs sorted by name, rows in document order."""
        self.beginResetModel()
        self._start([])
        self._add_rows(rows)
        self._complete = True
        self._rebuild()
        self.endResetModel()

    def complete(self) -> None:
        """Read every row from the source (a filter needs them); nothing on screen moves."""
        if not self._complete and self._source is not None:
            self._add_rows(self._source.all())
        self._complete = True

    def _add_rows(self, rows: Iterable[RowSummary]) -> None:
        """Know ``rows``: their groups, and their OPD's order (rows already known are
        replaced by the newer read, which may carry more, e.g. target texts)."""
        by_opd: dict[int, list[RowSummary]] = defaultdict(list)
        known = self._rows
        for r in rows:
            known[r.id] = r
            by_opd[r.opd_id].append(r)
        shared, groups, keys = self._shared, self._groups, self._keys
        for opd_id, found in by_opd.items():
            if opd_id in self._opd_rows:
                continue
            found.sort(key=lambda r: r.seq)
            self._opd_group(opd_id, found[0].opd_name)
            for r in found:
                key = (r.opd_id, *(r.path_nodes.get(lvl) for lvl in GROUP_LEVELS))
                key = keys[r.id] = shared.setdefault(key, key)
                if key not in groups:
                    make_groups(self._root, groups, key, r)
            self._opd_rows[opd_id] = [r.id for r in found]

    def set_figures(self, year: int, figures: dict[int, RowFigures]) -> None:
        """New year or reloaded figures of every row: same structure, every cell may
        change."""
        filled = {rid for rid, fig in figures.items() if fig.realised is not None}
        self._new_year(year, figures, None, filled, self._outline)

    def show_year(self, year: int, outline: list[OpdCount], filled: set[int]) -> None:
        """A lazy model's new year (or reloaded figures): the counts of every OPD and
        the filled rows; figures are read again from the source as rows are shown."""
        counts = {o.opd_id: (o.rows, o.filled) for o in outline}
        self._new_year(year, {}, set(), set(filled), counts)

    def _new_year(
        self,
        year: int,
        figures: dict[int, RowFigures],
        figured: set[int] | None,
        filled: set[int],
        outline: dict[int, tuple[int, int]],
    ) -> None:
        self.layoutAboutToBeChanged.emit()
        self._year, self._figures, self._figured = year, figures, figured
        self._filled, self._outline = filled, outline
        stack = [self._root]  # every count shown may change
        while stack:
            g = stack.pop()
            g.total = g.filled = None
            stack.extend(c for c in g.children if isinstance(c, Group))
        self.layoutChanged.emit()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_TARGET, COL_ACH)

    def set_corrections(self, corrections: dict[int, list[str]]) -> None:
        """Rows whose signed figures Pokja corrected, with the lines that say how."""
        changed = set(corrections) | set(self._corrections)
        self._corrections = corrections
        for rid in changed:
            index = self.index_of_row(rid, fetch=False)  # rows not shown repaint later
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(COL_ACH))

    def update_row(self, row_id: int, figures: RowFigures | None) -> None:
        """One row's figures changed (a save or an undo): repaint it and its groups."""
        if figures is None:
            self._figures.pop(row_id, None)
        else:
            self._figures[row_id] = figures
        if figures is not None and figures.realised is not None:
            self._filled.add(row_id)
        else:
            self._filled.discard(row_id)
        index = self.index_of_row(row_id)
        if not index.isValid():
            return
        self.dataChanged.emit(index, index.siblingAtColumn(COL_ACH))
        parent = index.parent()
        while parent.isValid():
            group = self._item(parent)
            assert isinstance(group, Group)
            group.filled = None
            self.dataChanged.emit(parent, parent.siblingAtColumn(COL_ACH))
            parent = parent.parent()

    def set_visible(self, row_ids: Collection[int] | None) -> None:
        """Show only these rows (``None``: all), with their groups."""
        if row_ids is not None:
            self.complete()
        # Groups live as long as the model (indexes point at them); a reset re-links them.
        self.beginResetModel()
        self._visible = None if row_ids is None else set(row_ids)
        self._rebuild()
        self.endResetModel()

    # --- structure -----------------------------------------------------------------

    def _rebuild(self) -> None:
        """Put the OPDs with a visible row (every OPD, unfiltered) under the root, in
        display order, each unopened: its rows and groups are linked when the view opens
        it, so a search matching 50,000 rows links none until one is looked at."""
        self._stamp += 1
        stamp, root = self._stamp, self._root
        root.stamp, root.children, root.total, root.filled = stamp, [], None, None
        visible = self._visible
        every = visible is not None and len(visible) >= len(self._rows)  # (one letter)
        by_opd: dict[int, list[int]] = {}
        self._shown = None if visible is None else by_opd
        for group in self._opds:
            if visible is not None:
                order = self._opd_rows.get(group.opd_id or 0, [])
                shown = order if every else [i for i in order if i in visible]
                if not shown:
                    continue
                by_opd[group.opd_id or 0] = shown
            group.stamp, group.children, group.total, group.filled = stamp, [], None, None
            group.opened = False
            group.position = len(root.children)
            root.children.append(group)
        if visible is not None and len(visible) <= LINK_AT_ONCE:
            for opd in root.children:
                assert isinstance(opd, Group)
                self._link_opd(opd)

    def _link_rows(self, order: list[int]) -> None:
        """Link rows (of one OPD, in document order) and their groups in this rebuild."""
        stamp, keys, groups = self._stamp, self._keys, self._groups
        last_key: Key | None = None
        children: list[Group | int] = []
        for rid in order:
            key = keys[rid]
            # Rows of one sub kegiatan are consecutive: one lookup for the first of them.
            if key is not last_key:
                group = groups[key]
                if group.stamp != stamp:
                    link(group, stamp)
                children = group.children
                last_key = key
            children.append(rid)

    def _open(self, opd: Group) -> None:
        """Link an unopened OPD's rows under it (reading them first in a lazy model)."""
        if opd.opened or opd.opd_id is None:
            return
        self._link_opd(opd)
        children, opd.children = opd.children, []
        if children:
            at = self.createIndex(opd.position, 0, self._root)
            self.beginInsertRows(at, 0, len(children) - 1)
            opd.children = children
            self.endInsertRows()

    def _link_opd(self, opd: Group) -> None:
        """Link an OPD's rows (its visible ones, filtered) under it, without signals."""
        opd_id = opd.opd_id or 0
        if self._shown is not None:  # filtered: the OPD's visible rows
            order = self._shown.get(opd_id, [])
        else:
            if opd_id not in self._opd_rows and self._source is not None:
                self._add_rows(self._source.rows_of(opd_id))
            order = self._opd_rows.get(opd_id, [])
        opd.opened = True
        opd.total = opd.filled = None
        self._link_rows(order)

    def _counts(self, group: Group) -> tuple[int, int]:
        if group.total is None or group.filled is None:
            filled_ids = self._filled
            if group.level == "opd" and not group.opened:
                shown = self._opd_rows if self._shown is None else self._shown
                ids = shown.get(group.opd_id or 0)
                if ids is None:  # not read yet: the outline's counts
                    total, filled = self._outline.get(group.opd_id or 0, (0, 0))
                else:
                    total, filled = len(ids), len(filled_ids.intersection(ids))
            else:
                total = filled = 0
                for c in group.children:
                    if isinstance(c, Group):
                        t, f = self._counts(c)
                        total += t
                        filled += f
                    else:
                        total += 1
                        filled += c in filled_ids
            group.total, group.filled = total, filled
        return group.total, group.filled

    def _item(self, index: _Index) -> Group | int:
        parent: Group = index.internalPointer()
        return parent.children[index.row()]

    def _key_of(self, row_id: int, fetch: bool) -> Key | None:
        key = self._keys.get(row_id)
        if key is None and fetch and not self._complete and self._source is not None:
            opd_id = self._source.opd_of(row_id)
            if opd_id is not None and opd_id not in self._opd_rows:
                self._add_rows(self._source.rows_of(opd_id))
                key = self._keys.get(row_id)
        return key

    def index_of_row(self, row_id: int, *, fetch: bool = True) -> QModelIndex:
        """The index of a row in the current filter (invalid when filtered out).

        ``fetch``: open the row's OPD (reading it if need be) when it is not open yet;
        without, a row of an unopened OPD has no index.
        """
        key = self._key_of(row_id, fetch)
        group = self._groups.get(key) if key is not None else None
        if key is None or group is None:
            return QModelIndex()
        opd = self._groups[key[:1]]
        if fetch and not opd.opened and opd.stamp == self._stamp:
            self._open(opd)
        if group.stamp != self._stamp:
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
        if row_id not in self._rows:
            self._key_of(row_id, True)
        return self._rows[row_id]

    def figures(self, row_id: int) -> RowFigures | None:
        fig = self._figures.get(row_id)
        if fig is None and self._figured is not None and self._source is not None:
            if row_id not in self._rows:
                self._key_of(row_id, True)  # a row of an OPD not read yet
            row = self._rows.get(row_id)
            if row is not None and row.opd_id not in self._figured:
                # The first of an OPD's rows shown: read the OPD's figures at once.
                self._figured.add(row.opd_id)
                known = self._figures
                for rid, read in self._source.figures_of(row.opd_id, self._year).items():
                    known.setdefault(rid, read)  # a row saved since was read after it
                fig = known.get(row_id)
        return fig

    @property
    def year(self) -> int:
        return self._year

    @property
    def visible_count(self) -> int:
        return self._counts(self._root)[0]

    def first_row_index(self) -> QModelIndex:
        """The first indicator row in display order (to have something selected)."""
        group = self._root
        while True:
            if group.level == "opd":
                self._open(group)
            if not group.children:
                return QModelIndex()
            first = group.children[0]
            if isinstance(first, int):
                return self.createIndex(0, 0, group)
            group = first

    # --- QAbstractItemModel ----------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= 5 or row < 0 or (parent.isValid() and parent.column() != 0):
            return QModelIndex()
        group = self._root if not parent.isValid() else self._item(parent)
        if not isinstance(group, Group) or row >= len(group.children):
            return QModelIndex()
        return self.createIndex(row, column, group)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        group: Group = index.internalPointer()
        if group is self._root or group.parent is None:
            return QModelIndex()
        return self.createIndex(group.position, 0, group.parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._root.children)
        if parent.column() != 0:
            return 0
        item = self._item(parent)
        return len(item.children) if isinstance(item, Group) else 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 5

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return bool(self._root.children)
        if parent.column() != 0:
            return False
        item = self._item(parent)
        # An unopened OPD has rows to open (the outline lists only OPDs with rows).
        return isinstance(item, Group) and (
            bool(item.children) or (item.level == "opd" and not item.opened)
        )

    def canFetchMore(self, parent: _Index) -> bool:
        """An OPD not opened yet: its rows are linked (and read) when the view opens it."""
        if not parent.isValid() or parent.column() != 0:
            return False
        item = self._item(parent)
        return isinstance(item, Group) and item.level == "opd" and not item.opened

    def fetchMore(self, parent: _Index) -> None:
        if self.canFetchMore(parent):
            item = self._item(parent)
            assert isinstance(item, Group)
            self._open(item)

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
        if isinstance(item, Group):
            return self._group_data(item, index.column(), role)
        return self._row_data(item, index.column(), role)

    def _group_data(self, g: Group, col: int, role: int) -> Any:
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
        fig = self.figures(rid)
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
                self._icons = (status_icon(False), status_icon(True))
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
            tip = row_tooltip(row, fig, col, self._year)
            return "\n".join([tip, *self._corrections.get(rid, [])])
        return None


def visible_row_ids(model: PlanModel) -> Iterable[int]:
    """Every row id currently in the tree, in display order (for tests and counts)."""
    stack: list[Group | int] = list(reversed(model._root.children))
    while stack:
        item = stack.pop()
        if isinstance(item, int):
            yield item
        else:
            if item.level == "opd":
                model._open(item)  # unfiltered, an OPD's rows are linked when opened
            stack.extend(reversed(item.children))
