"""Roster imports: a grower's season from a spreadsheet, all of it or none of it.

The file is read once, streaming: each row is checked (alone, against the other rows, and
against the records) and every problem reported; unless it is a dry run, each batch of checked
rows is COPYed into a temporary table and its records written from there by a few set-based
statements, while the next batch is read. The writes are under a savepoint: a problem in any row
rolls all of them back, so a file is imported whole or not at all. Only a whole file's new cases
are evaluated, once every record is written. Re-importing a file changes nothing: a worker already
recruited for the job order is left as it is.
"""

import asyncio
import hashlib
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    Table,
    Uuid,
    exists,
    func,
    literal,
    or_,
    text,
    tuple_,
    update,
)

# sqlmodel's select is typed for at most four columns.
from sqlalchemy import select as select_columns
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.imports.roster import (
    MILESTONE_COLUMNS,
    RosterHeader,
    RosterRow,
    RowProblem,
    read_roster,
)
from recruitment.models import (
    AuditEvent,
    ChainLink,
    Cost,
    Hire,
    Intermediary,
    JobOrder,
    JobOrderVersion,
    Recruitment,
    Worker,
    is_current_version,
)
from recruitment.models.base import new_id
from recruitment.schemas.common import readable_message
from recruitment.schemas.recruitments import CostCreate
from recruitment.schemas.workers import WorkerIdentity
from recruitment.services import bulk, cases, intermediaries
from recruitment.services.caller import Caller
from recruitment.services.growers import find_grower
from recruitment.services.workers import folded, same_person

BATCH_ROWS = 2_000
# Rows read between turns of the event loop while a batch's records are being written: often
# enough that each of its statements is sent soon after the last one's answer, seldom enough that
# the turns cost little (a turn is a few microseconds; reading a row, about 40).
ROWS_BETWEEN_TURNS = 20


@dataclass
class RosterReport:
    dry_run: bool
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    workers_created: int = 0
    recruitments_created: int = 0
    recruitments_unchanged: int = 0
    hires_created: int = 0
    costs_created: int = 0
    flags_opened: int = 0

    @property
    def imported(self) -> bool:
        return not self.dry_run and not self.problems


class _References:
    """What the rows may refer to by name or id: the grower's job orders and the intermediaries
    it may see. Loaded once: both are a grower's own short lists."""

    def __init__(self) -> None:
        self.job_orders: dict[str, UUID] = {}
        self.intermediaries: dict[str, list[Intermediary]] = defaultdict(list)

    @classmethod
    async def load(
        cls, session: AsyncSession, grower_view: Caller, grower_id: UUID
    ) -> "_References":
        references = cls()
        current = await session.exec(
            select(JobOrderVersion)
            .join(JobOrder, is_current_version())
            .where(JobOrder.grower_id == grower_id)
        )
        for version in current:
            references.job_orders[str(version.job_order_id)] = version.job_order_id
            number = (version.terms or {}).get("job_order_number")
            if number:
                references.job_orders[folded(number)] = version.job_order_id
        for intermediary in await session.exec(
            select(Intermediary).where(intermediaries.visible_to(grower_view))
        ):
            references.intermediaries[str(intermediary.id)].append(intermediary)
            references.intermediaries[folded(intermediary.name)].append(intermediary)
        return references

    def job_order(self, reference: str) -> UUID | None:
        return self.job_orders.get(reference) or self.job_orders.get(folded(reference))

    def intermediary(self, reference: str) -> list[Intermediary]:
        return self.intermediaries.get(reference) or self.intermediaries.get(folded(reference), [])


@dataclass(frozen=True)
class _Resolved:
    row: RosterRow
    job_order_id: UUID
    sne_office_id: UUID | None
    intermediary_id: UUID | None
    employer: tuple[str, UUID | None]
    payer: tuple[str, UUID | None]


def _resolve(row: RosterRow, refs: _References, problems: list[RowProblem]) -> _Resolved | None:
    found = len(problems)

    def one(column: str, reference: str, kinds: set[str] | None = None) -> UUID | None:
        matches = [i for i in refs.intermediary(reference) if kinds is None or i.kind in kinds]
        if not matches:
            what = "SNE office" if kinds == {"sne_office"} else "intermediary"
            problems.append(RowProblem(row.row, column, f"no {what} {reference!r} on record"))
            return None
        if len({m.id for m in matches}) > 1:
            problems.append(RowProblem(row.row, column, f"{reference!r} names several; use the id"))
            return None
        return matches[0].id

    job_order_id = refs.job_order(row.job_order)
    if job_order_id is None:
        problems.append(
            RowProblem(row.row, "job_order", f"no job order {row.job_order!r} of this grower")
        )
    office = one("sne_office", row.sne_office, {"sne_office"}) if row.sne_office else None
    recruiter = one("intermediary", row.intermediary) if row.intermediary else None

    def party(column: str, value: str | None) -> tuple[str, UUID | None]:
        if value is None or folded(value) == "grower":
            return ("grower", None)
        return ("intermediary", one(column, value))

    employer = party("employer_of_record", row.employer_of_record)
    payer = party("wages_paid_by", row.wages_paid_by)
    if row.cost is not None:
        try:
            CostCreate.model_validate(
                {
                    "category": row.cost.category,
                    "purpose": row.cost.purpose,
                    "amount": {"amount": row.cost.amount, "currency": row.cost.currency},
                    "paid_on": row.cost.paid_on,
                    "payee_kind": "other",
                    "payee_name": row.cost.payee,
                    "reported_by": row.cost.reported_by,
                }
            )
        except ValueError as error:
            problems.append(RowProblem(row.row, "cost_category", _first_message(error)))
        if row.cost.paid_on > clock.today():
            problems.append(
                RowProblem(
                    row.row, "cost_paid_on", "a cost can't be recorded as paid in the future"
                )
            )
        if row.cost.reported_by == "audit_interview":
            problems.append(
                RowProblem(row.row, "cost_reported_by", "audit interviews are recorded by staff")
            )
    if len(problems) > found or job_order_id is None:
        return None
    return _Resolved(row, job_order_id, office, recruiter, employer, payer)


def _first_message(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {readable_message(first)}"
    return str(error)


async def _workers_on_record(session: AsyncSession, rows: list[_Resolved]) -> list[Worker]:
    """The workers any of these rows names, by CURP or by passport."""
    curps = [r.row.worker.curp for r in rows if r.row.worker.curp]
    passports = [
        (r.row.worker.passport_country, r.row.worker.passport_number)
        for r in rows
        if r.row.worker.passport_number
    ]
    clauses = [col(Worker.curp).in_(curps)] if curps else []
    if passports:
        document = tuple_(col(Worker.passport_country), col(Worker.passport_number))
        clauses.append(document.in_(passports))
    if not clauses:
        return []
    return list(await session.exec(select(Worker).where(or_(*clauses))))


def _matches_on_record(identity: WorkerIdentity, on_record: list[Worker]) -> list[Worker]:
    """The workers on record a row's documents name: its CURP's, its passport's."""
    return [
        worker
        for worker in on_record
        if (identity.curp is not None and worker.curp == identity.curp)
        or (
            identity.passport_number is not None
            and (worker.passport_country, worker.passport_number)
            == (identity.passport_country, identity.passport_number)
        )
    ]


def _record_problem(row: RosterRow, matches: list[Worker]) -> RowProblem | None:
    """Why the row's worker can't be the one on record its documents name (`matches`), as the
    API's hire would refuse it."""
    identity, column = row.worker, row.identity_column
    if len(matches) > 1:
        return RowProblem(
            row.row, column, "the CURP and the passport belong to two different workers on record"
        )
    if not matches:
        return None
    worker = matches[0]
    if not same_person(worker, identity):
        return RowProblem(
            row.row, column, "this document is on record for a person with another name or date "
            "of birth",
        )  # fmt: skip
    if worker.curp and identity.curp and worker.curp != identity.curp:
        message = "this passport is on record with a different CURP"
        return RowProblem(row.row, "passport_number", message)
    return None


@dataclass(frozen=True)
class _Placed:
    checked: _Resolved
    worker_id: UUID
    new_worker: bool  # the first row of a person not on record: it writes the worker
    recruitment_id: UUID | None  # the first row of a worker's case: it writes the case


@dataclass(slots=True)
class _Person:
    first_row: int
    digest: bytes  # of the worker's data as the first row gives it
    worker_id: UUID | None = None  # once placed


class _People:
    """The people the file names, by identity key, as it is read (about 300 bytes each): the
    row that first named each and a digest of its data, to catch a person listed twice with
    different data; and whose each checked row is (the worker on record its documents name, else
    a new worker, and a new case for each worker's first row per job order). The ids are the
    records' own, so the rows are staged with them and the records written without matching
    rows to records again."""

    def __init__(self) -> None:
        self.by_key: dict[str, _Person] = {}
        self.with_a_case: dict[UUID, set[UUID]] = defaultdict(set)  # worker ids by job order
        # The workers this file adds. Its earlier batches are written while later ones are read,
        # and those workers are no record to check a row against: a row must be read the same
        # whichever batch it falls in.
        self.new_worker_ids: set[UUID] = set()

    def listed_before_otherwise(self, row: RosterRow) -> int | None:
        """The earlier row naming this person with other data, if any."""
        digest = hashlib.blake2b(row.worker.model_dump_json().encode(), digest_size=16).digest()
        person = self.by_key.setdefault(row.identity_key, _Person(row.row, digest))
        if person.first_row != row.row and person.digest != digest:
            return person.first_row
        return None

    def on_record(self, workers: list[Worker]) -> list[Worker]:
        """Of the workers the records hold, those that were there before this file."""
        return [worker for worker in workers if worker.id not in self.new_worker_ids]

    def place(self, checked: _Resolved, matches: list[Worker]) -> _Placed:
        """`matches`: the workers on record the row's documents name, one at most (a row naming
        two has a problem, and nothing is written)."""
        person = self.by_key[checked.row.identity_key]
        new_worker = False
        if person.worker_id is None:
            new_worker = not matches
            person.worker_id = matches[0].id if matches else new_id()
            if new_worker:
                self.new_worker_ids.add(person.worker_id)
        with_a_case = self.with_a_case[checked.job_order_id]
        recruitment_id = None
        if person.worker_id not in with_a_case:
            with_a_case.add(person.worker_id)
            recruitment_id = new_id()
        return _Placed(checked, person.worker_id, new_worker, recruitment_id)


IDENTITY = tuple(WorkerIdentity.model_fields)
MILESTONES = tuple(f"{name}_on" for name in MILESTONE_COLUMNS.values())
COST = ("category", "purpose", "amount", "currency", "paid_on", "payee", "reported_by")


class _Staging:
    """A temporary table of the checked rows, from which the records are written set-based:
    a handful of statements per batch, built once for the file. It goes with the transaction.
    Each row carries the ids its records get (see `_People`)."""

    def __init__(self, table: Table, caller: Caller, grower_id: UUID) -> None:
        self.table = table
        self.created: list[UUID] = []  # the cases (recruitments) created
        self.workers_created = self.costs_created = self.hires_created = 0
        # Of the rows added since the last write: the new workers and the new cases.
        self._new_workers = self._new_cases = 0
        self._workers_taken = False
        self._replan_at = 1  # the cases written at which the plans are next dropped
        self._statements = _Writes(table, caller, grower_id)

    @classmethod
    async def create(cls, session: AsyncSession, caller: Caller, grower_id: UUID) -> "_Staging":
        def like(model: type[SQLModel], name: str, as_name: str | None = None) -> Column[Any]:
            return Column(as_name or name, model.__table__.c[name].type)  # type: ignore[attr-defined]

        table = Table(
            f"roster_rows_{uuid.uuid4().hex[:12]}",
            MetaData(),
            Column("row", Integer, primary_key=True, autoincrement=False),
            Column("worker_id", Uuid, nullable=False),
            Column("new_worker", Boolean, nullable=False),
            # Null on a later row of the same case, and on a case found on record when written.
            Column("recruitment_id", Uuid),
            *(like(Worker, name) for name in IDENTITY),
            *(like(Recruitment, name) for name in ("job_order_id", "channel", "sne_folio")),
            like(Recruitment, "sne_office_id"),
            like(ChainLink, "intermediary_id"),
            like(ChainLink, "written_fee_ban"),
            *(like(Recruitment, name) for name in MILESTONES),
            *(like(Cost, "payee_name" if n == "payee" else n, f"cost_{n}") for n in COST),
            like(Hire, "start_date"),
            like(Hire, "employer_of_record_kind"),
            like(Hire, "employer_of_record_id"),
            like(Hire, "wages_paid_by_kind"),
            like(Hire, "wages_paid_by_id"),
            prefixes=["TEMPORARY"],
            postgresql_on_commit="DROP",
        )
        await (await session.connection()).run_sync(table.create)
        return cls(table, caller, grower_id)

    async def add(self, session: AsyncSession, rows: list[_Placed]) -> None:
        def values(placed: _Placed) -> dict[str, Any]:
            r = placed.checked
            row, cost = r.row, r.row.cost
            return {
                "row": row.row,
                "worker_id": placed.worker_id,
                "new_worker": placed.new_worker,
                "recruitment_id": placed.recruitment_id,
                **{name: getattr(row.worker, name) for name in IDENTITY},
                "job_order_id": r.job_order_id,
                "channel": row.channel,
                "sne_folio": row.sne_folio,
                "sne_office_id": r.sne_office_id,
                "intermediary_id": r.intermediary_id,
                "written_fee_ban": row.intermediary_fee_ban,
                **{name: row.milestones.get(name.removesuffix("_on")) for name in MILESTONES},
                **{f"cost_{name}": getattr(cost, name) if cost else None for name in COST},
                "start_date": row.start_date,
                "employer_of_record_kind": r.employer[0],
                "employer_of_record_id": r.employer[1],
                "wages_paid_by_kind": r.payer[0],
                "wages_paid_by_id": r.payer[1],
            }

        staged = [c.name for c in self.table.columns]
        records = [tuple(by_name[name] for name in staged) for by_name in map(values, rows)]
        await bulk.copy_records(session, self.table.name, staged, records)
        self._new_workers += sum(placed.new_worker for placed in rows)
        self._new_cases += sum(placed.recruitment_id is not None for placed in rows)

    async def write(self, session: AsyncSession) -> None:
        """Write the records of the rows added since the last write, and empty the table."""
        statements = self._statements
        connection = await session.connection()
        if self._new_cases:
            created_workers = len((await connection.execute(statements.workers)).all())
            self.workers_created += created_workers
            # Someone else recorded one of these people since the rows were checked, or two
            # people of the file are one (a CURP in one row, its passport alone in another).
            # Their later rows are staged with the id that was not written: every later batch
            # looks too.
            self._workers_taken |= created_workers < self._new_workers
            if self._workers_taken:
                for statement in statements.take_workers_on_record:
                    await connection.execute(statement)
            created = list((await connection.execute(statements.recruitments)).scalars())
            if len(created) < self._new_cases:
                # A case already on record stays as it is: only the new ones get links, costs,
                # a hire.
                await connection.execute(statements.leave_cases_on_record)
            await connection.execute(statements.chain_links)
            self.costs_created += (await connection.execute(statements.costs)).rowcount
            self.hires_created += (await connection.execute(statements.hires)).rowcount
            await connection.execute(statements.audit_events)
            self.created.extend(created)
        # Holding only a batch, the table is read whole by each statement.
        await connection.execute(statements.empty)
        self._new_workers = self._new_cases = 0
        if len(self.created) >= self._replan_at:
            # PostgreSQL plans a foreign key's check once per connection and keeps the plan: made
            # while the tables held little more than the first batch, a check scans them whole,
            # and the import slows by the square of its size. Dropped as the cases written
            # double, the plans are made again for the tables' new size.
            await connection.exec_driver_sql("DISCARD PLANS")
            self._replan_at = 2 * len(self.created)


class _Writes:
    """The statements that write a batch's records from the staging table, built once for the
    file."""

    def __init__(self, table: Table, caller: Caller, grower_id: UUID) -> None:
        rows = table.c
        self.empty = text(f"TRUNCATE {table.name}")
        self.workers = (
            bulk.insert_selected(
                Worker,
                {"id": rows.worker_id, **{name: rows[name] for name in IDENTITY}},
                where=rows.new_worker,
            )
            .on_conflict_do_nothing()
            .returning(col(Worker.id))
        )
        self.take_workers_on_record = _taking_workers_on_record(table)
        cases = select_columns(*rows).where(rows.recruitment_id.is_not(None)).subquery()
        self.recruitments = (
            bulk.insert_selected(
                Recruitment,
                {
                    "id": cases.c.recruitment_id,
                    "grower_id": literal(grower_id),
                    "worker_id": cases.c.worker_id,
                    "job_order_id": cases.c.job_order_id,
                    "channel": cases.c.channel,
                    "sne_folio": cases.c.sne_folio,
                    "sne_office_id": cases.c.sne_office_id,
                    **{name: cases.c[name] for name in MILESTONES},
                },
            )
            .on_conflict_do_nothing(index_elements=["worker_id", "job_order_id"])
            .returning(col(Recruitment.id))
        )
        recruitments = Recruitment.__table__  # type: ignore[attr-defined]
        self.leave_cases_on_record = (
            update(table)
            .values(recruitment_id=None)
            .where(
                rows.recruitment_id.is_not(None),
                ~exists().where(recruitments.c.id == rows.recruitment_id),
            )
        )
        # The cases the batch created: the update above left only theirs with an id.
        new = cases.c
        self.chain_links = bulk.insert_selected(
            ChainLink,
            {
                "recruitment_id": new.recruitment_id,
                "position": literal(0),
                "intermediary_id": new.intermediary_id,
                "engaged_by": literal("grower"),
                "written_fee_ban": new.written_fee_ban,
            },
            where=new.intermediary_id.is_not(None),
        )
        self.costs = bulk.insert_selected(
            Cost,
            {
                "recruitment_id": new.recruitment_id,
                "grower_id": literal(grower_id),
                "worker_id": new.worker_id,
                **{"payee_name" if name == "payee" else name: new[f"cost_{name}"] for name in COST},
                "payee_kind": literal("other"),
                "recorded_by": literal(caller.actor),
                "recorded_by_staff": literal(caller.is_staff),
            },
            where=new.cost_category.is_not(None),
        )
        self.hires = bulk.insert_selected(
            Hire,
            {
                "recruitment_id": new.recruitment_id,
                "grower_id": literal(grower_id),
                "worker_id": new.worker_id,
                "job_order_id": new.job_order_id,
                "start_date": new.start_date,
                "employer_of_record_kind": new.employer_of_record_kind,
                "employer_of_record_id": func.coalesce(
                    new.employer_of_record_id, literal(grower_id)
                ),
                "wages_paid_by_kind": new.wages_paid_by_kind,
                "wages_paid_by_id": func.coalesce(new.wages_paid_by_id, literal(grower_id)),
            },
            where=new.start_date.is_not(None),
        )
        self.audit_events = bulk.insert_selected(
            AuditEvent,
            {
                "actor": literal(caller.actor),
                "actor_role": literal(caller.role),
                "action": literal("recruitment.import"),
                "subject_type": literal("recruitment"),
                "subject_id": new.recruitment_id,
                "grower_id": literal(grower_id),
                "after": func.jsonb_build_object("roster_row", new.row),
                "request_id": literal(caller.request_id),
            },
        )


def _taking_workers_on_record(table: Table) -> list[Any]:
    """Rows whose new worker was not written take the worker on record their documents name,
    by CURP first, as the rows were checked."""
    rows = table.c
    workers = Worker.__table__  # type: ignore[attr-defined]
    written = workers.alias("written")
    unwritten = ~exists().where(written.c.id == rows.worker_id)
    return [
        update(table).values(worker_id=workers.c.id).where(unwritten, rows.curp == workers.c.curp),
        update(table)
        .values(worker_id=workers.c.id)
        .where(
            unwritten,
            rows.passport_country == workers.c.passport_country,
            rows.passport_number == workers.c.passport_number,
        ),
    ]


async def _resolved_batches(
    lines: Iterable[str], refs: _References, report: RosterReport
) -> AsyncIterator[tuple[int, list[_Resolved]]]:
    """The file's rows, each read and resolved on its own, a batch at a time: how many rows the
    batch read, and those resolved; what can't be goes to the report's problems. Streams: only
    the current batch is held. Between rows it lets the event loop run, so that the statements
    writing the last batch go on while this one is read."""
    records = read_roster(lines)
    header = next(records)
    assert isinstance(header, RosterHeader)
    report.unknown_columns = header.unknown
    for missing in header.missing:
        report.problems.append(RowProblem(1, missing, "required column is missing"))
    read, resolved = 0, []
    for record in records:
        read += 1
        if isinstance(record, list):
            report.problems.extend(record)
        elif (
            isinstance(record, RosterRow)
            and (checked := _resolve(record, refs, report.problems)) is not None
        ):
            resolved.append(checked)
        if read % ROWS_BETWEEN_TURNS == 0:
            await asyncio.sleep(0)
        if read == BATCH_ROWS:
            report.rows += read
            yield read, resolved
            read, resolved = 0, []
    if read:
        report.rows += read
        yield read, resolved


async def _check(
    session: AsyncSession,
    lines: Iterable[str],
    refs: _References,
    report: RosterReport,
    people: _People,
    staging: _Staging | None,
    on_rows: Callable[[int], None],
) -> None:
    """The one reading of the file: every problem of every row, in the file's order; unless it is
    a dry run, each batch goes to the staging table as it is checked, and its records are written
    while the next is read, until a problem is found. Besides the current batch it keeps
    `people`."""
    writing: asyncio.Task[None] | None = None
    try:
        async for read, batch in _resolved_batches(lines, refs, report):
            fresh: list[_Resolved] = []
            for checked in batch:
                row = checked.row
                if (earlier := people.listed_before_otherwise(row)) is not None:
                    message = f"the same worker is on row {earlier} with other data"
                    report.problems.append(RowProblem(row.row, row.identity_column, message))
                else:
                    fresh.append(checked)
            if writing is not None:
                # The connection is the last batch's until its records are written.
                await writing
                writing = None
            on_record = people.on_record(await _workers_on_record(session, fresh))
            named = [(c, _matches_on_record(c.row.worker, on_record)) for c in fresh]
            for checked, matches in named:
                if (problem := _record_problem(checked.row, matches)) is not None:
                    report.problems.append(problem)
            if staging is not None and not report.problems:
                await staging.add(
                    session, [people.place(checked, matches) for checked, matches in named]
                )
                writing = asyncio.create_task(staging.write(session))
            on_rows(read)
    finally:
        if writing is not None:
            # Whatever stopped the reading, no statement is left running on the connection;
            # the write's own failure, if any, is raised.
            await writing
    report.problems.sort(key=lambda problem: (problem.row, problem.column or ""))


async def import_roster(
    session: AsyncSession,
    caller: Caller,
    grower_id: UUID,
    open_lines: Callable[[], Iterable[str]],
    *,
    dry_run: bool,
    on_rows: Callable[[int], None] = lambda count: None,
) -> RosterReport:
    """Check the roster and, unless it is a dry run or a problem was found, import all of it.

    The file is read once, from `open_lines()`: its checked rows go to a temporary table batch by
    batch, and each batch's records are written from there by a few set-based statements.
    """
    grower = await find_grower(session, caller, grower_id)
    grower_view = Caller(actor=caller.actor, role="grower", grower_id=grower.id)
    refs = await _References.load(session, grower_view, grower.id)
    report = RosterReport(dry_run=dry_run)
    touched = await _check_and_write(
        session, caller, grower.id, open_lines(), refs, report, on_rows
    )
    if touched is None:
        return report
    # The season's hires can make a complainant of the last one a worker not re-hired.
    complainants = await cases.complainants_cases_of_grower(session, grower.id)
    summary = await cases.reevaluate(session, {*touched, *complainants})
    report.flags_opened = summary.opened
    return report


async def _check_and_write(
    session: AsyncSession,
    caller: Caller,
    grower_id: UUID,
    lines: Iterable[str],
    refs: _References,
    report: RosterReport,
    on_rows: Callable[[int], None],
) -> list[UUID] | None:
    """The cases created, or None when nothing was written (a dry run, a problem). What it keeps
    of the file's people goes when it returns, before the cases are evaluated."""
    people = _People()
    if report.dry_run:
        await _check(session, lines, refs, report, people, None, on_rows)
        return None
    savepoint = await session.begin_nested()
    try:
        staging = await _Staging.create(session, caller, grower_id)
        await _check(session, lines, refs, report, people, staging, on_rows)
    except BaseException:
        await savepoint.rollback()
        raise
    if report.problems:
        # Rows before the first problem were written as they were read: none of it stays.
        await savepoint.rollback()
        return None
    await savepoint.commit()
    report.workers_created = staging.workers_created
    report.recruitments_created = len(staging.created)
    report.recruitments_unchanged = report.rows - len(staging.created)
    report.costs_created = staging.costs_created
    report.hires_created = staging.hires_created
    return staging.created


def summary(report: RosterReport) -> dict[str, int | bool]:
    """The counts of a report, as a job keeps them."""
    return {
        "rows": report.rows,
        "problems": len(report.problems),
        "workers_created": report.workers_created,
        "recruitments_created": report.recruitments_created,
        "recruitments_unchanged": report.recruitments_unchanged,
        "hires_created": report.hires_created,
        "costs_created": report.costs_created,
        "flags_opened": report.flags_opened,
        "imported": report.imported,
    }
