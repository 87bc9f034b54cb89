"""Key trust: which signing keys this database accepts, for both kinds of signed file.

Pokja pins each OPD's submission key (``pinned_key`` table: trust on first use after
comparing the fingerprint, then only an explicit acceptance replaces it); a focal
point pins Pokja's matrix key (the ``matrix.pokja_key`` setting). Both are classified
in one vocabulary, :class:`KeyState`: the pinned key signed the file (KNOWN), nothing
is pinned yet (NEW), or another key is pinned (CHANGED). What users read for each
state is chosen where it is shown (``intake.KEY_LABELS``, the dialogs, the CLI).

A key belongs to one OPD: a key already pinned (active) for another OPD is OTHER_OPD,
whatever is pinned for the OPD the file names, and is only pinned again by an explicit
reassignment (:func:`reassign_opd_key`), which takes it away from the other OPD and is
written to the audit trail. Otherwise one stolen or shared key could sign for any OPD.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.formats import keys
from app.formats.matrix_package import MatrixError
from app.models.schema import AuditEntry, PinnedKey, Setting

POKJA_KEY_SETTING = "matrix.pokja_key"


class KeyState(StrEnum):
    """A signer's key against the key pinned for it."""

    KNOWN = "known"  # the pinned key signed the file
    NEW = "new"  # no key pinned yet: compare the fingerprint before accepting
    CHANGED = "changed"  # another key is pinned: accept only after asking loudly
    OTHER_OPD = "other-opd"  # the key is pinned (active) for another OPD: reassign or refuse


class KeyConflict(Exception):
    """Pinning a key that is active for another OPD without reassigning it."""

    def __init__(self, owner: PinnedKey) -> None:
        super().__init__(f"Kunci {keys.grouped(owner.key_id)} milik {owner.opd_code}")
        self.owner = owner


def classify(pinned_hex: str | None, public: bytes) -> KeyState:
    """The state of ``public`` against a pinned key given as hex (as both are stored)."""
    if pinned_hex is None:
        return KeyState.NEW
    return KeyState.KNOWN if pinned_hex == public.hex() else KeyState.CHANGED


# ------------------------------------------------------------------ an OPD's submission key
def opd_key(session: Session, opd_code: str) -> PinnedKey | None:
    """The OPD's active pinned key, or None before its first accepted file."""
    return session.scalar(
        select(PinnedKey).where(PinnedKey.opd_code == opd_code, PinnedKey.active.is_(True))
    )


def key_owner(session: Session, public: bytes, opd_code: str) -> PinnedKey | None:
    """The active pin of ``public`` for an OPD other than ``opd_code``, if any."""
    return session.scalar(
        select(PinnedKey)
        .where(
            PinnedKey.public_key == public.hex(),
            PinnedKey.opd_code != opd_code,
            PinnedKey.active.is_(True),
        )
        .order_by(PinnedKey.opd_code)
        .limit(1)
    )


def pin_opd_key(
    session: Session, opd_code: str, public: bytes, user: str = "", *, reassign: bool = False
) -> PinnedKey:
    """Make ``public`` the OPD's accepted key (the previous one stays, inactive).

    Raises :class:`KeyConflict` when the key is active for another OPD, unless
    ``reassign`` (then see :func:`reassign_opd_key`).
    """
    if reassign:
        return reassign_opd_key(session, opd_code, public, user)
    owner = key_owner(session, public, opd_code)
    if owner is not None:
        raise KeyConflict(owner)
    key_id = keys.fingerprint(public)
    session.execute(
        update(PinnedKey)
        .where(PinnedKey.opd_code == opd_code, PinnedKey.key_id != key_id)
        .values(active=False)
    )
    row = session.scalar(
        select(PinnedKey).where(PinnedKey.opd_code == opd_code, PinnedKey.key_id == key_id)
    )
    if row is None:
        row = PinnedKey(
            opd_code=opd_code,
            key_id=key_id,
            public_key=public.hex(),
            pinned_at=datetime.now(),
            pinned_by=user,
        )
        session.add(row)
    row.active = True
    return row


def reassign_opd_key(session: Session, opd_code: str, public: bytes, user: str = "") -> PinnedKey:
    """Take ``public`` away from every other OPD and pin it for ``opd_code``, audited.

    Pokja's explicit act for a key that moved (an installation now serving another OPD);
    the other OPDs' pins stay listed, inactive, so what the key signed stays readable.
    """
    key_id = keys.fingerprint(public)
    others = list(
        session.scalars(
            select(PinnedKey).where(
                PinnedKey.public_key == public.hex(),
                PinnedKey.opd_code != opd_code,
                PinnedKey.active.is_(True),
            )
        )
    )
    for other in others:
        other.active = False
        session.add(
            AuditEntry(
                at=datetime.now(),
                user=user,
                action="pindahkan-kunci",
                row_key=None,
                year=None,
                field=f"kunci {keys.grouped(key_id)}",
                old_value=other.opd_code,
                new_value=opd_code,
            )
        )
    session.flush()
    return pin_opd_key(session, opd_code, public, user)


def opd_key_state(
    session: Session, opd_code: str, public: bytes
) -> tuple[KeyState, PinnedKey | None]:
    """``public`` signing for ``opd_code`` against the pinned keys (and the key that decides).

    OTHER_OPD (with the other OPD's pin) comes first: a key active for another OPD is a
    conflict even if it is also pinned for this one (as an older database may hold).
    Otherwise KNOWN/NEW/CHANGED against the OPD's own active key, returned with it.
    """
    # One query for both questions (every imported file asks them): the active pins of
    # this OPD and those of this key, whichever OPD holds them; as key_owner and opd_key.
    pins = session.scalars(
        select(PinnedKey)
        .where(
            PinnedKey.active.is_(True),
            or_(PinnedKey.opd_code == opd_code, PinnedKey.public_key == public.hex()),
        )
        .order_by(PinnedKey.opd_code, PinnedKey.id)
    ).all()
    for pin in pins:
        if pin.public_key == public.hex() and pin.opd_code != opd_code:
            return KeyState.OTHER_OPD, pin
    pinned = next((pin for pin in pins if pin.opd_code == opd_code), None)
    return classify(None if pinned is None else pinned.public_key, public), pinned


# ------------------------------------------------------------------ Pokja's matrix key
@dataclass(frozen=True)
class PokjaKey:
    public_key: bytes
    key_id: str
    pinned_at: str
    pinned_by: str
    previous: tuple[str, ...] = ()  # key ids accepted before, newest last


def pokja_key(session: Session) -> PokjaKey | None:
    """The Pokja key pinned in this database, or None before setup."""
    row = session.get(Setting, POKJA_KEY_SETTING)
    if row is None:
        return None
    v = json.loads(row.value)
    return PokjaKey(
        bytes.fromhex(v["public_key"]),
        v["key_id"],
        v["pinned_at"],
        v.get("pinned_by", ""),
        tuple(v.get("previous", [])),
    )


def pin_pokja_key(session: Session, public_key: bytes, user: str = "") -> PokjaKey:
    """Trust ``public_key`` as Pokja's from now on; the previous key id stays listed."""
    if len(public_key) != 32:
        raise MatrixError("Kunci publik Pokja harus 32 bita (Ed25519).")
    old = pokja_key(session)
    key_id = keys.fingerprint(public_key)
    previous = list(old.previous) if old else []
    if old is not None and old.key_id != key_id:
        previous.append(old.key_id)
    pinned_at = datetime.now().replace(microsecond=0).isoformat()
    value = {
        "public_key": public_key.hex(),
        "key_id": key_id,
        "pinned_at": pinned_at,
        "pinned_by": user,
        "previous": previous,
    }
    session.merge(Setting(key=POKJA_KEY_SETTING, value=json.dumps(value, sort_keys=True)))
    session.add(
        AuditEntry(
            at=datetime.now(),
            user=user,
            action="sematkan-kunci-pokja",
            row_key=None,
            year=None,
            field="kunci Pokja",
            old_value=old.key_id if old else None,
            new_value=key_id,
        )
    )
    return PokjaKey(public_key, key_id, pinned_at, user, tuple(previous))


def pokja_key_state(session: Session, public_key: bytes) -> tuple[KeyState, PokjaKey | None]:
    """``public_key`` signing a matrix package against the pinned Pokja key (and that key)."""
    pinned = pokja_key(session)
    return classify(None if pinned is None else pinned.public_key.hex(), public_key), pinned


__all__ = [
    "POKJA_KEY_SETTING",
    "KeyConflict",
    "KeyState",
    "PokjaKey",
    "classify",
    "key_owner",
    "opd_key",
    "opd_key_state",
    "pin_opd_key",
    "pin_pokja_key",
    "pokja_key",
    "pokja_key_state",
    "reassign_opd_key",
]
