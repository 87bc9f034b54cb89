"""Signed submissions from a focal point's database into Pokja's, and every refusal."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.formats import keys
from app.formats.canonical_json import SubmissionError, parse_canonical, verification_code
from app.formats.container import Limits
from app.formats.submission import CONTENT_PART, SIGNATURE_PART, read_package
from app.models.schema import ImportLog, PinnedKey, Submission
from app.services import importer
from app.services.importer import ACCEPTED, DUPLICATE, OUTDATED, REFUSED, SUPERSEDED
from tests.services.submission_helpers import (
    OPD,
    Pair,
    content_of,
    dump_bytes,
    forge,
    make_pair,
    opd_parts,
    submit,
)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def signed_file(pair: Pair, tmp_path: Path) -> Path:
    return submit(pair, tmp_path / "kiriman.xlsx")


def test_round_trip_gives_identical_values(pair: Pair, signed_file: Path) -> None:
    before_other = opd_parts(pair.pokja, "OPD-002")
    out = importer.import_file(pair.pokja, signed_file, accept_new_key=True)
    assert out.outcome == ACCEPTED, out.reason
    assert opd_parts(pair.pokja) == opd_parts(pair.focal)
    assert any(r[1] for r in opd_parts(pair.pokja))  # realisations really travelled
    assert opd_parts(pair.pokja, "OPD-002") == before_other
    with pair.pokja.begin() as s:
        sub = s.scalars(select(Submission)).one()
        assert (sub.opd_code, sub.revision, sub.signature_state, sub.current) == (
            OPD,
            1,
            "signed",
            True,
        )
        assert s.scalars(select(PinnedKey)).one().key_id == pair.key.key_id
        # The received content is kept so that revisions can be compared later.
        assert sub.content is not None
        assert sub.content.encode() == read_package(signed_file).content_bytes


def test_content_is_canonical_and_has_no_floats(signed_file: Path) -> None:
    with zipfile.ZipFile(signed_file) as z:
        data = z.read(CONTENT_PART)
        sig = json.loads(z.read(SIGNATURE_PART))
    content = parse_canonical(data)
    assert content["format_version"] == 1 and content["opd"]["code"] == OPD
    assert content["plan"] == {
        "code": "SYN-2022-2024",
        "start_year": 2022,
        "end_year": 2024,
        "data_version": "",
    }
    assert sig["algorithm"] == "Ed25519" and len(sig["key_id"]) == 16
    signed = read_package(signed_file)
    assert len(verification_code(signed.content_hash)) == 14


def test_reexport_supersedes_and_repeats_change_nothing(pair: Pair, tmp_path: Path) -> None:
    first = submit(pair, tmp_path / "r1.xlsx")
    assert importer.import_file(pair.pokja, first, accept_new_key=True).outcome == ACCEPTED
    assert importer.import_file(pair.pokja, first).outcome == DUPLICATE
    # The focal point corrects a figure and exports again: revision 2 of the same id.
    from decimal import Decimal

    from app.domain.breakdown import Breakdown
    from app.domain.realisation import RealisationValues
    from app.services import entry

    row = opd_parts(pair.focal)[0][0]
    with pair.focal.begin() as s:
        from app.models.schema import PlanRow

        rid = s.scalar(select(PlanRow.id).where(PlanRow.key == row))
    entry.save_realisation(pair.focal, rid, 2023, RealisationValues(Breakdown(Decimal(999))), "uji")
    second = submit(pair, tmp_path / "r2.xlsx")
    s2 = read_package(second)
    assert s2.revision == 2 and s2.submission_id == read_package(first).submission_id
    out = importer.import_file(pair.pokja, second)
    assert out.outcome == SUPERSEDED, out.reason
    assert opd_parts(pair.pokja) == opd_parts(pair.focal)
    snapshot = dump_bytes(pair.pokja)
    assert importer.import_file(pair.pokja, second).outcome == DUPLICATE
    # An older revision arriving late changes nothing either.
    third = submit(pair, tmp_path / "r3.xlsx")
    pair_old = tmp_path / "r1-lagi.xlsx"
    shutil.copy(first, pair_old)
    assert importer.import_file(pair.pokja, third).outcome == SUPERSEDED
    snapshot = dump_bytes(pair.pokja)
    again = forge(first, tmp_path / "r2-usang.xlsx", {**s2.content, "revision": 2}, pair.key)
    assert importer.import_file(pair.pokja, again).outcome in (OUTDATED, DUPLICATE)
    assert dump_bytes(pair.pokja) == snapshot
    with pair.pokja.begin() as s:
        assert s.scalar(select(func.count()).where(Submission.current.is_(True))) == 1


def test_random_byte_changes_are_never_merged(pair: Pair, signed_file: Path) -> None:
    assert importer.import_file(pair.pokja, signed_file, accept_new_key=True).outcome == ACCEPTED
    before = dump_bytes(pair.pokja)
    original = signed_file.read_bytes()
    rng = random.Random(5)
    target = signed_file.with_name("ubah.xlsx")
    outcomes: dict[str, int] = {}
    for _ in range(1000):
        data = bytearray(original)
        i = rng.randrange(len(data))
        data[i] = (data[i] + rng.randrange(1, 256)) % 256
        target.write_bytes(data)
        try:
            signed = read_package(target)
        except SubmissionError:
            outcomes[REFUSED] = outcomes.get(REFUSED, 0) + 1
            continue
        # Still verifies: the byte hit zip metadata outside the signed parts, so the
        # content is the very one already imported.
        out = importer.import_file(pair.pokja, target)
        assert out.outcome == DUPLICATE, (i, out.reason)
        assert signed.content_hash == read_package(signed_file).content_hash
        outcomes[out.outcome] = outcomes.get(out.outcome, 0) + 1
    assert outcomes[REFUSED] > 900
    assert dump_bytes(pair.pokja) == before


def _bomb_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return path


def _laughs(base: Path, path: Path) -> Path:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">'
            for i in range(1, 10)
        )
        + ']><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        "&lol9;</Types>"
    )
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, lol if info.filename == "[Content_Types].xml" else data)
    return path


@pytest.mark.parametrize(
    "case, reason",
    [
        ("truncated", "bukan buku kerja Excel"),
        ("renamed_pdf", "bukan buku kerja Excel"),
        ("renamed_docx", "bukan buku kerja Excel"),
        ("laughs", "XML yang tidak aman"),
        ("zip_bomb", "bom zip"),
        ("other_opd_rows", "milik Perangkat Daerah lain"),
        ("unknown_period", "Periode rencana"),
        ("unknown_year", "di luar periode"),
        ("unpinned_key", "belum dikenal"),
        ("other_key", "kunci lain"),
        ("resaved", "disimpan ulang oleh program lain"),
        ("bad_signature", "Tanda tangan tidak cocok"),
        ("bad_decimal", "tidak sah"),
    ],
)
def test_hostile_or_wrong_files_are_refused_with_a_reason(
    pair: Pair, signed_file: Path, tmp_path: Path, case: str, reason: str
) -> None:
    accept = case not in ("unpinned_key", "other_key")
    if case == "other_key":
        assert importer.import_file(pair.pokja, signed_file, accept_new_key=True).ok
    before = dump_bytes(pair.pokja)
    bad = tmp_path / f"{case}.xlsx"
    content = content_of(pair.focal)
    other_key = keys.generate_key("sandi-lain-1", tmp_path / "lain")
    if case == "truncated":
        bad.write_bytes(signed_file.read_bytes()[: signed_file.stat().st_size // 2])
    elif case == "renamed_pdf":
        bad.write_bytes(b"%PDF-1.4\n" + b"x" * 2000)
    elif case == "renamed_docx":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(
                "[Content_Types].xml",
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Override PartName="/word/document.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
            )
        bad.write_bytes(buf.getvalue())
    elif case == "laughs":
        _laughs(signed_file, bad)
    elif case == "zip_bomb":
        _bomb_zip(bad)
    elif case == "other_opd_rows":
        theirs = content_of(pair.focal, "OPD-002")["rows"][:1]
        forge(signed_file, bad, {**content, "rows": content["rows"] + theirs}, pair.key)
    elif case == "unknown_period":
        plan = {**content["plan"], "code": "RADPUG-2019-2021", "start_year": 2019}
        forge(signed_file, bad, {**content, "plan": plan}, pair.key)
    elif case == "unknown_year":
        forge(signed_file, bad, {**content, "year": 2030}, pair.key)
    elif case in ("unpinned_key", "other_key"):
        forge(signed_file, bad, content, other_key if case == "other_key" else pair.key)
    elif case == "resaved":
        from app.formats.submission import copy_without_parts

        copy_without_parts(signed_file, bad)
    elif case == "bad_signature":
        forge(signed_file, bad, content, pair.key)
        with zipfile.ZipFile(bad) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        parts[CONTENT_PART] = parts[CONTENT_PART].replace(b'"revision":1', b'"revision":7')
        with zipfile.ZipFile(bad, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
    elif case == "bad_decimal":
        rows = [dict(r) for r in content["rows"]]
        first = next(r for r in rows if r["realisations"])
        sem = next(iter(first["realisations"]))
        first["realisations"] = {sem: {**first["realisations"][sem], "total": "1.200,5"}}
        forge(signed_file, bad, {**content, "rows": rows}, pair.key)
    out = importer.import_file(pair.pokja, bad, accept_new_key=accept)
    assert out.outcome == REFUSED
    assert reason in out.reason
    assert dump_bytes(pair.pokja) == before
    with pair.pokja.begin() as s:
        log = s.scalars(select(ImportLog).order_by(ImportLog.id.desc())).first()
        assert log is not None and log.outcome == REFUSED and log.file_name == bad.name


def test_size_caps_are_checked_before_reading(signed_file: Path) -> None:
    with pytest.raises(SubmissionError, match="terlalu banyak"):
        read_package(signed_file, Limits(entries=3))
    with pytest.raises(SubmissionError, match="terlalu besar"):
        read_package(signed_file, Limits(total_uncompressed=1000))
    with pytest.raises(SubmissionError, match="terlalu besar"):
        read_package(signed_file, Limits(file_size=100))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_resave_loses_the_signed_content(
    pair: Pair, signed_file: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            str(signed_file),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    resaved = out_dir / signed_file.name
    out = importer.import_file(pair.pokja, resaved, accept_new_key=True)
    assert out.outcome == REFUSED
    assert "disimpan ulang oleh program lain" in out.reason


def test_cancel_stops_between_files(pair: Pair, tmp_path: Path) -> None:
    files = [submit(pair, tmp_path / f"{o}.xlsx", opd=o) for o in ("OPD-001", "OPD-002")]
    seen: list[tuple[int, int]] = []
    outs = importer.import_files(
        pair.pokja,
        files,
        accept_keys={(o, pair.key.key_id) for o in ("OPD-001", "OPD-002")},
        progress=lambda d, t: seen.append((d, t)),
        cancelled=lambda: len(seen) >= 1,
    )
    assert [o.outcome for o in outs] == [ACCEPTED]
    assert opd_parts(pair.pokja, "OPD-002") != opd_parts(pair.focal, "OPD-002")
    assert seen[0] == (0, 2)


def test_retired_rows_are_not_submitted(pair: Pair) -> None:
    from datetime import datetime

    from app.models.schema import PlanRow

    before = [r["key"] for r in content_of(pair.focal)["rows"]]
    with pair.focal.begin() as s:
        s.scalars(select(PlanRow).where(PlanRow.key == before[0])).one().retired_at = datetime(
            2026, 11, 30
        )
    after = [r["key"] for r in content_of(pair.focal)["rows"]]
    # Pokja's matrix no longer has that row (it may have deleted it): sending it would
    # get the whole submission refused.
    assert after == before[1:]


def test_an_import_writes_each_changed_value_to_the_row_history(pair: Pair, tmp_path: Path) -> None:
    from decimal import Decimal

    from app.domain.breakdown import Breakdown
    from app.domain.realisation import RealisationValues
    from app.models.schema import AuditEntry, PlanRow
    from app.services import catalog, entry

    first = submit(pair, tmp_path / "r1.xlsx")
    assert importer.import_file(pair.pokja, first, accept_new_key=True, user="Siti").outcome == (
        ACCEPTED
    )
    key = opd_parts(pair.focal)[0][0]
    with pair.pokja.begin() as s:
        history = catalog.row_history(s, key)
    assert history and all(h.action == "impor kiriman r1" and h.user == "Siti" for h in history)
    assert {h.field for h in history} >= {"total"}

    with pair.focal.begin() as s:
        rid = s.scalar(select(PlanRow.id).where(PlanRow.key == key))
    entry.save_realisation(pair.focal, rid, 2023, RealisationValues(Breakdown(Decimal(999))), "uji")
    with pair.pokja.begin() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    second = submit(pair, tmp_path / "r2.xlsx")
    assert importer.import_file(pair.pokja, second, user="Siti").outcome == SUPERSEDED
    with pair.pokja.begin() as s:
        new = s.scalars(select(AuditEntry).where(AuditEntry.id > 0).order_by(AuditEntry.id))
        added = [a for a in new][before:]
    # Only what revision 2 changed is logged: that row's figures, nothing else.
    changed = [a for a in added if a.row_key is not None]
    assert changed and {a.row_key for a in changed} == {key}
    total = next(a for a in changed if a.field == "total")
    assert (total.new_value, total.action) == ("999", "impor kiriman r2")
