"""The wage floor of an H-2A job order: the highest of the AEWR and the federal minimum wage.

20 CFR 655.120(a) and 655.122(l) require at least the highest of the Adverse Effect Wage Rate
(AEWR), the prevailing wage, the agreed collective bargaining rate and the federal or state minimum
wage.
The facts carry the AEWR (package data `reference_data/aewr.csv`) and the federal minimum; the
prevailing wage and state minimums are not in the data yet, so the floor computed here is a lower
bound of the true floor: a flag raised against it is certain, its absence is not a clearance.

Which AEWR: the highest in force on any day of the job order's period (`period_start` to
`period_end`) for the first worksite's state: the one in force at the start, or one that takes
effect during the period, which binds the employer from its effective date (20 CFR
655.120(b)(3)). A day of the period after the last loaded rate is judged on no rate at all only
when it is the period's first day: a table not yet holding next year's rates is not a finding
until the period starts in that year.
A rate is in force from its `effective_from` until the next rate for the same state, occupation
and skill level takes effect, and never after its `effective_until` (the packaged 2025 rates,
effective 2024-12-16, cover 2024-12-16 to 2025-12-31). Since the 2025 rule (DOL's 2025 AEWR
methodology) rates are published by SOC occupation and skill level: where the loaded table has
rates for the job order's SOC code they apply, else the state's rate for all occupations. The job
order states no skill level, so among several levels the lowest applies and the assessment says
so: a floor computed that way is a lower bound too. A date or state with no loaded rate has no
known AEWR: the offer is then compared with the federal minimum alone, and the assessment says so
(`no_published_rate`), which is itself a finding (WAGE_FLOOR_UNKNOWN), never a clearance.

Hourly comparison of the offer: `hour` directly; `week` as amount / hours_per_week; `month` as
amount x 12 / 52 / hours_per_week. A `piece` offer is not comparable: piece-rate earnings depend on
each worker's output, and 20 CFR 655.122(l) requires the employer to top them up to the hourly
floor each pay period, which only payroll records can show. Offers in a currency other than USD
are not comparable either.
"""

import csv
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from recruitment.domain.terms import JobOrderTerms
from recruitment.verification.findings import Evidence

FEDERAL_MINIMUM_WAGE_CENTS = 725
FEDERAL_MINIMUM_WAGE_SOURCE = "29 USC 206(a)(1)(C)"
AEWR_SOURCE = (
    "20 CFR 655.120(b); AEWR published in the Federal Register, as tabulated by DOL's FLAG wage "
    "page (reference_data/SOURCES.md)"
)
WAGE_FLOOR_SOURCE = "20 CFR 655.120(a), 655.122(l)"

_WEEKS_PER_YEAR = 52
_MONTHS_PER_YEAR = 12
_AEWR_COLUMNS = ("state", "year", "effective_from", "hourly_usd", "basis", "note")
ALL_OCCUPATIONS = ""


@dataclass(frozen=True)
class AewrRate:
    state: str
    year: int  # the year the rate was published for
    effective_from: date
    hourly_cents: int
    basis: str
    note: str
    effective_until: date | None = None  # None: the end of `year`
    soc_code: str = ALL_OCCUPATIONS
    skill_level: str = ""

    @property
    def last_day(self) -> date:
        return self.effective_until or date(self.year, 12, 31)

    @property
    def source(self) -> str:
        return AEWR_SOURCE

    def as_evidence(self) -> Evidence:
        return {
            "state": self.state,
            "year": self.year,
            "effective_from": self.effective_from.isoformat(),
            "effective_until": self.last_day.isoformat(),
            "soc_code": self.soc_code or None,
            "skill_level": self.skill_level or None,
            "hourly_cents": self.hourly_cents,
            "basis": self.basis,
            "note": self.note,
            "source": self.source,
        }


class WageFloorTable:
    """The AEWRs by state and occupation, immutable once built; `lookup` answers the rate in force
    on a date."""

    __slots__ = ("_effective_dates", "_levels", "_rates")

    def __init__(self, rates: Iterable[AewrRate]) -> None:
        by_key: dict[tuple[str, str, str], list[AewrRate]] = {}
        for rate in rates:
            by_key.setdefault((rate.state, rate.soc_code, rate.skill_level), []).append(rate)
        for (state, soc_code, level), key_rates in by_key.items():
            starts = [rate.effective_from for rate in key_rates]
            if len(set(starts)) != len(starts):
                raise ValueError(
                    f"two AEWRs for {state} {soc_code or 'all occupations'} {level} take effect "
                    "on the same day"
                )
        self._rates: Mapping[tuple[str, str, str], tuple[AewrRate, ...]] = {
            key: tuple(sorted(key_rates, key=lambda rate: rate.effective_from))
            for key, key_rates in by_key.items()
        }
        self._effective_dates: Mapping[tuple[str, str, str], tuple[date, ...]] = {
            key: tuple(rate.effective_from for rate in key_rates)
            for key, key_rates in self._rates.items()
        }
        levels: dict[tuple[str, str], list[str]] = {}
        for state, soc_code, level in sorted(self._rates):
            levels.setdefault((state, soc_code), []).append(level)
        self._levels: Mapping[tuple[str, str], tuple[str, ...]] = {
            key: tuple(names) for key, names in levels.items()
        }

    def _in_force(self, key: tuple[str, str, str], on_date: date) -> AewrRate | None:
        index = bisect_right(self._effective_dates[key], on_date) - 1
        if index < 0:
            return None
        rate = self._rates[key][index]
        return rate if on_date <= rate.last_day else None

    def lookup(self, state: str, on_date: date, soc_code: str | None = None) -> AewrRate | None:
        """The AEWR in force in `state` on `on_date` for the occupation where the table has it
        (its lowest skill level: the job order states none), else for all occupations; None
        when none is loaded."""
        occupation = (soc_code or "")[:7]
        for wanted in (occupation, ALL_OCCUPATIONS) if occupation else (ALL_OCCUPATIONS,):
            in_force = [
                rate
                for level in self._levels.get((state, wanted), ())
                if (rate := self._in_force((state, wanted, level), on_date)) is not None
            ]
            if in_force:
                return min(in_force, key=lambda rate: (rate.hourly_cents, rate.skill_level))
        return None

    def rates_of(self, state: str, soc_code: str | None = None) -> tuple[AewrRate, ...]:
        """Every rate loaded for the state, for the occupation and for all occupations."""
        occupations = {(soc_code or "")[:7], ALL_OCCUPATIONS}
        return tuple(
            rate
            for (rate_state, occupation, _), rates in self._rates.items()
            if rate_state == state and occupation in occupations
            for rate in rates
        )

    @property
    def rates(self) -> tuple[AewrRate, ...]:
        return tuple(rate for key in sorted(self._rates) for rate in self._rates[key])


def _cents(usd: str) -> int:
    cents = Decimal(usd) * 100
    if cents != cents.to_integral_value() or cents < 0:
        raise ValueError(f"{usd!r} is not an amount in whole cents")
    return int(cents)


def parse_aewr_csv(lines: Iterable[str]) -> list[AewrRate]:
    """Parse the AEWR table; a malformed row is a packaging error, so it raises (with its line)."""
    reader = csv.DictReader(lines)
    if tuple(reader.fieldnames or ()) != _AEWR_COLUMNS:
        raise ValueError(f"AEWR columns must be {', '.join(_AEWR_COLUMNS)}")
    rates = []
    for row in reader:
        try:
            rates.append(
                AewrRate(
                    state=row["state"].strip(),
                    year=int(row["year"]),
                    effective_from=date.fromisoformat(row["effective_from"]),
                    hourly_cents=_cents(row["hourly_usd"]),
                    basis=row["basis"].strip(),
                    note=row["note"].strip(),
                )
            )
        except (ValueError, InvalidOperation) as error:
            raise ValueError(f"aewr.csv line {reader.line_num}: {error}") from error
    return rates


@cache
def packaged_aewr_rates() -> tuple[AewrRate, ...]:
    """The AEWRs shipped with the package, read once per process."""
    path = resources.files("recruitment").joinpath("reference_data/aewr.csv")
    return tuple(parse_aewr_csv(path.read_text(encoding="utf-8").splitlines()))


def aewr_rows() -> Iterator[dict[str, str | int | date]]:
    """The packaged AEWRs as plain rows, for loading the service's reference table."""
    for rate in packaged_aewr_rates():
        yield {
            "state": rate.state,
            "year": rate.year,
            "effective_from": rate.effective_from,
            "hourly_cents": rate.hourly_cents,
            "basis": rate.basis,
            "note": rate.note,
            "source": rate.source,
        }


@cache
def packaged_wage_floor_table() -> WageFloorTable:
    return WageFloorTable(packaged_aewr_rates())


WageFloorStatus = Literal["meets_floor", "below_floor", "no_published_rate", "not_comparable"]


@dataclass(frozen=True)
class WageFloorAssessment:
    """How a job order's wage offer compares with its floor, with a note a person can read.

    `no_published_rate`: no AEWR for the state and date, and the offer is at least the federal
    minimum (an offer under the federal minimum is `below_floor` with or without an AEWR).
    `not_comparable`: the offer can't be put per hour, or the state or date is missing; `reason`
    says why.
    """

    status: WageFloorStatus
    reason: str | None = None
    state: str | None = None
    on_date: date | None = None
    aewr: AewrRate | None = None
    floor_cents: int | None = None
    offer_hourly: Fraction | None = None  # cents per hour, exact
    offer_computation: str | None = None

    @property
    def note(self) -> str:
        # Composed on demand: most evaluations only read `status`.
        if self.reason is not None or self.floor_cents is None or self.on_date is None:
            return self.reason or "not comparable"
        floor = (
            f"the floor of {_usd(self.floor_cents)} per hour"
            if self.aewr is not None
            else f"the federal minimum of {_usd(self.floor_cents)} per hour"
        )
        verdict = (
            f"the offer is under {floor}"
            if self.status == "below_floor"
            else (f"the offer meets {floor}")
        )
        if self.aewr is None:
            basis = (
                f"no AEWR loaded for {self.state} on {self.on_date.isoformat()}: "
                "the federal minimum only, so the true floor is unknown"
            )
        else:
            occupation = (
                f", SOC {self.aewr.soc_code}"
                + (f", skill level {self.aewr.skill_level}" if self.aewr.skill_level else "")
                if self.aewr.soc_code
                else ""
            )
            basis = (
                f"the AEWR for {self.state}{occupation} ({self.aewr.year}, in force from "
                f"{self.aewr.effective_from.isoformat()} to {self.aewr.last_day.isoformat()})"
            )
        return f"{verdict}; floor from {basis}"

    def as_evidence(self) -> Evidence:
        return {
            "status": self.status,
            "note": self.note,
            "state": self.state,
            "on_date": self.on_date.isoformat() if self.on_date else None,
            # Rounded down, so that an offer under the floor never displays as equal to it.
            "offer_hourly_cents": int(self.offer_hourly) if self.offer_hourly is not None else None,
            "offer_computation": self.offer_computation,
            "floor_cents": self.floor_cents,
            "aewr": self.aewr.as_evidence() if self.aewr else None,
            "federal_minimum": {
                "hourly_cents": FEDERAL_MINIMUM_WAGE_CENTS,
                "source": FEDERAL_MINIMUM_WAGE_SOURCE,
            },
            "source": WAGE_FLOOR_SOURCE,
        }


def _usd(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d} USD"


@lru_cache(maxsize=1024)
def _weekly_hours(hours: float) -> Fraction:
    # From the decimal text, so that 37.3 hours is exactly 37.3 and not its binary neighbour.
    return Fraction(str(hours))


def _hourly_offer(terms: JobOrderTerms) -> tuple[Fraction, str] | str:
    """The offer in cents per hour with how it was computed, or why it can't be put per hour."""
    offer, unit, hours = terms.wage_offer, terms.wage_unit, terms.hours_per_week
    if offer is None or unit is None:
        return "the job order states no wage offer and unit"
    if offer.currency != "USD":
        return f"the wage offer is in {offer.currency}, not USD"
    if unit == "piece":
        return "a piece-rate offer depends on each worker's output; payroll must show the top-up"
    if unit == "hour":
        return Fraction(offer.amount), "amount per hour"
    if hours is None:
        return f"a wage per {unit} needs the hours per week to be put per hour"
    if unit == "week":
        return Fraction(offer.amount) / _weekly_hours(hours), f"amount per week / {hours} h"
    return (
        Fraction(offer.amount * _MONTHS_PER_YEAR, _WEEKS_PER_YEAR) / _weekly_hours(hours),
        f"amount per month x 12 / 52 / {hours} h",
    )


def _binding_rate(
    table: WageFloorTable, state: str, terms: JobOrderTerms
) -> tuple[date, AewrRate | None]:
    """The day of the period whose AEWR is highest, and that AEWR: the one in force at the start,
    or one that takes effect during the period (20 CFR 655.120(b)(3): a new AEWR binds the
    employer from its effective date, contract or not). Ties go to the earliest day. With no
    rate in force on the first day, the floor is unknown, whatever takes effect later."""
    start = terms.period_start
    assert start is not None
    end = terms.period_end or start
    binding = (start, table.lookup(state, start, terms.soc_code))
    if binding[1] is None:
        return binding
    for rate in sorted(table.rates_of(state, terms.soc_code), key=lambda r: r.effective_from):
        if start < rate.effective_from <= end:
            in_force = table.lookup(state, rate.effective_from, terms.soc_code)
            if in_force is not None and in_force.hourly_cents > binding[1].hourly_cents:
                binding = (rate.effective_from, in_force)
    return binding


def assess_wage_floor(terms: JobOrderTerms, table: WageFloorTable) -> WageFloorAssessment:
    """Compare the job order's hourly offer with max(AEWR in force, federal minimum)."""
    state, on_date = terms.worksite_state, terms.period_start
    if state is None or on_date is None:
        return WageFloorAssessment(
            "not_comparable", "the floor needs the first worksite's state and the period start"
        )
    hourly = _hourly_offer(terms)
    if isinstance(hourly, str):
        return WageFloorAssessment("not_comparable", hourly, state, on_date)
    offer_hourly, computation = hourly
    on_date, aewr = _binding_rate(table, state, terms)
    floor_cents = max(aewr.hourly_cents if aewr else 0, FEDERAL_MINIMUM_WAGE_CENTS)
    status: WageFloorStatus
    if offer_hourly < floor_cents:
        status = "below_floor"
    else:
        status = "meets_floor" if aewr else "no_published_rate"
    return WageFloorAssessment(
        status=status,
        state=state,
        on_date=on_date,
        aewr=aewr,
        floor_cents=floor_cents,
        offer_hourly=offer_hourly,
        offer_computation=computation,
    )
