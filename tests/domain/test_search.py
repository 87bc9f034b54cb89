"""Searching rows: every word, anywhere in the row, regardless of case and accents."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.search import RowSearch, haystack, match, normalise, query_words, target_texts


@dataclass
class Row:
    id: int
    opd_code: str = "OPD-001"
    opd_name: str = "Dinas Kesehatan"
    aktivitas: str = ""
    indikator: str = ""
    satuan: str = ""
    keterangan: str = ""
    path: dict[str, str] = field(default_factory=dict)
    target_texts: list[str] = field(default_factory=list)


ROWS = [
    Row(1, indikator="Jumlah perempuan yang dilatih", satuan="orang"),
    Row(2, aktivitas="Pelatihan kader posyandu", path={"program": "PROGRAM KESEHATAN IBU"}),
    Row(3, opd_name="Dinas Sosial PPPA", keterangan="75% Perempuan dan 25% Laki-laki"),
    Row(4, target_texts=["30 orang terdiri dari 20 laki - laki, 9 perempuan, 1 disabilitas"]),
    Row(5, indikator="Cakupan   air\tbersih", satuan="%"),
]


def hay(rows: list[Row] = ROWS) -> dict[int, str]:
    return {r.id: haystack(r) for r in rows}


def test_normalise_folds_case_accents_and_spaces() -> None:
    assert normalise("  PEREMPUÁN\t dan  Anak ") == "perempuan dan anak"
    assert normalise("Straße") == "strasse"
    assert normalise("") == ""


def test_case_and_accent_insensitive() -> None:
    expected = [1, 3, 4]
    assert match(hay(), "PEREMPUAN") == expected
    assert match(hay(), "perempuán") == expected
    assert match(hay(), "Perempuan") == expected


def test_every_word_must_occur_anywhere_in_the_row() -> None:
    # Words from different columns: OPD name and keterangan.
    assert match(hay(), "sosial laki") == [3]
    # Hierarchy path and aktivitas, in any order.
    assert match(hay(), "kader ibu") == [2]
    assert match(hay(), "kader perempuan") == []
    # Target texts, satuan and collapsed whitespace in the data.
    assert match(hay(), "disabilitas 30 orang") == [4]
    assert match(hay(), "air bersih") == [5]


def test_words_do_not_match_across_columns() -> None:
    # Joining the columns for the haystack must not create words that no column has.
    rows = [Row(1, indikator="Jumlah anak", satuan="desa")]
    assert match(hay(rows), "anakdesa") == []
    assert match(hay(rows), "anak desa") == [1]


def test_empty_query_matches_all_in_order() -> None:
    assert match(hay(), "") == [1, 2, 3, 4, 5]
    assert match(hay(), "   ") == [1, 2, 3, 4, 5]


def test_query_words_drop_duplicates_and_contained_words() -> None:
    assert query_words("puan Perempuan PEREMPUAN") == ("perempuan",)
    assert query_words("ibu kader") == ("kader", "ibu")


def test_incremental_search_gives_the_same_answer_as_a_full_one() -> None:
    search = RowSearch(ROWS)
    for q in ["p", "pe", "per", "pere", "perempuan", "perempuan l", "perempuan la", "pe", ""]:
        assert search.match(q) == match(hay(), q), q
    # A query that is not an extension (a word removed) must search everything again.
    assert search.match("kader") == [2]
    assert search.match("orang") == [1, 4]


def test_update_reindexes_a_row() -> None:
    rows = [Row(1, indikator="Jumlah kader"), Row(2, indikator="Jumlah desa")]
    search = RowSearch(rows)
    assert search.match("kader") == [1]
    rows[1].target_texts.append("10 kader baru")
    search.update(rows[1])
    assert search.match("kader") == [1, 2]
    assert len(search) == 2


def test_target_texts_keep_each_years_official_text_and_its_proposal() -> None:
    pairs = [("30 orang", None), ("", "Usulan: 45 orang"), (None, None), ("40", "50")]
    assert target_texts(pairs) == ["30 orang", "Usulan: 45 orang", "40", "50"]
