"""GAP/GBS documents written at a focal point's database, for the PPRG flow tests."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.domain.pprg import GapDocument, GbsComponent, GbsDocument
from app.models.db import Database
from app.models.schema import Opd, PlanNode
from app.services import pprg_store
from tests.services.submission_helpers import OPD, YEAR


def kegiatan_keys(db: Database, opd: str = OPD) -> list[str]:
    """The OPD's kegiatan nodes, in key order."""
    with db.begin() as s:
        return list(
            s.scalars(
                select(PlanNode.key)
                .join(Opd, Opd.id == PlanNode.opd_id)
                .where(Opd.code == opd, PlanNode.level == "kegiatan")
                .order_by(PlanNode.key)
            )
        )


def gap(node: str, opd: str = OPD, year: int = YEAR, **kw: str) -> GapDocument:
    values = {
        "policy": "Program peningkatan layanan",
        "objective": "Layanan menjangkau perempuan dan laki-laki",
        "insight_data": "Peserta 2022: L 40, P 12",
        **kw,
    }
    return GapDocument(node_key=node, opd_code=opd, year=year, **values)


def gbs(node: str, opd: str = OPD, year: int = YEAR, **kw: str) -> GbsDocument:
    values = {"program": "Program peningkatan layanan", "situation": "Peserta perempuan sedikit"}
    values.update(kw)
    return GbsDocument(
        node_key=node,
        opd_code=opd,
        year=year,
        components=(GbsComponent("Sosialisasi", Decimal("15000000")),),
        **values,
    )


def write_documents(db: Database, n: int = 2, opd: str = OPD) -> list[str]:
    """A GAP and a GBS for the first ``n`` kegiatan of the OPD; returns the node keys."""
    nodes = kegiatan_keys(db, opd)[:n]
    assert len(nodes) == n
    for node in nodes:
        pprg_store.save_document(db, gap(node, opd), "Budi")
        pprg_store.save_document(db, gbs(node, opd), "Budi")
    return nodes
