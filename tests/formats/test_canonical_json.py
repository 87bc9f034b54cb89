"""Canonical JSON: one value, one byte string, whatever order its keys came in."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.formats.canonical_json import SubmissionError, canonical_bytes, parse_canonical

# JSON values as content carries them: no floats (numbers travel as strings). Text
# includes any unicode (surrogates excepted: they cannot be UTF-8) and control characters.
scalars = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.text(max_size=20)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)
objects = st.dictionaries(st.text(max_size=10), values, max_size=6)


@settings(max_examples=60, deadline=None)
@given(objects)
def test_round_trip_is_exact(value: dict[str, Any]) -> None:
    data = canonical_bytes(value)
    back = parse_canonical(data)
    assert back == value
    assert canonical_bytes(back) == data


@settings(max_examples=60, deadline=None)
@given(objects, st.randoms(use_true_random=False))
def test_key_order_does_not_change_the_bytes(value: dict[str, Any], rnd: Any) -> None:
    def shuffled(v: Any) -> Any:
        if isinstance(v, dict):
            items = list(v.items())
            rnd.shuffle(items)
            return {k: shuffled(x) for k, x in items}
        if isinstance(v, list):
            return [shuffled(x) for x in v]
        return v

    assert canonical_bytes(shuffled(value)) == canonical_bytes(value)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"a":1.5}', "angka pecahan"),
        (b'{"a":NaN}', "nilai tidak sah"),
        (b'{"a":1,"a":2}', "kunci ganda"),
        (b'{"b":1, "a":2}', "bentuk kanonik"),
        (b"[1,2]", "bukan objek"),
        (b"\xff", "bukan JSON"),
    ],
)
def test_anything_but_the_canonical_form_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(SubmissionError, match=reason):
        parse_canonical(data)


def test_floats_never_become_bytes() -> None:
    with pytest.raises(TypeError):
        canonical_bytes({"a": [1, {"b": 0.5}]})
