"""Gathering a report's data: figures, summary, hierarchy lines, regency completeness."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.domain.arg import Answer
from app.domain.breakdown import Breakdown
from app.domain.realisation import parse_realisation
from app.formats.arg_questions import current_question_set
from app.models.db import Database
from app.services import catalog, entry
from app.services.arg_store import assessable_nodes, save_answer
from app.services.profile import Profile
from app.services.report_data import ReportCancelled, build_report, hierarchy_changes
from app.services.signatory import Signatory

YEAR = 2023


def _fill(db: Database) -> tuple[list, object]:
    with db.begin() as s:
        plan = catalog.get_plan(s)
        opd = catalog.opds(s)[0]
        all_rows = catalog.load_rows(s, plan.id, opd.id)
    rows = [r for r in all_rows if "%" not in r.satuan]  # people, not percentages
    entry.save_realisation(
        db,
        rows[0].id,
        YEAR,
        parse_realisation(
            {
                "male": "6",
                "female": "3",
                "disabled": "1",
                "budget": "1.000.000",
                "spending": "750.000",
            }
        ),
        "u",
    )
    entry.save_realisation(db, rows[1].id, YEAR, parse_realisation({"female": "10"}), "u")
    entry.propose_target(db, rows[1].id, YEAR, "20 orang", Breakdown(Decimal(20)), "u")
    return [rows[0], rows[1], all_rows], opd


def test_opd_report_figures(syn_db: Database) -> None:
    (one, two, rows), opd = _fill(syn_db)
    with syn_db.begin() as s:
        d = build_report(
            s,
            YEAR,
            catalog.find_opd(s, opd.code),
            signatory=Signatory("Budi", "197001011990031005", ""),
            preparer=Profile("focal_point", "Siti", "198001012005012003", opd.code, YEAR),
            report_date=date(2023, 1, 16),
        )
    assert d.kind == "opd" and not d.is_regency
    assert [r.key for r in d.rows] == [r.key for r in rows]
    by_key = {r.key: r for r in d.rows}
    first, second = by_key[one.key], by_key[two.key]
    assert first.realisation == Breakdown(Decimal(10), Decimal(6), Decimal(3), Decimal(1))
    assert first.absorption == Decimal("75.00")
    assert second.target.proposed and second.target.proposed_text == "20 orang"
    assert second.achievement == Decimal("50.00")  # against the proposed target
    m = d.summary
    assert m.rows == len(rows) and m.filled == 2 and m.proposed_targets == 1
    assert m.beneficiaries.total == 20 and m.share_female == Decimal("65.00")
    assert m.share_disabled == Decimal("5.00")
    assert m.budget == 1_000_000 and m.absorption == Decimal("75.00")
    assert sum(m.bands.values()) == m.rows
    sig = d.signature
    assert sig.place_date == "Lumajang, 16 Januari 2023"
    assert sig.signer.position == f"Kepala {opd.name}"
    assert sig.preparer is not None and sig.preparer.position.startswith("Focal Point PUG")


def test_regency_completeness_adds_up(syn_db: Database) -> None:
    _fill(syn_db)
    qset = current_question_set()
    with syn_db.begin() as s:
        node = assessable_nodes(s, catalog.get_plan(s).id)[0]
    for q in qset.questions:
        save_answer(syn_db, node.id, YEAR, qset, q.id, Answer.YA, "", "u")
    with syn_db.begin() as s:
        d = build_report(s, YEAR)
    assert d.is_regency and d.opd_name is None
    assert sum(c.summary.rows for c in d.completeness) == d.summary.rows
    assert sum(c.summary.filled for c in d.completeness) == d.summary.filled == 2
    assert d.summary.arg_classes == {"Responsif Gender": 1}
    assert d.instruments == []  # the regency report shows the recap, not every answer
    assert d.signature.signer.position == "Ketua Pokja PUG Kabupaten Lumajang"


def test_hierarchy_lines_print_from_the_first_change(syn_db: Database) -> None:
    with syn_db.begin() as s:
        d = build_report(s, YEAR)
    a = d.rows[0]
    assert [lbl for lbl, _ in hierarchy_changes(None, a)][:2] == ["Misi", "Tujuan"]
    assert hierarchy_changes(a, a) == []
    b = replace(a, path={**a.path, "sub_kegiatan": "Lain"})
    assert hierarchy_changes(a, b) == [("Sub Kegiatan", "Lain")]
    c = replace(a, opd_code="LAIN")
    assert [lbl for lbl, _ in hierarchy_changes(a, c)] == ["Program", "Kegiatan", "Sub Kegiatan"]


def test_cancel_and_year_checks(syn_db: Database) -> None:
    with syn_db.begin() as s, pytest.raises(ReportCancelled):
        build_report(s, YEAR, cancelled=lambda: True)
    with syn_db.begin() as s, pytest.raises(ValueError, match="periode"):
        build_report(s, 2030)
