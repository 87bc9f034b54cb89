"""find_opd as a query gives what the walk over every OPD gave, for every kind of input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.formats.synthetic import synthetic_province
from app.models.db import Database, open_database
from app.models.schema import Opd, OpdAlias
from app.services import catalog
from app.services.seeding import ensure_opds

# Names a regency's documents really hold, and the odd ones the SQL narrowing must not
# miss: ``ß`` folds to ``ss``, the Kelvin sign to ``k``, the ``fi`` ligature to ``fi``;
# SQLite's lower() leaves all of those alone.
ODD_OPDS = [
    {"code": "X-STRASSE", "name": "Dinas Straße", "short": "Straße", "variants": ["STRAẞE"]},
    {"code": "X-KELVIN", "name": "Badan \u212aelvin", "short": "Kelvin"},
    {"code": "X-LIGA", "name": "Dinas Pro\ufb01l", "short": "Profil Daerah"},
    {"code": "x-lower", "name": "Kantor  Dua  Spasi", "short": "Kantor, Titik."},
    # Ambiguous: each name here is also another OPD's spelling, so the first OPD made wins.
    {"code": "X-TWIN-A", "name": "Bagian Kembar", "short": "Kembar", "variants": ["x-twin-b"]},
    {"code": "X-TWIN-B", "name": "BAGIAN KEMBAR", "short": "kembar", "variants": ["R01-OPD-002"]},
    {
        "code": "X-TWIN-C",
        "name": "Dinas Straße",
        "short": "Ganda",
        "variants": ["dinas uji 003 kab. 01"],
    },
]


def old_find_opd(opds: list[Opd], text: str) -> Opd:
    """The rule before the query, kept as the reference: every OPD in the order made,
    every name case-folded, the first OPD with a name equal to the trimmed text."""
    needle = text.strip().casefold()
    for opd in opds:
        names = {opd.code, opd.name, opd.short_name, *(a.variant for a in opd.aliases)}
        if needle in {n.casefold() for n in names}:
            return opd
    raise LookupError(f"Perangkat Daerah tidak dikenal: {text}")


def spellings(name: str) -> list[str]:
    """Ways a person or a file writes a name: case, padding, inner spacing, punctuation."""
    return [
        name,
        name.upper(),
        name.lower(),
        name.swapcase(),
        name.title(),
        f"  {name}\t",
        f"\n{name.upper()} ",
        name.replace(" ", "  "),
        name.replace(" ", ""),
        name.replace("-", " "),
        name.replace("-", ""),
        f"{name}.",
        f"{name[:-1]}",
        name.casefold(),
    ]


@pytest.fixture
def province(tmp_path: Path) -> Database:
    """Two regencies' OPDs named as in the province benchmark, plus the odd ones."""
    db = open_database(tmp_path / "opds.sqlite")
    opds = synthetic_province(regencies=2, rows_per_regency=40, opds_per_regency=12)["opds"]
    with db.begin() as s:
        ensure_opds(s, opds + ODD_OPDS)
    return db


def test_query_gives_the_old_answer_for_every_input(province: Database) -> None:
    with province.begin() as s:
        # Loaded once, aliases with them: the walk itself is the reference, not its cost.
        opds = list(s.scalars(select(Opd).options(selectinload(Opd.aliases)).order_by(Opd.id)))
        names = [
            n for o in opds for n in (o.code, o.name, o.short_name, *(a.variant for a in o.aliases))
        ]
        inputs = sorted({sp for n in names for sp in spellings(n)})
        inputs += ["", "   ", "Dinas", "OPD", "R01-OPD-0", "R99-OPD-001", "strasse", "STRASSE"]
        inputs += ["dinas strasse", "badan kelvin", "dinas profil", "kantor dua spasi"]
        assert len(inputs) > 300
        answers = {"found": 0, "unknown": 0}
        for text in inputs:
            try:
                expected = old_find_opd(opds, text).code
            except LookupError as exc:
                with pytest.raises(LookupError) as got:
                    catalog.find_opd(s, text)
                assert str(got.value) == str(exc), text
                answers["unknown"] += 1
                continue
            assert catalog.find_opd(s, text).code == expected, text
            answers["found"] += 1
    # Both outcomes were exercised, and plenty of each.
    assert answers["found"] > 150 and answers["unknown"] > 100, answers


def test_odd_names_are_folded_as_python_folds_them(province: Database) -> None:
    with province.begin() as s:
        assert catalog.find_opd(s, "dinas strasse").code == "X-STRASSE"
        assert catalog.find_opd(s, "STRASSE").code == "X-STRASSE"  # the alias STRAẞE
        assert catalog.find_opd(s, "badan kelvin").code == "X-KELVIN"
        assert catalog.find_opd(s, "DINAS PROFIL").code == "X-LIGA"
        assert catalog.find_opd(s, "X-LOWER").code == "x-lower"
        with pytest.raises(LookupError, match=r"^Perangkat Daerah tidak dikenal: kantor dua"):
            catalog.find_opd(s, "kantor dua spasi")  # inner spacing is part of the name


def test_a_name_two_opds_answer_to_gives_the_first_made(province: Database) -> None:
    with province.begin() as s:
        assert catalog.find_opd(s, "bagian kembar").code == "X-TWIN-A"
        assert catalog.find_opd(s, "KEMBAR").code == "X-TWIN-A"
        # Another OPD's alias never outranks the code of an OPD made before it ...
        assert catalog.find_opd(s, "R01-OPD-002").code == "R01-OPD-002"
        assert catalog.find_opd(s, "Dinas Uji 003 Kab. 01").code == "R01-OPD-003"
        # ... while an OPD made earlier wins over a later one's own code.
        assert catalog.find_opd(s, "X-TWIN-B").code == "X-TWIN-A"


def test_an_alias_added_later_is_found(province: Database) -> None:
    with province.begin() as s:
        opd = s.scalars(select(Opd).where(Opd.code == "R02-OPD-011")).one()
        opd.aliases.append(OpdAlias(variant="Dinas Baru Sekali"))
    with province.begin() as s:
        assert catalog.find_opd(s, " dinas BARU sekali ").code == "R02-OPD-011"
