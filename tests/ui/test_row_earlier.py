"""The row form's "Tahun-tahun sebelumnya" section (issue #12, item 4)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain.realisation import parse_realisation
from app.models.db import Database
from app.models.schema import PlanRow
from app.services import entry
from app.services.continuation import previous_of
from app.services.database import open_seeded
from app.ui.link_dialog import LinkDialog
from app.ui.row_form import RowForm
from tests.services.test_continuation import Periods, build_periods


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Periods]:
    tmp = tmp_path_factory.mktemp("earlier")
    path = tmp / "pokja.sqlite"
    db = open_seeded(path)
    periods = build_periods(db, tmp)
    entry.save_realisation(
        db,
        periods.old,
        2023,
        parse_realisation({"male": "70", "female": "55", "disabled": "4"}),
        "Siti",
    )
    db.dispose()
    return path, periods


@pytest.fixture
def periods_db(
    seeded_file: tuple[Path, Periods], tmp_path: Path, copy_db: Callable[[Path, Path], None]
) -> Iterator[tuple[Database, Periods]]:
    copy = tmp_path / "pokja.sqlite"
    copy_db(seeded_file[0], copy)
    db = open_seeded(copy)
    yield db, seeded_file[1]
    db.dispose()


def _cells(form: RowForm) -> list[list[str]]:
    table = form.earlier_box.table
    return [
        [table.topLevelItem(i).text(c) for c in range(table.columnCount())]
        for i in range(table.topLevelItemCount())
    ]


def test_pokja_links_the_row_and_the_form_shows_the_earlier_years(
    qtbot: QtBot, periods_db: tuple[Database, Periods]
) -> None:
    db, p = periods_db
    form = RowForm(db, "Pokja")  # no OPD: Pokja's form
    qtbot.addWidget(form)
    form.load(p.new, 2025)
    box = form.earlier_box
    assert not box.link_button.isHidden() and box.link_button.isEnabled()
    assert not box.unlink_button.isEnabled()
    assert box.table.topLevelItemCount() == 0 and not box.toggle.isChecked()
    assert box.link(p.old)
    rows = _cells(form)
    assert [r[0] for r in rows] == ["2022", "2023", "2024"]
    y2023 = rows[1]
    assert y2023[2:6] == ["70", "55", "4", "129"]  # L, P, disabilitas, total
    assert y2023[6].endswith("%") and "RAD PUG 2022–2024" in y2023[7]
    assert box.toggle.isChecked() and "2022–2024" in box.toggle.text()
    assert "RAD PUG 2022–2024" in box.source.text()
    assert box.unlink_button.isEnabled() and not box.link_button.isEnabled()
    # The link is in the row's history, shown by the form at once.
    history = form.history_box.history
    fields = {history.topLevelItem(i).text(3) for i in range(history.topLevelItemCount())}
    assert "periode sebelumnya" in fields
    box.unlink()
    assert box.table.topLevelItemCount() == 0 and box.link_button.isEnabled()
    with db.begin() as s:
        assert previous_of(s, p.new) is None


def test_the_chooser_offers_only_earlier_plans_and_links_the_choice(
    qtbot: QtBot, periods_db: tuple[Database, Periods], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, p = periods_db
    form = RowForm(db, "Pokja")
    qtbot.addWidget(form)
    form.load(p.new, 2025)
    seen: list[str] = []

    def answer(dialog: LinkDialog) -> int:
        items = [dialog.list.item(i) for i in range(dialog.list.count())]
        seen.extend(i.text() for i in items)
        seen.append(dialog.windowTitle())
        dialog.list.setCurrentRow(0)
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(LinkDialog, "exec", answer)
    form.earlier_box.choose()
    assert seen[-1] == "Tautkan ke baris periode sebelumnya"
    assert seen[:-1] and all(t.startswith("RAD PUG 2022–2024") for t in seen[:-1])
    with db.begin() as s:
        chosen = previous_of(s, p.new)
    assert chosen is not None and chosen.title in seen[0]
    assert form.earlier_box.table.topLevelItemCount() == 3


def test_a_refusal_is_shown_in_the_section(
    qtbot: QtBot, periods_db: tuple[Database, Periods]
) -> None:
    db, p = periods_db
    form = RowForm(db, "Pokja")
    qtbot.addWidget(form)
    form.load(p.new, 2025)
    assert not form.earlier_box.link(p.renstra)  # Renstra 2024–2026 overlaps 2025
    assert "berakhir sebelum 2025" in form.earlier_box.error.text()
    assert not form.earlier_box.error.isHidden()


def test_a_focal_point_sees_the_earlier_years_but_cannot_link(
    qtbot: QtBot, periods_db: tuple[Database, Periods]
) -> None:
    db, p = periods_db
    pokja = RowForm(db, "Pokja")
    qtbot.addWidget(pokja)
    pokja.load(p.new, 2025)
    assert pokja.earlier_box.link(p.old)
    with db.begin() as s:
        opd_id = s.get(PlanRow, p.new).opd_id  # type: ignore[union-attr]
    form = RowForm(db, "Ani", opd_id=opd_id)
    qtbot.addWidget(form)
    form.load(p.new, 2026)
    assert form.earlier_box.link_button.isHidden() and form.earlier_box.unlink_button.isHidden()
    assert _cells(form)[1][5] == "129"
