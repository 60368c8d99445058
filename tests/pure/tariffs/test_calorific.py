"""Gas m³ to kWh with calorific values over UK local day ranges (exact, range-checked)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, strategies as st
import pytest

from custom_components.octopus_viz.api.local_time import local_date_of, local_midnight_epoch
from custom_components.octopus_viz.tariffs.calorific import (
    DEFAULT_CALORIFIC_VALUE,
    CalorificRange,
    CalorificValues,
    calorific_text,
    calorific_values_for,
    kwh_of,
    parse_calorific_text,
    parse_calorific_value,
)
from custom_components.octopus_viz.tariffs.model import TariffConfigError

cvs = st.decimals(min_value=30, max_value=50, places=2)
volumes = st.decimals(min_value=0, max_value=20, places=3)
odd_volumes = st.decimals(min_value=0, max_value=20, places=7)


def test_one_cubic_metre_at_the_default_value() -> None:
    # 1.02264 x 39.5 / 3.6 = 11.22063333... kWh
    assert kwh_of(Decimal(36), DEFAULT_CALORIFIC_VALUE) == float(Decimal("1.02264") * 395)
    (kwh,) = CalorificValues().to_kwh([0], [1.0])
    assert kwh == pytest.approx(11.220633333, abs=1e-9)


@given(volume=st.one_of(volumes, odd_volumes), cv=cvs)
def test_conversion_is_the_billing_formula_exactly(volume: Decimal, cv: Decimal) -> None:
    day = date(2025, 1, 1)
    values = CalorificValues([CalorificRange(valid_from=day, valid_to=None, value=cv)])
    (kwh,) = values.to_kwh([local_midnight_epoch(day)], [float(volume)])
    exact = Fraction(volume) * Fraction("1.02264") * Fraction(cv) / Fraction("3.6")
    assert kwh == float(exact)  # the exact rational, rounded once
    assert kwh >= 0


@given(
    first=st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 1, 1)),
    days=st.integers(min_value=1, max_value=60),
    gap=st.integers(min_value=0, max_value=10),
    cv_a=cvs,
    cv_b=cvs,
    readings=st.lists(
        st.tuples(st.integers(min_value=0, max_value=200 * 48), volumes), max_size=60
    ),
)
def test_each_half_hour_uses_the_value_of_its_local_day(
    first: date,
    days: int,
    gap: int,
    cv_a: Decimal,
    cv_b: Decimal,
    readings: list[tuple[int, Decimal]],
) -> None:
    second = first + timedelta(days=days + gap)
    values = CalorificValues(
        [
            CalorificRange(valid_from=second, valid_to=None, value=cv_b),
            CalorificRange(valid_from=first, valid_to=first + timedelta(days=days), value=cv_a),
        ]
    )
    base = local_midnight_epoch(first - timedelta(days=20))
    ordered = sorted({base + slot * 1800: v for slot, v in readings}.items())
    starts = [s for s, _ in ordered]
    kwh = values.to_kwh(starts, [float(v) for _, v in ordered])
    for (start, volume), got in zip(ordered, kwh, strict=True):
        cv = values.value_on(local_date_of(start))
        assert got == float(kwh_of(volume, cv))
    # Changing the second range changes nothing before it starts.
    other = CalorificValues(
        [*values.ranges[:1], CalorificRange(valid_from=second, valid_to=None, value=Decimal(30))]
    )
    before = [i for i, s in enumerate(starts) if local_date_of(s) < second]
    again = other.to_kwh(starts, [float(v) for _, v in ordered])
    assert [again[i] for i in before] == [kwh[i] for i in before]


@given(value=st.decimals(allow_nan=False, allow_infinity=False, places=2))
def test_values_outside_30_to_50_are_refused(value: Decimal) -> None:
    if Decimal(30) <= value <= Decimal(50):
        assert parse_calorific_value(str(value)) == value
    else:
        with pytest.raises(TariffConfigError) as caught:
            parse_calorific_value(str(value))
        assert caught.value.translation_key == "calorific_value_out_of_range"


@pytest.mark.parametrize("raw", ["", "abc", "39,5x", None, "nan", "inf"])
def test_non_numbers_are_refused(raw: object) -> None:
    with pytest.raises(TariffConfigError) as caught:
        parse_calorific_value(raw)
    assert caught.value.translation_key == "calorific_value_invalid"


def test_a_decimal_comma_is_read() -> None:
    assert parse_calorific_value(" 39,2 ") == Decimal("39.2")


def test_overlapping_and_empty_ranges_are_refused() -> None:
    day = date(2025, 1, 1)
    with pytest.raises(TariffConfigError) as caught:
        CalorificValues(
            [
                CalorificRange(valid_from=day, valid_to=None, value=Decimal(39)),
                CalorificRange(
                    valid_from=day + timedelta(days=5), valid_to=None, value=Decimal(40)
                ),
            ]
        )
    assert caught.value.translation_key == "calorific_ranges_overlap"
    with pytest.raises(TariffConfigError) as caught:
        CalorificValues([CalorificRange(valid_from=day, valid_to=day, value=Decimal(39))])
    assert caught.value.translation_key == "calorific_range_empty"


@given(cv=cvs, first=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)))
def test_stored_form_round_trips(cv: Decimal, first: date) -> None:
    values = CalorificValues(
        [
            CalorificRange(valid_from=first, valid_to=first + timedelta(days=9), value=cv),
            CalorificRange(valid_from=first + timedelta(days=9), valid_to=None, value=Decimal(40)),
        ]
    )
    again = CalorificValues.from_list(values.as_list())
    assert again == values
    assert hash(again) == hash(values)
    assert calorific_values_for({"calorific_values": {"1": values.as_list()}}, "1") == values
    assert calorific_values_for({}, "1") == CalorificValues()


def test_unreadable_stored_ranges_are_refused() -> None:
    with pytest.raises(TariffConfigError) as caught:
        CalorificValues.from_list([{"valid_from": "soon", "value": "39"}])
    assert caught.value.translation_key == "calorific_range_invalid"
    assert CalorificValues().value_on(date(2025, 1, 1)) == DEFAULT_CALORIFIC_VALUE


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("", []),
        ("39.3", [("2000-01-01", None, "39.3")]),
        (
            "2025-04-01 39.2\n\n2025-01-01 39.6\n",
            [("2025-01-01", "2025-04-01", "39.6"), ("2025-04-01", None, "39.2")],
        ),
        ("2025-01-01 2025-02-01 40", [("2025-01-01", "2025-02-01", "40")]),
    ],
)
def test_form_text(text: str, ranges: list[tuple[str, str | None, str]]) -> None:
    values = parse_calorific_text(text)
    assert [
        (r.valid_from.isoformat(), r.valid_to and r.valid_to.isoformat(), str(r.value))
        for r in values.ranges
    ] == ranges
    assert parse_calorific_text(calorific_text(values)) == values


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("soon 39.5", "calorific_range_invalid"),
        ("2025-01-01 2025-02-01 2025-03-01 39", "calorific_range_invalid"),
        ("2025-01-01 395", "calorific_value_out_of_range"),
        ("2025-01-01 lots", "calorific_value_invalid"),
        ("2025-01-01 2025-03-01 39\n2025-02-01 40", "calorific_ranges_overlap"),
        ("2025-02-01 2025-01-01 39", "calorific_range_empty"),
    ],
)
def test_form_text_errors(text: str, key: str) -> None:
    with pytest.raises(TariffConfigError) as caught:
        parse_calorific_text(text)
    assert caught.value.translation_key == key


@given(
    first=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    lengths=st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=5),
    gaps=st.lists(st.booleans(), min_size=5, max_size=5),
    cv=cvs,
)
def test_form_text_round_trips(
    first: date, lengths: list[int], gaps: list[bool], cv: Decimal
) -> None:
    ranges = []
    start = first
    for length, gap in zip(lengths, gaps, strict=False):
        end = start + timedelta(days=length)
        ranges.append(CalorificRange(valid_from=start, valid_to=end, value=cv))
        start = end + timedelta(days=3 if gap else 0)
    values = CalorificValues(ranges)
    assert parse_calorific_text(calorific_text(values)) == values
