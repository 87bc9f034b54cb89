"""PPRG documents: the Gender Analysis Pathway (GAP) and the Gender Budget Statement (GBS).

The Perbup names both as the analysis tools each OPD prepares (BAB IV); the national PPRG
guidance lays the GAP out in nine steps grouped under four headings, and builds the GBS
(*Pernyataan Anggaran Gender*) from it: the situation analysis from GAP steps 2–5, the
program objective from step 1, the action plan from step 7, the outcome from step 9.
This module is the value of both documents and their rules, with no storage: services
prefill them from the plan, the models keep them as canonical JSON, the reports print
them, and a signed submission carries them as the same dictionaries.

A document belongs to one kegiatan or sub kegiatan (a plan node, named by its stable
key), one OPD and one year. The links to the matrix rows it was prefilled from stay in
``row_keys`` so the reviewer can open them beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from app.domain.text_policy import FREE_TEXT_MAX, PERSON_NAME_MAX, text_problem

__all__ = [
    "FORMAT_VERSION",
    "GAP_GROUPS",
    "GAP_STEPS",
    "GBS_FIELDS",
    "REVIEW_LABELS",
    "GapDocument",
    "GbsComponent",
    "GbsDocument",
    "Kind",
    "PprgError",
    "Review",
    "ReviewStatus",
    "gap_from_dict",
    "gbs_from_dict",
]

# Bumped when a field is added or its meaning changes; a reader refuses a newer version
# instead of silently dropping what it does not know.
FORMAT_VERSION = 1

MAX_COMPONENTS = 50  # a GBS action plan lists a handful of components; 50 is generous
MAX_ROW_KEYS = 500
MAX_BUDGET = Decimal("999999999999999")  # the figure rule: at most 15 whole digits


class PprgError(ValueError):
    """An invalid GAP, GBS or review; the message is Indonesian and names the field."""


class Kind(StrEnum):
    GAP = "gap"
    GBS = "gbs"


KIND_LABELS = {Kind.GAP: "GAP", Kind.GBS: "GBS"}

# (field name, step number, column heading as the guidance's matrix prints it).
GAP_STEPS: tuple[tuple[str, int, str], ...] = (
    ("policy", 1, "Kebijakan/Program/Kegiatan"),
    ("objective", 1, "Tujuan Kebijakan/Program/Kegiatan"),
    ("insight_data", 2, "Data Pembuka Wawasan"),
    ("gap_access", 3, "Faktor Kesenjangan: Akses"),
    ("gap_participation", 3, "Faktor Kesenjangan: Partisipasi"),
    ("gap_control", 3, "Faktor Kesenjangan: Kontrol"),
    ("gap_benefit", 3, "Faktor Kesenjangan: Manfaat"),
    ("internal_causes", 4, "Sebab Kesenjangan Internal"),
    ("external_causes", 5, "Sebab Kesenjangan Eksternal"),
    ("reformulated_objective", 6, "Reformulasi Tujuan"),
    ("action_plan", 7, "Rencana Aksi"),
    ("baseline", 8, "Basis Data (Baseline)"),
    ("gender_indicators", 9, "Indikator Gender"),
)

# The four headings over the nine columns of the landscape GAP matrix.
GAP_GROUPS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("Kebijakan/Program/Kegiatan", (1,)),
    ("Data Pembuka Wawasan", (2,)),
    ("Isu Gender", (3, 4, 5)),
    ("Kebijakan dan Rencana ke Depan", (6, 7)),
    ("Pengukuran Hasil", (8, 9)),
)

# Steps the app fills from the plan; the rest are the OPD's own analysis.
PREFILLED_STEPS = frozenset({1, 2, 8, 9})

GBS_FIELDS: tuple[tuple[str, str], ...] = (
    ("program", "Program"),
    ("program_objective", "Tujuan Program"),
    ("program_indicators", "Capaian Program (indikator dan target)"),
    ("activity", "Kegiatan / Sub Kegiatan"),
    ("output_indicator", "Indikator Kinerja Keluaran (Output)"),
    ("output_target", "Target Keluaran"),
    ("situation", "Analisis Situasi"),
    ("expected_outcome", "Dampak/Hasil Keluaran yang Diharapkan"),
)


def _text(name: str, label: str, value: Any, limit: int = FREE_TEXT_MAX) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PprgError(f"{label}: harus berupa teks.")
    problem = text_problem(value, limit)
    if problem:
        raise PprgError(f"{label}: {problem}")
    return value


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise PprgError("Tahun: harus bilangan bulat antara 2000 dan 2100.")
    return value


def _key(label: str, value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise PprgError(f"{label}: kunci tidak sah (1–64 karakter).")
    problem = text_problem(value, 64)
    if problem:
        raise PprgError(f"{label}: {problem}")
    return value


def _row_keys(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)) or len(value) > MAX_ROW_KEYS:
        raise PprgError(f"Baris matriks terkait: daftar kunci (paling banyak {MAX_ROW_KEYS}).")
    return tuple(_key("Baris matriks terkait", k) for k in value)


def _check_version(data: Mapping[str, Any]) -> None:
    version = data.get("format", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise PprgError(
            f"Versi format dokumen PPRG {version!r} tidak dikenal aplikasi ini "
            f"(terbaru yang dikenal: {FORMAT_VERSION}); perbarui aplikasi."
        )


def _document_values(data: Any, kind: Kind, cls: type) -> dict[str, Any]:
    """The fields of a GAP/GBS dictionary after the checks both share: its shape, format
    version and kind, and no key the document does not have (a signed file cannot smuggle
    data the app would silently drop)."""
    name = f"Dokumen {kind.value.upper()}"
    if not isinstance(data, Mapping):
        raise PprgError(f"{name}: bentuknya tidak sah.")
    _check_version(data)
    if data.get("kind", kind.value) != kind.value:
        raise PprgError(f"{name}: jenis dokumen bukan {kind.value.upper()}.")
    known = {f.name for f in fields(cls)} | {"format", "kind"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise PprgError(f"{name}: isian tidak dikenal: {', '.join(map(str, unknown))}.")
    return {k: v for k, v in data.items() if k not in ("format", "kind")}


@dataclass(frozen=True)
class GapDocument:
    """The nine steps of one GAP, with the node, OPD and year it answers for."""

    node_key: str
    opd_code: str
    year: int
    policy: str = ""
    objective: str = ""
    insight_data: str = ""
    gap_access: str = ""
    gap_participation: str = ""
    gap_control: str = ""
    gap_benefit: str = ""
    internal_causes: str = ""
    external_causes: str = ""
    reformulated_objective: str = ""
    action_plan: str = ""
    baseline: str = ""
    gender_indicators: str = ""
    row_keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _key("Kegiatan/sub kegiatan", self.node_key)
        _key("Kode OPD", self.opd_code)
        _year(self.year)
        labels = {name: label for name, _, label in GAP_STEPS}
        for name, label in labels.items():
            _text(name, label, getattr(self, name))
        _row_keys(list(self.row_keys))

    def step(self, number: int) -> dict[str, str]:
        """The fields of one step (step 1 and 3 have several), in the guidance's order."""
        return {name: getattr(self, name) for name, n, _ in GAP_STEPS if n == number}

    def missing_steps(self) -> list[int]:
        """Steps with nothing written yet: the editor and the reviewer show them."""
        return [n for n in range(1, 10) if not any(v.strip() for v in self.step(n).values())]

    def with_values(self, **changes: Any) -> GapDocument:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": FORMAT_VERSION, "kind": Kind.GAP.value}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = list(value) if f.name == "row_keys" else value
        return data


def gap_from_dict(data: Mapping[str, Any]) -> GapDocument:
    """Read a GAP from its dictionary (storage or a signed file); unknown keys are refused."""
    values = _document_values(data, Kind.GAP, GapDocument)
    values["row_keys"] = _row_keys(values.get("row_keys"))
    try:
        return GapDocument(**values)
    except TypeError as exc:  # a required field missing
        raise PprgError("Dokumen GAP: isian wajib (kegiatan, OPD, tahun) tidak lengkap.") from exc


def _budget(label: str, value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, (bool, float)):
        raise PprgError(f"{label}: tulis anggaran sebagai bilangan bulat Rupiah.")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise PprgError(f"{label}: bukan angka Rupiah.") from exc
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise PprgError(f"{label}: anggaran dalam Rupiah penuh, tanpa sen.")
    if amount < 0 or amount > MAX_BUDGET:
        raise PprgError(f"{label}: anggaran di luar batas (0 sampai 15 digit).")
    return amount


@dataclass(frozen=True)
class GbsComponent:
    """One component (tahapan) of the GBS action plan with its budget, whole Rupiah."""

    name: str
    budget: Decimal | None = None

    def __post_init__(self) -> None:
        _text("name", "Komponen rencana aksi", self.name)
        if not self.name.strip():
            raise PprgError("Komponen rencana aksi: nama tidak boleh kosong.")
        _budget("Anggaran komponen", self.budget)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "budget": None if self.budget is None else str(self.budget)}


@dataclass(frozen=True)
class GbsDocument:
    """The Gender Budget Statement of one kegiatan/sub kegiatan, built from its GAP."""

    node_key: str
    opd_code: str
    year: int
    program: str = ""
    program_objective: str = ""
    program_indicators: str = ""
    activity: str = ""
    output_indicator: str = ""
    output_target: str = ""
    situation: str = ""
    expected_outcome: str = ""
    components: tuple[GbsComponent, ...] = ()
    row_keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _key("Kegiatan/sub kegiatan", self.node_key)
        _key("Kode OPD", self.opd_code)
        _year(self.year)
        for name, label in GBS_FIELDS:
            _text(name, label, getattr(self, name))
        if len(self.components) > MAX_COMPONENTS:
            raise PprgError(f"Rencana aksi: paling banyak {MAX_COMPONENTS} komponen.")
        _row_keys(list(self.row_keys))

    @property
    def total(self) -> Decimal | None:
        """The allocation of the output: the sum of the components that carry a budget."""
        amounts = [c.budget for c in self.components if c.budget is not None]
        return sum(amounts, Decimal(0)) if amounts else None

    def with_values(self, **changes: Any) -> GbsDocument:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": FORMAT_VERSION, "kind": Kind.GBS.value}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "components":
                data[f.name] = [c.to_dict() for c in value]
            elif f.name == "row_keys":
                data[f.name] = list(value)
            else:
                data[f.name] = value
        return data


def gbs_from_dict(data: Mapping[str, Any]) -> GbsDocument:
    """Read a GBS from its dictionary (storage or a signed file); unknown keys are refused."""
    values = _document_values(data, Kind.GBS, GbsDocument)
    raw = values.get("components") or []
    if not isinstance(raw, (list, tuple)) or len(raw) > MAX_COMPONENTS:
        raise PprgError(f"Rencana aksi: daftar komponen (paling banyak {MAX_COMPONENTS}).")
    components = []
    for item in raw:
        if not isinstance(item, Mapping) or set(item) - {"name", "budget"}:
            raise PprgError("Rencana aksi: komponen harus berisi nama dan anggaran saja.")
        components.append(
            GbsComponent(
                name=_text("name", "Komponen rencana aksi", item.get("name")),
                budget=_budget("Anggaran komponen", item.get("budget")),
            )
        )
    values["components"] = tuple(components)
    values["row_keys"] = _row_keys(values.get("row_keys"))
    try:
        return GbsDocument(**values)
    except TypeError as exc:
        raise PprgError("Dokumen GBS: isian wajib (kegiatan, OPD, tahun) tidak lengkap.") from exc


class ReviewStatus(StrEnum):
    DITERIMA = "diterima"
    PERLU_PERBAIKAN = "perlu_perbaikan"


REVIEW_LABELS = {
    ReviewStatus.DITERIMA: "Diterima",
    ReviewStatus.PERLU_PERBAIKAN: "Perlu perbaikan",
}

REVIEWER_ROLES = {"pokja": "Pokja PUG", "inspektorat": "Inspektorat"}


@dataclass(frozen=True)
class Review:
    """A reviewer's verdict on one received GAP or GBS, tied to the exact content reviewed.

    ``content_hash`` names the version reviewed: a corrected document sent later is a new
    version without a verdict until it is reviewed again.
    """

    kind: Kind
    node_key: str
    opd_code: str
    year: int
    content_hash: str
    status: ReviewStatus
    remarks: str = ""
    reviewer: str = ""
    reviewer_role: str = "pokja"
    reviewed_at: str = ""  # ISO 8601, as the signed review file carries it

    def __post_init__(self) -> None:
        if self.kind not in (Kind.GAP, Kind.GBS):
            raise PprgError("Telaah: jenis dokumen harus GAP atau GBS.")
        _key("Kegiatan/sub kegiatan", self.node_key)
        _key("Kode OPD", self.opd_code)
        _year(self.year)
        if not isinstance(self.content_hash, str) or len(self.content_hash) != 64:
            raise PprgError("Telaah: sidik isi dokumen (SHA-256) tidak sah.")
        if self.status not in (ReviewStatus.DITERIMA, ReviewStatus.PERLU_PERBAIKAN):
            raise PprgError("Telaah: status harus 'diterima' atau 'perlu perbaikan'.")
        _text("remarks", "Catatan telaah", self.remarks)
        if self.status is ReviewStatus.PERLU_PERBAIKAN and not self.remarks.strip():
            raise PprgError("Telaah: status 'perlu perbaikan' memerlukan catatan untuk OPD.")
        _text("reviewer", "Penelaah", self.reviewer, PERSON_NAME_MAX)
        if self.reviewer_role not in REVIEWER_ROLES:
            raise PprgError("Telaah: peran penelaah harus Pokja PUG atau Inspektorat.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "node_key": self.node_key,
            "opd_code": self.opd_code,
            "year": self.year,
            "content_hash": self.content_hash,
            "status": self.status.value,
            "remarks": self.remarks,
            "reviewer": self.reviewer,
            "reviewer_role": self.reviewer_role,
            "reviewed_at": self.reviewed_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Review:
        if not isinstance(data, Mapping):
            raise PprgError("Telaah: bentuknya tidak sah.")
        try:
            return cls(
                kind=Kind(data["kind"]),
                node_key=data["node_key"],
                opd_code=data["opd_code"],
                year=data["year"],
                content_hash=data["content_hash"],
                status=ReviewStatus(data["status"]),
                remarks=data.get("remarks", ""),
                reviewer=data.get("reviewer", ""),
                reviewer_role=data.get("reviewer_role", "pokja"),
                reviewed_at=_text("reviewed_at", "Waktu telaah", data.get("reviewed_at"), 40),
            )
        except (KeyError, ValueError, TypeError) as exc:
            if isinstance(exc, PprgError):
                raise
            raise PprgError(f"Telaah: isian tidak lengkap atau tidak sah ({exc}).") from exc
