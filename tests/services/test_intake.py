"""The preview before an import: key states, what to confirm, what gets imported, summaries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.formats import keys
from app.models.schema import ImportLog, PinnedKey, Submission
from app.services import importer, intake
from app.services.import_keys import KeyConsent
from app.services.importer import ACCEPTED, DUPLICATE, REFUSED, SUPERSEDED, ImportOutcome
from app.services.submission_export import export_submission
from app.services.trust import KeyState
from tests.services.submission_helpers import OPD, PASSPHRASE, Pair, dump_bytes, make_pair, submit


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def _count(pair: Pair, model: type) -> int:
    with pair.pokja.begin() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_collect_files_expands_folders_sorted_and_skips_others(tmp_path: Path) -> None:
    folder = tmp_path / "kiriman"
    (folder / "dalam").mkdir(parents=True)
    for name in ("b.xlsx", "A.XLSX", "catatan.txt", "~$b.xlsx", "dalam/c.xlsx"):
        (folder / name).write_bytes(b"x")
    single = tmp_path / "satu.xlsx"
    single.write_bytes(b"x")
    got = intake.collect_files([single, folder, tmp_path / "lain.pdf", folder / "b.xlsx"])
    # Folder files sorted by name, not recursive; the lock file, the text and the PDF skipped;
    # b.xlsx named twice is kept once.
    assert [p.name for p in got] == ["satu.xlsx", "A.XLSX", "b.xlsx"]


def test_new_key_then_known_then_changed(pair: Pair, tmp_path: Path) -> None:
    first = submit(pair, tmp_path / "r1.xlsx")
    check = intake.check_file(pair.pokja, first)
    assert check.readable and check.error is None
    assert (check.opd_code, check.year, check.revision) == (OPD, 2023, 1)
    assert check.opd_name and check.opd_name.startswith("Dinas Uji 001")
    assert check.key_state == KeyState.NEW and check.state_label == "kunci baru"
    assert check.fingerprint == keys.grouped(pair.key.key_id)
    assert len(check.fingerprint) == 19 and check.fingerprint.count(" ") == 3
    assert check.needs_confirmation

    assert importer.import_file(pair.pokja, first, accept_new_key=True).outcome == ACCEPTED
    again = intake.check_file(pair.pokja, first)
    assert again.key_state == KeyState.KNOWN and again.already_received
    assert again.state_label == "kunci dikenal"
    second = intake.check_file(pair.pokja, submit(pair, tmp_path / "r2.xlsx"))
    assert second.key_state == KeyState.KNOWN and not second.already_received
    assert second.revision == 2

    other = keys.generate_key(PASSPHRASE, tmp_path / "kunci-baru")
    swapped = tmp_path / "r3.xlsx"
    export_submission(pair.focal, 2023, other, xlsx=swapped, opd=OPD)
    changed = intake.check_file(pair.pokja, swapped)
    assert changed.key_state == KeyState.CHANGED and changed.state_label == "KUNCI BERGANTI"
    assert changed.pinned_key_id == pair.key.key_id
    assert changed.key_id == other.key_id


def test_checking_writes_nothing(pair: Pair, tmp_path: Path) -> None:
    good = submit(pair, tmp_path / "baik.xlsx")
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    before = dump_bytes(pair.pokja)
    checks = intake.check_files(pair.pokja, [good, bad])
    assert [c.readable for c in checks] == [True, False]
    assert "bukan buku kerja Excel" in (checks[1].error or "")
    assert checks[1].key_state is None and checks[1].fingerprint == ""
    assert dump_bytes(pair.pokja) == before
    assert _count(pair, ImportLog) == _count(pair, Submission) == _count(pair, PinnedKey) == 0


def test_check_files_reports_progress_and_stops_on_cancel(pair: Pair, tmp_path: Path) -> None:
    files = [submit(pair, tmp_path / f"k{i}.xlsx") for i in range(3)]
    seen: list[tuple[int, int]] = []
    out = intake.check_files(
        pair.pokja,
        files,
        progress=lambda d, t: seen.append((d, t)),
        cancelled=lambda: len(seen) >= 1,
    )
    assert [c.file for c in out] == files[:1]
    assert seen[-1] == (1, 3)


def test_one_question_per_opd_and_key_and_only_accepted_keys_pass(
    pair: Pair, tmp_path: Path
) -> None:
    a1 = intake.check_file(pair.pokja, submit(pair, tmp_path / "a1.xlsx"))
    a2 = intake.check_file(pair.pokja, submit(pair, tmp_path / "a2.xlsx"))
    b = intake.check_file(pair.pokja, submit(pair, tmp_path / "b.xlsx", opd="OPD-002"))
    bad = intake.FileCheck(tmp_path / "x.xlsx", error="rusak")
    known = intake.FileCheck(
        tmp_path / "k.xlsx",
        opd_code="OPD-003",
        year=2023,
        key_id="ab" * 8,
        key_state=KeyState.KNOWN,
    )
    checks = [a1, a2, b, bad, known]
    questions = intake.key_questions(checks)
    assert [(q.opd_code, q.files, q.state) for q in questions] == [
        (OPD, 2, KeyState.NEW),
        ("OPD-002", 1, KeyState.NEW),
    ]
    assert questions[0].fingerprint == keys.grouped(pair.key.key_id)

    accepted = {questions[0].pair}
    assert [intake.will_import(c, accepted) for c in checks] == [True, True, False, False, True]
    # Only the explicitly accepted (OPD, key) pair travels with its files; the rest are
    # still passed, without consent, so the importer logs their refusal.
    only = KeyConsent(accept=frozenset({questions[0].pair}))
    assert intake.import_plan(checks, accepted) == [
        (a1.file, only),
        (a2.file, only),
        (b.file, KeyConsent()),
        (bad.file, KeyConsent()),
        (known.file, KeyConsent()),
    ]
    assert intake.import_plan(checks, set()) == [(c.file, KeyConsent()) for c in checks]
    assert "belum diterima" in intake.not_accepted_reason(b)
    assert b.fingerprint in intake.not_accepted_reason(b)


def test_one_new_key_claimed_by_two_opds_in_a_batch_is_flagged_and_never_accepted_twice(
    pair: Pair, tmp_path: Path
) -> None:
    """Issue 11, item 3: before either OPD has a pinned key, one key signs files claiming
    two OPDs. The preview says so on both questions, and ticking both accepts neither."""
    a = intake.check_file(pair.pokja, submit(pair, tmp_path / "a.xlsx"))
    b = intake.check_file(pair.pokja, submit(pair, tmp_path / "b.xlsx", opd="OPD-002"))
    questions = intake.key_questions([a, b])
    assert [(q.opd_code, q.also_claimed_by) for q in questions] == [
        (OPD, ("OPD-002",)),
        ("OPD-002", (OPD,)),
    ]
    both = {q.pair for q in questions}
    assert intake.import_plan([a, b], both) == [(a.file, KeyConsent()), (b.file, KeyConsent())]
    only_a = KeyConsent(accept=frozenset({questions[0].pair}))
    assert intake.import_plan([a, b], {questions[0].pair}) == [
        (a.file, only_a),
        (b.file, KeyConsent()),
    ]


def _out(name: str, outcome: str, opd: str | None = "OPD-001", year: int = 2023) -> ImportOutcome:
    return ImportOutcome(Path(name), outcome, f"alasan {name}", opd, year, None, 1)


def test_summary_counts_in_a_fixed_order_and_says_when_cancelled() -> None:
    outs = (
        [_out(f"d{i}.xlsx", ACCEPTED) for i in range(9)]
        + [_out("m.xlsx", SUPERSEDED)]
        + [_out(f"t{i}.xlsx", REFUSED) for i in range(2)]
    )
    assert intake.summary(outs) == "12 berkas: 9 diterima, 1 menggantikan, 2 ditolak"
    assert intake.summary([outs[0], _out("s.xlsx", DUPLICATE)], total=5) == (
        "2 berkas: 1 diterima, 1 sama; dibatalkan, 3 berkas tidak diproses"
    )
    assert intake.summary([]) == "0 berkas"


def test_merged_lists_changed_opd_years_once() -> None:
    outs = [
        _out("a.xlsx", ACCEPTED, "OPD-001"),
        _out("b.xlsx", SUPERSEDED, "OPD-001"),
        _out("c.xlsx", DUPLICATE, "OPD-002"),
        _out("d.xlsx", REFUSED, None),
        _out("e.xlsx", ACCEPTED, "OPD-003", 2024),
    ]
    assert intake.merged(outs) == [("OPD-001", 2023), ("OPD-003", 2024)]


def test_results_text_has_summary_and_one_line_per_file() -> None:
    outs = [_out("a.xlsx", ACCEPTED), _out("b.xlsx", REFUSED, None)]
    text = intake.results_text(outs, reasons={Path("b.xlsx"): "kunci belum diterima"})
    lines = text.splitlines()
    assert lines[0] == "2 berkas: 1 diterima, 1 ditolak"
    assert lines[3] == "a.xlsx\tditerima\tOPD-001\t2023\t1\talasan a.xlsx"
    assert lines[4] == "b.xlsx\tditolak\t\t2023\t1\tkunci belum diterima"


def test_recent_log_is_newest_first(pair: Pair, tmp_path: Path) -> None:
    good = submit(pair, tmp_path / "baik.xlsx")
    importer.import_file(pair.pokja, good)  # refused: key not accepted
    importer.import_file(pair.pokja, good, accept_new_key=True)
    with pair.pokja.begin() as s:
        log = intake.recent_log(s)
    assert [e.outcome for e in log] == [ACCEPTED, REFUSED]
    assert log[0].file_name == "baik.xlsx" and log[0].opd_code == OPD
    assert "belum dikenal" in log[1].reason


def test_fill_in_workbook_is_previewed_as_unsigned_and_needs_no_key(
    pair: Pair, tmp_path: Path
) -> None:
    from app.services.fillin_export import export_fillin
    from tests.formats.test_fillin import fill

    blank = tmp_path / "isian.xlsx"
    export_fillin(pair.pokja, None, OPD, 2023, blank)
    filled = fill(blank, tmp_path / "isian-terisi.xlsx", {"J5": 10})
    check = intake.check_file(pair.pokja, filled)
    assert check.readable, check.error
    assert (check.opd_code, check.year, check.state_label) == (OPD, 2023, intake.UNSIGNED)
    assert check.unsigned and check.key_state is None
    assert not check.needs_confirmation and check.key_pair is None
    assert intake.key_questions([check]) == []
    assert intake.import_plan([check], set()) == [(filled, KeyConsent())]
    assert importer.import_file(pair.pokja, filled).outcome == ACCEPTED
    assert intake.check_file(pair.pokja, filled).already_received
    # A workbook that is neither signed nor ours keeps the "re-saved" explanation.
    from openpyxl import Workbook

    other = tmp_path / "lain.xlsx"
    Workbook().save(other)
    assert "tidak memuat isi bertanda tangan" in (intake.check_file(pair.pokja, other).error or "")
