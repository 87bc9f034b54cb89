"""Pokja import of signed submissions: 40 OPD files of a 40-OPD plan, then 500 files.

Also reads the same 40 files' visible cells with pandas (if installed), the script an
analyst would write instead, to show the ratio. ``python -m bench.bench_import``
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from app.formats import keys
from app.formats.canonical_json import canonical_bytes
from app.formats.submission import copy_without_parts, sign_package
from app.formats.synthetic import synthetic_plan
from app.models.db import open_database
from app.services import catalog, importer
from app.services.export import export_report
from app.services.sample import fill_sample
from app.services.seeding import load_plan_data
from app.services.submission_content import build_content
from bench.common import machine, workdir

YEAR = 2023
ROWS = 880
OPDS = 40


def main() -> None:
    folder = workdir()
    print(f"Mesin: {machine()}")
    plan = synthetic_plan(ROWS, opds=OPDS)
    codes = [o["code"] for o in plan["opds"]]
    focal = open_database(folder / "focal.sqlite")
    load_plan_data(focal, plan)
    fill_sample(focal, YEAR, full_opds=tuple(codes), others=0.0, arg_nodes=80, proposals=20)
    # One key per OPD: a key belongs to one OPD (issue 11); Pokja accepts each by name.
    signer = {code: keys.generate_key("sandi-bench-1", folder / "kunci" / code) for code in codes}
    files: list[Path] = []
    t0 = time.perf_counter()
    for i, code in enumerate(codes):
        xlsx = folder / f"{code}.xlsx"
        export_report(focal, YEAR, opd=code, xlsx=xlsx)
        with focal.begin() as s:
            content = build_content(
                s,
                catalog.get_plan(s),
                catalog.find_opd(s, code),
                YEAR,
                submission_id=f"00000000-0000-4000-8000-{i:012d}",
                revision=1,
                created_at=datetime(2024, 1, 10),
                preparer=None,
            )
        data = canonical_bytes(content)
        sign_package(xlsx, data, signer[code])
        files.append(xlsx)
    print(f"Membuat {len(files)} berkas kiriman: {time.perf_counter() - t0:.2f} s")

    def run(paths: list[Path], name: str) -> float:
        pokja = open_database(folder / f"pokja-{name}.sqlite")
        load_plan_data(pokja, plan)
        t = time.perf_counter()
        accepted = {(code, k.key_id) for code, k in signer.items()}
        outs = importer.import_files(pokja, paths, accept_keys=accepted)
        dt = time.perf_counter() - t
        pokja.dispose()
        bad = [o for o in outs if o.outcome not in importer.MERGED | {importer.DUPLICATE}]
        assert not bad, bad[0].reason
        return dt

    dt40 = run(files, "40")
    print(f"Impor 40 kiriman (verifikasi + gabung, {ROWS} baris): {dt40:.2f} s (target <= 2 s)")
    # 500 files: each OPD's file plus re-exports as later revisions of the same id.
    many: list[Path] = []
    for rev in range(1, 14):
        for i, code in enumerate(codes):
            if len(many) >= 500:
                break
            if rev == 1:
                many.append(files[i])
                continue
            out = folder / f"{code}-r{rev}.xlsx"
            with focal.begin() as s:
                content = build_content(
                    s,
                    catalog.get_plan(s),
                    catalog.find_opd(s, code),
                    YEAR,
                    submission_id=f"00000000-0000-4000-8000-{i:012d}",
                    revision=rev,
                    created_at=datetime(2024, 1, 10),
                    preparer=None,
                )
            data = canonical_bytes(content)
            copy_without_parts(files[i], out)
            sign_package(out, data, signer[code])
            many.append(out)
    dt500 = run(many, "500")
    print(f"Impor {len(many)} kiriman: {dt500:.2f} s ({1000 * dt500 / len(many):.1f} ms/berkas)")
    try:
        import pandas as pd
    except ImportError:
        print("pandas tidak terpasang: perbandingan dengan pembacaan sel oleh pandas dilewati.")
        return
    t = time.perf_counter()
    cells = 0
    for f in files:
        for frame in pd.read_excel(f, sheet_name=None, header=None).values():
            cells += frame.size
    dtp = time.perf_counter() - t
    print(
        f"pandas.read_excel 40 berkas (sel tampak saja, tanpa verifikasi): {dtp:.2f} s, "
        f"{cells} sel; rasio pandas/impor = {dtp / dt40:.1f}x"
    )


if __name__ == "__main__":
    main()
