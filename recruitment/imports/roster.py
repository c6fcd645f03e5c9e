"""A grower's season roster (CSV): one row per worker, read into the same validated shapes the API
takes, with every problem reported by row and column.

The columns are documented in the README and in `docs/roster-template.csv`. Header names are
matched case-insensitively; columns in any order; unknown columns are reported, not fatal.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from recruitment.domain.milestones import out_of_order
from recruitment.imports.dates import lenient_date
from recruitment.schemas.common import readable_message
from recruitment.schemas.workers import WorkerIdentity

REQUIRED_COLUMNS = (
    "worker_given_names",
    "worker_family_names",
    "date_of_birth",
    "nationality",
    "preferred_language",
    "job_order",
    "channel",
)
MILESTONE_COLUMNS = {
    "recruited_on": "recruited",
    "contract_disclosed_on": "contract_disclosed",
    "visa_applied_on": "visa_applied",
    "visa_issued_on": "visa_issued",
    "arrived_on": "arrived",
    "hired_on": "hired",
}
COST_COLUMNS = (
    "cost_category",
    "cost_purpose",
    "cost_amount",
    "cost_currency",
    "cost_paid_on",
    "cost_payee",
    "cost_reported_by",
)
OPTIONAL_COLUMNS = (
    "curp",
    "passport_country",
    "passport_number",
    "phone",
    "sne_folio",
    "sne_office",
    "intermediary",
    "intermediary_fee_ban",
    *MILESTONE_COLUMNS,
    *COST_COLUMNS,
    "start_date",
    "employer_of_record",
    "wages_paid_by",
)
ALL_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
# Where a WorkerIdentity field comes from in the roster.
IDENTITY_COLUMNS = {
    "given_names": "worker_given_names",
    "family_names": "worker_family_names",
    "date_of_birth": "date_of_birth",
    "nationality": "nationality",
    "curp": "curp",
    "passport_country": "passport_country",
    "passport_number": "passport_number",
    "preferred_language": "preferred_language",
    "phone": "phone",
}
CHANNELS = ("sne", "private_recruiter", "grower_direct", "other")
YES = {"yes", "y", "si", "sí", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class RowProblem:
    row: int  # the line in the file; the header is line 1
    column: str | None
    message: str


@dataclass(frozen=True)
class RosterCost:
    category: str
    purpose: str
    amount: int  # minor units
    currency: str
    paid_on: date
    payee: str | None
    reported_by: str


@dataclass(frozen=True)
class RosterRow:
    """One row, read and checked on its own; references (job order, offices) are names still."""

    row: int
    worker: WorkerIdentity
    job_order: str
    channel: str
    sne_folio: str | None
    sne_office: str | None
    intermediary: str | None
    intermediary_fee_ban: bool
    milestones: dict[str, date] = field(default_factory=dict)
    cost: RosterCost | None = None
    start_date: date | None = None
    employer_of_record: str | None = None
    wages_paid_by: str | None = None

    @property
    def identity_key(self) -> str:
        """How the file names one person: by CURP, else by passport."""
        if self.worker.curp:
            return f"curp:{self.worker.curp}"
        return f"passport:{self.worker.passport_country}:{self.worker.passport_number}"

    @property
    def identity_column(self) -> str:
        """The column of the document that names the person (see `identity_key`)."""
        return "curp" if self.worker.curp else "passport_number"


@dataclass
class RosterHeader:
    columns: list[str]
    unknown: list[str]
    missing: list[str]


def read_header(header: list[str]) -> RosterHeader:
    columns = [name.strip().lower().lstrip("\ufeff") for name in header]
    return RosterHeader(
        columns=columns,
        unknown=[c for c in columns if c and c not in ALL_COLUMNS],
        missing=[c for c in REQUIRED_COLUMNS if c not in columns],
    )


class _Cells:
    """One row's cells, collecting a problem for each that can't be read."""

    def __init__(self, row: int, values: dict[str, str]) -> None:
        self.row = row
        self.values = values
        self.problems: list[RowProblem] = []

    def text(self, column: str) -> str | None:
        value = (self.values.get(column) or "").strip()
        if "\x00" in value:
            # PostgreSQL can't hold it, and no name, date or code contains one.
            self.problem(column, "contains a NUL character, which no cell may hold")
            return None
        return value or None

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(RowProblem(self.row, column, message))

    def required(self, column: str) -> str | None:
        value = self.text(column)
        if value is None and not any(p.column == column for p in self.problems):
            self.problem(column, "required")
        return value

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return lenient_date(value)
        except ValueError as error:
            self.problem(column, str(error))
            return None

    def yes_no(self, column: str) -> bool:
        value = (self.text(column) or "").lower()
        if value in YES:
            return True
        if value not in NO:
            self.problem(column, f"{value!r}: write yes or no")
        return False

    def minor_units(self, column: str) -> int | None:
        value = self.text(column)
        if value is None:
            self.problem(column, "required with the other cost columns")
            return None
        try:
            amount = Decimal(value.replace(",", ""))
        except InvalidOperation:
            self.problem(column, f"{value!r} is not an amount, e.g. 2000 or 150.50")
            return None
        if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            self.problem(column, f"{value!r}: a positive amount with at most 2 decimals")
            return None
        return int(amount * 100)


def _worker(cells: _Cells) -> WorkerIdentity | None:
    data: dict[str, Any] = {
        name: cells.text(column) for name, column in IDENTITY_COLUMNS.items() if cells.text(column)
    }
    if "date_of_birth" in data:
        born = cells.day("date_of_birth")
        if born is None:
            return None
        data["date_of_birth"] = born
    for code in ("nationality", "passport_country", "preferred_language"):
        if code in data:
            data[code] = data[code].upper() if code != "preferred_language" else data[code].lower()
    if "curp" in data:
        data["curp"] = data["curp"].upper()
    try:
        return WorkerIdentity.model_validate(data)
    except ValidationError as error:
        for issue in error.errors():
            where = issue["loc"][0] if issue["loc"] else None
            column = IDENTITY_COLUMNS.get(str(where)) if where is not None else None
            message = readable_message(issue)
            cells.problem(column, "required" if issue["type"] == "missing" else message)
        return None


def _cost(cells: _Cells) -> RosterCost | None:
    if not any(cells.text(column) for column in COST_COLUMNS):
        return None
    category = cells.required("cost_category")
    currency = (cells.required("cost_currency") or "").upper()
    amount = cells.minor_units("cost_amount")
    paid_on = cells.day("cost_paid_on")
    if paid_on is None and cells.text("cost_paid_on") is None:
        cells.problem("cost_paid_on", "required with the other cost columns")
    reported_by = cells.text("cost_reported_by") or "grower"
    if category is None or amount is None or paid_on is None or not currency:
        return None
    return RosterCost(
        category=category.lower(),
        purpose=(cells.text("cost_purpose") or "other").lower(),
        amount=amount,
        currency=currency,
        paid_on=paid_on,
        payee=cells.text("cost_payee"),
        reported_by=reported_by.lower(),
    )


def read_row(row: int, values: dict[str, str]) -> RosterRow | list[RowProblem]:
    """One row, or every problem found in it."""
    cells = _Cells(row, values)
    worker = _worker(cells)
    job_order = cells.required("job_order")
    channel = (cells.required("channel") or "").lower()
    if channel and channel not in CHANNELS:
        cells.problem("channel", f"{channel!r}: one of {', '.join(CHANNELS)}")
    sne_folio, sne_office = cells.text("sne_folio"), cells.text("sne_office")
    if channel == "sne" and not sne_folio:
        cells.problem("sne_folio", "required for the sne channel: the office's referral folio")
    if channel != "sne" and (sne_folio or sne_office):
        cells.problem("channel", "sne_folio and sne_office belong to the sne channel only")
    milestones = {
        name: when
        for column, name in MILESTONE_COLUMNS.items()
        if (when := cells.day(column)) is not None
    }
    columns_by_milestone = {name: column for column, name in MILESTONE_COLUMNS.items()}
    for milestone, message in out_of_order(milestones):
        cells.problem(
            columns_by_milestone[milestone],
            message.replace(milestone, columns_by_milestone[milestone], 1),
        )
    intermediary = cells.text("intermediary")
    fee_ban = cells.yes_no("intermediary_fee_ban")
    cost = _cost(cells)
    start_date = cells.day("start_date")
    if cells.problems or worker is None or job_order is None:
        return cells.problems
    return RosterRow(
        row=row,
        worker=worker,
        job_order=job_order,
        channel=channel,
        sne_folio=sne_folio,
        sne_office=sne_office,
        intermediary=intermediary,
        intermediary_fee_ban=fee_ban,
        milestones=milestones,
        cost=cost,
        start_date=start_date,
        employer_of_record=cells.text("employer_of_record"),
        wages_paid_by=cells.text("wages_paid_by"),
    )


def read_roster(lines: Iterable[str]) -> Iterator[RosterHeader | RosterRow | list[RowProblem]]:
    """The header first, then each row read on its own, streaming."""
    reader = csv.reader(iter(lines))
    try:
        header = read_header(next(reader))
    except StopIteration:
        yield RosterHeader(columns=[], unknown=[], missing=list(REQUIRED_COLUMNS))
        return
    yield header
    if header.missing:
        return
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header.columns):
            yield [RowProblem(number, None, "more cells than the header has columns")]
            continue
        yield read_row(number, dict(zip(header.columns, cells, strict=False)))
