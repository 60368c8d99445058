"""Tariffs built from published Octopus rows: payment methods, clipping, Economy 7, switches."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from custom_components.octopus_viz.api.models import Agreement, Direction
from custom_components.octopus_viz.tariffs import (
    Tariff,
    Timeline,
    build_api_tariff,
    rows_to_intervals,
    select_payment_rows,
)
from custom_components.octopus_viz.tariffs.rates import RateInterval, RateSeries

from .helpers import row, utc


def test_direct_debit_preferred_and_null_methods_kept() -> None:
    dd = row("24.50", utc(2024, 1, 1), utc(2024, 4, 1), "DIRECT_DEBIT")
    ndd = row("25.72", utc(2024, 1, 1), utc(2024, 4, 1), "NON_DIRECT_DEBIT")
    ndd_alone = row("26.00", utc(2024, 4, 1), None, "NON_DIRECT_DEBIT")
    agile = row("12.00", utc(2024, 1, 1), utc(2024, 1, 1, 0, 30))
    assert select_payment_rows([ndd, dd, ndd_alone, agile]) == [dd, ndd_alone, agile]
    assert select_payment_rows([ndd]) == [ndd]  # no DD row: nothing to prefer


def test_variable_tariff_priced_from_direct_debit_rows() -> None:
    agreement = Agreement(tariff_code="E-1R-VAR-22-11-01-C", valid_from=utc(2024, 1, 1))
    tariff = build_api_tariff(
        agreement,
        Direction.IMPORT,
        unit_rates=[
            row("25.72", utc(2024, 1, 1), None, "NON_DIRECT_DEBIT"),
            row("24.50", utc(2024, 1, 1), None, "DIRECT_DEBIT"),
        ],
        standing_charges=[
            row("60.10", utc(2024, 1, 1), None, "DIRECT_DEBIT"),
            row("63.00", utc(2024, 1, 1), None, "NON_DIRECT_DEBIT"),
        ],
    )
    timeline = Timeline([tariff])
    assert timeline.rate_at(utc(2024, 5, 5, 12)) == Decimal("0.2450")
    assert timeline.standing_charge_for_day(date(2024, 5, 5)) == Decimal("0.6010")
    assert tariff.code == tariff.name == "E-1R-VAR-22-11-01-C"


def test_exc_vat_option() -> None:
    rows = [row("21.00", utc(2024, 1, 1), None, exc="20.00")]
    lo, hi = int(utc(2024, 1, 1).timestamp()), int(utc(2025, 1, 1).timestamp())
    assert rows_to_intervals(rows, lo, hi, include_vat=False)[0].value == Decimal("0.2000")
    assert rows_to_intervals(rows, lo, hi)[0].value == Decimal("0.2100")


def test_newer_row_supersedes_overlapping_open_row() -> None:
    rows = [
        row("30", utc(2024, 1, 1), None, "DIRECT_DEBIT"),
        row("25", utc(2024, 4, 1), None, "DIRECT_DEBIT"),
        row("20", utc(2024, 4, 1), None, "DIRECT_DEBIT"),  # same start: the later row wins
    ]
    intervals = rows_to_intervals(rows, 0, 2**62)
    assert [(i.start, i.end, i.value) for i in intervals] == [
        (utc(2024, 1, 1), utc(2024, 4, 1), Decimal("0.30")),
        (utc(2024, 4, 1), None, Decimal("0.20")),
    ]


def test_agreement_switch_at_local_midnight_changes_price_exactly() -> None:
    switch = utc(2025, 5, 31, 23)  # 2025-06-01T00:00+01:00
    variable = build_api_tariff(
        Agreement(tariff_code="E-1R-VAR-22-11-01-C", valid_from=utc(2025, 1, 1), valid_to=switch),
        Direction.IMPORT,
        # The variable rows run on past the switch: clipping must stop them there.
        unit_rates=[row("24.50", utc(2024, 10, 1), None, "DIRECT_DEBIT")],
    )
    agile_rows = [
        row(
            str(10 + i),
            switch + timedelta(minutes=30 * i),
            switch + timedelta(minutes=30 * (i + 1)),
        )
        for i in range(48)
    ]
    agile = build_api_tariff(
        Agreement(tariff_code="E-1R-AGILE-24-10-01-C", valid_from=switch),
        Direction.IMPORT,
        # Agile rows published before the agreement started are clipped away too.
        unit_rates=[row("99", switch - timedelta(minutes=30), switch), *agile_rows],
    )
    timeline = Timeline([agile, variable])
    last_variable = switch - timedelta(minutes=30)
    assert timeline.rate_at(last_variable) == Decimal("0.2450")
    assert timeline.rate_at(switch) == Decimal("0.10")
    assert timeline.rate_at(switch + timedelta(minutes=30)) == Decimal("0.11")
    assert timeline.next_change(last_variable) == (switch, Decimal("0.10"))
    assert timeline.tariff_at(last_variable) is variable
    # After the last published Agile row, prices are unknown (not zero).
    assert timeline.rate_at(switch + timedelta(days=1)) is None


def test_economy7_day_and_night_rates() -> None:
    agreement = Agreement(tariff_code="E-2R-VAR-22-11-01-A", valid_from=utc(2024, 1, 1))
    tariff = build_api_tariff(
        agreement,
        Direction.IMPORT,
        day_rates=[row("30.00", utc(2024, 1, 1), None, "DIRECT_DEBIT")],
        night_rates=[row("12.00", utc(2024, 1, 1), None, "DIRECT_DEBIT")],
        standing_charges=[row("55.00", utc(2024, 1, 1), None)],
    )
    assert tariff.is_economy7
    timeline = Timeline([tariff])
    day, night = Decimal("0.30"), Decimal("0.12")
    # Night window 00:30-07:30 UTC in winter and summer alike (meters keep GMT).
    for month in (1, 7):
        assert timeline.rate_at(utc(2024, month, 10, 0, 0)) == day
        assert timeline.rate_at(utc(2024, month, 10, 0, 30)) == night
        assert timeline.rate_at(utc(2024, month, 10, 7, 0)) == night
        assert timeline.rate_at(utc(2024, month, 10, 7, 30)) == day
    assert timeline.next_change(utc(2024, 1, 10, 12)) == (utc(2024, 1, 11, 0, 30), night)
    segments = list(timeline.segments(utc(2024, 1, 10), utc(2024, 1, 11)))
    assert [(s.start.hour, s.start.minute, s.rate) for s in segments] == [
        (0, 0, day),
        (0, 30, night),
        (7, 30, day),
    ]


def test_single_register_rows_may_come_as_day_rates() -> None:
    tariff = build_api_tariff(
        Agreement(tariff_code="E-1R-X-A", valid_from=utc(2024, 1, 1)),
        Direction.EXPORT,
        day_rates=[row("15.00", None, None)],
        name="Outgoing",
    )
    assert tariff.name == "Outgoing"
    assert not tariff.is_economy7
    assert Timeline([tariff]).rate_at(utc(2030, 1, 1)) == Decimal("0.15")


def test_intervals_from_rows_are_columns_read_as_objects() -> None:
    """API tariffs keep their intervals as columns; read as a sequence they are objects."""
    rows = [
        row("10", utc(2025, 1, 1), utc(2025, 1, 1, 0, 30)),
        row("12", utc(2025, 1, 1, 0, 30), None),
    ]
    series = rows_to_intervals(rows, 0, 2**62, owner="T")
    expected = (
        RateInterval(start=utc(2025, 1, 1), end=utc(2025, 1, 1, 0, 30), value=Decimal("0.10")),
        RateInterval(start=utc(2025, 1, 1, 0, 30), end=None, value=Decimal("0.12")),
    )
    assert len(series) == 2
    assert series[1] == expected[1]
    assert tuple(series) == expected
    assert series == expected
    assert series == RateSeries.of(expected, "T")
    assert hash(series) == hash(RateSeries.of(expected, "T"))
    assert series != "not intervals"
    assert RateSeries.of(series, "T") is series
    # A tariff built from either form prices the same.
    for intervals in (series, expected):
        tariff = Tariff(name="T", direction=Direction.IMPORT, intervals=intervals)
        assert Timeline([tariff]).rate_at(utc(2025, 1, 2)) == Decimal("0.12")
    with pytest.raises(ValueError, match="T: intervals overlap"):
        RateSeries([0, 10], [20, 30], [Decimal(1), Decimal(2)], "T")
