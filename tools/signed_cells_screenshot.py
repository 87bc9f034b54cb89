"""Screenshot of the Terima Berkas preview with a file whose visible cells were changed.

    python -m tools.signed_cells_screenshot [--out docs/img]

Exports genuine signed files of two OPDs, then a copy of one in which the "Matriks"
sheet was edited after signing (a realisation raised to 9,999,999, the unit and the
spending changed; the zip re-written with valid CRCs, as a careful forger would). The
dialog checks the batch: the forged file is refused, naming each changed cell.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from app.services import trust
from app.services.submission_export import export_submission
from app.ui.import_dialog import ImportDialog
from tools.import_scene import YEAR, start

SHEET = "xl/worksheets/sheet1.xml"


def _forge(src: Path, out: Path) -> None:
    """``src`` with three Matriks cells changed, re-zipped soundly."""
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts[SHEET].decode()
    edits = {
        "G11": '<c r="G11" s="11" t="n"><v>9999999</v></c>',
        "D11": '<c r="D11" s="10" t="inlineStr"><is><t>ton</t></is></c>',
        "M11": '<c r="M11" s="11" t="n"><v>750000000</v></c>',
    }
    for ref, cell in edits.items():
        xml = re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, xml, count=1, flags=re.DOTALL)
    parts[SHEET] = xml.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def main() -> None:
    sc = start(__doc__ or "", "monev-sel-", rows=120, opds=4)
    opds, key = sc.opds, sc.key
    with sc.pokja.begin() as s:
        for code in opds[:2]:
            trust.pin_opd_key(s, code, key[code].public, "Siti Aminah")
    for code in opds[:2]:
        sc.send(code, f"Kiriman-{code}-{YEAR}.xlsx")
    genuine = sc.tmp / "asli.xlsx"
    export_submission(sc.focal, YEAR, key[opds[0]], xlsx=genuine, opd=opds[0])
    _forge(genuine, sc.inbox / f"Kiriman-{opds[0]}-{YEAR}-perbaikan.xlsx")

    dlg = ImportDialog(sc.pokja, "Siti Aminah")
    dlg.resize(1180, 560)
    dlg.show()
    dlg.add_files([sc.inbox])
    sc.wait(dlg)
    forged = next(
        dlg.preview.topLevelItem(i)
        for i in range(dlg.preview.topLevelItemCount())
        if "perbaikan" in (dlg.preview.topLevelItem(i) or dlg.preview.invisibleRootItem()).text(0)
    )
    dlg.preview.setCurrentItem(forged)
    sc.app.processEvents()
    target = sc.out / "terima-sel-berbeda.png"
    dlg.grab().save(str(target))
    print(forged.text(6) if forged else "")
    print(f"saved {target}")
    dlg.close()
    sc.close()


if __name__ == "__main__":
    main()
