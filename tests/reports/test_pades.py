"""PAdES signing of a real report PDF with a test PKCS#12, and the offline check of it."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from app.reports.pades import PadesError, load_identity, sign_pdf, verify_pdf
from tests.reports.conftest import SIGNER, Rendered, need, run
from tests.reports.pades_helpers import ORG, PASSPHRASE, SIGNER_CN, Pki, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def signed(rendered: Rendered, pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("signed") / "laporan-ttd.pdf"
    sign_pdf(rendered.opd_pdf, out, pki.p12, PASSPHRASE)
    return out


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_signed_report_is_intact_whole_and_trusted_with_its_ca(signed: Path, pki: Pki) -> None:
    report = verify_pdf(signed, [pki.ca_pem])
    assert report.ok and len(report.signatures) == 1
    sig = report.signatures[0]
    assert sig.intact and sig.valid and sig.whole_file and not sig.modified
    assert sig.trusted
    assert sig.signer == SIGNER_CN and sig.organisation == ORG
    assert sig.field_name == "TandaTanganKepalaOPD"
    assert sig.signing_time is not None
    assert abs(sig.signing_time - datetime.now(UTC)) < timedelta(minutes=10)
    assert "utuh, mencakup seluruh berkas" in report.summary
    assert "sertifikat tepercaya" in report.summary
    assert SIGNER_CN in report.summary


def test_without_the_ca_trust_cannot_be_established_but_the_file_is_fine(
    signed: Path, pki: Pki
) -> None:
    alone = verify_pdf(signed)
    assert alone.ok and not alone.signatures[0].trusted
    assert "tidak dapat dipastikan (tidak ada sertifikat akar)" in alone.summary
    other = verify_pdf(signed, [pki.other_ca_pem])
    assert other.ok and not other.signatures[0].trusted
    assert "penerbit tidak dikenal" in other.summary


def test_signing_is_an_incremental_update_readers_still_accept(
    signed: Path, rendered: Rendered
) -> None:
    original = rendered.opd_pdf.read_bytes()
    assert signed.read_bytes().startswith(original)  # the report's bytes are untouched
    need("qpdf", "pdftotext")
    check = run("qpdf", "--check", str(signed))
    assert check.returncode == 0, check.stdout + check.stderr
    text = run("pdftotext", "-raw", "-enc", "UTF-8", str(signed), "-")
    assert text.returncode == 0
    assert SIGNER.name in " ".join(text.stdout.split())


def test_bytes_appended_after_signing_are_reported(signed: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tambah.pdf"
    tampered.write_bytes(signed.read_bytes() + b"\n% ditambahkan kemudian\n")
    report = verify_pdf(tampered)
    sig = report.signatures[0]
    assert sig.intact and not sig.whole_file
    # pyHanko finds no change to the document's content in trailing junk: said, not hidden.
    assert sig.modification == "NONE" and not sig.modified
    assert "ditambahkan di belakang berkas setelah ditandatangani" in report.summary


def test_page_content_changed_after_signing_is_reported_as_modified(
    signed: Path, tmp_path: Path
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    fake = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 500 Td (PALSU) Tj ET")
    page["/Contents"] = writer.add_object(fake)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    tampered = tmp_path / "ubah.pdf"
    tampered.write_bytes(out.getvalue())

    report = verify_pdf(tampered)
    sig = report.signatures[0]
    assert sig.intact  # the signed revision itself is unchanged…
    assert sig.modified and not report.ok  # …but what was added afterwards is not allowed
    assert report.summary.startswith("DIUBAH SETELAH DITANDATANGANI")


def test_a_flipped_byte_inside_the_signed_range_is_not_intact(signed: Path, tmp_path: Path) -> None:
    data = bytearray(signed.read_bytes())
    at = data.index(b"ReportLab Generated PDF")  # the header comment: parsing unaffected
    data[at] ^= 0x20
    flipped = tmp_path / "balik.pdf"
    flipped.write_bytes(bytes(data))
    report = verify_pdf(flipped)
    assert not report.signatures[0].intact and not report.ok
    assert report.summary.startswith("TIDAK SAH")


def test_a_second_signature_keeps_the_first_valid(signed: Path, pki: Pki, tmp_path: Path) -> None:
    twice = tmp_path / "dua.pdf"
    sign_pdf(signed, twice, pki.p12, PASSPHRASE, reason="Diterima Pokja PUG")
    report = verify_pdf(twice, [pki.ca_pem])
    assert [s.field_name for s in report.signatures] == [
        "TandaTanganKepalaOPD",
        "TandaTanganKepalaOPD2",
    ]
    first, second = report.signatures
    assert first.modification == "FORM_FILLING" and not first.modified and not first.whole_file
    assert second.whole_file and report.ok
    assert "hanya ditambah tanda tangan" in first.summary


def test_signing_in_place(rendered: Rendered, pki: Pki, tmp_path: Path) -> None:
    target = tmp_path / "laporan.pdf"
    shutil.copyfile(rendered.opd_pdf, target)
    sign_pdf(target, target, pki.p12, PASSPHRASE)
    assert verify_pdf(target).ok
    assert _leftovers(tmp_path) == []


def test_wrong_passphrase_is_explained_and_writes_nothing(
    rendered: Rendered, pki: Pki, tmp_path: Path
) -> None:
    out = tmp_path / "keluar.pdf"
    with pytest.raises(PadesError, match=r"Kata sandi sertifikat kepala-opd\.p12 salah"):
        sign_pdf(rendered.opd_pdf, out, pki.p12, b"salah")
    assert not out.exists() and _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("ca_pem", "bukan berkas sertifikat PKCS#12"),
        ("p12_without_key", "tanpa kunci privat"),
        ("expired_p12", "sudah kedaluwarsa"),
    ],
)
def test_unusable_certificates_are_refused(
    rendered: Rendered, pki: Pki, tmp_path: Path, which: str, message: str
) -> None:
    out = tmp_path / "keluar.pdf"
    with pytest.raises(PadesError, match=message):
        sign_pdf(rendered.opd_pdf, out, getattr(pki, which), PASSPHRASE)
    assert not out.exists() and _leftovers(tmp_path) == []


def test_missing_certificate_file(rendered: Rendered, tmp_path: Path) -> None:
    with pytest.raises(PadesError, match="tidak ditemukan"):
        load_identity(tmp_path / "tidak-ada.p12", PASSPHRASE)


def test_identity_names_the_signer_and_expiry(pki: Pki) -> None:
    identity = load_identity(pki.p12, PASSPHRASE)
    assert identity.name == SIGNER_CN and identity.organisation == ORG
    assert identity.not_after > datetime.now(UTC)


def test_unreadable_pdfs_are_refused(pki: Pki, tmp_path: Path) -> None:
    text = tmp_path / "bukan.pdf"
    text.write_text("ini bukan PDF", encoding="utf-8")
    with pytest.raises(PadesError, match="bukan berkas PDF"):
        sign_pdf(text, tmp_path / "a.pdf", pki.p12, PASSPHRASE)
    broken = tmp_path / "rusak.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n")
    with pytest.raises(PadesError, match="tidak dapat ditandatangani"):
        sign_pdf(broken, tmp_path / "b.pdf", pki.p12, PASSPHRASE)
    assert not (tmp_path / "a.pdf").exists() and not (tmp_path / "b.pdf").exists()
    assert "bukan berkas PDF" in verify_pdf(text).summary
    assert not verify_pdf(broken).ok


def test_an_unsigned_report_says_so(rendered: Rendered) -> None:
    report = verify_pdf(rendered.opd_pdf)
    assert not report.has_signatures and not report.ok
    assert report.summary == "Tidak ada tanda tangan elektronik (PAdES) di berkas ini."


def test_an_unreadable_trust_root_is_an_error(signed: Path, tmp_path: Path) -> None:
    bad = tmp_path / "akar.pem"
    bad.write_text("bukan sertifikat", encoding="utf-8")
    with pytest.raises(PadesError, match=r"bukan sertifikat X\.509"):
        verify_pdf(signed, [bad])
