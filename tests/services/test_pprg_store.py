"""Storing GAP/GBS documents and reviews: replace by key, hash of what travels, history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.pprg import GapDocument, GbsComponent, GbsDocument, Kind, Review, ReviewStatus
from app.models.db import Database
from app.models.schema import AuditEntry, PprgDocument
from app.services import pprg_store


def _gap(text: str = "Program Kesehatan") -> GapDocument:
    return GapDocument(node_key="n-1", opd_code="DINKES", year=2025, policy=text)


def test_save_replaces_by_kind_node_year_origin_and_audits_changes(syn_db: Database) -> None:
    first = pprg_store.save_document(syn_db, _gap(), "Ani")
    again = pprg_store.save_document(syn_db, _gap(), "Ani")
    changed = pprg_store.save_document(syn_db, _gap("Program Gizi"), "Budi")
    received = pprg_store.save_document(
        syn_db, _gap(), "Pokja", origin=pprg_store.RECEIVED, submission_id="s-1"
    )
    with syn_db.begin() as s:
        assert s.scalar(select(func.count()).select_from(PprgDocument)) == 2
        audits = s.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "pprg-gap")
        )
        local = pprg_store.load_document(s, Kind.GAP, "n-1", 2025)
    assert first.content_hash == again.content_hash != changed.content_hash
    assert audits == 3  # first save, the change, the received copy; not the repeat
    assert local is not None and local.document.policy == "Program Gizi"
    assert local.updated_by == "Budi"
    assert received.submission_id == "s-1"
    assert received.content_hash == pprg_store.content_hash(_gap())


def test_gbs_round_trips_with_budgets(syn_db: Database) -> None:
    gbs = GbsDocument(
        node_key="n-1",
        opd_code="DINKES",
        year=2025,
        components=(GbsComponent("Pelatihan", Decimal("1250000")),),
    )
    pprg_store.save_document(syn_db, gbs, "Ani")
    with syn_db.begin() as s:
        stored = pprg_store.load_document(s, Kind.GBS, "n-1", 2025)
        listed = pprg_store.list_documents(s, kind=Kind.GBS, year=2025)
    assert stored is not None and stored.document == gbs
    assert [d.document for d in listed] == [gbs]


def test_latest_review_is_the_newest_verdict(syn_db: Database) -> None:
    digest = pprg_store.content_hash(_gap())
    for when, status, remark in (
        ("2026-01-05T10:00:00", "perlu_perbaikan", "Lengkapi data"),
        ("2026-02-01T09:00:00", "diterima", ""),
    ):
        pprg_store.add_review(
            syn_db,
            Review(
                kind=Kind.GAP,
                node_key="n-1",
                opd_code="DINKES",
                year=2025,
                content_hash=digest,
                status=ReviewStatus(status),
                remarks=remark,
                reviewed_at=when,
            ),
        )
    with syn_db.begin() as s:
        latest = pprg_store.latest_review(s, Kind.GAP, "n-1", 2025)
        none = pprg_store.latest_review(s, Kind.GBS, "n-1", 2025)
    assert latest is not None and latest.status is ReviewStatus.DITERIMA
    assert datetime.fromisoformat(latest.reviewed_at) == datetime(2026, 2, 1, 9)
    assert none is None


def test_delete_removes_only_the_named_document(syn_db: Database) -> None:
    pprg_store.save_document(syn_db, _gap(), "Ani")
    pprg_store.save_document(syn_db, _gap(), "Pokja", origin=pprg_store.RECEIVED)
    assert pprg_store.delete_document(syn_db, Kind.GAP, "n-1", 2025, "Ani")
    assert not pprg_store.delete_document(syn_db, Kind.GAP, "n-1", 2025, "Ani")
    with syn_db.begin() as s:
        assert pprg_store.load_document(s, Kind.GAP, "n-1", 2025) is None
        assert pprg_store.load_document(s, Kind.GAP, "n-1", 2025, pprg_store.RECEIVED)
