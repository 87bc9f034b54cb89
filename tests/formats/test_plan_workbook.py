"""Reading a plan matrix workbook laid out as matrices are in practice, and refusing
hostile or unusable ones with a sentence (issue #12 item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from app.formats.plan_workbook import read_plan_workbook
from app.formats.refusal import SubmissionError

YEARS = [2025, 2026, 2027, 2028, 2029]
# Another layout than the app writes: OPD second, INDIKATOR before AKTIVITAS, no misi,
# tujuan or sasaran, a one-word "KET" column, five target years.
HEAD = [
    "NO",
    "OPD",
    "PROGRAM",
    "KEGIATAN",
    "SUB KEGIATAN",
    "INDIKATOR",
    "AKTIVITAS",
    "SATUAN",
    "TARGET",
    None,
    None,
    None,
    None,
    "KET",
]


def _handmade(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tabel 4.2"
    ws["A1"] = "MATRIKS RENCANA AKSI DAERAH PUG KABUPATEN CONTOH"
    ws["A2"] = "Tahun 2025-2029"
    ws.merge_cells("A1:N1")
    for c, text in enumerate(HEAD, start=1):
        ws.cell(4, c, text)
        if text and text != "TARGET":
            ws.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)
    ws.merge_cells("I4:M4")
    for i, y in enumerate(YEARS):
        ws.cell(5, 9 + i, y)  # years typed as numbers
    for c in range(1, 15):
        ws.cell(6, c, f"({c})")
    rows = [
        # no, opd, program, kegiatan, sub, indikator, aktivitas, satuan, 5 targets, ket
        (
            1,
            "Dinas Kesehatan",
            "Program Kesehatan",
            "Kegiatan Gizi",
            "Sub Gizi Balita",
            "Jumlah balita ditimbang",
            "Penimbangan",
            "orang",
            "20 orang dari 12 laki-laki, 8 perempuan",
            15,
            0.5,
            "-",
            None,
            "catatan",
        ),
        (
            2,
            None,
            None,
            None,
            None,
            "Jumlah kader",
            "Pelatihan kader",
            "orang",
            "10",
            None,
            None,
            None,
            None,
            None,
        ),
        (
            3,
            None,
            None,
            None,
            None,
            "Jumlah posyandu",
            "Pembinaan",
            "unit",
            "5",
            None,
            None,
            None,
            None,
            None,
        ),
        (
            4,
            None,
            None,
            None,
            "Sub Gizi Ibu",
            "Jumlah ibu hamil",
            "Kelas ibu",
            "orang",
            "30",
            None,
            None,
            None,
            None,
            None,
        ),
        (
            None,
            "Dinas Sosial",
            "Program Sosial",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),  # a heading row: context only
        (
            5,
            None,
            None,
            "Kegiatan Rehabilitasi",
            "Sub Disabilitas",
            "Jumlah penyandang",
            "Bantuan alat",
            "orang",
            "4 disabilitas",
            None,
            None,
            None,
            "7",
            None,
        ),
    ]
    for r, values in enumerate(rows, start=7):
        for c, v in enumerate(values, start=1):
            if v is not None:
                ws.cell(r, c, v)
    ws.cell(9, 11).number_format = "0%"  # not a target: shows the format is not needed
    ws.cell(7, 11).number_format = "0%"
    # Hierarchy and OPD merged down over the rows they cover, as in real matrices.
    for col in ("B", "C", "D"):
        ws.merge_cells(f"{col}7:{col}10")
    ws.merge_cells("E7:E9")
    wb.save(path)
    return path


def test_a_handmade_matrix_in_another_layout_is_read_with_merged_cells_carried_down(
    tmp_path: Path,
) -> None:
    book = read_plan_workbook(_handmade(tmp_path / "contoh.xlsx"))
    m = book.mapping
    assert m is not None and m.sheet == "Tabel 4.2" and m.header_rows == (4, 5)
    assert m.columns == {
        "no": 1,
        "opd": 2,
        "program": 3,
        "kegiatan": 4,
        "sub_kegiatan": 5,
        "indikator": 6,
        "aktivitas": 7,
        "satuan": 8,
        "keterangan": 14,
    }
    assert m.years == {y: 9 + i for i, y in enumerate(YEARS)}
    assert book.years == YEARS
    rows = book.data["rows"]
    got = [
        (r["sheet_row"], r["opd"], r["program"], r["kegiatan"], r["sub_kegiatan"], r["indikator"])
        for r in rows
    ]
    assert got == [
        (
            7,
            "Dinas Kesehatan",
            "Program Kesehatan",
            "Kegiatan Gizi",
            "Sub Gizi Balita",
            "Jumlah balita ditimbang",
        ),
        (
            8,
            "Dinas Kesehatan",
            "Program Kesehatan",
            "Kegiatan Gizi",
            "Sub Gizi Balita",
            "Jumlah kader",
        ),
        (
            9,
            "Dinas Kesehatan",
            "Program Kesehatan",
            "Kegiatan Gizi",
            "Sub Gizi Balita",
            "Jumlah posyandu",
        ),
        (
            10,
            "Dinas Kesehatan",
            "Program Kesehatan",
            "Kegiatan Gizi",
            "Sub Gizi Ibu",
            "Jumlah ibu hamil",
        ),
        (
            12,
            "Dinas Sosial",
            "Program Sosial",
            "Kegiatan Rehabilitasi",
            "Sub Disabilitas",
            "Jumlah penyandang",
        ),
    ]
    assert all(r["misi"] == r["tujuan"] == r["sasaran"] == "" for r in rows)
    first = rows[0]
    assert first["keterangan"] == "catatan" and first["aktivitas"] == "Penimbangan"
    t = first["targets"]
    assert t["2025"]["text"] == "20 orang dari 12 laki-laki, 8 perempuan"
    assert (t["2025"]["total"], t["2025"]["male"], t["2025"]["female"]) == ("20", "12", "8")
    assert t["2026"]["text"] == "15" and t["2026"]["total"] == "15"
    assert t["2027"]["text"] == "50%" and t["2027"]["is_percent"] and t["2027"]["total"] == "50"
    assert t["2028"]["text"] == "-" and t["2028"]["total"] is None
    assert rows[-1]["targets"]["2025"]["disabled"] == "4"
    assert rows[-1]["targets"]["2029"]["total"] == "7"
    assert book.problems == []


def _simple(path: Path, head: list[str | None], rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


BASIC = [
    "PROGRAM",
    "KEGIATAN",
    "SUB KEGIATAN",
    "AKTIVITAS",
    "INDIKATOR",
    "SATUAN",
    "2026",
    "PERANGKAT DAERAH",
]


def test_rows_that_cannot_be_read_are_listed_by_sheet_row_with_a_reason(tmp_path: Path) -> None:
    path = _simple(
        tmp_path / "p.xlsx",
        BASIC,
        [
            ["P", "K", "S", "A1", "I1", "orang", "10", None],  # no OPD yet: skipped
            ["P", "K", "S", "A2", "I2", "orang", "1.2.3", "Dinas A"],  # unreadable figure: kept
            ["P", "K", "S", "A3", "I3\u202e", "orang", "3", "Dinas A"],  # a bidi override
        ],
    )
    book = read_plan_workbook(path)
    assert [r["indikator"] for r in book.data["rows"]] == ["I2"]
    got = [(p.row, p.skipped) for p in book.problems]
    assert got == [(2, True), (3, False), (4, True)]
    assert "tanpa Perangkat Daerah" in book.problems[0].reason
    assert "tidak terbaca" in book.problems[1].reason
    assert book.problems[2].reason.startswith("Kolom INDIKATOR")


def test_an_unrecognised_column_can_be_mapped_by_hand(tmp_path: Path) -> None:
    head = [*BASIC[:-1], "UNIT KERJA"]
    path = _simple(tmp_path / "p.xlsx", head, [["P", "K", "S", "A", "I", "orang", "5", "Dinas A"]])
    with pytest.raises(SubmissionError, match=r"Kolom wajib tidak ditemukan: PERANGKAT DAERAH"):
        read_plan_workbook(path)
    book = read_plan_workbook(path, {"opd": 8})
    assert book.data["rows"][0]["opd"] == "Dinas A"
    assert book.mapping is not None and book.mapping.columns["opd"] == 8


def test_a_polarity_column_is_read_when_present_and_defaults_to_higher(tmp_path: Path) -> None:
    head = [*BASIC, "POLARITAS"]
    path = _simple(
        tmp_path / "p.xlsx",
        head,
        [
            ["P", "K", "S", "A1", "I1", "kasus", "3", "Dinas A", "turun"],
            ["P", "K", "S", "A2", "I2", "kasus", "3", "Dinas A", "Semakin Rendah, Semakin Baik"],
            ["P", "K", "S", "A3", "I3", "orang", "3", "Dinas A", "naik"],
            ["P", "K", "S", "A4", "I4", "orang", "3", "Dinas A", None],
            ["P", "K", "S", "A5", "I5", "orang", "3", "Dinas A", "miring"],
        ],
    )
    book = read_plan_workbook(path)
    got = [r["polarity"] for r in book.data["rows"]]
    assert got == ["lower", "lower", "higher", "higher", "higher"]
    assert [(p.row, p.skipped) for p in book.problems] == [(6, False)]
    assert "Polaritas 'miring' tidak dikenal" in book.problems[0].reason
    # Without the column every row is "higher", as before.
    plain = _simple(tmp_path / "q.xlsx", BASIC, [["P", "K", "S", "A", "I", "o", "1", "Dinas A"]])
    assert read_plan_workbook(plain).data["rows"][0]["polarity"] == "higher"


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        (
            ["PROGRAM", "KEGIATAN", "SUB KEGIATAN", "AKTIVITAS", "INDIKATOR", "2026"],
            r"Kolom wajib tidak ditemukan: SATUAN, PERANGKAT DAERAH \(OPD\)\.",
        ),
        ([*BASIC[:6], "OPD"], "Tidak ada kolom target tahunan"),
        (BASIC[:6] + [str(y) for y in range(2025, 2031)] + ["OPD"], "1 sampai 5 tahun"),
        ([*BASIC[:6], "2025", "2027", "OPD"], "berurutan"),
        (["NAMA", "ALAMAT"], "Judul tabel tidak ditemukan"),
    ],
)
def test_a_workbook_without_the_needed_columns_is_refused_with_a_sentence(
    tmp_path: Path, head: list[str], reason: str
) -> None:
    path = _simple(tmp_path / "p.xlsx", head, [["x"] * len(head)])
    with pytest.raises(SubmissionError, match=reason):
        read_plan_workbook(path)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bukan.xlsx"
    path.write_bytes(b"PROGRAM;KEGIATAN\n" * 50)
    with pytest.raises(SubmissionError, match="bukan buku kerja Excel"):
        read_plan_workbook(path)


def test_a_sheet_declaring_a_million_rows_is_refused_before_openpyxl_reads_it(
    tmp_path: Path,
) -> None:
    wb = Workbook()
    ws = wb.active
    for c, text in enumerate(BASIC, start=1):
        ws.cell(1, c, text)
    ws.cell(1_000_000, 1, "P")
    path = tmp_path / "besar.xlsx"
    wb.save(path)
    assert path.stat().st_size < 20_000
    with pytest.raises(SubmissionError, match=r"1[.,]000[.,]000 baris") as refused:
        read_plan_workbook(path)
    # The advice is a matrix's, not the fill-in workbook's.
    assert "buku kerja isian" not in str(refused.value)
    assert "impor lagi" in str(refused.value)
