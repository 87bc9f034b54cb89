"""One rule for every text that is stored: how long it may be and which characters it may hold.

The same rule runs wherever a text enters: the entry form, the ARG answers, the fill-in
workbook, a signed submission and a matrix package. Before it there were three limits
(4,000 in the form, 10,000 in signed files) and no character rule at all, so a signed
file could bring a NUL (which cut the stored text short), an ESC or a bidi override
(U+202E, which makes a text read backwards on screen and in reports).

Refused characters: C0 controls other than TAB, LF and CR; DEL; C1 controls
(U+0080–U+009F); the bidi embedding, override and isolate controls (U+202A–U+202E,
U+2066–U+2069); lone surrogates (U+D800–U+DFFF); the non-characters U+FFFE and U+FFFF.
What people type is cleaned first (line ends to LF, outer spaces dropped); what a signed
file carries is only checked, never changed, since the signature covers it as it is.
"""

from __future__ import annotations

import re

__all__ = [
    "FREE_TEXT_MAX",
    "PERSON_NAME_MAX",
    "REMARK_MAX",
    "TextError",
    "check_text",
    "clean_text",
    "forbidden_character",
    "text_problem",
    "visible",
]

FREE_TEXT_MAX = 4000  # evidence, notes, proposed target texts, official plan texts
REMARK_MAX = 2000  # an ARG answer's remark (the "Ket" column of the instrument)
PERSON_NAME_MAX = 200  # a person's name, NIP or role as a signed submission carries it

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


class TextError(ValueError):
    """A text refused by the policy; the message is Indonesian, without the field's name."""


def _kind(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "karakter kendali"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "karakter pengarah teks"
    if 0xD800 <= code <= 0xDFFF:
        return "karakter pengganti (surrogate) tunggal"
    return "bukan-karakter"


def forbidden_character(text: str) -> str | None:
    """``"karakter kendali U+0000 tidak diizinkan (karakter ke-4)"``, or None when clean."""
    m = _FORBIDDEN.search(text)
    if m is None:
        return None
    ch = m.group()
    return f"{_kind(ch)} U+{ord(ch):04X} tidak diizinkan (karakter ke-{m.start() + 1})"


def text_problem(text: str, limit: int) -> str | None:
    """What is wrong with ``text`` under the policy (Indonesian), or None."""
    if len(text) > limit:
        return f"terlalu panjang ({len(text)} huruf; maksimal {limit})"
    bad = forbidden_character(text)
    if bad is not None:
        return f"{bad}; hapus karakter itu"
    return None


def check_text(text: str, limit: int) -> str:
    """Return ``text`` unchanged when the policy allows it, else raise :class:`TextError`."""
    problem = text_problem(text, limit)
    if problem is not None:
        raise TextError(problem + ".")
    return text


def clean_text(text: str | None, limit: int) -> str:
    """What a person typed, as stored: line ends as LF, outer spaces gone, then checked."""
    cleaned = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return check_text(cleaned, limit)


def visible(text: str) -> str:
    """``text`` with every forbidden character shown as ``<U+202E>``, for messages and logs
    (a refused text quoted raw would carry its NUL or its bidi override into the message)."""
    return _FORBIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
