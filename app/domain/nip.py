"""The NIP (Nomor Induk Pegawai) of a civil servant: checking it and printing it.

An NIP is 18 digits: birth date (8), appointment month (6), sex (1) and a number (3).
Pure text rules, shared by the profile, the signature block and the printed reports.
"""

from __future__ import annotations

import re


class NipError(ValueError):
    """An NIP that is not 18 digits; the message is Indonesian and names the problem."""

    field = "nip"


def validate_nip(text: str) -> str:
    """An NIP is 18 digits; spaces and dots typed for readability are dropped."""
    digits = re.sub(r"[\s.]", "", text or "")
    if not digits:
        raise NipError("NIP wajib diisi.")
    if not digits.isdigit():
        raise NipError("NIP hanya berisi angka.")
    if len(digits) != 18:
        raise NipError(f"NIP harus 18 digit (terisi {len(digits)} digit).")
    return digits


def format_nip(nip: str) -> str:
    """``197001011990031005`` → ``19700101 199003 1 005`` (birth date, appointment, sex, no)."""
    digits = re.sub(r"\D", "", nip or "")
    if len(digits) != 18:
        return (nip or "").strip()
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
