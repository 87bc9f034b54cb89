"""Matrix distribution: Pokja exports a signed matrix, a focal point applies it by key."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from app.formats import keys
from app.formats.matrix_package import DATA_PART, EXTENSION, MatrixError, read_matrix
from app.formats.public_key_file import (
    key_from_file,
    own_public_key,
    read_public_key_file,
    write_public_key_file,
)
from app.formats.synthetic import synthetic_plan
from app.models.db import Database, open_database
from app.models.schema import (
    ArgAnswer,
    AuditEntry,
    Base,
    MatrixUpdate,
    Plan,
    PlanNode,
    PlanRow,
    Realisation,
    Target,
)
from app.services.database import open_seeded
from app.services.matrix_apply import apply_matrix
from app.services.matrix_export import export_matrix
from app.services.matrix_preview import (
    NEW_PLAN,
    OUTDATED,
    ROW_ADDED,
    ROW_CHANGED,
    ROW_DELETED,
    ROW_RESTORED,
    ROW_RETIRED,
    SAME,
    UPDATE,
    preview_matrix,
)
from app.services.matrix_state import plan_data
from app.services.seeding import load_plan_data
from app.services.trust import KeyState, pin_pokja_key, pokja_key
from tests.services.submission_helpers import PASSPHRASE, YEAR, Pair, dump_bytes, make_pair

T1 = datetime(2026, 12, 1, 9, 0)
T2 = datetime(2026, 12, 2, 9, 0)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def realisations(db: Database) -> dict[tuple[str, int, int], tuple[Any, ...]]:
    """Every realisation by (row key, year, semester) with all its values."""
    with db.begin() as s:
        return {
            (key, r.year, r.semester): (
                r.total,
                r.male,
                r.female,
                r.disabled,
                r.budget,
                r.spending,
                r.evidence,
                r.note,
                r.updated_at,
                r.updated_by,
            )
            for r, key in s.execute(
                select(Realisation, PlanRow.key).join(PlanRow, PlanRow.id == Realisation.row_id)
            )
        }


def proposals(db: Database) -> dict[tuple[str, int], tuple[Any, ...]]:
    with db.begin() as s:
        return {
            (key, t.year): (t.proposed_text, t.proposed_total, t.proposed_at, t.proposed_by)
            for t, key in s.execute(
                select(Target, PlanRow.key)
                .join(PlanRow, PlanRow.id == Target.row_id)
                .where(Target.proposed.is_(True))
            )
        }


def arg_answers(db: Database) -> set[tuple[Any, ...]]:
    with db.begin() as s:
        return {
            (key, a.year, a.question_id, a.answer, a.remark)
            for a, key in s.execute(
                select(ArgAnswer, PlanNode.key).join(PlanNode, PlanNode.id == ArgAnswer.node_id)
            )
        }


def row_keys_with(db: Database, what: str) -> list[str]:
    """Rows of OPD-001 (filled) or of other OPDs without any work, in matrix order."""
    with db.begin() as s:
        busy = set(s.scalars(select(Realisation.row_id))) | set(
            s.scalars(select(Target.row_id).where(Target.proposed.is_(True)))
        )
        rows = list(s.execute(select(PlanRow.id, PlanRow.key).order_by(PlanRow.seq)))
    if what == "busy":
        return [k for rid, k in rows if rid in busy]
    return [k for rid, k in rows if rid not in busy]


def correct_pokja(pair: Pair, *, text_key: str, target_key: str, gone: list[str]) -> None:
    """Pokja's corrections made in its own database, as the brief's scenario lists them."""
    with pair.pokja.begin() as s:
        row = s.scalars(select(PlanRow).where(PlanRow.key == text_key)).one()
        row.indikator = "Jumlah kader posyandu perempuan yang dilatih (koreksi)"
        t = s.scalars(
            select(Target).join(PlanRow).where(PlanRow.key == target_key, Target.year == YEAR)
        ).one()
        t.text, t.total, t.male, t.female, t.disabled = (
            "99 orang terdiri dari 50 laki-laki, 49 perempuan",
            Decimal(99),
            Decimal(50),
            Decimal(49),
            None,
        )
        template = s.scalars(select(PlanRow).where(PlanRow.key == text_key)).one()
        new = PlanRow(
            plan_id=template.plan_id,
            key="syn-baru-0001",
            node_id=template.node_id,
            opd_id=template.opd_id,
            seq=1000,
            no="",
            aktivitas="Pelatihan pengarusutamaan gender bagi perangkat desa",
            indikator="Jumlah perangkat desa yang dilatih",
            satuan="orang",
            polarity="higher",
            keterangan="",
        )
        for y in (2022, 2023, 2024):
            new.targets.append(Target(year=y, text="40 orang", total=Decimal(40)))
        s.add(new)
        s.execute(delete(PlanRow).where(PlanRow.key.in_(gone)))


def test_corrected_matrix_keeps_every_realisation_attached(pair: Pair, tmp_path: Path) -> None:
    busy = row_keys_with(pair.focal, "busy")
    empty = row_keys_with(pair.focal, "empty")
    text_key, target_key, retired_key, deleted_key = busy[0], busy[1], busy[2], empty[0]
    correct_pokja(pair, text_key=text_key, target_key=target_key, gone=[retired_key, deleted_key])
    before = realisations(pair.focal)
    props, answers = proposals(pair.focal), arg_answers(pair.focal)
    assert any(k[0] == retired_key for k in before)

    out = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "m.monevmatriks")
    assert out.path.suffix == EXTENSION and out.rows == 60 - 2 + 1
    pkg = read_matrix(out.path)
    assert pkg.key_id == pair.key.key_id and pkg.data_version == out.data_version

    preview = preview_matrix(pair.focal, pkg)
    assert preview.status == UPDATE and preview.key_state == KeyState.NEW
    kinds = {c.key: c.kind for c in preview.rows}
    assert kinds == {
        text_key: ROW_CHANGED,
        target_key: ROW_CHANGED,
        "syn-baru-0001": ROW_ADDED,
        retired_key: ROW_RETIRED,
        deleted_key: ROW_DELETED,
    }
    fields = {c.key: {f.field: (f.old, f.new) for f in c.fields} for c in preview.rows}
    assert fields[text_key]["Indikator"][1].endswith("(koreksi)")
    assert fields[target_key][f"Target {YEAR}"][1].startswith("99 orang")
    assert fields[target_key][f"Target {YEAR} (angka)"][1] == "99 · L 50 · P 49"
    assert preview.realisations_kept == len(before)
    assert "1 baris baru, 2 baris berubah, 1 dipensiunkan, 1 dihapus" in preview.summary()

    outcome = apply_matrix(pair.focal, pkg, accept_key=True, user="Budi")
    assert outcome.changed and outcome.key_pinned
    assert "Kunci Pokja" in outcome.message
    # Every realisation, proposal and ARG answer is still there, by key, unchanged.
    assert realisations(pair.focal) == before
    assert proposals(pair.focal) == props
    assert arg_answers(pair.focal) == answers
    with pair.focal.begin() as s:
        rows = {r.key: r for r in s.scalars(select(PlanRow))}
        assert rows[text_key].indikator.endswith("(koreksi)")
        assert rows[retired_key].retired_at is not None
        assert deleted_key not in rows
        assert rows["syn-baru-0001"].retired_at is None
        assert [t.text for t in rows["syn-baru-0001"].targets] == ["40 orang"] * 3
        t = s.scalars(
            select(Target).join(PlanRow).where(PlanRow.key == target_key, Target.year == YEAR)
        ).one()
        assert (t.total, t.male, t.female, t.disabled) == (99, 50, 49, None)
        plan = s.scalars(select(Plan)).one()
        assert plan.data_version == pkg.data_version
        assert s.scalar(select(func.count()).select_from(MatrixUpdate)) == 1
        actions = set(s.scalars(select(AuditEntry.action)))
        assert {"terapkan-matriks", "matriks-koreksi", "matriks-pensiun"} <= actions
    # The focal matrix now equals Pokja's, row for row (retired rows are not exported).
    with pair.focal.begin() as s, pair.pokja.begin() as p:
        focal_data = plan_data(s, s.scalars(select(Plan)).one())
        pokja_data = plan_data(p, p.scalars(select(Plan)).one())
    assert focal_data == pokja_data


def test_same_package_twice_and_an_older_one_change_nothing(pair: Pair, tmp_path: Path) -> None:
    first = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "a.mm", now=T1)
    correct_pokja(pair, text_key="syn-0000002", target_key="syn-0000003", gone=[])
    second = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "b.mm", now=T2)
    assert apply_matrix(pair.focal, second.path, accept_key=True).changed
    snapshot = dump_bytes(pair.focal)

    again = apply_matrix(pair.focal, second.path)
    assert again.status == SAME and not again.changed
    assert "sudah diterapkan; tidak ada yang diubah" in again.message
    older = apply_matrix(pair.focal, first.path)
    assert older.status == OUTDATED
    assert "tidak lebih baru" in older.message
    assert dump_bytes(pair.focal) == snapshot
    with pair.focal.begin() as s:
        assert s.scalar(select(func.count()).select_from(MatrixUpdate)) == 1


def test_tampered_package_is_refused_and_the_database_is_untouched(
    pair: Pair, tmp_path: Path
) -> None:
    good = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "m.mm").path
    files = [Path(str(pair.focal.path) + s) for s in ("", "-wal")]
    raw_before = [f.read_bytes() if f.exists() else b"" for f in files]

    flipped = tmp_path / "flip.mm"
    data = bytearray(good.read_bytes())
    data[len(data) // 3] ^= 0x01
    flipped.write_bytes(bytes(data))
    with pytest.raises(MatrixError):
        apply_matrix(pair.focal, flipped, accept_key=True)

    # A well-formed zip whose data was edited after signing.
    edited = tmp_path / "edited.mm"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(edited, "w") as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == DATA_PART:
                part = part.replace(b'"orang"', b'"orang!"', 1)
            zout.writestr(info.filename, part)
    with pytest.raises(MatrixError, match="telah diubah atau rusak"):
        apply_matrix(pair.focal, edited, accept_key=True)

    assert [f.read_bytes() if f.exists() else b"" for f in files] == raw_before


def test_not_a_package_or_an_extra_part_is_refused(pair: Pair, tmp_path: Path) -> None:
    junk = tmp_path / "junk.mm"
    junk.write_bytes(b"bukan zip sama sekali")
    with pytest.raises(MatrixError, match="bukan paket matriks"):
        read_matrix(junk)
    good = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "m.mm").path
    extra = tmp_path / "extra.mm"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(extra, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.writestr("lain.exe", b"MZ")
    with pytest.raises(MatrixError, match="tidak dikenal"):
        read_matrix(extra)


def test_unknown_or_changed_key_is_refused_until_accepted(pair: Pair, tmp_path: Path) -> None:
    pkg = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "a.mm", now=T1)
    snapshot = dump_bytes(pair.focal)
    with pytest.raises(MatrixError, match="belum disematkan") as err:
        apply_matrix(pair.focal, pkg.path)
    assert keys.grouped(pair.key.key_id) in str(err.value)
    assert dump_bytes(pair.focal) == snapshot
    with pair.focal.begin() as s:
        assert pokja_key(s) is None

    # Pinned from the public-key file Pokja hands out: no question asked afterwards.
    key_file = write_public_key_file(
        own_public_key(tmp_path / "kunci"), tmp_path / "pokja.monevkunci"
    )
    with pair.focal.begin() as s:
        pin_pokja_key(s, read_public_key_file(key_file), "Budi")
    assert apply_matrix(pair.focal, pkg.path).changed

    other = keys.generate_key(PASSPHRASE, tmp_path / "lain")
    correct_pokja(pair, text_key="syn-0000002", target_key="syn-0000003", gone=[])
    forged = export_matrix(pair.pokja, "SYN-2022-2024", other, tmp_path / "b.mm", now=T2)
    preview = preview_matrix(pair.focal, forged.path)
    assert preview.key_state == KeyState.CHANGED
    assert preview.pinned_key_id == pair.key.key_id
    snapshot = dump_bytes(pair.focal)
    with pytest.raises(MatrixError, match="kunci lain"):
        apply_matrix(pair.focal, forged.path)
    assert dump_bytes(pair.focal) == snapshot

    outcome = apply_matrix(pair.focal, forged.path, accept_key=True)
    assert outcome.changed and outcome.key_pinned
    with pair.focal.begin() as s:
        pinned = pokja_key(s)
    assert pinned is not None and pinned.key_id == other.key_id
    assert pinned.previous == (pair.key.key_id,)


def test_key_from_a_package_and_bad_key_files(pair: Pair, tmp_path: Path) -> None:
    pkg = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "a.mm").path
    assert key_from_file(pkg) == pair.key.public
    bare = tmp_path / "kunci.pub"
    bare.write_text(pair.key.public.hex() + "\n")
    assert key_from_file(bare) == pair.key.public
    bad = tmp_path / "salah.monevkunci"
    bad.write_text('{"format":"lain"}')
    with pytest.raises(MatrixError, match="bukan berkas kunci publik"):
        read_public_key_file(bad)


def test_new_period_package_adds_a_second_plan(pair: Pair, tmp_path: Path) -> None:
    data = synthetic_plan(20, opds=2, seed=11, code="SYN-2025-2027")
    data["plan"].update(start_year=2025, end_year=2027, title="Rencana uji periode baru")
    for r in data["rows"]:
        r["key"] = r["key"].replace("syn-", "baru-")
        r["targets"] = {str(y + 3): t for y, t in ((int(k), v) for k, v in r["targets"].items())}
    load_plan_data(pair.pokja, data)
    out = export_matrix(pair.pokja, "SYN-2025-2027", pair.key, tmp_path / "p.mm")
    before = realisations(pair.focal)

    preview = preview_matrix(pair.focal, out.path)
    assert preview.status == NEW_PLAN and preview.count(ROW_ADDED) == 20
    outcome = apply_matrix(pair.focal, out.path, accept_key=True)
    assert outcome.status == NEW_PLAN
    assert "Rencana baru SYN-2025-2027 (2025–2027) ditambahkan: 20 baris" in outcome.message
    with pair.focal.begin() as s:
        plans = {p.code: p for p in s.scalars(select(Plan))}
        assert set(plans) == {"SYN-2022-2024", "SYN-2025-2027"}
        assert plans["SYN-2025-2027"].years == [2025, 2026, 2027]
        assert plans["SYN-2025-2027"].data_version == out.data_version
    assert realisations(pair.focal) == before
    assert apply_matrix(pair.focal, out.path).status == SAME


def test_new_plan_whose_row_keys_belong_to_another_plan_is_refused(
    pair: Pair, tmp_path: Path
) -> None:
    data = synthetic_plan(5, opds=1, code="SYN-LAIN")
    other = open_database(tmp_path / "lain.sqlite")
    try:
        load_plan_data(other, data)
        out = export_matrix(other, "SYN-LAIN", pair.key, tmp_path / "x.mm")
    finally:
        other.dispose()
    with pytest.raises(MatrixError, match="sudah dipakai rencana lain"):
        apply_matrix(pair.focal, out.path, accept_key=True)


def test_retired_row_comes_back_when_the_matrix_lists_it_again(pair: Pair, tmp_path: Path) -> None:
    busy = row_keys_with(pair.focal, "busy")[0]
    saved = dump_bytes(pair.pokja)
    with pair.pokja.begin() as s:
        row = s.scalars(select(PlanRow).where(PlanRow.key == busy)).one()
        row.retired_at = datetime(2026, 1, 1)  # Pokja's own retirement: not exported
    first = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "a.mm", now=T1)
    assert apply_matrix(pair.focal, first.path, accept_key=True).preview.count(ROW_RETIRED) == 1
    with pair.pokja.begin() as s:
        s.scalars(select(PlanRow).where(PlanRow.key == busy)).one().retired_at = None
    assert dump_bytes(pair.pokja) == saved
    second = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "b.mm", now=T2)
    outcome = apply_matrix(pair.focal, second.path)
    assert outcome.preview.count(ROW_RESTORED) == 1
    with pair.focal.begin() as s:
        assert s.scalars(select(PlanRow).where(PlanRow.key == busy)).one().retired_at is None


def test_period_mismatch_for_an_existing_plan_is_refused(pair: Pair, tmp_path: Path) -> None:
    with pair.pokja.begin() as s:
        plan = s.scalars(select(Plan)).one()
        plan.end_year = 2025
        for row in s.scalars(select(PlanRow)):
            row.targets.append(Target(year=2025, text=""))
    out = export_matrix(pair.pokja, "SYN-2022-2024", pair.key, tmp_path / "a.mm")
    with pytest.raises(MatrixError, match="kode rencana baru"):
        preview_matrix(pair.focal, out.path)


def test_shipped_matrix_round_trips_without_a_single_change(tmp_path: Path) -> None:
    key = keys.generate_key(PASSPHRASE, tmp_path / "kunci")
    pokja = open_seeded(tmp_path / "pokja.sqlite")
    focal = open_seeded(tmp_path / "focal.sqlite")
    try:
        out = export_matrix(pokja, "RADPUG-LMJ-2022-2024", key, tmp_path / "r.mm")
        assert out.rows == 848
        preview = preview_matrix(focal, out.path)
        assert preview.status == UPDATE
        assert preview.rows == () and preview.plan_changes == ()
        assert "tidak ada baris yang berubah" in preview.summary()
    finally:
        pokja.dispose()
        focal.dispose()


# ------------------------------------------------------------------ applying twice
PROPERTY_ROWS = 24
edits = st.lists(
    st.tuples(
        st.sampled_from(["indikator", "target", "budget", "delete"]),
        st.integers(0, PROPERTY_ROWS - 1),
        st.integers(1, 999),
    ),
    max_size=4,
)


@pytest.fixture(scope="module")
def base_pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    """A focal point and Pokja with the same small plan; copied for every example."""
    p = make_pair(tmp_path_factory.mktemp("base"), rows=PROPERTY_ROWS, opds=2)
    p.dispose()
    return p


def all_tables(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order: the database as a comparable value."""
    with db.begin() as s:
        return {
            t.name: [tuple(r) for r in s.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


def edit_pokja(db: Database, changes: list[tuple[str, int, int]]) -> None:
    with db.begin() as s:
        rows = list(s.scalars(select(PlanRow).order_by(PlanRow.seq)))
        deleted: set[int] = set()
        for what, i, n in changes:
            row = rows[i]
            if i in deleted:
                # Already gone (an autoflush may have run): a second delete is no edit.
                continue
            if what == "delete":
                s.delete(row)
                deleted.add(i)
                continue
            if what == "indikator":
                row.indikator = f"{row.indikator} (koreksi {n})"
            else:
                t = next(t for t in row.targets if t.year == YEAR)
                if what == "target":
                    t.text, t.total = f"{n} orang", Decimal(n)
                else:
                    t.budget_text, t.budget = f"Rp {n}.000.000", Decimal(n) * 1_000_000


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=edits)
def test_applying_the_same_package_twice_changes_nothing_the_second_time(
    base_pair: Pair, copy_db: Callable[[Path, Path], None], changes: list[tuple[str, int, int]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        assert base_pair.focal.path is not None and base_pair.pokja.path is not None
        copy_db(base_pair.focal.path, folder / "focal.sqlite")
        copy_db(base_pair.pokja.path, folder / "pokja.sqlite")
        focal = open_database(folder / "focal.sqlite")
        pokja = open_database(folder / "pokja.sqlite")
        try:
            edit_pokja(pokja, changes)
            package = export_matrix(pokja, "SYN-2022-2024", base_pair.key, folder / "m.mm", now=T1)
            first = apply_matrix(focal, package.path, accept_key=True)
            assert first.status == UPDATE and first.key_pinned
            before = all_tables(focal)
            plan_before = dump_bytes(focal)
            realisations_before = realisations(focal)

            second = apply_matrix(focal, package.path)
            assert second.status == SAME and not second.changed and not second.key_pinned
            assert "sudah diterapkan; tidak ada yang diubah" in second.message
            assert preview_matrix(focal, package.path).status == SAME
            assert all_tables(focal) == before
            assert dump_bytes(focal) == plan_before
            assert realisations(focal) == realisations_before
        finally:
            focal.dispose()
            pokja.dispose()


@pytest.mark.parametrize("note", ["Koreksi\x00", "perbaikan \u202eteks", "x" * 2001])
def test_a_note_the_reader_would_refuse_is_refused_before_writing(
    pair: Pair, tmp_path: Path, note: str
) -> None:
    # The reader applies the text policy to the note: a package carrying such a note
    # would be signed and sent, then refused by every focal point.
    out = tmp_path / "m.monevmatriks"
    with pytest.raises(MatrixError, match="Catatan paket"):
        export_matrix(pair.pokja, "SYN-2022-2024", pair.key, out, note)
    assert not out.exists()
