"""What the Renstra reports print, gathered into plain dataclasses (no Qt, no PDF).

Three tables of the Renstra of the Sekretariat Daerah are printed from the plan and the
realisations entered in the app (``app/reports/renstra_pdf.py`` and ``renstra_xlsx.py``
render them):

* **TC-23** — *Pencapaian Kinerja Pelayanan*: per indicator and year the Renstra target,
  the realisation and the achievement ratio (with the row's polarity);
* **TC-24** — *Anggaran dan Realisasi Pendanaan Pelayanan*: per program, kegiatan and
  sub kegiatan and year the budget (pagu) and spending entered, their ratio, and the
  average growth of each;
* **TC-27** — *Rencana Program, Kegiatan dan Pendanaan*: the plan document itself, with
  the end-of-period target and Rupiah computed from the yearly values beside the
  document's own figures (DOMAIN.md, erratum 6).

A Bagian of the Setda (``SETDA-BAG-…``) gets its own rows; without an OPD, or for the
Setda itself, the report covers the whole Sekretariat Daerah. The computations are the
ones of :mod:`app.domain.renstra` and :mod:`app.domain.achievement`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.progress import Cancelled, Progress
from app.domain.renstra import (
    EndMode,
    absorption_per_year,
    average_growth,
    check_end,
    end_mode,
    parse_amount,
    parse_figure,
    ratio_per_year,
)
from app.models.schema import Opd, Plan, PlanNode, PlanRow, Realisation, Target
from app.reports.renstra_model import (
    TABLES,
    EndFigure,
    RenstraReport,
    RenstraRow,
    YearFigures,
)
from app.reports.report_model import Person, ReportCancelled, SignatureBlock
from app.services import catalog
from app.services.profile import Profile
from app.services.region import load_region
from app.services.report_data import preparer_person
from app.services.signatory import Signatory, default_position

__all__ = [
    "SETDA_CODE",
    "build_renstra_report",
    "renstra_plan",
    "resolve_unit",
    "setda_position",
]


SETDA_CODE = "SETDA"
LEVELS = ("sub_kegiatan", "kegiatan", "program", "sasaran", "tujuan")


def setda_position(session: Session) -> str:
    """Who signs for the whole Setda: its head is the Sekretaris Daerah."""
    return f"Sekretaris Daerah {load_region(session).full_name}"


# --------------------------------------------------------------------------- gathering


def renstra_plan(session: Session, code: str | None = None) -> Plan:
    """The Renstra by code, or the latest Renstra when no code is given."""
    stmt = select(Plan).where(Plan.kind == "renstra")
    if code:
        stmt = select(Plan).where(Plan.code == code)
    plan = session.scalars(stmt.order_by(Plan.start_year.desc())).first()
    if plan is None:
        raise LookupError(f"Rencana Strategis tidak ditemukan: {code or 'Renstra'}")
    if plan.kind != "renstra":
        raise LookupError(
            f"{plan.code} bukan Rencana Strategis: tabel TC-23, TC-24 dan TC-27 hanya ada "
            "pada Renstra."
        )
    return plan


def resolve_unit(session: Session, plan: Plan, opd: str | None) -> Opd | None:
    """The Bagian whose rows are reported; ``None`` for the whole Setda.

    The Setda itself (``SETDA``) is the OPD of the whole Renstra, so it means all rows.
    An OPD without rows in the plan is refused (its report would be empty).
    """
    if not opd:
        return None
    unit = catalog.find_opd(session, opd)
    if unit.code == SETDA_CODE:
        return None
    has_rows = session.scalar(
        select(PlanRow.id).where(PlanRow.plan_id == plan.id, PlanRow.opd_id == unit.id).limit(1)
    )
    if has_rows is None:
        raise LookupError(f"{unit.name} tidak memiliki baris pada {plan.title}.")
    return unit


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ReportCancelled("Pembuatan laporan dibatalkan.")


def _level(path: dict[str, str]) -> str:
    return next((lvl for lvl in LEVELS if path.get(lvl)), "")


def build_renstra_report(
    session: Session,
    table: str,
    year: int | None = None,
    opd: Opd | None = None,
    *,
    plan: Plan | None = None,
    signatory: Signatory | None = None,
    preparer: Profile | None = None,
    report_date: date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RenstraReport:
    """Gather one Renstra table for a Bagian (``opd``) or the whole Setda.

    ``year`` limits the realisations (and so the ratios and growth) to the years up to
    it; the columns still show every year of the plan, as the document does.
    """
    if table not in TABLES:
        raise ValueError(f"Tabel tidak dikenal: {table} (pilih tc23, tc24 atau tc27)")
    plan = plan or renstra_plan(session)
    if year is not None and year not in plan.years:
        raise ValueError(f"Tahun {year} di luar periode {plan.start_year}–{plan.end_year}.")
    years = plan.years
    reported = [y for y in years if year is None or y <= year]
    _check(cancelled)
    summaries = catalog.load_rows(session, plan.id, opd.id if opd else None)
    ids = [r.id for r in summaries]
    total = max(1, len(ids))
    rows_by_id: dict[int, PlanRow] = {}
    targets: dict[int, dict[int, Target]] = {}
    reals: dict[int, dict[int, Realisation]] = {}
    for start in range(0, len(ids), 900):
        _check(cancelled)
        chunk = ids[start : start + 900]
        for pr in session.scalars(select(PlanRow).where(PlanRow.id.in_(chunk))):
            rows_by_id[pr.id] = pr
        for tgt in session.scalars(select(Target).where(Target.row_id.in_(chunk))):
            targets.setdefault(tgt.row_id, {})[tgt.year] = tgt
        for rec in session.scalars(
            select(Realisation).where(
                Realisation.row_id.in_(chunk),
                Realisation.semester == 0,
                Realisation.year.in_(reported),
            )
        ):
            reals.setdefault(rec.row_id, {})[rec.year] = rec
        if progress is not None:
            progress(min(start + 900, total) // 2, total)
    node_code: dict[int, str | None] = dict(
        session.execute(select(PlanNode.id, PlanNode.code).where(PlanNode.plan_id == plan.id)).all()
    )
    out: list[RenstraRow] = []
    for i, s in enumerate(summaries):
        if i % 50 == 0:
            _check(cancelled)
        pr = rows_by_id[s.id]
        level = _level(s.path)
        code = pr.no or (node_code.get(s.path_nodes.get(level, -1)) or "")
        tmap = targets.get(s.id, {})
        rmap = reals.get(s.id, {})
        figures: dict[int, YearFigures] = {}
        effective: dict[int, Decimal | None] = {}
        realised: dict[int, Decimal | None] = {}
        for y in years:
            ty, xy = tmap.get(y), rmap.get(y)
            effective[y] = None if ty is None else ty.effective_breakdown.effective_total
            realised[y] = None if xy is None else xy.breakdown.effective_total
        ratios = ratio_per_year(effective, realised, s.polarity)
        absorbed = absorption_per_year(
            {y: v.budget for y, v in rmap.items()}, {y: v.spending for y, v in rmap.items()}
        )
        for y in years:
            t = tmap.get(y)
            x = rmap.get(y)
            amount = parse_amount(t.budget_text) if t is not None and t.budget_text else None
            fig = parse_figure(t.text) if t is not None else None
            figures[y] = YearFigures(
                year=y,
                target_text=(t.text or "") if t is not None else "",
                target=effective[y],
                is_percent=bool(t is not None and (t.is_percent or (fig and fig.is_percent))),
                proposed=bool(t is not None and t.proposed),
                proposed_text=(t.proposed_text or "") if t is not None else "",
                plan_budget_text=(t.budget_text or "") if t is not None else "",
                plan_budget=None if t is None else t.budget,
                plan_budget_ok=amount is None or amount.ok,
                reported=y in reported,
                realised=realised[y],
                ratio=ratios.get(y),
                budget=None if x is None else x.budget,
                spending=None if x is None else x.spending,
                absorption=absorbed.get(y),
            )
        ordered = [tmap[y] for y in years if y in tmap]
        mode = end_mode(s.satuan, [parse_figure(t.text) for t in ordered], s.indikator)
        tcheck = check_end([t.total for t in ordered], pr.end_target, mode)
        bcheck = check_end([t.budget for t in ordered], pr.end_budget, EndMode.SUM)
        out.append(
            RenstraRow(
                number=i + 1,
                key=s.key,
                seq=s.seq,
                source_table=pr.source_table or "",
                opd_code=s.opd_code,
                opd_name=pr.opd.name,
                opd_short_name=s.opd_name,
                level=level,
                code=code,
                name=s.path.get(level, ""),
                path=dict(s.path),
                statement=pr.statement or "",
                indikator=s.indikator or s.aktivitas,
                satuan=s.satuan,
                formula=pr.formula or "",
                responsible_unit=pr.responsible_unit or "",
                location=pr.location or "",
                baseline_text=pr.baseline_text or "",
                polarity=s.polarity,
                years=figures,
                budget_growth=average_growth({y: figures[y].budget for y in reported}),
                spending_growth=average_growth({y: figures[y].spending for y in reported}),
                end_target=EndFigure(
                    tcheck.computed,
                    tcheck.document,
                    pr.end_target_text or "",
                    mode.value,
                    tcheck.differs,
                ),
                end_budget=EndFigure(
                    bcheck.computed,
                    bcheck.document,
                    pr.end_budget_text or "",
                    EndMode.SUM.value,
                    bcheck.differs,
                ),
            )
        )
        if progress is not None and i % 50 == 0:
            progress(total // 2 + i // 2, total)
    if table == "tc24":
        out = [r for r in out if r.has_budget_line]
    elif table == "tc27":
        # The plan document: TC-27's coded rows, and the cascading's sub kegiatan that
        # TC-27 does not print (kept, marked, without figures).
        out = [r for r in out if r.source_table != "TC-25"]
    groups = _groups(out)
    if table != "tc27":
        out = [r for _, _, rs in groups for r in rs]
    signer = signatory or Signatory()
    region = load_region(session)
    position = signer.position or (
        default_position(opd.name, region.pokja_title) if opd else setda_position(session)
    )
    if progress is not None:
        progress(total, total)
    return RenstraReport(
        table=table,
        plan_code=plan.code,
        plan_title=plan.title,
        start_year=plan.start_year,
        end_year=plan.end_year,
        year=year,
        opd_code=opd.code if opd else None,
        opd_name=opd.name if opd else None,
        opd_short_name=opd.short_name if opd else None,
        rows=out,
        signature=SignatureBlock(
            signer.place or region.signature_place,
            report_date or date.today(),
            Person(signer.name, signer.nip, position),
            preparer_person(preparer, opd.name if opd else None),
        ),
        generated_at=datetime.now().replace(microsecond=0),
        region=region,
        groups=groups,
    )


def _groups(rows: list[RenstraRow]) -> list[tuple[str, str, list[RenstraRow]]]:
    """Rows per OPD as TC-23 and TC-24 list them: the Setda's own rows first, then each
    Bagian in the order it first appears in the plan; plan order within a group, and the
    running number restarts in each group as in the document."""
    order: dict[str, int] = {}
    names: dict[str, str] = {}
    for r in rows:
        order.setdefault(r.opd_code, 0 if r.opd_code == SETDA_CODE else len(order) + 1)
        names[r.opd_code] = r.opd_name
    by: dict[str, list[RenstraRow]] = {}
    for r in rows:
        by.setdefault(r.opd_code, []).append(r)
    out = []
    for code in sorted(by, key=lambda c: order[c]):
        numbered = [_renumber(r, n) for n, r in enumerate(by[code], start=1)]
        out.append((code, names[code], numbered))
    return out


def _renumber(r: RenstraRow, n: int) -> RenstraRow:
    return replace(r, number=n)
