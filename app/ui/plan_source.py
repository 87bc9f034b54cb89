"""The rows the plan browser shows, read per OPD as the tree opens them.

A 100,000-row plan takes seconds to read in full (rows, their names up the hierarchy,
their target texts) and to turn into Python objects, yet its first screen shows a few
dozen OPDs and the rows of one. So the browser paints from one grouped query
(``services.outline``), reads an OPD's rows and figures when the tree opens it, and
reads every row only when something needs them all: the search index (built after the
first paint), a filter, or a caller iterating :class:`PlanRows`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import overload

from sqlalchemy import select

from app.gc_pause import paused_gc
from app.models.db import Database
from app.models.schema import PlanRow, Realisation
from app.services import catalog
from app.services.catalog import RowSummary, shown_rows
from app.services.figures import RowFigures, year_figures
from app.services.outline import OpdCount, opd_outline
from app.ui.plan_model import PlanModel


class PlanRows(Sequence[RowSummary]):
    """The listing of one plan for one user (``catalog.load_rows`` with these arguments),
    read lazily; its length is known from the counts without reading the rows."""

    def __init__(
        self, db: Database, plan_id: int, opd_id: int | None, *, all_retired: bool
    ) -> None:
        self._db = db
        self.plan_id = plan_id
        self._opd_id = opd_id
        self._all_retired = all_retired
        self._all: list[RowSummary] | None = None
        self._by_id: dict[int, RowSummary] | None = None
        self._count: int | None = None
        self._kept: tuple[int, list[OpdCount], set[int]] | None = None

    # --- counts before rows ------------------------------------------------------------

    def counts(self, year: int, *, keep: bool = False) -> tuple[list[OpdCount], set[int]]:
        """:meth:`outline` and :meth:`filled` of ``year``; ``keep``: the next call for
        the same year gets these again without a read (the model's first year is also
        the first year the window shows)."""
        kept, self._kept = self._kept, None
        if kept is not None and kept[0] == year:
            return kept[1], kept[2]
        outline, filled = self.outline(year), self.filled(year)
        if keep:
            self._kept = (year, outline, filled)
        return outline, filled

    def outline(self, year: int) -> list[OpdCount]:
        """Each OPD of the listing with its row and filled counts for ``year``."""
        with self._db.begin() as s:
            found = opd_outline(s, self.plan_id, year, self._opd_id, all_retired=self._all_retired)
        self._count = sum(o.rows for o in found)
        return found

    def filled(self, year: int) -> set[int]:
        """The listing's rows with ``year``'s realisation figure (``catalog.filled_rows``)."""
        stmt = shown_rows(
            select(PlanRow.id).join(Realisation, Realisation.row_id == PlanRow.id),
            self.plan_id,
            self._opd_id,
            all_retired=self._all_retired,
        ).where(
            Realisation.year == year,
            Realisation.semester == 0,
            Realisation.total.is_not(None),
        )
        with self._db.begin() as s:
            return set(s.connection().scalars(stmt))

    # --- what the lazy tree reads (plan_tree.RowSource) ----------------------------------

    def rows_of(self, opd_id: int) -> list[RowSummary]:
        if self._all is not None:
            return [r for r in self._all if r.opd_id == opd_id]
        with paused_gc(), self._db.begin() as s:
            return catalog.load_rows(s, self.plan_id, opd_id, all_retired=self._all_retired)

    def figures_of(self, opd_id: int, year: int) -> dict[int, RowFigures]:
        with paused_gc(), self._db.begin() as s:
            return year_figures(s, self.plan_id, year, opd_id=opd_id)

    def opd_of(self, row_id: int) -> int | None:
        with self._db.begin() as s:
            return s.scalar(
                select(PlanRow.opd_id).where(PlanRow.id == row_id, PlanRow.plan_id == self.plan_id)
            )

    def all(self) -> list[RowSummary]:
        if self._all is None:
            with paused_gc(), self._db.begin() as s:
                self._all = catalog.load_rows(
                    s, self.plan_id, self._opd_id, all_retired=self._all_retired
                )
        return self._all

    # --- every row -------------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        """Every row has been read."""
        return self._all is not None

    @property
    def by_id(self) -> dict[int, RowSummary]:
        if self._by_id is None:
            self._by_id = {r.id: r for r in self.all()}
        return self._by_id

    def __len__(self) -> int:
        if self._all is None and self._count is not None:
            return self._count
        return len(self.all())

    @overload
    def __getitem__(self, index: int) -> RowSummary: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[RowSummary]: ...

    def __getitem__(self, index: int | slice) -> RowSummary | Sequence[RowSummary]:
        return self.all()[index]

    def __iter__(self) -> Iterator[RowSummary]:
        return iter(self.all())


class ShownFigures(Mapping[int, RowFigures]):
    """The year's figures of the rows the tree lists, read from the model (which reads an
    OPD's figures when first asked): the browser's ``figures`` without a whole-plan read."""

    def __init__(self, model: PlanModel, rows: PlanRows) -> None:
        self._model = model
        self._rows = rows

    def __getitem__(self, row_id: int) -> RowFigures:
        found = self._model.figures(row_id)
        if found is None:
            raise KeyError(row_id)
        return found

    def __iter__(self) -> Iterator[int]:
        return (r.id for r in self._rows if self._model.figures(r.id) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
