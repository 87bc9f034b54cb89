"""Focal-point and Pokja databases, keys and (forged) submission files for the tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.formats import keys
from app.formats.canonical_json import canonical_bytes
from app.formats.submission import copy_without_parts, sign_package
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.services import catalog
from app.services.profile import Profile, save_profile
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data
from app.services.submission_content import build_content
from app.services.submission_export import export_submission

YEAR = 2023
OPD = "OPD-001"
PASSPHRASE = "kata-sandi-uji"


@dataclass
class Pair:
    focal: Database
    pokja: Database
    key: keys.SigningKey
    plan: dict[str, Any]

    def dispose(self) -> None:
        self.focal.dispose()
        self.pokja.dispose()


def make_pair(tmp: Path, rows: int = 60, opds: int = 3, full: tuple[str, ...] = (OPD,)) -> Pair:
    plan = synthetic_plan(rows, opds=opds)
    focal = open_database(tmp / "focal.sqlite")
    load_plan_data(focal, plan)
    fill_sample(focal, YEAR, full_opds=full, others=0.5, arg_nodes=3, proposals=2)
    with focal.begin() as s:
        save_profile(s, Profile("focal_point", "Budi Santoso", "198001012005011001", OPD, YEAR))
    pokja = open_database(tmp / "pokja.sqlite")
    load_plan_data(pokja, plan)
    return Pair(focal, pokja, keys.generate_key(PASSPHRASE, tmp / "kunci"), plan)


def submit(pair: Pair, path: Path, opd: str = OPD, **kw: Any) -> Path:
    export_submission(pair.focal, YEAR, pair.key, xlsx=path, opd=opd, **kw)
    return path


def content_of(db: Database, opd: str = OPD, *, revision: int = 1, sid: str | None = None) -> dict:
    with db.begin() as s:
        plan = catalog.get_plan(s)
        return build_content(
            s,
            plan,
            catalog.find_opd(s, opd),
            YEAR,
            submission_id=sid or f"00000000-0000-4000-8000-{int(opd[-3:]):012d}",
            revision=revision,
            created_at=datetime(2024, 1, 10, 9, 0),
            preparer=None,
        )


def forge(base: Path, out: Path, content: dict[str, Any], key: keys.SigningKey) -> Path:
    """A submission file with ``content`` signed by ``key`` (visible sheets from ``base``)."""
    copy_without_parts(base, out)
    data = canonical_bytes(content)
    sign_package(out, data, key)
    return out


def dump_bytes(db: Database) -> bytes:
    """The whole plan as the dump command prints it, for before/after comparisons."""
    with db.begin() as s:
        return json.dumps(catalog.dump(s, catalog.get_plan(s)), sort_keys=True).encode()


def opd_parts(db: Database, opd: str = OPD) -> list[tuple[str, Any, Any]]:
    with db.begin() as s:
        d = catalog.dump(s, catalog.get_plan(s), catalog.find_opd(s, opd))
    return [
        (r["key"], r["realisations"], {y: t.get("proposed") for y, t in r["targets"].items()})
        for r in d["rows"]
    ]
