"""pdf-sign and pdf-verify from the command line, on a report made by ``report``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from app.__main__ import main
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.services.seeding import load_plan_data
from tests.reports.pades_helpers import PASSPHRASE, SIGNER_CN, Pki, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-pades")
    db = open_database(folder / "m.sqlite")
    load_plan_data(db, synthetic_plan(40, opds=2))
    db.dispose()
    pdf = folder / "laporan.pdf"
    code = main(["report", "--db", str(folder / "m.sqlite"), "--year", "2023", "--pdf", str(pdf)])
    assert code == 0
    return pdf


def _secret(tmp_path: Path, text: bytes = PASSPHRASE) -> Path:
    path = tmp_path / "sandi.txt"
    path.write_bytes(text + b"\n")
    return path


def test_sign_then_verify(
    report_pdf: Path, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ttd.pdf"
    args = ["pdf-sign", "--pdf", str(report_pdf), "--out", str(out), "--p12", str(pki.p12)]
    assert main([*args, "--passphrase-file", str(_secret(tmp_path))]) == 0
    printed = capsys.readouterr().out
    assert f"PDF ditandatangani: {out}" in printed and SIGNER_CN in printed
    assert PASSPHRASE.decode() not in printed

    assert main(["pdf-verify", str(out), "--trust", str(pki.ca_pem)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("SAH\tttd.pdf\t")
    assert "utuh, mencakup seluruh berkas" in line and "sertifikat tepercaya" in line

    # Unknown issuer: said, but not a failure.
    assert main(["pdf-verify", str(out)]) == 0
    line = capsys.readouterr().out
    assert line.startswith("UTUH\tttd.pdf\t") and "tidak dapat dipastikan" in line


def test_verify_fails_for_a_tampered_or_unsigned_file(
    report_pdf: Path,
    pki: Pki,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MONEV_P12_PASSPHRASE", PASSPHRASE.decode())
    signed = tmp_path / "ttd.pdf"
    assert (
        main(["pdf-sign", "--pdf", str(report_pdf), "--out", str(signed), "--p12", str(pki.p12)])
        == 0
    )
    data = bytearray(signed.read_bytes())
    data[data.index(b"ReportLab Generated PDF")] ^= 0x20
    broken = tmp_path / "rusak.pdf"
    broken.write_bytes(bytes(data))
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT ET"))
    writer.update_container(page)
    changed = tmp_path / "ubah.pdf"
    with changed.open("wb") as fh:
        writer.write(fh)
    capsys.readouterr()

    files = [signed, broken, changed, report_pdf]
    assert main(["pdf-verify", *map(str, files), "--trust", str(pki.ca_pem)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split("\t")[0] for ln in lines] == ["SAH", "TIDAK SAH", "DIUBAH", "TANPA TTD"]
    assert "DIUBAH SETELAH DITANDATANGANI" in lines[2]


def test_wrong_passphrase_is_an_error_and_writes_nothing(
    report_pdf: Path, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ttd.pdf"
    code = main(
        [
            "pdf-sign",
            "--pdf",
            str(report_pdf),
            "--out",
            str(out),
            "--p12",
            str(pki.p12),
            "--passphrase-file",
            str(_secret(tmp_path, b"salah")),
        ]
    )
    assert code == 1
    assert "Kata sandi sertifikat kepala-opd.p12 salah" in capsys.readouterr().err
    assert not out.exists()


def test_no_passphrase_without_a_terminal_is_a_usage_error(
    report_pdf: Path,
    pki: Pki,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("MONEV_P12_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    out = tmp_path / "ttd.pdf"
    code = main(["pdf-sign", "--pdf", str(report_pdf), "--out", str(out), "--p12", str(pki.p12)])
    assert code == 2
    assert "MONEV_P12_PASSPHRASE" in capsys.readouterr().err
    assert not out.exists()


def test_bad_trust_root_is_a_usage_error(
    report_pdf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "akar.pem"
    bad.write_text("bukan", encoding="utf-8")
    assert main(["pdf-verify", str(report_pdf), "--trust", str(bad)]) == 2
    assert "bukan sertifikat X.509" in capsys.readouterr().err


def test_verify_command_reads_signed_pdfs_too(
    report_pdf: Path, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ttd.pdf"
    args = ["pdf-sign", "--pdf", str(report_pdf), "--out", str(out), "--p12", str(pki.p12)]
    assert main([*args, "--passphrase-file", str(_secret(tmp_path))]) == 0
    capsys.readouterr()
    # One command for everything a Pokja member receives: the signed PDF is checked, the
    # unsigned report PDF fails (non-zero exit), each on its own line.
    assert main(["verify", str(out), str(report_pdf), "--trust", str(pki.ca_pem)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("SAH\tttd.pdf\t")
    assert lines[1].startswith("TANPA TTD\tlaporan.pdf\t")
    assert main(["verify", str(out), "--trust", str(tmp_path / "tidak-ada.pem")]) == 2
