"""Synthetic plans in the shipped data format, for tests and benchmarks.

Deterministic for a given seed, so a benchmark on 100,000 rows measures the same data
every run, and a test does not depend on the seed documents being present.
"""

from __future__ import annotations

import random
from typing import Any

_WORDS = [
    "pelatihan",
    "sosialisasi",
    "pendampingan",
    "fasilitasi",
    "bimbingan",
    "teknis",
    "pemberdayaan",
    "perempuan",
    "anak",
    "disabilitas",
    "kesehatan",
    "ibu",
    "balita",
    "gizi",
    "sanitasi",
    "air",
    "bersih",
    "usaha",
    "mikro",
    "koperasi",
    "pertanian",
    "perikanan",
    "pariwisata",
    "pendidikan",
    "kekerasan",
    "perlindungan",
    "kependudukan",
    "desa",
    "ekonomi",
    "kreatif",
    "keluarga",
    "berencana",
    "posyandu",
    "remaja",
    "lansia",
    "kader",
    "data",
    "terpilah",
    "gender",
]
_UNITS = ("orang", "kegiatan", "dokumen", "desa", "kelompok", "%", "IKM", "peserta")


def _phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize()


def synthetic_plan(
    rows: int, opds: int = 30, seed: int = 7, code: str = "SYN-2022-2024"
) -> dict[str, Any]:
    rng = random.Random(seed)
    opd_list = [
        {
            "code": f"OPD-{i:03d}",
            "name": f"Dinas Uji {i:03d} {_phrase(rng, 2)}",
            "short": f"Dinas Uji {i:03d}",
            "variants": [f"DINAS UJI {i:03d}"],
        }
        for i in range(1, opds + 1)
    ]
    out_rows = []
    program = kegiatan = sub = ""
    for seq in range(1, rows + 1):
        opd = opd_list[min(opds - 1, (seq - 1) * opds // rows)]["code"]
        if seq == 1 or rng.random() < 0.05:
            program = "PROGRAM " + _phrase(rng, 4).upper()
        if seq == 1 or rng.random() < 0.15:
            kegiatan = _phrase(rng, 5)
        if seq == 1 or rng.random() < 0.35:
            sub = _phrase(rng, 6)
        targets = {}
        for year in (2022, 2023, 2024):
            if rng.random() < 0.2:
                targets[str(year)] = {
                    "text": "",
                    "is_percent": False,
                    "total": None,
                    "male": None,
                    "female": None,
                    "disabled": None,
                }
                continue
            m, f, d = rng.randint(0, 40), rng.randint(0, 40), rng.randint(0, 3)
            targets[str(year)] = {
                "text": f"{m + f + d} orang terdiri dari {m} laki-laki, {f} perempuan, "
                f"{d} disabilitas",
                "is_percent": False,
                "total": str(m + f + d),
                "male": str(m),
                "female": str(f),
                "disabled": str(d),
            }
        out_rows.append(
            {
                "key": f"syn-{seq:07d}",
                "seq": seq,
                "seed_line": None,
                "no": "",
                "misi": "Misi uji",
                "tujuan": "Tujuan uji",
                "sasaran": "Sasaran uji",
                "program": program,
                "kegiatan": kegiatan,
                "sub_kegiatan": sub,
                "aktivitas": _phrase(rng, 7),
                "indikator": "Jumlah " + _phrase(rng, 5).lower(),
                "satuan": rng.choice(_UNITS),
                "opd": opd,
                "opd_text": opd,
                "keterangan": _phrase(rng, 3) if rng.random() < 0.3 else "",
                "polarity": "lower" if rng.random() < 0.03 else "higher",
                "share": None,
                "targets": targets,
                "corrected": [],
            }
        )
    return {
        "format": "monev-radpug-plan",
        "format_version": 1,
        "plan": {
            "code": code,
            "kind": "radpug",
            "title": "Rencana uji sintetis",
            "start_year": 2022,
            "end_year": 2024,
            "source": "sintetis",
        },
        "opds": opd_list,
        "rows": out_rows,
    }


def synthetic_province(
    regencies: int = 38,
    rows_per_regency: int = 850,
    opds_per_regency: int = 33,
    seed: int = 7,
    code: str = "PROV-2022-2024",
) -> dict[str, Any]:
    """A province as one plan whose OPDs are every regency's OPDs (``R01-OPD-001`` …).

    The app has no level above a plan and its OPDs: a province consolidates its
    regencies' RAD PUG the way a regency consolidates its OPDs, so one plan with
    ``regencies × opds_per_regency`` OPDs is what the province's Pokja database holds,
    and the board lists each regency's OPD under a code prefixed by its regency.
    """
    plan = synthetic_plan(
        regencies * rows_per_regency, opds=regencies * opds_per_regency, seed=seed, code=code
    )
    renamed: dict[str, str] = {}
    for i, opd in enumerate(plan["opds"]):
        regency, local = divmod(i, opds_per_regency)
        new = f"R{regency + 1:02d}-OPD-{local + 1:03d}"
        renamed[opd["code"]] = new
        opd["code"] = new
        opd["short"] = f"Dinas Uji {local + 1:03d} Kab. {regency + 1:02d}"
        opd["name"] = f"{opd['short']} {opd['name'].split(' ', 3)[-1]}"
        opd["variants"] = [opd["short"].upper()]
    for row in plan["rows"]:
        row["opd"] = row["opd_text"] = renamed[row["opd"]]
    plan["plan"]["title"] = "Rencana uji sintetis provinsi"
    return plan
