"""Loading the official plans shipped in ``resources/plans`` into a new database.

The data files are produced by the converters in ``tools/`` from the seed documents; this
module only trusts their shape (checked here) and writes them in one transaction, so a
database either has the whole official matrix or none of it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.numbers import text_decimal
from app.formats.plan_data import (
    HIERARCHY,
    OPD_LEVELS,
    PLAN_FORMAT,
    RENSTRA_FIGURE_FIELDS,
    RENSTRA_TEXT_FIELDS,
)
from app.models.db import Database
from app.models.schema import Opd, OpdAlias, Plan, PlanNode, PlanRow, Setting, Target
from app.resources import resource
from app.services.region import ensure_region


class SeedError(RuntimeError):
    pass


def plan_files() -> list[Path]:
    folder = resource("plans")
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".review.json"))


def node_key(plan_code: str, level: str, opd_code: str | None, path: Iterable[str]) -> str:
    """Deterministic from the document's own words, so every installation agrees."""
    raw = "\x1f".join([plan_code, level, opd_code or "", *path]).casefold()
    return "n-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:14]


def ensure_opds(session: Session, entries: Iterable[dict[str, Any]]) -> dict[str, Opd]:
    """Insert or complete the canonical OPD list; returns OPDs by code."""
    by_code = {o.code: o for o in session.scalars(select(Opd))}
    for e in entries:
        opd = by_code.get(e["code"])
        if opd is None:
            opd = Opd(code=e["code"], name=e["name"], short_name=e.get("short") or e["name"])
            session.add(opd)
            by_code[opd.code] = opd
        known = {a.variant for a in opd.aliases}
        for v in e.get("variants", []):
            if v not in known:
                opd.aliases.append(OpdAlias(variant=v))
                known.add(v)
    session.flush()
    return by_code


# The PlanRow attribute that holds each Renstra text key of the plan data.
RENSTRA_ROW_ATTRIBUTES = {f: f for f in RENSTRA_TEXT_FIELDS} | {"unit_name": "responsible_unit"}


def _renstra_row_fields(r: dict[str, Any]) -> dict[str, Any]:
    """Only the Renstra keys a row has; RAD PUG rows leave these columns NULL."""
    out: dict[str, Any] = {
        RENSTRA_ROW_ATTRIBUTES[f]: r[f] for f in RENSTRA_TEXT_FIELDS if r.get(f) is not None
    }
    for f in RENSTRA_FIGURE_FIELDS:
        fig = r.get(f)
        if fig is None:
            continue
        if not isinstance(fig, dict):
            fig = {"text": str(fig), "value": fig}
        out[f"{f}_text"] = fig.get("text") or ""
        out[f] = text_decimal(fig.get("value"))
    return out


def _target_budget_fields(t: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if t.get("budget_text") is not None:
        out["budget_text"] = t["budget_text"]
    if t.get("budget") is not None:
        out["budget"] = text_decimal(t["budget"])
    return out


def load_plan(session: Session, data: dict[str, Any], data_version: str) -> Plan:
    if data.get("format") != PLAN_FORMAT or data.get("format_version") != 1:
        raise SeedError("Berkas rencana tidak dikenali (format atau versi format salah).")
    p = data["plan"]
    plan = Plan(
        code=p["code"],
        kind=p["kind"],
        title=p["title"],
        start_year=int(p["start_year"]),
        end_year=int(p["end_year"]),
        source=p.get("source", ""),
        data_version=data_version,
    )
    session.add(plan)
    session.flush()
    opds = ensure_opds(session, data.get("opds", []))
    nodes: dict[str, PlanNode] = {}
    years = plan.years
    for seq, r in enumerate(data["rows"], start=1):
        opd_code = r["opd"]
        if opd_code not in opds:
            raise SeedError(f"Baris {r.get('key')} menyebut OPD yang tidak dikenal: {opd_code}")
        opd = opds[opd_code]
        # A Renstra's hierarchy belongs to the agency as a whole (Sekretariat Daerah)
        # while each row belongs to the Bagian that answers for it: "node_opd" names the
        # owner of program … sub kegiatan; RAD PUG rows leave it out (owner = row's OPD).
        node_opd = r.get("node_opd") or opd_code
        if node_opd not in opds:
            raise SeedError(f"Baris {r.get('key')} menyebut OPD yang tidak dikenal: {node_opd}")
        parent: PlanNode | None = None
        path: list[str] = []
        for level in HIERARCHY:
            name = (r.get(level) or "").strip()
            if not name:
                continue
            path.append(name)
            owner = node_opd if level in OPD_LEVELS else None
            key = node_key(plan.code, level, owner, path)
            node = nodes.get(key)
            if node is None:
                node = PlanNode(
                    plan_id=plan.id,
                    parent=parent,
                    level=level,
                    key=key,
                    name=name,
                    code=r.get(f"{level}_code"),
                    opd_id=opds[owner].id if owner else None,
                    position=len(nodes),
                )
                session.add(node)
                nodes[key] = node
            parent = node
        share = r.get("share") or {}
        row = PlanRow(
            plan_id=plan.id,
            key=r["key"],
            node=parent,
            opd_id=opd.id,
            seq=int(r.get("seq", seq)),
            no=str(r.get("no") or ""),
            aktivitas=r.get("aktivitas") or "",
            indikator=r.get("indikator") or "",
            satuan=r.get("satuan") or "",
            polarity=r.get("polarity") or "higher",
            keterangan=r.get("keterangan") or "",
            opd_text=r.get("opd_text"),
            seed_line=r.get("seed_line"),
            share_male=text_decimal(share.get("male")),
            share_female=text_decimal(share.get("female")),
            share_disabled=text_decimal(share.get("disabled")),
            **_renstra_row_fields(r),
        )
        targets = r.get("targets") or {}
        for year in years:
            t = targets.get(str(year)) or {}
            row.targets.append(
                Target(
                    year=year,
                    text=t.get("text") or "",
                    is_percent=bool(t.get("is_percent")),
                    total=text_decimal(t.get("total")),
                    male=text_decimal(t.get("male")),
                    female=text_decimal(t.get("female")),
                    disabled=text_decimal(t.get("disabled")),
                    **_target_budget_fields(t),
                )
            )
        session.add(row)
    session.flush()
    return plan


# Setting that holds the fingerprint of the shipped data last seeded into this database.
SEED_SETTING = "seed.fingerprint"
# Raised when what seeding writes changes, so every database is completed once more.
SEED_LOGIC = 1


def ensure_seeded(db: Database, files: Iterable[Path] | None = None) -> list[str]:
    """Load every shipped plan the database does not have yet; returns the codes loaded.

    Every start calls this. The shipped data already seeded into this database (its
    fingerprint stored in ``setting``) makes that one read and one query: completing the
    OPD list alias by alias and parsing the plan files, about a tenth of a second of the
    window's cold start (issue 14), is done only for data this database has not seen.
    (So a shipped OPD name variant removed in the catalogue stays removed.)
    """
    plans = sorted(files) if files is not None else plan_files()
    opd_file = resource("opd_lumajang.json")
    fingerprint = seed_fingerprint([opd_file, *plans])
    with db.begin() as session:
        stored = session.get(Setting, SEED_SETTING)
        if stored is not None and stored.value == fingerprint:
            return []
    loaded: list[str] = []
    with db.begin() as session:
        ensure_opds(session, _canonical_opds())
        # The shipped plans are one region's: its letterhead comes with them.
        ensure_region(session)
        have = set(session.scalars(select(Plan.code)))
        for f in plans:
            raw = f.read_bytes()
            data = json.loads(raw)
            if data.get("format") != PLAN_FORMAT:
                continue
            if data["plan"]["code"] in have:
                continue
            load_plan(session, data, "sha256:" + hashlib.sha256(raw).hexdigest()[:16])
            loaded.append(data["plan"]["code"])
        _store_fingerprint(session, fingerprint)
    return loaded


def seed_fingerprint(files: Iterable[Path]) -> str:
    """What ``ensure_seeded`` would write, in short: the shipped files' names and bytes."""
    digest = hashlib.sha256(f"seed-logic {SEED_LOGIC}".encode())
    for f in files:
        digest.update(b"\x1f" + f.name.encode("utf-8") + b"\x1f")
        digest.update(f.read_bytes() if f.exists() else b"(missing)")
    return "sha256:" + digest.hexdigest()


def _store_fingerprint(session: Session, fingerprint: str) -> None:
    # Two installations opening one server database at once may both write it: the same
    # value, so the one that loses the race keeps the other's (in a savepoint, the
    # seeding around it stands).
    try:
        with session.begin_nested():
            row = session.get(Setting, SEED_SETTING)
            if row is None:
                session.add(Setting(key=SEED_SETTING, value=fingerprint))
            elif row.value != fingerprint:
                row.value = fingerprint
    except (IntegrityError, StaleDataError):
        pass


def _canonical_opds() -> list[dict[str, Any]]:
    f = resource("opd_lumajang.json")
    if not f.exists():
        return []
    return list(json.loads(f.read_text(encoding="utf-8"))["opds"])


def load_plan_data(db: Database, data: dict[str, Any], data_version: str = "") -> str:
    """Load a plan given as data (tests, benchmarks, a distributed matrix)."""
    with db.begin() as session:
        load_plan(session, data, data_version)
    return str(data["plan"]["code"])
