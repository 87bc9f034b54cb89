"""Which signing key a received file may bring in: pinned, newly accepted, or reassigned.

Pokja's consent is explicit and per OPD (:class:`KeyConsent`): the window ticks one
(OPD, key) pair at a time, the CLI names them (``--accept-key OPD=FINGERPRINT``,
``--reassign-key``). A key pinned for another OPD is refused unless reassigned, so one
key never signs for two OPDs (``app/services/trust.py``). Messages name the OPD as this
database knows it, never by the name the file gives itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.formats import keys
from app.formats.submission import Signed
from app.models.schema import Opd
from app.services.merge import Refused
from app.services.trust import KeyState, opd_key_state

KeyPair = tuple[str, str]  # (OPD code, key id): a key accepted for one OPD

# What a refusal asks Pokja to do (``Refused.action``), named as the CLI's options are;
# the window words the same step as its own checkbox.
ACCEPT_KEY = "accept-key"
REASSIGN_KEY = "reassign-key"


@dataclass(frozen=True)
class KeyConsent:
    """What Pokja explicitly allowed for signing keys in one import run.

    ``accept``: these (OPD, key) pairs may be pinned as new or changed keys of that OPD.
    ``reassign``: these keys may be taken from the other OPD they are pinned for.
    ``any_new`` accepts whatever new or changed key signed the one file imported (the
    window and tests decide per file); it never takes a key from another OPD.
    """

    accept: frozenset[KeyPair] = frozenset()
    reassign: frozenset[KeyPair] = frozenset()
    any_new: bool = False

    def accepts(self, pair: KeyPair) -> bool:
        return self.any_new or pair in self.accept or pair in self.reassign

    def reassigns(self, pair: KeyPair) -> bool:
        return pair in self.reassign


def ambiguous_keys(pairs: Iterable[KeyPair]) -> set[str]:
    """Key ids named for more than one OPD: a key belongs to one OPD, so accepting it for
    two in one run is refused (which one owns it is for Pokja to find out first)."""
    owners: dict[str, set[str]] = {}
    for opd_code, key_id in pairs:
        owners.setdefault(key_id, set()).add(opd_code)
    return {key_id for key_id, opds in owners.items() if len(opds) > 1}


def opd_label(session: Session, code: str) -> str:
    """``CODE (name in this database)``: never the name a file gives itself."""
    name = session.scalar(select(Opd.name).where(Opd.code == code))
    return f"{code} ({name})" if name else code


def check_key(session: Session, signed: Signed, consent: KeyConsent) -> str | None:
    """None when the file's key is pinned for its OPD; "pin" or "reassign" when Pokja
    allowed it to become so; refuses otherwise."""
    state, pinned = opd_key_state(session, signed.opd_code, signed.public_key)
    pair = (signed.opd_code, signed.key_id)
    if state == KeyState.KNOWN:
        return None
    if state == KeyState.OTHER_OPD and consent.reassigns(pair):
        return "reassign"
    if state != KeyState.OTHER_OPD and consent.accepts(pair):
        return "pin"
    # A refusal from here on: only now is the OPD's name worth a query.
    shown = keys.grouped(signed.key_id)
    who = opd_label(session, signed.opd_code)
    if state == KeyState.OTHER_OPD:
        owner = opd_label(session, pinned.opd_code) if pinned else "?"
        raise Refused(
            f"Kunci penanda tangan berkas ini ({shown}) sudah diterima untuk Perangkat Daerah "
            f"lain, {owner}, padahal berkas mengaku dari {who}. Satu kunci hanya untuk satu "
            "Perangkat Daerah; berkas ditolak. Bila kunci itu memang sudah berpindah, "
            "pindahkan kuncinya secara tegas dengan 'Pindahkan kunci ke Perangkat Daerah ini' "
            "di jendela Terima Berkas.",
            "refused",
            REASSIGN_KEY,
        )
    if pinned is None:
        raise Refused(
            f"Kunci penanda tangan {who} belum dikenal (sidik jari {shown}). Cocokkan sidik "
            "jari ini dengan Perangkat Daerah (misalnya lewat telepon), lalu terima kuncinya "
            "dengan 'Terima kunci ini' di jendela Terima Berkas.",
            "refused",
            ACCEPT_KEY,
        )
    raise Refused(
        f"Berkas ditandatangani dengan kunci lain ({shown}) daripada kunci {who} yang sudah "
        f"diterima ({keys.grouped(pinned.key_id)}). Pastikan Perangkat Daerah memang "
        "mengganti kuncinya, lalu terima kunci baru dengan 'Terima kunci ini' di jendela "
        "Terima Berkas.",
        "refused",
        ACCEPT_KEY,
    )


__all__ = [
    "ACCEPT_KEY",
    "REASSIGN_KEY",
    "KeyConsent",
    "KeyPair",
    "ambiguous_keys",
    "check_key",
    "opd_label",
]
