"""Rupiah as people type it: "Rp1.500.000,-", "Rp 45 jt", "45 juta", "1,5 M".

Budget clerks write amounts the way invoices and DPA sheets print them, with a currency
sign, a ",-" or ",00" tail, or a word for the magnitude. Refusing those made people
retype in a second format; reading them, and showing the figure back in full, lets them
check what was understood. The number itself is read by :func:`parse_number`, so "1.500"
is still fifteen hundred and "1,5" one and a half.
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.domain.numbers import NumberError, check_money, parse_number

# The magnitude words of Indonesian amounts, longest spelling first so "jt" does not
# shadow "juta". "M" is miliar (not mega or juta): the usual sense on a DPA sheet.
SCALES: tuple[tuple[str, int], ...] = (
    ("triliun", 10**12),
    ("miliar", 10**9),
    ("milyar", 10**9),
    ("juta", 10**6),
    ("ribu", 10**3),
    ("jt", 10**6),
    ("rb", 10**3),
    ("t", 10**12),
    ("m", 10**9),
)
_CURRENCY = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
# ",-" / ".-" / ",00" / ",--" closing a whole amount ("Rp 1.500.000,-").
_TAIL = re.compile(r"(,-+|,00-?|\.-+)$")
_SCALE = re.compile(
    r"^(?P<number>.*?\d)\s*(?P<word>" + "|".join(w for w, _ in SCALES) + r")\.?$",
    re.IGNORECASE,
)


def parse_rupiah(text: str | None) -> Decimal | None:
    """Whole Rupiah from ``text``; ``None`` when empty. Raises :class:`NumberError`.

    Accepted beside a plain number: a leading "Rp", "Rp." or "IDR", a closing ",-" or
    ",00", and a magnitude word (ribu/rb, juta/jt, miliar/milyar/M, triliun/T) after the
    number, which may then have a decimal comma ("1,5 M" is 1.500.000.000).
    """
    if text is None:
        return None
    s = " ".join(text.replace("\u00a0", " ").split())
    s = _CURRENCY.sub("", s)
    s = _TAIL.sub("", s).strip()
    if s in ("", "-", "–", "—"):  # an empty cell, as parse_number reads it
        return None
    if s.startswith(("-", "−")):
        raise NumberError(f"Rupiah tidak boleh negatif: “{text.strip()}”.")
    factor = 1
    scaled = _SCALE.match(s)
    if scaled:
        word = scaled["word"].casefold()
        factor = next(f for w, f in SCALES if w == word)
        s = scaled["number"].strip()
    try:
        value = parse_number(s)
    except NumberError:
        raise NumberError(
            f"“{text.strip()}” bukan angka Rupiah. Tulis misalnya 1.500.000, "
            "Rp1.500.000,-, 45 juta atau 1,5 M."
        ) from None
    if value is None:
        return None
    amount = value * factor
    if amount != amount.to_integral_value():
        raise NumberError(
            f"“{text.strip()}” bernilai {amount.normalize():f} Rupiah: isikan Rupiah penuh, "
            "tanpa sen."
        )
    return check_money(amount)
