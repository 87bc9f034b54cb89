"""Convert Tabel 4.2 of the RAD PUG regulation (seed text) into the plan data file.

Every new database is seeded from ``resources/plans/radpug_lumajang_2022_2024.json``. That
file is generated, never edited by hand: this converter reads the text extracted from the
PDF of Perbup Lumajang No. 3/2023, applies the small committed corrections file and writes
the data plus a review file that lists everything a person should check.

Why the parsing is not a plain ``split("\\t")``: the PDF extraction repeats the column
header on every page, drops columns that are empty on a page (so a row has 13, 14 or 15
cells), splits a merged cell across a page break ("… Dalam 1 (Satu)" / "Daerah
Kabupaten/Kota") and sometimes echoes the first words of the next row. Rows are therefore
anchored on the OPD cell (recognised by name) and the missing columns of a page are chosen
by scoring what each cell looks like (a figure, a unit, an indicator, a program name).

Run ``python -m tools.convert_radpug`` to regenerate, ``--check`` to verify that the
committed files match (CI).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # allow "python tools/convert_radpug.py" too
    sys.path.insert(0, str(REPO_ROOT))

from app.domain.target_text import ParsedTarget, parse_share, parse_target  # noqa: E402
from tools.radpug_fidelity import (  # noqa: E402
    continues_previous,
    is_cut,
    is_shifted_left,
    is_tail,
    looks_like_unit,
    realign_left,
)
from tools.seedconv import dump_json, load_json, md_cell, seed_path, write_outputs  # noqa: E402

SEED_NAME = "000_a1fe802cd249cbe9.txt"
DEFAULT_OUT = REPO_ROOT / "resources" / "plans" / "radpug_lumajang_2022_2024.json"
DEFAULT_REVIEW = REPO_ROOT / "resources" / "plans" / "radpug_lumajang_2022_2024.review.md"
CORRECTIONS_PATH = REPO_ROOT / "tools" / "corrections" / "radpug_lumajang_2022_2024.json"
OPD_PATH = REPO_ROOT / "resources" / "opd_lumajang.json"

START_YEAR, END_YEAR = 2022, 2024
PLAN: dict[str, Any] = {
    "code": "RADPUG-LMJ-2022-2024",
    "kind": "radpug",
    "title": "Rencana Aksi Daerah Pengarusutamaan Gender Kabupaten Lumajang 2022–2024",
    "start_year": START_YEAR,
    "end_year": END_YEAR,
    "source": "Peraturan Bupati Lumajang Nomor 3 Tahun 2023, Lampiran Tabel 4.2",
}
YEARS = [str(y) for y in range(START_YEAR, END_YEAR + 1)]

# The 13 columns left of OPD, in document order; t0..t2 are the target years.
SLOTS = [
    "no",
    "misi",
    "tujuan",
    "sasaran",
    "program",
    "kegiatan",
    "sub_kegiatan",
    "aktivitas",
    "indikator",
    "satuan",
    "t0",
    "t1",
    "t2",
]
HIER = SLOTS[:8]  # carried down when blank (merged cells); aktivitas is merged too
TEXT_FIELDS = [*SLOTS[:10], "keterangan"]
N_LEFT = len(SLOTS)
# When a page lacks columns, which are most likely missing (first = most likely). Used
# only to break ties between equally plausible layouts.
DROP_PREFERENCE = [
    "program",
    "no",
    "misi",
    "tujuan",
    "sasaran",
    "indikator",
    "aktivitas",
    "kegiatan",
    "sub_kegiatan",
    "t2",
    "t1",
    "t0",
    "satuan",
]

# OPD spellings in the seed that do not name their OPD plainly, with why they map where
# they do; the review file prints the reason beside every row that uses the spelling.
VARIANT_NOTES = {
    "Disdalduk, KB dan PP": (
        "the name of the former Dinas Pengendalian Penduduk, KB dan Pemberdayaan "
        "Perempuan. No other row of the matrix uses it: there its population-control and "
        "KB affairs belong to Dinkes PP & KB (the name says so) and its women's-"
        "empowerment (PP) and child affairs to Dinsos PPPA. The row is a child-rights "
        "sub kegiatan (urusan pemberdayaan perempuan dan perlindungan anak), and every "
        "other row of its "
        "program names Dinsos PPPA, so it is Dinsos PPPA's row."
    ),
}

HEADER_RE = re.compile(r"^NO\tMISI\tTUJUAN\t")
SUBHEADER_RE = re.compile(r"^\t*PROGRAM\tKEGIATAN\tSUB KEGIATAN\t")
INDICATOR_RE = re.compile(
    r"^[\s\-•·*\d.)]*(jumlah|jml|persentase|presentase|prosentase|cakupan|angka|rasio|"
    r"indeks|panjang|tersusunnya|terfasilitasinya|meningkatnya|tingkat|capaian|proporsi|"
    r"prevalensi|luas|banyaknya)\b",
    re.IGNORECASE,
)
PROGRAM_RE = re.compile(r"^[\d.\s]*program\b", re.IGNORECASE)
FIGURE_RE = re.compile(r"^[\d\-–(]")
BARE_FIGURE_RE = re.compile(r"^[\d.,%\s\-–]+$")

# Indicators where a lower value is better. The exclusions keep service-coverage
# indicators ("balita stunting tertangani") at the default.
LOWER_RE = re.compile(
    r"angka kematian|\bkematian\b|kasus kekerasan|korban kekerasan|tindak kekerasan|"
    r"\bstunting\b|prevalensi|perkawinan anak|perkawinan usia anak|pernikahan dini|"
    r"pernikahan anak|angka kesakitan|gizi buruk|\bunmet need\b",
    re.IGNORECASE,
)
LOWER_EXCLUDE_RE = re.compile(
    r"tertangani|ditangani|penanganan|terlayani|dilayani|pelayanan|mendapat|pencegahan|"
    r"pembinaan|dibina|peserta|terbentuk|dilakukan|terkawal|pendampingan|didampingi|"
    r"rekomendasi|konklusi|kegiatan|sosialisasi|cakupan",
    re.IGNORECASE,
)


def clean(text: str | None) -> str:
    """Drop the extractor's italics tags and collapse whitespace."""
    text = re.sub(r"</?i>", "", text or "")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def norm_key(text: str) -> str:
    return clean(text).casefold()


@dataclass
class Line:
    """One content line of the table as extracted."""

    no: int  # 1-based line number in the seed
    cells: list[str]
    page: int
    after_header: bool
    opd_index: int | None = None
    data: bool = False
    layout_note: str | None = None
    values: dict[str, str] = field(default_factory=dict)


class ConversionError(RuntimeError):
    """The seed or the corrections file does not fit; the message says where."""


# --------------------------------------------------------------------------- layout


def _slot_score(slot: str, text: str) -> float:
    """How plausible it is that ``text`` belongs in column ``slot`` (0 = neutral)."""
    if not text:
        return 0.0
    bare = bool(BARE_FIGURE_RE.match(text))
    indicator = bool(INDICATOR_RE.match(text))
    if slot in ("t0", "t1", "t2"):
        return 3.0 if FIGURE_RE.match(text) else -3.0
    if bare:
        return 1.0 if slot == "no" and text.isdigit() else -3.0
    if slot == "satuan":
        return 1.0 if len(text) <= 30 else -1.0
    if slot == "indikator":
        return 2.0 if indicator else 0.0
    if slot == "aktivitas":
        return -0.5 if indicator else 0.0
    if slot == "program":
        return 2.0 if PROGRAM_RE.match(text) else 0.0
    if slot in ("kegiatan", "sub_kegiatan") and (PROGRAM_RE.match(text) or indicator):
        return -2.0
    return 0.0


def _line_score(values: dict[str, str]) -> float:
    """Score one line's assignment: per-cell plausibility plus two whole-row hints."""
    score = sum(_slot_score(slot, text) for slot, text in values.items())
    lone = values["aktivitas"] and not values["indikator"]
    if lone and not INDICATOR_RE.match(values["aktivitas"]):
        # A single text where activity and indicator could go is usually the activity.
        score += 0.5
    filled = [i for i, s in enumerate(HIER[4:7]) if values[s]]
    if filled and filled != list(range(filled[0], filled[-1] + 1)):
        # Program and sub kegiatan on one line with no kegiatan between them.
        score -= 1.0
    return score


def _apply_drop(left: list[str], dropped: tuple[str, ...]) -> dict[str, str]:
    kept = [s for s in SLOTS if s not in dropped]
    values = dict.fromkeys(SLOTS, "")
    for slot, text in zip(kept, left, strict=True):
        values[slot] = text
    return values


def choose_drop(lefts: list[list[str]]) -> tuple[str, ...]:
    """Pick the columns missing on a page for lines with fewer cells than columns.

    All lines of one page with the same number of cells share the layout, so their
    scores are summed; ties go to the most commonly missing columns.
    """
    missing = N_LEFT - len(lefts[0])
    best: tuple[float, tuple[int, ...], tuple[str, ...]] | None = None
    for dropped in itertools.combinations(SLOTS, missing):
        score = sum(_line_score(_apply_drop(left, dropped)) for left in lefts)
        rank = tuple(sorted(DROP_PREFERENCE.index(s) for s in dropped))
        cand = (score, tuple(-r for r in rank), dropped)
        if best is None or cand[:2] > best[:2]:
            best = cand
    assert best is not None
    return best[2]


# --------------------------------------------------------------------------- OPD list


def load_opds(path: Path = OPD_PATH) -> dict[str, Any]:
    return dict(load_json(path))


def variant_map(opds: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in opds["opds"]:
        for v in [*entry["variants"], entry["name"]]:
            key = norm_key(v)
            if key in out and out[key] != entry["code"]:
                raise ConversionError(f"OPD variant {v!r} maps to two codes")
            out[key] = entry["code"]
    return out


# --------------------------------------------------------------------------- reading


def _table_lines(seed_lines: list[str]) -> tuple[int, int]:
    """0-based [start, end) of Tabel 4.2: from its caption to the BAB V heading."""
    try:
        caption = next(i for i, s in enumerate(seed_lines) if s.strip() == "Tabel 4.2.")
        end = next(
            i for i in range(caption, len(seed_lines)) if seed_lines[i].strip().startswith("BAB V")
        )
    except StopIteration as exc:
        raise ConversionError("Tabel 4.2 or the BAB V heading not found in the seed") from exc
    return caption, end


def read_lines(seed_text: str, variants: dict[str, str]) -> list[Line]:
    seed_lines = seed_text.split("\n")
    start, end = _table_lines(seed_lines)
    lines: list[Line] = []
    page = 0
    after_header = False
    seen_header = False
    for i in range(start, end):
        raw = seed_lines[i]
        if HEADER_RE.match(raw):
            page += 1
            after_header = True
            seen_header = True
            continue
        if not seen_header or SUBHEADER_RE.match(raw) or not raw.strip():
            continue
        cells = [clean(c) for c in raw.split("\t")]
        opd_index = None
        for k in range(len(cells) - 1, 3, -1):
            if cells[k] and norm_key(cells[k]) in variants:
                opd_index = k
                break
        lines.append(Line(i + 1, cells, page, after_header, opd_index))
        after_header = False
    return lines


# --------------------------------------------------------------------------- converting


@dataclass
class Review:
    variants: Counter[tuple[str, str]] = field(default_factory=Counter)
    layouts: dict[tuple[int, tuple[str, ...]], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    irregular: list[tuple[int, str]] = field(default_factory=list)
    merges: list[tuple[int, str, str, list[int]]] = field(default_factory=list)
    echoes: list[int] = field(default_factory=list)
    corrections: list[tuple[int, str, str]] = field(default_factory=list)
    shifted: list[int] = field(default_factory=list)
    remarks_moved: list[tuple[int, int, str]] = field(default_factory=list)
    tails_moved: list[tuple[int, int, str, str]] = field(default_factory=list)
    kept_keys: list[tuple[int, str, str]] = field(default_factory=list)


def _corrections_by_line(corrections: dict[str, Any]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for entry in corrections.get("corrections", []):
        line = entry.get("line")
        if not isinstance(line, int) or not entry.get("reason"):
            raise ConversionError(f"correction without line number or reason: {entry!r}")
        if line in out:
            raise ConversionError(f"two corrections for seed line {line}")
        unknown = set(entry) - {"line", "reason", "set", "layout", "skip", "continues", "expect"}
        if unknown:
            raise ConversionError(f"line {line}: unknown correction keys {sorted(unknown)}")
        out[line] = entry
    return out


def _layout_override(line: Line, layout: dict[str, int | None]) -> dict[str, str]:
    values = dict.fromkeys(SLOTS, "")
    ket_from = None
    for name, index in layout.items():
        if index is None:
            continue
        if not 0 <= index < len(line.cells):
            raise ConversionError(f"line {line.no}: layout index {index} out of range")
        if name == "keterangan":
            ket_from = index
        elif name in values:
            values[name] = line.cells[index]
        elif name != "opd":
            raise ConversionError(f"line {line.no}: unknown layout field {name!r}")
    if "opd" in layout:
        line.opd_index = layout["opd"]
    if ket_from is not None:
        values["keterangan"] = line.cells[ket_from]
    else:
        start = line.opd_index + 1 if line.opd_index is not None else N_LEFT + 1
        values["keterangan"] = " ".join(c for c in line.cells[start:] if c)
    return values


def _std_values(line: Line, left: list[str]) -> dict[str, str]:
    values = dict(zip(SLOTS, left, strict=True))
    rest_from = line.opd_index + 1 if line.opd_index is not None else N_LEFT
    values["keterangan"] = " ".join(c for c in line.cells[rest_from:] if c)
    return values


def assign_layouts(
    lines: list[Line], fixes: dict[int, dict[str, Any]], review: Review, *, repair: bool = True
) -> None:
    """Decide which cell is which column for every data line (``repair``: realign lines
    shifted one column to the left, see ``tools.radpug_fidelity``)."""
    for line in lines:
        cells = line.cells
        if line.no in fixes and "layout" in fixes[line.no]:
            line.data = True
            line.values = _layout_override(line, fixes[line.no]["layout"])
            continue
        if line.opd_index is not None:
            line.data = True
        else:
            # No OPD cell: a data line if indicator, unit or target columns hold text.
            padded = (cells + [""] * N_LEFT)[:N_LEFT]
            line.data = any(
                padded[SLOTS.index(s)] for s in ("indikator", "satuan", "t0", "t1", "t2")
            )
    groups: dict[tuple[int, int], list[Line]] = defaultdict(list)
    for line in lines:
        if not line.data or line.values:
            continue
        k = line.opd_index
        if k is None:
            left = (line.cells + [""] * N_LEFT)[:N_LEFT]
            line.values = _std_values(line, left)
        elif k == N_LEFT:
            line.values = _std_values(line, line.cells[:k])
            if repair and is_shifted_left(line.values, INDICATOR_RE):
                line.values = _std_values(line, realign_left(line.cells[:k]))
                line.layout_note = "shifted one column to the left; realigned"
                review.shifted.append(line.no)
        elif N_LEFT - 3 <= k < N_LEFT:
            groups[(line.page, k)].append(line)
        elif k < N_LEFT - 3:
            # Far too few cells: the last text before the OPD is the activity, the
            # rest keep their positions (seen for short "Pengadaan …" lines).
            left = line.cells[:k]
            values = dict.fromkeys(SLOTS, "")
            texts = [(i, c) for i, c in enumerate(left) if c]
            if texts:
                *head, (_, last) = texts
                for i, c in head:
                    values[SLOTS[min(i, 6)]] = c
                values["aktivitas"] = last
            values["keterangan"] = " ".join(c for c in line.cells[k + 1 :] if c)
            line.values = values
            line.layout_note = "only the activity and OPD cells are present"
            review.irregular.append((line.no, line.layout_note))
        else:
            # More cells than columns: keep hierarchy on the left, the rest right-aligned.
            left = line.cells[:k]
            values = dict(zip(SLOTS[:7], left[:7], strict=True))
            values.update(zip(SLOTS[7:], left[-6:], strict=True))
            values["keterangan"] = " ".join(c for c in line.cells[k + 1 :] if c)
            line.values = values
            line.layout_note = f"{k - N_LEFT} extra cell(s) before the OPD ignored"
            review.irregular.append((line.no, line.layout_note))
    for (_, k), members in sorted(groups.items()):
        dropped = choose_drop([m.cells[:k] for m in members])
        for m in members:
            values = _apply_drop(m.cells[:k], dropped)
            values["keterangan"] = " ".join(c for c in m.cells[k + 1 :] if c)
            m.values = values
            m.layout_note = "missing column(s): " + ", ".join(dropped)
        review.layouts[(members[0].page, dropped)].extend(m.no for m in members)


def _is_echo(line: Line, nxt: Line | None) -> bool:
    """A line repeating the first words of the next line's cells (extraction artefact)."""
    if nxt is None:
        return False
    targets = [norm_key(c) for c in nxt.cells if c]
    texts = [norm_key(c) for c in line.cells if c]
    return bool(texts) and all(any(t.startswith(x) for t in targets) for x in texts)


def _fragment_field(index: int) -> str:
    if index >= N_LEFT:
        return "keterangan"
    return SLOTS[index]


def _join(a: str, b: str) -> str:
    return clean(f"{a} {b}")


def convert(
    seed_text: str,
    corrections: dict[str, Any],
    opds: dict[str, Any] | None = None,
    *,
    repair: bool = True,
) -> tuple[dict[str, Any], str]:
    """Convert the seed text; returns (plan data, review markdown). Pure: no file I/O
    except reading the canonical OPD list when ``opds`` is not given.

    ``repair`` applies the fidelity rules of ``tools.radpug_fidelity``. Row keys are
    what submissions and realisations point at, so a repaired row keeps the key the
    conversion without the repairs gave it (computed by a second, unrepaired pass).
    """
    keep_keys: dict[int, str] | None = None
    if repair:
        legacy, _ = convert(seed_text, corrections, opds, repair=False)
        keep_keys = {r["seed_line"]: r["key"] for r in legacy["rows"]}
    opd_list: dict[str, Any] = opds if opds is not None else load_opds()
    variants = variant_map(opd_list)
    fixes = _corrections_by_line(corrections)
    used_fixes: set[int] = set()
    review = Review()
    lines = read_lines(seed_text, variants)
    by_no = {line.no: line for line in lines}
    for no in fixes:
        if no not in by_no:
            raise ConversionError(f"correction for seed line {no}, which is not a table line")
    assign_layouts(lines, fixes, review, repair=repair)
    used_fixes.update(no for no in fixes if "layout" in fixes[no])

    carry = dict.fromkeys(HIER, "")
    carry_opd: list[str | None] = [None]
    rows: list[dict[str, Any]] = []
    row_lines: list[int] = []
    row_pages: list[int] = []

    def set_hierarchy(values: dict[str, str], opd_text: str | None = None) -> None:
        """Carry blank cells down ("same as the row above").

        A new program, kegiatan or sub kegiatan clears the levels below it that the line
        leaves blank, and so does a change of OPD (its rows start a new block); a new
        misi, tujuan or sasaran does not, because the document keeps the program running
        across sasaran rows.
        """
        code = variants[norm_key(opd_text)] if opd_text else None
        if code and carry_opd[0] and code != carry_opd[0]:
            for f in HIER[4:]:
                carry[f] = ""
        if code:
            carry_opd[0] = code
        present = [f for f in HIER if values.get(f)]
        for f in present:
            if f in ("program", "kegiatan", "sub_kegiatan") and values[f] != carry[f]:
                for lower in HIER[HIER.index(f) + 1 :]:
                    if not values.get(lower):
                        carry[lower] = ""
            carry[f] = values[f]

    def continue_field(fname: str, frag: str, seed_no: int) -> None:
        affected: list[int] = []
        if fname in HIER:
            old = carry[fname]
            new = _join(old, frag)
            for row, rl in zip(reversed(rows), reversed(row_lines), strict=True):
                if row[fname] != old:
                    break
                row[fname] = new
                affected.append(rl)
            carry[fname] = new
        elif rows:
            if fname in ("t0", "t1", "t2"):
                year = YEARS[int(fname[1])]
                rows[-1]["_targets"][year] = _join(rows[-1]["_targets"][year], frag)
            else:
                rows[-1][fname] = _join(rows[-1][fname], frag)
            affected.append(row_lines[-1])
        review.merges.append((seed_no, fname, frag, sorted(affected)))

    for idx, line in enumerate(lines):
        fix = fixes.get(line.no, {})
        if fix.get("skip"):
            used_fixes.add(line.no)
            review.corrections.append((line.no, "line skipped", fix["reason"]))
            continue
        nxt = lines[idx + 1] if idx + 1 < len(lines) else None
        if line.after_header and line.opd_index is None and not fix and _is_echo(line, nxt):
            review.echoes.append(line.no)
            continue
        if not line.data:
            nonempty = [(i, c) for i, c in enumerate(line.cells) if c]
            first_hier = nonempty[0][0] if nonempty else None
            only_ket = all(i >= N_LEFT for i, _ in nonempty)
            starts_program = len(line.cells) > 4 and bool(PROGRAM_RE.match(line.cells[4]))
            if nonempty and (
                only_ket
                or (
                    line.after_header
                    and not starts_program
                    and first_hier is not None
                    and first_hier >= 4
                )
            ):
                # The tail of the previous row's cells, cut by the page break.
                for i, c in nonempty:
                    continue_field(_fragment_field(i), c, line.no)
            else:
                set_hierarchy({SLOTS[i]: c for i, c in nonempty if i < len(HIER)})
            continue

        values = dict(line.values)
        for fname in fix.get("continues", []):
            if fname not in HIER or not values.get(fname):
                raise ConversionError(f"line {line.no}: nothing to continue in {fname!r}")
            continue_field(fname, values.pop(fname), line.no)
            used_fixes.add(line.no)
        opd_text = line.cells[line.opd_index] if line.opd_index is not None else None
        set_hierarchy(values, opd_text)
        row: dict[str, Any] = {f: carry[f] for f in HIER}
        row.update({f: values.get(f, "") for f in ("indikator", "satuan", "keterangan")})
        row["_targets"] = {YEARS[i]: values.get(f"t{i}", "") for i in range(len(YEARS))}
        row["opd_text"] = opd_text
        row["opd"] = variants[norm_key(opd_text)] if opd_text else None
        if opd_text:
            review.variants[(opd_text, row["opd"])] += 1
        row["_layout"] = line.layout_note
        row["corrected"] = []
        rows.append(row)
        row_lines.append(line.no)
        row_pages.append(line.page)

    if repair:
        _reattach_cut_remarks(rows, row_lines, row_pages, review)
        _reattach_page_tails(rows, row_lines, row_pages, review)

    # Field corrections, after carrying down so they touch exactly one row.
    valid_codes = {o["code"] for o in opd_list["opds"]}
    for rl, row in zip(row_lines, rows, strict=True):
        fixed = fixes.get(rl)
        if not fixed:
            continue
        fix = fixed
        for fname, value in fix.get("set", {}).items():
            if fname == "targets":
                for year, text in value.items():
                    if year not in row["_targets"]:
                        raise ConversionError(f"line {rl}: no target year {year}")
                    row["_targets"][year] = text
                row["corrected"].append("targets")
                continue
            if fname not in {*TEXT_FIELDS, "opd", "polarity"}:
                raise ConversionError(f"line {rl}: cannot set {fname!r}")
            if fname == "opd" and value not in valid_codes:
                raise ConversionError(f"line {rl}: unknown OPD code {value!r}")
            row[fname] = value
            row["corrected"].append(fname)
        for fname in fix.get("continues", []):
            row["corrected"].append(fname)
        if fix.get("layout") is not None:
            row["corrected"].append("layout")
        for fname, expected in fix.get("expect", {}).items():
            if row.get(fname) != expected:
                raise ConversionError(
                    f"line {rl}: expected {fname}={expected!r}, "
                    f"found {row.get(fname)!r}; the seed changed?"
                )
        used_fixes.add(rl)
        what = ", ".join(sorted(set(row["corrected"]))) or "checked"
        review.corrections.append((rl, what, fix["reason"]))
    unused = sorted(set(fixes) - used_fixes)
    if unused:
        raise ConversionError(f"corrections not applied (line is no data row?): {unused}")

    data, problems = _finish(rows, row_lines, opd_list, keep_keys, review)
    return data, render_review(data, rows, row_lines, problems, review, opd_list)


def _reattach_cut_remarks(
    rows: list[dict[str, Any]], row_lines: list[int], row_pages: list[int], review: Review
) -> None:
    """Give the remark of a page's first row back to the row it continues."""
    names = ("program", "kegiatan", "sub_kegiatan", "aktivitas", "indikator")
    for i in range(1, len(rows)):
        row, prev = rows[i], rows[i - 1]
        if row_pages[i] == row_pages[i - 1]:
            continue  # only the first row of a page can receive text cut by the break
        text = row["keterangan"]
        if continues_previous(
            text, prev["keterangan"], [prev[f] for f in names], [row[f] for f in names]
        ):
            prev["keterangan"] = _join(prev["keterangan"], text)
            row["keterangan"] = ""
            review.remarks_moved.append((row_lines[i], row_lines[i - 1], text))


def _cell_above(rows: list[dict[str, Any]], row_pages: list[int], i: int, fname: str) -> int | None:
    """The nearest row above row ``i``, on the previous page and of the same OPD, whose
    ``fname`` is filled: the start of a merged cell spans the empty rows below it."""
    for j in range(i - 1, -1, -1):
        if row_pages[j] != row_pages[i - 1] or rows[j]["opd"] != rows[i]["opd"]:
            return None
        if rows[j][fname]:
            return j
    return None


def _reattach_page_tails(
    rows: list[dict[str, Any]], row_lines: list[int], row_pages: list[int], review: Review
) -> None:
    """Give the tail of a cut indicator or remark back to the row above, within an OPD.

    A page's first row may be a row of its own (an activity of a merged sub kegiatan)
    and still carry, in its other cells, the end of cells cut at the foot of the
    previous page. Only a row that measures nothing of its own (no indicator, no unit,
    no target figure) is read this way; a cell of it is a tail when it cannot stand
    alone: a remark starting in lower case or closing a bracket it never opened, or a
    "unit" that is no unit (the extraction moved the indicator's tail one cell right).
    The cell above must look cut.
    """
    for i in range(1, len(rows)):
        row = rows[i]
        if row_pages[i] == row_pages[i - 1] or not row["opd"]:
            continue
        unit = row["satuan"] if looks_like_unit(row["satuan"]) else ""
        if row["indikator"] or unit or any(t.strip() for t in row["_targets"].values()):
            continue  # a measured row of its own: its cells are its own
        moves = []
        if is_tail(row["keterangan"]):
            moves.append(("keterangan", "keterangan"))
        if row["satuan"] and not looks_like_unit(row["satuan"]):
            moves.append(("satuan", "indikator"))
        for source, target in moves:
            text = row[source]
            j = _cell_above(rows, row_pages, i, target)
            if j is None or not is_cut(rows[j][target]) or rows[j][target] == text:
                continue
            rows[j][target] = _join(rows[j][target], text)
            row[source] = ""
            review.tails_moved.append((row_lines[i], row_lines[j], target, text))


def _polarity(row: dict[str, Any]) -> str:
    text = row["indikator"]
    if LOWER_RE.search(text) and not LOWER_EXCLUDE_RE.search(text):
        return "lower"
    return "higher"


def _target_json(parsed: ParsedTarget, unit_percent: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": parsed.text,
        "is_percent": parsed.is_percent or (unit_percent and not parsed.breakdown.is_empty),
    }
    out.update(parsed.breakdown.to_json())
    return out


def _finish(
    rows: list[dict[str, Any]],
    row_lines: list[int],
    opds: dict[str, Any],
    keep_keys: dict[int, str] | None = None,
    review: Review | None = None,
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    problems: dict[str, list[Any]] = defaultdict(list)
    out_rows = []
    key_counts: Counter[str] = Counter()
    for seq, (row, rl) in enumerate(zip(rows, row_lines, strict=True), start=1):
        if not row["opd"]:
            raise ConversionError(f"seed line {rl}: row without OPD; add a correction")
        unit_percent = norm_key(row["satuan"]) in {"%", "persen", "presentase", "persentase"}
        targets = {}
        for year in YEARS:
            parsed = parse_target(row["_targets"][year])
            targets[year] = _target_json(parsed, unit_percent)
            if not parsed.ok:
                problems["unparsed"].append((rl, year, parsed.text, parsed.problem))
            elif parsed.problem:
                problems["notes"].append((rl, year, parsed.text, parsed.problem))
            b = parsed.breakdown
            if b.total is not None and b.has_parts and b.parts_sum != b.total:
                problems["mismatch"].append((rl, year, parsed.text, b))
        share = parse_share(row["indikator"]) or parse_share(row["keterangan"])
        if share is not None and share.parts_sum != 100:
            problems["share_mismatch"].append((rl, share))
        polarity = row.get("polarity") or _polarity(row)
        if polarity == "lower":
            problems["lower"].append((rl, row["opd"], row["indikator"]))
        elif LOWER_RE.search(row["indikator"]):
            problems["lower_excluded"].append((rl, row["opd"], row["indikator"]))
        if not row["indikator"] and all(not t["text"] for t in targets.values()):
            problems["context"].append(rl)
        base = "|".join(
            norm_key(row[f])
            for f in (
                "opd",
                "program",
                "kegiatan",
                "sub_kegiatan",
                "aktivitas",
                "indikator",
                "satuan",
            )
        )
        key = "rp-" + hashlib.sha1(base.encode("utf-8")).hexdigest()[:12]
        key_counts[key] += 1
        if key_counts[key] > 1:
            problems["duplicate"].append((rl, key))
            key = f"{key}-{key_counts[key]}"
        if keep_keys is not None and rl in keep_keys and keep_keys[rl] != key:
            if review is not None:
                review.kept_keys.append((rl, keep_keys[rl], key))
            key = keep_keys[rl]
        out_rows.append(
            {
                "key": key,
                "seq": seq,
                "seed_line": rl,
                "no": row["no"],
                "misi": row["misi"],
                "tujuan": row["tujuan"],
                "sasaran": row["sasaran"],
                "program": row["program"],
                "kegiatan": row["kegiatan"],
                "sub_kegiatan": row["sub_kegiatan"],
                "aktivitas": row["aktivitas"],
                "indikator": row["indikator"],
                "satuan": row["satuan"],
                "opd": row["opd"],
                "opd_text": row["opd_text"],
                "keterangan": row["keterangan"],
                "polarity": polarity,
                "share": share.to_json() if share is not None else None,
                "targets": targets,
                "corrected": sorted(set(row["corrected"])),
            }
        )
    used = {r["opd"] for r in out_rows}
    data = {
        "format": "monev-radpug-plan",
        "format_version": 1,
        "plan": PLAN,
        "opds": [o for o in opds["opds"] if o["code"] in used],
        "rows": out_rows,
    }
    return data, problems


# --------------------------------------------------------------------------- review


def _md(text: Any, limit: int = 90) -> str:
    return md_cell(clean(str(text)), limit)


def _fmt_b(b: Any) -> str:
    parts = [f"{k} {v}" for k, v in b.to_json().items() if v is not None]
    return ", ".join(parts)


def render_review(
    data: dict[str, Any],
    rows: list[dict[str, Any]],
    row_lines: list[int],
    problems: dict[str, list[Any]],
    review: Review,
    opds: dict[str, Any],
) -> str:
    names = {o["code"]: o["name"] for o in opds["opds"]}
    out_rows = data["rows"]
    per_opd = Counter(r["opd"] for r in out_rows)
    opd_from_fix = [r for r in out_rows if "opd" in r["corrected"] and r["opd_text"] is None]
    n_layout = sum(len(v) for v in review.layouts.values())
    L: list[str] = []
    add = L.append
    add("# Review: RAD PUG Lumajang 2022–2024, Tabel 4.2")
    add("")
    add(
        "Generated by `python -m tools.convert_radpug` from seed "
        f"`{SEED_NAME}`; do not edit by hand. Fix the data through "
        "`tools/corrections/radpug_lumajang_2022_2024.json` and re-run the converter."
    )
    add("Line numbers are 1-based lines of the seed text.")
    add("")
    add("## Summary")
    add("")
    add(f"- Rows: **{len(out_rows)}** in {len(per_opd)} OPDs")
    counts = [
        ("Targets that could not be read", len(problems["unparsed"])),
        ("Targets read with a note (no total written, extra figures)", len(problems["notes"])),
        ("Target breakdowns whose parts do not add up to the total", len(problems["mismatch"])),
        ("Percent shares that do not add up to 100", len(problems["share_mismatch"])),
        ("Rows whose OPD came from the corrections file", len(opd_from_fix)),
        ("Corrections applied", len(review.corrections)),
        ("Page-break continuations merged into earlier rows", len(review.merges)),
        ("Echo lines dropped (first words of the next row repeated)", len(review.echoes)),
        ("Rows re-aligned because the page lacks columns", n_layout),
        ("Rows with an irregular cell layout", len(review.irregular)),
        ("Lines shifted one column to the left, realigned", len(review.shifted)),
        (
            "Remarks cut by a page break, given back to the row they continue",
            len(review.remarks_moved),
        ),
        (
            "Cells cut by a page break inside an OPD's block, given back",
            len(review.tails_moved),
        ),
        ("Rows keeping their earlier key after a repair", len(review.kept_keys)),
        ("Rows set to lower-is-better polarity", len(problems["lower"])),
        ("Rows naming a lower-is-better keyword but kept higher", len(problems["lower_excluded"])),
        ("Context rows (no indicator and no target)", len(problems["context"])),
        ("Exact duplicate rows (key suffixed)", len(problems["duplicate"])),
    ]
    for label, n in counts:
        add(f"- {label}: {n}")
    add("")
    add("### Rows per OPD")
    add("")
    add("| Code | OPD | Rows |")
    add("|---|---|---:|")
    for code, n in sorted(per_opd.items(), key=lambda kv: (-kv[1], kv[0])):
        add(f"| {code} | {names[code]} | {n} |")
    add(f"| | **Total** | **{len(out_rows)}** |")
    add("")
    add("## Sekretariat Daerah")
    add("")
    add(
        "Each Bagian of the Sekretariat Daerah is its own OPD (code `SETDA-BAG-…`, name "
        '"Sekretariat Daerah – Bagian …"), because each Bagian reports its own rows. '
        '"Bagian Perekonomian dan Sumber Daya Alam" has no "Sekretariat Daerah" prefix '
        "in the seed but is a Bagian of the Sekretariat Daerah."
    )
    add("")
    add("## OPD spellings mapped")
    add("")
    add("| As written in the seed | Code | Rows |")
    add("|---|---|---:|")
    for (text, code), n in sorted(review.variants.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        add(f"| {_md(text)} | {code} | {n} |")
    add("")
    add("## Spellings that name another agency")
    add("")
    noted = [r for r in out_rows if r["opd_text"] in VARIANT_NOTES]
    for r in noted:
        same_program = [
            o for o in out_rows if o["program"] == r["program"] and o["seq"] != r["seq"]
        ]
        others = Counter(o["opd_text"] for o in same_program)
        evidence = ", ".join(f"{n} × {_md(t or '?')}" for t, n in sorted(others.items()))
        add(
            f'- line {r["seed_line"]} ("{_md(r["opd_text"])}" → `{r["opd"]}`, program '
            f'"{_md(r["program"], 50)}", sub kegiatan "{_md(r["sub_kegiatan"], 60)}"): '
            f"{VARIANT_NOTES[r['opd_text']]} The other rows of the program name: {evidence}."
        )
    if not noted:
        add("None.")
    add("")
    add("## Rows whose OPD came from a correction")
    add("")
    if opd_from_fix:
        reasons = {no: reason for no, _, reason in review.corrections}
        for r in opd_from_fix:
            add(
                f"- line {r['seed_line']} → `{r['opd']}`: {_md(r['indikator'] or r['aktivitas'])}"
                f" — {reasons.get(r['seed_line'], '')}"
            )
    else:
        add("None.")
    add("")
    add("## Corrections applied")
    add("")
    for no, what, reason in sorted(review.corrections):
        add(f"- line {no} ({what}): {reason}")
    add("")
    add("## Page-break continuations merged")
    add("")
    add(
        "A cell cut by a page break continues on the first line of the next page; the "
        "fragment is appended to the field, in every row that shares the merged cell."
    )
    add("")
    for no, fname, frag, affected in review.merges:
        where = ", ".join(str(a) for a in affected) or "none"
        add(f'- line {no}: `{fname}` += "{_md(frag, 70)}" (rows at lines {where})')
    add("")
    add("## Echo lines dropped")
    add("")
    add(
        "Lines right after a page header whose every cell is the beginning of a cell of the "
        "next line (the extractor printed the start of the next row twice): "
        + (", ".join(str(n) for n in review.echoes) or "none")
        + "."
    )
    add("")
    add("## Rows re-aligned (page lacks columns)")
    add("")
    add(
        "The extractor dropped columns that are empty on a page. For those lines the missing "
        "columns were chosen by what the cells look like; check that indicator, unit and "
        "targets landed in the right place."
    )
    add("")
    for (page, dropped), nos in sorted(review.layouts.items(), key=lambda kv: kv[1][0]):
        add(f"- page {page}, missing {', '.join(dropped)}: lines " + ", ".join(str(n) for n in nos))
    for no, note in review.irregular:
        add(f"- line {no}: {note}")
    add("")
    add("## Lines shifted one column to the left (realigned)")
    add("")
    add(
        "Full-width lines whose cells all sit one column too far left: the activity in "
        "SUB KEGIATAN, the indicator in AKTIVITAS, the unit in INDIKATOR, the 2022 figure "
        "in SATUAN and the 2024 column empty. Rule (`tools/radpug_fidelity.py`): the last "
        "target column is empty, INDIKATOR holds a unit word, AKTIVITAS an indicator "
        "phrase, and SATUAN a bare figure (or nothing when the row has no targets). Every "
        "cell from the first filled one moves one column right; the column left empty is "
        "carried down from the row above."
    )
    add("")
    by_seed = {r["seed_line"]: r for r in out_rows}
    for no in review.shifted:
        r = by_seed[no]
        targets = " / ".join(t["text"] or "–" for t in r["targets"].values())
        add(
            f'- line {no} ({r["opd"]}): aktivitas "{_md(r["aktivitas"], 50)}", indikator '
            f'"{_md(r["indikator"], 60)}", satuan "{_md(r["satuan"], 20)}", targets {targets}'
        )
    if not review.shifted:
        add("None.")
    add("")
    add("## Remarks cut by a page break (given back)")
    add("")
    add(
        "The KETERANGAN of the last row of a page ran on past the break and the extractor "
        "gave the rest to the first row of the next page. Rule "
        "(`tools/radpug_fidelity.py`): for the first row of a page, the previous row's "
        "remark stops mid-sentence (ends with a letter), and the text "
        "names at least three distinctive words of the previous row's program, kegiatan, "
        "sub kegiatan, activity or indicator and none of its own row's. The text is "
        "appended to the previous row's remark and removed from the first row."
    )
    add("")
    for no, prev_no, text in review.remarks_moved:
        add(f'- line {no} → line {prev_no}: "{_md(text, 100)}"')
    if not review.remarks_moved:
        add("None.")
    add("")
    add("## Cells cut by a page break inside an OPD's block (given back)")
    add("")
    add(
        "The first row of a page is a row of its own, yet its INDIKATOR or KETERANGAN cell "
        "holds the end of a cell cut at the foot of the previous page, of the same OPD. "
        "Rule (`tools/radpug_fidelity.py`, `is_cut` and `is_tail`): the first row measures "
        "nothing of its own (no indicator, no unit, no target figure); its remark starts "
        "in lower case or closes a bracket it never opened, or its unit is no unit (the "
        "indicator's tail moved one cell right); "
        "the nearest filled cell above on the previous page, same OPD, is at least 30 "
        "characters long and ends with a letter or leaves a bracket open. The fragment is "
        "appended to that cell and removed from the first row."
    )
    add("")
    for no, prev_no, fname, text in review.tails_moved:
        add(f'- line {no} → line {prev_no}, `{fname}`: "{_md(text, 100)}"')
    if not review.tails_moved:
        add("None.")
    add("")
    add("## Keys kept after a repair")
    add("")
    add(
        "Row keys identify rows in submissions and realisations, so a row whose repaired "
        "fields would give another key keeps the key it had before the repair."
    )
    add("")
    for no, kept, new in review.kept_keys:
        add(f"- line {no}: `{kept}` kept (the repaired fields would give `{new}`)")
    if not review.kept_keys:
        add("None.")
    add("")
    add("## Targets that could not be read")
    add("")
    for no, year, text, problem in problems["unparsed"] or []:
        add(f'- line {no}, {year}: "{_md(text)}" — {problem}')
    if not problems["unparsed"]:
        add("None.")
    add("")
    add("## Targets read with a note")
    add("")
    for no, year, text, problem in problems["notes"]:
        add(f'- line {no}, {year}: "{_md(text)}" — {problem}')
    if not problems["notes"]:
        add("None.")
    add("")
    add("## Breakdowns that do not add up")
    add("")
    add("Kept as written in the seed; Pokja should confirm the intended figures.")
    add("")
    for no, year, text, b in problems["mismatch"]:
        add(f'- line {no}, {year}: "{_md(text)}" → {_fmt_b(b)} (parts sum {b.parts_sum})')
    for no, share in problems["share_mismatch"]:
        add(f"- line {no}, share: {_fmt_b(share)} (parts sum {share.parts_sum})")
    if not problems["mismatch"] and not problems["share_mismatch"]:
        add("None.")
    add("")
    add("## Rows set to lower-is-better polarity")
    add("")
    add(
        "Set by a keyword rule on the indicator (mortality, violence cases, stunting, "
        "prevalence, child marriage) or by a correction. Achievement for these rows is "
        "computed the other way round; check each one."
    )
    add("")
    for no, code, ind in problems["lower"]:
        add(f"- line {no} ({code}): {_md(ind, 120)}")
    if not problems["lower"]:
        add(
            "None: every indicator in Tabel 4.2 counts outputs (participants, documents, "
            "services delivered), where more is better."
        )
    add("")
    add(
        "Indicators that mention such a keyword but were kept at higher-is-better because "
        'they count services or activities ("tertangani", "peserta", "sosialisasi" …):'
    )
    add("")
    for no, code, ind in problems["lower_excluded"]:
        add(f"- line {no} ({code}): {_md(ind, 120)}")
    if not problems["lower_excluded"]:
        add("None.")
    add("")
    add("## Context rows (no indicator and no target)")
    add("")
    add(
        "Rows that name an OPD and part of the hierarchy but no indicator or target "
        "(often a sub kegiatan heading). Lines: "
        + (", ".join(str(n) for n in problems["context"]) or "none")
        + "."
    )
    add("")
    add("## Exact duplicates")
    add("")
    for no, key in problems["duplicate"]:
        add(f"- line {no}: same content as an earlier row (`{key}`), key suffixed")
    if not problems["duplicate"]:
        add("None.")
    add("")
    return "\n".join(L)


# --------------------------------------------------------------------------- CLI


def default_seed_path() -> Path:
    return seed_path(SEED_NAME)


def run(seed: Path, out: Path, review_path: Path, check: bool) -> int:
    seed_text = seed.read_text(encoding="utf-8")
    corrections = load_json(CORRECTIONS_PATH)
    data, review = convert(seed_text, corrections)
    code = write_outputs(
        {out: dump_json(data), review_path: review}, check=check, module="tools.convert_radpug"
    )
    if not check:
        print(f"{len(data['rows'])} rows, {len(data['opds'])} OPDs → {out}")
    return code


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--review", type=Path, default=DEFAULT_REVIEW)
    ap.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the committed files differ from the converter's output",
    )
    args = ap.parse_args(argv)
    seed = args.seed or default_seed_path()
    try:
        return run(seed, args.out, args.review, args.check)
    except ConversionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
