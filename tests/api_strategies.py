"""Hypothesis strategies for hostile API pages (shared by the pure and the HA fuzz tests).

Missing fields, wrong types, NaN and infinities, huge and negative numbers, duplicated and
overlapping intervals, odd UTC offsets, broken `next` links, bodies that are not JSON.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import json
from typing import Any

from hypothesis import strategies as st

_OFFSETS = ("Z", "+00:00", "+01:00", "+0100", "-05:00", "+05:30", "+05:45", "", "+14:00")
_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@st.composite
def timestamps(draw: st.DrawFn, base: datetime) -> Any:
    """Mostly well-formed instants around `base` (in many offset forms), sometimes junk."""
    if draw(st.integers(0, 9)) == 0:
        return draw(_JUNK)
    moment = base + timedelta(minutes=draw(st.integers(-200, 3200)) * 15)
    offset = draw(st.sampled_from(_OFFSETS))
    if offset in {"", "Z"}:
        local = moment.replace(tzinfo=None) if offset == "" else moment
        return local.strftime("%Y-%m-%dT%H:%M:%S") + offset
    sign = 1 if offset[0] == "+" else -1
    hours, minutes = int(offset[1:3]), int(offset[-2:])
    shifted = moment + sign * timedelta(hours=hours, minutes=minutes)
    return shifted.strftime("%Y-%m-%dT%H:%M:%S") + offset


NUMBERS = st.one_of(
    st.floats(min_value=0, max_value=5, allow_nan=False),
    st.integers(0, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 1e300, 10**20, -0.001, -3, 0.0]),
    _JUNK,
)


def _broken(draw: st.DrawFn, row: dict[str, Any]) -> Any:
    """The row with up to two fields dropped, or (one time in twenty) junk instead."""
    if draw(st.integers(0, 19)) == 0:
        return draw(_JUNK)
    for field in draw(st.sets(st.sampled_from(sorted(row)), max_size=2)):
        del row[field]
    return row


@st.composite
def consumption_rows(draw: st.DrawFn, base: datetime) -> Any:
    """A consumption row as the API sends it, broken at random."""
    return _broken(
        draw,
        {
            "consumption": draw(NUMBERS),
            "interval_start": draw(timestamps(base)),
            "interval_end": draw(timestamps(base)),
        },
    )


@st.composite
def rate_rows(draw: st.DrawFn, base: datetime) -> Any:
    """A unit-rate or standing-charge row, likewise broken at random."""
    return _broken(
        draw,
        {
            "value_exc_vat": draw(NUMBERS),
            "value_inc_vat": draw(NUMBERS),
            "valid_from": draw(st.one_of(st.none(), timestamps(base))),
            "valid_to": draw(st.one_of(st.none(), timestamps(base))),
            "payment_method": draw(st.sampled_from([None, "DIRECT_DEBIT", 3, "NON_DIRECT_DEBIT"])),
        },
    )


@st.composite
def bodies(draw: st.DrawFn, rows: st.SearchStrategy[Any]) -> bytes:
    """A page body: a listing (rows duplicated at times), or something that is not one."""
    kind = draw(st.integers(0, 19))
    if kind == 0:
        return draw(st.binary(max_size=40))
    if kind == 1:
        return json.dumps(draw(_JUNK)).encode()
    results = draw(st.lists(rows, max_size=30))
    if results and draw(st.booleans()):
        results += draw(st.lists(st.sampled_from(results), max_size=5))  # duplicates
    payload: dict[str, Any] = {
        "count": draw(st.one_of(st.just(len(results)), _JUNK)),
        "next": draw(
            st.one_of(
                st.none(),
                st.just("http://fake.invalid/next/?page=2"),
                st.text(max_size=15),
                _JUNK,
            )
        ),
        "previous": None,
        "results": draw(st.one_of(st.just(results), _JUNK)) if kind == 2 else results,
    }
    return json.dumps(payload, allow_nan=True).encode()
