"""Import of OFLC H-2A disclosure files: cases become job orders with their terms, employers
become growers, and an H-2A labor contractor becomes an intermediary placed at each fixed-site
grower it supplies.

- Growers are matched by FEIN when a file has one, else by normalised name and state; a
  contractor by normalised name and state. Neither is duplicated, nor changed, by a re-import.
- A case's job order is found again by its source (`dol_disclosure:<case number>`); its terms
  get a new version only when they differ, so importing the same files twice changes nothing.
- A contractor's job order is filed by the intermediary (it has no grower), and its Addendum B
  places of employment become `ContractorPlacement`s, one per grower it supplies under the case.

Memory does not grow with the files: the addenda are staged in a temporary table (OFLC sorts
them by case number but the cases by decision date), and cases are read, joined with their
addenda rows and written BATCH_CASES at a time. What is held for the whole import: the case
numbers seen (to refuse a case listed twice), the keys of the existing growers and H-2A labor
contractors (name and state, FEIN), the first MAX_PROBLEMS problems, and the ids of job orders
whose terms changed (to re-evaluate their cases).
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlmodel import col, delete, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.terms import JobOrderTerms
from recruitment.domain.vocabulary import NOT_CERTIFIED_CASE_STATUSES
from recruitment.errors import InvalidInput
from recruitment.imports import dol_disclosure as disclosure
from recruitment.imports.dol_disclosure import DisclosureCase, PlaceOfEmployment, Problem, SourceRow
from recruitment.models import (
    ContractorPlacement,
    Grower,
    Intermediary,
    JobOrder,
    JobOrderVersion,
    Recruitment,
    is_current_version,
)
from recruitment.models.base import new_id, utc_now
from recruitment.schemas.growers import GrowerRead
from recruitment.schemas.intermediaries import IntermediaryRead
from recruitment.schemas.job_orders import JobOrderRead
from recruitment.schemas.placements import ContractorPlacementFields
from recruitment.services import audit, cases, registry_links
from recruitment.services.caller import Caller

BATCH_CASES = 500
STAGING_ROWS = 1000
MAX_PROBLEMS = 1000
SOURCE_PREFIX = "dol_disclosure:"
CONTRACTOR_KIND = "h2a_labor_contractor"

# The addenda rows of the import in progress, found by case number. Temporary: each connection
# has its own, emptied at every commit.
_STAGING = sa.Table(
    "dol_disclosure_staging",
    sa.MetaData(),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("case_number", sa.Text, nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("fields", JSONB, nullable=False),
)
_CREATE_STAGING = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS dol_disclosure_staging (file text NOT NULL, "
    "case_number text NOT NULL, line integer NOT NULL, fields jsonb NOT NULL) "
    "ON COMMIT DELETE ROWS",
    "CREATE INDEX IF NOT EXISTS dol_disclosure_staging_case ON dol_disclosure_staging "
    "(case_number)",
    "TRUNCATE dol_disclosure_staging",
)


@dataclass
class DisclosureImportReport:
    cases: int = 0
    cases_left_out: int = 0
    h2a_labor_contractor_cases: int = 0
    job_orders_created: int = 0
    job_orders_changed: int = 0
    job_orders_unchanged: int = 0
    growers_created: int = 0
    growers_matched: int = 0
    contractors_created: int = 0
    contractors_matched: int = 0
    placements_created: int = 0
    placements_changed: int = 0
    placements_removed: int = 0
    placements_not_certified: int = 0
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(disclosure.FILES, 0))
    rows_without_case: dict[str, int] = field(default_factory=dict)
    # Addenda rows whose case is in no file given but whose job order is on record.
    job_orders_given_addenda: int = 0
    cases_not_found: list[str] = field(default_factory=list)
    columns_not_found: dict[str, list[str]] = field(default_factory=dict)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    cases_reevaluated: int = 0
    registry_linkage: registry_links.LinkageReport = field(
        default_factory=registry_links.LinkageReport
    )

    def note(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.problem_count += 1
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(problem)


def source_of(case_number: str) -> str:
    return f"{SOURCE_PREFIX}{case_number}"


def case_source(case: DisclosureCase) -> str:
    """The case's job order; an association member's (a `SUB` row of the old form) is its
    own, told apart by the member's name and state."""
    if not case.association_member:
        return source_of(case.case_number)
    member = hashlib.sha256(f"{case.employer.key}|{case.employer.state}".encode()).hexdigest()
    return f"{source_of(case.case_number)}/{member[:12]}"


async def import_disclosure(
    session: AsyncSession, caller: Caller, files: Mapping[str, Iterable[str]]
) -> DisclosureImportReport:
    """Import the files given (by their names in `disclosure.FILES`, each an iterable of
    lines opened with `newline=""`): a period may come as its case file alone, with some
    addenda, or as addenda alone, whose rows then go to the job orders of their cases already
    on record (the others are reported). A missing required column refuses the whole import
    before anything is written; a row that can't be imported is reported and left out."""
    caller.require_staff("import DOL disclosure data")
    unknown_files = sorted(set(files) - set(disclosure.FILES))
    if unknown_files or not files:
        raise InvalidInput.of_field(
            unknown_files[0] if unknown_files else disclosure.CASES,
            f"The disclosure data is any of {', '.join(disclosure.FILES)}; "
            + (f"{', '.join(unknown_files)} is none of them." if unknown_files else "none came."),
        )
    opened = {name: disclosure.open_file(disclosure.LAYOUTS[name], files[name]) for name in files}
    report = DisclosureImportReport(
        unknown_columns={
            name: list(columns.unknown) for name, (columns, _) in opened.items() if columns.unknown
        },
        columns_not_found={
            name: list(columns.not_found)
            for name, (columns, _) in opened.items()
            if columns.not_found
        },
    )
    # One import at a time: growers and contractors are matched by name, which no index guards.
    await session.exec(select(func.pg_advisory_xact_lock(func.hashtext("dol_disclosure_import"))))
    await _stage_addenda(
        session, {name: opened[name][1] for name in disclosure.ADDENDA if name in opened}, report
    )
    parties = await _Parties.load(session)
    changed: list[UUID] = []
    seen: set[str] = set()
    if disclosure.CASES in opened:
        for batch in _batches(opened[disclosure.CASES][1], BATCH_CASES):
            report.rows[disclosure.CASES] += len(batch)
            read = await _read_batch(session, batch, seen, report)
            await _write_batch(session, caller, read, parties, report, changed)
    await _addenda_of_cases_on_record(session, caller, parties, report, changed)
    leftovers = await session.exec(select(_STAGING.c.file, func.count()).group_by(_STAGING.c.file))
    report.rows_without_case = {str(name): int(count) for name, count in leftovers}
    await (await session.connection()).execute(sa.text("TRUNCATE dol_disclosure_staging"))
    report.growers_matched = len(parties.matched_growers)
    report.contractors_matched = len(parties.matched_contractors)
    report.registry_linkage = await registry_links.link_contractors(
        session, set(parties.contractors.values())
    )
    if changed:
        recruitments = await session.exec(
            select(Recruitment.id).where(col(Recruitment.job_order_id).in_(changed))
        )
        summary = await cases.reevaluate(session, list(recruitments))
        report.cases_reevaluated = summary.cases
    return report


def _batches(rows: Iterator[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    batch: list[SourceRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _case_number(row: SourceRow) -> str:
    return disclosure.clean_text(row.text("CASE_NUMBER"))[:40]


async def _stage_addenda(
    session: AsyncSession,
    addenda: Mapping[str, Iterator[SourceRow]],
    report: DisclosureImportReport,
) -> None:
    connection = await session.connection()
    for statement in _CREATE_STAGING:
        await connection.execute(sa.text(statement))
    for name, rows in addenda.items():
        for batch in _batches(rows, STAGING_ROWS):
            report.rows[name] += len(batch)
            staged = []
            for row in batch:
                number = _case_number(row)
                if number:
                    staged.append(
                        {
                            "file": name,
                            "case_number": number,
                            "line": row.line,
                            "fields": row.values,
                        }
                    )
                else:
                    report.note([Problem(name, row.line, "CASE_NUMBER", "is empty: left out")])
            if staged:
                await session.exec(insert(_STAGING), params=staged)


async def _read_batch(
    session: AsyncSession, batch: list[SourceRow], seen: set[str], report: DisclosureImportReport
) -> list[DisclosureCase]:
    """The batch's cases, each with its addenda rows (taken out of the staging table)."""
    numbers = [_case_number(row) for row in batch]
    staged = await session.exec(
        delete(_STAGING)
        .where(_STAGING.c.case_number.in_(sorted({number for number in numbers if number})))
        .returning(_STAGING.c.file, _STAGING.c.case_number, _STAGING.c.line, _STAGING.c.fields)
    )
    addenda: dict[tuple[str, str], list[SourceRow]] = defaultdict(list)
    for name, number, line, values in staged:
        addenda[(name, number)].append(SourceRow(name, line, values))
    for rows in addenda.values():
        rows.sort(key=lambda row: row.line)
    read: list[DisclosureCase] = []
    for row, number in zip(batch, numbers, strict=True):
        case = disclosure.read_case(
            row,
            addenda.get((disclosure.CROPS, number), []),
            addenda.get((disclosure.HOUSING, number), []),
            addenda.get((disclosure.PLACES, number), []),
        )
        if isinstance(case, DisclosureCase):
            source = case_source(case)
            if source in seen:
                report.cases_left_out += 1
                report.note(
                    [Problem(row.file, row.line, "CASE_NUMBER", f"{number} is listed twice")]
                )
                continue
            seen.add(source)
            read.append(case)
            report.note(case.problems)
        else:
            report.cases_left_out += 1
            report.note(case)
    return read


@dataclass
class _Parties:
    """Growers and H-2A labor contractors by what the files match them on."""

    growers: dict[tuple[str, str], UUID] = field(default_factory=dict)
    growers_by_fein: dict[str, UUID] = field(default_factory=dict)
    feins: dict[UUID, str | None] = field(default_factory=dict)
    contractors: dict[tuple[str, str], UUID] = field(default_factory=dict)
    existing: set[UUID] = field(default_factory=set)
    matched_growers: set[UUID] = field(default_factory=set)
    matched_contractors: set[UUID] = field(default_factory=set)

    @classmethod
    async def load(cls, session: AsyncSession) -> "_Parties":
        parties = cls()
        growers = await session.exec(
            select(Grower.id, Grower.legal_name, Grower.state, Grower.fein).order_by(
                col(Grower.created_at), col(Grower.id)
            )
        )
        for grower_id, name, state, fein in growers:
            parties.add_grower(grower_id, disclosure.name_key(name), state, fein)
            parties.existing.add(grower_id)
        contractors = await session.exec(
            select(Intermediary.id, Intermediary.name, Intermediary.region)
            .where(Intermediary.kind == CONTRACTOR_KIND)
            .order_by(col(Intermediary.created_at), col(Intermediary.id))
        )
        for contractor_id, name, region in contractors:
            parties.contractors.setdefault((disclosure.name_key(name), region or ""), contractor_id)
            parties.existing.add(contractor_id)
        return parties

    def add_grower(self, grower_id: UUID, key: str, state: str, fein: str | None) -> None:
        self.growers.setdefault((key, state), grower_id)
        self.feins[grower_id] = fein
        if fein:
            self.growers_by_fein.setdefault(fein, grower_id)

    def find_grower(self, key: str, state: str, fein: str | None) -> UUID | None:
        found = self.growers_by_fein.get(fein) if fein else None
        if found is None:
            found = self.growers.get((key, state))
            # The same name with another FEIN is another business.
            if found is not None and fein and self.feins.get(found) not in (None, fein):
                found = None
        if found is not None and found in self.existing:
            self.matched_growers.add(found)
        return found

    def find_contractor(self, key: str, state: str) -> UUID | None:
        found = self.contractors.get((key, state))
        if found is not None and found in self.existing:
            self.matched_contractors.add(found)
        return found


@dataclass
class _Writes:
    """The rows and audit events of one batch."""

    now: datetime
    today: date
    actor: str
    growers: list[dict[str, Any]] = field(default_factory=list)
    contractors: list[dict[str, Any]] = field(default_factory=list)
    job_orders: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)
    job_order_updates: list[dict[str, Any]] = field(default_factory=list)
    events: list[audit.Event] = field(default_factory=list)

    def grower(
        self,
        parties: _Parties,
        *,
        name: str,
        state: str,
        fein: str | None,
        source: str,
        **address: str | None,
    ) -> UUID:
        key = disclosure.name_key(name)
        found = parties.find_grower(key, state, fein)
        if found is not None:
            return found
        grower_id = new_id()
        row: dict[str, Any] = {
            "id": grower_id,
            "created_at": self.now,
            "updated_at": self.now,
            "legal_name": name[:200],
            "fein": fein,
            "state": state,
            "program_status": "participating",
            "program_status_since": self.today,
            "source": source,
            "version": 1,
            **address,
        }
        self.growers.append(row)
        parties.add_grower(grower_id, key, state, fein)
        self.events.append(
            audit.Event("grower.import", "grower", grower_id, grower_id, after=GrowerRead(**row))
        )
        return grower_id

    def contractor(self, parties: _Parties, case: DisclosureCase, source: str) -> UUID:
        employer = case.employer
        found = parties.find_contractor(employer.key, employer.state)
        if found is not None:
            return found
        contractor_id = new_id()
        row: dict[str, Any] = {
            "id": contractor_id,
            "created_at": self.now,
            "updated_at": self.now,
            "kind": CONTRACTOR_KIND,
            "name": employer.name[:200],
            "country": employer.country,
            "region": employer.state,
            "address": ", ".join(part for part in (employer.street, employer.city) if part)[:300]
            or None,
            "certificate_number": None,
            "certificate_valid_from": None,
            "certificate_valid_until": None,
            "authorized_to_house": False,
            "authorized_to_transport": False,
            "authorized_to_drive": False,
            "declared_by_grower_id": None,
            "verification_status": "unverified",
            "source": source,
            "version": 1,
        }
        self.contractors.append(row)
        parties.contractors[(employer.key, employer.state)] = contractor_id
        self.events.append(
            audit.Event(
                "intermediary.import",
                "intermediary",
                contractor_id,
                None,
                after=IntermediaryRead.model_validate(row),
            )
        )
        return contractor_id

    def job_order(
        self,
        source: str,
        terms: JobOrderTerms,
        status: str | None,
        existing: dict[str, Any] | None,
        filer: tuple[UUID | None, UUID | None],
    ) -> tuple[UUID, bool | None]:
        """The job order of this source (filed by a grower or a contractor: `filer`), and
        whether it was created (True), changed (False) or left as it was (None). Its terms get
        a new version only when they differ; a new case status alone changes the row."""
        grower_id, contractor_id = filer
        dumped = terms.model_dump(mode="json")
        if existing is None:
            job_order_id = new_id()
            job_order: dict[str, Any] = {
                "id": job_order_id,
                "created_at": self.now,
                "updated_at": self.now,
                "grower_id": grower_id,
                "filed_by_intermediary_id": contractor_id,
                "source": source,
                "case_status": status,
                "current_version": 1,
                "version": 1,
            }
            self.job_orders.append(job_order)
            self.versions.append(
                {"job_order_id": job_order_id, "number": 1, "terms": dumped, **self._by()}
            )
            self.events.append(
                audit.Event(
                    "job_order.import",
                    "job_order",
                    job_order_id,
                    grower_id,
                    after=JobOrderRead(**job_order, terms=terms),
                )
            )
            return job_order_id, True
        existing_id: UUID = existing["id"]
        same_terms = JobOrderTerms.model_validate(existing["terms"]) == terms
        # A file without the status (an addendum alone) leaves the one on record.
        status = status or existing["case_status"]
        if same_terms and status == existing["case_status"]:
            return existing_id, None
        before = JobOrderRead(**existing)
        changes: dict[str, Any] = {"case_status": status, "version": existing["version"] + 1}
        if not same_terms:
            changes["current_version"] = existing["current_version"] + 1
            self.versions.append(
                {
                    "job_order_id": existing_id,
                    "number": changes["current_version"],
                    "terms": dumped,
                    **self._by(),
                }
            )
        self.job_order_updates.append(
            {
                "id": existing_id,
                "current_version": changes.get("current_version", existing["current_version"]),
                "case_status": status,
                "version": changes["version"],
                "updated_at": self.now,
            }
        )
        after = before.model_copy(update={**changes, "terms": terms, "updated_at": self.now})
        self.events.append(
            audit.Event(
                "job_order.terms" if not same_terms else "job_order.case_status",
                "job_order",
                existing_id,
                existing["grower_id"],
                before=before,
                after=after,
            )
        )
        return existing_id, False

    def _by(self) -> dict[str, Any]:
        return {"created_by": self.actor, "created_at": self.now}


async def _existing_job_orders(
    session: AsyncSession, sources: list[str]
) -> dict[str, dict[str, Any]]:
    rows = await session.exec(
        select(JobOrder, JobOrderVersion.terms)
        .join(JobOrderVersion, is_current_version())
        .where(col(JobOrder.source).in_(sources))
        # Fresh from the database: an earlier import in this session updated rows in bulk.
        .execution_options(populate_existing=True)
    )
    return {
        str(job_order.source): {**job_order.model_dump(), "terms": terms}
        for job_order, terms in rows
    }


async def _write_batch(
    session: AsyncSession,
    caller: Caller,
    read: list[DisclosureCase],
    parties: _Parties,
    report: DisclosureImportReport,
    changed: list[UUID],
) -> None:
    writes = _Writes(now=utc_now(), today=clock.today(), actor=caller.actor)
    existing = await _existing_job_orders(session, [case_source(case) for case in read])
    placed: dict[str, tuple[UUID, UUID, dict[UUID, list[PlaceOfEmployment]]]] = {}
    for case in read:
        source = case_source(case)
        grower_id = contractor_id = None
        if case.h2a_labor_contractor:
            report.h2a_labor_contractor_cases += 1
            contractor_id = writes.contractor(parties, case, source)
        else:
            employer = case.employer
            grower_id = writes.grower(
                parties,
                name=employer.name,
                state=employer.state,
                fein=employer.fein,
                source=source,
                trade_name=employer.trade_name,
                street=employer.street,
                city=employer.city,
                postal_code=employer.postal_code,
            )
        job_order_id, created = writes.job_order(
            source, case.terms, case.status, existing.get(source), (grower_id, contractor_id)
        )
        if created is True:
            report.job_orders_created += 1
        elif created is False:
            report.job_orders_changed += 1
            changed.append(job_order_id)
        else:
            report.job_orders_unchanged += 1
        if contractor_id is None:
            continue
        # A denied or withdrawn case places no one: its places are not the growers' suppliers.
        if case.status in NOT_CERTIFIED_CASE_STATUSES:
            report.placements_not_certified += len(case.placements)
            placed[case.case_number] = (contractor_id, job_order_id, {})
            continue
        placed[case.case_number] = (
            contractor_id,
            job_order_id,
            _placements_by_grower(writes, parties, case.placements, source),
        )
    report.cases += len(read)
    report.growers_created += len(writes.growers)
    report.contractors_created += len(writes.contractors)
    await _write_rows(session, writes)
    await _write_placements(session, writes, [case.case_number for case in read], placed, report)
    await audit.record_many(session, caller, writes.events)


async def _addenda_of_cases_on_record(
    session: AsyncSession,
    caller: Caller,
    parties: _Parties,
    report: DisclosureImportReport,
    changed: list[UUID],
) -> None:
    """The addenda rows whose case was in no case file given: added to the job order of their
    case when one is on record; the others stay staged, to be reported."""
    numbers = sorted(
        str(number) for number in await session.exec(select(_STAGING.c.case_number).distinct())
    )
    for start in range(0, len(numbers), BATCH_CASES):
        batch = numbers[start : start + BATCH_CASES]
        existing = await _existing_job_orders(session, [source_of(n) for n in batch])
        report.cases_not_found.extend(n for n in batch if source_of(n) not in existing)
        found = [n for n in batch if source_of(n) in existing]
        if not found:
            continue
        staged = await session.exec(
            delete(_STAGING)
            .where(_STAGING.c.case_number.in_(found))
            .returning(_STAGING.c.file, _STAGING.c.case_number, _STAGING.c.line, _STAGING.c.fields)
        )
        addenda: dict[tuple[str, str], list[SourceRow]] = defaultdict(list)
        for name, number, line, values in staged:
            addenda[(name, number)].append(SourceRow(name, line, values))
        writes = _Writes(now=utc_now(), today=clock.today(), actor=caller.actor)
        placed: dict[str, tuple[UUID, UUID, dict[UUID, list[PlaceOfEmployment]]]] = {}
        for number in found:
            record = existing[source_of(number)]
            contractor_id = record["filed_by_intermediary_id"]
            rows = {
                name: sorted(addenda.get((name, number), []), key=lambda row: row.line)
                for name in disclosure.ADDENDA
            }
            terms, places, problems = disclosure.with_addenda(
                JobOrderTerms.model_validate(record["terms"]),
                rows[disclosure.CROPS],
                rows[disclosure.HOUSING],
                rows[disclosure.PLACES],
                contractor=contractor_id is not None,
            )
            report.note(problems)
            report.job_orders_given_addenda += 1
            job_order_id, created = writes.job_order(
                source_of(number), terms, None, record, (record["grower_id"], contractor_id)
            )
            if created is False:
                report.job_orders_changed += 1
                changed.append(job_order_id)
            if contractor_id is not None and rows[disclosure.PLACES]:
                if record["case_status"] in NOT_CERTIFIED_CASE_STATUSES:
                    report.placements_not_certified += len(places)
                    places = ()
                placed[number] = (
                    contractor_id,
                    job_order_id,
                    _placements_by_grower(writes, parties, places, source_of(number)),
                )
        report.growers_created += len(writes.growers)
        await _write_rows(session, writes)
        # Only the contractors' cases whose places came: the others keep their placements.
        await _write_placements(session, writes, list(placed), placed, report)
        await audit.record_many(session, caller, writes.events)


def _placements_by_grower(
    writes: _Writes, parties: _Parties, places: Iterable[PlaceOfEmployment], source: str
) -> dict[UUID, list[PlaceOfEmployment]]:
    by_grower: dict[UUID, list[PlaceOfEmployment]] = defaultdict(list)
    for place in places:
        supplied = writes.grower(
            parties,
            name=place.business,
            state=place.state,
            fein=None,
            source=source,
            trade_name=None,
            street=place.address,
            city=(place.city or "")[:100],
            postal_code=place.postal_code or "",
        )
        by_grower[supplied].append(place)
    return by_grower


async def _write_rows(session: AsyncSession, writes: _Writes) -> None:
    for table, rows in (
        (Grower, writes.growers),
        (Intermediary, writes.contractors),
        (JobOrder, writes.job_orders),
        (JobOrderVersion, writes.versions),
    ):
        for start in range(0, len(rows), STAGING_ROWS):
            await session.exec(insert(table), params=rows[start : start + STAGING_ROWS])
    if writes.job_order_updates:
        await session.exec(update(JobOrder), params=writes.job_order_updates)


def _placement_values(
    contractor_id: UUID, job_order_id: UUID, places: list[PlaceOfEmployment]
) -> dict[str, Any]:
    begins = [place.begin for place in places if place.begin]
    ends = [place.end for place in places if place.end]
    workers = [place.workers for place in places if place.workers is not None]
    return {
        "intermediary_id": contractor_id,
        "job_order_id": job_order_id,
        "period_start": min(begins, default=None),
        "period_end": max(ends, default=None),
        "workers": max(workers, default=None),
        "places": [place.as_json() for place in places],
    }


async def _write_placements(
    session: AsyncSession,
    writes: _Writes,
    case_numbers: list[str],
    placed: dict[str, tuple[UUID, UUID, dict[UUID, list[PlaceOfEmployment]]]],
    report: DisclosureImportReport,
) -> None:
    """Each contractor case's placements as the file lists them: new ones added, changed ones
    updated, those the case no longer lists removed; the same file changes nothing."""
    existing = {
        (placement.case_number, placement.grower_id): placement
        for placement in await session.exec(
            select(ContractorPlacement)
            .where(col(ContractorPlacement.case_number).in_(case_numbers))
            .execution_options(populate_existing=True)
        )
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    events: list[audit.Event] = []
    wanted: set[tuple[str, UUID]] = set()
    for case_number, (contractor_id, job_order_id, by_grower) in placed.items():
        for grower_id, places in by_grower.items():
            wanted.add((case_number, grower_id))
            values = _placement_values(contractor_id, job_order_id, places)
            previous = existing.get((case_number, grower_id))
            if previous is None:
                row = {
                    "id": new_id(),
                    "created_at": writes.now,
                    "updated_at": writes.now,
                    "case_number": case_number,
                    "grower_id": grower_id,
                    **values,
                }
                inserts.append(row)
                events.append(_placement_event("import", row, None))
                continue
            before = previous.model_dump()
            if all(before[key] == value for key, value in values.items()):
                continue
            updates.append({"id": previous.id, **values, "updated_at": writes.now})
            events.append(_placement_event("update", {**before, **values}, before))
    removed = [p for key, p in existing.items() if key not in wanted]
    for placement in removed:
        events.append(_placement_event("remove", None, placement.model_dump()))
    for start in range(0, len(inserts), STAGING_ROWS):
        await session.exec(
            insert(ContractorPlacement), params=inserts[start : start + STAGING_ROWS]
        )
    if updates:
        await session.exec(update(ContractorPlacement), params=updates)
    if removed:
        await session.exec(
            delete(ContractorPlacement).where(
                col(ContractorPlacement.id).in_([p.id for p in removed])
            )
        )
    report.placements_created += len(inserts)
    report.placements_changed += len(updates)
    report.placements_removed += len(removed)
    writes.events.extend(events)


def _placement_event(
    action: str, after: dict[str, Any] | None, before: dict[str, Any] | None
) -> audit.Event:
    subject = after or before
    assert subject is not None
    return audit.Event(
        f"contractor_placement.{action}",
        "contractor_placement",
        subject["id"],
        subject["grower_id"],
        before=ContractorPlacementFields.model_validate(before) if before else None,
        after=ContractorPlacementFields.model_validate(after) if after else None,
    )
