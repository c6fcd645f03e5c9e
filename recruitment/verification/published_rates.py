"""Reading the rates OFLC publishes each year, as staff load them from a CSV file.

Wage rates (AEWRs): one row per state, and per SOC occupation and skill level where the table has
them (the 2025 rule); columns `state`, `hourly_usd`, and optionally `soc_code`, `skill_level`,
`effective_from` (when a row starts later than the load), `basis` and `note`. Meal charge
maximums (20 CFR 655.173(a)): columns `effective_from` and `daily_usd`. Every load states its
source and the dates it covers; a row outside them is an error, reported with its line.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import get_args

from recruitment.domain.vocabulary import UsState
from recruitment.verification.registry import RowError

US_STATES = frozenset(get_args(UsState))
WAGE_RATE_COLUMNS = ("state", "hourly_usd")
WAGE_RATE_OPTIONAL_COLUMNS = ("soc_code", "skill_level", "effective_from", "basis", "note")
MEAL_CHARGE_COLUMNS = ("effective_from", "daily_usd")
# No published AEWR or meal charge comes near this; a bigger figure is a typing error.
MAX_CENTS = 100_000


@dataclass(frozen=True)
class PublishedRate:
    """One row of a load: an hourly wage rate, or a daily meal charge maximum."""

    line: int
    effective_from: date
    cents: int
    state: str = ""
    soc_code: str = ""
    skill_level: str = ""
    basis: str = ""
    note: str = ""


class _BadRow(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _cents(text: str, column: str) -> int:
    try:
        cents = Decimal(text.strip().lstrip("$")) * 100
        plausible = cents.is_finite() and cents == cents.to_integral_value()
    except InvalidOperation as error:
        raise _BadRow(column, f"{text!r} is not an amount in US dollars") from error
    if not plausible or not 0 < cents <= MAX_CENTS:
        raise _BadRow(column, f"{text!r} is not a plausible amount in whole cents")
    return int(cents)


def _refuse_nul(row: dict[str, str]) -> None:
    for column, value in row.items():
        if "\x00" in value:
            raise _BadRow(column, "the cell holds a NUL character")


def _start(text: str | None, starts: date, ends: date) -> date:
    if not text or not text.strip():
        return starts
    try:
        day = date.fromisoformat(text.strip())
    except ValueError as error:
        raise _BadRow("effective_from", f"{text!r} is not a date (YYYY-MM-DD)") from error
    if not starts <= day <= ends:
        raise _BadRow(
            "effective_from",
            f"{day.isoformat()} is outside the dates of this load "
            f"({starts.isoformat()} to {ends.isoformat()})",
        )
    return day


def _rows(
    lines: Iterable[str], required: tuple[str, ...], optional: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(lines)
    columns = tuple(name.strip() for name in reader.fieldnames or ())
    missing = [name for name in required if name not in columns]
    unknown = [name for name in columns if name not in required + optional]
    if missing or unknown:
        raise ValueError(
            f"the columns must be {', '.join(required)}"
            + (f" (and optionally {', '.join(optional)})" if optional else "")
            + f"; the file has {', '.join(columns) or 'none'}"
        )
    reader.fieldnames = list(columns)
    for row in reader:
        yield reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}


def parse_wage_rates(
    lines: Iterable[str], starts: date, ends: date
) -> Iterator[PublishedRate | RowError]:
    """The rows of an AEWR table; raises ValueError when the header is wrong."""
    for line, row in _rows(lines, WAGE_RATE_COLUMNS, WAGE_RATE_OPTIONAL_COLUMNS):
        try:
            _refuse_nul(row)
            state = row["state"].upper()
            if state not in US_STATES:
                raise _BadRow("state", f"{row['state']!r} is not a US state or territory code")
            soc_code = row.get("soc_code", "")
            if soc_code and not (
                len(soc_code) == 7 and soc_code[2] == "-" and soc_code.replace("-", "").isdigit()
            ):
                raise _BadRow("soc_code", f"{soc_code!r} is not a SOC code such as 45-2092")
            yield PublishedRate(
                line=line,
                effective_from=_start(row.get("effective_from"), starts, ends),
                cents=_cents(row["hourly_usd"], "hourly_usd"),
                state=state,
                soc_code=soc_code,
                skill_level=row.get("skill_level", "")[:20],
                basis=row.get("basis", "")[:60],
                note=row.get("note", "")[:500],
            )
        except _BadRow as error:
            yield RowError(line, error.column, str(error))


def parse_meal_charge_maximums(
    lines: Iterable[str], starts: date, ends: date
) -> Iterator[PublishedRate | RowError]:
    """The rows of a meal charge table; raises ValueError when the header is wrong."""
    for line, row in _rows(lines, MEAL_CHARGE_COLUMNS, ()):
        try:
            _refuse_nul(row)
            yield PublishedRate(
                line=line,
                effective_from=_start(row["effective_from"] or None, starts, ends),
                cents=_cents(row["daily_usd"], "daily_usd"),
            )
        except _BadRow as error:
            yield RowError(line, error.column, str(error))
