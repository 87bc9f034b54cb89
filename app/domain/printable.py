"""How a name from outside (a file name, a zip part name) is shown in one line of text.

A received file's name is chosen by whoever sent it. Printed as is, a newline in it
starts a new line that can read like a verdict ("SAH ..."), an escape sequence can
recolour or clear the terminal, and a bidi override (U+202E) can reverse what follows
it. Such characters are shown as Python-style escapes (``\\n``, ``\\x1b``, ``\\u202e``)
so that the name stays on its line and reads as what it is. Names from a Linux file
system that are not UTF-8 arrive as lone surrogates; they are escaped too (they could
not be printed or stored otherwise).
"""

from __future__ import annotations

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(ch: str) -> bool:
    o = ord(ch)
    return (
        o < 0x20  # C0 controls
        or 0x7F <= o <= 0x9F  # DEL and C1 controls (NEL U+0085 breaks lines too)
        or 0x202A <= o <= 0x202E  # bidi embeddings and overrides
        or 0x2066 <= o <= 0x2069  # bidi isolates
        or o in (0x200E, 0x200F, 0x061C)  # bidi marks
        or o in (0x2028, 0x2029)  # line and paragraph separators
        or 0xD800 <= o <= 0xDFFF  # lone surrogates (undecodable bytes of a file name)
        or o == 0xFEFF  # an invisible byte-order mark
    )


def _escape(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    o = ord(ch)
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def shown_name(text: str) -> str:
    """``text`` with every control, bidi or undecodable character escaped; else unchanged."""
    if not any(_escaped(ch) for ch in text):
        return text
    return "".join(_escape(ch) if _escaped(ch) else ch for ch in text)


def shown_lines(text: str) -> str:
    """A multi-line message (a refusal listing its problems) with each line escaped.

    The message's own line breaks stay; a line break or control character that came in
    with a quoted name or cell value cannot start a line of its own.
    """
    return "\n".join(shown_name(line) for line in text.split("\n"))


__all__ = ["shown_lines", "shown_name"]
