"""Pokja keeps the GAP and GBS a signed submission carried (docs/pprg-review.md).

Called by the importer inside the transaction that merges the submission, so the
documents arrive with the figures or not at all. The documents were already checked
by the format (``app/formats/submission_pprg.py``: shape, OPD, year, caps); here each
kegiatan must be one of the OPD's nodes in Pokja's plan. The current submission's
documents replace those of the previous one for the OPD and year: a document the OPD
no longer sends is no longer shown as received (its reviews stay, by content hash).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.formats.submission_pprg import PPRG_KEY, parse_pprg
from app.models.schema import AuditEntry, Opd, Plan, PlanNode, PprgDocument
from app.services.merge import Refused
from app.services.pprg_store import RECEIVED, content_hash, document_bytes, kind_of


def check_nodes(session: Session, plan: Plan, content: dict[str, Any]) -> None:
    """Refuse the file when a document names a kegiatan that is not the OPD's."""
    docs = parse_pprg(content.get(PPRG_KEY, []), content["opd"]["code"], content["year"])
    if not docs:
        return
    owners = dict(
        session.execute(
            select(PlanNode.key, Opd.code)
            .outerjoin(Opd, Opd.id == PlanNode.opd_id)
            .where(PlanNode.plan_id == plan.id, PlanNode.key.in_({d.node_key for d in docs}))
        ).all()
    )
    for d in docs:
        if d.node_key not in owners:
            raise Refused(
                f"Dokumen PPRG menyebut kegiatan {d.node_key} yang tidak ada di rencana "
                f"{plan.code}; berkas ditolak seluruhnya."
            )
        if owners[d.node_key] != d.opd_code:
            raise Refused(
                f"Dokumen PPRG untuk kegiatan Perangkat Daerah lain ({d.node_key}); "
                "berkas ditolak seluruhnya."
            )


def store_received(
    session: Session,
    plan: Plan,
    content: dict[str, Any],
    submission_id: str,
    *,
    user: str,
    now: datetime,
) -> int:
    """Replace the OPD's received documents of the year by those of ``content``.

    Returns how many the submission carried. Raises :class:`Refused` (nothing written,
    the caller's transaction rolls back) for a document of a kegiatan not the OPD's.
    """
    check_nodes(session, plan, content)
    opd_code, year = str(content["opd"]["code"]), int(content["year"])
    docs = parse_pprg(content.get(PPRG_KEY, []), opd_code, year)
    # The replaced documents' hashes (for the audit) come back from the DELETE itself:
    # one round trip per imported file instead of two, which a server's import feels.
    replaced = session.execute(
        delete(PprgDocument)
        .where(
            PprgDocument.opd_code == opd_code,
            PprgDocument.year == year,
            PprgDocument.origin == RECEIVED,
        )
        .returning(PprgDocument.kind, PprgDocument.node_key, PprgDocument.content_hash)
        .execution_options(synchronize_session=False)
    ).all()
    old = {(kind, node_key): digest for kind, node_key, digest in sorted(replaced)}
    for doc in docs:
        kind = kind_of(doc)
        digest = content_hash(doc)
        session.add(
            PprgDocument(
                kind=kind.value,
                node_key=doc.node_key,
                opd_code=opd_code,
                year=year,
                origin=RECEIVED,
                content=document_bytes(doc).decode("utf-8"),
                content_hash=digest,
                updated_at=now,
                updated_by=user,
                submission_id=submission_id,
            )
        )
        before = old.pop((kind.value, doc.node_key), None)
        if before != digest:
            session.add(_audit(kind.value, doc.node_key, year, before, digest, user, now))
    for (kind_value, node_key), before in old.items():  # no longer sent
        session.add(_audit(kind_value, node_key, year, before, None, user, now))
    return len(docs)


def _audit(
    kind: str, node_key: str, year: int, old: str | None, new: str | None, user: str, at: datetime
) -> AuditEntry:
    return AuditEntry(
        at=at,
        user=user,
        action=f"pprg-{kind}",
        row_key=node_key,
        year=year,
        field=RECEIVED,
        old_value=old,
        new_value=new,
    )


__all__ = ["check_nodes", "store_received"]
