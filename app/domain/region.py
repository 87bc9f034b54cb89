"""The region a database serves (a Kabupaten, a Kota or a Provinsi), as a plain value.

Every report letterhead, signature place and window title names the region; keeping it
as data (stored per database by ``app.services.region``) lets another regency use the
app by editing a profile instead of the code.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("Kabupaten", "Kota", "Provinsi")
HEADS = {"Kabupaten": "Bupati", "Kota": "Wali Kota", "Provinsi": "Gubernur"}
LOGO_MAX_BYTES = 512 * 1024
MAX_TEXT = 200
MAX_LETTERHEAD_LINES = 5
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


class RegionError(ValueError):
    """Invalid region data; ``field`` names the input, the message is Indonesian."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Region:
    """What the documents say about the region; empty optional fields fall back to
    text derived from ``kind`` and ``name``."""

    name: str
    kind: str = "Kabupaten"
    letterhead: tuple[str, ...] = ()
    address: str = ""
    place: str = ""
    pokja_position: str = ""
    logo: bytes = b""

    @property
    def full_name(self) -> str:
        """``Kabupaten Lumajang``, ``Kota Contoh``."""
        return f"{self.kind} {self.name}"

    @property
    def government(self) -> str:
        """The letterhead's first line when none is given: ``PEMERINTAH KOTA CONTOH``."""
        return f"PEMERINTAH {self.full_name.upper()}"

    @property
    def heading(self) -> tuple[str, ...]:
        """The letterhead's large lines: the given ones, or the government's name."""
        return self.letterhead or (self.government,)

    @property
    def letterhead_lines(self) -> tuple[str, ...]:
        """Every line the letterhead prints above the unit: the heading, then the
        address (smaller) when there is one."""
        return (*self.heading, self.address) if self.address else self.heading

    @property
    def signature_place(self) -> str:
        return self.place or self.name

    @property
    def pokja_name(self) -> str:
        return f"Kelompok Kerja Pengarusutamaan Gender {self.full_name}"

    @property
    def pokja_title(self) -> str:
        """Who signs the consolidated report."""
        return self.pokja_position or f"Ketua Pokja PUG {self.full_name}"

    @property
    def head_title(self) -> str:
        """``Bupati``, ``Wali Kota`` or ``Gubernur``."""
        return HEADS.get(self.kind, "Kepala Daerah")

    @property
    def logo_kind(self) -> str:
        """``png``, ``jpeg`` or ``""`` (no logo)."""
        if self.logo.startswith(_PNG):
            return "png"
        if self.logo.startswith(_JPEG):
            return "jpeg"
        return ""


def check_logo(data: bytes) -> bytes:
    """The logo's bytes when they are a PNG or JPEG image under the size cap."""
    if not data:
        return b""
    if len(data) > LOGO_MAX_BYTES:
        raise RegionError(
            f"Logo terlalu besar ({len(data) // 1024} KiB); batasnya "
            f"{LOGO_MAX_BYTES // 1024} KiB. Perkecil gambarnya lalu coba lagi.",
            "logo",
        )
    if not (data.startswith(_PNG) or data.startswith(_JPEG)):
        raise RegionError("Logo harus berupa gambar PNG atau JPEG.", "logo")
    return data


def _text(value: str, field: str, label: str, required: bool = False) -> str:
    v = " ".join(value.split())
    if required and not v:
        raise RegionError(f"{label} wajib diisi.", field)
    if len(v) > MAX_TEXT:
        raise RegionError(f"{label} terlalu panjang (paling banyak {MAX_TEXT} huruf).", field)
    return v


def check_region(region: Region) -> Region:
    """A normalised copy (spaces collapsed, empty letterhead lines dropped), or a
    ``RegionError`` saying which field is wrong and how to fix it."""
    kind = region.kind.strip().capitalize()
    if kind not in KINDS:
        raise RegionError(
            f"Jenis wilayah '{region.kind}' tidak dikenal; pilih salah satu: {', '.join(KINDS)}.",
            "kind",
        )
    name = _text(region.name, "name", "Nama wilayah", required=True)
    if name.lower().startswith(kind.lower() + " "):
        raise RegionError(
            f"Tulis nama tanpa jenisnya: '{name[len(kind) + 1 :]}', bukan '{name}'.", "name"
        )
    lines = tuple(
        t for t in (_text(x, "letterhead", "Baris kop surat") for x in region.letterhead) if t
    )
    if len(lines) > MAX_LETTERHEAD_LINES:
        raise RegionError(f"Kop surat paling banyak {MAX_LETTERHEAD_LINES} baris.", "letterhead")
    return Region(
        name=name,
        kind=kind,
        letterhead=lines,
        address=_text(region.address, "address", "Alamat"),
        place=_text(region.place, "place", "Tempat penandatanganan"),
        pokja_position=_text(region.pokja_position, "pokja_position", "Jabatan Ketua Pokja"),
        logo=check_logo(region.logo),
    )
