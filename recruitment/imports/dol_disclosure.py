"""OFLC H-2A disclosure data: each case and its Form 790A addenda read into job-order terms.

The US Department of Labor's Office of Foreign Labor Certification publishes, for each fiscal
year, the H-2A cases it decided (one row per case) and the addenda filed with them: Addendum A
(crops and activities, their wages and piece rates) and Addendum B (further housing; and, for an
H-2A labor contractor, the places of employment at the fixed-site growers it supplies).

Column names change between fiscal years (`H2A_LABOR_CONTRACTOR` and `H-2A_LABOR_CONTRACTOR`,
`MEALS_CHARGE` and `MEALS_CHARGED`): a column is found by its normalised header (upper case,
letters and digits only) among the spellings listed here, so that a file of another year reads
too. Rows carry each value under the fiscal 2022 name, which problems also use. A column this
module does not know is reported, never fatal; a missing required column stops the import
before anything is written, naming the column.

Pure: no database. `recruitment.services.dol_disclosures` streams the files through this module
and writes what it reads.
"""

import csv
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, get_args

import phonenumbers
from pydantic import ValidationError
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.us import ein

from recruitment.domain.terms import (
    ActivityWage,
    Deduction,
    Housing,
    JobOrderTerms,
    Meals,
    Money,
    PieceRate,
    Worksite,
)
from recruitment.domain.vocabulary import (
    CaseStatus,
    HousingType,
    PayFrequency,
    UsState,
    WageUnit,
)
from recruitment.errors import FieldProblem, InvalidInput
from recruitment.schemas.common import readable_message
from recruitment.verification import normalise_holder_name
from recruitment.verification.registry import parse_us_date, plain_upper

SOURCE = (
    "US DOL Office of Foreign Labor Certification, H-2A disclosure data (public domain): "
    "Form 9142A cases and Form 790A addenda"
)

CASES = "cases.csv"
CROPS = "addendum_a_crops_wages.csv"
HOUSING = "addendum_b_housing.csv"
PLACES = "addendum_b_places_of_employment.csv"
FILES = (CASES, CROPS, HOUSING, PLACES)
ADDENDA = (CROPS, HOUSING, PLACES)

SHORT = 200  # JobOrderTerms' ShortText
LONG = 5000  # and LongText


# Abbreviations the record layouts of different fiscal years use for the same word.
_ABBREVIATIONS = {
    "AGRI": "AGRICULTURAL", "AG": "AGRICULTURAL", "JO": "JOB ORDER", "ADD": "ADDITIONAL",
    "INFO": "INFORMATION", "NBR": "NUMBER", "NUM": "NUMBER", "NO": "NUMBER", "POST": "POSTAL",
    "STANDARD": "STANDARDS", "ADDR": "ADDRESS", "EMP": "EMPLOYER", "ZIP": "POSTAL CODE",
}  # fmt: skip


def header_key(name: str) -> str:
    """'H-2A_LABOR_CONTRACTOR', 'h2a labor contractor' and 'H2A_LABOR_CONTRACTOR' read the same;
    so do 'ADD_PLACE_OF_EMPLOYMENT_INFO' and 'ADDITIONAL_PLACE_OF_EMPLOYMENT_INFORMATION',
    'EMPLOYER_ADDRESS1' and 'EMPLOYER_ADDRESS_1': words split at punctuation and between
    letters and digits, each abbreviation spelt out, then joined."""
    words = re.findall(r"[A-Z]+|[0-9]+", name.upper().replace("H-2A", "H2A"))
    merged = " ".join(words).replace("H 2 A", "H2A")
    return "".join(_ABBREVIATIONS.get(word, word) for word in merged.split()).replace(" ", "")


@dataclass(frozen=True)
class Spelling:
    """One fiscal year's header for a column, and where it was seen."""

    header: str
    seen_in: str


@dataclass(frozen=True)
class Column:
    name: str  # the fiscal 2022 spelling: rows and problems use it
    also: tuple[Spelling, ...] = ()  # other years' spellings
    required: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.name, *(spelling.header for spelling in self.also))))

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(header_key(spelling) for spelling in self.spellings)


@dataclass(frozen=True)
class Layout:
    """One file: the columns read, and those known but not imported (never reported)."""

    file: str
    columns: tuple[Column, ...]
    ignored: tuple[str, ...] = ()

    def by_key(self) -> dict[str, Column]:
        return {key: column for column in self.columns for key in column.keys}


# Where each other spelling was seen. FY2018: the old form's case file (ETA-9142A before 2019,
# `h2a_fy2018q1q2`); FY2020 Q2: that quarter's addenda; "no file here": spellings of the public
# record layouts that no file in tests/data carries.
FY2018 = "FY2018 Q1-Q2 cases (old form)"
FY2020 = "FY2020 Q2 addenda"
LAYOUTS_ONLY = "record layouts, no file here"


def _spellings(*pairs: tuple[str, str]) -> tuple[Spelling, ...]:
    return tuple(Spelling(header, seen_in) for header, seen_in in pairs)


def _required(name: str, *also: tuple[str, str]) -> Column:
    return Column(name, _spellings(*also), required=True)


def _optional(name: str, *also: tuple[str, str]) -> Column:
    return Column(name, _spellings(*also))


def _guessed(*headers: str) -> tuple[tuple[str, str], ...]:
    return tuple((header, LAYOUTS_ONLY) for header in headers)


_WEEKDAYS = ("SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")

# Only what no case can be read without is required: a period's file lacking the wage, say,
# still imports, and the TERMS_INCOMPLETE rule says what its job orders lack.
CASES_LAYOUT = Layout(
    CASES,
    (
        _required("CASE_NUMBER", *_guessed("CASE_NO")),
        _required("EMPLOYER_NAME", *_guessed("EMPLOYER_BUSINESS_NAME")),
        _required("EMPLOYER_STATE", *_guessed("EMPLOYER_STATE_PROVINCE")),
        _required(
            "H2A_LABOR_CONTRACTOR",
            ("ORGANIZATION_FLAG", FY2018),
            *_guessed("H2ALC", "H2A_LABOR_CONTRACTOR_OR_JOB_CONTRACTOR"),
        ),
        _optional("CASE_STATUS"),
        # The old form's alone (FY2018): PRI for the filer, SUB for an association's members.
        _optional("PRIMARY/SUB", ("PRIMARY/SUB", FY2018)),
        _optional(
            "EMPLOYMENT_BEGIN_DATE",
            ("CERTIFICATION_BEGIN_DATE", FY2018),
            *_guessed("EMPLOYMENT_START_DATE"),
        ),
        _optional("EMPLOYMENT_END_DATE", ("CERTIFICATION_END_DATE", FY2018)),
        _optional("WAGE_OFFER", ("BASIC_RATE_OF_PAY", FY2018), *_guessed("WAGE_RATE")),
        _optional("PER", ("BASIC_UNIT_OF_PAY", FY2018), *_guessed("WAGE_PER", "RATE_PER")),
        _optional("TRADE_NAME_DBA", *_guessed("TRADE_NAME", "EMPLOYER_TRADE_NAME")),
        _optional("EMPLOYER_FEIN", *_guessed("FEIN", "EMPLOYER_FEIN_NUMBER")),
        _optional(
            "EMPLOYER_ADDRESS_1", ("EMPLOYER_ADDRESS1", FY2018), *_guessed("EMPLOYER_ADDRESS")
        ),
        _optional("EMPLOYER_ADDRESS_2", ("EMPLOYER_ADDRESS2", FY2018)),
        _optional("EMPLOYER_CITY"),
        _optional("EMPLOYER_POSTAL_CODE", *_guessed("EMPLOYER_ZIP")),
        _optional("EMPLOYER_COUNTRY"),
        _optional("EMPLOYER_PHONE"),
        _optional("EMPLOYER_PHONE_EXT"),
        _optional("JOB_ORDER_NUMBER", ("JOB_IDNUMBER", FY2018), *_guessed("JO_NUMBER")),
        _optional("SOC_CODE", *_guessed("SOC_CODE_ID")),
        _optional("JOB_TITLE"),
        _optional("JOB_DUTIES", *_guessed("DUTIES")),
        _optional(
            "ANTICIPATED_NUMBER_OF_HOURS",
            ("BASIC_NUMBER_OF_HOURS", FY2018),
            *_guessed("ANTICIPATED_HOURS"),
        ),
        *(_optional(f"{day}_HOURS") for day in _WEEKDAYS),
        _optional("HOURLY_SCHEDULE_BEGIN", ("HOURLY_WORK_SCHEDULE_AM", FY2018)),
        _optional("HOURLY_SCHEDULE_END", ("HOURLY_WORK_SCHEDULE_PM", FY2018)),
        _optional("PIECE_RATE_OFFER", *_guessed("PIECE_RATE")),
        _optional("PIECE_RATE_UNIT", *_guessed("PIECE_RATE_UNITS")),
        _optional("FREQUENCY_OF_PAY", *_guessed("PAY_FREQUENCY")),
        _optional("OTHER_FREQUENCY_OF_PAY"),
        _optional("DEDUCTIONS_FROM_PAY", *_guessed("DEDUCTIONS")),
        _optional("WORKSITE_ADDRESS", *_guessed("WORKSITE_ADDRESS_1", "WORKSITE_LOCATION_ADDRESS")),
        _optional("WORKSITE_CITY", *_guessed("WORKSITE_LOCATION_CITY")),
        _optional("WORKSITE_STATE", *_guessed("WORKSITE_LOCATION_STATE")),
        _optional("WORKSITE_COUNTY", *_guessed("WORKSITE_LOCATION_COUNTY")),
        _optional("HOUSING_ADDRESS_LOCATION", *_guessed("HOUSING_ADDRESS", "HOUSING_ADDRESS_1")),
        _optional("HOUSING_CITY"),
        _optional("HOUSING_STATE"),
        _optional("HOUSING_COUNTY"),
        _optional("TYPE_OF_HOUSING", *_guessed("HOUSING_TYPE")),
        _optional("TOTAL_OCCUPANCY", *_guessed("HOUSING_TOTAL_OCCUPANCY")),
        _optional("MEALS_PROVIDED"),
        _optional("MEALS_CHARGE", *_guessed("MEALS_CHARGED", "MEAL_CHARGE")),
    ),
    ignored=(
        "RECEIVED_DATE", "DECISION_DATE", "TYPE_OF_EMPLOYER_APPLICATION",
        "NATURE_OF_TEMPORARY_NEED", "EMERGENCY_FILING", "EMPLOYER_PROVINCE", "NAICS_CODE",
        "EMPLOYER_POC_LAST_NAME", "EMPLOYER_POC_FIRST_NAME",
        "EMPLOYER_POC_MIDDLE_NAME", "EMPLOYER_POC_JOB_TITLE", "EMPLOYER_POC_ADDRESS1",
        "EMPLOYER_POC_ADDRESS2", "EMPLOYER_POC_CITY", "EMPLOYER_POC_STATE",
        "EMPLOYER_POC_POSTAL_CODE", "EMPLOYER_POC_COUNTRY", "EMPLOYER_POC_PROVINCE",
        "EMPLOYER_POC_PHONE", "EMPLOYER_POC_PHONE_EXT", "EMPLOYER_POC_EMAIL",
        "TYPE_OF_REPRESENTATION", "ATTORNEY_AGENT_LAST_NAME", "ATTORNEY_AGENT_FIRST_NAME",
        "ATTORNEY_AGENT_MIDDLE_NAME", "ATTORNEY_AGENT_ADDRESS_1", "ATTORNEY_AGENT_ADDRESS_2",
        "ATTORNEY_AGENT_CITY", "ATTORNEY_AGENT_STATE", "ATTORNEY_AGENT_POSTAL_CODE",
        "ATTORNEY_AGENT_COUNTRY", "ATTORNEY_AGENT_PROVINCE", "ATTORNEY_AGENT_PHONE",
        "ATTORNEY_AGENT_PHONE_EXT", "ATTORNEY_AGENT_EMAIL_ADDRESS", "LAWFIRM_NAME_BUSINESS_NAME",
        "STATE_OF_HIGHEST_COURT", "NAME_OF_HIGHEST_STATE_COURT", "SOC_TITLE",
        "790A_ADDENDUM_B_ATTACHED", "WORK_CONTRACTS_ATTACHED", "EMPLOYER_MSPA_ATTACHED",
        "SURETY_BOND_ATTACHED", "HOUSING_TRANSPORTATION", "APPENDIX_A_ATTACHED",
        "JOINT_EMPLOYER_APPENDIX_A_ATTACHED", "PREPARER_LAST_NAME", "PREPARER_FIRST_NAME",
        "PREPARER_MIDDLE_INITIAL", "PREPARER_BUSINESS_NAME", "PREPARER_EMAIL",
        "TOTAL_WORKERS_NEEDED", "TOTAL_WORKERS_H2A_REQUESTED", "TOTAL_WORKERS_H2A_CERTIFIED",
        "REQUESTED_BEGIN_DATE", "REQUESTED_END_DATE", "ON_CALL_REQUIREMENT",
        "790A_ADDENDUM_A_ATTACHED", "EDUCATION_LEVEL", "WORK_EXPERIENCE_MONTHS",
        "TRAINING_MONTHS", "CERTIFICATION_REQUIREMENTS", "DRIVER_REQUIREMENTS",
        "CRIMINAL_BACKGROUND_CHECK", "DRUG_SCREEN", "LIFTING_REQUIREMENTS", "LIFTING_AMOUNT",
        "EXPOSURE_TO_TEMPERATURES", "EXTENSIVE_PUSHING_PULLING", "EXTENSIVE_SITTING_WALKING",
        "FREQUENT_STOOPING_BENDING_OVER", "REPETITIVE_MOVEMENTS", "SUPERVISE_OTHER_EMP",
        "SUPERVISE_HOW_MANY", "SPECIAL_REQUIREMENTS", "WORKSITE_POSTAL_CODE",
        "ADDENDUM_B_WORKSITE_ATTACHED", "TOTAL_WORKSITES_RECORDS", "HOUSING_POSTAL_CODE",
        "TOTAL_UNITS", "HOUSING_COMPLIANCE_LOCAL", "HOUSING_COMPLIANCE_STATE",
        "HOUSING_COMPLIANCE_FEDERAL", "ADDENDUM_B_HOUSING_ATTACHED", "TOTAL_HOUSING_RECORDS",
        "MEAL_REIMBURSEMENT_MINIMUM", "MEAL_REIMBURSEMENT_MAXIMUM", "PHONE_TO_APPLY",
        "EMAIL_TO_APPLY", "WEBSITE_TO_APPLY", "ADDENDUM_C_ATTACHED", "TOTAL_ADDENDUM_A_RECORDS",
        # FY2018's old form: known, with no counterpart the terms hold (its README).
        "CASE_RECEIVED_DATE", "VISA_CLASS", "REPRESENTED_BY_AGENT", "LAWFIRM_NAME",
        "AGENT_ATTORNEY_NAME", "AGENT_ATTORNEY_CITY", "AGENT_ATTORNEY_STATE", "PRIMARY_CROP",
        "NBR_WORKERS_REQUESTED", "NBR_WORKERS_CERTIFIED", "FULL_TIME_POSITION",
        "OVERTIME_RATE_FROM", "OVERTIME_RATE_TO", "OTHER_EDU", "MAJOR", "SECOND_DIPLOMA",
        "SECOND_DIPLOMA_MAJOR", "TRAINING_REQ", "NUM_MONTHS_TRAINING", "NAME_REQD_TRAINING",
        "EMP_EXPERIENCE_REQD", "EMP_EXP_NUM_MONTHS", "OTHER_WORKSITE_LOCATION", "SWA_NAME",
        "JOB_START_DATE", "JOB_END_DATE",
    ),
)  # fmt: skip
CROPS_LAYOUT = Layout(
    CROPS,
    (
        _required("CASE_NUMBER", *_guessed("CASE_NO")),
        _required(
            "CROP_AGRICULTURAL_ACTIVITY",
            *_guessed("CROP_ACTIVITY", "AGRICULTURAL_ACTIVITY", "CROP"),
        ),
        _optional("WAGE_OFFER", *_guessed("WAGE_RATE", "RATE")),
        _optional("PER", *_guessed("WAGE_PER", "UNIT_OF_PAY", "RATE_PER")),
        _optional("PIECE_RATE_UNITS_SPECIAL_PAY", *_guessed("PIECE_RATE_UNIT", "SPECIAL_PAY")),
    ),
    ignored=("JOB_ORDER_NUMBER", "CROP_ID"),
)
HOUSING_LAYOUT = Layout(
    HOUSING,
    (
        _required("CASE_NUMBER", *_guessed("CASE_NO")),
        _optional(
            "PHYSICAL_LOCATION_ADDRESS1", *_guessed("PHYSICAL_LOCATION_ADDRESS", "HOUSING_ADDRESS")
        ),
        _optional("PHYSICAL_LOCATION_STATE", *_guessed("HOUSING_STATE")),
        _optional("TOTAL_OCCUPANCY", *_guessed("HOUSING_TOTAL_OCCUPANCY")),
        _optional("TYPE_OF_HOUSING", *_guessed("HOUSING_TYPE")),
        _optional("PHYSICAL_LOCATION_ADDRESS2"),
        _optional("PHYSICAL_LOCATION_CITY", *_guessed("HOUSING_CITY")),
        _optional("PHYSICAL_LOCATION_COUNTY", *_guessed("HOUSING_COUNTY")),
        _optional("ADDITIONAL_HOUSING_INFORMATION", ("ADDITIONAL_HOUSING_INFO", FY2020)),
    ),
    ignored=(
        "JOB_ORDER_NUMBER", "PHYSICAL_LOCATION_POSTAL_CODE", "TOTAL_UNITS",
        # FY2020 Q2 spells them HOUSING_STANDARD_*: the same key once normalised.
        "HOUSING_STANDARDS_LOCAL", "HOUSING_STANDARDS_STATE", "HOUSING_STANDARDS_FEDERAL",
    ),
)  # fmt: skip
PLACES_LAYOUT = Layout(
    PLACES,
    (
        _required("CASE_NUMBER", *_guessed("CASE_NO")),
        _required("NAME_OF_AGRICULTURAL_BUSINESS", *_guessed("AGRICULTURAL_BUSINESS_NAME")),
        _optional("PLACE_OF_EMPLOYMENT_ADDRESS1", *_guessed("PLACE_OF_EMPLOYMENT_ADDRESS")),
        _optional("PLACE_OF_EMPLOYMENT_STATE"),
        _optional("PLACE_OF_EMPLOYMENT_ADDRESS2"),
        _optional("PLACE_OF_EMPLOYMENT_CITY"),
        _optional("PLACE_OF_EMPLOYMENT_POST_CODE", ("PLACE_OF_EMPLOYMENT_POSTAL_CODE", FY2020)),
        _optional(
            "ADDITIONAL_PLACE_OF_EMPLOYMENT_INFORMATION", ("ADD_PLACE_OF_EMPLOYMENT_INFO", FY2020)
        ),
        _optional("REQUESTED_BEGIN_DATE", *_guessed("BEGIN_DATE")),
        _optional("REQUESTED_END_DATE", *_guessed("END_DATE")),
        _optional("TOTAL_WORKERS", *_guessed("WORKERS_REQUESTED")),
    ),
    ignored=("JOB_ORDER_NUMBER",),
)
LAYOUTS: Mapping[str, Layout] = {
    layout.file: layout for layout in (CASES_LAYOUT, CROPS_LAYOUT, HOUSING_LAYOUT, PLACES_LAYOUT)
}


@dataclass(frozen=True)
class Problem:
    """Something that could not be imported as filed: where, and what a person can check."""

    file: str
    line: int
    column: str | None
    message: str


@dataclass(frozen=True)
class FileColumns:
    """Where each column is in one file, the columns nobody here knows, and the known columns
    the file lacks (each with the spellings tried)."""

    file: str
    positions: dict[str, int]
    unknown: tuple[str, ...]
    not_found: tuple[str, ...] = ()


def _tried(column: Column) -> str:
    return f"{column.name} (tried {', '.join(column.spellings)})"


def map_columns(layout: Layout, header: Sequence[str]) -> FileColumns:
    """Find each column by meaning; refuse a file without a required column, naming it with
    the spellings tried."""
    by_key = layout.by_key()
    ignored = {header_key(name) for name in layout.ignored}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for position, spelled in enumerate(header):
        key = header_key(spelled)
        column = by_key.get(key)
        if column is not None and column.name not in positions:
            positions[column.name] = position
        elif key not in ignored and spelled.strip():
            unknown.append(spelled.strip())
    absent = [column for column in layout.columns if column.name not in positions]
    missing = [column for column in absent if column.required]
    if missing:
        names = ", ".join(column.name for column in missing)
        raise InvalidInput(
            f"{layout.file} lacks the required column{'s' if len(missing) > 1 else ''} {names}.",
            [
                FieldProblem(layout.file, f"missing the required column {_tried(column)}")
                for column in missing
            ],
        )
    return FileColumns(
        layout.file, positions, tuple(unknown), tuple(_tried(column) for column in absent)
    )


@dataclass(frozen=True)
class SourceRow:
    """One record of a file: its first line, and its text under the fiscal 2022 column names."""

    file: str
    line: int
    values: dict[str, str]

    def text(self, column: str) -> str:
        return self.values.get(column, "")


def _decoded(lines: Iterable[str], file: str) -> Iterator[str]:
    try:
        yield from lines
    except UnicodeDecodeError as error:
        raise InvalidInput.of_field(file, f"{file} is not UTF-8 text ({error.reason}).") from error


def open_file(layout: Layout, lines: Iterable[str]) -> tuple[FileColumns, Iterator[SourceRow]]:
    """Read the header now (so that a missing column stops everything before any row is read),
    and give the rows one at a time. Open files with `newline=""`: quoted line breaks stay
    inside their field."""
    reader = csv.reader(_decoded(lines, layout.file))
    header = next(reader, None)
    if header is None:
        raise InvalidInput.of_field(layout.file, f"{layout.file} is empty.")
    if header:
        header[0] = header[0].lstrip("\ufeff")
    columns = map_columns(layout, header)

    def rows() -> Iterator[SourceRow]:
        previous = reader.line_num
        for fields in reader:
            first_line, previous = previous + 1, reader.line_num
            if not any(value.strip() for value in fields):
                continue
            yield SourceRow(
                layout.file,
                first_line,
                {
                    name: fields[position].strip()
                    for name, position in columns.positions.items()
                    if position < len(fields)
                },
            )

    return columns, rows()


# ---------------------------------------------------------------------------------------------
# Values as the disclosure files write them

_STATE_NAMES = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
    "COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
    "FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
    "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
    "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
    "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
    "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY",
    "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR",
    "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
    "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA",
    "WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
    "PUERTO RICO": "PR", "VIRGIN ISLANDS": "VI", "US VIRGIN ISLANDS": "VI", "GUAM": "GU",
    "NORTHERN MARIANA ISLANDS": "MP",
}  # fmt: skip
_STATE_CODES = frozenset(get_args(UsState))
_COUNTRIES = {"UNITED STATES OF AMERICA": "US", "UNITED STATES": "US", "USA": "US", "US": "US",
              "MEXICO": "MX", "CANADA": "CA"}  # fmt: skip
_WAGE_UNITS: dict[str, WageUnit] = {
    "HOUR": "hour", "HOURLY": "hour", "PER HOUR": "hour", "HR": "hour",
    "WEEK": "week", "WEEKLY": "week", "PER WEEK": "week",
    "MONTH": "month", "MONTHLY": "month", "PER MONTH": "month",
    "PIECE": "piece", "PIECE RATE": "piece", "PIECE RATES": "piece", "PER PIECE": "piece",
}  # fmt: skip
_YES = frozenset({"Y", "YES", "TRUE", "1"})
_NO = frozenset({"N", "NO", "FALSE", "0"})
_SOC = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
# '1st and 15th', '15/last day', 'First & 15th', '5th and 20th': two paydays a month.
_TWO_PAYDAYS = re.compile(r"\b(\d{1,2}(ST|ND|RD|TH)?|FIRST) (AND )?(\d{1,2}(ST|ND|RD|TH)?|LAST)\b")


def _words(text: str) -> str:
    """Upper case, no accents, letters and digits separated by single spaces."""
    return " ".join(re.sub(r"[^0-9A-Z]+", " ", plain_upper(text)).split())


def clean_text(text: str) -> str:
    """Free text on one line: whitespace collapsed, and without the apostrophe that spreadsheet
    exports put before text that looks like a formula."""
    return " ".join(text.split()).lstrip("'").strip()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def us_state(text: str) -> str | None:
    """'FL', 'fl' and 'FLORIDA' give 'FL'; anything else None."""
    words = _words(text)
    if words in _STATE_CODES:
        return words
    return _STATE_NAMES.get(words)


def name_key(name: str) -> str:
    """What growers and contractors are matched on, with the state: the holder's normalised
    name (recruitment.verification.normalise_holder_name), or the bare words when that is
    empty."""
    return normalise_holder_name(name) or _words(name)


def _dollars(text: str) -> Decimal:
    try:
        amount = Decimal(text.replace("$", "").replace(",", "").strip())
    except InvalidOperation as error:
        raise ValueError(f"{text!r} is not an amount") from error
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{text!r} is not an amount")
    return amount


def dollars_to_money(text: str) -> Money:
    """'11.88' gives 1188 cents."""
    cents = (_dollars(text) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Money(amount=int(cents), currency="USD")


def disclosure_date(text: str) -> date:
    """'2022-01-01 00:00:00' (fiscal 2022) or 1/15/2022 (US order, as DOL writes dates)."""
    text = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text[:10])
    return parse_us_date(text.split()[0] if text else text)


def wage_unit(text: str) -> WageUnit | None:
    return _WAGE_UNITS.get(_words(text))


def pay_frequency(frequency: str, other: str = "") -> PayFrequency | None:
    """The form's choice, or what 'Other' spells out; None when it is not one of ours (a
    'bi-monthly' could be twice a month or every two months: not guessed)."""
    for text in (frequency, other):
        words = _words(text)
        if not words or words == "OTHER":
            continue
        if re.search(r"\bBI ?MONTHLY\b", words):
            return None
        if re.search(r"\b(SEMI ?MONTH\w*|TWICE (A |PER )?MONT\w*)", words) or _TWO_PAYDAYS.search(
            words
        ):
            return "semimonthly"
        if re.search(r"\b(BI ?WEEKLY|EVERY (OTHER|TWO) WEEKS?)\b", words):
            return "biweekly"
        if re.search(r"\bWEEKLY\b", words):
            return "weekly"
        if re.search(r"\bMONTHLY\b", words):
            return "monthly"
        return None
    return None


_HOUSING_MEANINGS: tuple[tuple[re.Pattern[str], HousingType], ...] = (
    (re.compile(r"\b(HOTELS?|MOTELS?|INNS?|LODGES?|EXTENDED STAY|SUITES)\b"), "hotel_motel"),
    (re.compile(r"\b(PUBLIC HOUSING|HOUSING AUTHORITY)\b"), "public_housing"),
    (
        re.compile(r"\b(RENT|RENTS|RENTED|RENTAL|RENTALS|LEASE|LEASED|LANDLORD)\b"),
        "rented",
    ),
    (
        re.compile(
            r"\b(OWNED|EMPLOYER S|EMPLOYERS|COMPANY|FARM HOUSING|GROWER S|ON THE FARM|ON SITE"
            r"|ONSITE)\b"
        ),
        "employer_owned",
    ),
)


def housing_type(*descriptions: str) -> HousingType:
    """The form's free text in our categories, by what it means: a motel or inn, public
    housing, rented or leased housing, or housing the employer owns (company or farm housing,
    on site). The first description that says wins. A labor camp may be the employer's or a
    housing authority's, and a bare 'House' or 'Trailer' says nothing of who owns it: they
    stay 'other', with the text kept as the description."""
    for text in descriptions:
        words = _words(text)
        for pattern, meaning in _HOUSING_MEANINGS:
            if pattern.search(words):
                return meaning
    return "other"


def case_status(text: str) -> CaseStatus | None:
    """'Determination Issued - Certification' (FY2022) or 'DETERMINATION ISSUED - PARTIAL
    CERTIFICATION' (FY2018) give 'certified' or 'partial'; None when it says none of the five."""
    words = _words(text)
    for word, status in _CASE_STATUS_WORDS:
        if re.search(rf"\b{word}\b", words):
            return status
    return None


_CASE_STATUS_WORDS: tuple[tuple[str, CaseStatus], ...] = (
    ("PARTIAL", "partial"),
    ("EXPIRED", "expired"),
    ("DENIED|DENIAL", "denied"),
    ("WITHDRAWN|WITHDRAWAL", "withdrawn"),
    ("CERTIFICATION|CERTIFIED", "certified"),
)
# 'per hour', '/hour', 'an hour', 'hourly': an hourly wage filed in the piece-rate column.
_HOURLY = re.compile(r"\b(PER|AN|A) HOUR\b|\bHOURLY\b|\bHR\b|/ ?H(OU)?R\b")
_PIECE_WORDS = re.compile(
    r"\b(BUCKETS?|BINS?|BOX(ES)?|BUSHELS?|BU|LBS?|POUNDS?|TREES?|ROWS?|CRATES?|FLATS?|TRAYS?"
    r"|TONS?|PLANTS?|PIECES?|CARTONS?|SACKS?|BAGS?|DOZEN|HEADS?|ACRES?)\b"
)


def is_hourly_wage(unit_text: str) -> bool:
    """'$11.81 per hour' or 'per hour when working in NC' in the piece-rate unit: a wage by the
    hour, not a piece rate; 'per bucket, (17 buckets/hour)' stays a piece rate."""
    upper = plain_upper(unit_text)
    return bool(_HOURLY.search(upper)) and not _PIECE_WORDS.search(_words(unit_text))


# ---------------------------------------------------------------------------------------------
# One case


@dataclass(frozen=True)
class Employer:
    """Who filed the case: a grower, or an H-2A labor contractor."""

    name: str
    trade_name: str | None
    street: str
    city: str
    state: str
    postal_code: str
    country: str
    fein: str | None

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True)
class PlaceOfEmployment:
    """A fixed-site agricultural business an H-2A labor contractor supplies (Addendum B)."""

    line: int
    business: str
    address: str
    city: str | None
    state: str
    postal_code: str | None
    begin: date | None
    end: date | None
    workers: int | None
    information: str | None

    @property
    def key(self) -> str:
        return name_key(self.business)

    def as_json(self) -> dict[str, Any]:
        return {
            "business": self.business,
            "address": self.address,
            "city": self.city,
            "state": self.state,
            "postal_code": self.postal_code,
            "begin": self.begin.isoformat() if self.begin else None,
            "end": self.end.isoformat() if self.end else None,
            "workers": self.workers,
            "information": self.information,
        }


@dataclass(frozen=True)
class DisclosureCase:
    case_number: str
    line: int
    employer: Employer
    h2a_labor_contractor: bool
    terms: JobOrderTerms
    # For an H-2A labor contractor's case, where it places workers; otherwise the places of
    # employment are worksites in the terms.
    placements: tuple[PlaceOfEmployment, ...]
    problems: tuple[Problem, ...]
    status: CaseStatus | None = None
    # The old form (FY2018) lists an association's members as `SUB` rows under the
    # association's case number: each member is a grower with a job order of its own.
    association_member: bool = False


@dataclass
class _Reader:
    """Reads one row's values, noting every problem instead of stopping at the first."""

    row: SourceRow
    problems: list[Problem] = field(default_factory=list)

    def note(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.row.file, self.row.line, column, message))

    def text(self, column: str, limit: int = SHORT) -> str | None:
        value = clean_text(self.row.text(column))
        return _cut(value, limit) if value else None

    def money(self, column: str) -> Money | None:
        value = self.row.text(column)
        if not value:
            return None
        try:
            return dollars_to_money(value)
        except ValueError as error:
            self.note(column, str(error))
            return None

    def date(self, column: str) -> date | None:
        value = self.row.text(column)
        if not value:
            return None
        try:
            return disclosure_date(value)
        except ValueError as error:
            self.note(column, str(error))
            return None

    def number(self, column: str, *, low: float, high: float) -> float | None:
        value = self.row.text(column)
        if not value:
            return None
        try:
            number = float(_dollars(value))
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            self.note(column, f"{value!r} is not a number from {low:g} to {high:g}")
            return None
        return number

    def count(self, column: str, *, low: int) -> int | None:
        value = self.row.text(column)
        if not value:
            return None
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value() or not low <= number <= 10**6:
            self.note(column, f"{value!r} is not a whole number of at least {low}: left out")
            return None
        return int(number)

    def flag(self, column: str) -> bool | None:
        value = _words(self.row.text(column))
        if value in _YES or value in _NO:
            return value in _YES
        if value:
            self.note(column, f"{self.row.text(column)!r} is neither Y nor N")
        return None

    def state(self, column: str) -> str | None:
        value = self.row.text(column)
        if not value:
            return None
        state = us_state(value)
        if state is None:
            self.note(column, f"{value!r} is not a US state or territory")
        return state

    def valid(self, model: type[Any], column: str | None, **values: Any) -> Any:
        try:
            return model(**values)
        except ValidationError as error:
            self.note(column, readable_message(error.errors()[0]))
            return None


def _address(reader: _Reader, first: str, second: str) -> str | None:
    parts = [part for part in (reader.text(first), reader.text(second)) if part]
    return _cut(", ".join(parts), SHORT) if parts else None


def _employer(reader: _Reader) -> Employer | None:
    name = reader.text("EMPLOYER_NAME")
    if name is None:
        reader.note("EMPLOYER_NAME", "is empty: the case has no employer")
    state = reader.state("EMPLOYER_STATE")
    if state is None:
        state = us_state(reader.row.text("WORKSITE_STATE"))
        if state is not None:
            reader.note("EMPLOYER_STATE", f"no US state: the worksite's ({state}) is used")
    if state is None:
        reader.note("EMPLOYER_STATE", "no US state, here or at the worksite")
    fein = None
    if reader.row.text("EMPLOYER_FEIN"):
        try:
            fein = str(ein.format(ein.validate(reader.row.text("EMPLOYER_FEIN"))))
        except StdnumValidationError as error:
            reader.note("EMPLOYER_FEIN", f"not a valid FEIN ({error})")
    if name is None or state is None:
        return None
    country = _COUNTRIES.get(_words(reader.row.text("EMPLOYER_COUNTRY")), "US")
    return Employer(
        name=name,
        trade_name=reader.text("TRADE_NAME_DBA"),
        street=reader.text("EMPLOYER_ADDRESS_1") or reader.text("EMPLOYER_ADDRESS_2") or "",
        city=_cut(reader.text("EMPLOYER_CITY") or "", 100),
        state=state,
        postal_code=(reader.text("EMPLOYER_POSTAL_CODE") or "")[:10],
        country=country,
        fein=fein,
    )


def _schedule(reader: _Reader) -> str | None:
    begin, end = reader.text("HOURLY_SCHEDULE_BEGIN"), reader.text("HOURLY_SCHEDULE_END")
    hours = []
    for day in _WEEKDAYS:
        value = clean_text(reader.row.text(f"{day}_HOURS"))
        if value and value not in ("0", "0.0", "0.00"):
            hours.append(f"{day[:3].title()} {value}")
    parts = [f"{begin} to {end}" if begin and end else begin or end, ", ".join(hours) or None]
    text = "; ".join(part for part in parts if part)
    return _cut(text, SHORT) if text else None


def _employer_phone(reader: _Reader) -> str | None:
    """The employer's phone as a worker abroad dials it (+1 ...), with its extension; as filed
    when it is not a valid number."""
    filed = reader.text("EMPLOYER_PHONE")
    if filed is None:
        return None
    try:
        number = phonenumbers.parse(filed, "US")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        filed = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    extension = reader.text("EMPLOYER_PHONE_EXT")
    return f"{filed} ext. {extension}" if extension else filed


def _case_housing(reader: _Reader) -> Housing | None:
    address = reader.text("HOUSING_ADDRESS_LOCATION")
    if address is None:
        return None
    return _housing(reader, "HOUSING_ADDRESS_LOCATION", address, "HOUSING_CITY", "HOUSING_STATE")


def _addendum_housing(row: SourceRow, problems: list[Problem]) -> Housing | None:
    reader = _Reader(row, problems)
    address = _address(reader, "PHYSICAL_LOCATION_ADDRESS1", "PHYSICAL_LOCATION_ADDRESS2")
    if address is None:
        reader.note("PHYSICAL_LOCATION_ADDRESS1", "is empty: the housing is left out")
        return None
    return _housing(
        reader, "PHYSICAL_LOCATION_ADDRESS1", address, "PHYSICAL_LOCATION_CITY",
        "PHYSICAL_LOCATION_STATE", row.text("ADDITIONAL_HOUSING_INFORMATION"),
    )  # fmt: skip


def _housing(
    reader: _Reader,
    address_column: str,
    address: str,
    city_column: str,
    state_column: str,
    more: str = "",
) -> Housing | None:
    """Housing as the case form and Addendum B both describe it, each in its own columns."""
    capacity = reader.count("TOTAL_OCCUPANCY", low=1)
    if capacity is None:
        if not reader.row.text("TOTAL_OCCUPANCY"):
            reader.note("TOTAL_OCCUPANCY", "is empty: the housing is left out")
        return None
    description = reader.text("TYPE_OF_HOUSING")
    housing: Housing | None = reader.valid(
        Housing,
        address_column,
        type=housing_type(description or "", more),
        description=description,
        address=address,
        city=reader.text(city_column),
        state=reader.state(state_column),
        capacity=capacity,
        # 20 CFR 655.122(d)(1): H-2A housing is at no cost to the worker; the form attests it.
        at_no_cost=True,
    )
    return housing


@dataclass
class _CropWages:
    activities: list[str] = field(default_factory=list)
    piece_rates: list[PieceRate] = field(default_factory=list)
    activity_wages: list[ActivityWage] = field(default_factory=list)


def _crop_wages(rows: Sequence[SourceRow], problems: list[Problem]) -> _CropWages:
    found = _CropWages()
    seen: set[str] = set()
    for row in rows:
        reader = _Reader(row, problems)
        activity = reader.text("CROP_AGRICULTURAL_ACTIVITY")
        if activity is None:
            reader.note("CROP_AGRICULTURAL_ACTIVITY", "is empty: the row is left out")
            continue
        if activity.casefold() not in seen:
            seen.add(activity.casefold())
            found.activities.append(activity)
        rate = reader.money("WAGE_OFFER")
        unit = wage_unit(row.text("PER"))
        if unit is None:
            reader.note("PER", f"{row.text('PER')!r} is not hour, week, month or piece rate")
        if rate is None or unit is None:
            if rate is None and not row.text("WAGE_OFFER"):
                reader.note("WAGE_OFFER", "is empty: the wage is left out")
            continue
        special = clean_text(row.text("PIECE_RATE_UNITS_SPECIAL_PAY"))
        if unit == "piece":
            found.piece_rates.append(
                PieceRate(
                    crop_or_activity=activity, unit=_cut(special, SHORT) or "piece", rate=rate
                )
            )
        else:
            found.activity_wages.append(
                ActivityWage(
                    crop_or_activity=activity,
                    rate=rate,
                    unit=unit,
                    note=_cut(special, LONG) or None,
                )
            )
    return found


def _place(
    row: SourceRow, fallback_state: str | None, problems: list[Problem]
) -> PlaceOfEmployment | None:
    reader = _Reader(row, problems)
    business = reader.text("NAME_OF_AGRICULTURAL_BUSINESS")
    address = _address(reader, "PLACE_OF_EMPLOYMENT_ADDRESS1", "PLACE_OF_EMPLOYMENT_ADDRESS2")
    if business is None or address is None:
        reader.note(
            "NAME_OF_AGRICULTURAL_BUSINESS" if business is None else "PLACE_OF_EMPLOYMENT_ADDRESS1",
            "is empty: the place of employment is left out",
        )
        return None
    state = reader.state("PLACE_OF_EMPLOYMENT_STATE")
    if state is None:
        if fallback_state is None:
            reader.note("PLACE_OF_EMPLOYMENT_STATE", "no US state: the place is left out")
            return None
        reader.note(
            "PLACE_OF_EMPLOYMENT_STATE", f"no US state: the case's ({fallback_state}) is used"
        )
        state = fallback_state
    begin, end = reader.date("REQUESTED_BEGIN_DATE"), reader.date("REQUESTED_END_DATE")
    return PlaceOfEmployment(
        line=row.line,
        business=business,
        address=address,
        city=reader.text("PLACE_OF_EMPLOYMENT_CITY"),
        state=state,
        postal_code=(reader.text("PLACE_OF_EMPLOYMENT_POST_CODE") or "")[:10] or None,
        begin=begin,
        end=end,
        workers=reader.count("TOTAL_WORKERS", low=0),
        information=reader.text("ADDITIONAL_PLACE_OF_EMPLOYMENT_INFORMATION", 1000),
    )


def _capped(items: list[Any], limit: int, what: str, reader: _Reader) -> list[Any]:
    if len(items) > limit:
        reader.note(None, f"{len(items)} {what}: the terms hold {limit}, the rest are left out")
    return items[:limit]


def read_case(
    case: SourceRow,
    crops: Sequence[SourceRow] = (),
    housing: Sequence[SourceRow] = (),
    places: Sequence[SourceRow] = (),
) -> DisclosureCase | tuple[Problem, ...]:
    """One case with its addenda rows, as job-order terms; or, when it can't be imported at
    all (no case number, no employer, no state, no H-2A labor contractor answer), why not.

    A value that can't be read leaves its term empty and is reported: whether the terms are
    complete is the TERMS_INCOMPLETE rule's business, not the import's.
    """
    reader = _Reader(case)
    case_number = reader.text("CASE_NUMBER", 40)
    if case_number is None:
        reader.note("CASE_NUMBER", "is empty: the row is left out")
    employer = _employer(reader)
    member = _words(case.text("PRIMARY/SUB")) == "SUB"
    contractor = False if member else _contractor_answer(reader)
    if case_number is None or employer is None or contractor is None:
        return tuple(reader.problems)

    problems = reader.problems
    start, end = reader.date("EMPLOYMENT_BEGIN_DATE"), reader.date("EMPLOYMENT_END_DATE")
    if start and end and end < start:
        reader.note("EMPLOYMENT_END_DATE", f"{end} is before the beginning {start}: no period")
        start = end = None
    soc_code = reader.text("SOC_CODE")
    if soc_code is not None and not _SOC.match(soc_code):
        reader.note("SOC_CODE", f"{soc_code!r} is not an SOC code as NN-NNNN or NN-NNNN.NN")
        soc_code = None
    wage_offer = reader.money("WAGE_OFFER")
    unit = wage_unit(case.text("PER"))
    if unit is None and case.text("PER"):
        reader.note("PER", f"{case.text('PER')!r} is not hour, week, month or piece rate")
    job_title = reader.text("JOB_TITLE")

    crop_wages = _crop_wages(crops, problems)
    piece_rates = list(crop_wages.piece_rates)
    activity_wages = list(crop_wages.activity_wages)
    piece_offer = reader.money("PIECE_RATE_OFFER")
    piece_unit = reader.text("PIECE_RATE_UNIT")
    if piece_offer is not None and piece_offer.amount > 0:
        activity = job_title or "All crops and activities"
        if piece_unit and is_hourly_wage(piece_unit):
            activity_wages.insert(
                0,
                ActivityWage(
                    crop_or_activity=activity,
                    rate=piece_offer,
                    unit="hour",
                    note=f"Filed as a piece rate: {piece_unit}",
                ),
            )
        else:
            piece_rates.insert(
                0,
                PieceRate(crop_or_activity=activity, unit=piece_unit or "piece", rate=piece_offer),
            )

    worksites: list[Worksite] = []
    worksite_state = reader.state("WORKSITE_STATE")
    worksite_address = reader.text("WORKSITE_ADDRESS")
    if worksite_address and worksite_state:
        site = reader.valid(
            Worksite,
            "WORKSITE_ADDRESS",
            address=worksite_address,
            city=reader.text("WORKSITE_CITY"),
            state=worksite_state,
            county=reader.text("WORKSITE_COUNTY"),
        )
        if site is not None:
            worksites.append(site)
    placements: list[PlaceOfEmployment] = []
    for row in places:
        place = _place(row, worksite_state or employer.state, problems)
        if place is None:
            continue
        if contractor:
            placements.append(place)
        else:
            worksites.append(
                Worksite.model_validate(
                    {
                        "name": place.business,
                        "address": place.address,
                        "city": place.city,
                        "state": place.state,
                    }
                )
            )
    additional_housing = [h for h in (_addendum_housing(row, problems) for row in housing) if h]

    meals = None
    provided = reader.flag("MEALS_PROVIDED")
    if provided is not None:
        meals = Meals(
            arrangement="provided" if provided else "kitchen",
            charge_per_day=reader.money("MEALS_CHARGE") if provided else None,
        )
    deductions_text = reader.text("DEDUCTIONS_FROM_PAY", LONG)
    terms = reader.valid(
        JobOrderTerms,
        None,
        case_number=case_number,
        job_order_number=reader.text("JOB_ORDER_NUMBER"),
        soc_code=soc_code,
        job_title=job_title,
        duties=reader.text("JOB_DUTIES", LONG),
        crops_activities=_capped(crop_wages.activities, 1000, "crops and activities", reader),
        worksites=_capped(worksites, 2000, "worksites", reader),
        period_start=start,
        period_end=end,
        hours_per_week=reader.number("ANTICIPATED_NUMBER_OF_HOURS", low=0.5, high=100),
        daily_schedule=_schedule(reader),
        wage_offer=wage_offer,
        wage_unit=unit,
        piece_rates=_capped(piece_rates, 2000, "piece rates", reader),
        activity_wages=_capped(activity_wages, 2000, "activity wages", reader),
        pay_frequency=_frequency(reader),
        deductions=[
            Deduction(description="Deductions from pay, as filed with DOL", basis=deductions_text)
        ]
        if deductions_text
        else [],
        housing=_case_housing(reader),
        additional_housing=_capped(additional_housing, 500, "further housing sites", reader),
        meals=meals,
        employer_phone=_employer_phone(reader),
    )
    if terms is None:
        return tuple(problems)
    return DisclosureCase(
        case_number=case_number,
        line=case.line,
        employer=employer,
        h2a_labor_contractor=contractor,
        terms=terms,
        placements=tuple(placements),
        problems=tuple(problems),
        status=_status(reader),
        association_member=member,
    )


def _contractor_answer(reader: _Reader) -> bool | None:
    """Y or N (FY2022), or the old form's ORGANIZATION_FLAG: 'H-2A Labor Contractor or Job
    Contractor' is a contractor, an individual employer or an association is not."""
    text = reader.row.text("H2A_LABOR_CONTRACTOR")
    words = _words(text)
    if not words:
        reader.note("H2A_LABOR_CONTRACTOR", "is empty: whether a contractor filed is unknown")
        return None
    if words in _YES or words in _NO:
        return words in _YES
    if "LABOR CONTRACTOR" in words or "JOB CONTRACTOR" in words:
        return True
    if re.search(r"\b(INDIVIDUAL|ASSOCIATION|EMPLOYER)\b", words):
        return False
    reader.note("H2A_LABOR_CONTRACTOR", f"{text!r} is neither Y nor N nor a kind of employer")
    return None


def _status(reader: _Reader) -> CaseStatus | None:
    text = reader.row.text("CASE_STATUS")
    status = case_status(text)
    if status is None and text:
        reader.note(
            "CASE_STATUS", f"{text!r} is none of certified, partial, denied, withdrawn, expired"
        )
    return status


def _frequency(reader: _Reader) -> PayFrequency | None:
    stated, other = reader.row.text("FREQUENCY_OF_PAY"), reader.row.text("OTHER_FREQUENCY_OF_PAY")
    frequency = pay_frequency(stated, other)
    if frequency is None and (other or _words(stated) not in ("", "OTHER")):
        reader.note(
            "OTHER_FREQUENCY_OF_PAY" if other else "FREQUENCY_OF_PAY",
            f"{other or stated!r} is not weekly, biweekly, semimonthly or monthly",
        )
    return frequency


def with_addenda(
    terms: JobOrderTerms,
    crops: Sequence[SourceRow] = (),
    housing: Sequence[SourceRow] = (),
    places: Sequence[SourceRow] = (),
    *,
    contractor: bool,
) -> tuple[JobOrderTerms, tuple[PlaceOfEmployment, ...], tuple[Problem, ...]]:
    """A job order already on record with addenda that came without their case file (a period
    published as addenda alone): what they list is added to its terms, once (the same rows again
    add nothing), and a contractor's places of employment are its placements."""
    problems: list[Problem] = []
    found = _crop_wages(crops, problems)
    fallback = terms.worksites[0].state if terms.worksites else None
    worksites = list(terms.worksites)
    placements: list[PlaceOfEmployment] = []
    for row in places:
        place = _place(row, fallback, problems)
        if place is None:
            continue
        if contractor:
            placements.append(place)
        else:
            worksites.append(
                Worksite.model_validate(
                    {
                        "name": place.business,
                        "address": place.address,
                        "city": place.city,
                        "state": place.state,
                    }
                )
            )
    extra_housing = [h for h in (_addendum_housing(row, problems) for row in housing) if h]

    def added(old: Sequence[Any], new: Iterable[Any]) -> list[Any]:
        return [*old, *(item for item in new if item not in old)]

    updated = terms.model_copy(
        update={
            "crops_activities": added(terms.crops_activities, found.activities)[:1000],
            "piece_rates": added(terms.piece_rates, found.piece_rates)[:2000],
            "activity_wages": added(terms.activity_wages, found.activity_wages)[:2000],
            "worksites": added(terms.worksites, worksites)[:2000],
            "additional_housing": added(terms.additional_housing, extra_housing)[:500],
        }
    )
    return updated, tuple(placements), tuple(problems)
