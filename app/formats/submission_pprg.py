"""The GAP and GBS documents a submission carries (``pprg``, content format version 2).

An OPD's signed submission carries its own GAP and GBS of the submission's year as the
same dictionaries ``app.domain.pprg`` writes, so the signature over the content covers
them and the hash Pokja computes for a received document is the hash the OPD computes
for its own. Reading is as strict as for the rows: every document is parsed by the
domain's reader, must belong to the submission's OPD and year, appears once, and the
list and each document are capped; any fault refuses the whole file, with the reason.
Whether a document's kegiatan is one of the OPD's is checked against Pokja's plan by
``app/services/pprg_intake.py``.
"""

from __future__ import annotations

from typing import Any

from app.domain.pprg import (
    GapDocument,
    GbsDocument,
    Kind,
    PprgError,
    gap_from_dict,
    gbs_from_dict,
)
from app.formats.canonical_json import SubmissionError, canonical_bytes

PPRG_KEY = "pprg"
# One GAP and one GBS per kegiatan/sub kegiatan; the largest OPD plans hold a few
# hundred of those, so 2000 documents is generous and still bounds the work.
MAX_DOCUMENTS = 2000
# Each text field is capped by the text policy already; this caps a document as a whole
# (13 fields of 4000 characters, up to 4 bytes each, plus the GBS components).
MAX_DOCUMENT_BYTES = 512 * 1024

Document = GapDocument | GbsDocument


def _label(item: Any) -> str:
    if isinstance(item, dict):
        kind = str(item.get("kind", "?"))[:3].upper()
        node = str(item.get("node_key", "?"))[:64]
        return f"{kind} {node}"
    return "?"


def parse_pprg(items: Any, opd_code: str, year: int) -> list[Document]:
    """The documents of a submission's ``pprg`` list, refused whole on any fault."""
    if not isinstance(items, list):
        raise SubmissionError("Dokumen PPRG dalam kiriman harus berupa daftar; berkas ditolak.")
    if len(items) > MAX_DOCUMENTS:
        raise SubmissionError(
            f"Kiriman memuat {len(items)} dokumen PPRG, lebih dari batas {MAX_DOCUMENTS}; "
            "berkas ditolak."
        )
    out: list[Document] = []
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(items, start=1):
        where = f"Dokumen PPRG ke-{i} ({_label(item)})"
        if not isinstance(item, dict):
            raise SubmissionError(f"{where} bentuknya tidak sah; berkas ditolak.")
        try:
            size = len(canonical_bytes(item))
        except (TypeError, ValueError):
            raise SubmissionError(f"{where} bentuknya tidak sah; berkas ditolak.") from None
        if size > MAX_DOCUMENT_BYTES:
            raise SubmissionError(
                f"{where} terlalu besar ({size:,} bita; batas {MAX_DOCUMENT_BYTES:,}); "
                "berkas ditolak."
            )
        kind = item.get("kind")
        try:
            if kind == Kind.GAP.value:
                doc: Document = gap_from_dict(item)
            elif kind == Kind.GBS.value:
                doc = gbs_from_dict(item)
            else:
                raise PprgError("jenis dokumen harus GAP atau GBS.")
        except PprgError as exc:
            raise SubmissionError(f"{where} tidak sah: {exc} Berkas ditolak.") from None
        if doc.opd_code != opd_code:
            raise SubmissionError(
                f"{where} milik Perangkat Daerah lain ({doc.opd_code}), bukan {opd_code}; "
                "berkas ditolak seluruhnya."
            )
        if doc.year != year:
            raise SubmissionError(
                f"{where} untuk tahun {doc.year}, bukan tahun kiriman {year}; berkas ditolak."
            )
        ident = (str(kind), doc.node_key)
        if ident in seen:
            raise SubmissionError(f"{where} tercantum dua kali; berkas ditolak.")
        seen.add(ident)
        out.append(doc)
    return out


__all__ = ["MAX_DOCUMENTS", "MAX_DOCUMENT_BYTES", "PPRG_KEY", "parse_pprg"]
