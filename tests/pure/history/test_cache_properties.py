"""The block cache behaves like a plain dict of half-hours, whatever the writes (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
import tempfile

from hypothesis import given, settings, strategies as st

from custom_components.octopus_viz.history.cache import ReadingCache
from custom_components.octopus_viz.history.cache_blocks import BLOCK_SLOTS, SLOT_SECONDS
from custom_components.octopus_viz.tariffs.money import MoneyColumn

type Model = dict[int, tuple[float, Decimal | None]]

# Slots near the first block boundaries (and a negative block), so runs cross them.
_EDGES = (0, BLOCK_SLOTS, 2 * BLOCK_SLOTS, -BLOCK_SLOTS)
_slots = st.builds(lambda edge, offset: edge + offset, st.sampled_from(_EDGES), st.integers(-6, 6))
_kwh = st.integers(0, 5000).map(lambda milli: milli / 1000)
# Prices at scales from 0 to 15 decimals, negative ones, and some beyond int64.
_values = st.one_of(
    st.none(),
    st.builds(
        lambda units, scale: Decimal(units).scaleb(-scale),
        st.integers(-(10**6), 10**6),
        st.integers(0, 15),
    ),
    st.integers(2**63, 2**70).map(Decimal),
)


@st.composite
def _starts(draw: st.DrawFn) -> list[int]:
    """Sparse slots, repeated ones, or a consecutive run from a random slot."""
    if draw(st.booleans()):
        first = draw(_slots)
        return [(first + i) * SLOT_SECONDS for i in range(draw(st.integers(1, 40)))]
    return [slot * SLOT_SECONDS for slot in draw(st.lists(_slots, min_size=1, max_size=12))]


@st.composite
def _operation(draw: st.DrawFn) -> tuple[str, list[int], list[float], list[Decimal | None]]:
    starts = draw(_starts())
    kwh = [draw(_kwh) for _ in starts]
    values = [draw(_values) for _ in starts]
    return draw(st.sampled_from(["upsert", "set_money"])), starts, kwh, values


def _apply(
    model: Model, operation: str, starts: list[int], kwh: list[float], values: list[Decimal | None]
) -> None:
    for start, energy, value in zip(starts, kwh, values, strict=True):
        if operation == "upsert":
            model[start] = (energy, value)
        elif start in model:  # set_money changes only half-hours holding a reading
            model[start] = (model[start][0], value)


def _expected(model: Model) -> tuple[list[int], list[float], list[Decimal | None]]:
    ordered = sorted(model)
    return ordered, [model[s][0] for s in ordered], [model[s][1] for s in ordered]


def _loaded(cache: ReadingCache) -> tuple[list[int], list[float], list[Decimal | None]]:
    starts, kwh, money = cache.load("A")
    assert len(starts) == len(kwh) == len(money)
    assert all(
        units == 0 for units, priced in zip(money.units, money.priced, strict=True) if not priced
    )
    return list(starts), list(kwh), money.decimals()


@settings(max_examples=80, deadline=None)
@given(st.lists(_operation(), min_size=1, max_size=8), st.booleans())
def test_cache_matches_a_dict_model(
    operations: list[tuple[str, list[int], list[float], list[Decimal | None]]],
    as_decimals: bool,
) -> None:
    """After every upsert/set_money, `load` gives the model's half-hours in order, exactly;
    a new ReadingCache on the same file gives the same."""
    model: Model = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.sqlite3"
        cache = ReadingCache(path)
        cache.upsert("B", ([0], [9.0], [Decimal(1)]))  # another meter, never touched
        for operation, starts, kwh, values in operations:
            money = MoneyColumn.from_decimals(values)
            if operation == "upsert":
                cache.upsert(
                    "A", (starts, kwh, values if as_decimals else money), {"n": len(starts)}
                )
            else:
                cache.set_money("A", starts, money)
            _apply(model, operation, starts, kwh, values)
            assert _loaded(cache) == _expected(model)
        cache.close()
        reopened = ReadingCache(path)
        assert _loaded(reopened) == _expected(model)
        assert reopened.load("B")[2].decimals() == [Decimal(1)]
        assert reopened.delete_meters(["B"]) == len(model)
        reopened.close()
