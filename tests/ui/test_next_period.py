"""The next period's plan, imported from a workbook, sits beside the old one (issue #12).

Pokja imports a 2025–2029 matrix into the regency's database; the plan selector of the
window then offers both plans, and choosing the new one shows its rows and its years.
"""

from collections.abc import Callable
from pathlib import Path

from app.services.database import open_seeded
from app.services.plan_import import import_plan
from app.ui.main_window import MainWindow
from tests.formats.test_plan_workbook import _handmade

NEXT = "RADPUG-LMJ-2025-2029"


def test_an_imported_next_period_is_offered_beside_the_old_plan(
    tmp_path: Path, make_window: Callable[..., MainWindow]
) -> None:
    db = open_seeded(tmp_path / "pokja.sqlite")
    try:
        done = import_plan(
            db, _handmade(tmp_path / "matriks.xlsx"), code=NEXT, region="Kabupaten Lumajang",
            create_opds=True,
        )  # fmt: skip
        window = make_window(db)
        box = window.browser.plan_box
        codes = [box.itemData(i) for i in range(box.count())]
        assert NEXT in codes and "RADPUG-LMJ-2022-2024" in codes
        assert "RAD PUG 2025–2029" in [box.itemText(i) for i in range(box.count())]
        old_rows = len(window.browser.rows)
        window.set_plan(NEXT)
        assert window.browser.years == [2025, 2026, 2027, 2028, 2029]
        assert len(window.browser.rows) == done.rows != old_rows
        window.close()
    finally:
        db.dispose()
