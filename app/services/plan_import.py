"""Pokja brings a plan in from a matrix workbook: preview it, then import it as a new plan.

The workbook is read by ``formats.plan_workbook`` (untrusted, database-free); here the
OPD names it writes are matched to the catalogue (ignoring case, spacing and
punctuation, with close names suggested), rows get stable keys, and the plan is written
in one transaction by the same loader as the shipped plans (``seeding.load_plan``), so an
imported plan is held exactly like the official one. Nothing is written by a preview.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.formats.plan_workbook import PlanWorkbook, RowProblem, read_plan_workbook
from app.models.db import Database
from app.models.schema import Opd, OpdAlias, Plan, PlanRow
from app.reports.plan_workbook_xlsx import write_plan_workbook
from app.services.matrix_state import plan_data
from app.services.region import load_region
from app.services.seeding import load_plan

CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
KEY_FIELDS = ("program", "kegiatan", "sub_kegiatan", "aktivitas", "indikator", "satuan")


# A suggestion at least this alike (difflib ratio of the normalised names) is preselected.
CONFIDENT_MATCH = 0.85


class PlanImportError(ValueError):
    """An import refused as a whole (the message, Indonesian, says what to do)."""


@dataclass(frozen=True)
class OpdMatch:
    """One OPD name as the workbook writes it, and what it was matched to."""

    written: str
    rows: int
    code: str | None = None  # None: not in the catalogue
    name: str | None = None
    suggestions: tuple[str, ...] = ()
    # How alike the first suggestion is (0..1). Only a near-identical spelling is offered
    # as the default: "Badan Riset dan Inovasi Daerah" is 0.7 alike "Badan Pajak dan
    # Retribusi Daerah", and mapping a new agency's rows onto another is worse than asking.
    closeness: float = 0.0

    @property
    def confident(self) -> bool:
        return bool(self.suggestions) and self.closeness >= CONFIDENT_MATCH


@dataclass
class PlanPreview:
    """What an import would bring in; nothing has been written."""

    workbook: PlanWorkbook
    opds: list[OpdMatch] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.workbook.data["rows"])

    @property
    def period(self) -> tuple[int, int]:
        p = self.workbook.data["plan"]
        return int(p["start_year"]), int(p["end_year"])

    @property
    def problems(self) -> list[RowProblem]:
        return self.workbook.problems

    @property
    def unknown(self) -> list[OpdMatch]:
        return [m for m in self.opds if m.code is None]


@dataclass(frozen=True)
class PlanImported:
    code: str
    title: str
    rows: int
    created_opds: tuple[str, ...]
    period: tuple[int, int] = (0, 0)
    aliases: tuple[str, ...] = ()  # written names kept as aliases of existing OPDs


@dataclass(frozen=True)
class ImportContext:
    """What a window needs beside the preview: the OPDs to map to, the plan codes
    already taken, and the region's name (the default of a new plan's region)."""

    opds: tuple[tuple[str, str], ...]  # (code, name), by name
    plan_codes: frozenset[str]
    region: str


def import_context(session: Session) -> ImportContext:
    opds = tuple((o.code, o.name) for o in session.scalars(select(Opd).order_by(Opd.name)))
    codes = frozenset(session.scalars(select(Plan.code)))
    return ImportContext(opds, codes, load_region(session).full_name)


def code_problem(code: str, taken: frozenset[str] | set[str] = frozenset()) -> str | None:
    """Why ``code`` cannot name a new plan (Indonesian), or None when it can."""
    code = code.strip()
    if not CODE_RE.fullmatch(code):
        return (
            "Kode rencana hanya boleh huruf, angka, titik, garis bawah dan tanda hubung "
            "(paling banyak 64), diawali huruf atau angka."
        )
    if code in taken:
        return (
            f"Rencana dengan kode {code} sudah ada; pilih kode lain. Rencana yang ada tidak diubah."
        )
    return None


def opd_key(text: str) -> str:
    """An OPD name compared: case, spacing and punctuation ignored."""
    return re.sub(r"[\W_]+", "", text.casefold())


def catalogue(session: Session) -> dict[str, Opd]:
    """Every known spelling of every OPD (name, short name, code, aliases) → the OPD."""
    out: dict[str, Opd] = {}
    # The aliases come with the OPDs in one more query, not one per OPD (1,254 in a province).
    for opd in session.scalars(select(Opd).options(selectinload(Opd.aliases)).order_by(Opd.code)):
        for text in (opd.name, opd.short_name, opd.code, *(a.variant for a in opd.aliases)):
            out.setdefault(opd_key(text or ""), opd)
    out.pop("", None)
    return out


def match_opds(session: Session, written: Counter[str]) -> list[OpdMatch]:
    known = catalogue(session)
    names = sorted({o.name for o in known.values()})
    by_key = {opd_key(n): n for n in names}
    out: list[OpdMatch] = []
    for text, n in sorted(written.items()):
        opd = known.get(opd_key(text))
        if opd is not None:
            out.append(OpdMatch(text, n, opd.code, opd.name))
            continue
        key = opd_key(text)
        close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
        ratio = difflib.SequenceMatcher(None, key, close[0]).ratio() if close else 0.0
        out.append(OpdMatch(text, n, suggestions=tuple(by_key[k] for k in close), closeness=ratio))
    return out


def preview_plan(
    session: Session, path: Path, override: Mapping[str, int | None] | None = None
) -> PlanPreview:
    """Read the workbook and match its OPDs; raises only ``SubmissionError`` for the file."""
    workbook = read_plan_workbook(path, override)
    written = Counter(r["opd"] for r in workbook.data["rows"])
    return PlanPreview(workbook, match_opds(session, written))


def default_title(region: str, start: int, end: int) -> str:
    return f"Rencana Aksi Daerah Pengarusutamaan Gender {region} {start}–{end}"


def row_key(code: str, row: dict[str, Any]) -> str:
    """Stable: the plan code and the row's own words, so a re-import makes the same keys;
    the plan code keeps keys of two plans apart (row keys are unique in the database)."""
    base = "\x1f".join([code, row["opd"], *(row[f] for f in KEY_FIELDS)]).casefold()
    return "rp-" + hashlib.sha1(base.encode("utf-8")).hexdigest()[:12]


def _new_opd_code(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")[:40] or "OPD"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def import_plan(
    db: Database,
    path: Path,
    *,
    code: str,
    region: str,
    title: str | None = None,
    create_opds: bool = False,
    override: Mapping[str, int | None] | None = None,
    opd_choices: Mapping[str, str | None] | None = None,
) -> PlanImported:
    """Import the workbook as a new plan ``code`` in one transaction.

    Refuses an existing code, and OPD names not in the catalogue unless decided:
    ``opd_choices`` maps a written name to an existing OPD code (the spelling is then
    kept as an alias of that OPD, so the next import matches it by itself) or to None
    (a new OPD under its written name); ``create_opds`` creates every name left
    undecided. Rows the reader left out stay out; the caller has shown them with the
    preview.
    """
    code = code.strip()
    region = " ".join(region.split())
    if (bad := code_problem(code)) is not None:
        raise PlanImportError(bad)
    if not region:
        raise PlanImportError('Nama daerah wajib diisi (misalnya "Kabupaten Contoh").')
    with db.begin() as session:
        if session.scalar(select(Plan.id).where(Plan.code == code)) is not None:
            raise PlanImportError(str(code_problem(code, {code})))
        preview = preview_plan(session, path, override)
        data = preview.workbook.data
        start, end = preview.period
        codes: dict[str, str | None] = {m.written: m.code for m in preview.opds if m.code}
        choices = opd_choices or {}
        unknown: list[OpdMatch] = []  # each becomes a new OPD under its written name
        undecided: list[OpdMatch] = []
        aliased: list[str] = []
        for m in preview.unknown:
            if m.written in choices and choices[m.written] is not None:
                codes[m.written] = _alias_to(session, m.written, str(choices[m.written]))
                aliased.append(m.written)
            elif m.written in choices or create_opds:
                unknown.append(m)
            else:
                undecided.append(m)
        if undecided:
            raise PlanImportError(
                "Perangkat Daerah berikut tidak ada di katalog: "
                + "; ".join(_unknown_text(m) for m in undecided)
                + ". Perbaiki namanya di buku kerja, atau impor dengan pilihan membuat OPD baru."
            )
        taken = set(session.scalars(select(Opd.code)))
        new_opds = []
        for m in unknown:
            new = _new_opd_code(m.written, taken)
            codes[m.written] = new
            new_opds.append({"code": new, "name": m.written, "short": m.written[:120]})
        rows = _keyed_rows(session, code, data["rows"], codes)
        plan_title = " ".join((title or "").split()) or default_title(region, start, end)
        load_plan(
            session,
            {
                **data,
                "plan": {
                    **data["plan"],
                    "code": code,
                    "title": plan_title,
                    "source": f"Diimpor dari buku kerja {Path(path).name} ({region})",
                },
                "opds": new_opds,
                "rows": rows,
            },
            "xlsx:" + _file_digest(Path(path)),
        )
    return PlanImported(
        code,
        plan_title,
        len(rows),
        tuple(o["code"] for o in new_opds),
        (start, end),
        tuple(aliased),
    )


def export_plan(session: Session, code: str, path: Path) -> int:
    """Write plan ``code`` as a matrix workbook (the layout ``import_plan`` reads); rows."""
    plan = session.scalar(select(Plan).where(Plan.code == code))
    if plan is None:
        raise PlanImportError(f"Rencana dengan kode {code} tidak ada di basis data ini.")
    data = plan_data(session, plan)
    write_plan_workbook(data, path)
    return len(data["rows"])


def _alias_to(session: Session, written: str, opd_code: str) -> str:
    """Map ``written`` to the existing OPD ``opd_code`` and keep the spelling as its alias,
    so ``catalogue`` (hence the next preview) matches it without asking again."""
    opd = session.scalar(select(Opd).where(Opd.code == opd_code))
    if opd is None:
        raise PlanImportError(
            f"Perangkat Daerah dengan kode {opd_code} (pilihan untuk '{written}') tidak ada "
            "di katalog; pilih lagi di langkah pencocokan OPD."
        )
    if opd_key(written) not in {opd_key(a.variant) for a in opd.aliases}:
        session.add(OpdAlias(opd=opd, variant=written))
    return opd.code


def _unknown_text(m: OpdMatch) -> str:
    if m.suggestions:
        return f"{m.written} (mungkin: {', '.join(m.suggestions)})"
    return m.written


def _keyed_rows(
    session: Session, code: str, rows: list[dict[str, Any]], codes: Mapping[str, str | None]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for seq, r in enumerate(rows, start=1):
        row = {k: v for k, v in r.items() if k != "sheet_row"}
        row["opd"] = codes[r["opd"]]
        key = row_key(code, row)
        seen[key] += 1
        row["key"] = key if seen[key] == 1 else f"{key}-{seen[key]}"
        row["seq"] = seq
        row["seed_line"] = r["sheet_row"]
        out.append(row)
    taken = set(
        session.scalars(select(PlanRow.key).where(PlanRow.key.in_([r["key"] for r in out])))
    )
    for row in out:  # only a hash collision with another plan's row can land here
        if row["key"] in taken:
            row["key"] = f"{row['key']}-{hashlib.sha1(code.encode()).hexdigest()[:6]}"
    return out


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


__all__ = [
    "ImportContext",
    "OpdMatch",
    "PlanImportError",
    "PlanImported",
    "PlanPreview",
    "catalogue",
    "code_problem",
    "default_title",
    "export_plan",
    "import_context",
    "import_plan",
    "match_opds",
    "opd_key",
    "preview_plan",
    "row_key",
]
