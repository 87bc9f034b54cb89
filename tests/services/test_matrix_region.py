"""Issue 12 item 5: the region profile and OPD catalogue travel in the matrix package."""

from __future__ import annotations

import base64
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.region import LOGO_MAX_BYTES, Region
from app.formats.matrix_package import DATA_PART, MatrixError, read_matrix, write_matrix
from app.models.db import Database
from app.models.schema import AuditEntry, Opd, OpdAlias, Plan
from app.services.matrix_apply import apply_matrix
from app.services.matrix_export import export_matrix
from app.services.matrix_preview import UPDATE, preview_matrix
from app.services.matrix_region import add_region_and_catalogue
from app.services.matrix_state import plan_data
from app.services.region import load_region, region_to_json, store_region
from tests.services.submission_helpers import Pair, dump_bytes, make_pair

T1 = datetime(2026, 12, 1, 9, 0)
T2 = datetime(2026, 12, 2, 9, 0)
PLAN = "SYN-2022-2024"


def png(width: int = 2, height: int = 2, pad: int = 0) -> bytes:
    """A whole PNG (grey, 8 bit) with ``pad`` bytes of text chunk to make it big."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + (chunk(b"tEXt", b"c\x00" + b"x" * pad) if pad else b"")
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


CONTOH = Region(
    name="Contoh",
    kind="Kota",
    letterhead=("PEMERINTAH KOTA CONTOH", "BAPPEDA"),
    address="Jl. Merdeka 1",
    place="Contoh",
    logo=png(),
)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(tmp_path)
    yield p
    p.dispose()


def first_opd(db: Database) -> str:
    with db.begin() as s:
        return str(s.scalars(select(Opd.code).order_by(Opd.code)).first())


def rename(db: Database, code: str, name: str, short: str, variant: str) -> None:
    with db.begin() as s:
        opd = s.scalars(select(Opd).where(Opd.code == code)).one()
        opd.name, opd.short_name = name, short
        opd.aliases.append(OpdAlias(variant=variant))


def opd_row(db: Database, code: str) -> tuple[str, str, set[str]]:
    with db.begin() as s:
        o = s.scalars(select(Opd).where(Opd.code == code)).one()
        return o.name, o.short_name, {a.variant for a in o.aliases}


def pokja_data(db: Database) -> dict[str, Any]:
    with db.begin() as s:
        plan = s.scalars(select(Plan).where(Plan.code == PLAN)).one()
        return add_region_and_catalogue(s, plan_data(s, plan))


def test_v2_round_trip_carries_a_changed_region_and_a_renamed_opd(
    pair: Pair, tmp_path: Path
) -> None:
    apply_matrix(
        pair.focal,
        export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "a", now=T1).path,
        accept_key=True,
    )
    code = first_opd(pair.pokja)
    store_region(pair.pokja, CONTOH)
    rename(pair.pokja, code, "Dinas Baru Sekali", "Dinas Baru", "DINAS BARU SEKALI KAB")
    with pair.pokja.begin() as s:
        s.add(Opd(code="OPD-NEW", name="Badan Tambahan", short_name="Tambahan"))
    before_realisations = dump_bytes(pair.focal)  # only to be sure the focal DB is not shared
    assert before_realisations

    out = export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "b", now=T2)
    assert read_matrix(out.path).format_version == 2
    preview = preview_matrix(pair.focal, out.path)
    assert preview.status == UPDATE
    region_fields = {c.field for c in preview.region_changes}
    assert {"Nama wilayah", "Jenis wilayah", "Kop surat", "Logo"} <= region_fields
    catalogue = {c.field: c for c in preview.catalogue_changes}
    assert catalogue[f"Nama {code}"].new == "Dinas Baru Sekali"
    assert catalogue[f"Nama singkat {code}"].new == "Dinas Baru"
    assert catalogue[f"Varian baru {code}"].new == "DINAS BARU SEKALI KAB"
    assert catalogue["OPD baru OPD-NEW"].new == "Badan Tambahan"
    assert "profil wilayah berubah" in preview.summary().lower()

    outcome = apply_matrix(pair.focal, out.path)
    assert outcome.changed
    with pair.focal.begin() as s:
        assert load_region(s) == CONTOH
        actions = set(s.scalars(select(AuditEntry.action)))
    assert {"matriks-wilayah", "matriks-opd-nama", "matriks-opd-baru"} <= actions
    name, short, variants = opd_row(pair.focal, code)
    assert (name, short) == ("Dinas Baru Sekali", "Dinas Baru")
    assert "DINAS BARU SEKALI KAB" in variants
    assert opd_row(pair.focal, "OPD-NEW")[0] == "Badan Tambahan"
    # Applied: the same package again is the same version, nothing left to change.
    assert preview_matrix(pair.focal, out.path).catalogue_changes == ()


def test_an_opd_pokja_no_longer_lists_is_kept(pair: Pair, tmp_path: Path) -> None:
    with pair.focal.begin() as s:
        s.add(Opd(code="OPD-LOCAL", name="Hanya Di Sini", short_name="Lokal"))
    out = export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "a", now=T1)
    apply_matrix(pair.focal, out.path, accept_key=True)
    assert opd_row(pair.focal, "OPD-LOCAL")[0] == "Hanya Di Sini"


def test_a_version_1_package_still_applies_and_leaves_region_and_catalogue(
    pair: Pair, tmp_path: Path
) -> None:
    code = first_opd(pair.pokja)
    store_region(pair.pokja, CONTOH)
    rename(pair.pokja, code, "Dinas Baru Sekali", "Dinas Baru", "VARIAN BARU")
    with pair.pokja.begin() as s:
        plan = s.scalars(select(Plan).where(Plan.code == PLAN)).one()
        data = plan_data(s, plan)
    data["rows"][0]["indikator"] = "Indikator dikoreksi lewat paket versi 1"
    old_path = tmp_path / "v1.monevmatriks"
    write_matrix(old_path, data, pair.key, "lama", T1, format_version=1)
    pkg = read_matrix(old_path)
    assert pkg.format_version == 1 and pkg.region is None
    with pair.focal.begin() as s:
        region_before = load_region(s)
    name_before = opd_row(pair.focal, code)[:2]

    preview = preview_matrix(pair.focal, old_path)
    assert preview.region_changes == () and preview.catalogue_changes == ()
    apply_matrix(pair.focal, old_path, accept_key=True)
    with pair.focal.begin() as s:
        assert load_region(s) == region_before
        assert s.scalars(select(Plan.data_version).where(Plan.code == PLAN)).one() == (
            pkg.data_version
        )
    assert opd_row(pair.focal, code)[:2] == name_before  # today's v1 behaviour: no rename


def _package(pair: Pair, path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A v2 package, signed by Pokja's own key, whose data was edited before signing:
    only the reader's checks can refuse it."""
    data = pokja_data(pair.pokja)
    edit(data)
    write_matrix(path, data, pair.key, "", T2, format_version=2)
    return path


def _set_region(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(d: dict[str, Any]) -> None:
        d["region"][field] = value

    return edit


def _logo(raw: bytes) -> Callable[[dict[str, Any]], None]:
    return _set_region("logo", base64.b64encode(raw).decode())


def _variant_on_two(d: dict[str, Any]) -> None:
    d["opds"][0]["variants"] = ["SAMA"]
    d["opds"][1]["variants"] = ["SAMA"]


def _same_code_twice(d: dict[str, Any]) -> None:
    d["opds"].append(dict(d["opds"][0]))


BAD: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "control character": (_set_region("name", "Contoh\x07"), "region.name"),
    "bidi override": (_set_region("address", "Jl. \u202eabc"), "region.address"),
    "too long": (_set_region("place", "x" * 201), "region.place"),
    "unknown kind": (_set_region("kind", "Negara"), "Jenis wilayah"),
    "six letterhead lines": (_set_region("letterhead", ["A"] * 6), "letterhead"),
    "letterhead not a list": (_set_region("letterhead", "A"), "letterhead"),
    "logo not base64": (_set_region("logo", "@@@@"), "base64"),
    "logo not an image": (_logo(b"MZ\x90\x00" * 40), "PNG atau JPEG"),
    "logo PNG magic only": (_logo(b"\x89PNG\r\n\x1a\n" + b"\x01" * 64), "PNG atau JPEG"),
    "logo bad CRC": (_logo(png()[:-1] + b"\x00"), "PNG atau JPEG"),
    "logo oversized": (_logo(png(pad=LOGO_MAX_BYTES)), "base64 gambar"),
    "extra region key": (_set_region("motto", "x"), "motto"),
    "variant on two OPDs": (_variant_on_two, "dua OPD"),
    "OPD code twice": (_same_code_twice, "dua kali"),
    "no region": (lambda d: d.pop("region"), "region"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_invalid_region_or_catalogue_is_refused_with_nothing_written(
    pair: Pair, tmp_path: Path, case: str
) -> None:
    apply_matrix(
        pair.focal,
        export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "a", now=T1).path,
        accept_key=True,
    )
    edit, reason = BAD[case]
    path = _package(pair, tmp_path / "bad.monevmatriks", edit)
    snapshot = dump_bytes(pair.focal)
    with pytest.raises(MatrixError, match=reason):
        apply_matrix(pair.focal, path)
    assert dump_bytes(pair.focal) == snapshot


def test_region_edited_after_signing_is_refused(pair: Pair, tmp_path: Path) -> None:
    store_region(pair.pokja, CONTOH)
    good = export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "a", now=T1).path
    edited = tmp_path / "edited.monevmatriks"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(edited, "w") as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == DATA_PART:
                assert b'"Contoh"' in part
                part = part.replace(b'"Contoh"', b'"Curang"', 1)
            zout.writestr(info.filename, part)
    snapshot = dump_bytes(pair.focal)
    with pytest.raises(MatrixError, match="telah diubah atau rusak"):
        apply_matrix(pair.focal, edited, accept_key=True)
    assert dump_bytes(pair.focal) == snapshot


@pytest.mark.parametrize("version", [0, 3, "2", True])
def test_other_format_versions_are_refused_in_indonesian(
    pair: Pair, tmp_path: Path, version: Any
) -> None:
    good = export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "a", now=T1).path
    # Re-signing the manifest is what an app of another version would do.
    from app.formats import canonical_json, container

    with zipfile.ZipFile(good) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    manifest = canonical_json.parse_canonical(parts["manifest.json"])
    manifest["format_version"] = version
    parts["manifest.json"] = canonical_json.canonical_bytes(manifest)
    parts["tanda-tangan.sig"] = container.signature_part(pair.key, parts["manifest.json"])
    out = tmp_path / "other.monevmatriks"
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(MatrixError, match=r"Versi format paket matriks .* tidak dikenal"):
        read_matrix(out)


def test_export_refuses_a_stored_logo_that_is_not_a_whole_image(pair: Pair, tmp_path: Path) -> None:
    store_region(pair.pokja, Region("Contoh", "Kota", logo=b"\x89PNG\r\n\x1a\n" + b"\x01" * 64))
    with pytest.raises(MatrixError, match="Profil wilayah"):
        export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "a", now=T1)
    assert not (tmp_path / "a").exists()


def test_region_json_of_a_package_is_the_services_form(pair: Pair) -> None:
    store_region(pair.pokja, CONTOH)
    assert pokja_data(pair.pokja)["region"] == region_to_json(CONTOH)


def test_matrix_show_prints_region_and_catalogue_changes(
    pair: Pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.__main__ import main

    code = first_opd(pair.pokja)
    store_region(pair.pokja, CONTOH)
    rename(pair.pokja, code, "Dinas Baru\nPALSU", "Dinas Baru", "DBS")
    out = export_matrix(pair.pokja, PLAN, pair.key, tmp_path / "m", now=T1).path
    assert main(["matrix", "show", str(out), "--db", str(pair.focal.path)]) == 0
    text = capsys.readouterr().out
    assert "WILAYAH\tNama wilayah: Lumajang → Contoh" in text
    assert f"OPD\tNama {code}: " in text
    assert "\nPALSU" not in text  # a newline from the package cannot fake a line
