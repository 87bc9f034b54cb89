"""Writing a GAP or GBS as PDF and/or Excel: one call for the editor and the CLI.

The document printed is the one given (the editor's unsaved text), else the stored one
(the OPD's own, or a received copy at Pokja), else a fresh prefill from the plan, so a
kegiatan can be printed before anyone has opened its editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pprg import GapDocument, GbsDocument, Kind, PprgError
from app.domain.progress import Cancelled, Progress
from app.models.db import Database
from app.models.schema import Opd, PlanNode
from app.reports.pprg_model import PprgPrint
from app.reports.report_model import Person, SignatureBlock
from app.services import pprg_store
from app.services.pprg_prefill import prefill_gap, prefill_gbs
from app.services.profile import load_profile
from app.services.region import load_region
from app.services.report_data import preparer_person
from app.services.signatory import resolve_signatory

__all__ = ["PprgExportResult", "current_document", "export_pprg", "gather_pprg", "node_label"]

Document = GapDocument | GbsDocument


@dataclass(frozen=True)
class PprgExportResult:
    kind: Kind
    node_key: str
    year: int
    pdf: Path | None
    pdf_pages: int | None
    xlsx: Path | None


def node_label(session: Session, node_key: str) -> str:
    """``Sub Kegiatan 1.02.01 Nama`` as the printed subtitle and the editor's title say it."""
    node = session.scalar(select(PlanNode).where(PlanNode.key == node_key))
    if node is None:
        raise LookupError(f"Kegiatan dengan kunci {node_key} tidak ada di basis data ini.")
    level = "Sub Kegiatan" if node.level == "sub_kegiatan" else "Kegiatan"
    name = " ".join(node.name.split())
    if node.code and not name.startswith(node.code):
        name = f"{node.code} {name}"
    return f"{level} {name}"


def current_document(session: Session, kind: Kind, node_key: str, year: int) -> Document:
    """The stored document (own first, then received), else one prefilled from the plan."""
    for origin in (pprg_store.LOCAL, pprg_store.RECEIVED):
        stored = pprg_store.load_document(session, kind, node_key, year, origin)
        if stored is not None:
            return stored.document
    gap = current_document(session, Kind.GAP, node_key, year) if kind is Kind.GBS else None
    if isinstance(gap, GapDocument):
        return prefill_gbs(session, gap)
    return prefill_gap(session, node_key, year)


def gather_pprg(
    db: Database,
    kind: Kind,
    node_key: str,
    year: int,
    *,
    document: Document | None = None,
    report_date: date | None = None,
) -> PprgPrint:
    with db.begin() as session:
        doc = document or current_document(session, kind, node_key, year)
        opd = session.scalar(select(Opd).where(Opd.code == doc.opd_code))
        if opd is None:
            raise PprgError(f"Perangkat Daerah {doc.opd_code} tidak dikenal.")
        signer = resolve_signatory(session, opd.code, opd.name)
        region = load_region(session)
        return PprgPrint(
            region=region,
            unit_name=opd.name,
            activity_name=node_label(session, node_key),
            document=doc,
            signature=SignatureBlock(
                signer.place or region.signature_place,
                report_date or date.today(),
                Person(signer.name, signer.nip, signer.position),
                preparer_person(load_profile(session), opd.name),
            ),
            generated_at=datetime.now().replace(microsecond=0),
        )


def export_pprg(
    db: Database,
    kind: Kind,
    node_key: str,
    year: int,
    *,
    pdf: str | Path | None = None,
    xlsx: str | Path | None = None,
    paper: str = "a4",
    document: Document | None = None,
    report_date: date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PprgExportResult:
    """Write the GAP or GBS; files appear only when every requested one is complete.

    Raises ``LookupError`` for an unknown node, ``PprgError`` for a node that is not a
    kegiatan/sub kegiatan, ``ValueError`` for no output or an unknown paper,
    ``ReportCancelled`` when cancelled.
    """
    # The PDF and Excel libraries load here, on the first print, not when the window that
    # offers printing starts (issue 14: the first paint has no half second to spare).
    from app.reports.pprg_pdf import build_pprg_pdf
    from app.reports.pprg_xlsx import build_pprg_xlsx
    from app.services.export import write_report_files

    _, pages = write_report_files(
        db,
        pdf=pdf,
        xlsx=xlsx,
        paper=paper,
        gather=lambda database, _step: gather_pprg(
            database, kind, node_key, year, document=document, report_date=report_date
        ),
        build_pdf=build_pprg_pdf,
        build_xlsx=build_pprg_xlsx,
        progress=progress,
        cancelled=cancelled,
        weights=(10, 60, 30),
    )
    return PprgExportResult(
        kind,
        node_key,
        year,
        Path(pdf) if pdf is not None else None,
        pages,
        Path(xlsx) if xlsx is not None else None,
    )
