"""Turn Octopus REST JSON into the typed models of `api.models`.

Pure Python (no Home Assistant import) so the parsing rules can be tested on their own.
Two kinds of failure are kept apart on purpose:

* a *response* that is not what the API promises (not an object, no `results`, an account
  without a number) raises `MalformedResponseError`: the caller cannot trust anything in it;
* a single *row* that is broken (missing field, non-numeric or negative consumption, a start
  that is not on a half-hour) is skipped, and the skips are reported once per batch, because
  one bad half-hour should not hide a year of good ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from .local_time import LOCAL_TZ_NAME
from .models import (
    Account,
    Agreement,
    GasMeterPoint,
    Meter,
    MeterPoint,
    Product,
    Property,
    Register,
)

LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)


class MalformedResponseError(ValueError):
    """The whole response is unusable (the client turns this into OctopusResponseError)."""


class BadRowError(ValueError):
    """One row is unusable; the message says why (it never contains credentials)."""


@dataclass(slots=True)
class RowReport:
    """Counts the rows skipped in one batch so the caller logs them once, not per row."""

    skipped: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, reason: str) -> None:
        """Record one skipped row."""
        self.skipped += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def summary(self) -> str:
        """'3 rows skipped (2 x missing interval_start, 1 x negative consumption)'."""
        parts = ", ".join(f"{count} x {reason}" for reason, count in sorted(self.reasons.items()))
        return f"{self.skipped} rows skipped ({parts})"


def aware_datetime(value: str) -> datetime:
    """An API timestamp as an aware datetime in the offset it was given (ValueError if it is
    none). Handles `Z`, `+01:00` and the older `+0100`; a naive value is UK local time (the
    API reads offset-less parameters that way, so we read offset-less values the same way).
    """
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=LOCAL_TZ) if parsed.tzinfo is None else parsed


def parse_datetime(value: object, name: str = "timestamp") -> datetime:
    """Parse any timestamp form the API uses (see aware_datetime) into an aware UTC
    datetime, or BadRowError saying why not."""
    if not isinstance(value, str) or not value:
        raise BadRowError(f"missing {name}")
    try:
        return aware_datetime(value).astimezone(UTC)
    except ValueError as err:
        raise BadRowError(f"unparseable {name}") from err


def parse_optional_datetime(value: object, name: str = "timestamp") -> datetime | None:
    """Like parse_datetime, but null (open-ended validity, still at the property) is None."""
    if value is None:
        return None
    return parse_datetime(value, name)


def format_datetime(value: datetime) -> str:
    """Format an aware datetime as the UTC `...Z` form used in query parameters."""
    if value.tzinfo is None:
        raise ValueError("naive datetime passed to the Octopus client")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def results_of(payload: object) -> list[Any]:
    """The `results` list of a paginated response, or MalformedResponseError."""
    if not isinstance(payload, Mapping):
        raise MalformedResponseError("response is not a JSON object")
    results = payload.get("results")
    if not isinstance(results, list):
        raise MalformedResponseError("response has no 'results' list")
    return results


def next_link(payload: object) -> str | None:
    """The `next` URL of a paginated response (None on the last page)."""
    if isinstance(payload, Mapping):
        link = payload.get("next")
        if isinstance(link, str) and link:
            return link
    return None


def required_field(row: Mapping[str, Any], name: str) -> Any:
    """A row's field, BadRowError when the key is missing."""
    if name not in row:
        raise BadRowError(f"missing {name}")
    return row[name]


def check_page(rows: Sequence[object], bad: int, report: RowReport) -> None:
    """A page where *every* row is broken is a broken response, not a few bad half-hours.

    (A schema change or a mangling proxy looks like this; returning nothing from it would
    silently read as "no data".)
    """
    if rows and bad == len(rows):
        raise MalformedResponseError(f"every row is malformed: {report.summary()}")


def decimal_field(value: object, name: str) -> Decimal:
    """A JSON number (or numeric string) as an exact Decimal, BadRowError otherwise."""
    # Go through str so 24.15 stays 24.15 and does not become 24.149999999...
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadRowError(f"non-numeric {name}")
    try:
        result = Decimal(str(value))
    except InvalidOperation as err:
        raise BadRowError(f"non-numeric {name}") from err
    if not result.is_finite():
        raise BadRowError(f"non-numeric {name}")
    return result


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedResponseError(f"{what} is not a JSON object")
    return value


def _list(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedResponseError(f"{what} is not a list")
    return value


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _int_or_none(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _account_datetime(value: object, what: str) -> datetime | None:
    try:
        return parse_optional_datetime(value, what)
    except BadRowError as err:
        raise MalformedResponseError(f"account: {err}") from err


def _parse_meters(point: Mapping[str, Any]) -> tuple[Meter, ...]:
    meters: list[Meter] = []
    for meter_raw in _list(point.get("meters"), "meters"):
        meter = _mapping(meter_raw, "meter")
        serial = meter.get("serial_number")
        if not isinstance(serial, str) or not serial:
            raise MalformedResponseError("meter without serial_number")
        registers = tuple(
            Register(
                identifier=_text(reg.get("identifier")),
                rate=reg.get("rate") if isinstance(reg.get("rate"), str) else None,
                is_settlement_register=reg.get("is_settlement_register") is not False,
            )
            for reg in (_mapping(r, "register") for r in _list(meter.get("registers"), "registers"))
        )
        meters.append(Meter(serial_number=serial, registers=registers))
    return tuple(meters)


def _parse_agreements(point: Mapping[str, Any]) -> tuple[Agreement, ...]:
    agreements: list[Agreement] = []
    for agreement_raw in _list(point.get("agreements"), "agreements"):
        agreement = _mapping(agreement_raw, "agreement")
        tariff = agreement.get("tariff_code")
        valid_from = _account_datetime(agreement.get("valid_from"), "valid_from")
        if not isinstance(tariff, str) or valid_from is None:
            raise MalformedResponseError("agreement without tariff_code or valid_from")
        agreements.append(
            Agreement(
                tariff_code=tariff,
                valid_from=valid_from,
                valid_to=_account_datetime(agreement.get("valid_to"), "valid_to"),
            )
        )
    return tuple(sorted(agreements, key=lambda a: a.valid_from))


def _point_id(point: Mapping[str, Any], key: str, what: str) -> str:
    value = point.get(key)
    if not isinstance(value, str) or not value:
        raise MalformedResponseError(f"{what} meter point without {key}")
    return value


def _parse_meter_point(raw: object) -> MeterPoint:
    point = _mapping(raw, "electricity meter point")
    return MeterPoint(
        mpan=_point_id(point, "mpan", "electricity"),
        is_export=point.get("is_export") is True,
        meters=_parse_meters(point),
        agreements=_parse_agreements(point),
        profile_class=_int_or_none(point.get("profile_class")),
        consumption_standard=_int_or_none(point.get("consumption_standard")),
    )


def _parse_gas_meter_point(raw: object) -> GasMeterPoint:
    point = _mapping(raw, "gas meter point")
    return GasMeterPoint(
        mprn=_point_id(point, "mprn", "gas"),
        meters=_parse_meters(point),
        agreements=_parse_agreements(point),
        consumption_standard=_int_or_none(point.get("consumption_standard")),
    )


def parse_account(payload: object) -> Account:
    """The account endpoint's JSON -> Account (electricity and gas meter points)."""
    account = _mapping(payload, "account")
    number = account.get("number")
    if not isinstance(number, str) or not number:
        raise MalformedResponseError("account has no number")
    if not isinstance(account.get("properties"), list):
        raise MalformedResponseError("account has no 'properties' list")
    properties: list[Property] = []
    for prop_raw in account["properties"]:
        prop = _mapping(prop_raw, "property")
        prop_id = _int_or_none(prop.get("id"))
        if prop_id is None:
            raise MalformedResponseError("property without id")
        properties.append(
            Property(
                id=prop_id,
                moved_in_at=_account_datetime(prop.get("moved_in_at"), "moved_in_at"),
                moved_out_at=_account_datetime(prop.get("moved_out_at"), "moved_out_at"),
                address_line_1=_text(prop.get("address_line_1")),
                town=_text(prop.get("town")),
                postcode=_text(prop.get("postcode")),
                electricity_meter_points=tuple(
                    _parse_meter_point(point)
                    for point in _list(
                        prop.get("electricity_meter_points"), "electricity_meter_points"
                    )
                ),
                gas_meter_points=tuple(
                    _parse_gas_meter_point(point)
                    for point in _list(prop.get("gas_meter_points"), "gas_meter_points")
                ),
            )
        )
    return Account(number=number, properties=tuple(properties))


def parse_product(payload: object) -> Product:
    """The product endpoint's JSON -> Product (names shown to the user)."""
    product = _mapping(payload, "product")
    code = product.get("code")
    if not isinstance(code, str) or not code:
        raise MalformedResponseError("product has no code")
    display = _text(product.get("display_name")) or code
    return Product(
        code=code,
        display_name=display,
        full_name=_text(product.get("full_name")) or display,
        is_variable=product.get("is_variable") is True,
    )
