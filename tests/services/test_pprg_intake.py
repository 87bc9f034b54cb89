"""GAP/GBS documents through a real signed submission, and every hostile variant refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.pprg import Kind
from app.formats.canonical_json import parse_canonical
from app.formats.submission import CONTENT_PART, read_package
from app.formats.submission_pprg import MAX_DOCUMENTS
from app.models.schema import PprgDocument, Submission
from app.services import importer, pprg_store
from app.services.importer import ACCEPTED, REFUSED, SUPERSEDED
from tests.services.pprg_helpers import gap, kegiatan_keys, write_documents
from tests.services.submission_helpers import OPD, YEAR, Pair, forge, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def _hashes(db: Any, origin: str) -> dict[tuple[str, str], str]:
    with db.begin() as s:
        return {
            (d.kind.value, d.document.node_key): d.content_hash
            for d in pprg_store.list_documents(s, origin=origin, year=YEAR)
        }


def _received_count(db: Any) -> int:
    with db.begin() as s:
        return s.scalar(select(func.count()).select_from(PprgDocument)) or 0


def test_documents_travel_in_the_signed_submission(pair: Pair, tmp_path: Path) -> None:
    write_documents(pair.focal, 2)
    signed = read_package(submit(pair, tmp_path / "k.xlsx"))
    assert signed.content["format_version"] == 2
    assert len(signed.content["pprg"]) == 4

    out = importer.import_file(pair.pokja, tmp_path / "k.xlsx", accept_new_key=True)
    assert out.outcome == ACCEPTED, out.reason
    assert "4 dokumen PPRG" in out.reason
    local = _hashes(pair.focal, pprg_store.LOCAL)
    received = _hashes(pair.pokja, pprg_store.RECEIVED)
    assert received == local and len(received) == 4
    with pair.pokja.begin() as s:
        stored = pprg_store.list_documents(s, origin=pprg_store.RECEIVED)
        sid = s.scalars(select(Submission.submission_id)).one()
    assert {d.submission_id for d in stored} == {sid}
    assert {d.document.opd_code for d in stored} == {OPD}


def test_without_documents_the_file_stays_version_1(pair: Pair, tmp_path: Path) -> None:
    signed = read_package(submit(pair, tmp_path / "k.xlsx"))
    assert signed.content["format_version"] == 1
    assert "pprg" not in signed.content


def test_a_newer_submission_replaces_the_received_documents(pair: Pair, tmp_path: Path) -> None:
    nodes = write_documents(pair.focal, 2)
    importer.import_file(pair.pokja, submit(pair, tmp_path / "a.xlsx"), accept_new_key=True)
    pprg_store.delete_document(pair.focal, Kind.GBS, nodes[1], YEAR, "Budi")
    pprg_store.save_document(pair.focal, gap(nodes[0], baseline="Data 2023"), "Budi")
    out = importer.import_file(pair.pokja, submit(pair, tmp_path / "b.xlsx"))
    assert out.outcome == SUPERSEDED, out.reason
    assert _hashes(pair.pokja, pprg_store.RECEIVED) == _hashes(pair.focal, pprg_store.LOCAL)
    assert _received_count(pair.pokja) == 3


def _content(pair: Pair, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    write_documents(pair.focal, 1)
    base = submit(pair, tmp_path / "base.xlsx")
    return base, read_package(base).content


def _refused(pair: Pair, tmp_path: Path, content: dict[str, Any], words: str) -> None:
    before = _received_count(pair.pokja)
    path = forge(tmp_path / "base.xlsx", tmp_path / "forged.xlsx", content, pair.key)
    out = importer.import_file(pair.pokja, path, accept_new_key=True)
    assert out.outcome == REFUSED
    assert words in out.reason, out.reason
    assert _received_count(pair.pokja) == before
    with pair.pokja.begin() as s:
        assert s.scalar(select(func.count()).select_from(Submission).where(Submission.current)) == 0


def test_a_bad_document_refuses_the_whole_file(pair: Pair, tmp_path: Path) -> None:
    _, c = _content(pair, tmp_path)
    c["pprg"][0]["surprise"] = "x"
    _refused(pair, tmp_path, c, "isian tidak dikenal: surprise")


def test_a_document_of_another_opd_is_refused(pair: Pair, tmp_path: Path) -> None:
    _, c = _content(pair, tmp_path)
    c["pprg"][0]["opd_code"] = "OPD-002"
    _refused(pair, tmp_path, c, "milik Perangkat Daerah lain (OPD-002)")


def test_a_kegiatan_of_another_opd_is_refused(pair: Pair, tmp_path: Path) -> None:
    _, c = _content(pair, tmp_path)
    c["pprg"][0]["node_key"] = kegiatan_keys(pair.pokja, "OPD-002")[0]
    _refused(pair, tmp_path, c, "kegiatan Perangkat Daerah lain")


def test_an_unknown_kegiatan_is_refused(pair: Pair, tmp_path: Path) -> None:
    _, c = _content(pair, tmp_path)
    c["pprg"][0]["node_key"] = "tidak-ada"
    _refused(pair, tmp_path, c, "tidak ada di rencana")


def test_too_many_documents_are_refused(pair: Pair, tmp_path: Path) -> None:
    _, c = _content(pair, tmp_path)
    c["pprg"] = [dict(c["pprg"][0], node_key=f"n{i}") for i in range(MAX_DOCUMENTS + 1)]
    _refused(pair, tmp_path, c, f"lebih dari batas {MAX_DOCUMENTS}")


def test_a_huge_text_is_refused(pair: Pair, tmp_path: Path) -> None:
    _, c = _content(pair, tmp_path)
    c["pprg"][0]["insight_data"] = "data " * 20_000
    _refused(pair, tmp_path, c, "Data Pembuka Wawasan")


def test_a_document_twice_is_refused(pair: Pair, tmp_path: Path) -> None:
    _, c = _content(pair, tmp_path)
    c["pprg"].append(dict(c["pprg"][0]))
    _refused(pair, tmp_path, c, "tercantum dua kali")


def test_a_version_1_file_may_not_carry_documents(pair: Pair, tmp_path: Path) -> None:
    _, c = _content(pair, tmp_path)
    c["format_version"] = 1
    _refused(pair, tmp_path, c, "kunci tak dikenal pprg")


def test_the_signature_covers_the_documents(pair: Pair, tmp_path: Path) -> None:
    import zipfile

    base, _ = _content(pair, tmp_path)
    with zipfile.ZipFile(base) as zf:
        raw = parse_canonical(zf.read(CONTENT_PART))
    assert raw["pprg"]
    tampered = tmp_path / "t.xlsx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == CONTENT_PART:
                data = data.replace(b"Sosialisasi", b"Sosialisasx")
            dst.writestr(info, data)
    out = importer.import_file(pair.pokja, tampered, accept_new_key=True)
    assert out.outcome == REFUSED
    assert _received_count(pair.pokja) == 0
