"""Cases under the rules: load their facts in bulk, evaluate them, reconcile their flags.

A case is one recruitment. Loading is set-based: a batch of cases costs a fixed number of
queries whatever its size, so re-verifying the whole program scales with the number of batches,
not of cases.
"""

import asyncio
import collections
import dataclasses
import functools
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    String,
    Uuid,
    and_,
    any_,
    bindparam,
    literal,
    or_,
    text,
    update,
)

# sqlmodel's select is typed for at most four columns.
from sqlalchemy import select as select_columns
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.terms import JobOrderTerms
from recruitment.models import (
    ChainLink,
    Complaint,
    Contract,
    ContractDelivery,
    Cost,
    CrewAssignment,
    Debarment,
    Flag,
    FlagStatusChange,
    Grower,
    Hire,
    Intermediary,
    JobOrder,
    JobOrderVersion,
    MealChargeMaximum,
    Recruitment,
    RegistryCertificate,
    RegistryLink,
    ReimbursedCost,
    Reimbursement,
    SneReferralOutcome,
    WageFloorRate,
    Worker,
    is_current_version,
)
from recruitment.models.base import utc_now
from recruitment.services import bulk
from recruitment.verification import (
    AewrRate,
    ExistingFlag,
    Finding,
    MealChargeTable,
    Reference,
    WageFloorTable,
    evaluate,
    evaluate_all,
    facts,
    normalise_certificate_number,
    reconcile,
)
from recruitment.verification import MealChargeMaximum as MealChargeMaximumRate
from recruitment.verification.debarments import name_keys_of

BATCH_SIZE = 2_000


def among(column: Any, ids: Iterable[UUID]) -> ColumnElement[bool]:
    """`column = ANY(array)`: one parameter for a batch of ids, where IN would render 2,000."""
    return cast(ColumnElement[bool], column == any_(literal(list(ids), ARRAY(Uuid()))))


def among_bound(column: Any, name: str) -> ColumnElement[bool]:
    """`among` in a statement built once: the ids are bound to the parameter `name` when it
    runs."""
    return cast(ColumnElement[bool], column == any_(bindparam(name, type_=ARRAY(Uuid()))))


@dataclass(frozen=True)
class CaseRange:
    """Every case whose id lies between `first` and `last`, both included: a slice of all the
    cases in the order of their ids, as a whole program is evaluated. PostgreSQL reads a range
    of an index in about half the time it takes to look up each of its ids."""

    first: UUID
    last: UUID


# Which cases a batch holds: these ids, or every case in a range of them.
Cases = Sequence[UUID] | CaseRange


def of_cases(column: Any, cases: Cases) -> ColumnElement[bool]:
    """The rows whose `column` (a case's id) is one of these cases'."""
    if isinstance(cases, CaseRange):
        return cast(ColumnElement[bool], column.between(cases.first, cases.last))
    return among(column, cases)


SYSTEM = "system"


@dataclass
class EvaluationSummary:
    cases: int = 0
    opened: int = 0
    updated: int = 0
    reopened: int = 0
    resolved: int = 0
    by_code: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # The processes that built the facts and ran the rules.
    processes: int = 1

    def add(self, other: "EvaluationSummary") -> None:
        self.cases += other.cases
        self.opened += other.opened
        self.updated += other.updated
        self.reopened += other.reopened
        self.resolved += other.resolved
        for code, count in other.by_code.items():
            self.by_code[code] += count


# The published rates change a few times a year, by an import, and every write is evaluated with
# them: each process keeps what it read, under a fingerprint of both tables that one small
# statement reads. An import, or its rollback, changes the fingerprint, so no evaluation uses
# rates other than those its own transaction sees.
_RATES_FINGERPRINT = text(
    "SELECT current_database()"
    " || (SELECT row(count(*), max(created_at), count(superseded_at))::text"
    " FROM wage_floor_rates)"
    " || (SELECT row(count(*), max(created_at), count(superseded_at))::text"
    " FROM meal_charge_maximums)"
)
_REFERENCES_KEPT = 8
_references: dict[str, Reference] = {}


async def load_reference(session: AsyncSession) -> Reference:
    """The published rates in force as the database holds them (the packaged ones seeded by the
    migrations, then whatever staff loaded; superseded rates left out)."""
    fingerprint: str = (await (await session.connection()).execute(_RATES_FINGERPRINT)).scalar_one()
    if fingerprint not in _references:
        if len(_references) >= _REFERENCES_KEPT:
            _references.pop(next(iter(_references)))
        _references[fingerprint] = await _read_reference(session)
    return _references[fingerprint]


async def _read_reference(session: AsyncSession) -> Reference:
    rates = await session.exec(
        select(WageFloorRate).where(col(WageFloorRate.superseded_at).is_(None))
    )
    meal_charges = await session.exec(
        select(MealChargeMaximum).where(col(MealChargeMaximum.superseded_at).is_(None))
    )
    return Reference(
        wage_floors=WageFloorTable(
            AewrRate(
                state=rate.state,
                year=rate.year,
                effective_from=rate.effective_from,
                effective_until=rate.effective_until,
                soc_code=rate.soc_code,
                skill_level=rate.skill_level,
                hourly_cents=rate.hourly_cents,
                basis=rate.basis or "",
                note=rate.note or "",
            )
            for rate in rates
        ),
        meal_charges=MealChargeTable(
            MealChargeMaximumRate(
                effective_from=maximum.effective_from,
                effective_until=maximum.effective_until,
                daily_cents=maximum.daily_cents,
                source=maximum.source,
            )
            for maximum in meal_charges
        ),
    )


def registry_record(row: RegistryCertificate) -> facts.RegistryRecord:
    return facts.RegistryRecord(
        certificate_number=row.certificate_number,
        holder_name=row.holder_name,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        authorized_to_house=row.authorized_to_house,
        authorized_to_transport=row.authorized_to_transport,
        authorized_to_drive=row.authorized_to_drive,
    )


async def _intermediaries(session: AsyncSession, ids: set[UUID]) -> dict[UUID, facts.Intermediary]:
    if not ids:
        return {}
    rows = list(await session.exec(select(Intermediary).where(among(col(Intermediary.id), ids))))
    linked = await _linked_certificates(session, rows)
    numbers = {
        normalise_certificate_number(r.certificate_number) for r in rows if r.certificate_number
    } | set(linked.values())
    registry = {
        cert.certificate_number: registry_record(cert)
        for cert in (
            await session.exec(
                select(RegistryCertificate).where(
                    col(RegistryCertificate.certificate_number).in_(numbers)
                )
            )
            if numbers
            else ()
        )
    }
    return {
        row.id: facts.Intermediary(
            id=row.id,
            kind=row.kind,  # type: ignore[arg-type]
            name=row.name,
            verification=row.verification_status,  # type: ignore[arg-type]
            certificate_number=row.certificate_number,
            certificate_valid_from=row.certificate_valid_from,
            certificate_valid_until=row.certificate_valid_until,
            authorized_to_house=row.authorized_to_house,
            authorized_to_transport=row.authorized_to_transport,
            authorized_to_drive=row.authorized_to_drive,
            region=row.region,
            registry_record=registry.get(normalise_certificate_number(row.certificate_number))
            if row.certificate_number
            else registry.get(linked.get(row.id, "")),
        )
        for row in rows
    }


async def _linked_certificates(
    session: AsyncSession, rows: Sequence[Intermediary]
) -> dict[UUID, str]:
    """The registry certificate of each contractor without a declared number that was linked
    to one by name (the disclosure data has no numbers), once staff verified the contractor:
    an unconfirmed match by name decides nothing."""
    confirmed = [
        r.id for r in rows if not r.certificate_number and r.verification_status == "verified"
    ]
    if not confirmed:
        return {}
    return {
        link.intermediary_id: link.certificate_number
        for link in await session.exec(
            select(RegistryLink).where(among(col(RegistryLink.intermediary_id), confirmed))
        )
    }


async def _workers_sharing_passports(
    session: AsyncSession, people: Iterable[Worker]
) -> dict[str, set[UUID]]:
    """Who holds each of these workers' passport numbers (a duplicate identity when two do).
    Skipped when no worker has one: a single new case is evaluated at every write, where each
    round trip counts."""
    passports = {w.passport_number for w in people if w.passport_number}
    holders: dict[str, set[UUID]] = defaultdict(set)
    for worker_id, number in (
        await session.exec(
            select(Worker.id, Worker.passport_number).where(
                col(Worker.passport_number).in_(passports)
            )
        )
        if passports
        else ()
    ):
        holders[number or ""].add(worker_id)
    return holders


# A version's terms are never updated: each process keeps the terms it validated, by version,
# rather than validate the same few dozen job orders' terms again for every batch.
_VERSIONS_KEPT = 4_096
_terms_of_version: dict[UUID, JobOrderTerms] = {}


def validated_terms(version_id: UUID, terms: Any) -> JobOrderTerms:
    """A version's terms (as stored), validated once in this process."""
    if (known := _terms_of_version.get(version_id)) is not None:
        return known
    if len(_terms_of_version) >= _VERSIONS_KEPT:
        _terms_of_version.pop(next(iter(_terms_of_version)))
    validated = _terms_of_version[version_id] = JobOrderTerms.model_validate(terms)
    return validated


async def _current_terms(
    session: AsyncSession, job_order_ids: set[UUID]
) -> dict[UUID, tuple[int, JobOrderTerms]]:
    current = await _rows(
        session,
        select_columns(
            col(JobOrderVersion.id), col(JobOrderVersion.job_order_id), col(JobOrderVersion.number)
        )
        .join(JobOrder, is_current_version())
        .where(among(col(JobOrder.id), job_order_ids)),
    )
    validated = {
        version_id: _terms_of_version[version_id]
        for version_id, _, _ in current
        if version_id in _terms_of_version
    }
    unseen = [version_id for version_id, _, _ in current if version_id not in validated]
    for version_id, terms in (
        await _rows(
            session,
            select_columns(col(JobOrderVersion.id), col(JobOrderVersion.terms)).where(
                among(col(JobOrderVersion.id), unseen)
            ),
        )
        if unseen
        else ()
    ):
        validated[version_id] = validated_terms(version_id, terms)
    return {
        job_order_id: (number, validated[version_id])
        for version_id, job_order_id, number in current
    }


def _chain_facts(
    links: Sequence[ChainLink], intermediaries: dict[UUID, facts.Intermediary]
) -> tuple[facts.ChainLink, ...]:
    return tuple(
        facts.ChainLink(
            intermediary=intermediaries[link.intermediary_id],
            engaged_by=link.engaged_by,  # type: ignore[arg-type]
            engaged_by_intermediary_id=link.engaged_by_intermediary_id,
            written_fee_ban=link.written_fee_ban,
            acted_on=link.acted_on,
            houses_workers=link.houses_workers,
            transports_workers=link.transports_workers,
            drives_workers=link.drives_workers,
        )
        for link in links
    )


def _crew_facts(assignment: CrewAssignment) -> facts.CrewAssignment:
    return facts.CrewAssignment(
        crew=assignment.crew, supervisor=assignment.supervisor, from_date=assignment.from_date
    )


def _hire_facts(hire: Hire, crews: Sequence[facts.CrewAssignment]) -> facts.Hire:
    return facts.Hire(
        id=hire.id,
        employer_of_record_kind=hire.employer_of_record_kind,  # type: ignore[arg-type]
        employer_of_record_id=hire.employer_of_record_id,
        wages_paid_by_kind=hire.wages_paid_by_kind,  # type: ignore[arg-type]
        wages_paid_by_id=hire.wages_paid_by_id,
        start_date=hire.start_date,
        crew_history=tuple(crews),
    )


@dataclass
class _Gathered:
    """A case's own facts as a loader gathers them: its recruitment and worker (rows or model
    instances), its job order's current terms, its chain, and `held`, the facts of its own
    records (costs, hire, contracts ...), which a new case has none of. What the official lists
    say and the seasons are added once for the whole batch (`_completed`)."""

    recruitment: Any
    worker: Any
    terms: tuple[int, JobOrderTerms]
    chain: tuple[facts.ChainLink, ...]
    held: dict[str, Any] = field(default_factory=dict)

    @property
    def hire_start(self) -> date | None:
        hire: facts.Hire | None = self.held.get("hire")
        return hire.start_date if hire else None


@dataclass(frozen=True)
class NewCase:
    """What a write that creates a case holds in hand, not yet flushed: its recruitment, its
    worker, its chain, its hire and its job order. A new case has no costs, reimbursements,
    contracts, referral outcomes, complaints or flags of its own yet."""

    recruitment: Recruitment
    worker: Worker
    links: Sequence[ChainLink]
    job_order: JobOrder
    # The job order's current version and its terms.
    terms: tuple[int, JobOrderTerms]
    hire: Hire | None = None
    crews: Sequence[CrewAssignment] = ()


async def facts_of_new_case(session: AsyncSession, new: NewCase) -> facts.CaseFacts:
    """The facts of a case being created, built from what the write holds, plus only what it
    does not: the registry records of its chain, the workers who share its worker's passport,
    and what the official lists say. They equal what `load_facts`
    reads back once the case is written (a test holds them to it)."""
    intermediaries = await _intermediaries(session, {link.intermediary_id for link in new.links})
    holders = await _workers_sharing_passports(session, [new.worker])
    crews = sorted(new.crews, key=lambda crew: (crew.from_date, crew.created_at))
    gathered = _Gathered(
        new.recruitment,
        new.worker,
        new.terms,
        _chain_facts(sorted(new.links, key=lambda link: link.position), intermediaries),
        {"hire": _hire_facts(new.hire, [_crew_facts(crew) for crew in crews])} if new.hire else {},
    )
    [case] = await _completed(
        session, [gathered], holders, case_statuses={new.job_order.id: new.job_order.case_status}
    )
    return case


async def _records(
    session: AsyncSession,
    model: type[SQLModel],
    columns: Sequence[str],
    where: ColumnElement[bool],
    *order_by: Any,
) -> Sequence[Any]:
    """These columns of a model's rows, read with Core (building an ORM instance for each of a
    batch's rows was a third of a re-verification): only what the facts hold, since every column
    read costs its decoding, and a worker's names and phone or a complaint's account are no
    rule's business."""
    table = model.__table__  # type: ignore[attr-defined]
    query = select_columns(*(table.c[name] for name in columns))
    return await _rows(session, query.where(where).order_by(*order_by))


def _named_as(fact: type) -> tuple[str, ...]:
    """The fields of a fact whose fields are its table's columns of the same names, in order."""
    return tuple(each.name for each in dataclasses.fields(fact))


# What the facts read of each record.
_MILESTONE_COLUMNS = tuple(f"{name}_on" for name in _named_as(facts.Milestones))
_RECRUITMENT_COLUMNS = (
    "id",
    "grower_id",
    "worker_id",
    "job_order_id",
    "channel",
    "channel_verification",
    "sne_folio",
    "sne_office_id",
    *_MILESTONE_COLUMNS,
)
_WORKER_COLUMNS = ("id", "preferred_language", "nationality", "passport_number")
_CHAIN_LINK_COLUMNS = (
    "recruitment_id",
    "intermediary_id",
    "engaged_by",
    "engaged_by_intermediary_id",
    "written_fee_ban",
    "acted_on",
    "houses_workers",
    "transports_workers",
    "drives_workers",
)
_HIRE_COLUMNS = (
    "recruitment_id",
    *(name for name in _named_as(facts.Hire) if name != "crew_history"),
)
_COMPLAINT_COLUMNS = (
    "recruitment_id",
    "id",
    "reference",
    "category",
    "status",
    "founded",
    "received_at",
    "closed_at",
    "follow_up_days",
)


async def _rows(
    session: AsyncSession, query: Any, parameters: dict[str, Any] | None = None
) -> Sequence[Any]:
    """A query's rows as named tuples: reading a SQLAlchemy row's column by name took about a
    microsecond and a quarter, a named tuple's a tenth of that, and building a batch's facts
    reads some sixty columns a case."""
    result = await (await session.connection()).execute(query, parameters)
    make = _row_type(tuple(result.keys()))._make
    return [make(row) for row in result]


@functools.lru_cache(maxsize=64)
def _row_type(columns: tuple[str, ...]) -> Any:
    return collections.namedtuple("Row", columns)


async def load_facts(session: AsyncSession, cases: Cases) -> list[facts.CaseFacts]:
    """The facts of these cases, in a fixed number of queries."""
    recruitments = await _records(
        session, Recruitment, _RECRUITMENT_COLUMNS, of_cases(col(Recruitment.id), cases)
    )
    if not recruitments:
        return []
    people = {
        w.id: w
        for w in await _records(
            session,
            Worker,
            _WORKER_COLUMNS,
            among(col(Worker.id), {r.worker_id for r in recruitments}),
        )
    }
    holders = await _workers_sharing_passports(session, people.values())
    terms = await _current_terms(session, {r.job_order_id for r in recruitments})

    links: dict[UUID, list[ChainLink]] = defaultdict(list)
    for link in await _records(
        session,
        ChainLink,
        _CHAIN_LINK_COLUMNS,
        and_(of_cases(col(ChainLink.recruitment_id), cases), col(ChainLink.replaced_at).is_(None)),
        col(ChainLink.position),
    ):
        links[link.recruitment_id].append(link)
    intermediaries = await _intermediaries(
        session, {link.intermediary_id for chain in links.values() for link in chain}
    )

    costs: dict[UUID, list[facts.Cost]] = defaultdict(list)
    for recruitment_id, *cost in await _records(
        session,
        Cost,
        ("recruitment_id", *_named_as(facts.Cost)),
        and_(of_cases(col(Cost.recruitment_id), cases), col(Cost.superseded_at).is_(None)),
    ):
        costs[recruitment_id].append(facts.Cost(*cost))
    named: dict[UUID, list[UUID]] = defaultdict(list)
    reimbursement_rows: dict[UUID, Any] = {}
    reimbursement_table = Reimbursement.__table__  # type: ignore[attr-defined]
    for reimbursement in await _rows(
        session,
        select_columns(reimbursement_table, col(ReimbursedCost.cost_id).label("reimbursed_cost"))
        .join(ReimbursedCost, col(ReimbursedCost.reimbursement_id) == col(Reimbursement.id))
        .where(of_cases(col(Reimbursement.recruitment_id), cases)),
    ):
        reimbursement_rows[reimbursement.id] = reimbursement
        named[reimbursement.id].append(reimbursement.reimbursed_cost)
    reimbursements: dict[UUID, list[facts.Reimbursement]] = defaultdict(list)
    for reimbursement in reimbursement_rows.values():
        reimbursements[reimbursement.recruitment_id].append(
            facts.Reimbursement(
                id=reimbursement.id,
                amount=reimbursement.amount,
                currency=reimbursement.currency,
                paid_on=reimbursement.paid_on,
                cost_ids=tuple(sorted(named[reimbursement.id])),
            )
        )

    hire_rows = await _records(
        session, Hire, _HIRE_COLUMNS, of_cases(col(Hire.recruitment_id), cases)
    )
    crews: dict[UUID, list[facts.CrewAssignment]] = defaultdict(list)
    for hire_id, *crew in (
        await _records(
            session,
            CrewAssignment,
            ("hire_id", *_named_as(facts.CrewAssignment)),
            among(col(CrewAssignment.hire_id), [hire.id for hire in hire_rows]),
            col(CrewAssignment.from_date),
            col(CrewAssignment.created_at),
        )
        if hire_rows
        else ()
    ):
        crews[hire_id].append(facts.CrewAssignment(*crew))
    hires = {hire.recruitment_id: _hire_facts(hire, crews[hire.id]) for hire in hire_rows}
    # Only what the rules read: the PDF and the rendered document would be most of the bytes,
    # and PostgreSQL would decompress each document.
    contract_rows = await _rows(
        session,
        select_columns(
            col(Contract.id),
            col(Contract.recruitment_id),
            col(Contract.language),
            col(Contract.job_order_version),
            col(Contract.issued_at),
            col(Contract.superseded_at),
            col(Contract.untranslated_fields),
        )
        .where(of_cases(col(Contract.recruitment_id), cases))
        .order_by(col(Contract.issued_at), col(Contract.created_at)),
    )
    deliveries: dict[UUID, list[facts.Delivery]] = defaultdict(list)
    for contract_id, *delivery in (
        await _records(
            session,
            ContractDelivery,
            ("contract_id", *_named_as(facts.Delivery)),
            among(col(ContractDelivery.contract_id), [row[0] for row in contract_rows]),
            col(ContractDelivery.delivered_on),
        )
        if contract_rows
        else ()
    ):
        deliveries[contract_id].append(facts.Delivery(*delivery))
    contracts: dict[UUID, list[facts.Contract]] = defaultdict(list)
    for (
        contract_id,
        recruitment_id,
        language,
        version,
        issued_at,
        superseded_at,
        untranslated_fields,
    ) in contract_rows:
        contracts[recruitment_id].append(
            facts.Contract(
                id=contract_id,
                language=language,
                job_order_version=version,
                issued_at=issued_at,
                superseded=superseded_at is not None,
                untranslated_fields=tuple(untranslated_fields or ()),
                deliveries=tuple(deliveries[contract_id]),
            )
        )

    conflicts = {
        outcome.recruitment_id: tuple(outcome.conflicts or ())
        for outcome in await _records(
            session,
            SneReferralOutcome,
            ("recruitment_id", "conflicts"),
            and_(
                of_cases(col(SneReferralOutcome.recruitment_id), cases),
                col(SneReferralOutcome.matched).is_(False),
            ),
        )
    }

    complaints: dict[UUID, list[facts.Complaint]] = defaultdict(list)
    for complaint in await _records(
        session, Complaint, _COMPLAINT_COLUMNS, of_cases(col(Complaint.recruitment_id), cases)
    ):
        complaints[complaint.recruitment_id].append(
            facts.Complaint(
                id=complaint.id,
                reference=complaint.reference,
                category=complaint.category,
                status=complaint.status,
                founded=complaint.founded,
                received_on=complaint.received_at.date(),
                closed_on=complaint.closed_at.date() if complaint.closed_at else None,
                follow_up_days=complaint.follow_up_days,
            )
        )

    gathered = [
        _Gathered(
            r,
            people[r.worker_id],
            terms[r.job_order_id],
            _chain_facts(links[r.id], intermediaries),
            {
                "costs": tuple(sorted(costs[r.id], key=lambda c: (c.paid_on, str(c.id)))),
                "reimbursements": tuple(
                    sorted(reimbursements[r.id], key=lambda x: (x.paid_on, str(x.id)))
                ),
                "hire": hires.get(r.id),
                "contracts": tuple(contracts[r.id]),
                "sne_referral_conflicts": conflicts.get(r.id, ()),
                "complaints": tuple(sorted(complaints[r.id], key=lambda c: str(c.id))),
            },
        )
        for r in recruitments
    ]
    return await _completed(session, gathered, holders)


def season_of(job_order_start: date | None, hire_start: date | None) -> int | None:
    """The season of a case or a hire: the year its job order's work starts, else the year of
    the hire's start date."""
    start = job_order_start or hire_start
    return start.year if start else None


def _iso_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


async def _completed(
    session: AsyncSession,
    gathered: list[_Gathered],
    holders: dict[str, set[UUID]],
    case_statuses: dict[UUID, str | None] | None = None,
) -> list[facts.CaseFacts]:
    """The facts of the gathered cases, with what the official lists say of them and their
    seasons (each case's facts are built once: a batch's copies were a tenth of its loading)."""
    if case_statuses is None:
        case_statuses = await _case_statuses(
            session, {case.recruitment.job_order_id for case in gathered}
        )
    growers = await _grower_parties(session, {case.recruitment.grower_id for case in gathered})
    keys_of_case = [_name_keys(case, growers.get(case.recruitment.grower_id)) for case in gathered]
    entries = await _debarment_entries(session, set().union(*keys_of_case))
    seasons = [season_of(case.terms[1].period_start, case.hire_start) for case in gathered]
    hired = await _grower_seasons(
        session,
        {
            case.recruitment.grower_id
            for case, season in zip(gathered, seasons, strict=True)
            if case.held.get("hire") is not None and case.held.get("complaints") and season
        },
    )
    return [
        _case_facts(
            case,
            holders,
            case_status=case_statuses.get(case.recruitment.job_order_id),
            grower=growers.get(case.recruitment.grower_id),
            debarments=tuple(entry for key in sorted(keys) for entry in entries[key]),
            season=season,
            grower_seasons=tuple(
                hired[case.recruitment.grower_id, year]
                for year in ((season, season + 1) if season else ())
                if (case.recruitment.grower_id, year) in hired
            ),
        )
        for case, keys, season in zip(gathered, keys_of_case, seasons, strict=True)
    ]


def _name_keys(case: _Gathered, grower: facts.Party | None) -> set[str]:
    """The keys of every name of the case's parties, as the debarment list is searched."""
    return name_keys_of(
        [*(grower.names if grower else ()), *(link.intermediary.name for link in case.chain)]
    )


def _case_facts(
    case: _Gathered,
    holders: dict[str, set[UUID]],
    *,
    case_status: str | None,
    **completed: Any,
) -> facts.CaseFacts:
    r, worker = case.recruitment, case.worker
    version, job_terms = case.terms
    sharing = holders.get(worker.passport_number or "", set()) - {worker.id}
    return facts.CaseFacts(
        recruitment_id=r.id,
        grower_id=r.grower_id,
        worker=facts.Worker(
            id=worker.id,
            preferred_language=worker.preferred_language,
            nationality=worker.nationality,
            workers_sharing_identity=tuple(sorted(sharing)),
        ),
        job_order=facts.JobOrder(
            id=r.job_order_id,
            version=version,
            terms=job_terms,
            case_status=case_status,  # type: ignore[arg-type]
        ),
        channel=r.channel,
        channel_verification=r.channel_verification,
        sne_folio=r.sne_folio,
        sne_office_id=r.sne_office_id,
        chain=case.chain,
        milestones=facts.Milestones(
            recruited=r.recruited_on,
            contract_disclosed=r.contract_disclosed_on,
            visa_applied=r.visa_applied_on,
            visa_issued=r.visa_issued_on,
            arrived=r.arrived_on,
            hired=r.hired_on,
            completed=r.completed_on,
            withdrawn=r.withdrawn_on,
            departed_early=r.departed_early_on,
        ),
        **case.held,
        **completed,
    )


async def _case_statuses(session: AsyncSession, job_order_ids: set[UUID]) -> dict[UUID, str | None]:
    """OFLC's decision on each of these job orders that was imported from its disclosure data."""
    return dict(
        await _rows(
            session,
            select_columns(col(JobOrder.id), col(JobOrder.case_status)).where(
                among(col(JobOrder.id), job_order_ids),
                col(JobOrder.case_status).is_not(None),
            ),
        )
    )


# Statements every new case runs, built once: a statement built anew costs its construction and
# its cache key on every call, a tenth of a millisecond that a hire pays for each.
_GROWER_PARTIES = select_columns(
    col(Grower.id), col(Grower.legal_name), col(Grower.trade_name), col(Grower.state)
).where(among_bound(col(Grower.id), "grower_ids"))
_DEBARMENTS: Any = Debarment.__table__  # type: ignore[attr-defined]
_DEBARMENT_ENTRIES = select_columns(
    *(_DEBARMENTS.c[name] for name in ("name_key", *_named_as(facts.DebarmentEntry)))
).where(col(Debarment.name_key) == any_(bindparam("name_keys", type_=ARRAY(String()))))
_COMPLAINANTS_CASES = (
    select_columns(col(Complaint.recruitment_id))
    .where(
        col(Complaint.grower_id) == bindparam("grower_id"),
        col(Complaint.recruitment_id).is_not(None),
        col(Complaint.status) != "closed_unfounded",
    )
    .distinct()
)


async def _grower_parties(session: AsyncSession, grower_ids: set[UUID]) -> dict[UUID, facts.Party]:
    """The growers' names and states, as the debarment list is matched against them."""
    return {
        grower_id: facts.Party(names=tuple(n for n in (legal, trade) if n), state=state)
        for grower_id, legal, trade, state in await _rows(
            session, _GROWER_PARTIES, {"grower_ids": list(grower_ids)}
        )
    }


async def _debarment_entries(
    session: AsyncSession, name_keys: set[str]
) -> dict[str, list[facts.DebarmentEntry]]:
    """The debarment list's entries bearing any of these names."""
    entries: dict[str, list[facts.DebarmentEntry]] = defaultdict(list)
    for name_key, *entry in (
        await _rows(session, _DEBARMENT_ENTRIES, {"name_keys": sorted(name_keys)})
        if name_keys
        else ()
    ):
        entries[name_key].append(facts.DebarmentEntry(*entry))
    return entries


_GROWER_HIRES = (
    select_columns(
        col(Hire.grower_id),
        col(Hire.worker_id),
        col(Hire.start_date),
        col(JobOrderVersion.terms)["period_start"].astext,
    )
    .join(JobOrder, col(JobOrder.id) == col(Hire.job_order_id))
    .join(JobOrderVersion, is_current_version())
    .where(among_bound(col(Hire.grower_id), "grower_ids"))
)


async def _grower_seasons(
    session: AsyncSession, grower_ids: set[UUID]
) -> dict[tuple[UUID, int], facts.SeasonHires]:
    """The hires of each of these growers by season (one query, none without growers): a hired
    case with a complaint is judged by its grower's hires in its season and the next."""
    hired: dict[tuple[UUID, int], set[UUID]] = defaultdict(set)
    first_start: dict[tuple[UUID, int], date] = {}
    for grower_id, worker_id, start_date, period in (
        await _rows(session, _GROWER_HIRES, {"grower_ids": list(grower_ids)}) if grower_ids else ()
    ):
        year = season_of(_iso_date(period), start_date)
        assert year is not None  # a hire always has a start date
        hired[grower_id, year].add(worker_id)
        first_start[grower_id, year] = min(
            first_start.get((grower_id, year), start_date), start_date
        )
    return {
        key: facts.SeasonHires(
            year=key[1], worker_ids=frozenset(workers), first_start=first_start[key]
        )
        for key, workers in hired.items()
    }


def _flag_values(case: facts.CaseFacts, worker_id: UUID, finding: Finding) -> dict[str, Any]:
    return {
        "recruitment_id": case.recruitment_id,
        "grower_id": case.grower_id,
        "worker_id": worker_id,
        "code": finding.code,
        "severity": finding.severity,
        "subject": finding.subject,
        "evidence": finding.evidence,
        "source": finding.source,
        "fingerprint": finding.fingerprint,
    }


def new_case_flags(
    case: facts.CaseFacts, as_of: date, reference: Reference
) -> list[dict[str, Any]]:
    """The flags a new case opens, as rows of the flags table: every finding, since it has none
    stored to reconcile with."""
    return bulk.with_defaults(
        Flag,
        (
            _flag_values(case, case.worker.id, finding)
            for finding in evaluate(case, as_of, reference)
        ),
    )


@dataclass
class FlagChanges:
    """What bringing a batch's stored flags in line with its findings writes: new flags (ready
    for COPY), revised ones, and the status history of those reopened or resolved."""

    inserts: bulk.Records
    updates: list[dict[str, Any]]
    history: list[dict[str, Any]]


async def stored_flags(session: AsyncSession, cases: Cases) -> dict[UUID, list[ExistingFlag]]:
    """The flags of these cases that are not resolved, by case."""
    stored: dict[UUID, list[ExistingFlag]] = defaultdict(list)
    for flag_id, recruitment_id, code, subject, status, fingerprint in await _rows(
        session,
        select_columns(
            col(Flag.id),
            col(Flag.recruitment_id),
            col(Flag.code),
            col(Flag.subject),
            col(Flag.status),
            col(Flag.fingerprint),
        ).where(of_cases(col(Flag.recruitment_id), cases), col(Flag.status) != "resolved"),
    ):
        stored[recruitment_id].append(ExistingFlag(flag_id, code, subject, status, fingerprint))
    return stored


def plan_flag_changes(
    cases: Sequence[facts.CaseFacts],
    stored: dict[UUID, list[ExistingFlag]],
    as_of: date,
    reference: Reference,
    summary: EvaluationSummary,
) -> FlagChanges:
    """Evaluate the cases and plan the writes that bring their stored flags in line; counts
    what it finds and plans in `summary`. Reads nothing: a process without the caller's
    transaction can plan a batch the caller then writes."""
    now = utc_now()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for case, findings in zip(cases, evaluate_all(cases, as_of, reference), strict=True):
        kept = stored.get(case.recruitment_id, [])
        plan = reconcile(kept, findings)
        summary.cases += 1
        for finding in findings:
            summary.by_code[finding.code] += 1
        if plan.is_empty:
            continue
        for finding in plan.to_open:
            opened = _flag_values(case, case.worker.id, finding)
            # The batch's moment, as its updates have: one object to pickle, not one a flag.
            opened["created_at"] = opened["status_changed_at"] = now
            inserts.append(opened)
        for revision in plan.to_update:
            updates.append(
                {
                    "id": revision.flag_id,
                    "evidence": revision.finding.evidence,
                    "fingerprint": revision.finding.fingerprint,
                    "severity": revision.finding.severity,
                    "source": revision.finding.source,
                }
            )
        for revision in plan.to_reopen:
            note = "reopened: the facts changed since it was dismissed"
            updates.append(
                {
                    "id": revision.flag_id,
                    "evidence": revision.finding.evidence,
                    "fingerprint": revision.finding.fingerprint,
                    "severity": revision.finding.severity,
                    "source": revision.finding.source,
                    "status": "open",
                    "status_note": note,
                    "status_changed_by": SYSTEM,
                    "status_changed_at": now,
                }
            )
            history.append(_change(revision.flag_id, "dismissed", "open", note))
        for resolution in plan.to_resolve:
            updates.append(
                {
                    "id": resolution.flag_id,
                    "status": "resolved",
                    "status_note": resolution.reason,
                    "status_changed_by": SYSTEM,
                    "status_changed_at": now,
                }
            )
            previous = next(f.status for f in kept if f.id == resolution.flag_id)
            history.append(_change(resolution.flag_id, previous, "resolved", resolution.reason))
        summary.opened += len(plan.to_open)
        summary.updated += len(plan.to_update)
        summary.reopened += len(plan.to_reopen)
        summary.resolved += len(plan.to_resolve)
    # Encoded where they are planned: a process that plans batches for the one that writes them
    # spares it the work.
    return FlagChanges(bulk.records_of(Flag, inserts), updates, history)


async def write_flag_changes(session: AsyncSession, changes: FlagChanges) -> None:
    # Rows of one shape go together: executemany needs the same keys in every row.
    for shape in {frozenset(row) for row in changes.updates}:
        await session.exec(
            update(Flag), params=[row for row in changes.updates if frozenset(row) == shape]
        )
    await bulk.copy(session, changes.inserts)
    await bulk.copy_rows(session, FlagStatusChange, changes.history)


def _change(flag_id: UUID, before: str, after: str, note: str) -> dict[str, Any]:
    return {
        "flag_id": flag_id,
        "from_status": before,
        "to_status": after,
        "note": note,
        "changed_by": SYSTEM,
    }


async def reevaluate(
    session: AsyncSession,
    recruitment_ids: Iterable[UUID] | None = None,
    *,
    as_of: date | None = None,
) -> EvaluationSummary:
    """Re-evaluate these cases (every case when None) and bring their flags in line."""
    day = as_of or clock.today()
    reference = await load_reference(session)
    summary = EvaluationSummary()
    batches = (
        _every_case(session)
        if recruitment_ids is None
        else _batches_of(sorted(set(recruitment_ids)))
    )
    # While PostgreSQL writes one batch's flag changes, the next batch is judged in a thread:
    # writing and judging a batch take about as long, and the connection can't read the next
    # batch's facts while it writes, so the facts are read first. The first batch (often the
    # only one) has nothing to overlap and is judged here.
    planned: FlagChanges | None = None
    async for batch in batches:
        cases = await load_facts(session, batch)
        stored = await stored_flags(session, batch)
        if planned is None:
            planned = plan_flag_changes(cases, stored, day, reference, summary)
            continue
        writing = asyncio.create_task(write_flag_changes(session, planned))
        try:
            planned = await asyncio.to_thread(
                plan_flag_changes, cases, stored, day, reference, summary
            )
        finally:
            await writing
    if planned is not None:
        await write_flag_changes(session, planned)
    await refresh_flag_statistics(session, summary)
    return summary


async def _batches_of(ids: list[UUID]) -> AsyncIterator[list[UUID]]:
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


async def _every_case(session: AsyncSession) -> AsyncIterator[CaseRange]:
    after: UUID | None = None
    while True:
        query = select(Recruitment.id).order_by(col(Recruitment.id)).limit(BATCH_SIZE)
        if after is not None:
            query = query.where(col(Recruitment.id) > after)
        ids = list(await session.exec(query))
        if not ids:
            return
        yield CaseRange(ids[0], ids[-1])
        after = ids[-1]


# Flags written by one evaluation beyond which the planner's statistics of the table are taken
# again: the first re-verification of a program opens a flag or two per case, and until
# autovacuum next analyzed the table the planner read each batch's flags by scanning all of them.
RESTATE_FLAGS_FROM = 10_000
# What queries of flags select, group and order by. The others' statistics would serve no query,
# and the evidence's took most of the time: over 151,000 flags 0.8 s, against 0.4 s for these.
_QUERIED_FLAG_COLUMNS = (
    "id",
    "created_at",
    "recruitment_id",
    "grower_id",
    "worker_id",
    "code",
    "severity",
    "subject",
    "status",
)


async def refresh_flag_statistics(session: AsyncSession, summary: EvaluationSummary) -> None:
    if summary.opened + summary.updated + summary.reopened + summary.resolved >= RESTATE_FLAGS_FROM:
        columns = ", ".join(_QUERIED_FLAG_COLUMNS)
        await (await session.connection()).execute(text(f"ANALYZE flags ({columns})"))


async def cases_of_job_order(session: AsyncSession, job_order_id: UUID) -> list[UUID]:
    return list(
        await session.exec(select(Recruitment.id).where(Recruitment.job_order_id == job_order_id))
    )


async def cases_with_intermediary(session: AsyncSession, intermediary_id: UUID) -> list[UUID]:
    chained = select(ChainLink.recruitment_id).where(
        ChainLink.intermediary_id == intermediary_id, col(ChainLink.replaced_at).is_(None)
    )
    return list(
        await session.exec(
            select(Recruitment.id).where(
                or_(
                    col(Recruitment.sne_office_id) == intermediary_id,
                    col(Recruitment.id).in_(chained),
                )
            )
        )
    )


async def cases_of_worker(session: AsyncSession, worker_id: UUID) -> list[UUID]:
    return await cases_of_workers(session, [worker_id])


async def cases_of_workers(session: AsyncSession, worker_ids: Iterable[UUID]) -> list[UUID]:
    return list(
        await session.exec(
            select(Recruitment.id).where(among(col(Recruitment.worker_id), worker_ids))
        )
    )


async def complainants_cases_of_grower(session: AsyncSession, grower_id: UUID) -> list[UUID]:
    """The cases of a grower that a complaint names (unfounded ones aside): a new hire of the
    grower can make one of them a worker not re-hired, or a worker re-hired after all."""
    return [
        case_id
        for (case_id,) in await _rows(session, _COMPLAINANTS_CASES, {"grower_id": grower_id})
    ]
