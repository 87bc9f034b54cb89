"""Issue 11, items 7 and 8: one rule for figures and one for texts, on every path.

Each value travels the ways a value can enter Pokja's database: the entry form, a fill-in
workbook, a signed submission, a signed matrix package. The largest allowed values come
through exactly and re-export to files that verify; one step beyond is refused on every
path with the same reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.arg import ArgError
from app.domain.realisation import FormError, RealisationValues, parse_realisation
from app.formats.arg_questions import current_question_set
from app.formats.canonical_json import SubmissionError
from app.formats.fillin import FillinError, read_workbook
from app.formats.matrix_package import MatrixError, read_matrix, write_matrix
from app.formats.submission import read_package
from app.models.schema import PlanNode, PlanRow
from app.services import arg_store, catalog, entry
from app.services.fillin_export import export_fillin
from app.services.importer import ACCEPTED, REFUSED, import_file
from app.services.matrix_state import plan_data
from app.services.profile import ProfileError, validate_profile
from tests.formats.test_fillin import fill, keys_of, measured, real
from tests.services.submission_helpers import (
    OPD,
    YEAR,
    Pair,
    content_of,
    dump_bytes,
    forge,
    make_pair,
    submit,
)

TOO_BIG = "terlalu besar untuk disimpan dengan tepat"
LARGEST = "999999999999999"  # 15 digits, whole
LARGEST_FRACTION = "99999999999.9999"  # 11 digits before the comma, 4 after
BEYOND = "999999999999999999"  # the budget: stored as 10**18 before


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def opd_row_ids(pair: Pair) -> list[tuple[int, str]]:
    """(id, stable key) of the OPD's rows in the focal point's database, in plan order."""
    with pair.focal.begin() as s:
        opd = catalog.find_opd(s, OPD)
        rows = s.execute(
            select(PlanRow.id, PlanRow.key).where(PlanRow.opd_id == opd.id).order_by(PlanRow.id)
        )
        return [(rid, key) for rid, key in rows]


def signed_real(content: dict[str, Any], key: str) -> dict[str, Any]:
    row = next(r for r in content["rows"] if r["key"] == key)
    return row["realisations"]["0"]


def first_real_at(content: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A copy of the rows and the first whole-year realisation in it (to edit)."""
    rows = [dict(r) for r in content["rows"]]
    first = next(r for r in rows if "0" in r["realisations"])
    first["realisations"] = {**first["realisations"], "0": dict(first["realisations"]["0"])}
    return rows, first["realisations"]["0"]


# ------------------------------------------------------------------ item 7: figures
def test_largest_figures_go_from_the_form_to_a_verified_file_and_into_pokja(
    pair: Pair, tmp_path: Path
) -> None:
    (row_a, key_a), (row_b, key_b) = opd_row_ids(pair)[:2]
    big = parse_realisation(
        {"total": LARGEST, "budget": "999.999.999.999.999", "spending": f"Rp {LARGEST}"}
    )
    frac = parse_realisation({"male": "99.999.999.999,9999", "evidence": "x" * 4000})
    entry.save_realisation(pair.focal, row_a, YEAR, big, "uji")
    entry.save_realisation(pair.focal, row_b, YEAR, frac, "uji")
    with pair.focal.begin() as s:
        assert entry.get_realisation(s, row_a, YEAR) == big
        assert entry.get_realisation(s, row_b, YEAR) == frac

    signed = read_package(submit(pair, tmp_path / "kiriman.xlsx"))  # verifies and validates
    a, b = signed_real(signed.content, key_a), signed_real(signed.content, key_b)
    assert (a["total"], a["budget"], a["spending"]) == (LARGEST, LARGEST, LARGEST)
    assert (b["male"], b["total"]) == (LARGEST_FRACTION, LARGEST_FRACTION)
    assert len(b["evidence"]) == 4000

    out = import_file(pair.pokja, tmp_path / "kiriman.xlsx", accept_new_key=True)
    assert out.outcome == ACCEPTED, out.reason
    ra, rb = real(pair.pokja, key_a), real(pair.pokja, key_b)
    assert ra is not None and rb is not None
    assert (ra["total"], ra["budget"], ra["spending"]) == (LARGEST, LARGEST, LARGEST)
    assert (rb["male"], rb["total"]) == (LARGEST_FRACTION, LARGEST_FRACTION)


def test_largest_figures_go_from_a_fillin_workbook_into_pokja_and_reexport(
    pair: Pair, tmp_path: Path
) -> None:
    blank = tmp_path / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, blank)
    keys = keys_of(pair.pokja, OPD)
    measured(pair.pokja, keys[1])  # row 6 gets a fraction: not a count of people
    filled = fill(
        blank,
        tmp_path / "terisi.xlsx",
        {"J5": int(LARGEST), "N5": int(LARGEST), "O5": LARGEST, "K6": "99.999.999.999,9999"},
    )
    out = import_file(pair.pokja, filled, user="Pokja")
    assert out.outcome == ACCEPTED, out.reason
    r0, r1 = real(pair.pokja, keys[0]), real(pair.pokja, keys[1])
    assert r0 is not None and r1 is not None
    assert (r0["total"], r0["budget"], r0["spending"]) == (LARGEST, LARGEST, LARGEST)
    assert (r1["male"], r1["total"]) == (LARGEST_FRACTION, LARGEST_FRACTION)
    # What Pokja now holds re-exports to a file that verifies, with the same figures.
    again = tmp_path / "ulang.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, again)
    back = read_workbook(again)
    line = next(ln for ln in back.lines if ln.key == keys[0])
    assert (line.breakdown.total, line.budget) == (Decimal(LARGEST), Decimal(LARGEST))


def test_one_beyond_is_refused_on_every_path_with_the_same_reason(
    pair: Pair, tmp_path: Path
) -> None:
    # The form
    with pytest.raises(FormError, match=TOO_BIG) as form_err:
        parse_realisation({"budget": "999.999.999.999.999.999"})
    assert form_err.value.field == "budget"
    # The entry service, for values that did not come from the form
    row_id, _key = opd_row_ids(pair)[0]
    before = dump_bytes(pair.focal)
    with pytest.raises(entry.EntryError, match=TOO_BIG):
        entry.save_realisation(
            pair.focal, row_id, YEAR, RealisationValues(budget=Decimal(BEYOND)), "u"
        )
    assert dump_bytes(pair.focal) == before

    # The fill-in workbook: per cell, naming it
    blank = tmp_path / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, blank)
    filled = fill(blank, tmp_path / "besar.xlsx", {"N5": int(BEYOND), "J6": "100.000.000.000,5"})
    with pytest.raises(FillinError) as fill_err:
        read_workbook(filled)
    assert any(
        e.startswith("Lembar 'Isian', baris 5, kolom N (Anggaran (Rp)):") and TOO_BIG in e
        for e in fill_err.value.errors
    )
    assert any(
        "baris 6, kolom J" in e and "11 angka di depan koma" in e for e in fill_err.value.errors
    )

    # The signed submission
    signed_file = submit(pair, tmp_path / "asli.xlsx")
    content = content_of(pair.focal)
    rows, r = first_real_at(content)
    r["budget"] = BEYOND
    bad = forge(signed_file, tmp_path / "besar-ttd.xlsx", {**content, "rows": rows}, pair.key)
    with pytest.raises(SubmissionError, match=TOO_BIG):
        read_package(bad)
    before = dump_bytes(pair.pokja)
    out = import_file(pair.pokja, bad, accept_new_key=True)
    assert out.outcome == REFUSED and TOO_BIG in out.reason
    assert dump_bytes(pair.pokja) == before

    # The signed matrix package: target figures and budgets
    pkg = matrix_with(pair, tmp_path / "besar.monevmatriks", budget=BEYOND)
    with pytest.raises(MatrixError, match=TOO_BIG):
        read_matrix(pkg)
    pkg = matrix_with(pair, tmp_path / "koma.monevmatriks", total="100000000000.5")
    with pytest.raises(MatrixError, match="11 angka di depan koma"):
        read_matrix(pkg)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("total", "1000000000000000", TOO_BIG),
        ("male", "0.12345", "4 angka di belakang koma"),
        ("spending", "1000000000000000", TOO_BIG),
        ("budget", "12.5", "tanpa sen"),
        ("budget", "-5", "tidak boleh negatif"),
        ("budget", "1e3", "tidak sah"),  # not the shape of a figure at all
    ],
)
def test_signed_figures_follow_the_form_rule(
    pair: Pair, tmp_path: Path, field: str, value: str, words: str
) -> None:
    signed_file = submit(pair, tmp_path / "asli.xlsx")
    content = content_of(pair.focal)
    rows, r = first_real_at(content)
    r.update({"total": None, "female": None, "disabled": None, "male": None, field: value})
    bad = forge(signed_file, tmp_path / "x.xlsx", {**content, "rows": rows}, pair.key)
    with pytest.raises(SubmissionError, match=words):
        read_package(bad)


def matrix_with(pair: Pair, out: Path, **target: Any) -> Path:
    """Pokja's plan as a signed package, with the first row's first target changed."""
    with pair.pokja.begin() as s:
        data = plan_data(s, catalog.get_plan(s))
    row = data["rows"][0]
    year = str(data["plan"]["start_year"])
    changed = {k: v for k, v in target.items() if k in ("total", "budget", "text")}
    row["targets"][year] = {**row["targets"][year], **changed}
    if "total" in changed:
        row["targets"][year].update({"male": None, "female": None, "disabled": None})
    for f, v in target.items():
        if f not in changed:
            row[f] = v
    write_matrix(out, data, pair.key, "uji", datetime(2026, 12, 1, 9, 0))
    return out


def test_a_matrix_within_the_rules_still_reads(pair: Pair, tmp_path: Path) -> None:
    pkg = matrix_with(
        pair, tmp_path / "ok.monevmatriks", total=LARGEST_FRACTION, budget=LARGEST, text="x" * 4000
    )
    assert read_matrix(pkg).data["rows"][0]["aktivitas"] is not None


# ------------------------------------------------------------------ item 8: texts
NUL, ESC, RLO = "\x00", "\x1b", "\u202e"


@pytest.mark.parametrize(("char", "code"), [(NUL, "U+0000"), (ESC, "U+001B"), (RLO, "U+202E")])
def test_control_and_bidi_characters_are_refused_in_a_signed_submission(
    pair: Pair, tmp_path: Path, char: str, code: str
) -> None:
    signed_file = submit(pair, tmp_path / "asli.xlsx")
    content = content_of(pair.focal)
    rows, r = first_real_at(content)
    r["note"] = f"selesai{char}dicek"
    bad = forge(signed_file, tmp_path / "kendali.xlsx", {**content, "rows": rows}, pair.key)
    before = dump_bytes(pair.pokja)
    out = import_file(pair.pokja, bad, accept_new_key=True)
    assert out.outcome == REFUSED
    assert re.search(rf"note: karakter \w+( \w+)? {re.escape(code)} tidak diizinkan", out.reason)
    assert char not in out.reason
    assert dump_bytes(pair.pokja) == before


def test_signed_texts_have_the_form_limits(pair: Pair, tmp_path: Path) -> None:
    signed_file = submit(pair, tmp_path / "asli.xlsx")
    content = content_of(pair.focal)
    rows, r = first_real_at(content)
    r["evidence"] = "x" * 10_000  # accepted before, while the form allows 4,000
    bad = forge(signed_file, tmp_path / "panjang.xlsx", {**content, "rows": rows}, pair.key)
    with pytest.raises(
        SubmissionError, match=r"evidence: terlalu panjang \(10000 huruf; maksimal 4000\)"
    ):
        read_package(bad)
    r["evidence"] = "x" * 4000
    ok = forge(signed_file, tmp_path / "pas.xlsx", {**content, "rows": rows}, pair.key)
    assert any(
        len(x.get("evidence", "")) == 4000
        for row in read_package(ok).content["rows"]
        for x in row["realisations"].values()
    )

    arg = [dict(a) for a in content["arg"]]
    assert arg, "the sample answers some ARG questions"
    arg[0]["remark"] = "k" * 2001  # the ARG form allows 2,000
    bad = forge(signed_file, tmp_path / "ket.xlsx", {**content, "arg": arg}, pair.key)
    with pytest.raises(SubmissionError, match="maksimal 2000"):
        read_package(bad)


def test_control_and_bidi_characters_are_refused_in_a_fillin_workbook(
    pair: Pair, tmp_path: Path
) -> None:
    blank = tmp_path / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, blank)
    filled = fill(
        blank,
        tmp_path / "kendali.xlsx",
        {"P5": f"SK{RLO}Bupati", "Q6": "a\x7fb", "Q7": "c\x85d", "P8": "x" * 4001},
    )
    with pytest.raises(FillinError) as err:
        read_workbook(filled)
    errors = err.value.errors
    assert any(
        e.startswith("Lembar 'Isian', baris 5, kolom P (Bukti Dukung):")
        and "U+202E tidak diizinkan" in e
        for e in errors
    )
    assert any("baris 6, kolom Q (Catatan)" in e and "U+007F" in e for e in errors)
    assert any("baris 7, kolom Q (Catatan)" in e and "U+0085" in e for e in errors)
    assert any("baris 8, kolom P" in e and "maksimal 4000" in e for e in errors)
    assert not any(RLO in e or "\x7f" in e or "\x85" in e for e in errors)


def test_fillin_text_is_stored_as_the_form_stores_it(pair: Pair, tmp_path: Path) -> None:
    blank = tmp_path / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, YEAR, blank)
    keys = keys_of(pair.pokja, OPD)
    filled = fill(
        blank, tmp_path / "ok.xlsx", {"P5": " baris satu\r\nbaris dua ", "Q5": "y" * 4000}
    )
    assert import_file(pair.pokja, filled).outcome == ACCEPTED
    r0 = real(pair.pokja, keys[0])
    assert r0 is not None
    assert r0["evidence"] == parse_realisation({"evidence": " baris satu\r\nbaris dua "}).evidence
    assert r0["evidence"] == "baris satu\nbaris dua" and len(r0["note"]) == 4000


def test_control_and_bidi_characters_are_refused_in_a_matrix_package(
    pair: Pair, tmp_path: Path
) -> None:
    pkg = matrix_with(pair, tmp_path / "rlo.monevmatriks", indikator=f"Jumlah{RLO}orang")
    with pytest.raises(
        MatrixError, match=re.escape("karakter pengarah teks U+202E tidak diizinkan")
    ):
        read_matrix(pkg)
    pkg = matrix_with(pair, tmp_path / "nul.monevmatriks", text=f"12{NUL} orang")
    with pytest.raises(MatrixError, match=re.escape("U+0000")):
        read_matrix(pkg)
    pkg = matrix_with(pair, tmp_path / "panjang.monevmatriks", aktivitas="a" * 4001)
    with pytest.raises(MatrixError, match="maksimal 4000"):
        read_matrix(pkg)


def test_form_side_services_refuse_what_files_refuse(pair: Pair) -> None:
    row_id, _key = opd_row_ids(pair)[0]
    before = dump_bytes(pair.focal)
    with pytest.raises(
        entry.EntryError, match=re.escape("Teks usulan target: karakter kendali U+0000")
    ):
        entry.propose_target(pair.focal, row_id, YEAR, f"12{NUL} orang", None, "u")
    with pytest.raises(entry.EntryError, match=r"Catatan: .*U\+202E"):
        entry.save_realisation(pair.focal, row_id, YEAR, RealisationValues(note=f"a{RLO}b"), "u")
    qset = current_question_set()
    with pair.focal.begin() as s:
        node_id = s.scalars(select(PlanNode.id).where(PlanNode.level == "kegiatan")).first()
    assert node_id is not None
    q = qset.questions[0].id
    with pytest.raises(ArgError, match=re.escape("Keterangan: karakter pengarah teks U+202E")):
        arg_store.save_answer(pair.focal, node_id, YEAR, qset, q, "ya", f"ok{RLO}", "u")
    with pytest.raises(ArgError, match=re.escape("U+001B")):
        arg_store.save_answer(pair.focal, node_id, YEAR, qset, q, "ya", f"ok{ESC}", "u")
    assert dump_bytes(pair.focal) == before
    # The preparer's name travels in every signed submission (at most 200 characters there).
    with pytest.raises(ProfileError, match="maksimal 200") as err:
        validate_profile("focal_point", "B" * 201, "198001012005011001", OPD, YEAR, [YEAR])
    assert err.value.field == "name"
    with pytest.raises(ProfileError, match=re.escape("U+202E")):
        validate_profile("focal_point", f"Budi{RLO}", "198001012005011001", OPD, YEAR, [YEAR])
