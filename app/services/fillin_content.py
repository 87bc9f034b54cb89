"""A filled-in workbook checked against the database and turned into submission content.

``app/formats/fillin.py`` reads the workbook's cells; this service checks that its OPD,
plan, year and rows are exactly the OPD's rows in Pokja's database, and builds the
content (format v1) the importer merges (docs/fillin.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.numbers import decimal_text
from app.domain.plausibility import fractional_count
from app.formats.canonical_json import SubmissionError
from app.formats.fillin import COLUMNS, DATA_SHEET, FillinError, FillinWorkbook, where
from app.formats.submission import validate_content
from app.models.schema import Opd, Plan, PlanRow
from app.resources import units
from app.services.submission_content import build_content


def fillin_content(
    session: Session, wb: FillinWorkbook, *, now: datetime, user: str
) -> tuple[dict[str, Any], Plan]:
    """The workbook as submission content (format v1), checked against the database.

    Raises :class:`FillinError` listing every mismatch (unknown OPD, plan, year, rows
    of another OPD, rows missing).
    """
    errors: list[str] = []
    opd = session.scalar(select(Opd).where(Opd.code == wb.opd_code))
    plan = session.scalar(select(Plan).where(Plan.code == wb.plan_code))
    if opd is None:
        errors.append(f"Perangkat Daerah {wb.opd_code} tidak dikenal di basis data ini.")
    if plan is None or (plan.start_year, plan.end_year) != (
        wb.plan_start_year,
        wb.plan_end_year,
    ):
        errors.append(
            f"Periode rencana {wb.plan_code} {wb.plan_start_year}–{wb.plan_end_year} tidak "
            "dikenal di basis data ini."
        )
    elif wb.year not in plan.years:
        errors.append(f"Tahun {wb.year} di luar periode {plan.start_year}–{plan.end_year}.")
    if errors or plan is None or opd is None:
        raise FillinError(errors)
    owner: dict[str, int] = {}
    retired: set[str] = set()
    unit_of: dict[str, str] = {}
    for key, oid, retired_at, satuan in session.execute(
        select(PlanRow.key, PlanRow.opd_id, PlanRow.retired_at, PlanRow.satuan).where(
            PlanRow.plan_id == plan.id
        )
    ):
        owner[key] = oid
        unit_of[key] = satuan
        if retired_at is not None:
            retired.add(key)
    by_key = {ln.key: ln for ln in wb.lines}
    key_col = COLUMNS[0]
    for ln in wb.lines:
        got = owner.get(ln.key)
        if got is None:
            errors.append(
                f"{where(DATA_SHEET, ln.row, key_col)}: baris '{ln.key}' tidak ada di rencana "
                f"{plan.code}."
            )
        elif got != opd.id:
            errors.append(
                f"{where(DATA_SHEET, ln.row, key_col)}: baris '{ln.key}' milik Perangkat Daerah "
                f"lain, bukan {opd.code}; buku kerja ditolak seluruhnya."
            )
    # The form's rule for counted units, read from the database's unit (the sheet's
    # Satuan column is the OPD's to scribble on): "12,5 orang" is a typing slip.
    counted = units()
    for ln in wb.lines:
        unit = unit_of.get(ln.key, "")
        if not counted.is_counted(unit):
            continue
        for col in COLUMNS:
            if col.kind == "count":
                problem = fractional_count([(col.title, getattr(ln.breakdown, col.field))], unit)
                if problem:
                    errors.append(f"{where(DATA_SHEET, ln.row, col)}: {problem}")
    # A retired row is no longer asked for (the workbook leaves it out, as a signed
    # submission does); listing one is refused by the row-set check of the merge.
    mine = [k for k, oid in owner.items() if oid == opd.id and k not in retired]
    missing = [k for k in mine if k not in by_key]
    if missing:
        errors.append(
            f"Buku kerja tidak memuat {len(missing)} baris {opd.code} yang ada di basis data "
            f"(misalnya '{missing[0]}'): buku kerja dibuat dari versi rencana lain. Buat buku "
            "kerja isian baru."
        )
    if errors:
        raise FillinError(errors)
    content = build_content(
        session,
        plan,
        opd,
        wb.year,
        submission_id=wb.workbook_id,
        revision=1,
        created_at=wb.exported_at,
        preparer=None,
    )
    stamp = now.replace(microsecond=0).isoformat()
    for row in content["rows"]:
        ln = by_key[row["key"]]
        reals = row["realisations"]
        if ln.is_empty:
            reals.pop("0", None)
            continue
        values = {
            "total": decimal_text(ln.breakdown.total),
            "male": decimal_text(ln.breakdown.male),
            "female": decimal_text(ln.breakdown.female),
            "disabled": decimal_text(ln.breakdown.disabled),
            "budget": decimal_text(ln.budget),
            "spending": decimal_text(ln.spending),
            "evidence": ln.evidence,
            "note": ln.note,
        }
        old = reals.get("0")
        if old is not None and all(old[k] == v for k, v in values.items()):
            continue  # unchanged (pre-filled and left alone): keep who entered it and when
        reals["0"] = {**values, "updated_at": stamp, "updated_by": user or "berkas isian"}
    try:
        validate_content(content)
    except SubmissionError as exc:  # the workbook id, for one, is not ours to trust
        raise FillinError([str(exc)]) from None
    return content, plan


__all__ = ["fillin_content"]
