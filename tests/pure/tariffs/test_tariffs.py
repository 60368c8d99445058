"""Tariff model, tariff codes, timelines, clock changes and next_change."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from custom_components.octopus_viz.api.local_time import LOCAL_TZ
from custom_components.octopus_viz.api.models import Direction
from custom_components.octopus_viz.tariffs import (
    Band,
    RateInterval,
    Tariff,
    TariffCode,
    TariffConfigError,
    Timeline,
    parse_tariff_code,
    tariff_from_dict,
)

from .helpers import BASE, FLUX_IMPORT, LOW, PEAK, flat, utc


def local(*args: int, fold: int = 0) -> datetime:
    """A Europe/London wall-clock time (fold=1 picks the second 01:xx in October)."""
    return datetime(*args, tzinfo=LOCAL_TZ, fold=fold)  # type: ignore[arg-type, misc]


@pytest.fixture
def flux() -> Timeline:
    return Timeline([tariff_from_dict(FLUX_IMPORT, name="flux")])


# -- tariff codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "E-1R-AGILE-24-10-01-C",
            TariffCode(fuel="E", registers=1, product_code="AGILE-24-10-01", region="C"),
        ),
        (
            "E-2R-VAR-22-11-01-A",
            TariffCode(fuel="E", registers=2, product_code="VAR-22-11-01", region="A"),
        ),
        (
            "E-FLAT2R-OUTGOING-FIX-12M-19-05-13-P",
            TariffCode(
                fuel="E",
                registers=2,
                product_code="OUTGOING-FIX-12M-19-05-13",
                region="P",
                flat=True,
            ),
        ),
        (
            "G-1R-VAR-22-11-01-J",
            TariffCode(fuel="G", registers=1, product_code="VAR-22-11-01", region="J"),
        ),
    ],
)
def test_parse_tariff_code(code: str, expected: TariffCode) -> None:
    assert parse_tariff_code(code) == expected


def test_economy7_only_for_2r() -> None:
    assert parse_tariff_code("E-2R-VAR-22-11-01-A").is_economy7
    assert not parse_tariff_code("E-FLAT2R-VAR-22-11-01-A").is_economy7
    assert not parse_tariff_code("E-1R-VAR-22-11-01-A").is_economy7


@pytest.mark.parametrize(
    "code",
    [
        "",
        "AGILE-24-10-01",
        "E-3R-AGILE-C",
        "X-1R-AGILE-24-10-01-C",
        "E-1R-AGILE-24-10-01-Z",
        "E-1R--C",
    ],
)
def test_parse_tariff_code_rejects(code: str) -> None:
    with pytest.raises(ValueError, match="not an Octopus tariff code"):
        parse_tariff_code(code)


# -- the Flux example across the clock changes ---------------------------------------------


@pytest.mark.parametrize(
    ("instant", "rate"),
    [
        (local(2025, 6, 15, 0, 0), BASE),
        (local(2025, 6, 15, 1, 30), BASE),
        (local(2025, 6, 15, 2, 0), LOW),
        (local(2025, 6, 15, 4, 30), LOW),
        (local(2025, 6, 15, 5, 0), BASE),
        (local(2025, 6, 15, 16, 0), PEAK),
        (local(2025, 6, 15, 18, 30), PEAK),
        (local(2025, 6, 15, 19, 0), BASE),
        (local(2025, 1, 15, 16, 0), PEAK),  # GMT
        # Spring forward: 01:00-02:00 local does not exist; the low band is still 02:00-05:00.
        (local(2025, 3, 30, 0, 30), BASE),
        (local(2025, 3, 30, 2, 0), LOW),
        (local(2025, 3, 30, 4, 30), LOW),
        (local(2025, 3, 30, 5, 0), BASE),
        (local(2025, 3, 30, 16, 0), PEAK),
        # Fall back: 01:00 and 01:30 happen twice, both base; 02:00 GMT is low.
        (local(2025, 10, 26, 1, 0), BASE),
        (local(2025, 10, 26, 1, 30), BASE),
        (local(2025, 10, 26, 1, 0, fold=1), BASE),
        (local(2025, 10, 26, 1, 30, fold=1), BASE),
        (local(2025, 10, 26, 2, 0), LOW),
        (local(2025, 10, 26, 4, 30), LOW),
        (local(2025, 10, 26, 16, 0), PEAK),
    ],
)
def test_flux_rates_follow_the_clocks(flux: Timeline, instant: datetime, rate: Decimal) -> None:
    assert flux.rate_at(instant) == rate


def test_flux_clock_change_utc_instants(flux: Timeline) -> None:
    # 2025-10-26: 00:00Z is the first 01:00 (BST), 01:00Z the second (GMT), 02:00Z = 02:00 GMT.
    assert [flux.rate_at(utc(2025, 10, 26, h, m)) for h, m in [(0, 0), (1, 30), (2, 0)]] == [
        BASE,
        BASE,
        LOW,
    ]
    # 2025-03-30: 01:00Z is 02:00 BST (low), 04:00Z is 05:00 BST (base).
    assert flux.rate_at(utc(2025, 3, 30, 0, 30)) == BASE
    assert flux.rate_at(utc(2025, 3, 30, 1, 0)) == LOW
    assert flux.rate_at(utc(2025, 3, 30, 3, 30)) == LOW
    assert flux.rate_at(utc(2025, 3, 30, 4, 0)) == BASE


@pytest.mark.parametrize(("month", "day", "half_hours"), [(10, 26, 50), (3, 30, 46), (6, 15, 48)])
def test_segments_on_clock_change_days(
    flux: Timeline, month: int, day: int, half_hours: int
) -> None:
    start, end = local(2025, month, day), local(2025, month, day + 1)
    segments = list(flux.segments(start, end))
    total = sum((s.end - s.start for s in segments), timedelta())
    assert total == timedelta(minutes=30 * half_hours)
    low_time = sum((s.end - s.start for s in segments if s.rate == LOW), timedelta())
    assert low_time == timedelta(hours=3)  # 02:00-05:00 local, whatever the clocks do
    peak_time = sum((s.end - s.start for s in segments if s.rate == PEAK), timedelta())
    assert peak_time == timedelta(hours=3)
    assert segments[0].start == start
    assert segments[-1].end == end


def test_segments_merge_midnight_base(flux: Timeline) -> None:
    segments = list(flux.segments(local(2025, 6, 15, 12), local(2025, 6, 16, 12)))
    # 12:00-16 base, 16-19 peak, 19:00 to 02:00 next day base (merged across midnight), ...
    assert [(s.start.astimezone(LOCAL_TZ).hour, s.rate) for s in segments] == [
        (12, BASE),
        (16, PEAK),
        (19, BASE),
        (2, LOW),
        (5, BASE),
    ]


# -- next_change ----------------------------------------------------------------------------


def test_next_change_across_band_edges(flux: Timeline) -> None:
    assert flux.next_change(local(2025, 6, 15, 12, 10)) == (local(2025, 6, 15, 16), PEAK)
    assert flux.next_change(local(2025, 6, 15, 16)) == (local(2025, 6, 15, 19), BASE)
    # From the evening base, the next change is the low band after midnight.
    assert flux.next_change(local(2025, 6, 15, 20)) == (local(2025, 6, 16, 2), LOW)


def test_next_change_across_dst(flux: Timeline) -> None:
    change = flux.next_change(local(2025, 10, 25, 20))
    assert change == (local(2025, 10, 26, 2), LOW)
    assert change is not None
    assert change[0] == utc(2025, 10, 26, 2)
    change = flux.next_change(local(2025, 3, 29, 20))
    assert change is not None
    assert change[0] == utc(2025, 3, 30, 1)


def test_next_change_to_unpriced_and_flat() -> None:
    ends = utc(2025, 1, 1)
    timeline = Timeline([flat("a", "0.2", end=ends)])
    assert timeline.next_change(utc(2024, 6, 1)) == (ends, None)
    assert timeline.next_change(utc(2025, 6, 1)) is None  # unpriced forever
    assert Timeline([flat("b", "0.2")]).next_change(utc(2024, 6, 1)) is None


def test_next_change_bounded_for_equal_economy7_rates() -> None:
    same = (RateInterval(start=utc(2024, 1, 1), end=None, value=Decimal("0.2")),)
    tariff = Tariff(name="e7", direction=Direction.IMPORT, intervals=same, night_intervals=same)
    assert Timeline([tariff]).next_change(utc(2024, 6, 1)) is None


# -- timelines --------------------------------------------------------------------------------


def test_timeline_overlap_names_both_tariffs() -> None:
    with pytest.raises(TariffConfigError) as caught:
        Timeline(
            [
                flat("old", "0.2", end=utc(2024, 6, 1)),
                flat("new", "0.3", start=utc(2024, 5, 1)),
            ]
        )
    assert caught.value.translation_key == "tariffs_overlap"
    assert caught.value.issues[0].other_tariff == "old"
    assert "old" in str(caught.value)
    assert "new" in str(caught.value)


def test_timeline_rejects_mixed_directions() -> None:
    with pytest.raises(TariffConfigError, match="export") as caught:
        Timeline([flat("i", "0.2"), flat("e", "0.1", direction=Direction.EXPORT)], Direction.IMPORT)
    assert caught.value.translation_key == "direction_mismatch"


def test_timeline_boundary_belongs_to_later_tariff_and_gaps_are_unpriced() -> None:
    switch = utc(2024, 6, 1)
    timeline = Timeline(
        [flat("b", "0.3", start=switch, end=utc(2024, 7, 1)), flat("a", "0.2", end=switch)]
    )
    assert [t.name for t in timeline.tariffs] == ["a", "b"]
    assert timeline.rate_at(switch - timedelta(seconds=1)) == Decimal("0.2")
    assert timeline.rate_at(switch) == Decimal("0.3")
    assert timeline.tariff_at(switch) is timeline.tariffs[1]
    assert timeline.rate_at(utc(2024, 7, 1)) is None
    assert timeline.tariff_at(utc(2024, 7, 1)) is None
    assert timeline.unpriced_ranges(utc(2024, 6, 30), utc(2024, 7, 2)) == [
        (utc(2024, 7, 1), utc(2024, 7, 2))
    ]
    assert Timeline([]).rate_at(switch) is None
    assert Timeline([]).direction is None


def test_interval_tariff_gap_is_unpriced() -> None:
    tariff = Tariff(
        name="agile",
        direction=Direction.IMPORT,
        intervals=(
            RateInterval(
                start=utc(2024, 1, 1, 0), end=utc(2024, 1, 1, 0, 30), value=Decimal("-0.02")
            ),
            RateInterval(
                start=utc(2024, 1, 1, 1), end=utc(2024, 1, 1, 1, 30), value=Decimal("0.1")
            ),
        ),
    )
    timeline = Timeline([tariff])
    assert timeline.rate_at(utc(2024, 1, 1, 0, 10)) == Decimal("-0.02")  # negative is legal
    assert timeline.rate_at(utc(2024, 1, 1, 0, 30)) is None
    assert timeline.unpriced_ranges(utc(2023, 12, 31, 23), utc(2024, 1, 1, 2)) == [
        (utc(2023, 12, 31, 23), utc(2024, 1, 1)),
        (utc(2024, 1, 1, 0, 30), utc(2024, 1, 1, 1)),
        (utc(2024, 1, 1, 1, 30), utc(2024, 1, 1, 2)),
    ]
    assert timeline.next_change(utc(2024, 1, 1, 0)) == (utc(2024, 1, 1, 0, 30), None)


def test_standing_charge_is_the_one_at_local_midnight() -> None:
    bst_midnight = utc(2024, 6, 1, 23)  # 2024-06-02 00:00 BST
    tariff = Tariff(
        name="var",
        direction=Direction.IMPORT,
        intervals=(RateInterval(start=utc(2024, 1, 1), end=None, value=Decimal("0.25")),),
        standing_charge_intervals=(
            RateInterval(start=utc(2024, 1, 1), end=bst_midnight, value=Decimal("0.45")),
            RateInterval(start=bst_midnight, end=None, value=Decimal("0.50")),
        ),
    )
    timeline = Timeline([tariff])
    assert timeline.standing_charge_for_day(date(2024, 6, 1)) == Decimal("0.45")
    assert timeline.standing_charge_for_day(date(2024, 6, 2)) == Decimal("0.50")
    assert timeline.standing_charge_for_day(date(2023, 6, 2)) is None
    banded = Timeline(
        [
            Tariff(
                name="f",
                direction=Direction.IMPORT,
                bands=flat("x", "1").bands,
                standing_charge=Decimal("0.6"),
            )
        ]
    )
    assert banded.standing_charge_for_day(date(2030, 1, 1)) == Decimal("0.6")


def test_tariff_invariants() -> None:
    band = Band(start_minute=0, end_minute=1440, rate=Decimal(1))
    interval = RateInterval(start=utc(2024, 1, 1), end=None, value=Decimal(1))
    with pytest.raises(ValueError, match="exclusive"):
        Tariff(name="x", direction=Direction.IMPORT, bands=(band,), intervals=(interval,))
    with pytest.raises(ValueError, match="two kinds"):
        Tariff(
            name="x",
            direction=Direction.IMPORT,
            standing_charge=Decimal(1),
            standing_charge_intervals=(interval,),
        )
    with pytest.raises(ValueError, match="night window"):
        Tariff(name="x", direction=Direction.IMPORT, night_window=(450, 30))
    with pytest.raises(ValueError, match="overlap"):
        Tariff(name="x", direction=Direction.IMPORT, intervals=(interval, interval))
    with pytest.raises(ValueError, match="naive"):
        Tariff(name="x", direction=Direction.IMPORT, valid_from=datetime(2024, 1, 1))
    with pytest.raises(TariffConfigError) as caught:
        Tariff(
            name="x",
            direction=Direction.IMPORT,
            valid_from=utc(2024, 2, 1),
            valid_to=utc(2024, 1, 1),
        )
    assert caught.value.translation_key == "invalid_validity"
    with pytest.raises(ValueError, match="at least one"):
        TariffConfigError([])


def test_band_issue_edge_cases() -> None:
    from custom_components.octopus_viz.tariffs.model import band_issues
    from custom_components.octopus_viz.tariffs.rates import RateSeries

    outside = [Band(start_minute=0, end_minute=1500, rate=Decimal(1))]
    assert [i.key for i in band_issues(outside, "t")] == ["invalid_band_time"]
    assert [i.key for i in band_issues([], "t")] == ["no_bands"]
    with pytest.raises(TariffConfigError) as caught:
        Tariff(name="t", direction=Direction.IMPORT, bands=tuple(outside))
    assert caught.value.band == "00:00-25:00"
    backwards = RateInterval(start=utc(2024, 2, 1), end=utc(2024, 1, 1), value=Decimal(1))
    with pytest.raises(ValueError, match="ends before it starts"):
        RateSeries.of((backwards,), "t")
