"""Writing a plan as an editable matrix workbook that ``formats.plan_workbook`` reads back.

Pokja edits its plan in a spreadsheet: this writes one row per indicator under title
rows and a two-row header (TARGET merged over the years), with the house page set-up,
so the file prints well and, read back with ``read_plan_workbook``, gives the same rows.
Every hierarchy cell is written out (an empty level as "-"), never merged, so a person
can sort or filter the sheet and nothing is carried down by mistake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from app.formats.plan_data import HIERARCHY
from app.formats.plan_workbook import HEADERS, POLARITY_TEXT, TARGET_HEADER
from app.reports.xlsx_kit import Book, Col, Sheet

WIDTHS = {
    "no": 5,
    "misi": 22,
    "tujuan": 22,
    "sasaran": 22,
    "program": 22,
    "kegiatan": 22,
    "sub_kegiatan": 22,
    "aktivitas": 26,
    "indikator": 26,
    "satuan": 10,
    "polaritas": 14,
    "opd": 18,
    "keterangan": 20,
}
OPTIONAL_LEVELS = ("misi", "tujuan", "sasaran")  # left out when no row has them
SHEET_TITLE = "Matriks"


def write_plan_workbook(plan_data: dict[str, Any], path: Path, paper: str = "f4") -> None:
    """Write ``plan_data`` (the shipped plan format) as a matrix workbook at ``path``."""
    plan = plan_data["plan"]
    rows = plan_data["rows"]
    years = list(range(int(plan["start_year"]), int(plan["end_year"]) + 1))
    names = {o["code"]: o["name"] for o in plan_data.get("opds", [])}
    fields = ["no"]
    fields += [
        lvl for lvl in HIERARCHY if lvl not in OPTIONAL_LEVELS or any(r.get(lvl) for r in rows)
    ]
    fields += ["aktivitas", "indikator", "satuan", "polaritas"]
    cols = [Col(HEADERS[f], WIDTHS[f]) for f in fields]
    cols += [Col(TARGET_HEADER, 14, str(y)) for y in years]
    cols += [Col(HEADERS["opd"], WIDTHS["opd"]), Col(HEADERS["keterangan"], WIDTHS["keterangan"])]
    book = Book(paper)
    book.describe(
        title=str(plan["title"]),
        subject=f"Matriks rencana {plan['start_year']}–{plan['end_year']}",
        creator="Pokja PUG",
        keywords=f"RAD PUG; matriks; {plan['code']}",
    )
    sh = Sheet(book, SHEET_TITLE, cols)
    for text in (str(plan["title"]).upper(), f"Periode {years[0]}–{years[-1]}"):
        sh.span_text(sh.row, text, "plain_b")
        sh.row += 1
    sh.row += 1
    sh.header(numbered=False)
    ws = sh.ws
    level_set = set(HIERARCHY)
    for r in rows:
        line = sh.row
        for c, f in enumerate(fields, start=1):
            if f == "polaritas":
                value = POLARITY_TEXT.get(r.get("polarity") or "higher", POLARITY_TEXT["higher"])
            else:
                value = r.get(f) or ""
            if not value and (f in level_set or f == "no"):
                value = "-"  # explicitly empty, so the reader does not carry the row above
            _put(sh, line, c, value)
        c = len(fields)
        for y in years:
            c += 1
            _put(sh, line, c, ((r.get("targets") or {}).get(str(y)) or {}).get("text") or "")
        _put(sh, line, c + 1, names.get(r["opd"]) or r.get("opd_text") or r["opd"])
        _put(sh, line, c + 2, r.get("keterangan") or "")
        sh.row += 1
    if sh.header_rows:
        last = get_column_letter(sh.n)
        ws.auto_filter.ref = f"A{sh.header_rows[1]}:{last}{max(sh.row - 1, sh.header_rows[1])}"
    sh.finish(paper, f"Monev RAD PUG — {plan['code']}")
    book.wb.save(path)


def _put(sh: Sheet, r: int, c: int, value: str) -> None:
    sh.text(r, c, value)


__all__ = ["write_plan_workbook"]
