"""Merging one submission's content into Pokja's database (signed or from a fill-in).

``check_scope`` checks that the content's plan, year, OPD, rows and ARG nodes are known
and the OPD's own, and that its rows are exactly the OPD's active rows; ``merge_content``
then replaces the listed rows' realisations and proposed targets and the OPD's ARG
answers for the year (never a realisation of a row the content does not list), writing
every changed realisation value to the audit trail. Both run inside the importer's
transaction; a :class:`Refused` raised here refuses the whole file.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, bindparam, delete, or_, select, update
from sqlalchemy.orm import Session

from app.domain.numbers import decimal_text, text_decimal
from app.formats.arg_questions import load_question_sets
from app.models.schema import (
    ArgAnswer,
    AuditEntry,
    Opd,
    Plan,
    PlanNode,
    PlanRow,
    Realisation,
    Target,
)
from app.services.corrections import end_corrections
from app.services.import_rows import append_rows


class Refused(Exception):
    """A file refused whole; ``reason`` (Indonesian) is shown and logged."""

    def __init__(self, reason: str, state: str | None = None, action: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.state = state  # a signature state worth recording in ``submission``
        # What Pokja can do about it, by the CLI option's name (``import_keys.ACCEPT_KEY``…):
        # the reason reads plainly in the window; the CLI adds its option from this.
        self.action = action


def _ts(v: str | None) -> datetime | None:
    return None if v is None else datetime.fromisoformat(v)


# Built once: every imported file looks both up (see the statements further down).
_OPD_BY_CODE = select(Opd).where(Opd.code == bindparam("b_code"))
_PLAN_BY_CODE = select(Plan).where(Plan.code == bindparam("b_code"))


def check_scope(session: Session, c: dict[str, Any]) -> tuple[Plan, dict[str, int], dict[str, int]]:
    """Plan, year, OPD and every key known; returns the OPD's row and node ids by key."""
    opd_code, year = str(c["opd"]["code"]), int(c["year"])
    opd = session.scalar(_OPD_BY_CODE, {"b_code": opd_code})
    if opd is None:
        raise Refused(f"Perangkat Daerah {opd_code} tidak dikenal di basis data ini.")
    p = c["plan"]
    plan = session.scalar(_PLAN_BY_CODE, {"b_code": p["code"]})
    if plan is None or (plan.start_year, plan.end_year) != (p["start_year"], p["end_year"]):
        raise Refused(
            f"Periode rencana {p['code']} {p['start_year']}–{p['end_year']} tidak dikenal di "
            "basis data ini."
        )
    if year not in plan.years:
        raise Refused(f"Tahun {year} di luar periode {plan.start_year}–{plan.end_year}.")
    # Only the OPD's own rows and the keys the file names are read, never the whole plan:
    # a province plan holds tens of thousands of rows and every file would pay for them.
    row_owner = _owners(
        session,
        select(PlanRow.key, PlanRow.id, PlanRow.opd_id, PlanRow.retired_at).where(
            PlanRow.plan_id == plan.id
        ),
        PlanRow.opd_id == opd.id,
        PlanRow.key,
        [r["key"] for r in c["rows"]],
    )
    rows: dict[str, int] = {}
    for r in c["rows"]:
        got = row_owner.get(r["key"])
        if got is None:
            raise Refused(f"Baris {r['key']} tidak ada di rencana {plan.code}; berkas ditolak.")
        if got[1] != opd.id:
            raise Refused(
                f"Berkas memuat baris milik Perangkat Daerah lain ({r['key']}); "
                "berkas ditolak seluruhnya."
            )
        rows[r["key"]] = got[0]
    active = {
        key for key, (_rid, oid, retired) in row_owner.items() if oid == opd.id and retired is None
    }
    _check_row_set(c, plan, opd, set(rows), active)
    node_owner = _owners(
        session,
        select(PlanNode.key, PlanNode.id, PlanNode.opd_id).where(PlanNode.plan_id == plan.id),
        None,
        PlanNode.key,
        [a["node"] for a in c["arg"]],
    )
    qsets = _question_sets()
    nodes: dict[str, int] = {}
    for a in c["arg"]:
        node = node_owner.get(a["node"])
        if node is None:
            raise Refused(f"Kegiatan {a['node']} tidak ada di rencana {plan.code}.")
        if node[1] != opd.id:
            raise Refused(
                f"Berkas memuat jawaban ARG untuk kegiatan Perangkat Daerah lain ({a['node']}); "
                "berkas ditolak seluruhnya."
            )
        qset = qsets.get(a["question_set"])
        if qset is None:
            raise Refused(f"Set pertanyaan ARG {a['question_set']} tidak dikenal.")
        if a["question"] not in qset[1]:
            raise Refused(f"Pertanyaan ARG {a['question']} tidak ada di {qset[0]}.")
        nodes[a["node"]] = node[0]
    return plan, rows, nodes


def _owners(
    session: Session,
    query: Select[*tuple[Any, ...]],
    own: ColumnElement[bool] | None,
    key: Any,
    named: list[str],
) -> dict[str, tuple[Any, ...]]:
    """Key → (id, OPD id, …) for the plan's items that are the OPD's own (``own``, when
    given) or named by the file, the latter looked up by their unique key in chunks
    (SQLite's variable limit); whatever the file names that is not found stays absent."""
    found: dict[str, tuple[Any, ...]] = {}
    if own is not None:
        found = {k: tuple(rest) for k, *rest in session.execute(query.where(own))}
    others = sorted(set(named) - found.keys())
    for start in range(0, len(others), 900):
        chunk = others[start : start + 900]
        found.update((k, tuple(rest)) for k, *rest in session.execute(query.where(key.in_(chunk))))
    return found


@functools.cache
def _question_sets() -> dict[str, tuple[str, frozenset[str]]]:
    """Version → (version text, question ids) of the shipped ARG question sets.

    Read once per process: the files ship with the app and do not change while it runs,
    and parsing them again for every imported file cost more than the merge itself.
    """
    return {
        v: (qs.version, frozenset(q.id for q in qs.questions))
        for v, qs in load_question_sets().items()
    }


def _some(keys: set[str], n: int = 3) -> str:
    shown = sorted(keys)[:n]
    more = ", …" if len(keys) > n else ""
    return ", ".join(f"'{k}'" for k in shown) + more


def _check_row_set(
    c: dict[str, Any], plan: Plan, opd: Opd, listed: set[str], active: set[str]
) -> None:
    """Refuse content whose rows are not exactly the OPD's active rows.

    A signed file replaces what it lists; a file listing only some rows (or none) would
    otherwise pass as a newer revision while saying nothing about the others. Rows
    retired by a matrix update are extra: the file was made from an older matrix.
    """
    missing, extra = active - listed, listed - active
    if not missing and not extra:
        return
    parts = []
    if missing:
        parts.append(f"{len(missing)} baris {opd.code} tidak ada di berkas ({_some(missing)})")
    if extra:
        parts.append(
            f"{len(extra)} baris di berkas sudah tidak aktif di rencana ini ({_some(extra)})"
        )
    theirs = str(c["plan"].get("data_version") or "")
    version = (
        f" Berkas dibuat dari versi matriks '{theirs}', basis data ini memakai "
        f"'{plan.data_version}'."
        if theirs != (plan.data_version or "")
        else ""
    )
    raise Refused(
        f"Baris dalam berkas tidak sama dengan baris {opd.code} ({opd.name}) di rencana "
        f"{plan.code}: " + "; ".join(parts) + "." + version + " Berkas ditolak seluruhnya "
        "agar data baris yang tidak disebut tidak terhapus. Minta Perangkat Daerah "
        "memperbarui matriks di aplikasinya lalu mengekspor ulang kirimannya."
    )


AUDITED = ("total", "male", "female", "disabled", "budget", "spending", "evidence", "note")


def _audit_text(v: Any) -> str | None:
    if v is None:
        return None
    return decimal_text(v) if isinstance(v, Decimal) else str(v)


def _values(v: Mapping[Any, Any]) -> dict[str, Any]:
    """A realisation's audited fields, empty texts and missing numbers alike."""
    return {f: (v.get(f) or "") if f in ("evidence", "note") else v.get(f) for f in AUDITED}


# The tables themselves, not the mapped classes: a merge writes hundreds of values per
# file with plain SQL. The ORM's bulk insert would restart every version at 1 and split
# the audit trail into one statement per pattern of None values; its UPDATE and DELETE
# first look for matching objects in the session to keep them in step, and none are
# loaded there (the merge's own session holds no realisation, target or answer).
REALISATION = cast(Table, Realisation.__table__)
TARGET = cast(Table, Target.__table__)
ARG_ANSWER = cast(Table, ArgAnswer.__table__)
AUDIT = cast(Table, AuditEntry.__table__)
PROPOSAL = (
    "proposed_text",
    "proposed_total",
    "proposed_male",
    "proposed_female",
    "proposed_disabled",
    "proposed_at",
    "proposed_by",
)

# The statements every file runs, built once. Building a statement and its cache key
# cost a few hundred microseconds of Python each time; a province import runs them
# thousands of times. Parameter names start with "b_" so that none can be taken for a
# column of the UPDATE's table (Core would add it to the SET clause).
_DROP_REALISATIONS = (
    delete(REALISATION)
    .where(
        REALISATION.c.row_id.in_(bindparam("b_rows", expanding=True)),
        REALISATION.c.year == bindparam("b_year"),
    )
    .returning(REALISATION)
)
# Only targets that hold a proposal change (and move their version): rewriting every
# target of the OPD cost each file a row version per target on a server.
_RESET_PROPOSALS = (
    update(TARGET)
    .where(
        TARGET.c.row_id.in_(bindparam("b_rows", expanding=True)),
        TARGET.c.year == bindparam("b_year"),
        or_(TARGET.c.proposed.is_(True), *(TARGET.c[f].is_not(None) for f in PROPOSAL)),
    )
    .values(
        proposed=False,
        proposed_text=None,
        proposed_total=None,
        proposed_male=None,
        proposed_female=None,
        proposed_disabled=None,
        proposed_at=None,
        proposed_by=None,
        version=TARGET.c.version + 1,
    )
)
_DROP_ANSWERS = (
    delete(ARG_ANSWER)
    .where(
        ARG_ANSWER.c.node_id.in_(
            select(PlanNode.id)
            .join(Opd, Opd.id == PlanNode.opd_id)
            .where(PlanNode.plan_id == bindparam("b_plan"), Opd.code == bindparam("b_opd"))
        ),
        ARG_ANSWER.c.year == bindparam("b_year"),
    )
    .returning(
        ARG_ANSWER.c.node_id,
        ARG_ANSWER.c.qset_version,
        ARG_ANSWER.c.question_id,
        ARG_ANSWER.c.version,
    )
)


def merge_content(
    session: Session,
    c: dict[str, Any],
    plan: Plan,
    rows: dict[str, int],
    nodes: dict[str, int],
    *,
    user: str = "",
    now: datetime | None = None,
    action: str = "impor-kiriman",
    also_audit: Sequence[dict[str, Any]] = (),
) -> None:
    """Replace the listed rows' realisations and proposals and the OPD's ARG answers.

    A row absent from ``c`` is never touched. ``c`` is submission content (format v1):
    from a signed package, or built from a fill-in workbook by
    ``fillin_content.fillin_content``. Every realisation value the file changes is
    written to the audit trail, so a row's history shows what an import did;
    ``also_audit`` are the caller's own audit rows (which submission replaced which),
    written after them in the same statement rather than one more round trip.
    """
    opd_code, year = str(c["opd"]["code"]), int(c["year"])
    # Only the rows the content lists are replaced: a row it does not mention keeps its
    # realisations and proposal (check_scope already refuses an incomplete row set).
    keyed = {rows[r["key"]]: r["key"] for r in c["rows"]}
    opd_rows = list(keyed)
    before: dict[tuple[int, int], dict[str, Any]] = {}
    # A replaced realisation continues its version, so a form that showed the one before
    # the import is refused, not fooled by a new row that restarted at 1 (concurrency).
    # Each DELETE returns what it removed: one statement, not a read and then a delete.
    versions: dict[tuple[int, int], int] = {}
    for start in range(0, max(len(opd_rows), 1), 900):
        chunk = opd_rows[start : start + 900]
        bound = {"b_rows": chunk, "b_year": year}
        for x in session.execute(_DROP_REALISATIONS, bound).mappings():
            before[(x["row_id"], x["semester"])] = _values(x)
            versions[(x["row_id"], x["semester"])] = x["version"]
        session.execute(_RESET_PROPOSALS, bound)
    # Every answer of the OPD's kegiatan for the year goes, including kegiatan the file
    # does not answer; their versions continue as realisations' do.
    answered = {
        (nid, qv, qid): v
        for nid, qv, qid, v in session.execute(
            _DROP_ANSWERS, {"b_plan": plan.id, "b_opd": opd_code, "b_year": year}
        )
    }
    # The file's figures replace Pokja's corrections too: say so in the audit trail.
    end_corrections(
        session, plan.id, opd_code, year, user=user, now=now or datetime.now(), why=action
    )
    reals: list[dict[str, Any]] = []
    for r in c["rows"]:
        rid = rows[r["key"]]
        for sem, v in r["realisations"].items():
            reals.append(
                {
                    "row_id": rid,
                    "year": year,
                    "semester": int(sem),
                    "total": text_decimal(v["total"]),
                    "male": text_decimal(v["male"]),
                    "female": text_decimal(v["female"]),
                    "disabled": text_decimal(v["disabled"]),
                    "budget": text_decimal(v["budget"]),
                    "spending": text_decimal(v["spending"]),
                    "evidence": v["evidence"],
                    "note": v["note"],
                    "updated_at": _ts(v["updated_at"]),
                    "updated_by": v["updated_by"],
                    "version": versions.get((rid, int(sem)), 0) + 1,
                }
            )
        p = r["proposed_target"]
        if p is not None:
            session.execute(
                update(TARGET)
                .where(TARGET.c.row_id == rid, TARGET.c.year == year)
                .values(
                    proposed=True,
                    proposed_text=p["text"],
                    proposed_total=text_decimal(p["total"]),
                    proposed_male=text_decimal(p["male"]),
                    proposed_female=text_decimal(p["female"]),
                    proposed_disabled=text_decimal(p["disabled"]),
                    proposed_at=_ts(p["at"]),
                    proposed_by=p["by"],
                    version=TARGET.c.version + 1,
                )
            )
    if reals:
        append_rows(session, REALISATION, reals)
    after = {(r["row_id"], r["semester"]): _values(r) for r in reals}
    empty = _values({})
    audit = [
        {
            "at": now or datetime.now(),
            "user": user,
            "action": action,
            "row_key": keyed.get(rid),
            "year": year if not sem else year * 10 + sem,
            "field": f,
            "old_value": _audit_text(old[f]),
            "new_value": _audit_text(new[f]),
        }
        for (rid, sem) in sorted(before.keys() | after.keys())
        for old, new in [(before.get((rid, sem), empty), after.get((rid, sem), empty))]
        for f in AUDITED
        if old[f] != new[f]
    ]
    audit.extend(also_audit)
    if audit:
        append_rows(session, AUDIT, audit)
    answers = [
        {
            "node_id": nodes[a["node"]],
            "year": year,
            "qset_version": a["question_set"],
            "question_id": a["question"],
            "answer": a["answer"],
            "remark": a["remark"],
            "answered_at": _ts(a["answered_at"]),
            "answered_by": a["answered_by"],
            "version": answered.get((nodes[a["node"]], a["question_set"], a["question"]), 0) + 1,
        }
        for a in c["arg"]
    ]
    if answers:
        append_rows(session, ARG_ANSWER, answers)


__all__ = ["AUDITED", "Refused", "check_scope", "merge_content"]
