"""Pokja's verdicts on received GAP/GBS, the signed review file, and the OPD's view of it."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.pprg import Kind, PprgError, ReviewStatus
from app.formats import keys
from app.formats.review_package import DATA_PART, ReviewFileError, read_review_file
from app.models.schema import AuditEntry, PprgReview
from app.services import importer, pprg_store
from app.services.pprg_review import (
    document_states,
    export_review_file,
    history,
    import_review_file,
    local_status,
    review_received,
)
from app.services.profile import Profile, save_profile
from app.services.trust import pin_pokja_key
from tests.services.pprg_helpers import gap, write_documents
from tests.services.submission_helpers import OPD, PASSPHRASE, YEAR, Pair, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


@pytest.fixture
def received(pair: Pair, tmp_path: Path) -> list[str]:
    nodes = write_documents(pair.focal, 2)
    out = importer.import_file(pair.pokja, submit(pair, tmp_path / "k.xlsx"), accept_new_key=True)
    assert out.ok, out.reason
    return nodes


@pytest.fixture
def pokja_key(tmp_path: Path) -> keys.SigningKey:
    return keys.generate_key(PASSPHRASE, tmp_path / "kunci-pokja")


def _review(pair: Pair, node: str, status: ReviewStatus, remarks: str = "", **kw: object) -> None:
    review_received(pair.pokja, Kind.GBS, node, YEAR, status, remarks, reviewer="Sari", **kw)  # type: ignore[arg-type]


def test_a_verdict_names_the_received_version_and_history_is_kept(
    pair: Pair, received: list[str]
) -> None:
    node = received[0]
    _review(
        pair,
        node,
        ReviewStatus.PERLU_PERBAIKAN,
        "Lengkapi data terpilah",
        now=datetime(2024, 2, 1, 9),
    )
    _review(pair, node, ReviewStatus.DITERIMA, now=datetime(2024, 2, 5, 9))
    with pair.pokja.begin() as s:
        states = {(d.kind, d.stored.document.node_key): d for d in document_states(s, "kiriman")}
        gbs = states[(Kind.GBS, node)]
        assert gbs.reviewed and gbs.accepted
        assert gbs.review is not None and gbs.review.content_hash == gbs.stored.content_hash
        assert gbs.status == "GBS: diterima"
        assert states[(Kind.GAP, node)].status == "GAP: belum ditelaah"
        assert [h.status for h in history(s, Kind.GBS, node, YEAR)] == [
            "diterima",
            "perlu_perbaikan",
        ]
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "telaah-gbs")
            )
            == 2
        )


def test_needs_remarks_and_a_received_document(pair: Pair, received: list[str]) -> None:
    with pytest.raises(PprgError, match="memerlukan catatan"):
        _review(pair, received[0], ReviewStatus.PERLU_PERBAIKAN, "  ")
    with pytest.raises(PprgError, match="belum diterima"):
        _review(pair, "tidak-ada", ReviewStatus.DITERIMA)


def test_inspektorat_reviews_in_its_role(pair: Pair, received: list[str]) -> None:
    _review(pair, received[0], ReviewStatus.DITERIMA, role="inspektorat")
    with pair.pokja.begin() as s:
        assert s.scalars(select(PprgReview.reviewer_role)).one() == "inspektorat"


def _send(pair: Pair, received: list[str], key: keys.SigningKey, out: Path) -> Path:
    _review(pair, received[0], ReviewStatus.PERLU_PERBAIKAN, "Sebab eksternal belum diisi")
    export_review_file(pair.pokja, OPD, YEAR, key, out)
    return out


def test_the_opd_sees_the_verdict_and_an_earlier_version(
    pair: Pair, received: list[str], pokja_key: keys.SigningKey, tmp_path: Path
) -> None:
    path = _send(pair, received, pokja_key, tmp_path / "telaah.monevtelaah")
    assert len(read_review_file(path).reviews) == 1
    with pair.focal.begin() as s:
        pin_pokja_key(s, pokja_key.public)
    result = import_review_file(pair.focal, path, user="Budi")
    assert result.added == 1 and not result.duplicate
    with pair.focal.begin() as s:
        assert local_status(s, received[0], YEAR) == [
            "GAP: belum ditelaah",
            "GBS: perlu perbaikan",
        ]
        row = s.scalars(select(PprgReview)).one()
        assert row.received_at is not None and row.review_file_id == result.file.file_id
        assert row.remarks == "Sebab eksternal belum diisi"
    assert import_review_file(pair.focal, path).duplicate
    # The OPD corrects its GBS: the verdict was for the version before.
    with pair.focal.begin() as s:
        gbs = pprg_store.load_document(s, Kind.GBS, received[0], YEAR)
    assert gbs is not None
    pprg_store.save_document(pair.focal, gbs.document.with_values(situation="Diperbaiki"), "Budi")
    pprg_store.save_document(pair.focal, gap(received[0], baseline="x"), "Budi")
    with pair.focal.begin() as s:
        assert local_status(s, received[0], YEAR)[1] == (
            "GBS: telaah untuk versi sebelumnya (perlu perbaikan)"
        )


def test_a_tampered_review_file_is_refused(
    pair: Pair, received: list[str], pokja_key: keys.SigningKey, tmp_path: Path
) -> None:
    path = _send(pair, received, pokja_key, tmp_path / "telaah.monevtelaah")
    tampered = tmp_path / "ubah.monevtelaah"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == DATA_PART:
                data = data.replace(b"perlu_perbaikan", b"diterima\x22\x2c\x22x\x22:\x22")
            dst.writestr(info, data)
    with pair.focal.begin() as s:
        pin_pokja_key(s, pokja_key.public)
    with pytest.raises(ReviewFileError, match="Tanda tangan tidak cocok"):
        import_review_file(pair.focal, tampered)
    with pair.focal.begin() as s:
        assert s.scalar(select(func.count()).select_from(PprgReview)) == 0


def test_a_review_file_from_another_key_is_refused(
    pair: Pair, received: list[str], pokja_key: keys.SigningKey, tmp_path: Path
) -> None:
    path = _send(pair, received, pair.key, tmp_path / "telaah.monevtelaah")  # not Pokja's
    with pytest.raises(ReviewFileError, match="belum disematkan"):
        import_review_file(pair.focal, path)
    with pair.focal.begin() as s:
        pin_pokja_key(s, pokja_key.public)
    with pytest.raises(ReviewFileError, match="bukan kunci Pokja"):
        import_review_file(pair.focal, path)
    with pair.pokja.begin() as s:  # Pokja's own database never takes its verdicts back in
        pin_pokja_key(s, pair.key.public)
        save_profile(s, Profile("pokja", "Siti Aminah", "198001012005011001", None, YEAR))
    with pytest.raises(ReviewFileError, match="basis data Pokja"):
        import_review_file(pair.pokja, path)
    with pair.focal.begin() as s:
        assert s.scalar(select(func.count()).select_from(PprgReview)) == 0


def test_nothing_reviewed_nothing_sent(
    pair: Pair, received: list[str], pokja_key: keys.SigningKey, tmp_path: Path
) -> None:
    with pytest.raises(LookupError, match="Belum ada dokumen"):
        export_review_file(pair.pokja, OPD, YEAR, pokja_key, tmp_path / "x.monevtelaah")
    assert not (tmp_path / "x.monevtelaah").exists()


def test_gbs_line_at_pokja_follows_the_received_document(pair: Pair, received: list[str]) -> None:
    from app.services.pprg_review import gbs_line

    with pair.pokja.begin() as s:
        assert gbs_line(s, received[0], YEAR) == "GBS: ada (belum ditelaah)"
        assert gbs_line(s, received[0], YEAR + 1) == "GBS: belum ada"
    _review(pair, received[0], ReviewStatus.PERLU_PERBAIKAN, "Anggaran")
    with pair.pokja.begin() as s:
        assert gbs_line(s, received[0], YEAR) == "GBS: ada (perlu perbaikan)"
