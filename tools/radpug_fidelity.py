"""Two extraction defects of Tabel 4.2 that the converter repairs by rule.

An independent check of every data line of the seed found the conversion faithful except
for two patterns the PDF extraction leaves behind. Both are repaired here for every line
where they occur (not per example), and every repaired line is listed in the review file:

* **Shifted lines.** A full-width line whose cells all moved one column to the left: the
  activity sits in SUB KEGIATAN, the indicator in AKTIVITAS, the unit in INDIKATOR, the
  first year's figure in SATUAN and the last target column is empty (seed line 1804:
  ``… persentase pemenuhan operasional puskesmas | persen | 82 | 83 | 83 | (empty)``).
* **Remarks cut by a page break.** The KETERANGAN of the last row of a page runs on past
  the break and the extractor attaches the rest to the first row of the next page, here
  another OPD's (seed line 1071, Dinas Pariwisata, carries the end of line 1068's
  DPMPTSP remark "… pentingnya kesetaraan" + "Gender pada kegiatan Koordinasi …").
  The same cut happens inside one OPD's block, where word overlap cannot tell the rows
  apart (they share program and kegiatan): there the fragment itself shows it is a tail
  (``is_tail``) and the cell above shows it was cut (``is_cut``). Seed line 1378 carries
  the end of line 1375's indicator ("… Fasilitas Pelayanan" + "Kesehatan yg diadakan")
  and remark; line 1372 closes the bracket that line 1366's remark opened.
"""

from __future__ import annotations

import re

# A figure alone in a cell ("82", "1.200", "100%"); a lone "%" is a unit, not a figure.
BARE_FIGURE_RE = re.compile(r"^[.,%\s\-–]*\d[\d.,%\s\-–]*$")
# What a SATUAN cell holds in this table: one or two short words ("persen", "kali",
# "orang", "Kegiatan", "%", "unit"). An indicator is a phrase, never this short.
UNIT_RE = re.compile(r"^(%|[A-Za-z][A-Za-z/.]*(\s[A-Za-z/.]+)?)$")
UNIT_MAX_LEN = 20
# Words too common in remarks to show which row a text is about.
STOPWORDS = frozenset(
    [
        "dan",
        "yang",
        "dengan",
        "untuk",
        "dalam",
        "pada",
        "bagi",
        "dari",
        "oleh",
        "atau",
        "serta",
        "agar",
        "sehingga",
        "adalah",
        "laki",
        "perempuan",
        "disabilitas",
        "peserta",
        "terdiri",
        "kegiatan",
        "jumlah",
        "orang",
        "kali",
        "tahun",
        "responsif",
        "gender",
        "sasaran",
        "target",
        "baik",
        "juga",
        "akan",
        "dapat",
        "telah",
        "sudah",
        "secara",
    ]
)
WORD_RE = re.compile(r"[a-z]{4,}")


def looks_like_unit(text: str) -> bool:
    return bool(text) and len(text) <= UNIT_MAX_LEN and bool(UNIT_RE.match(text.strip()))


def is_shifted_left(values: dict[str, str], indicator_re: re.Pattern[str]) -> bool:
    """True when a full-width line reads like the row one column to its right.

    All of: the last target column is empty, INDIKATOR holds a unit, AKTIVITAS holds an
    indicator phrase, and SATUAN holds the first year's figure (or, when the row has no
    targets at all, is empty). A real row never has a unit word as its indicator while a
    "Jumlah …/Persentase …" phrase stands in the activity column.
    """
    if values["t2"] or not looks_like_unit(values["indikator"]):
        return False
    if not indicator_re.match(values["aktivitas"]):
        return False
    satuan = values["satuan"]
    if satuan:
        return bool(BARE_FIGURE_RE.match(satuan))
    return not (values["t0"] or values["t1"])


def realign_left(left: list[str]) -> list[str]:
    """Move every cell of a shifted line one column right, from its first filled cell.

    The column it leaves empty is carried down from the row above like any blank
    hierarchy cell (the line started one level too high).
    """
    first = next((i for i, c in enumerate(left) if c), len(left))
    if left and left[-1]:
        raise ValueError("the last column of a shifted line must be empty")
    return [*left[:first], "", *left[first:-1]]


def words(text: str) -> set[str]:
    return set(WORD_RE.findall(text.casefold())) - STOPWORDS


def is_unfinished(text: str) -> bool:
    """A remark that stops mid-sentence: it ends with a letter (no full stop, bracket,
    figure or percent sign)."""
    text = text.rstrip()
    return bool(text) and text[-1].isalpha()


def continues_previous(
    text: str, prev_remark: str, prev_fields: list[str], own_fields: list[str]
) -> bool:
    """Whether ``text`` (the remark of the first row of a page) ends the previous row's.

    All of: the previous row's remark stops mid-sentence, and the text speaks about the
    previous row (at least three of its distinctive words appear in that row's names)
    and not at all about its own row (none of them appear in its own names).
    """
    if not text or not is_unfinished(prev_remark):
        return False
    mine = words(text)
    about_prev = mine & words(" ".join(prev_fields))
    about_own = mine & words(" ".join(own_fields))
    return len(about_prev) >= 3 and not about_own


# A cell long enough to have wrapped over printed lines: only such a cell can run past
# the foot of a page (a short remark such as "lokasi di 19 pkm" fits on one line).
CUT_MIN_LEN = 30


def unbalanced(text: str) -> int:
    """Opening minus closing round brackets."""
    return text.count("(") - text.count(")")


def is_cut(text: str, min_len: int = CUT_MIN_LEN) -> bool:
    """A cell that stops mid-sentence at a page's foot: long, and ending with a letter
    or leaving a bracket open."""
    text = text.rstrip()
    return len(text) >= min_len and (text[-1].isalpha() or unbalanced(text) > 0)


def is_tail(fragment: str) -> bool:
    """Text that cannot start a remark of its own: it starts in lower case (mid-sentence)
    or closes a bracket it never opened."""
    fragment = fragment.strip()
    return bool(fragment) and (fragment[0].islower() or unbalanced(fragment) < 0)
