"""A batch of received files: each bad one is refused with a reason, the rest go in.

Issue 11, item 1: a zip entry flagged "encrypted", a signed integer longer than Python's
int-string limit, fill-in number cells holding ``NaN`` or ``1E+308`` each ended the whole
batch (CLI) or the whole Terima Berkas check with a traceback. Now each is that file's
refusal, logged in the import log, and the next file is imported.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.formats import keys
from app.formats.submission import CONTENT_PART, read_package
from app.models.schema import ImportLog, Submission
from app.services import importer
from app.services.importer import ACCEPTED, REFUSED, import_file, import_files
from app.services.intake import check_files
from app.services.submission_export import export_submission
from tests.formats.hostile import (
    DATA_SHEET_PART,
    Originals,
    build_originals,
    content_of,
    mutate_json,
    replace_part,
    set_cell,
    signed_with_content,
    with_flag,
)
from tests.services.submission_helpers import YEAR, opd_parts


def second_opd_file(o: Originals, path: Path) -> tuple[Path, keys.SigningKey]:
    """OPD-002's submission, signed with OPD-002's own key (a key belongs to one OPD)."""
    key = keys.generate_key("kunci-opd-dua", path.parent / "kunci-opd-dua")
    export_submission(o.pair.focal, YEAR, key, xlsx=path, opd="OPD-002")
    return path, key


@pytest.fixture
def originals(tmp_path: Path) -> Iterator[Originals]:
    o = build_originals(tmp_path / "asli")
    yield o
    o.pair.dispose()


def accepted(files: dict[str, Path]) -> set[tuple[str, str]]:
    """Pokja accepts each good file's key for its own OPD, by name (never batch-wide)."""
    signed = [read_package(files[name]) for name in ("good_1", "good_2")]
    return {(s.opd_code, s.key_id) for s in signed}


def hostile_batch(o: Originals, folder: Path) -> dict[str, Path]:
    """Bad files of each kind found, by name, plus two good submissions."""
    folder.mkdir()
    good_1 = shutil.copy(o.signed, folder / "baik-OPD-001.xlsx")
    good_2, _key = second_opd_file(o, folder / "baik-OPD-002.xlsx")
    huge = mutate_json(content_of(o), ("revision",), "replace", b"9" * 5000)

    def cell(value: str) -> Any:
        return lambda sheet: set_cell(sheet, "J5", f'<c r="{{ref}}"><v>{value}</v></c>')

    return {
        "encrypted": with_flag(o.signed, folder / "enkripsi.xlsx", CONTENT_PART, 0x1),
        "good_1": Path(good_1),
        "huge_int": signed_with_content(o, huge, folder / "angka-panjang.xlsx"),
        "nan": replace_part(o.fillin, folder / "isian-nan.xlsx", DATA_SHEET_PART, cell("NaN")),
        "e308": replace_part(o.fillin, folder / "isian-e308.xlsx", DATA_SHEET_PART, cell("1E+308")),
        "newline": Path(shutil.copy(o.fillin, folder / "isian\nSAH\tpalsu.xlsx")),
        "good_2": good_2,
    }


def test_a_batch_refuses_each_bad_file_and_imports_the_good_ones(
    originals: Originals, tmp_path: Path
) -> None:
    files = hostile_batch(originals, tmp_path / "kiriman")
    outcomes = import_files(originals.pair.pokja, list(files.values()), accept_keys=accepted(files))

    by_name = dict(zip(files, outcomes, strict=True))
    assert by_name["good_1"].outcome == ACCEPTED
    assert by_name["good_2"].outcome == ACCEPTED
    for name in ("encrypted", "huge_int", "nan", "e308", "newline"):
        o = by_name[name]
        assert o.outcome == REFUSED, (name, o.reason)
        assert o.reason.strip(), name
    assert "terenkripsi" in by_name["encrypted"].reason
    assert "terlalu panjang" in by_name["huge_int"].reason
    # A number cell openpyxl cannot decode is named like any other bad cell.
    assert "'NaN' bukan angka yang sah" in by_name["nan"].reason
    assert "kolom J" in by_name["nan"].reason
    assert "kesalahan tak terduga" not in by_name["e308"].reason

    with originals.pair.pokja.begin() as s:
        log = list(s.scalars(select(ImportLog).order_by(ImportLog.id)))
        current = set(s.scalars(select(Submission.opd_code).where(Submission.current)))
    assert [e.outcome for e in log] == [o.outcome for o in outcomes]
    assert all(e.reason for e in log)
    # The name is logged on one line, its newline and tab escaped.
    assert log[5].file_name == "isian\\nSAH\\tpalsu.xlsx"
    assert current == {"OPD-001", "OPD-002"}


def test_the_terima_berkas_check_reports_each_bad_file_and_goes_on(
    originals: Originals, tmp_path: Path
) -> None:
    files = hostile_batch(originals, tmp_path / "kiriman")
    checks = check_files(originals.pair.pokja, list(files.values()))
    assert len(checks) == len(files)
    by_name = dict(zip(files, checks, strict=True))
    assert by_name["good_1"].error is None and by_name["good_2"].error is None
    for name in ("encrypted", "huge_int", "nan", "e308"):
        assert by_name[name].error, name


def test_an_error_while_merging_one_file_refuses_it_and_rolls_it_back(
    originals: Originals, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only reading: whatever goes wrong inside one file's transaction stays there."""
    first, key = second_opd_file(originals, tmp_path / "OPD-002.xlsx")
    before = opd_parts(originals.pair.pokja, "OPD-002")
    real_merge = importer.merge_content

    def merge(session: Any, content: dict[str, Any], *args: Any, **kw: Any) -> Any:
        result = real_merge(session, content, *args, **kw)  # written, then it fails
        if content["opd"]["code"] == "OPD-002":
            raise RuntimeError("disk penuh di tengah penggabungan")
        return result

    monkeypatch.setattr(importer, "merge_content", merge)
    both = {("OPD-002", key.key_id), ("OPD-001", originals.key.key_id)}
    outcomes = import_files(originals.pair.pokja, [first, originals.signed], accept_keys=both)
    assert [o.outcome for o in outcomes] == [REFUSED, ACCEPTED]
    assert "kesalahan tak terduga (RuntimeError)" in outcomes[0].reason
    monkeypatch.setattr(importer, "merge_content", real_merge)
    with originals.pair.pokja.begin() as s:
        log = list(s.scalars(select(ImportLog).order_by(ImportLog.id)))
        opds = set(s.scalars(select(Submission.opd_code).where(Submission.current)))
    assert [e.outcome for e in log] == [REFUSED, ACCEPTED]
    assert opds == {"OPD-001"}  # nothing of OPD-002's file stayed
    assert opd_parts(originals.pair.pokja, "OPD-002") == before
    assert import_file(originals.pair.pokja, first, accept_new_key=True).outcome == ACCEPTED
