"""Comparing two received revisions of an OPD's submission, value by value (no Qt here).

Pokja keeps the canonical content of every file it accepted (``submission.content``),
so when an OPD sends revision 3 the question "what did they change?" is answered from
the two stored contents, not from the database (which only holds the current one).
Only values that differ are listed; the edit stamps (``updated_at``/``updated_by``)
are not values and are ignored, or every re-export would list every row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.arg import ANSWER_LABELS, Answer
from app.domain.numbers import format_number, format_rupiah
from app.models.schema import PlanNode, PlanRow, PokjaCorrection, Submission

REAL_FIELDS = (
    ("total", "Realisasi total"),
    ("male", "Realisasi laki-laki"),
    ("female", "Realisasi perempuan"),
    ("disabled", "Realisasi disabilitas"),
    ("budget", "Pagu anggaran"),
    ("spending", "Realisasi anggaran"),
    ("evidence", "Bukti dukung"),
    ("note", "Catatan"),
)
PROPOSAL_FIELDS = (
    ("text", "Usulan target (teks)"),
    ("total", "Usulan target total"),
    ("male", "Usulan target laki-laki"),
    ("female", "Usulan target perempuan"),
    ("disabled", "Usulan target disabilitas"),
)
SEMESTERS = {"0": "", "1": " (semester I)", "2": " (semester II)"}
_MONEY = {"budget", "spending"}
_NUMBER = {"total", "male", "female", "disabled"}


class RevisionError(ValueError):
    """Two revisions that cannot be compared; the message is Indonesian."""


@dataclass(frozen=True)
class RevisionInfo:
    """A stored revision of one OPD and year, as the chooser lists it."""

    id: int  # submission.id: what compare_revisions takes
    submission_id: str
    revision: int
    created_at: str
    received_at: datetime
    signature_state: str
    current: bool
    file_name: str

    @property
    def label(self) -> str:
        text = f"Revisi {self.revision} — diterima {self.received_at:%d-%m-%Y %H:%M}"
        if self.signature_state == "unsigned":
            text += ", tanpa tanda tangan"
        if self.current:
            text += " (berlaku)"
        return text


@dataclass(frozen=True)
class Change:
    """One value that differs between the old and the new revision."""

    kind: str  # "row" or "arg"
    key: str  # row key or kegiatan (node) key
    label: str  # indicator/activity or kegiatan name, from the database
    field: str  # Indonesian label of the value
    old: str | None  # as stored in the content (None: absent/empty)
    new: str | None
    old_text: str  # for people: Indonesian numbers, Rupiah, answer labels
    new_text: str


def list_revisions(
    session: Session, plan_code: str, opd_code: str, year: int
) -> list[RevisionInfo]:
    """Revisions of ``opd_code`` for ``year`` whose content is stored, oldest first."""
    return [
        RevisionInfo(
            s.id,
            s.submission_id,
            s.revision,
            s.created_at,
            s.received_at,
            s.signature_state,
            s.current,
            s.file_name,
        )
        for s in session.execute(
            select(
                Submission.id,
                Submission.submission_id,
                Submission.revision,
                Submission.created_at,
                Submission.received_at,
                Submission.signature_state,
                Submission.current,
                Submission.file_name,
            )
            .where(
                Submission.plan_code == plan_code,
                Submission.opd_code == opd_code,
                Submission.year == year,
                Submission.signature_state.in_(("signed", "unsigned")),
                Submission.content.is_not(None),
            )
            .order_by(Submission.received_at, Submission.id)
        )
    ]


def _show(name: str, value: str | None) -> str:
    if value is None or value == "":
        return "–"
    if name in _MONEY:
        return format_rupiah(Decimal(value))
    if name in _NUMBER:
        return format_number(Decimal(value))
    return value


def _same(name: str, a: str | None, b: str | None) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if a is None or b is None:
        return False
    if name in _MONEY or name in _NUMBER:
        return Decimal(a) == Decimal(b)  # "5" and "5.0" are the same figure
    return a == b


def _row_changes(
    old_rows: dict[str, dict[str, Any]], new_rows: dict[str, dict[str, Any]], order: list[str]
) -> Iterator[tuple[str, str, str, str | None, str | None]]:
    """(key, field label, value name, old, new) for every differing value of the rows."""
    for key in order:
        o, n = old_rows.get(key, {}), new_rows.get(key, {})
        o_real, n_real = o.get("realisations") or {}, n.get("realisations") or {}
        for sem, suffix in SEMESTERS.items():
            a, b = o_real.get(sem) or {}, n_real.get(sem) or {}
            for name, label in REAL_FIELDS:
                va, vb = a.get(name), b.get(name)
                if not _same(name, va, vb):
                    yield key, label + suffix, name, va, vb
        a, b = o.get("proposed_target") or {}, n.get("proposed_target") or {}
        for name, label in PROPOSAL_FIELDS:
            va, vb = a.get(name), b.get(name)
            if not _same(name, va, vb):
                yield key, label, name, va, vb


def compare_contents(session: Session, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every value that differs from ``old`` to ``new`` (two parsed contents).

    Rows come in plan order, then ARG answers by kegiatan and question; labels are
    read from the database so they follow the plan Pokja has, not the file.
    """
    old_rows = {r["key"]: r for r in old.get("rows", [])}
    new_rows = {r["key"]: r for r in new.get("rows", [])}
    keys = set(old_rows) | set(new_rows)
    labels: dict[str, tuple[int, str]] = {}
    key_list = sorted(keys)
    for start in range(0, len(key_list), 900):
        chunk = key_list[start : start + 900]
        for key, seq, ind, akt in session.execute(
            select(PlanRow.key, PlanRow.seq, PlanRow.indikator, PlanRow.aktivitas).where(
                PlanRow.key.in_(chunk)
            )
        ):
            labels[key] = (seq, ind or akt or "(tanpa uraian)")
    order = sorted(keys, key=lambda k: (labels.get(k, (1 << 30, ""))[0], k))
    out = [
        Change(
            "row",
            key,
            labels.get(key, (0, "(baris tidak dikenal)"))[1],
            label,
            va,
            vb,
            _show(name, va),
            _show(name, vb),
        )
        for key, label, name, va, vb in _row_changes(old_rows, new_rows, order)
    ]

    def answers(c: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
        return {(a["node"], a["question_set"], a["question"]): a for a in c.get("arg", [])}

    old_a, new_a = answers(old), answers(new)
    idents = sorted(set(old_a) | set(new_a))
    node_keys = sorted({i[0] for i in idents})
    names: dict[str, str] = {}
    for start in range(0, len(node_keys), 900):
        chunk = node_keys[start : start + 900]
        for nkey, nname in session.execute(
            select(PlanNode.key, PlanNode.name).where(PlanNode.key.in_(chunk))
        ):
            names[nkey] = nname
    for ident in idents:
        node, _qset, question = ident
        a, b = old_a.get(ident) or {}, new_a.get(ident) or {}
        name = names.get(node, "(kegiatan tidak dikenal)")
        va, vb = a.get("answer"), b.get("answer")
        if va != vb:
            out.append(
                Change(
                    "arg",
                    node,
                    name,
                    f"Jawaban ARG {question}",
                    va,
                    vb,
                    _answer_text(va),
                    _answer_text(vb),
                )
            )
        ra, rb = a.get("remark"), b.get("remark")
        if not _same("remark", ra, rb):
            out.append(
                Change(
                    "arg",
                    node,
                    name,
                    f"Keterangan ARG {question}",
                    ra,
                    rb,
                    _show("remark", ra),
                    _show("remark", rb),
                )
            )
    return out


def _answer_text(value: str | None) -> str:
    if value is None:
        return "–"
    try:
        return ANSWER_LABELS[Answer(value)]
    except ValueError:
        return value


def _content(session: Session, submission: int) -> tuple[Submission, dict[str, Any]]:
    s = session.get(Submission, submission)
    if s is None:
        raise RevisionError("Revisi yang dipilih tidak ada di basis data ini.")
    if s.content is None:
        raise RevisionError(
            f"Isi revisi {s.revision} ({s.file_name}) tidak tersimpan: berkas itu ditolak "
            "atau diterima oleh versi aplikasi yang belum menyimpan isi kiriman."
        )
    value = json.loads(s.content)
    if not isinstance(value, dict):
        raise RevisionError(f"Isi revisi {s.revision} yang tersimpan rusak.")
    return s, value


def compare_revisions(session: Session, old_id: int, new_id: int) -> list[Change]:
    """Differences from stored submission ``old_id`` to ``new_id`` (``submission.id``)."""
    a, old = _content(session, old_id)
    b, new = _content(session, new_id)
    if (a.opd_code, a.year) != (b.opd_code, b.year):
        raise RevisionError(
            "Kedua revisi harus milik Perangkat Daerah dan tahun yang sama "
            f"({a.opd_code} {a.year} dan {b.opd_code} {b.year})."
        )
    return compare_contents(session, old, new)


def corrected_changes(session: Session, submission: int) -> list[Change]:
    """Values Pokja corrected on stored submission ``submission`` and still holds corrected:
    old = what the OPD signed, new = Pokja's value (kind ``"koreksi"``).

    The comparison lists them after the revision changes, so "what did the OPD sign and
    what does Pokja hold now" is answered in the same place.
    """
    labels = dict(REAL_FIELDS)
    out: list[Change] = []
    for c, key, ind, akt in session.execute(
        select(PokjaCorrection, PlanRow.key, PlanRow.indikator, PlanRow.aktivitas)
        .join(PlanRow, PlanRow.id == PokjaCorrection.row_id)
        .where(PokjaCorrection.submission_ref == submission, PokjaCorrection.active.is_(True))
        .order_by(PlanRow.seq, PokjaCorrection.semester, PokjaCorrection.id)
    ):
        field = labels.get(c.field, c.field) + SEMESTERS.get(str(c.semester), "")
        out.append(
            Change(
                "koreksi",
                key,
                ind or akt or "(tanpa uraian)",
                f"{field} — dikoreksi Pokja: {c.reason} ({c.corrected_by or '–'}, "
                f"{c.corrected_at:%d-%m-%Y})",
                c.signed_value,
                c.corrected_value,
                _show(c.field, c.signed_value),
                _show(c.field, c.corrected_value),
            )
        )
    return out


def changes_json(changes: list[Change]) -> list[dict[str, Any]]:
    return [
        {
            "kind": c.kind,
            "key": c.key,
            "label": c.label,
            "field": c.field,
            "old": c.old,
            "new": c.new,
        }
        for c in changes
    ]


__all__ = [
    "Change",
    "RevisionError",
    "RevisionInfo",
    "changes_json",
    "compare_contents",
    "compare_revisions",
    "corrected_changes",
    "list_revisions",
]
