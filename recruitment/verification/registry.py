"""The DOL farm labor contractor registry: parsing its CSV and checking a declared contractor.

The registry is the US DOL Wage and Hour Division's list of farm labor contractor certificates of
registration (public domain). Its CSV has the columns `Cert Num`, `FLC Business or FLC Individual`
(the holder's name, cut at 48 characters), `FLC Address`, `FLC City`, `FLC State`, `FLC Zip`,
`FLC Phone Number`, `Flc Bus Desc`, `Driving Authorization`, `Housing Authorization`,
`Transportation Authorization` (Y/N), `FLC Certificate Start Date` and
`FLC Certificate Valid Until` (M/D/YY or M/D/YYYY).

Parsing streams: one row at a time from any iterable of lines, yielding an entry or the row's
errors (line, column, message) so that one bad row never stops an import.
"""

import csv
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from recruitment.verification.facts import RegistryRecord

REGISTRY_SOURCE = "US DOL Wage and Hour Division, farm labor contractor registry (public domain)"

# The registry cuts holder names at this many characters, often in the middle of a DBA name.
HOLDER_NAME_FIELD_LENGTH = 48

COLUMN_CERTIFICATE = "Cert Num"
COLUMN_HOLDER = "FLC Business or FLC Individual"
COLUMN_ADDRESS = "FLC Address"
COLUMN_CITY = "FLC City"
COLUMN_STATE = "FLC State"
COLUMN_ZIP = "FLC Zip"
COLUMN_PHONE = "FLC Phone Number"
COLUMN_BUSINESS_KIND = "Flc Bus Desc"
COLUMN_DRIVING = "Driving Authorization"
COLUMN_HOUSING = "Housing Authorization"
COLUMN_TRANSPORTATION = "Transportation Authorization"
COLUMN_VALID_FROM = "FLC Certificate Start Date"
COLUMN_VALID_UNTIL = "FLC Certificate Valid Until"
REGISTRY_COLUMNS = (
    COLUMN_CERTIFICATE,
    COLUMN_HOLDER,
    COLUMN_ADDRESS,
    COLUMN_CITY,
    COLUMN_STATE,
    COLUMN_ZIP,
    COLUMN_PHONE,
    COLUMN_BUSINESS_KIND,
    COLUMN_DRIVING,
    COLUMN_HOUSING,
    COLUMN_TRANSPORTATION,
    COLUMN_VALID_FROM,
    COLUMN_VALID_UNTIL,
)

_YES = frozenset({"Y", "YES"})
_NO = frozenset({"N", "NO"})
# POSIX's pivot for two-digit years (as strptime's %y): 69-99 are 1969-1999, 00-68 are 2000-2068.
_TWO_DIGIT_YEAR_PIVOT = 69


@dataclass(frozen=True)
class RowError:
    """A row that could not be read: its line in the file (the header is line 1), the column when
    one is at fault, and a message a person can act on."""

    line: int
    column: str | None
    message: str


@dataclass(frozen=True)
class RegistryEntry:
    """One registry row: the certificate as the rules use it, and where the holder can be found."""

    record: RegistryRecord
    address: str
    city: str
    state: str
    zip_code: str
    phone: str
    business_kind: str
    line: int


def parse_us_date(text: str) -> date:
    """A registry date, M/D/YY or M/D/YYYY."""
    parts = text.strip().split("/")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ValueError(f"{text!r} is not a date as M/D/YY or M/D/YYYY")
    month, day, year = (int(part) for part in parts)
    if len(parts[2]) == 2:
        year += 2000 if year < _TWO_DIGIT_YEAR_PIVOT else 1900
    elif len(parts[2]) != 4:
        raise ValueError(f"{text!r} has a year of neither 2 nor 4 digits")
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a real date ({error})") from error


def normalise_certificate_number(number: str) -> str:
    return re.sub(r"\s+", "", number).upper()


def _header_key(column: str) -> str:
    return " ".join(column.split()).casefold()


class _RowReader:
    """Reads one row's fields by column name, collecting every error instead of stopping."""

    def __init__(self, fields: list[str], positions: dict[str, int], line: int) -> None:
        self.fields, self.positions, self.line = fields, positions, line
        self.errors: list[RowError] = []

    def text(self, column: str) -> str:
        position = self.positions[column]
        return self.fields[position].strip() if position < len(self.fields) else ""

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.errors.append(RowError(self.line, column, "is empty"))
        return value

    def flag(self, column: str) -> bool:
        value = self.text(column).upper()
        if value in _YES or value in _NO:
            return value in _YES
        self.errors.append(RowError(self.line, column, f"{value!r} is neither Y nor N"))
        return False

    def optional_date(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return parse_us_date(value)
        except ValueError as error:
            self.errors.append(RowError(self.line, column, str(error)))
            return None


def _column_positions(header: list[str], columns: Iterable[str]) -> dict[str, int] | RowError:
    found = {_header_key(name): position for position, name in enumerate(header)}
    missing = [column for column in columns if _header_key(column) not in found]
    if missing:
        return RowError(1, None, f"missing columns: {', '.join(missing)}")
    return {column: found[_header_key(column)] for column in columns}


def read_csv_rows(
    lines: Iterable[str], columns: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, int], list[str]] | RowError]:
    """The non-blank rows of a CSV with their line numbers, once the header names every column.

    Columns are found by name (case and spacing aside), so reordered exports still read. A row of
    empty fields carries nothing and is skipped.
    """
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        yield RowError(1, None, "the file is empty")
        return
    positions = _column_positions(header, columns)
    if isinstance(positions, RowError):
        yield positions
        return
    for fields in reader:
        if any(field.strip() for field in fields):
            yield reader.line_num, positions, fields


def parse_registry(lines: Iterable[str]) -> Iterator[RegistryEntry | RowError]:
    """Read a registry CSV from a text file object (or any iterable of lines), row by row.

    Open files with `newline=""` so that quoted line breaks stay inside their field.
    """
    for row in read_csv_rows(lines, REGISTRY_COLUMNS):
        if isinstance(row, RowError):
            yield row
            continue
        line, positions, fields = row
        reader = _RowReader(fields, positions, line)
        record = RegistryRecord(
            certificate_number=normalise_certificate_number(reader.required(COLUMN_CERTIFICATE)),
            holder_name=reader.required(COLUMN_HOLDER),
            valid_from=reader.optional_date(COLUMN_VALID_FROM),
            valid_until=reader.optional_date(COLUMN_VALID_UNTIL),
            authorized_to_house=reader.flag(COLUMN_HOUSING),
            authorized_to_transport=reader.flag(COLUMN_TRANSPORTATION),
            authorized_to_drive=reader.flag(COLUMN_DRIVING),
        )
        if record.valid_from and record.valid_until and record.valid_until < record.valid_from:
            reader.errors.append(
                RowError(line, COLUMN_VALID_UNTIL, "the certificate ends before it starts")
            )
        if reader.errors:
            yield from sorted(reader.errors, key=lambda error: positions.get(error.column or "", 0))
            continue
        yield RegistryEntry(
            record=record,
            address=reader.text(COLUMN_ADDRESS),
            city=reader.text(COLUMN_CITY),
            state=reader.text(COLUMN_STATE),
            zip_code=reader.text(COLUMN_ZIP),
            phone=reader.text(COLUMN_PHONE),
            business_kind=reader.text(COLUMN_BUSINESS_KIND),
            line=line,
        )


# Trade-name markers: the legal holder comes before, the trade name after.
_DOING_BUSINESS_AS = re.compile(r"\b(?:D\s*/\s*B\s*/\s*A|DBA|DOING BUSINESS AS)\b\s*:?")
# Legal forms that say nothing about who the holder is (US and Mexican), matched at the end.
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("INC",),
    ("INCORPORATED",),
    ("LLC",),
    ("LC",),
    ("LLP",),
    ("LP",),
    ("PLLC",),
    ("PC",),
    ("CORP",),
    ("CORPORATION",),
    ("CO",),
    ("COMPANY",),
    ("LTD",),
    ("LIMITED",),
    ("SA", "DE", "CV"),
    ("SAPI", "DE", "CV"),
    ("S", "DE", "RL", "DE", "CV"),
    ("S", "DE", "RL"),
    ("SA",),
    ("SC",),
    ("AC",),
)


def plain_upper(text: str) -> str:
    """Upper case without accents: 'Leaños' and 'LEANOS' read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).upper()


def _name_tokens(text: str) -> list[str]:
    # Dots and apostrophes join (L.L.C. is LLC, Int'l is INTL); other punctuation separates.
    joined = re.sub(r"[.'’`]", "", text.replace("&", " AND "))
    tokens = re.sub(r"[^0-9A-Z]+", " ", joined).split()
    stripped = True
    while stripped:
        stripped = False
        for form in _LEGAL_FORMS:
            if len(tokens) > len(form) and tuple(tokens[-len(form) :]) == form:
                del tokens[-len(form) :]
                stripped = True
    return tokens


# Every case re-verification compares the same few thousand names again and again.
@functools.lru_cache(maxsize=65_536)
def holder_name_variants(name: str) -> tuple[str, ...]:
    """The normalised names a holder goes by: the legal name, then the trade name after 'DBA'."""
    parts = _DOING_BUSINESS_AS.split(plain_upper(name), maxsplit=1)
    variants = (" ".join(_name_tokens(part)) for part in parts)
    return tuple(variant for variant in variants if variant)


def normalise_holder_name(name: str) -> str:
    """A holder's name compared without case, accents, punctuation, legal form or trade name.

    'S & P Conveyors, Inc.' gives 'S AND P CONVEYORS'; 'Maria G Simon DBA Rojas and Simon
    Harvesting LLC' gives 'MARIA G SIMON'; 'Leaños, Alfredo' gives 'LEANOS ALFREDO'.
    """
    variants = holder_name_variants(name)
    return variants[0] if variants else ""


def holder_names_match(
    declared: str, registered: str, *, registered_cut_at: int | None = None
) -> bool:
    """Whether two names designate the same holder.

    Either name may be the legal or the trade name. Word order is ignored because the registry
    writes individuals as 'LAST, FIRST'. When the source cuts names at `registered_cut_at`
    characters, a registered name of that length may have been cut: its last part then matches
    any name that begins with it.
    """
    declared_variants = holder_name_variants(declared)
    registered_variants = holder_name_variants(registered)
    declared_keys = {tuple(sorted(variant.split())) for variant in declared_variants}
    if any(tuple(sorted(variant.split())) in declared_keys for variant in registered_variants):
        return True
    if (
        registered_cut_at is not None
        and len(registered.strip()) >= registered_cut_at
        and registered_variants
    ):
        cut = registered_variants[-1]
        return any(variant.startswith(cut) for variant in declared_variants)
    return False


class DeclaredContractor(Protocol):
    """What a grower declared about a contractor (an `Intermediary` fits)."""

    @property
    def name(self) -> str: ...

    @property
    def certificate_number(self) -> str | None: ...


RegistryCheckStatus = Literal["found", "not_found", "name_mismatch"]


@dataclass(frozen=True)
class RegistryCheck:
    status: RegistryCheckStatus
    certificate_number: str | None
    declared_name: str
    registry_name: str | None
    message: str


def check_contractor(declared: DeclaredContractor, record: RegistryRecord | None) -> RegistryCheck:
    """Compare a declared contractor with the registry record found under its certificate number.

    `record` is what the caller found for the declared number (None: nothing). Passing a record
    for another number is a programming error and raises ValueError.
    """
    number = declared.certificate_number
    if number is None or not number.strip():
        return RegistryCheck(
            "not_found", None, declared.name, None, "no certificate number was declared"
        )
    number = normalise_certificate_number(number)
    if record is None:
        return RegistryCheck(
            "not_found",
            number,
            declared.name,
            None,
            f"certificate {number} is not in the DOL registry",
        )
    if normalise_certificate_number(record.certificate_number) != number:
        raise ValueError(f"record {record.certificate_number} checked against {number}")
    if not holder_names_match(
        declared.name, record.holder_name, registered_cut_at=HOLDER_NAME_FIELD_LENGTH
    ):
        return RegistryCheck(
            "name_mismatch",
            number,
            declared.name,
            record.holder_name,
            f"certificate {number} is held by {record.holder_name!r}, not {declared.name!r}",
        )
    return RegistryCheck(
        "found",
        number,
        declared.name,
        record.holder_name,
        f"certificate {number} is held by {record.holder_name!r}",
    )


# --- Linking a contractor to its certificate ---------------------------------------------------

LinkBasis = Literal["certificate_number", "name_and_state", "name_state_and_address"]
# Below this likeness of addresses, two holders sharing a name in a state are not told apart.
ADDRESS_LIKENESS_NEEDED = 0.6


@dataclass(frozen=True)
class ListedHolder:
    """A registry certificate as the linker needs it."""

    certificate_number: str
    holder_name: str
    state: str | None
    address: str | None
    valid_until: date | None


@dataclass(frozen=True)
class RegistryMatch:
    """The certificate a contractor was linked to, and why: the basis, a score from 0 to 1
    (1 for an exact certificate number or an exact normalised name; the address's likeness
    where the name is shared) and the evidence in words."""

    certificate_number: str
    basis: LinkBasis
    score: float
    evidence: str


# What a filer adds to its name to tell its filings apart: 'H2A Complete II, Inc. Petition #2',
# 'Citrus Harvesting, Inc. (Berry/Peas)', 'H2A COMPLETE II, INC. #3'.
_FILING_SUFFIX = re.compile(r"\s*(\([^)]*\)|\bPETITION\s*#?\s*\d+|#\s*\d+)\s*$", re.IGNORECASE)


def without_filing_suffix(name: str) -> str:
    previous = None
    while previous != name:
        previous, name = name, _FILING_SUFFIX.sub("", name)
    return name


def name_keys(name: str) -> frozenset[tuple[str, ...]]:
    """A holder's normalised names (legal and trade), each as its sorted words: the registry
    writes individuals 'LAST, FIRST'. A filing's own suffix ('#2', '(Berry/Peas)') is no part
    of the name."""
    return frozenset(
        tuple(sorted(variant.split()))
        for variant in holder_name_variants(without_filing_suffix(name))
    )


def _address_words(address: str | None) -> str:
    return " ".join(re.sub(r"[^0-9A-Z]+", " ", plain_upper(address or "")).split())


def address_likeness(first: str | None, second: str | None) -> float:
    """How alike two street addresses are, 0 to 1, without case or punctuation."""
    a, b = _address_words(first), _address_words(second)
    if not a or not b:
        return 0.0
    return round(difflib.SequenceMatcher(None, a, b).ratio(), 3)


class RegistryIndex:
    """The registry's certificates by number and by (normalised name, state)."""

    def __init__(self, holders: Iterable[ListedHolder]) -> None:
        self.by_number: dict[str, ListedHolder] = {}
        self.by_name: dict[tuple[tuple[str, ...], str], list[ListedHolder]] = {}
        # Names the registry cut at HOLDER_NAME_FIELD_LENGTH: their beginning, by state.
        self.cut: dict[str, list[tuple[str, ListedHolder]]] = {}
        for holder in holders:
            self.by_number[normalise_certificate_number(holder.certificate_number)] = holder
            for key in name_keys(holder.holder_name):
                self.by_name.setdefault((key, holder.state or ""), []).append(holder)
            variants = holder_name_variants(holder.holder_name)
            if len(holder.holder_name.strip()) >= HOLDER_NAME_FIELD_LENGTH and variants:
                self.cut.setdefault(holder.state or "", []).append((variants[-1], holder))

    def _by_name(self, name: str, state: str | None) -> dict[str, ListedHolder]:
        found = {
            holder.certificate_number: holder
            for key in name_keys(name)
            for holder in self.by_name.get((key, state or ""), [])
        }
        if found:
            return found
        variants = holder_name_variants(without_filing_suffix(name))
        return {
            holder.certificate_number: holder
            for beginning, holder in self.cut.get(state or "", [])
            if any(variant.startswith(beginning) for variant in variants)
        }

    def match(
        self, name: str, state: str | None, address: str | None, certificate_number: str | None
    ) -> RegistryMatch | str:
        """The contractor's certificate: by its number when it has one in the registry, else
        by its normalised name in its state, and by address where holders share the name.
        When there is none, why not (for the import's report)."""
        if certificate_number:
            found = self.by_number.get(normalise_certificate_number(certificate_number))
            if found is not None:
                return RegistryMatch(
                    found.certificate_number,
                    "certificate_number",
                    1.0,
                    f"certificate {found.certificate_number} is in the registry, held by "
                    f"{found.holder_name}",
                )
        candidates = self._by_name(name, state)
        if not candidates:
            return f"no certificate in the registry for this name in {state or 'no state'}"
        # One holder may have several certificates (renewals) at one address: the latest.
        holders = sorted(
            candidates.values(),
            key=lambda h: (h.valid_until or date.min, h.certificate_number),
            reverse=True,
        )
        places = {_address_words(holder.address) for holder in holders}
        if len(places) == 1:
            chosen = holders[0]
            return RegistryMatch(
                chosen.certificate_number,
                "name_and_state",
                1.0,
                f"the registry's {chosen.holder_name} ({chosen.state}) has the same normalised "
                f"name in the same state"
                + (f"; latest of {len(holders)} certificates" if len(holders) > 1 else ""),
            )
        scored = sorted(
            ((address_likeness(address, h.address), h) for h in holders),
            key=lambda pair: pair[0],
            reverse=True,
        )
        best_score, best = scored[0]
        if best_score < ADDRESS_LIKENESS_NEEDED:
            return (
                f"{len(places)} holders in {state} share this name and the address "
                f"({address or 'none'}) tells none apart"
            )
        return RegistryMatch(
            best.certificate_number,
            "name_state_and_address",
            best_score,
            f"{len(places)} holders in {state} share the name; {best.holder_name} at "
            f"{best.address} is the closest address to {address} (likeness {best_score})",
        )
