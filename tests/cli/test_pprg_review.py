"""``python -m app pprg review``: list, set, export at Pokja; import at the OPD; Inspektorat."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.formats import keys
from app.models.schema import Opd, PlanRow
from app.services import entry, importer
from app.services.trust import pin_pokja_key
from tests.services.pprg_helpers import write_documents
from tests.services.submission_helpers import OPD, PASSPHRASE, YEAR, Pair, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Pair:
    p = make_pair(tmp_path)
    nodes = write_documents(p.focal, 1)
    assert importer.import_file(p.pokja, submit(p, tmp_path / "k.xlsx"), accept_new_key=True).ok
    p.plan["node"] = nodes[0]
    return p


def _db(p: Pair, which: str) -> str:
    db = getattr(p, which)
    path = db.path
    db.dispose()
    return str(path)


def test_review_send_and_receive(
    pair: Pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    node = pair.plan["node"]
    pokja, focal = _db(pair, "pokja"), _db(pair, "focal")
    assert main(["pprg", "review", "list", "--db", pokja, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["kind"], r["status"]) for r in rows} == {
        ("gap", "GAP: belum ditelaah"),
        ("gbs", "GBS: belum ditelaah"),
    }
    args = ["pprg", "review", "set", "gbs", node, str(YEAR), "perbaikan", "--db", pokja]
    assert main(args) == 1  # remarks are required for "perlu perbaikan"
    assert "memerlukan catatan" in capsys.readouterr().err
    assert main([*args, "--remarks", "Lengkapi anggaran"]) == 0
    capsys.readouterr()

    key = keys.generate_key(PASSPHRASE)  # this installation's (Pokja's) key
    secret = tmp_path / "sandi.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    out = tmp_path / "telaah.monevtelaah"
    export = ["pprg", "review", "export", "--db", pokja, "--opd", OPD, "--year", str(YEAR)]
    assert main([*export, "--out", str(out), "--passphrase-file", str(secret)]) == 0
    assert "Hasil telaah 1 dokumen" in capsys.readouterr().out

    assert main(["pprg", "review", "import", "--db", focal, str(out)]) == 1
    assert "belum disematkan" in capsys.readouterr().err
    db = pair.focal
    with db.begin() as s:
        pin_pokja_key(s, key.public)
    db.dispose()
    assert main(["pprg", "review", "import", "--db", focal, str(out)]) == 0
    capsys.readouterr()
    assert main(["pprg", "review", "list", "--local", "--db", focal, "--json"]) == 0
    local = {r["kind"]: r for r in json.loads(capsys.readouterr().out)}
    assert local["gbs"]["status"] == "GBS: perlu perbaikan"
    assert local["gbs"]["remarks"] == "Lengkapi anggaran"


def test_inspektorat_row_chosen_once(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    node = pair.plan["node"]
    with pair.pokja.begin() as s:
        row = s.scalars(select(PlanRow).join(Opd).where(Opd.code == "OPD-003")).first()
        assert row is not None
        row.indikator = "Reviu dokumen PPRG (GAP, GBS, KAK)"
        key, row_id = row.key, row.id
    pokja = _db(pair, "pokja")
    assert main(["pprg", "review", "set", "gap", node, str(YEAR), "diterima", "--db", pokja]) == 0
    assert main(["pprg", "review", "inspektorat", "--db", pokja, "--year", str(YEAR)]) == 2
    assert key in capsys.readouterr().err  # the candidates are listed
    args = ["pprg", "review", "inspektorat", "--db", pokja, "--year", str(YEAR)]
    assert main([*args, "--row", key]) == 0
    assert main(args) == 0  # the choice was remembered
    assert "1 dokumen ditelaah" in capsys.readouterr().out
    with pair.pokja.begin() as s:
        got = entry.get_realisation(s, row_id, YEAR)
    assert got is not None and got.breakdown.total == 1
