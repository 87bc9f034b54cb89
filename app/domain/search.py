"""Finding plan rows by what a user types: every word, anywhere in the row, any case/accent.

Focal points search for words they remember from the printed matrix ("perempuan
pelatihan"), not for a column. So each row gets one *haystack*: every column it shows
or prints (OPD, hierarchy, aktivitas, indikator, satuan, keterangan, target texts),
normalised once. A keystroke then costs one substring test per word per row, and a
query that extends the previous one only re-tests the rows that matched before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Protocol

__all__ = ["RowSearch", "haystack", "match", "normalise", "query_words", "target_texts"]

_SPACE = re.compile(r"\s+")


class _Row(Protocol):
    """What :func:`haystack` needs of a row (``catalog.RowSummary`` has it all)."""

    id: int
    opd_code: str
    opd_name: str
    aktivitas: str
    indikator: str
    satuan: str
    keterangan: str
    path: dict[str, str]
    target_texts: list[str]


def normalise(text: str) -> str:
    """Casefold, drop accents (``perempuán`` → ``perempuan``), collapse whitespace.

    Decomposing with NFKD splits an accented letter into the letter and a combining
    mark; dropping the marks is what makes "é" match "e". NFKD also turns ligatures
    and full-width digits into their plain forms, which pasted text sometimes carries.
    """
    if not text:
        return ""
    if text.isascii():  # nearly all of the matrix: no accents to strip, 20x faster
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", plain).strip()


def target_texts(targets: Iterable[tuple[str | None, str | None]]) -> list[str]:
    """The target texts a row is found by: each year's official text and its proposal.

    ``targets`` gives (official text, proposed text) per year. A proposal is searchable
    too, so a row stays findable by the figure its OPD asked for. Written once here for
    the list read at start-up and for the one row refreshed after a save.
    """
    out: list[str] = []
    for text, proposed in targets:
        if text:
            out.append(text)
        if proposed:
            out.append(proposed)
    return out


def query_words(query: str) -> tuple[str, ...]:
    """The distinct normalised words of a query, longest first.

    Longest first because a long word rejects most rows, so the later (shorter, more
    common) words are tested on fewer rows.
    """
    words = set(normalise(query).split())
    # Drop words contained in another word of the query: "perempuan" already implies "puan".
    kept = {w for w in words if not any(w != o and w in o for o in words)}
    return tuple(sorted(kept, key=lambda w: (-len(w), w)))


def haystack(row: _Row, memo: dict[str, str] | None = None) -> str:
    """All searchable text of a row, normalised, fields separated by a newline.

    The separator keeps a query word from matching across two columns ("anak desa" as
    one word never matches the end of one field and the start of the next). ``memo``
    caches normalised fields: OPD and hierarchy names repeat on hundreds of rows.
    """
    memo = {} if memo is None else memo
    parts = [
        row.opd_code,
        row.opd_name,
        *row.path.values(),
        row.aktivitas,
        row.indikator,
        row.satuan,
        row.keterangan,
        *row.target_texts,
    ]
    out = []
    for p in parts:
        if p:
            n = memo.get(p)
            if n is None:
                n = memo[p] = normalise(p)
            out.append(n)
    return "\n".join(out)


def match(haystacks: Mapping[int, str], query: str) -> list[int]:
    """Ids (in the mapping's order) of the rows containing every word of ``query``.

    An empty query matches every row.
    """
    words = query_words(query)
    if not words:
        return list(haystacks)
    return _filter(haystacks.items(), words)


def _filter(items: Iterable[tuple[int, str]], words: tuple[str, ...]) -> list[int]:
    # Specialised loops for the common one- and two-word queries: the generic all()
    # with a generator costs about three times as much per row in CPython.
    if len(words) == 1:
        (w,) = words
        return [rid for rid, h in items if w in h]
    if len(words) == 2:
        w1, w2 = words
        return [rid for rid, h in items if w1 in h and w2 in h]
    return [rid for rid, h in items if all(w in h for w in words)]


class RowSearch:
    """Haystacks built once for a list of rows, and incremental narrowing per keystroke.

    Typing "pere", "perem", "perempuan" re-tests only the rows the previous query kept,
    because every word of the previous query is contained in a word of the new one.
    """

    def __init__(self, rows: Iterable[_Row]) -> None:
        memo: dict[str, str] = {}
        self._haystacks: dict[int, str] = {r.id: haystack(r, memo) for r in rows}
        self._last_words: tuple[str, ...] = ()
        self._last_ids: list[int] = list(self._haystacks)

    def __len__(self) -> int:
        return len(self._haystacks)

    @property
    def haystacks(self) -> Mapping[int, str]:
        return self._haystacks

    def update(self, row: _Row) -> None:
        """Re-index one row (its proposed target text changed); forgets the narrowing."""
        self._haystacks[row.id] = haystack(row)
        self._last_words = ()
        self._last_ids = list(self._haystacks)

    def match(self, query: str) -> list[int]:
        """Ids of matching rows, in row order; fast when the query extends the last one."""
        words = query_words(query)
        if not words:
            ids = list(self._haystacks)
        elif self._last_words and _narrows(self._last_words, words):
            hay = self._haystacks
            ids = _filter(((rid, hay[rid]) for rid in self._last_ids), words)
        else:
            ids = _filter(self._haystacks.items(), words)
        self._last_words, self._last_ids = words, ids
        return ids


def _narrows(previous: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """True when every row matching ``new`` also matched ``previous``.

    That holds when each old word is a substring of some new word: a row containing
    the new word contains the old one too.
    """
    return all(any(old in w for w in new) for old in previous)
