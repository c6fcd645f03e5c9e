"""SNE referral lists: what an office of Mexico's Servicio Nacional de Empleo says it referred.

An SNE office sends program staff a CSV list of the workers it referred to H-2A employers. Format
(UTF-8, comma-separated, a header row naming the columns, in any order):

| column | content |
| --- | --- |
| `office` | the SNE office, by name or code as the office writes it (`SNE Michoacán - Morelia`) |
| `folio` | the referral folio the office gave the worker |
| `curp` | the worker's CURP (18 characters, check digit verified); empty if `passport` is set |
| `passport` | the worker's passport number; may be empty if `curp` is set |
| `name` | the worker's full name |
| `referred_on` | the referral date, `YYYY-MM-DD` or, as Mexican offices write it, `DD/MM/YYYY` |
| `employer` | the US employer the worker was referred to, as the office recorded its name |

Parsing streams row by row and reports bad rows (line, column, message) instead of stopping.
Matching is pure: one list entry against one grower's claim, giving a match or a conflict that says
in one sentence what differs (another office, another person, another employer).
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from stdnum.exceptions import ValidationError
from stdnum.mx import curp as curp_number

from recruitment.verification.registry import (
    RowError,
    holder_names_match,
    plain_upper,
    read_csv_rows,
)

REFERRAL_COLUMNS = ("office", "folio", "curp", "passport", "name", "referred_on", "employer")


@dataclass(frozen=True)
class SneReferral:
    office: str
    folio: str
    curp: str | None
    passport: str | None
    name: str
    referred_on: date
    employer: str
    line: int


def normalise_folio(folio: str) -> str:
    return re.sub(r"\s+", "", folio).upper()


def normalise_passport(passport: str) -> str:
    return re.sub(r"[\s-]+", "", passport).upper()


def normalise_curp(curp: str) -> str:
    return re.sub(r"\s+", "", curp).upper()


def _office_key(office: str) -> str:
    return " ".join(re.sub(r"[^0-9A-Z]+", " ", plain_upper(office)).split())


def parse_referral_date(text: str) -> date:
    """`YYYY-MM-DD`, or `DD/MM/YYYY` (day first, as in Mexico)."""
    if "/" in text:
        parts = text.split("/")
        if len(parts) != 3 or not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            raise ValueError(f"{text!r} is not a date as DD/MM/YYYY")
        day, month, year = (int(part) for part in parts)
        return date(year, month, day)
    return date.fromisoformat(text)


def parse_referral_list(lines: Iterable[str]) -> Iterator[SneReferral | RowError]:
    """Read an SNE referral list from a text file object (opened with `newline=""`)."""
    for row in read_csv_rows(lines, REFERRAL_COLUMNS):
        if isinstance(row, RowError):
            yield row
            continue
        line, positions, fields = row
        values = {
            column: fields[position].strip() if position < len(fields) else ""
            for column, position in positions.items()
        }
        errors = [
            RowError(line, column, "is empty")
            for column in ("office", "folio", "name", "referred_on", "employer")
            if not values[column]
        ]
        curp = normalise_curp(values["curp"]) or None
        passport = normalise_passport(values["passport"]) or None
        if curp is None and passport is None:
            errors.append(RowError(line, "curp", "neither a CURP nor a passport number is given"))
        if curp is not None:
            try:
                curp_number.validate(curp)
            except ValidationError as error:
                errors.append(RowError(line, "curp", f"{curp} is not a valid CURP: {error}"))
        referred_on = None
        if values["referred_on"]:
            try:
                referred_on = parse_referral_date(values["referred_on"])
            except ValueError as error:
                errors.append(RowError(line, "referred_on", str(error)))
        if errors or referred_on is None:
            yield from errors
            continue
        yield SneReferral(
            office=values["office"],
            folio=normalise_folio(values["folio"]),
            curp=curp,
            passport=passport,
            name=values["name"],
            referred_on=referred_on,
            employer=values["employer"],
            line=line,
        )


@dataclass(frozen=True)
class ReferralClaim:
    """What a grower declared about a worker's SNE referral."""

    sne_folio: str
    # The names or codes the claimed office goes by (its name, its code, its id in the service).
    office_labels: tuple[str, ...]
    worker_curp: str | None
    worker_passport: str | None
    grower_legal_name: str


ReferralDifferenceKind = Literal["folio", "office", "person", "employer"]


@dataclass(frozen=True)
class ReferralDifference:
    kind: ReferralDifferenceKind
    clause: str  # completes "SNE referral folio F ..."


@dataclass(frozen=True)
class ReferralMatch:
    folio: str


@dataclass(frozen=True)
class ReferralConflict:
    folio: str
    differences: tuple[ReferralDifference, ...]

    @property
    def evidence(self) -> str:
        """One sentence for staff, e.g. for `CaseFacts.sne_referral_conflicts`."""
        clauses = "; ".join(difference.clause for difference in self.differences)
        return f"SNE referral folio {self.folio} {clauses}."


def _person_difference(entry: SneReferral, claim: ReferralClaim) -> ReferralDifference | None:
    """The CURP decides when both sides have one (a passport can be renewed); else the passport."""
    claimed_curp = normalise_curp(claim.worker_curp) if claim.worker_curp else None
    claimed_passport = normalise_passport(claim.worker_passport) if claim.worker_passport else None
    if entry.curp and claimed_curp:
        if entry.curp == claimed_curp:
            return None
        return ReferralDifference(
            "person", f"is for another person (CURP {entry.curp}, not {claimed_curp})"
        )
    if entry.passport and claimed_passport:
        if entry.passport == claimed_passport:
            return None
        return ReferralDifference(
            "person", f"is for another person (passport {entry.passport}, not {claimed_passport})"
        )
    return ReferralDifference(
        "person",
        f"can't be tied to this worker: the list gives {'CURP' if entry.curp else 'passport'} "
        "only and the worker's record has no such number",
    )


def match_referral(entry: SneReferral, claim: ReferralClaim) -> ReferralMatch | ReferralConflict:
    """Check a grower's claim against the office's list entry for the claimed folio."""
    differences: list[ReferralDifference] = []
    claimed_folio = normalise_folio(claim.sne_folio)
    if entry.folio != claimed_folio:
        differences.append(
            ReferralDifference("folio", f"was checked against claimed folio {claimed_folio}")
        )
    if _office_key(entry.office) not in {_office_key(label) for label in claim.office_labels}:
        claimed_office = " / ".join(claim.office_labels) or "no office"
        differences.append(
            ReferralDifference(
                "office", f"was issued by office '{entry.office}', not '{claimed_office}'"
            )
        )
    person = _person_difference(entry, claim)
    if person is not None:
        differences.append(person)
    if not holder_names_match(claim.grower_legal_name, entry.employer):
        differences.append(
            ReferralDifference(
                "employer",
                f"names employer '{entry.employer}', not '{claim.grower_legal_name}'",
            )
        )
    if differences:
        return ReferralConflict(entry.folio, tuple(differences))
    return ReferralMatch(entry.folio)
