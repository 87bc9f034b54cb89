"""Keeping GAP and GBS documents and their reviews (docs/pprg.md).

One module stores, the others ask: the editor saves the OPD's own documents here, the
importer stores what a signed submission carried (``origin="kiriman"``), the reviewer's
verdicts and the verdicts an OPD receives back land in ``pprg_review``. Documents are
kept as canonical JSON so the hash the reviewer's verdict names is the hash of exactly
the bytes that travelled.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pprg import (
    GapDocument,
    GbsDocument,
    Kind,
    PprgError,
    Review,
    ReviewStatus,
    gap_from_dict,
    gbs_from_dict,
)
from app.formats.canonical_json import canonical_bytes
from app.models.db import Database
from app.models.schema import AuditEntry, PprgDocument, PprgReview
from app.services.concurrency import Seen, check_seen, last_change, refused_on_race, version_of

LOCAL = "lokal"
RECEIVED = "kiriman"
ORIGINS = (LOCAL, RECEIVED)

Document = GapDocument | GbsDocument


def kind_of(doc: Document) -> Kind:
    return Kind.GAP if isinstance(doc, GapDocument) else Kind.GBS


def document_bytes(doc: Document) -> bytes:
    return canonical_bytes(doc.to_dict())


def content_hash(doc: Document) -> str:
    """SHA-256 of the canonical bytes: what a review names and a submission carries."""
    return hashlib.sha256(document_bytes(doc)).hexdigest()


def parse_document(kind: Kind | str, data: object) -> Document:
    """A document from its dictionary (stored or received), refused with ``PprgError``."""
    if not isinstance(data, dict):
        raise PprgError("Dokumen PPRG: bentuknya tidak sah.")
    return gap_from_dict(data) if Kind(kind) is Kind.GAP else gbs_from_dict(data)


@dataclass(frozen=True)
class StoredDocument:
    kind: Kind
    origin: str
    document: Document
    content_hash: str
    updated_at: datetime
    updated_by: str
    submission_id: str | None


def _stored(row: PprgDocument) -> StoredDocument:
    return StoredDocument(
        kind=Kind(row.kind),
        origin=row.origin,
        document=parse_document(row.kind, json.loads(row.content)),
        content_hash=row.content_hash,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        submission_id=row.submission_id,
    )


def _row(
    session: Session, kind: Kind, node_key: str, year: int, origin: str
) -> PprgDocument | None:
    return session.scalar(
        select(PprgDocument).where(
            PprgDocument.kind == kind.value,
            PprgDocument.node_key == node_key,
            PprgDocument.year == year,
            PprgDocument.origin == origin,
        )
    )


def save_document(
    db: Database,
    doc: Document,
    user: str,
    *,
    origin: str = LOCAL,
    submission_id: str | None = None,
    now: datetime | None = None,
    seen: Seen | None = None,
) -> StoredDocument:
    """Insert or replace the document of its kind, node, year and origin; audited.

    ``seen`` is the version the editor showed (``app.services.concurrency``): a document
    someone else saved since is refused, naming them; after the save it holds the new one.
    """
    if origin not in ORIGINS:
        raise ValueError(f"unknown origin {origin!r}")
    kind = kind_of(doc)
    data = document_bytes(doc)
    digest = hashlib.sha256(data).hexdigest()
    when = now or datetime.now()

    def winner(session: Session) -> tuple[str | None, datetime | None]:
        found = _row(session, kind, doc.node_key, doc.year, origin)
        return (None, None) if found is None else (found.updated_by, found.updated_at)

    with refused_on_race(db, winner), db.begin() as session:
        row = _row(session, kind, doc.node_key, doc.year, origin)
        check_seen(
            seen,
            row,
            row.updated_by if row else None,
            row.updated_at if row else None,
            gone=lambda: last_change(session, doc.node_key, doc.year, origin),
        )
        old_hash = None if row is None else row.content_hash
        if row is None:
            row = PprgDocument(kind=kind.value, node_key=doc.node_key, year=doc.year, origin=origin)
            session.add(row)
        row.opd_code = doc.opd_code
        row.content = data.decode("utf-8")
        row.content_hash = digest
        row.updated_at, row.updated_by = when, user
        row.submission_id = submission_id
        if old_hash != digest:
            session.add(
                AuditEntry(
                    at=when,
                    user=user,
                    action=f"pprg-{kind.value}",
                    row_key=doc.node_key,
                    year=doc.year,
                    field=origin,
                    old_value=old_hash,
                    new_value=digest,
                )
            )
        session.flush()
        stored = _stored(row)
        written = row.version
    if seen is not None:
        seen.version = written
    return stored


def document_seen(
    session: Session, kind: Kind, node_key: str, year: int, origin: str = LOCAL
) -> Seen:
    """The version of the document an editor is about to show (``Seen(0)``: none yet)."""
    return Seen(version_of(_row(session, kind, node_key, year, origin)))


def load_document(
    session: Session, kind: Kind, node_key: str, year: int, origin: str = LOCAL
) -> StoredDocument | None:
    row = _row(session, kind, node_key, year, origin)
    return None if row is None else _stored(row)


def delete_document(
    db: Database, kind: Kind, node_key: str, year: int, user: str, origin: str = LOCAL
) -> bool:
    with db.begin() as session:
        row = _row(session, kind, node_key, year, origin)
        if row is None:
            return False
        session.add(
            AuditEntry(
                at=datetime.now(),
                user=user,
                action=f"pprg-{kind.value}-hapus",
                row_key=node_key,
                year=year,
                field=origin,
                old_value=row.content_hash,
                new_value=None,
            )
        )
        session.delete(row)
    return True


def list_documents(
    session: Session,
    *,
    origin: str | None = None,
    year: int | None = None,
    opd_codes: Sequence[str] | None = None,
    kind: Kind | None = None,
) -> list[StoredDocument]:
    """Documents in a stable order (OPD, year, node, kind) for lists, boards and exports."""
    query = select(PprgDocument)
    if origin is not None:
        query = query.where(PprgDocument.origin == origin)
    if year is not None:
        query = query.where(PprgDocument.year == year)
    if opd_codes is not None:
        query = query.where(PprgDocument.opd_code.in_(list(opd_codes)))
    if kind is not None:
        query = query.where(PprgDocument.kind == kind.value)
    query = query.order_by(
        PprgDocument.opd_code, PprgDocument.year, PprgDocument.node_key, PprgDocument.kind
    )
    return [_stored(r) for r in session.scalars(query)]


def review_row(
    review: Review, *, received_at: datetime | None = None, file_id: str | None = None
) -> PprgReview:
    """The stored form of a verdict: given here at Pokja, or received back at the OPD."""
    when = datetime.fromisoformat(review.reviewed_at) if review.reviewed_at else datetime.now()
    return PprgReview(
        kind=review.kind.value,
        node_key=review.node_key,
        opd_code=review.opd_code,
        year=review.year,
        content_hash=review.content_hash,
        status=review.status.value,
        remarks=review.remarks,
        reviewer=review.reviewer,
        reviewer_role=review.reviewer_role,
        reviewed_at=when,
        received_at=received_at,
        review_file_id=file_id,
    )


def add_review(
    db: Database, review: Review, *, received_at: datetime | None = None, file_id: str | None = None
) -> None:
    """Record a verdict (history is kept; the latest by time counts)."""
    with db.begin() as session:
        session.add(review_row(review, received_at=received_at, file_id=file_id))


def latest_review(session: Session, kind: Kind, node_key: str, year: int) -> Review | None:
    """The newest verdict on any version of the document (compare its hash to the current)."""
    row = session.scalar(
        select(PprgReview)
        .where(
            PprgReview.kind == kind.value,
            PprgReview.node_key == node_key,
            PprgReview.year == year,
        )
        .order_by(PprgReview.reviewed_at.desc(), PprgReview.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    return Review(
        kind=Kind(row.kind),
        node_key=row.node_key,
        opd_code=row.opd_code,
        year=row.year,
        content_hash=row.content_hash,
        status=ReviewStatus(row.status),
        remarks=row.remarks,
        reviewer=row.reviewer,
        reviewer_role=row.reviewer_role,
        reviewed_at=row.reviewed_at.isoformat(timespec="seconds"),
    )
