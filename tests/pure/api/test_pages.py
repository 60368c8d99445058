"""Consumption and rate pages decoded straight into compact rows (no Home Assistant)."""

from __future__ import annotations

from datetime import UTC, datetime
import gc
import json
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.octopus_viz.api.pages import (
    BadRow,
    consumption_columns,
    decode_page,
    parse_rate,
    parse_rates,
    parse_reading,
    rate_hook,
    reading_hook,
)
from custom_components.octopus_viz.api.parsing import (
    BadRowError,
    MalformedResponseError,
    RowReport,
)

UTC_MIDNIGHT = datetime(2024, 6, 1, 0, 0, tzinfo=UTC)
MIDNIGHT = int(UTC_MIDNIGHT.timestamp())


def _page(rows: list[Any], next_url: str | None = None) -> bytes:
    return json.dumps({"count": len(rows), "next": next_url, "results": rows}).encode()


def test_parse_reading_valid_and_zero() -> None:
    row = {"consumption": 0, "interval_start": "2024-06-01T01:00:00+01:00", "interval_end": "x"}
    assert parse_reading(row) == (MIDNIGHT, 0.0)
    # Without an offset the API means UK local time (BST in June).
    assert parse_reading({"consumption": 1, "interval_start": "2024-06-01T01:00:00"}) == (
        MIDNIGHT,
        1.0,
    )


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"consumption": 0.1}, "missing interval_start"),
        ({"interval_start": "2024-06-01T00:00:00Z"}, "missing consumption"),
        ({"consumption": "0.1", "interval_start": "2024-06-01T00:00:00Z"}, "non-numeric"),
        ({"consumption": True, "interval_start": "2024-06-01T00:00:00Z"}, "non-numeric"),
        ({"consumption": float("nan"), "interval_start": "2024-06-01T00:00:00Z"}, "non-numeric"),
        ({"consumption": -0.2, "interval_start": "2024-06-01T00:00:00Z"}, "negative"),
        ({"consumption": 0.2, "interval_start": "2024-06-01T00:15:00Z"}, "half-hour"),
        ({"consumption": 0.2, "interval_start": "2024-06-01T00:30:05Z"}, "half-hour"),
        ({"consumption": 0.2, "interval_start": "2024-06-01T00:30:00.500Z"}, "half-hour"),
        ({"consumption": 0.2, "interval_start": 1717200000}, "missing interval_start"),
        ({"consumption": 0.2, "interval_start": "soon"}, "unparseable interval_start"),
        ([1, 2], "not an object"),
    ],
)
def test_parse_reading_rejects(row: object, reason: str) -> None:
    with pytest.raises(BadRowError, match=reason):
        parse_reading(row)


def test_decode_page_parses_rows_while_decoding() -> None:
    body = _page(
        [
            {"consumption": 2.0, "interval_start": "2024-06-01T00:00:00Z"},
            {"consumption": -1, "interval_start": "2024-06-01T00:30:00Z"},
            {"consumption": 3.0},
            "junk",
        ],
        "https://api.octopus.energy/next",
    )
    page = decode_page(body, reading_hook)
    rows = page.results
    assert page.next == "https://api.octopus.energy/next"
    assert page.count == 4
    assert rows[0] == (MIDNIGHT, 2.0)
    assert isinstance(rows[1], BadRow)
    assert rows[1].reason == "negative consumption"
    # Not recognised by the hook: left as decoded, judged when the columns are built.
    assert rows[2] == {"consumption": 3.0}
    assert rows[3] == "junk"
    # The parsed rows are tuples of atoms: the garbage collector stops tracking them.
    gc.collect()
    assert not gc.is_tracked(rows[0])


@pytest.mark.parametrize("body", [b"<html>busy</html>", b'{"detail": "x"}', b"[]"])
def test_decode_page_rejects_what_is_not_a_page(body: bytes) -> None:
    with pytest.raises(MalformedResponseError):
        decode_page(body, reading_hook)


@pytest.mark.parametrize("count", [None, -1, True, "3"])
def test_a_count_that_is_no_count_is_none(count: object) -> None:
    body = json.dumps({"count": count, "next": None, "results": []}).encode()
    assert decode_page(body).count is None


def test_consumption_columns_drop_outside_period_and_count_bad_rows() -> None:
    rows = decode_page(
        _page(
            [
                {"consumption": 1.0, "interval_start": "2024-05-31T23:30:00Z"},  # before
                {"consumption": 2.0, "interval_start": "2024-06-01T00:00:00Z"},
                {"consumption": -1, "interval_start": "2024-06-01T00:30:00Z"},  # bad
                {"consumption": 3.0},  # bad
                {"consumption": 4.0, "interval_start": "2024-06-01T01:00:00Z"},  # == period_to
            ]
        ),
        reading_hook,
    ).results
    report = RowReport()
    got = consumption_columns([rows], MIDNIGHT, MIDNIGHT + 3600, report)
    assert (got.starts, got.kwh) == ([MIDNIGHT], [2.0])
    assert report.skipped == 2
    assert report.summary() == (
        "2 rows skipped (1 x missing interval_start, 1 x negative consumption)"
    )


def test_consumption_columns_reject_an_all_bad_page() -> None:
    rows = decode_page(_page([{"consumption": 1.0}, {"consumption": 2.0}]), reading_hook).results
    with pytest.raises(MalformedResponseError, match="2 x missing interval_start"):
        consumption_columns([rows], MIDNIGHT, None, RowReport())
    assert len(consumption_columns([[]], MIDNIGHT, None, RowReport())) == 0


@given(
    st.lists(st.lists(st.tuples(st.integers(0, 200), st.floats(0, 10)), max_size=30), max_size=3)
)
def test_consumption_columns_sorted_unique_last_wins(pages: list[list[tuple[int, float]]]) -> None:
    """Pages in any order, with repeated half-hours: sorted columns, the last copy wins."""
    decoded = [
        decode_page(
            _page(
                [
                    {
                        "consumption": kwh,
                        "interval_start": datetime.fromtimestamp(
                            MIDNIGHT + slot * 1800, UTC
                        ).isoformat(),
                    }
                    for slot, kwh in page
                ]
            ),
            reading_hook,
        ).results
        for page in pages
    ]
    got = consumption_columns(decoded, MIDNIGHT, None, RowReport())
    last = {MIDNIGHT + slot * 1800: kwh for page in pages for slot, kwh in page}
    assert got.starts == sorted(last)
    assert dict(zip(got.starts, got.kwh, strict=True)) == last


def test_parse_rate_keeps_decimal_precision_and_nulls() -> None:
    row = {
        "value_exc_vat": 23.0,
        "value_inc_vat": 24.15,
        "valid_from": "2024-06-01T00:00:00Z",
        "valid_to": None,
        "payment_method": "DIRECT_DEBIT",
    }
    # Exact decimal text (24.15 stays 24.15), epoch seconds, the payment method.
    assert parse_rate(row) == ("23.0", "24.15", MIDNIGHT, None, "DIRECT_DEBIT")
    negative = parse_rate({**row, "value_inc_vat": -2.1, "valid_from": None, "payment_method": 3})
    assert negative == ("23.0", "-2.1", None, None, None)
    assert parse_rate({**row, "value_exc_vat": 20, "value_inc_vat": "21.000"})[:2] == (
        "20",
        "21.000",
    )
    # A plain tuple of atoms: the garbage collector stops tracking it.
    rows = [parse_rate(row)]
    gc.collect()
    assert not gc.is_tracked(rows[0])


@pytest.mark.parametrize(
    "change",
    [
        {"value_inc_vat": "abc"},
        {"value_inc_vat": None},
        {"value_exc_vat": float("inf")},
        {"value_exc_vat": False},
        {"valid_from": "soon"},
        {"valid_to": 1717200000},
    ],
)
def test_parse_rate_rejects(change: dict[str, Any]) -> None:
    row = {"value_exc_vat": 1, "value_inc_vat": 1.05, "valid_from": "2024-06-01T00:00:00Z"}
    with pytest.raises(BadRowError):
        parse_rate({**row, **change})


def test_parse_rates_skips_bad_rows_but_rejects_an_all_bad_page() -> None:
    good = {"value_exc_vat": 1, "value_inc_vat": 1.05, "valid_from": "2024-06-01T00:00:00Z"}
    report = RowReport()
    rows: list[object] = [{"value_exc_vat": 1, "value_inc_vat": 1.05}, "junk", good]
    assert len(parse_rates(rows, report)) == 1
    assert report.reasons == {"missing valid_from": 1, "row is not an object": 1}
    with pytest.raises(MalformedResponseError, match="every row"):
        parse_rates(rows[:2], RowReport())
    assert parse_rates([], RowReport()) == []


def test_rate_rows_decoded_by_the_hook_count_like_raw_ones() -> None:
    good = {"value_exc_vat": 1, "value_inc_vat": 1.05, "valid_from": "2024-06-01T00:00:00Z"}
    page = decode_page(
        _page([{"value_exc_vat": 1, "value_inc_vat": 1.05}, good, {"other": 1}]), rate_hook
    )
    rows = page.results
    assert page.next is None
    assert isinstance(rows[0], BadRow)
    assert rows[1] == ("1", "1.05", MIDNIGHT, None, None)
    assert rows[2] == {"other": 1}  # not a rate row: left for parse_rates to reject
    report = RowReport()
    kept = parse_rates(rows, report)
    assert [inc for _exc, inc, *_ in kept] == ["1.05"]
    assert report.reasons == {"missing valid_from": 1, "missing value_exc_vat": 1}


@given(
    st.lists(
        st.tuples(
            st.integers(0, 2000),
            st.floats(0, 2000) | st.floats() | st.integers(0, 5),
            st.sampled_from(["Z", "+01:00", "", "+0100", ":15"]),
        ),
        max_size=10,
    )
)
def test_the_reading_hook_parses_as_the_checked_parser(
    rows: list[tuple[int, float | int, str]],
) -> None:
    """The reading hook's fast path agrees with `parse_reading` on every row."""
    for half_hours, kwh, suffix in rows:
        when = datetime.fromtimestamp(MIDNIGHT + half_hours * 1800, UTC).replace(tzinfo=None)
        text = when.isoformat() + (suffix if suffix != ":15" else "")
        if suffix == ":15":
            text = text[:-5] + "15:00"
        row = {"interval_start": text, "consumption": kwh}
        hooked = reading_hook(dict(row))
        try:
            expected: object = parse_reading(row)
        except BadRowError as err:
            expected = BadRow(str(err))
        assert (hooked.reason if isinstance(hooked, BadRow) else hooked) == (
            expected.reason if isinstance(expected, BadRow) else expected
        )
