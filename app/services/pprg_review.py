"""Reviewing received GAP/GBS at Pokja, and the verdicts travelling back (docs/pprg-review.md).

At Pokja: the list of received documents with their review state, a verdict on the
exact version received (``pprg_store.add_review``), the history, and the signed review
file for one OPD and year (``app/formats/review_package.py``), signed with the key
that signs Pokja's matrix packages. At the OPD: the review file's import, accepted only
when signed by the Pokja key already pinned from a matrix package, and each local
document's latest verdict, which says when it was given for an earlier version.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pprg import (
    KIND_LABELS,
    REVIEW_LABELS,
    REVIEWER_ROLES,
    Kind,
    PprgError,
    Review,
    ReviewStatus,
)
from app.formats import keys
from app.formats.review_package import (
    ReviewFile,
    ReviewFileError,
    read_review_file,
    write_review_file,
)
from app.models.db import Database
from app.models.schema import AuditEntry, Opd, PlanNode, PprgReview, Setting
from app.services import pprg_store
from app.services.pprg_store import LOCAL, RECEIVED, StoredDocument
from app.services.profile import load_profile
from app.services.trust import KeyState, pokja_key_state

ROLE_SETTING = "pprg.reviewer_role"
EARLIER = "telaah untuk versi sebelumnya"
NOT_REVIEWED = "belum ditelaah"


# ------------------------------------------------------------------ who reviews
def reviewer_role(session: Session) -> str:
    """The role this installation reviews as (Pokja PUG unless set to Inspektorat)."""
    row = session.get(Setting, ROLE_SETTING)
    return row.value if row is not None and row.value in REVIEWER_ROLES else "pokja"


def set_reviewer_role(session: Session, role: str) -> None:
    if role not in REVIEWER_ROLES:
        raise PprgError("Peran penelaah harus Pokja PUG atau Inspektorat.")
    session.merge(Setting(key=ROLE_SETTING, value=role))


# ------------------------------------------------------------------ what a document shows
def status_text(kind: Kind, review: Review | None, current_hash: str) -> str:
    """``GBS: diterima``, ``GAP: perlu perbaikan``, ``GBS: belum ditelaah`` or, for a
    verdict on a version since changed, ``GBS: telaah untuk versi sebelumnya (…)``."""
    label = KIND_LABELS[kind]
    if review is None:
        return f"{label}: {NOT_REVIEWED}"
    verdict = REVIEW_LABELS[review.status].lower()
    if review.content_hash != current_hash:
        return f"{label}: {EARLIER} ({verdict})"
    return f"{label}: {verdict}"


@dataclass(frozen=True)
class DocumentState:
    """A stored document with the names a list shows and its latest verdict."""

    stored: StoredDocument
    node_name: str
    opd_name: str
    review: Review | None

    @property
    def kind(self) -> Kind:
        return self.stored.kind

    @property
    def reviewed(self) -> bool:
        """A verdict names this exact version."""
        return self.review is not None and self.review.content_hash == self.stored.content_hash

    @property
    def accepted(self) -> bool:
        return (
            self.reviewed
            and self.review is not None
            and self.review.status is ReviewStatus.DITERIMA
        )

    @property
    def status(self) -> str:
        return status_text(self.kind, self.review, self.stored.content_hash)


def document_states(
    session: Session,
    origin: str,
    *,
    year: int | None = None,
    opd_code: str | None = None,
) -> list[DocumentState]:
    """Documents of ``origin`` (received at Pokja, local at the OPD) with their verdicts."""
    docs = pprg_store.list_documents(
        session, origin=origin, year=year, opd_codes=None if opd_code is None else [opd_code]
    )
    names = dict(
        session.execute(
            select(PlanNode.key, PlanNode.name).where(
                PlanNode.key.in_({d.document.node_key for d in docs})
            )
        ).all()
    )
    opds = dict(session.execute(select(Opd.code, Opd.short_name)).all())
    return [
        DocumentState(
            d,
            names.get(d.document.node_key, d.document.node_key),
            opds.get(d.document.opd_code, d.document.opd_code),
            pprg_store.latest_review(session, d.kind, d.document.node_key, d.document.year),
        )
        for d in docs
    ]


def history(session: Session, kind: Kind, node_key: str, year: int) -> list[PprgReview]:
    """Every verdict on the document, newest first (received ones carry ``received_at``)."""
    return list(
        session.scalars(
            select(PprgReview)
            .where(PprgReview.kind == kind.value, PprgReview.node_key == node_key)
            .where(PprgReview.year == year)
            .order_by(PprgReview.reviewed_at.desc(), PprgReview.id.desc())
        )
    )


# ------------------------------------------------------------------ Pokja's verdict
def review_received(
    db: Database,
    kind: Kind,
    node_key: str,
    year: int,
    status: ReviewStatus,
    remarks: str,
    *,
    reviewer: str,
    role: str | None = None,
    now: datetime | None = None,
) -> Review:
    """Record a verdict on the received version of a document (refused: ``PprgError``)."""
    with db.begin() as session:
        stored = pprg_store.load_document(session, kind, node_key, year, RECEIVED)
        if stored is None:
            raise PprgError("Dokumen ini belum diterima dari Perangkat Daerah.")
        role = role or reviewer_role(session)
    when = (now or datetime.now()).replace(microsecond=0)
    review = Review(
        kind=kind,
        node_key=node_key,
        opd_code=stored.document.opd_code,
        year=year,
        content_hash=stored.content_hash,
        status=status,
        remarks=remarks.strip(),
        reviewer=reviewer,
        reviewer_role=role,
        reviewed_at=when.isoformat(),
    )
    pprg_store.add_review(db, review)
    with db.begin() as session:
        session.add(
            AuditEntry(
                at=when,
                user=reviewer,
                action=f"telaah-{kind.value}",
                row_key=node_key,
                year=year,
                field=role,
                old_value=stored.content_hash,
                new_value=status.value,
            )
        )
    return review


# ------------------------------------------------------------------ the review file
def export_review_file(
    db: Database,
    opd_code: str,
    year: int,
    key: keys.SigningKey,
    out: str | Path,
    *,
    now: datetime | None = None,
) -> int:
    """Write the latest verdict on each received document's current version; the count.

    Raises ``LookupError`` when no received document of the OPD and year was reviewed.
    """
    with db.begin() as session:
        reviews = [
            s.review
            for s in document_states(session, RECEIVED, year=year, opd_code=opd_code)
            if s.reviewed and s.review is not None
        ]
    if not reviews:
        raise LookupError(
            f"Belum ada dokumen PPRG {opd_code} tahun {year} yang ditelaah; tidak ada yang dikirim."
        )
    write_review_file(
        Path(out),
        file_id=str(uuid.uuid4()),
        opd_code=opd_code,
        year=year,
        reviews=reviews,
        key=key,
        created=now or datetime.now(),
    )
    return len(reviews)


@dataclass(frozen=True)
class ReviewImport:
    file: ReviewFile
    added: int
    duplicate: bool = False

    @property
    def message(self) -> str:
        if self.duplicate:
            return "Berkas hasil telaah ini sudah diterima sebelumnya; tidak ada yang diubah."
        return (
            f"Hasil telaah PPRG {self.file.opd_code} tahun {self.file.year} diterima: "
            f"{self.added} dokumen."
        )


def import_review_file(db: Database, path: str | Path, *, user: str = "") -> ReviewImport:
    """Take in Pokja's signed verdicts at the OPD, all or nothing (refused: ReviewFileError)."""
    review_file = read_review_file(path)
    now = datetime.now()
    with db.begin() as session:
        state, _pinned = pokja_key_state(session, review_file.public_key)
        if state is KeyState.NEW:
            raise ReviewFileError(
                "Kunci Pokja PUG belum disematkan di aplikasi ini, sehingga tanda tangan berkas "
                "hasil telaah tidak dapat dipastikan milik Pokja. Impor dulu paket matriks atau "
                "kunci publik dari Pokja PUG."
            )
        if state is not KeyState.KNOWN:
            raise ReviewFileError(
                f"Berkas hasil telaah ditandatangani kunci {keys.grouped(review_file.key_id)}, "
                "bukan kunci Pokja PUG yang disematkan di aplikasi ini; berkas ditolak. "
                "Tanyakan kepada Pokja PUG."
            )
        profile = load_profile(session)
        if profile is not None and profile.is_pokja:
            raise ReviewFileError(
                "Berkas hasil telaah PPRG dikirim Pokja PUG kepada Perangkat Daerah; "
                "basis data Pokja tidak menerimanya."
            )
        if profile is not None and profile.opd_code not in (None, review_file.opd_code):
            raise ReviewFileError(
                f"Berkas hasil telaah ini untuk Perangkat Daerah {review_file.opd_code}, bukan "
                f"{profile.opd_code}; berkas ditolak."
            )
        seen = session.scalar(
            select(PprgReview.id).where(PprgReview.review_file_id == review_file.file_id).limit(1)
        )
        if seen is not None:
            return ReviewImport(review_file, 0, duplicate=True)
        for r in review_file.reviews:
            session.add(pprg_store.review_row(r, received_at=now, file_id=review_file.file_id))
        session.add(
            AuditEntry(
                at=now,
                user=user,
                action="impor-telaah-pprg",
                row_key=None,
                year=review_file.year,
                field=review_file.opd_code,
                old_value=None,
                new_value=f"{review_file.file_id} ({len(review_file.reviews)} telaah)",
            )
        )
    return ReviewImport(review_file, len(review_file.reviews))


def local_status(session: Session, node_key: str, year: int) -> list[str]:
    """The OPD's status lines for a kegiatan's own documents (tree, editor, ARG)."""
    out = []
    for kind in (Kind.GAP, Kind.GBS):
        stored = pprg_store.load_document(session, kind, node_key, year, LOCAL)
        if stored is not None:
            review = pprg_store.latest_review(session, kind, node_key, year)
            out.append(status_text(kind, review, stored.content_hash))
    return out


def panel_states(
    session: Session, node_key: str, year: int, origin: str
) -> list[tuple[str, Review | None]]:
    """For the editor's review panel: each stored document's status line (aware of a
    verdict given for an earlier version) with its latest verdict, GAP then GBS."""
    out: list[tuple[str, Review | None]] = []
    for kind in (Kind.GAP, Kind.GBS):
        stored = pprg_store.load_document(session, kind, node_key, year, origin)
        if stored is None:
            continue
        review = pprg_store.latest_review(session, kind, node_key, year)
        out.append((status_text(kind, review, stored.content_hash), review))
    return out


def local_summary(session: Session, opd_code: str | None, year: int) -> str:
    """The OPD's own documents of the year by state, for the window's status bar:
    ``PPRG: GBS perlu perbaikan 1 · GAP diterima 2``; empty without documents."""
    counts: dict[str, int] = {}
    for st in document_states(session, LOCAL, year=year, opd_code=opd_code):
        counts[st.status.replace(":", "")] = counts.get(st.status.replace(":", ""), 0) + 1
    if not counts:
        return ""
    # What needs the OPD's work first.
    order = sorted(counts, key=lambda k: ("perbaikan" not in k, "sebelumnya" not in k, k))
    return "PPRG: " + " · ".join(f"{k} {counts[k]}" for k in order)


def gbs_line(session: Session, node_key: str, year: int) -> str:
    """Whether a GBS exists for the kegiatan (the OPD's own, else one received by Pokja)
    and its review state, for the ARG question on the GBS as the basis of the KAK/TOR:
    ``GBS: ada (diterima)``, ``GBS: ada (belum ditelaah)``, ``GBS: belum ada``."""
    for origin in (LOCAL, RECEIVED):
        stored = pprg_store.load_document(session, Kind.GBS, node_key, year, origin)
        if stored is not None:
            review = pprg_store.latest_review(session, Kind.GBS, node_key, year)
            state = status_text(Kind.GBS, review, stored.content_hash).split(": ", 1)[1]
            return f"GBS: ada ({state})"
    return "GBS: belum ada"


__all__ = [
    "EARLIER",
    "NOT_REVIEWED",
    "ROLE_SETTING",
    "DocumentState",
    "ReviewImport",
    "document_states",
    "export_review_file",
    "gbs_line",
    "history",
    "import_review_file",
    "local_status",
    "local_summary",
    "panel_states",
    "review_received",
    "reviewer_role",
    "set_reviewer_role",
    "status_text",
]
