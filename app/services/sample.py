"""Plausible realisations and ARG answers on a seeded database, for demos and tests.

Used by ``bench/bench_reports.py``, ``tools/report_images.py`` and the report tests,
so the printed examples in ``docs/`` show the same kind of figures a focal point
enters. Deterministic for a given seed. Writes in one transaction (thousands of rows in
well under a second); the window's single-edit path is ``app.services.entry``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.domain.arg import Answer, QuestionSet
from app.formats.arg_questions import current_question_set
from app.models.db import Database
from app.models.schema import ArgAnswer, Realisation, Target
from app.services import catalog
from app.services.arg_store import assessable_nodes

EVIDENCE = (
    "Daftar hadir peserta dan notulen kegiatan",
    "Laporan kegiatan, dokumentasi foto, SK tim pelaksana",
    "Rekap data terpilah per desa; surat pertanggungjawaban (SPJ) anggaran",
    "Berita acara serah terima bantuan kepada penerima manfaat",
    "",
)


@dataclass(frozen=True)
class SampleStats:
    realisations: int
    proposals: int
    instruments: int


def _split(total: int, rng: random.Random, shares: tuple[float, float, float]) -> tuple[int, ...]:
    male = int(total * shares[0])
    disabled = int(total * shares[2])
    return male, total - male - disabled, disabled


def fill_sample(
    db: Database,
    year: int,
    *,
    full_opds: tuple[str, ...] = ("DINSOS-PPPA",),
    others: float = 0.3,
    arg_nodes: int = 6,
    proposals: int = 2,
    seed: int = 1,
    user: str = "contoh",
) -> SampleStats:
    """Fill every row of ``full_opds`` and a share ``others`` of the remaining rows."""
    rng = random.Random(seed)
    now = datetime(year, 12, 20, 10, 0)
    qset: QuestionSet = current_question_set()
    n_real = n_prop = n_arg = 0
    with db.begin() as s:
        plan = catalog.get_plan(s)
        rows = catalog.load_rows(s, plan.id)
        targets = {
            t.row_id: t
            for t in s.scalars(select(Target).join(Target.row).where(Target.year == year))
        }
        for r in rows:
            if r.opd_code not in full_opds and rng.random() >= others:
                continue
            t = targets.get(r.id)
            goal = t.breakdown.effective_total if t is not None else None
            if goal is None:
                goal = Decimal(rng.randint(5, 120))
            factor = Decimal(str(rng.choice((0.5, 0.7, 0.85, 0.95, 1.0, 1.0, 1.1, 1.25))))
            rec = Realisation(row_id=r.id, year=year, semester=0)
            if (t is not None and t.is_percent) or "%" in r.satuan:
                rec.total = min(Decimal(100), (goal * factor).quantize(Decimal("0.01")))
            else:
                total = max(1, int(goal * factor))
                shares = (0.45, 0.52, 0.03)
                if t is not None and t.breakdown.has_parts and t.breakdown.parts_sum:
                    ps = t.breakdown.parts_sum
                    shares = (
                        float((t.breakdown.male or 0) / ps),
                        float((t.breakdown.female or 0) / ps),
                        float((t.breakdown.disabled or 0) / ps),
                    )
                m, f, d = _split(total, rng, shares)
                rec.total, rec.male, rec.female, rec.disabled = (
                    Decimal(total),
                    Decimal(m),
                    Decimal(f),
                    Decimal(d),
                )
            budget = rng.randrange(5_000_000, 750_000_000, 250_000)
            rec.budget = Decimal(budget)
            rec.spending = Decimal(int(budget * rng.uniform(0.55, 1.0)) // 1000 * 1000)
            rec.evidence = rng.choice(EVIDENCE)
            rec.note = "" if rng.random() < 0.8 else "Pelaksanaan bergeser ke triwulan IV."
            rec.updated_at, rec.updated_by = now, user
            s.add(rec)
            n_real += 1
            if n_prop < proposals and t is not None and t.total and r.opd_code in full_opds:
                new_total = t.total + 5
                t.proposed = True
                t.proposed_text = f"{new_total.normalize():f} orang (usulan perubahan)"
                t.proposed_total = new_total
                t.proposed_at, t.proposed_by = now, user
                n_prop += 1
        nodes = [n for n in assessable_nodes(s, plan.id) if n.opd_code in full_opds]
        patterns = (
            lambda i: Answer.YA,
            lambda i: Answer.YA if i % 3 else Answer.TIDAK,
            lambda i: Answer.TIDAK if i % 2 else Answer.YA,
            lambda i: Answer.TIDAK_DAPAT if i == 4 else Answer.YA,
        )
        for k, node in enumerate(nodes[:arg_nodes]):
            questions = qset.questions
            if k == arg_nodes - 1:
                questions = questions[:9]  # one instrument left half done
            pattern = patterns[k % len(patterns)]
            for i, q in enumerate(questions):
                a = pattern(i)
                remark = (
                    "TOR belum disusun; menunggu DPA perubahan" if a is Answer.TIDAK_DAPAT else ""
                )
                s.add(
                    ArgAnswer(
                        node_id=node.id,
                        year=year,
                        qset_version=qset.version,
                        question_id=q.id,
                        answer=a.value,
                        remark=remark,
                        answered_at=now,
                        answered_by=user,
                    )
                )
            n_arg += 1
    return SampleStats(n_real, n_prop, n_arg)
