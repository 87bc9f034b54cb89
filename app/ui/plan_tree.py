"""The plan tree's building blocks: its group nodes and where a lazy tree reads rows.

``plan_model`` links these groups under each other for what is shown; they live as long
as the model, so a filter re-links the groups it needs instead of making new ones.
"""

from __future__ import annotations

from typing import Protocol

from app.services.catalog import RowSummary
from app.services.figures import RowFigures

Key = tuple[int | None, ...]  # (OPD, program, kegiatan, sub kegiatan) of a row
GROUP_LEVELS = ("program", "kegiatan", "sub_kegiatan")


class RowSource(Protocol):
    """Where a lazy model reads what it has not been given."""

    def rows_of(self, opd_id: int) -> list[RowSummary]:
        """One OPD's rows (in the listing's order)."""
        ...

    def figures_of(self, opd_id: int, year: int) -> dict[int, RowFigures]:
        """One OPD's figures for ``year``."""
        ...

    def opd_of(self, row_id: int) -> int | None:
        """The OPD of a row (to open it when the row is asked for)."""
        ...

    def all(self) -> list[RowSummary]:
        """Every row (a filter or a search needs them all)."""
        ...


class Group:
    """An OPD or hierarchy node; ``children`` holds groups and row ids in display order."""

    __slots__ = (
        "children",
        "filled",
        "label",
        "level",
        "node_id",
        "opd_id",
        "opened",
        "parent",
        "position",
        "stamp",
        "total",
    )

    def __init__(
        self,
        level: str,
        label: str,
        parent: Group | None,
        position: int,
        node_id: int | None = None,
        opd_id: int | None = None,
    ) -> None:
        self.level = level
        self.node_id = node_id  # the PlanNode (None for the OPD level)
        self.opd_id = opd_id  # the OPD, on the OPD level only
        self.label = label
        self.parent = parent
        self.position = position
        self.children: list[Group | int] = []
        # Row counts below this group, computed when first shown (None = not yet).
        self.total: int | None = None
        self.filled: int | None = None
        self.stamp = -1  # the rebuild that last linked this group into the tree
        self.opened = False  # an OPD: its rows are linked under it in this rebuild
        # (OPDs are put under the root unopened; ``link`` never reaches one.)


def link(group: Group, stamp: int) -> None:
    """Put a group (and any ancestor not yet there) under its parent for this rebuild."""
    parent = group.parent
    assert parent is not None
    if parent.stamp != stamp:
        link(parent, stamp)
    group.stamp, group.children, group.total, group.filled = stamp, [], None, None
    group.position = len(parent.children)
    parent.children.append(group)


def make_groups(
    root: Group,
    groups: dict[Key, Group],
    key: Key,
    row: RowSummary,
) -> Group:
    """Make the groups of ``key`` not made yet (their names from ``row``'s path); the
    deepest is the group the row hangs under. The OPD's own group must exist."""
    parent = root
    for depth, node_id in enumerate(key):
        if node_id is None:  # a level the matrix leaves out is skipped, not shown blank
            continue
        prefix = key[: depth + 1]
        group = groups.get(prefix)
        if group is None:
            level = GROUP_LEVELS[depth - 1]
            group = Group(level, row.path.get(level, ""), parent, 0, node_id)
            groups[prefix] = group
        parent = group
    groups[key] = parent
    return parent
