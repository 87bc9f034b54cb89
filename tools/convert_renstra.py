"""Convert the Renstra of the Sekretariat Daerah 2024–2026 (seed text) into a plan file.

A new database gets the Renstra beside the RAD PUG matrix from
``resources/plans/renstra_setda_2024_2026.json``. That file is generated, never edited by
hand: this converter reads three tables of the seed, applies the committed corrections
file and writes the data plus a review file of everything a person should check.

- **TC-25** (Tabel 4.1): tujuan, sasaran, indicator, unit, formula, targets 2024–2026.
- **Tabel 4.2** (cascading): program → kegiatan → sub kegiatan → indicator. It names the
  nodes cleanly but has no codes and no figures.
- **TC-27** (Tabel 6.1): per coded program/kegiatan/sub kegiatan the outcome/output
  statement, indicator, unit, formula, baseline 2022, target and Rupiah for 2024–2026,
  the end-of-period target and Rupiah, the responsible unit and the location.

Why it is not a plain ``split("\\t")``: the PDF extraction drops empty cells, so a TC-27
line has 16 to 18 cells and the target and Rupiah cells arrive in varying order
(``Rp`` alone in one cell and the amount in the next, ``Rp 20 orang``); words are broken
by the narrow columns (``Admini strasi``); one block of TC-27 is printed three times;
some codes are garbled (``01.2.14``, ``4.01.01.13.04``); the cascading continues cells
across page breaks. The figures are therefore read as two sequences (targets and
amounts, in column order), codes are reconciled with the nomenclature's shape, broken
words are rejoined against the seed's own vocabulary, and what the heuristics cannot
settle is fixed by a committed correction with a reason.

Run ``python -m tools.convert_renstra`` to regenerate, ``--check`` to verify (CI).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # allow "python tools/convert_renstra.py" too
    sys.path.insert(0, str(REPO_ROOT))

from app.domain.renstra import (  # noqa: E402
    EndMode,
    Figure,
    check_end,
    end_mode,
    parse_amount,
    parse_figure,
)
from tools.seedconv import dump_json, load_json, md_cell, seed_path, write_outputs  # noqa: E402

SEED_NAME = "003_7f49287ba6c96d5e.txt"
DEFAULT_OUT = REPO_ROOT / "resources" / "plans" / "renstra_setda_2024_2026.json"
DEFAULT_REVIEW = REPO_ROOT / "resources" / "plans" / "renstra_setda_2024_2026.review.md"
CORRECTIONS_PATH = REPO_ROOT / "tools" / "corrections" / "renstra_setda_2024_2026.json"
OPD_PATH = REPO_ROOT / "resources" / "opd_lumajang.json"

START_YEAR, END_YEAR = 2024, 2026
PLAN: dict[str, Any] = {
    "code": "RENSTRA-SETDA-LMJ-2024-2026",
    "kind": "renstra",
    "title": "Rencana Strategis Sekretariat Daerah Kabupaten Lumajang 2024–2026",
    "start_year": START_YEAR,
    "end_year": END_YEAR,
    "source": "Renstra Sekretariat Daerah Kabupaten Lumajang 2024–2026: TC-25, Tabel 4.2, TC-27",
}
YEARS = [str(y) for y in range(START_YEAR, END_YEAR + 1)]
SLOTS4 = [*YEARS, "end"]  # the four (target, Rupiah) pairs of TC-27, in column order
STATED = {"program": 3, "kegiatan": 20, "sub_kegiatan": 72}  # the text under Tabel 4.2
SETDA = "SETDA"  # the Sekretariat Daerah as a whole: owner of the Renstra's hierarchy
LEVELS = ("program", "kegiatan", "sub_kegiatan")
LEVEL_LABEL = {"program": "program", "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan"}

# The nomenclature's shape: 4.01.PP (program), …2.KK (kegiatan), …SS (sub kegiatan).
CODE_RE = re.compile(r"^\d+(?:\.\d+)+$")
CODE_PARTS_RE = re.compile(
    r"^(?:4\.)?(?:01\.)?(?P<p>\d{2})(?:\.(?:2\.)?(?P<k>\d{2})(?:\.(?P<s>\d{2}))?)?$"
)
PLACE_RE = re.compile(r"sekretaria|kabupate|lumajang|\bbagian\b|\bdaerah\b", re.IGNORECASE)
MONEY_RE = re.compile(r"^\d{1,3}(?:[,.]\d{3})+$")
RP_RE = re.compile(r"^rp\.?\s*(?P<rest>.*)$", re.IGNORECASE)
LOWER_RE = re.compile(r"\binflasi\b|angka kematian|kasus kekerasan|prevalensi", re.IGNORECASE)
WORD_RE = re.compile(r"[A-Za-z]+")
CONJ_END_RE = re.compile(r"\b(serta|dan|atau)$", re.IGNORECASE)


class ConversionError(RuntimeError):
    """The seed or the corrections file does not fit; the message says where."""


def clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip()


def norm_key(text: str) -> str:
    return clean(text).casefold()


def name_key(text: str) -> str:
    """Names compared without case, spaces and punctuation ("Kerja sama" = "Kerjasama")."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


# --------------------------------------------------------------------------- seed


def _find(lines: list[str], pred: Any, start: int = 0, what: str = "") -> int:
    for i in range(start, len(lines)):
        if pred(lines[i].strip()):
            return i
    raise ConversionError(f"{what} not found in the seed")


def sections(seed_lines: list[str]) -> dict[str, tuple[int, int]]:
    """0-based [start, end) of the three tables."""
    tc25 = _find(seed_lines, lambda s: s.startswith("Tabel 4.1 TC 25"), what="TC-25 caption")
    casc = _find(seed_lines, lambda s: s == "Tabel 4.2", tc25, "Tabel 4.2 caption")
    casc_end = _find(seed_lines, lambda s: s.startswith("Berdasarkan Data Cascading"), casc, "")
    tc27 = _find(seed_lines, lambda s: "TC 27" in s, casc_end, "TC-27 caption")
    tc27_end = _find(seed_lines, lambda s: s == "BAB VII", tc27, "BAB VII heading")
    return {"tc25": (tc25, casc), "casc": (casc, casc_end), "tc27": (tc27, tc27_end)}


class Vocabulary:
    """Words the seed writes whole, to rejoin words the narrow TC-27 columns broke.

    ``Admini strasi`` becomes ``Administrasi`` because the seed writes "administrasi"
    elsewhere and "strasi" nowhere. Two words that are both known stay apart.
    """

    def __init__(self, text: str) -> None:
        self.words = {w.casefold() for w in WORD_RE.findall(text)}
        self.rejoined: Counter[str] = Counter()

    def fix(self, text: str) -> str:
        tokens = clean(text).split(" ")
        out: list[str] = []
        i = 0
        while i < len(tokens):
            best = None
            for j in range(min(len(tokens), i + 4), i + 1, -1):
                pieces = tokens[i:j]
                core = [p.rstrip(",.;:)") for p in pieces]
                # Only the last piece may carry punctuation; the rest are bare letters.
                if not all(p.isalpha() for p in core) or any(
                    p != c for p, c in zip(pieces[:-1], core[:-1], strict=True)
                ):
                    continue
                joined = "".join(core)
                known = [c.casefold() in self.words for c in core]
                if joined.casefold() in self.words and not all(known):
                    best = j
                    break
            if best is None:
                out.append(tokens[i])
                i += 1
                continue
            piece = "".join(tokens[i:best])
            self.rejoined[f"{' '.join(tokens[i:best])} → {piece}"] += 1
            out.append(piece)
            i = best
        return " ".join(out)


# --------------------------------------------------------------------------- OPDs


def load_opds(path: Path = OPD_PATH) -> dict[str, Any]:
    return dict(load_json(path))


def bagian_variants(opds: dict[str, Any]) -> list[tuple[str, str]]:
    """(variant, code) for the Bagian of the Sekretariat Daerah, longest first."""
    out = []
    for entry in opds["opds"]:
        if not entry["code"].startswith("SETDA-BAG-"):
            continue
        for v in [*entry["variants"], entry["name"]]:
            out.append((norm_key(v), entry["code"]))
    return sorted(out, key=lambda vc: (-len(vc[0]), vc[0]))


def find_bagian(text: str, variants: list[tuple[str, str]]) -> str | None:
    low = norm_key(text)
    for v, code in variants:
        if v and v in low:
            return code
    return None


# --------------------------------------------------------------------------- corrections


TC27_FIELDS = {"code", "statement", "name", "indikator", "satuan", "formula", "baseline"}
CORRECTION_KEYS = {"line", "reason", "set", "skip", "continues", "expect", "targets", "budgets"}


def corrections_by_line(corrections: dict[str, Any]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for entry in corrections.get("corrections", []):
        line = entry.get("line")
        if not isinstance(line, int) or not entry.get("reason"):
            raise ConversionError(f"correction without line number or reason: {entry!r}")
        if line in out:
            raise ConversionError(f"two corrections for seed line {line}")
        unknown = set(entry) - CORRECTION_KEYS
        if unknown:
            raise ConversionError(f"line {line}: unknown correction keys {sorted(unknown)}")
        for key in ("targets", "budgets"):
            bad = set(entry.get(key, {})) - set(SLOTS4)
            if bad:
                raise ConversionError(f"line {line}: {key} for unknown slots {sorted(bad)}")
        out[line] = entry
    return out


# --------------------------------------------------------------------------- review


@dataclass
class Review:
    corrections: list[tuple[int, str, str]] = field(default_factory=list)
    codes: list[tuple[int, str, str, str]] = field(default_factory=list)
    duplicates: list[tuple[int, int, str, bool]] = field(default_factory=list)
    irregular: list[tuple[int, str, str]] = field(default_factory=list)
    unparsed: list[tuple[int, str, str]] = field(default_factory=list)
    casc_merges: list[tuple[int, str, str]] = field(default_factory=list)
    casc_no_indicator: list[tuple[int, str]] = field(default_factory=list)
    name_matches: list[tuple[str, str, str, str]] = field(default_factory=list)
    only_casc: list[tuple[str, str, str]] = field(default_factory=list)
    only_tc27: list[tuple[str, str, str]] = field(default_factory=list)
    bagian: list[tuple[int, str, str, str]] = field(default_factory=list)
    end_target: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    end_budget: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    end_missing: list[tuple[int, str, str]] = field(default_factory=list)
    parent_sums: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    continuation_lines: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------- TC-25


def read_tc25(seed_lines: list[str], start: int, end: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    tujuan = sasaran = ""
    for i in range(start, end):
        cells = [clean(c) for c in seed_lines[i].split("\t")]
        if len(cells) < 8 or cells[0] == "Tujuan" or not cells[2]:
            continue
        if cells[0]:
            tujuan, sasaran = cells[0], ""
        if cells[1]:
            if rows and CONJ_END_RE.search(sasaran) and rows[-1]["sasaran"] == sasaran:
                # A merged sasaran cell cut after "serta": the rest is on this line.
                joined = f"{sasaran} {cells[1]}"
                for r in rows:
                    if r["sasaran"] == sasaran:
                        r["sasaran"] = joined
                sasaran = joined
            else:
                sasaran = cells[1]
        rows.append(
            {
                "line": i + 1,
                "tujuan": tujuan,
                "sasaran": sasaran,
                "indikator": cells[2],
                "satuan": cells[3],
                "formula": cells[4],
                "targets": dict(zip(YEARS, cells[5:8], strict=True)),
            }
        )
    return rows


# --------------------------------------------------------------------------- Tabel 4.2


@dataclass
class CascNode:
    level: str
    name: str
    line: int
    parent: CascNode | None
    indicators: list[str] = field(default_factory=list)
    children: list[CascNode] = field(default_factory=list)


def read_cascading(
    seed_lines: list[str],
    start: int,
    end: int,
    fixes: dict[int, dict[str, Any]],
    used: set[int],
    review: Review,
) -> tuple[CascNode, str]:
    """The cascading as a tree under a root; returns (root, tujuan as printed)."""
    root = CascNode("root", "", 0, None)
    current: dict[str, CascNode | None] = dict.fromkeys(LEVELS, None)
    last_with_indicator: CascNode | None = None
    page_start = False
    tujuan = ""
    for i in range(start, end):
        raw = seed_lines[i]
        cells = [clean(c) for c in raw.split("\t")]
        if cells[0] == "Tujuan":
            tujuan = cells[1] if len(cells) > 1 else tujuan
            page_start = True
            continue
        if cells[0] in ("Sasaran", "Program") or not any(cells):
            continue
        if len(cells) < 4:
            continue
        no = i + 1
        fix = fixes.get(no, {})
        continues = set(fix.get("continues", []))
        if continues:
            used.add(no)
            review.corrections.append(
                (no, "continues " + ", ".join(sorted(continues)), fix["reason"])
            )
        prog, keg, sub, ind = cells[:4]
        # Cells cut by the page break continue on the first line of the next page: the
        # kegiatan and indicator cells always do; a sub kegiatan only when corrected.
        for level, text in (("kegiatan", keg), ("sub_kegiatan", sub)):
            cont = level in continues or (level == "kegiatan" and page_start and text)
            node = current[level]
            if text and cont and node is not None:
                node.name = clean(f"{node.name} {text}")
                review.casc_merges.append((no, LEVEL_LABEL[level], text))
                if level == "kegiatan":
                    keg = ""
                else:
                    sub = ""
        if ind and page_start and last_with_indicator is not None:
            last_with_indicator.indicators[-1] = clean(
                f"{last_with_indicator.indicators[-1]} {ind}"
            )
            review.casc_merges.append((no, "indicator", ind))
            ind = ""
        page_start = False
        deepest: CascNode | None = None
        for level, text in (("program", prog), ("kegiatan", keg), ("sub_kegiatan", sub)):
            if not text:
                continue
            idx = LEVELS.index(level)
            parent = root if idx == 0 else current[LEVELS[idx - 1]]
            if parent is None:
                raise ConversionError(f"Tabel 4.2 line {no}: {level} without a parent")
            node = CascNode(level, text, no, parent)
            parent.children.append(node)
            current[level] = node
            for lower in LEVELS[idx + 1 :]:
                current[lower] = None
            deepest = node
        if deepest is None:
            deepest = current["sub_kegiatan"] or current["kegiatan"] or current["program"]
        if ind:
            if deepest is None:
                raise ConversionError(f"Tabel 4.2 line {no}: indicator without a node")
            deepest.indicators.append(ind)
            last_with_indicator = deepest
    return root, tujuan


def walk(node: CascNode) -> list[CascNode]:
    out = []
    for c in node.children:
        out.append(c)
        out.extend(walk(c))
    return out


# --------------------------------------------------------------------------- TC-27


@dataclass
class Tc27Row:
    line: int
    code_printed: str
    code: str
    level: str
    statement: str
    name: str
    indikator: str
    satuan: str
    formula: str
    baseline: str
    targets: dict[str, str]
    budgets: dict[str, str]
    texts: list[str]
    corrected: list[str] = field(default_factory=list)
    extra_indicator: bool = False


def canonical_code(code: str) -> tuple[str, str] | None:
    """(code in the nomenclature's shape, level) or None when it cannot be read."""
    m = CODE_PARTS_RE.match(code)
    if not m:
        return None
    out = f"4.01.{m.group('p')}"
    level = "program"
    if m.group("k"):
        out += f".2.{m.group('k')}"
        level = "kegiatan"
    if m.group("s"):
        out += f".{m.group('s')}"
        level = "sub_kegiatan"
    return out, level


def split_tail(tail: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Targets, Rupiah amounts and place texts of a TC-27 line, each in column order.

    A lone ``Rp`` opens an amount slot that the next bare amount fills (the extraction
    put the figure in the next cell); ``Rp 20 orang`` is such an opening followed by a
    target. An opening never filled stays an empty amount (no money that year).
    """
    targets: list[str] = []
    money: list[str] = []
    texts: list[str] = []
    pending: int | None = None
    for tok in (t for t in tail if t):
        if PLACE_RE.search(tok):
            texts.append(tok)
            continue
        m = RP_RE.match(tok)
        if m:
            rest = m.group("rest").strip()
            if MONEY_RE.match(rest):
                money.append(tok)
                pending = None
                continue
            money.append("Rp")
            pending = len(money) - 1
            if rest:
                targets.append(rest)
            continue
        if MONEY_RE.match(tok) and len(tok.replace(",", "").replace(".", "")) >= 6:
            if pending is not None:
                money[pending] = f"Rp {tok}"
                pending = None
            else:
                money.append(tok)
            continue
        targets.append(tok)
    return targets, money, texts


def _to_slots(values: list[str]) -> dict[str, str]:
    """Four values → 2024, 2025, 2026, end (more: the first three and the last);
    fewer → the years in order."""
    slots = dict.fromkeys(SLOTS4, "")
    if len(values) >= 4:
        for s, v in zip(SLOTS4, values[:3] + values[-1:], strict=True):
            slots[s] = v
    else:
        for s, v in zip(YEARS, values, strict=False):
            slots[s] = v
    return slots


def read_tc27(
    seed_lines: list[str],
    start: int,
    end: int,
    fixes: dict[int, dict[str, Any]],
    used: set[int],
    review: Review,
) -> list[Tc27Row]:
    rows: list[Tc27Row] = []
    seen: dict[str, Tc27Row] = {}
    context = {"program": "", "kegiatan": ""}
    for i in range(start, end):
        cells = [clean(c) for c in seed_lines[i].split("\t")]
        no = i + 1
        fix = fixes.get(no, {})
        first = cells[0]
        if first == "Kode" or (first == "1" and cells[1:2] == ["2"]):
            continue
        if len(cells) == 1 and first and PLACE_RE.search(first) and rows:
            # The place cell of the row above, wrapped onto its own line.
            rows[-1].texts.append(first)
            review.continuation_lines.append(no)
            continue
        if len(cells) < 10 or (not any(cells[1:7]) and not first):
            continue
        if first and not CODE_RE.match(first):
            continue
        if fix.get("skip"):
            used.add(no)
            review.corrections.append((no, "line skipped", fix["reason"]))
            continue
        left = (cells + [""] * 7)[:7]
        values = dict(
            zip(
                ["code", "statement", "name", "indikator", "satuan", "formula", "baseline"],
                left,
                strict=True,
            )
        )
        for fname in fix.get("set", {}):
            if fname not in TC27_FIELDS and fname not in ("unit", "location"):
                raise ConversionError(f"line {no}: cannot set {fname!r}")
        extra = not first
        if extra:
            if not rows or rows[-1].level != "program":
                raise ConversionError(f"TC-27 line {no}: indicator line without a program")
            prev = rows[-1]
            code_printed, code, level = "", prev.code, "program"
            values["statement"], values["name"] = prev.statement, prev.name
        else:
            code_printed = first
            canon = canonical_code(fix.get("set", {}).get("code", first))
            if canon is None:
                raise ConversionError(f"TC-27 line {no}: code {first!r} cannot be read")
            code, level = canon
            if code != first:
                review.codes.append((no, first, code, _code_reason(first, code, context)))
        targets_l, money_l, texts = split_tail(cells[7:])
        targets = _to_slots(targets_l)
        budgets = _to_slots(money_l)
        row = Tc27Row(
            no,
            code_printed,
            code,
            level,
            values["statement"],
            values["name"],
            values["indikator"],
            values["satuan"],
            values["formula"],
            values["baseline"],
            targets,
            budgets,
            texts,
            extra_indicator=extra,
        )
        for fname, value in fix.get("set", {}).items():
            if fname == "unit":
                row.texts = [value, *row.texts[1:]]
            elif fname == "location":
                row.texts = [*row.texts[:1], value]
            elif fname != "code":
                setattr(row, fname, value)
            row.corrected.append(fname)
        for key in ("targets", "budgets"):
            if key in fix:
                getattr(row, key).update(fix[key])
                row.corrected.append(key)
        if fix:
            used.add(no)
            for fname, expected in fix.get("expect", {}).items():
                got = getattr(row, fname, None)
                if got != expected:
                    raise ConversionError(
                        f"line {no}: expected {fname}={expected!r}, found {got!r}; seed changed?"
                    )
            what = ", ".join(sorted(set(row.corrected))) or "checked"
            review.corrections.append((no, what, fix["reason"]))
        irregular = not fix and _irregular(len(targets_l), len(money_l), extra)
        if not extra:
            dup_key = code
            if dup_key in seen:
                same = _same(seen[dup_key], row)
                review.duplicates.append((no, seen[dup_key].line, code, same))
                continue
            seen[dup_key] = row
            if irregular:
                what = f"{len(targets_l)} target cell(s), {len(money_l)} Rupiah cell(s)"
                review.irregular.append((no, code, what))
            if level == "program":
                context["program"] = code
            elif level == "kegiatan":
                context["kegiatan"] = code
        rows.append(row)
    return rows


def _irregular(n_targets: int, n_money: int, extra: bool) -> bool:
    """Worth a look: not four of each, and not the common "end-of-period Rupiah not
    printed" (four targets, three amounts) nor an extra indicator line without Rupiah."""
    if extra and n_money == 0:
        return False
    return (n_targets, n_money) not in {(4, 4), (4, 3)}


def _same(a: Tc27Row, b: Tc27Row) -> bool:
    keys = ("statement", "name", "indikator", "satuan", "formula", "baseline")
    return all(getattr(a, k) == getattr(b, k) for k in keys) and (
        a.targets == b.targets and a.budgets == b.budgets
    )


def _code_reason(printed: str, code: str, context: dict[str, str]) -> str:
    parent = code.rsplit(".", 1)[0]
    if code.count(".") == 3:  # kegiatan: parent is "4.01.PP.2"
        parent = code.rsplit(".", 2)[0]
    where = "current program" if parent == context["program"] else "current kegiatan"
    if parent not in (context["program"], context["kegiatan"]):
        where = "no printed parent"
    missing = []
    if not printed.startswith("4."):
        missing.append("the leading `4.01.`" if printed.count(".") < 3 else "the leading `4.`")
    if ".2." not in printed:
        missing.append("the `.2.` of the kegiatan level")
    return f"{', '.join(missing) or 'shape'} restored; parent `{parent}` is the {where}"


# --------------------------------------------------------------------------- converting


def convert(
    seed_text: str, corrections: dict[str, Any], opds: dict[str, Any] | None = None
) -> tuple[dict[str, Any], str]:
    """Convert the seed text; returns (plan data, review markdown). Pure apart from
    reading the canonical OPD list when ``opds`` is not given."""
    opd_list: dict[str, Any] = opds if opds is not None else load_opds()
    codes = {o["code"] for o in opd_list["opds"]}
    if SETDA not in codes:
        raise ConversionError(f"OPD {SETDA!r} missing from the canonical list")
    variants = bagian_variants(opd_list)
    fixes = corrections_by_line(corrections)
    used: set[int] = set()
    review = Review()
    seed_lines = seed_text.split("\n")
    sec = sections(seed_lines)
    t27s, t27e = sec["tc27"]
    vocab = Vocabulary("\n".join(seed_lines[:t27s] + seed_lines[t27e:]))

    tc25 = read_tc25(seed_lines, *sec["tc25"])
    root, tujuan = read_cascading(seed_lines, *sec["casc"], fixes, used, review)
    tc27 = read_tc27(seed_lines, t27s, t27e, fixes, used, review)
    unused = sorted(set(fixes) - used)
    if unused:
        raise ConversionError(f"corrections not applied (no table line there?): {unused}")

    casc_nodes = walk(root)
    for n in casc_nodes:
        if not n.indicators:
            review.casc_no_indicator.append((n.line, n.name))
    matched = _match(root, tc27, vocab, review)
    # Node names come from the cascading, which prints them whole, where a code pairs.
    node_by_id = {id(n): n for n in casc_nodes}
    names = {code: node_by_id[nid].name for code, nid in matched.items()}

    rows: list[dict[str, Any]] = []
    rows.extend(_tc25_row(goal) for goal in tc25)
    by_code = {r.code: r for r in tc27 if not r.extra_indicator}
    owner: dict[str, str] = {}
    for t27 in tc27:
        rows.append(_tc27_row(t27, by_code, names, vocab, variants, owner, tujuan, review))
    for node in casc_nodes:
        if id(node) not in matched.values():
            rows.append(_casc_row(node, matched, by_code, names, owner, tujuan, review))
    _check_parent_sums(tc27, review)

    out_rows = _finish(rows, review)
    used_opds = {r["opd"] for r in out_rows} | {SETDA}
    data = {
        "format": "monev-radpug-plan",
        "format_version": 1,
        "plan": PLAN,
        "opds": [o for o in opd_list["opds"] if o["code"] in used_opds],
        "rows": out_rows,
    }
    counts = _counts(casc_nodes, tc27)
    return data, render_review(data, counts, review, vocab, opd_list)


def _match(
    root: CascNode, tc27: list[Tc27Row], vocab: Vocabulary, review: Review
) -> dict[str, int]:
    """Pair each TC-27 code with its cascading node (same parent, closest name)."""
    matched: dict[str, int] = {}
    children: dict[str, list[Tc27Row]] = defaultdict(list)
    for r in tc27:
        if r.extra_indicator:
            continue
        parent = "" if r.level == "program" else _parent_code(r.code)
        children[parent].append(r)

    def pair(cnodes: list[CascNode], parent_code: str) -> None:
        # Best pairs first, so a long TC-27 name ("… Urusan Pertambangan dan Sumber Daya
        # Mineral, …") still finds its short cascading name among its siblings.
        cands = children.get(parent_code, [])
        scored = sorted(
            (
                (
                    -difflib.SequenceMatcher(
                        None, name_key(c.name), name_key(vocab.fix(r.name))
                    ).ratio(),
                    ci,
                    ri,
                )
                for ci, c in enumerate(cnodes)
                for ri, r in enumerate(cands)
            )
        )
        done_c: set[int] = set()
        for neg, ci, ri in scored:
            r = cands[ri]
            if -neg < 0.5 or ci in done_c or r.code in matched:
                continue
            done_c.add(ci)
            matched[r.code] = id(cnodes[ci])
            if name_key(cnodes[ci].name) != name_key(vocab.fix(r.name)):
                review.name_matches.append(
                    (r.code, LEVEL_LABEL[r.level], cnodes[ci].name, vocab.fix(r.name))
                )
        for c in cnodes:
            code = next((k for k, v in matched.items() if v == id(c)), None)
            if code is None:
                review.only_casc.append((LEVEL_LABEL[c.level], c.name, parent_code))
            elif c.children:
                pair(c.children, code)

    pair(root.children, "")
    for r in tc27:
        if not r.extra_indicator and r.code not in matched:
            review.only_tc27.append((r.code, LEVEL_LABEL[r.level], vocab.fix(r.name)))
    return matched


def _parent_code(code: str) -> str:
    if code.count(".") == 4:  # kegiatan 4.01.PP.2.KK → program 4.01.PP
        return code.rsplit(".", 2)[0]
    return code.rsplit(".", 1)[0]


def _fig_json(text: str) -> dict[str, Any]:
    f = parse_figure(text)
    return {"text": f.text, "value": _num(f.value)}


def _num(v: Decimal | None) -> str | None:
    return None if v is None else format(v.normalize(), "f")


def _target_json(fig: Figure, unit_percent: bool) -> dict[str, Any]:
    return {
        "text": fig.text,
        "is_percent": fig.is_percent or (unit_percent and fig.value is not None),
        "total": _num(fig.value),
        "male": None,
        "female": None,
        "disabled": None,
    }


def _tc25_row(r: dict[str, Any]) -> dict[str, Any]:
    unit_percent = norm_key(r["satuan"]) in {"persen", "%"}
    targets = {y: _target_json(parse_figure(r["targets"][y]), unit_percent) for y in YEARS}
    return {
        "source_table": "TC-25",
        "seed_line": r["line"],
        "no": "",
        "tujuan": r["tujuan"],
        "sasaran": r["sasaran"],
        "indikator": r["indikator"],
        "satuan": r["satuan"],
        "formula": r["formula"],
        "opd": SETDA,
        "opd_text": None,
        "targets": targets,
        "_figures": [parse_figure(r["targets"][y]) for y in YEARS],
        "_budgets": None,
        "_end": None,
        "corrected": [],
    }


def _tc27_row(
    r: Tc27Row,
    by_code: dict[str, Tc27Row],
    names: dict[str, str],
    vocab: Vocabulary,
    variants: list[tuple[str, str]],
    owner: dict[str, str],
    tujuan: str,
    review: Review,
) -> dict[str, Any]:
    path = _path(r.code, by_code, names, vocab)
    unit_text = vocab.fix(r.texts[0]) if r.texts else ""
    location = vocab.fix(" ".join(r.texts[1:])) if len(r.texts) > 1 else ""
    opd = find_bagian(unit_text, variants)
    how = "Unit Kerja column"
    if opd is None and location:
        opd = find_bagian(location, variants)
        how = "Lokasi column (Unit Kerja names the whole Sekretariat)"
    if opd is None and r.level == "sub_kegiatan":
        parent = owner.get(_parent_code(r.code))
        if parent and parent != SETDA:
            opd, how = parent, f"inherited from kegiatan {_parent_code(r.code)}"
    if opd is None:
        opd, how = SETDA, "whole Sekretariat Daerah (no Bagian named)"
    if not r.extra_indicator:
        owner[r.code] = opd
    review.bagian.append((r.line, r.code, opd, how))
    unit_percent = norm_key(r.satuan) in {"persen", "%"}
    figs = {s: parse_figure(r.targets[s]) for s in SLOTS4}
    amts = {s: parse_amount(r.budgets[s]) for s in SLOTS4}
    for s in SLOTS4:
        if not figs[s].ok:
            review.unparsed.append((r.line, f"target {s}", figs[s].text))
        if not amts[s].ok:
            review.unparsed.append((r.line, f"Rupiah {s}", amts[s].text))
    base = parse_figure(r.baseline)
    if not base.ok:
        review.unparsed.append((r.line, "baseline", base.text))
    targets = {}
    for y in YEARS:
        t = _target_json(figs[y], unit_percent)
        t["budget_text"] = amts[y].text
        t["budget"] = _num(amts[y].value)
        targets[y] = t
    indikator = vocab.fix(r.indikator)
    return {
        "source_table": "TC-27",
        "seed_line": r.line,
        "no": r.code,
        "code_printed": r.code_printed or None,
        "tujuan": tujuan,
        "sasaran": "",
        **path,
        "indikator": indikator,
        "satuan": vocab.fix(r.satuan),
        "formula": vocab.fix(r.formula),
        "statement": vocab.fix(r.statement),
        "opd": opd,
        "opd_text": unit_text or None,
        "unit_name": unit_text,
        "location": location,
        "baseline": {"text": base.text, "value": _num(base.value)},
        "end_target": {"text": figs["end"].text, "value": _num(figs["end"].value)},
        "end_budget": {"text": amts["end"].text, "value": _num(amts["end"].value)},
        "targets": targets,
        "_figures": [figs[y] for y in YEARS],
        "_budgets": [amts[y].value for y in YEARS],
        "_end": (figs["end"], amts["end"]),
        "corrected": sorted(set(r.corrected)),
    }


def _path(
    code: str, by_code: dict[str, Tc27Row], names: dict[str, str], vocab: Vocabulary
) -> dict[str, Any]:
    """program/kegiatan/sub_kegiatan names and codes of a node and its ancestors."""
    out: dict[str, Any] = {}
    chain = [code]
    while chain[-1].count(".") > 2:
        chain.append(_parent_code(chain[-1]))
    for c in reversed(chain):
        r = by_code.get(c)
        if r is None:
            raise ConversionError(f"TC-27 code {code}: parent {c} is not printed")
        out[r.level] = names.get(c) or vocab.fix(r.name)
        out[f"{r.level}_code"] = c
    for lvl in LEVELS:
        out.setdefault(lvl, "")
        out.setdefault(f"{lvl}_code", None)
    return out


def _casc_row(
    node: CascNode,
    matched: dict[str, int],
    by_code: dict[str, Tc27Row],
    names: dict[str, str],
    owner: dict[str, str],
    tujuan: str,
    review: Review,
) -> dict[str, Any]:
    """A cascading node TC-27 does not print: a row with its indicator and no figures."""
    parent = node.parent
    code_of = {v: k for k, v in matched.items()}
    pcode = code_of.get(id(parent)) if parent is not None else None
    path: dict[str, Any] = {f"{lvl}_code": None for lvl in LEVELS}
    path.update(dict.fromkeys(LEVELS, ""))
    if pcode:
        c = pcode
        while True:
            r = by_code[c]
            path[r.level] = names.get(c) or r.name
            path[f"{r.level}_code"] = c
            if r.level == "program":
                break
            c = _parent_code(c)
    path[node.level] = node.name
    opd = owner.get(pcode or "", SETDA)
    review.bagian.append((node.line, f"(Tabel 4.2) {node.name}", opd, "inherited from its parent"))
    return {
        "source_table": "Tabel 4.2",
        "seed_line": node.line,
        "no": "",
        "tujuan": tujuan,
        "sasaran": "",
        **path,
        "indikator": " / ".join(node.indicators),
        "satuan": "",
        "opd": opd,
        "opd_text": None,
        "targets": {y: _target_json(parse_figure(""), False) for y in YEARS},
        "_figures": [],
        "_budgets": None,
        "_end": None,
        "corrected": [],
    }


def _check_parent_sums(tc27: list[Tc27Row], review: Review) -> None:
    """A program's or kegiatan's Rupiah per year against the sum of its children's."""
    kids: dict[str, list[Tc27Row]] = defaultdict(list)
    rows = {r.code: r for r in tc27 if not r.extra_indicator}
    for r in rows.values():
        if r.level != "program":
            kids[_parent_code(r.code)].append(r)
    for code, children in kids.items():
        parent = rows.get(code)
        if parent is None:
            continue
        for y in YEARS:
            own = parse_amount(parent.budgets[y]).value
            vals = [parse_amount(c.budgets[y]).value for c in children]
            total = sum((v for v in vals if v is not None), Decimal(0))
            if own != total:
                missing = sum(v is None for v in vals)
                note = f" ({missing} child(ren) without a figure)" if missing else ""
                review.parent_sums.append((parent.line, code, y, _rp(own), _rp(total) + note))


def _rp(v: Decimal | None) -> str:
    if v is None:
        return "—"
    return "Rp " + f"{int(v):,}".replace(",", ".")


def _finish(rows: list[dict[str, Any]], review: Review) -> list[dict[str, Any]]:
    out = []
    keys: Counter[str] = Counter()
    for seq, row in enumerate(rows, start=1):
        base = "|".join(
            norm_key(str(row.get(f) or ""))
            for f in ("source_table", "tujuan", "sasaran", "no", "sub_kegiatan", "indikator")
        )
        key = "rs-" + hashlib.sha1(base.encode("utf-8")).hexdigest()[:12]
        keys[key] += 1
        if keys[key] > 1:
            raise ConversionError(f"seed line {row['seed_line']}: duplicate row key {key}")
        polarity = "lower" if LOWER_RE.search(row["indikator"]) else "higher"
        end = row.pop("_end")
        figures = row.pop("_figures")
        budgets = row.pop("_budgets")
        if end is not None:
            mode = end_mode(row["satuan"], figures, row["indikator"])
            tcheck = check_end([f.value for f in figures], end[0].value, mode)
            bcheck = check_end(budgets, end[1].value, EndMode.SUM)
            if tcheck.differs:
                review.end_target.append(
                    (
                        row["seed_line"],
                        row["no"],
                        " / ".join(f.text or "—" for f in figures),
                        mode.value,
                        _num(tcheck.computed) or "—",
                        end[0].text,
                    )
                )
            elif tcheck.differs is None and (end[0].text or tcheck.computed is not None):
                review.end_missing.append((row["seed_line"], row["no"], "target"))
            if bcheck.differs:
                review.end_budget.append(
                    (row["seed_line"], row["no"], _rp(bcheck.computed), _rp(end[1].value), "")
                )
            elif bcheck.differs is None and (end[1].value is not None or bcheck.computed):
                review.end_missing.append((row["seed_line"], row["no"], "Rupiah"))
        entry: dict[str, Any] = {
            "key": key,
            "seq": seq,
            "seed_line": row["seed_line"],
            "source_table": row["source_table"],
            "no": row["no"],
            "code_printed": row.get("code_printed"),
            "tujuan": row["tujuan"],
            "sasaran": row["sasaran"],
            "program": row.get("program", ""),
            "kegiatan": row.get("kegiatan", ""),
            "sub_kegiatan": row.get("sub_kegiatan", ""),
            "program_code": row.get("program_code"),
            "kegiatan_code": row.get("kegiatan_code"),
            "sub_kegiatan_code": row.get("sub_kegiatan_code"),
            "aktivitas": "",
            "indikator": row["indikator"],
            "satuan": row["satuan"],
            "formula": row.get("formula") or None,
            "statement": row.get("statement") or None,
            "opd": row["opd"],
            "node_opd": SETDA,
            "opd_text": row["opd_text"],
            "unit_name": row.get("unit_name") or None,
            "location": row.get("location") or None,
            "keterangan": "",
            "polarity": polarity,
            "share": None,
            "baseline": row.get("baseline"),
            "targets": row["targets"],
            "end_target": row.get("end_target"),
            "end_budget": row.get("end_budget"),
            "corrected": row["corrected"],
        }
        out.append(entry)
    return out


def _counts(casc_nodes: list[CascNode], tc27: list[Tc27Row]) -> dict[str, dict[str, int]]:
    casc = Counter(n.level for n in casc_nodes)
    t27 = Counter(r.level for r in tc27 if not r.extra_indicator)
    return {
        lvl: {"cascading": casc[lvl], "tc27": t27[lvl], "stated": STATED[lvl]} for lvl in LEVELS
    }


# --------------------------------------------------------------------------- review text


def _md(text: Any, limit: int = 90) -> str:
    return md_cell(clean(str(text)), limit)


def render_review(
    data: dict[str, Any],
    counts: dict[str, dict[str, int]],
    review: Review,
    vocab: Vocabulary,
    opds: dict[str, Any],
) -> str:
    names = {o["code"]: o["name"] for o in opds["opds"]}
    rows = data["rows"]
    per_source = Counter(r["source_table"] for r in rows)
    per_opd = Counter(r["opd"] for r in rows)
    L: list[str] = []
    add = L.append
    add("# Review: Renstra Sekretariat Daerah Kabupaten Lumajang 2024–2026")
    add("")
    add(
        "Generated by `python -m tools.convert_renstra` from seed "
        f"`{SEED_NAME}`; do not edit by hand. Fix the data through "
        "`tools/corrections/renstra_setda_2024_2026.json` and re-run the converter."
    )
    add("Line numbers are 1-based lines of the seed text.")
    add("")
    add("## Summary")
    add("")
    add(
        f"- Rows: **{len(rows)}** — TC-25 {per_source['TC-25']}, TC-27 {per_source['TC-27']}, "
        f"Tabel 4.2 only {per_source['Tabel 4.2']}"
    )
    items = [
        ("Codes reconciled with the nomenclature", len(review.codes)),
        ("TC-27 lines printed twice or more (later copies dropped)", len(review.duplicates)),
        ("End-of-period targets that differ from the yearly targets", len(review.end_target)),
        ("End-of-period Rupiah that differ from the sum of the years", len(review.end_budget)),
        (
            "End-of-period figures that cannot be compared (one side missing)",
            len(review.end_missing),
        ),
        (
            "Program/kegiatan Rupiah that differ from the sum of their children",
            len(review.parent_sums),
        ),
        ("Figures that could not be read", len(review.unparsed)),
        ("TC-27 lines read with an irregular cell order (no correction)", len(review.irregular)),
        ("Corrections applied", len(review.corrections)),
        ("Cascading cells continued across a page break", len(review.casc_merges)),
        ("Names that differ between Tabel 4.2 and TC-27 (paired)", len(review.name_matches)),
        ("Words rejoined (broken by narrow columns)", sum(vocab.rejoined.values())),
        ("Rows set to lower-is-better polarity", sum(r["polarity"] == "lower" for r in rows)),
    ]
    for label, n in items:
        add(f"- {label}: {n}")
    add("")
    add("## Programs, kegiatan and sub kegiatan: cascading, TC-27 and the text")
    add("")
    add(
        'The text under Tabel 4.2 says the Sekretariat Daerah needs "3 Program, 20 kegiatan '
        'dan juga 72 sub-kegiatan". Counted:'
    )
    add("")
    add("| Level | Tabel 4.2 (cascading) | TC-27 (coded, distinct) | Stated in the text |")
    add("|---|---:|---:|---:|")
    for lvl, c in counts.items():
        add(f"| {LEVEL_LABEL[lvl]} | {c['cascading']} | {c['tc27']} | {c['stated']} |")
    add("")
    sub = counts["sub_kegiatan"]
    add(
        f"The plan holds the union: {sub['cascading']} sub kegiatan. "
        + (
            "Nodes of the cascading that TC-27 does not print are kept as rows with the "
            "cascading's indicator and no figures:"
            if review.only_casc
            else "Every cascading node is printed in TC-27."
        )
    )
    add("")
    for level, name, parent in review.only_casc:
        add(f'- {level} "{_md(name)}" under `{parent or "—"}`: not in TC-27')
    for code, level, name in review.only_tc27:
        add(f'- {level} `{code}` "{_md(name)}": in TC-27 but not in the cascading')
    add("")
    add(
        f"No list in the seed reaches {sub['stated']}: the stated figure is "
        f"{sub['stated'] - sub['cascading']} more than the cascading and "
        f"{sub['stated'] - sub['tc27']} more than TC-27. The app counts the sub kegiatan it "
        "holds (`summary` key `sub_kegiatan`)."
    )
    add("")
    add("## Codes reconciled with the nomenclature")
    add("")
    add(
        "Program `4.01.PP`, kegiatan `4.01.PP.2.KK`, sub kegiatan `4.01.PP.2.KK.SS`. Codes "
        "printed in another shape are restored from their own digits and checked against the "
        "program and kegiatan they are printed under; the code as printed is kept "
        "(`code_printed`)."
    )
    add("")
    for no, printed, code, why in review.codes:
        add(f"- line {no}: `{printed}` → `{code}` ({why})")
    if not review.codes:
        add("None.")
    add("")
    add("## TC-27 lines printed more than once")
    add("")
    for no, first, code, same in review.duplicates:
        how = "identical" if same else "differs in its cell order; the first copy is kept"
        add(f"- line {no}: `{code}` again (first at line {first}), {how}")
    if not review.duplicates:
        add("None.")
    add("")
    add("## End-of-period targets that differ from the yearly targets")
    add("")
    add(
        "The app computes the end-of-period target from the yearly ones: the sum for counted "
        "outputs (documents, reports, people), the last year's level for percents, indices "
        "and per-period rates. It shows both where the document's column (Akhir Periode) "
        "differs (DOMAIN.md, erratum 6)."
    )
    add("")
    add("| Line | Code | 2024 / 2025 / 2026 | Rule | Computed | Document |")
    add("|---:|---|---|---|---:|---|")
    for no, code, yearly, mode, computed, doc in review.end_target:
        add(f"| {no} | `{code}` | {_md(yearly)} | {mode} | {computed} | {_md(doc)} |")
    add("")
    add("## End-of-period Rupiah that differ from the sum of the years")
    add("")
    add("| Line | Code | Sum of 2024–2026 | Document |")
    add("|---:|---|---:|---:|")
    for no, code, computed, doc, _ in review.end_budget:
        add(f"| {no} | `{code}` | {computed} | {doc} |")
    add("")
    add("## End-of-period figures that cannot be compared")
    add("")
    add("One side is missing: the document prints no end-of-period figure, or no yearly one.")
    add("")
    for no, code, what in review.end_missing:
        add(f"- line {no} `{code}`: {what}")
    if not review.end_missing:
        add("None.")
    add("")
    add("## Program and kegiatan Rupiah against the sum of their children")
    add("")
    add(
        "Not a parse check: the document's own figures. A program's (kegiatan's) Rupiah for a "
        "year should be the sum of its kegiatan (sub kegiatan). Kept as printed."
    )
    add("")
    add("| Line | Code | Year | Printed | Sum of children |")
    add("|---:|---|---|---:|---|")
    for no, code, y, own, total in review.parent_sums:
        add(f"| {no} | `{code}` | {y} | {own} | {total} |")
    add("")
    add("## Figures that could not be read")
    add("")
    for no, what, text in review.unparsed:
        add(f'- line {no}, {what}: "{_md(text)}" (kept as text, no value)')
    if not review.unparsed:
        add("None.")
    add("")
    add("## TC-27 lines with an irregular cell order")
    add("")
    add(
        "A regular line has four target and four Rupiah cells (2024, 2025, 2026, end of "
        "period). These were read without a correction; with three cells the end of period "
        "is taken as not printed. Check them against the PDF."
    )
    add("")
    for no, code, what in review.irregular:
        add(f"- line {no} `{code}`: {what}")
    if not review.irregular:
        add("None.")
    add("")
    add("## Corrections applied")
    add("")
    for no, what, reason in sorted(review.corrections):
        add(f"- line {no} ({what}): {reason}")
    if not review.corrections:
        add("None.")
    add("")
    add("## Responsible Bagian")
    add("")
    add(
        "Rows belong to the Bagian named in the Unit Kerja column, else in the Lokasi column; "
        "a sub kegiatan naming only the whole Sekretariat Daerah inherits its kegiatan's "
        f"Bagian; the rest belong to the Sekretariat Daerah as a whole (`{SETDA}`). The "
        f"hierarchy itself belongs to `{SETDA}`."
    )
    add("")
    add("| Code | OPD | Rows |")
    add("|---|---|---:|")
    for code, n in sorted(per_opd.items(), key=lambda kv: (-kv[1], kv[0])):
        add(f"| {code} | {names[code]} | {n} |")
    add("")
    hows = Counter(how.split(" ")[0] for _, _, _, how in review.bagian)
    add(
        "Rows by how the Bagian was found: "
        + ", ".join(f"{k} {v}" for k, v in sorted(hows.items()))
        + "."
    )
    add("")
    for no, code, opd, how in review.bagian:
        if not how.startswith("Unit Kerja"):
            add(f"- line {no} `{code}` → `{opd}`: {how}")
    add("")
    add("## Cascading (Tabel 4.2) cells continued across a page break")
    add("")
    for no, what, text in review.casc_merges:
        add(f'- line {no}: {what} += "{_md(text, 70)}"')
    add("")
    add("Cascading nodes without an indicator of their own: ")
    add("")
    for no, name in review.casc_no_indicator:
        add(f"- line {no}: {_md(name)}")
    if not review.casc_no_indicator:
        add("None.")
    add("")
    add("## Names paired between Tabel 4.2 and TC-27")
    add("")
    add(
        "Node names come from the cascading, which prints them whole; "
        "TC-27 spells these differently:"
    )
    add("")
    for code, level, casc, t27 in review.name_matches:
        add(f'- `{code}` ({level}): "{_md(casc, 70)}" / TC-27 "{_md(t27, 70)}"')
    if not review.name_matches:
        add("None.")
    add("")
    add("## Words rejoined")
    add("")
    add(
        "TC-27's narrow columns break words (`Admini strasi`). A run of fragments is joined "
        "when the joined word occurs elsewhere in the seed and a fragment does not:"
    )
    add("")
    for item, n in sorted(vocab.rejoined.items()):
        add(f"- {_md(item)} ({n}×)")
    add("")
    add("## Wrapped place cells")
    add("")
    add(
        "Lines holding only the place cell of the row above: "
        + (", ".join(str(n) for n in review.continuation_lines) or "none")
        + "."
    )
    add("")
    add("## Lower-is-better indicators")
    add("")
    for r in rows:
        if r["polarity"] == "lower":
            add(f"- line {r['seed_line']} `{r['no']}`: {_md(r['indikator'])}")
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
        {out: dump_json(data), review_path: review}, check=check, module="tools.convert_renstra"
    )
    if not check:
        print(f"{len(data['rows'])} rows, {len(data['opds'])} OPDs → {out}")
    return code


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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
