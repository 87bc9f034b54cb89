"""run_export: which export a request runs, and signing that falls back to an unsigned PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from app.formats import keys
from app.models.db import Database
from app.reports.pades import PadesError, SigningIdentity
from app.services import export_and_sign
from app.services.database import open_seeded
from app.services.export import ExportResult
from app.services.export_and_sign import (
    ExportRequest,
    PadesRequest,
    PadesSigningFailed,
    run_export,
)


@pytest.fixture
def seeded(tmp_path: Path):
    db = open_seeded(tmp_path / "m.sqlite")
    yield db
    db.dispose()


def test_the_request_names_its_kind(tmp_path: Path) -> None:
    key = cast(keys.SigningKey, object())
    assert ExportRequest(2022).kind == "report"
    assert ExportRequest(None, table="tc23").kind == "renstra"
    assert ExportRequest(2022, xlsx=tmp_path / "a.xlsx", submission_key=key).kind == "submission"
    # a submission lives in the workbook: without one it is the ordinary report
    assert ExportRequest(2022, pdf=tmp_path / "a.pdf", submission_key=key).kind == "report"


def test_a_report_request_writes_the_report(seeded: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = run_export(
        seeded,
        ExportRequest(2022, "Bappeda", xlsx=tmp_path / "a.xlsx"),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert isinstance(result, ExportResult)
    assert result.opd_code and result.xlsx == tmp_path / "a.xlsx" and result.xlsx.exists()
    assert seen[-1][0] == seen[-1][1]


def test_failed_signing_keeps_the_unsigned_pdf_and_says_so(
    seeded: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise PadesError("Sertifikat ditolak (uji).")

    monkeypatch.setattr(export_and_sign, "sign_pdf", fail)
    pdf = tmp_path / "a.pdf"
    pades = PadesRequest(tmp_path / "x.p12", cast(SigningIdentity, None), "uji", "Lumajang")
    with pytest.raises(PadesSigningFailed) as err:
        run_export(seeded, ExportRequest(2022, "Bappeda", pdf=pdf, pades=pades))
    assert str(err.value) == (
        "Laporan tersimpan, tetapi PDF BELUM ditandatangani secara elektronik: "
        f"Sertifikat ditolak (uji). Berkas: {pdf}. PDF dapat ditandatangani kemudian "
        "dengan perintah pdf-sign."
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
