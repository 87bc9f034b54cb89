"""A key belongs to one OPD (issue 11, item 3): preview, import and explicit reassignment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models.schema import AuditEntry, PinnedKey
from app.services import importer, intake
from app.services.import_keys import KeyConsent
from app.services.importer import ACCEPTED, REFUSED
from app.services.trust import KeyConflict, KeyState, pin_opd_key
from tests.services.submission_helpers import OPD, Pair, content_of, forge, make_pair, submit

DINKES = "OPD-002"
BAPPEDA_NAME = "Dinas Uji 001 Pertanian disabilitas"
DINKES_NAME = "Dinas Uji 002 Perlindungan fasilitasi"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def claimed(pair: Pair, tmp_path: Path) -> Path:
    """The Bappeda (OPD-001) key is pinned; the same key signs a file claiming Dinkes."""
    own = submit(pair, tmp_path / "bappeda.xlsx")
    assert importer.import_file(pair.pokja, own, accept_new_key=True).outcome == ACCEPTED
    c = content_of(pair.focal, DINKES)
    c["opd"]["name"] = "Dinas Kesehatan (nama dari berkas)"
    return forge(own, tmp_path / "dinkes.xlsx", c, pair.key)


def _pins(pair: Pair) -> list[tuple[str, bool]]:
    with pair.pokja.begin() as s:
        return [
            (p.opd_code, p.active)
            for p in s.scalars(select(PinnedKey).order_by(PinnedKey.opd_code, PinnedKey.id))
        ]


def test_the_preview_flags_a_key_of_another_opd_and_shows_database_names(
    pair: Pair, claimed: Path
) -> None:
    check = intake.check_file(pair.pokja, claimed)
    assert check.key_state == KeyState.OTHER_OPD and check.state_label == "KUNCI OPD LAIN"
    assert check.owner == f"{OPD} ({BAPPEDA_NAME})"
    assert check.opd_name == DINKES_NAME  # the database's name, not the file's own
    assert check.needs_confirmation and check.needs_reassignment
    [q] = intake.key_questions([check])
    assert (q.state, q.owner, q.opd_name) == (KeyState.OTHER_OPD, check.owner, DINKES_NAME)
    # Ticking "accept" is not enough; only an explicit reassignment lets it through.
    assert not intake.will_import(check, {check.key_pair})
    assert intake.import_plan([check], {q.pair}) == [(claimed, KeyConsent())]
    assert intake.will_import(check, set(), {q.pair})
    assert intake.import_plan([check], set(), {q.pair}) == [
        (claimed, KeyConsent(reassign=frozenset({q.pair})))
    ]
    assert OPD in intake.not_accepted_reason(check)


def test_the_importer_refuses_a_key_of_another_opd_even_when_accepting_keys(
    pair: Pair, claimed: Path
) -> None:
    for out in (
        importer.import_file(pair.pokja, claimed, accept_new_key=True),
        importer.import_files(pair.pokja, [claimed], accept_keys={(DINKES, pair.key.key_id)})[0],
    ):
        assert out.outcome == REFUSED
        assert f"{OPD} ({BAPPEDA_NAME})" in out.reason and DINKES_NAME in out.reason
        assert "Dinas Kesehatan (nama dari berkas)" not in out.reason
        # Plain words in the window; the CLI adds its option from the action.
        assert "'Pindahkan kunci ke Perangkat Daerah ini'" in out.reason
        assert "--" not in out.reason and out.action == "reassign-key"
    assert _pins(pair) == [(OPD, True)]


def test_an_explicit_reassignment_moves_the_key_and_is_audited(pair: Pair, claimed: Path) -> None:
    outs = importer.import_files(
        pair.pokja, [claimed], reassign_keys={(DINKES, pair.key.key_id)}, user="Pokja Uji"
    )
    assert outs[0].outcome == ACCEPTED, outs[0].reason
    assert "kunci dipindahkan" in outs[0].reason
    assert _pins(pair) == [(OPD, False), (DINKES, True)]
    with pair.pokja.begin() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "pindahkan-kunci")).one()
        assert (audit.old_value, audit.new_value, audit.user) == (OPD, DINKES, "Pokja Uji")
    # Now Bappeda's own files with that key are the conflict.
    assert intake.check_file(pair.pokja, claimed.parent / "bappeda.xlsx").owner == (
        f"{DINKES} ({DINKES_NAME})"
    )


def test_a_key_is_never_pinned_for_two_opds(pair: Pair) -> None:
    with pair.pokja.begin() as s:
        pin_opd_key(s, OPD, pair.key.public)
    with pair.pokja.begin() as s, pytest.raises(KeyConflict):
        pin_opd_key(s, DINKES, pair.key.public)
    assert _pins(pair) == [(OPD, True)]
