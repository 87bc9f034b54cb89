"""Screenshots of the "Terima Berkas" dialog for docs/ (offscreen).

    python -m tools.import_screenshots [--out docs/img]

Builds, in a temporary folder, a focal-point database and a Pokja database over the
same synthetic plan, one signing key per OPD, and a realistic batch of signed files:
known keys, a superseding revision, a file already received, a new key, a changed key
and a damaged file. The dialog then checks them (preview with the key question) and
imports them (results), exactly as the app does.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from app.formats import keys
from app.services import importer, trust
from app.services.profile import Profile, save_profile
from app.ui.import_dialog import ImportDialog
from tools.import_scene import PASSPHRASE, YEAR, start


def _row(tree: QTreeWidget, i: int) -> QTreeWidgetItem:
    item = tree.topLevelItem(i)
    assert item is not None
    return item


def main() -> None:
    sc = start(__doc__ or "", "monev-terima-", rows=240, opds=8)
    opds, key = sc.opds, sc.key
    with sc.focal.begin() as s:
        save_profile(s, Profile("focal_point", "Budi Santoso", "198001012005011001", opds[0], YEAR))

    # Earlier rounds: OPD-001 sent revision 1; keys of OPD-002..004 were pinned by phone.
    first = sc.send(opds[0], f"Kiriman-{opds[0]}-{YEAR}-rev1.xlsx")
    importer.import_file(sc.pokja, first, accept_new_key=True, user="Siti Aminah")
    with sc.pokja.begin() as s:
        for code in opds[1:4]:
            trust.pin_opd_key(s, code, key[code].public, "Siti Aminah")

    # The batch that arrives today.
    sc.send(opds[0], f"Kiriman-{opds[0]}-{YEAR}-rev2.xlsx")  # supersedes revision 1
    sc.send(opds[1], f"Kiriman-{opds[1]}-{YEAR}.xlsx")
    sc.send(opds[2], f"Kiriman-{opds[2]}-{YEAR}.xlsx")
    reinstalled = keys.generate_key(PASSPHRASE, sc.tmp / "kunci" / "baru")
    sc.send(opds[3], f"Kiriman-{opds[3]}-{YEAR}.xlsx", reinstalled)  # KUNCI BERGANTI
    sc.send(opds[4], f"Kiriman-{opds[4]}-{YEAR}.xlsx")  # kunci baru
    good = sc.send(opds[5], "tmp.xlsx")
    damaged = sc.inbox / f"Kiriman-{opds[5]}-{YEAR}.xlsx"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])  # cut off in e-mail
    good.unlink()

    dlg = ImportDialog(sc.pokja, "Siti Aminah")
    dlg.resize(1180, 680)
    dlg.show()
    dlg.add_files([sc.inbox, first])  # the old revision 1 again, by mistake
    sc.wait(dlg)
    # The new key of OPD-005 was confirmed by phone; the changed key of OPD-004 not yet.
    dlg.key_rows[(opds[4], key[opds[4]].key_id)].box.setChecked(True)
    dlg.preview.setCurrentItem(_row(dlg.preview, 4))  # the changed key, in full
    sc.app.processEvents()
    dlg.grab().save(str(sc.out / "terima-berkas-pratinjau.png"))

    dlg.start_import()
    sc.wait(dlg)
    dlg.results.setCurrentItem(_row(dlg.results, 4))  # a refusal, its reason in full
    sc.app.processEvents()
    dlg.grab().save(str(sc.out / "terima-berkas-hasil.png"))
    print(dlg.summary_label.text())
    out = sc.out
    print(f"saved {out / 'terima-berkas-pratinjau.png'} and {out / 'terima-berkas-hasil.png'}")
    dlg.close()
    sc.close()


if __name__ == "__main__":
    main()
