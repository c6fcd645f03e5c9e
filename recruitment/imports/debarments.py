"""The OFLC's H-2A program debarment list (20 CFR 655.182), as published.

The list has been published with columns `Entity, Entity Type, Employer Location, Start of
Debarment, End of Debarment, Violation, CFR Citation`, and in older years `Name, City State,
Violation, Duration, Start date, End date`: each column is found by its meaning among the
spellings below (case, spaces and punctuation ignored). An entry without an end date takes it
from the duration ('3 years', '36 months') when there is one.

Pure: no database. Rows stream; a row that can't be read is reported with all its problems.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from recruitment.errors import FieldProblem, InvalidInput
from recruitment.imports.dates import lenient_date
from recruitment.imports.dol_disclosure import clean_text, us_state
from recruitment.verification.registry import RowError, parse_us_date

SOURCE = (
    "US DOL Office of Foreign Labor Certification, H-2A program debarment list (20 CFR 655.182)"
)

# Each column's meaning, and the spellings of the lists seen or documented.
SPELLINGS: dict[str, tuple[str, ...]] = {
    "entity": ("Entity", "Name", "Entity Name", "Employer", "Employer Name", "Debarred Entity"),
    "entity_type": ("Entity Type", "Type"),
    "location": ("Employer Location", "City State", "City, State", "Location"),
    "starts_on": ("Start of Debarment", "Start date", "Debarment Start Date", "Start"),
    "ends_on": ("End of Debarment", "End date", "Debarment End Date", "End"),
    "duration": ("Duration", "Debarment Period", "Length of Debarment"),
    "violation": ("Violation", "Violations"),
    "citation": ("CFR Citation", "Citation", "CFR"),
}
REQUIRED = ("entity", "starts_on")


def _key(header: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", header.upper())


@dataclass(frozen=True)
class ListedDebarment:
    line: int
    entity_name: str
    entity_type: str | None
    location: str | None
    state: str | None
    starts_on: date
    ends_on: date | None
    violation: str | None
    citation: str | None


@dataclass(frozen=True)
class RefusedRow:
    line: int
    problems: tuple[RowError, ...]


@dataclass(frozen=True)
class DebarmentColumns:
    positions: dict[str, int]
    unknown: tuple[str, ...]


def map_columns(header: list[str]) -> DebarmentColumns:
    by_key = {_key(spelling): meaning for meaning, all_ in SPELLINGS.items() for spelling in all_}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for position, spelled in enumerate(header):
        meaning = by_key.get(_key(spelled))
        if meaning is not None and meaning not in positions:
            positions[meaning] = position
        elif spelled.strip():
            unknown.append(spelled.strip())
    missing = [meaning for meaning in REQUIRED if meaning not in positions]
    if missing:
        raise InvalidInput(
            f"The debarment list lacks a column for {', '.join(missing)}.",
            [
                FieldProblem("file", f"no column for {m} (tried {', '.join(SPELLINGS[m])})")
                for m in missing
            ],
        )
    return DebarmentColumns(positions, tuple(unknown))


def list_date(text: str) -> date:
    """'2021-03-04', '3/4/2021' (US order, as DOL writes dates) or 'March 4, 2021'."""
    text = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text[:10])
    if re.match(r"^\d{1,2}/\d{1,2}/\d{2,4}$", text):
        return parse_us_date(text)
    return lenient_date(text)


_DURATION = re.compile(r"(\d+)\s*(YEAR|YR|MONTH|MO|DAY)", re.IGNORECASE)


def duration_end(starts_on: date, duration: str) -> date | None:
    """The last day of a debarment of '3 years' (or '36 months', '1 yr') from its start."""
    found = _DURATION.search(duration)
    if found is None:
        return None
    amount, unit = int(found.group(1)), found.group(2).upper()
    step = (
        relativedelta(years=amount)
        if unit.startswith("Y")
        else relativedelta(months=amount)
        if unit.startswith("M")
        else relativedelta(days=amount)
    )
    try:
        return starts_on + step - relativedelta(days=1)
    except (ValueError, OverflowError):  # beyond the calendar: no duration a list means
        return None


def state_of(location: str) -> str | None:
    """'Tifton, GA', 'Tifton, Georgia' or 'GA' give 'GA'; anything else None."""
    for part in reversed([p for p in re.split(r"[,;]", location) if p.strip()]):
        state = us_state(part)
        if state is not None:
            return state
        words = part.split()
        if words and (state := us_state(words[-1])) is not None:
            return state
    return None


def parse_debarment_list(
    lines: Iterable[str],
) -> tuple[DebarmentColumns, Iterator[ListedDebarment | RefusedRow]]:
    reader = csv.reader(lines)
    header = next(reader, None)
    if not header:
        raise InvalidInput.of_field("file", "The debarment list is empty.")
    header[0] = header[0].lstrip("\ufeff")
    columns = map_columns(header)

    def rows() -> Iterator[ListedDebarment | RefusedRow]:
        previous = reader.line_num
        for fields in reader:
            line, previous = previous + 1, reader.line_num
            if any(value.strip() for value in fields):
                yield _read_row(line, fields, columns.positions)

    return columns, rows()


def _read_row(
    line: int, fields: list[str], positions: dict[str, int]
) -> ListedDebarment | RefusedRow:
    def text(meaning: str) -> str:
        position = positions.get(meaning)
        if position is None or position >= len(fields):
            return ""
        # PostgreSQL text holds no NUL character; a list never means one.
        return clean_text(fields[position].replace("\x00", ""))

    problems: list[RowError] = []
    entity = text("entity")
    if not entity:
        problems.append(RowError(line, "entity", "is empty"))
    dates: dict[str, date | None] = {}
    for meaning in ("starts_on", "ends_on"):
        value = text(meaning)
        try:
            dates[meaning] = list_date(value) if value else None
        except ValueError as error:
            problems.append(RowError(line, meaning, str(error)))
            dates[meaning] = None
    starts_on, ends_on = dates["starts_on"], dates["ends_on"]
    if starts_on is None and not any(p.column == "starts_on" for p in problems):
        problems.append(RowError(line, "starts_on", "is empty"))
    if starts_on is not None and ends_on is None and text("duration"):
        ends_on = duration_end(starts_on, text("duration"))
        if ends_on is None:
            problems.append(RowError(line, "duration", f"{text('duration')!r} is not a duration"))
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        problems.append(RowError(line, "ends_on", f"{ends_on} is before the start {starts_on}"))
    if problems or starts_on is None:
        return RefusedRow(line, tuple(problems))
    location = text("location") or None
    return ListedDebarment(
        line=line,
        entity_name=entity[:300],
        entity_type=text("entity_type")[:100] or None,
        location=location[:200] if location else None,
        state=state_of(location) if location else None,
        starts_on=starts_on,
        ends_on=ends_on,
        violation=text("violation")[:2000] or None,
        citation=text("citation")[:200] or None,
    )
