"""Screenshot of the "Terima Berkas" preview with a key that belongs to another OPD.

    python -m tools.import_key_screenshot [--out docs/img]

Builds, in a temporary folder, a focal-point and a Pokja database over the same
synthetic plan with one key per OPD, pins OPD-001's key, then checks a batch in which
OPD-001's key signed a file claiming to be OPD-002 (with a made-up OPD name inside),
next to ordinary files. Saves ``terima-kunci-opd-lain.png`` at a size that fits a
1366x768 screen.
"""

from __future__ import annotations

from app.formats.canonical_json import canonical_bytes
from app.formats.submission import copy_without_parts, read_package, sign_package
from app.services import importer, trust
from app.ui.import_dialog import ImportDialog
from tools.import_scene import YEAR, start


def main() -> None:
    sc = start(__doc__ or "", "monev-kunci-lain-", rows=240, opds=6)
    opds, key = sc.opds, sc.key
    first = sc.send(opds[0], f"Kiriman-{opds[0]}-{YEAR}-rev1.xlsx")
    importer.import_file(sc.pokja, first, accept_new_key=True, user="Siti Aminah")
    with sc.pokja.begin() as s:
        for code in opds[2:4]:
            trust.pin_opd_key(s, code, key[code].public, "Siti Aminah")
    sc.send(opds[2], f"Kiriman-{opds[2]}-{YEAR}.xlsx")
    sc.send(opds[3], f"Kiriman-{opds[3]}-{YEAR}.xlsx")
    # OPD-001's key signs a file that claims OPD-002 and names itself "Dinas Kesehatan".
    claim = sc.send(opds[1], "tmp.xlsx")
    content = read_package(claim).content
    content["opd"]["name"] = "Dinas Kesehatan"
    forged = sc.inbox / f"Kiriman-{opds[1]}-{YEAR}.xlsx"
    copy_without_parts(claim, forged)
    sign_package(forged, canonical_bytes(content), key[opds[0]])
    claim.unlink()

    dlg = ImportDialog(sc.pokja, "Siti Aminah")
    dlg.resize(1180, 680)
    dlg.show()
    dlg.add_files([sc.inbox, first])  # revision 1 again: "Ganti paksa…" is offered for it
    sc.wait(dlg)
    for i in range(dlg.preview.topLevelItemCount()):
        item = dlg.preview.topLevelItem(i)
        if item is not None and item.text(0) == forged.name:
            dlg.preview.setCurrentItem(item)
    sc.app.processEvents()
    dlg.grab().save(str(sc.out / "terima-kunci-opd-lain.png"))
    print(f"saved {sc.out / 'terima-kunci-opd-lain.png'}")
    dlg.close()
    sc.close()


if __name__ == "__main__":
    main()
