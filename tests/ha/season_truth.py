"""The season test's referee: hourly truth computed from the fake API alone, and the checks.

Nothing here imports the integration: expected kWh and money come from what the fake serves at
the end of the season (late days and revisions included) and from the rates it publishes, per
the demo account's agreements. Statistics are read back through the recorder.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance

from fake_octopus import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus
from fake_octopus.demo import EXPORT_AGREEMENTS, IMPORT_AGREEMENTS

LONDON = ZoneInfo("Europe/London")
HOUR = timedelta(hours=1)
ENERGY_TOLERANCE = 1e-6  # kWh per hour: float sums of 3-decimal readings
MONEY_TOLERANCE = 1e-6  # GBP per hour
PENNY = Decimal("0.005")  # a day's money is right to the penny when within half a penny

STATISTICS = {
    DEMO_IMPORT_MPAN: (
        f"octopus_viz:electricity_{DEMO_IMPORT_MPAN}_import",
        f"octopus_viz:electricity_{DEMO_IMPORT_MPAN}_import_cost",
    ),
    DEMO_EXPORT_MPAN: (
        f"octopus_viz:electricity_{DEMO_EXPORT_MPAN}_export",
        f"octopus_viz:electricity_{DEMO_EXPORT_MPAN}_export_revenue",
    ),
}
_AGREEMENTS = {DEMO_IMPORT_MPAN: IMPORT_AGREEMENTS, DEMO_EXPORT_MPAN: EXPORT_AGREEMENTS}


def tariff_code_at(mpan: str, when: datetime) -> str:
    """The demo agreement in force at an instant (switches are at local midnights)."""
    for code, start, end in _AGREEMENTS[mpan]:
        begins = datetime.fromisoformat(start)
        if begins <= when and (end is None or when < datetime.fromisoformat(end)):
            return code
    msg = f"no agreement of {mpan} at {when.isoformat()}"
    raise LookupError(msg)


@dataclass(slots=True)
class Expected:
    """One statistic's expected hourly values (exact decimals) by UTC hour start."""

    hours: dict[datetime, Decimal] = field(default_factory=dict)


def expected_hours(fake: FakeOctopus, mpan: str, since: datetime) -> tuple[Expected, Expected]:
    """(energy, money) per UTC hour from every reading the fake serves now, from `since`."""
    energy, money = Expected(), Expected()
    for start, kwh in fake.served_readings(mpan).items():
        if start < since:
            continue
        hour = start.replace(minute=0)
        exact = Decimal(repr(kwh))
        rate = fake.unit_rate_pence(tariff_code_at(mpan, start), start) / 100
        energy.hours[hour] = energy.hours.get(hour, Decimal(0)) + exact
        money.hours[hour] = money.hours.get(hour, Decimal(0)) + exact * rate
    return energy, money


async def statistic_rows(
    hass: HomeAssistant, ids: set[str], start: datetime, end: datetime
) -> dict[str, list[dict[str, float]]]:
    """Every hourly row of the statistics in [start, end), through the recorder."""
    result = await get_instance(hass).async_add_executor_job(
        statistics_during_period, hass, start, end, ids, "hour", None, {"state", "sum"}
    )
    return {stat_id: list(rows) for stat_id, rows in result.items()}


@dataclass(slots=True)
class Verdict:
    """What the comparison found, by check; all zero is a pass."""

    hours_checked: int = 0
    days_checked: int = 0
    problems: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def fail(self, check: str, detail: str) -> None:
        """Count a mismatch, keeping the first few for the failure message."""
        self.problems[check] += 1
        if len(self.examples) < 12:
            self.examples.append(f"{check}: {detail}")

    @property
    def mismatches(self) -> int:
        """All problems found."""
        return sum(self.problems.values())


def compare(
    stat_id: str,
    rows: list[dict[str, float]],
    expected: Expected,
    verdict: Verdict,
    *,
    money: bool,
) -> None:
    """Every row against the truth: no hour missing, none twice, none extra, states and sum
    steps equal to the truth, and (money) every local day right to the penny."""
    tolerance = MONEY_TOLERANCE if money else ENERGY_TOLERANCE
    starts = [datetime.fromtimestamp(row["start"], UTC) for row in rows]
    for start, times in Counter(starts).items():
        if times > 1:
            verdict.fail("duplicated hour", f"{stat_id} {start.isoformat()} x{times}")
    by_start = dict(zip(starts, rows, strict=True))
    for hour in sorted(set(expected.hours) - set(by_start)):
        verdict.fail("missing hour", f"{stat_id} {hour.isoformat()}")
    for hour in sorted(set(by_start) - set(expected.hours)):
        verdict.fail("hour without data", f"{stat_id} {hour.isoformat()}")
    previous_sum = 0.0
    days: dict[date, tuple[float, Decimal]] = defaultdict(lambda: (0.0, Decimal(0)))
    for start, row in zip(starts, rows, strict=True):
        verdict.hours_checked += 1
        truth = expected.hours.get(start, Decimal(0))
        state, running = float(row["state"]), float(row["sum"])
        if abs(state - float(truth)) > tolerance:
            verdict.fail("wrong state", f"{stat_id} {start.isoformat()} {state} != {truth}")
        if abs((running - previous_sum) - float(truth)) > tolerance:
            verdict.fail(
                "sum not continuous",
                f"{stat_id} {start.isoformat()} step {running - previous_sum} != {truth}",
            )
        previous_sum = running
        day = start.astimezone(LONDON).date()
        got, want = days[day]
        days[day] = (got + state, want + truth)
    if money:
        for day, (got, want) in sorted(days.items()):
            verdict.days_checked += 1
            if abs(Decimal(repr(got)) - want) >= PENNY:
                verdict.fail("day off by a penny or more", f"{stat_id} {day} {got} != {want}")


async def check_statistics(hass: HomeAssistant, fake: FakeOctopus, since: datetime) -> Verdict:
    """Compare all four statistics with the fake's final truth."""
    verdict = Verdict()
    ids = {stat_id for pair in STATISTICS.values() for stat_id in pair}
    rows = await statistic_rows(hass, ids, since - timedelta(days=1), fake.now + HOUR)
    for mpan, (energy_id, money_id) in STATISTICS.items():
        energy, money = expected_hours(fake, mpan, since)
        compare(energy_id, rows.get(energy_id, []), energy, verdict, money=False)
        compare(money_id, rows.get(money_id, []), money, verdict, money=True)
    return verdict
