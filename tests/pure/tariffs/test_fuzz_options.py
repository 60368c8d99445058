"""Fuzzing the options' tariff input: band text and form fields, and the JSON import.

Every input is either saved as a tariff the engine can price (it parses again, bands cover the
day, rates are finite) or refused with a form error that strings.json translates, on a field of
the form. Nothing else may escape.
"""

from __future__ import annotations

from decimal import Decimal
import itertools
import json
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings, strategies as st

from custom_components.octopus_viz.api.models import Direction
from custom_components.octopus_viz.tariffs import tariff_from_dict
from custom_components.octopus_viz.tariffs.options import (
    FollowedMeter,
    OptionsError,
    TariffFields,
    check_tariff_set,
    import_document,
    save_tariff,
)

STRINGS = json.loads(
    (Path(__file__).parents[3] / "custom_components/octopus_viz/strings.json").read_text()
)
FORM_ERRORS = set(STRINGS["options"]["error"])
FIELDS = {"base", "name", "currency", "bands", "valid_from", "valid_until", "standing_charge"}
METERS = [
    FollowedMeter("1900000000001", "S1", Direction.IMPORT),
    FollowedMeter("1900000000002", "S1", Direction.EXPORT),
]

_TIMES = st.one_of(
    st.sampled_from(["00:00", "02:00", "05:00", "16:00", "19:00", "24:00", "12:30", "23:30"]),
    st.sampled_from(
        [
            "02:15",
            "25:00",
            "24:30",
            "-1:00",
            "7",
            "07:00:00",
            "",
            "ab:cd",
            "\u0660\u0662:\u0660\u0660",
        ]
    ),
    st.text(max_size=6),
)
_RATES = st.one_of(
    st.decimals(min_value=-1, max_value=2, places=5, allow_nan=False).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "1e-999", "0", "-0.5", "1,5", "£0.30"]),
    st.text(max_size=8),
)


@st.composite
def band_text(draw: st.DrawFn) -> str:
    """Lines of `HH:MM-HH:MM rate`, mostly near-valid, sometimes anything at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=60))
    lines = [
        f"{draw(_TIMES)}{draw(st.sampled_from(['-', ' - ', '--', '\u2013']))}{draw(_TIMES)} "
        f"{draw(_RATES)}"
        for _ in range(draw(st.integers(0, 6)))
    ]
    return "\n".join(lines)


_DAYS = st.one_of(
    st.none(),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-02-30", "2024-13-01", "yesterday", "", "2024-04-01T00:00:00+01:00"]),
)


@example(
    name="Flux",
    currency="GBP",
    bands="00:00-02:00 0.3\n02:00-05:00 0.18\n05:00-24:00 0.3",
    valid_from="2024-04-01",
    valid_until=None,
    standing=0.5,
)
@settings(max_examples=300, deadline=None)
@given(
    name=st.one_of(st.sampled_from(["Flux", " ", ""]), st.text(max_size=40)),
    currency=st.one_of(st.sampled_from(["GBP", "gbp", "EUR", "", "POUNDS"]), st.text(max_size=4)),
    bands=band_text(),
    valid_from=_DAYS,
    valid_until=_DAYS,
    standing=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
)
def test_tariff_form(
    name: str,
    currency: str,
    bands: str,
    valid_from: str | None,
    valid_until: str | None,
    standing: float | None,
) -> None:
    fields = TariffFields(
        name=name,
        direction=Direction.IMPORT,
        currency=currency,
        bands=bands,
        valid_from=valid_from,
        valid_until=valid_until,
        standing_charge=standing,
    )
    try:
        saved = save_tariff(fields, [])
    except OptionsError as err:
        _assert_form_error(err, FORM_ERRORS, FIELDS)
        return
    _assert_priceable(saved)


def _assert_form_error(err: OptionsError, keys: set[str], fields: set[str]) -> None:
    assert err.key in keys, err.key
    assert err.field in fields, err.field


def _assert_priceable(tariffs: list[dict[str, Any]]) -> None:
    parsed = check_tariff_set(tariffs)
    for raw, tariff in zip(tariffs, parsed, strict=True):
        assert tariff_from_dict(raw) == tariff  # what is stored reads back the same
        minutes = sorted((b.start_minute, b.end_minute) for b in tariff.bands)
        assert minutes[0][0] == 0
        assert minutes[-1][1] == 24 * 60
        assert all(a[1] == b[0] for a, b in itertools.pairwise(minutes))
        assert all(Decimal(b.rate).is_finite() for b in tariff.bands)


_JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=8),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """The prototype's document with parts replaced by anything JSON, or any text at all."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.text(max_size=80))
    rates = [
        {
            "interval_start": draw(_TIMES),
            "interval_end": draw(_TIMES),
            "rate": draw(st.one_of(_RATES, _JSON_VALUES)),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    tariff: dict[str, Any] = {
        "unit": draw(
            st.sampled_from(["electricity_importing_kwh", "electricity_exporting_kwh", "gas"])
        ),
        "currency": draw(st.sampled_from(["GBP", "EUR", "", 3])),
        "valid_from": draw(_DAYS),
        "rates": rates,
    }
    for field in draw(st.sets(st.sampled_from(sorted(tariff)), max_size=2)):
        tariff[field] = draw(_JSON_VALUES)
    document: dict[str, Any] = {
        "api_key": "sk_live_in_the_document",
        "meters": {
            "meters": [
                {
                    "mpan": draw(st.sampled_from(["1900000000001", "1900000000002", "x", 5])),
                    "unit": draw(
                        st.sampled_from(["electricity_importing_kwh", "electricity_exporting_kwh"])
                    ),
                    "serial": "S1",
                }
            ]
        },
        "tariffs": {draw(st.text(max_size=10)): tariff},
    }
    if kind == 1:
        document[draw(st.sampled_from(["meters", "tariffs"]))] = draw(_JSON_VALUES)
    return json.dumps(document, allow_nan=True)


@example(
    text=json.dumps(
        {
            "meters": {"meters": [{"mpan": "1900000000001", "unit": "electricity_importing_kwh"}]},
            "tariffs": {
                "flux": {
                    "unit": "electricity_importing_kwh",
                    "currency": "GBP",
                    "valid_from": "2023-07-01",
                    "rates": [{"interval_start": "00:00", "interval_end": "24:00", "rate": 0.3}],
                }
            },
        }
    )
)
@settings(max_examples=300, deadline=None)
@given(text=documents())
def test_json_import(text: str) -> None:
    try:
        result = import_document(text, METERS)
    except OptionsError as err:
        _assert_form_error(err, {"invalid_document"}, {"document"})
        return
    assert "sk_live_in_the_document" not in json.dumps(result.tariffs)
    assert set(result.mpans) <= {m.mpan for m in METERS}
    _assert_priceable(result.tariffs)
