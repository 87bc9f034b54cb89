"""Canonical JSON: the one byte form of everything that is signed or hashed.

Submissions, signature parts, matrix packages and public-key files all travel as
canonical JSON (sorted keys, no spaces, UTF-8, no floats) so that the same value always
gives the same bytes, and a signature or hash over those bytes means one thing. Reading
is strict: floats, NaN, duplicate keys and any non-canonical spelling are refused.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from app.formats import keys
from app.formats.refusal import SubmissionError, refusing

# No integer in any of our formats comes near this many digits; a longer one is refused
# before Python turns it into an int (which is slow, and past 4,300 digits a ValueError).
MAX_INT_DIGITS = 40


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8; floats are refused (numbers travel as strings)."""

    def check(v: Any) -> None:
        if isinstance(v, float):
            raise TypeError("float in submission content")
        if isinstance(v, dict):
            for x in v.values():
                check(x)
        elif isinstance(v, list):
            for x in v:
                check(x)

    check(content)
    return _dumps(content)


def _dumps(content: dict[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verification_code(content_sha256: str) -> str:
    """Short code printed on paper: the first 12 hex digits in groups of four."""
    return keys.grouped(content_sha256[:12]).replace(" ", "-")


def _no_float(text: str) -> Any:
    raise SubmissionError(f"Isi kiriman memuat angka pecahan mentah ({text[:20]}).")


def _no_constant(text: str) -> Any:
    raise SubmissionError(f"Isi kiriman memuat nilai tidak sah ({text}).")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise SubmissionError(
            f"Isi kiriman memuat bilangan bulat yang terlalu panjang ({len(text):,} angka)."
        )
    return int(text)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise SubmissionError(f"Isi kiriman memuat kunci ganda ({k[:40]}).")
        out[k] = v
    return out


@refusing()
def parse_canonical(data: bytes) -> dict[str, Any]:
    """The JSON object in ``data``, refused unless ``data`` is exactly its canonical form."""
    try:
        value = json.loads(
            data.decode("utf-8"),
            parse_float=_no_float,
            parse_int=_int,
            parse_constant=_no_constant,
            object_pairs_hook=_no_duplicates,
        )
    except SubmissionError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise SubmissionError(f"Isi kiriman bukan JSON yang sah: {str(exc)[:200]}") from None
    if not isinstance(value, dict):
        raise SubmissionError("Isi kiriman bukan objek JSON.")
    try:
        # Without canonical_bytes' walk for floats: json.loads above refused every one.
        canonical = _dumps(value)
    except (UnicodeEncodeError, RecursionError):
        # A lone surrogate ("\ud800") has no UTF-8 form, so no canonical form either.
        raise SubmissionError("Isi kiriman memuat teks yang tidak sah (bukan UTF-8).") from None
    if canonical != data:
        raise SubmissionError("Isi kiriman tidak dalam bentuk kanonik.")
    return value


__all__ = [
    "MAX_INT_DIGITS",
    "SubmissionError",
    "canonical_bytes",
    "content_hash",
    "parse_canonical",
    "verification_code",
]
