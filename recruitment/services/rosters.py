"""Roster imports: a grower's season from a spreadsheet, all of it or none of it.

The file is read twice, streaming: the first pass checks every row (alone, against the other
rows, and against the records) and reports every problem; the second, only when there is none,
writes in bulk, a batch of rows per multi-row statement. Re-importing a file changes nothing:
a worker already recruited for the job order is left as it is.
"""

import hashlib
import itertools
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.errors import InvalidInput
from recruitment.imports.roster import RosterHeader, RosterRow, RowProblem, read_roster
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
)
from recruitment.models.base import utc_now
from recruitment.schemas.recruitments import CostCreate
from recruitment.services import cases, intermediaries
from recruitment.services.caller import Caller
from recruitment.services.growers import find_grower
from recruitment.services.workers import folded, same_person

BATCH_ROWS = 500


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
            .join(
                JobOrder,
                and_(
                    col(JobOrder.id) == col(JobOrderVersion.job_order_id),
                    col(JobOrder.current_version) == col(JobOrderVersion.number),
                ),
            )
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
        return f"{where}: {first['msg']}"
    return str(error)


async def _existing_workers(session: AsyncSession, rows: list[_Resolved]) -> dict[str, Worker]:
    curps = [r.row.worker.curp for r in rows if r.row.worker.curp]
    passports = [
        and_(
            col(Worker.passport_country) == r.row.worker.passport_country,
            col(Worker.passport_number) == r.row.worker.passport_number,
        )
        for r in rows
        if r.row.worker.passport_number
    ]
    clauses = [col(Worker.curp).in_(curps)] if curps else []
    found: dict[str, Worker] = {}
    if not (clauses or passports):
        return found
    for worker in await session.exec(select(Worker).where(or_(*clauses, *passports))):
        if worker.curp:
            found[f"curp:{worker.curp}"] = worker
        if worker.passport_number:
            found[f"passport:{worker.passport_country}:{worker.passport_number}"] = worker
    return found


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _resolved_batches(
    lines: Iterable[str], refs: _References, report: RosterReport
) -> Iterator[list[_Resolved]]:
    """The file's rows, each read and resolved on its own, a batch at a time; what can't be
    goes to the report's problems. Streams: only the current batch is held."""
    records = read_roster(lines)
    header = next(records)
    assert isinstance(header, RosterHeader)
    report.unknown_columns = header.unknown
    for missing in header.missing:
        report.problems.append(RowProblem(1, missing, "required column is missing"))
    for batch in _batches(records, BATCH_ROWS):
        resolved: list[_Resolved] = []
        report.rows += len(batch)
        for record in batch:
            if isinstance(record, list):
                report.problems.extend(record)
            elif (checked := _resolve(record, refs, report.problems)) is not None:
                resolved.append(checked)
        yield resolved


async def _check(
    session: AsyncSession, lines: Iterable[str], refs: _References, report: RosterReport
) -> None:
    """The first pass: every problem of every row. Besides the current batch it keeps, per
    worker, the row and a digest of the worker's data (about 100 bytes), to catch a worker
    listed twice with different data."""
    seen: dict[str, tuple[int, str]] = {}
    for batch in _resolved_batches(lines, refs, report):
        fresh: list[_Resolved] = []
        for checked in batch:
            row = checked.row
            document = "curp" if row.worker.curp else "passport_number"
            digest = hashlib.blake2b(row.worker.model_dump_json().encode(), digest_size=16)
            earlier = seen.setdefault(row.identity_key, (row.row, digest.hexdigest()))
            if earlier[0] != row.row and earlier[1] != digest.hexdigest():
                report.problems.append(
                    RowProblem(
                        row.row, document, f"the same worker is on row {earlier[0]} with other data"
                    )
                )
            else:
                fresh.append(checked)
        on_record = await _existing_workers(session, fresh)
        for checked in fresh:
            worker = on_record.get(checked.row.identity_key)
            if worker is not None and not same_person(worker, checked.row.worker):
                report.problems.append(
                    RowProblem(
                        checked.row.row,
                        "curp" if checked.row.worker.curp else "passport_number",
                        "this document is on record for a person with another name or date "
                        "of birth",
                    )
                )


async def _write_batch(
    session: AsyncSession,
    caller: Caller,
    grower_id: UUID,
    rows: list[_Resolved],
    report: RosterReport,
) -> list[UUID]:
    fresh = {
        r.row.identity_key: {
            "id": uuid.uuid4(),
            "created_at": utc_now(),
            "version": 1,
            "updated_at": utc_now(),
            **r.row.worker.model_dump(),
        }
        for r in rows
    }
    if fresh:
        # executemany (insertmanyvalues): one cached statement, not one compiled per batch.
        created = await session.exec(
            insert(Worker).on_conflict_do_nothing().returning(col(Worker.id)),
            params=list(fresh.values()),
        )
        report.workers_created += len(list(created))
    workers = await _existing_workers(session, rows)
    now = utc_now()
    recruitment_rows = []
    for r in rows:
        recruitment_rows.append(
            {
                "id": uuid.uuid4(),
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "grower_id": grower_id,
                "worker_id": workers[r.row.identity_key].id,
                "job_order_id": r.job_order_id,
                "channel": r.row.channel,
                "sne_folio": r.row.sne_folio,
                "sne_office_id": r.sne_office_id,
                "channel_verification": "unverified",
                **{
                    f"{name}_on": r.row.milestones.get(name)
                    for name in (
                        "recruited",
                        "contract_disclosed",
                        "visa_applied",
                        "visa_issued",
                        "arrived",
                        "hired",
                    )
                },
            }
        )
    inserted = {
        (worker_id, job_order_id): recruitment_id
        for recruitment_id, worker_id, job_order_id in await session.exec(
            insert(Recruitment)
            .on_conflict_do_nothing(index_elements=["worker_id", "job_order_id"])
            .returning(
                col(Recruitment.id), col(Recruitment.worker_id), col(Recruitment.job_order_id)
            ),
            params=recruitment_rows,
        )
    }
    report.recruitments_created += len(inserted)
    report.recruitments_unchanged += len(rows) - len(inserted)
    links, costs, hires, events = [], [], [], []
    for r in rows:
        worker_id = workers[r.row.identity_key].id
        recruitment_id = inserted.get((worker_id, r.job_order_id))
        if recruitment_id is None:
            continue
        if r.intermediary_id is not None:
            links.append(
                {
                    "id": uuid.uuid4(),
                    "created_at": now,
                    "recruitment_id": recruitment_id,
                    "position": 0,
                    "intermediary_id": r.intermediary_id,
                    "engaged_by": "grower",
                    "written_fee_ban": r.row.intermediary_fee_ban,
                }
            )
        if r.row.cost is not None:
            cost = r.row.cost
            costs.append(
                {
                    "id": uuid.uuid4(),
                    "created_at": now,
                    "recruitment_id": recruitment_id,
                    "grower_id": grower_id,
                    "worker_id": worker_id,
                    "category": cost.category,
                    "purpose": cost.purpose,
                    "amount": cost.amount,
                    "currency": cost.currency,
                    "paid_on": cost.paid_on,
                    "payee_kind": "other",
                    "payee_name": cost.payee,
                    "reported_by": cost.reported_by,
                    "recorded_by": caller.actor,
                    "recorded_by_staff": caller.is_staff,
                }
            )
        if r.row.start_date is not None:
            hires.append(
                {
                    "id": uuid.uuid4(),
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                    "recruitment_id": recruitment_id,
                    "grower_id": grower_id,
                    "worker_id": worker_id,
                    "job_order_id": r.job_order_id,
                    "employer_of_record_kind": r.employer[0],
                    "employer_of_record_id": r.employer[1] or grower_id,
                    "wages_paid_by_kind": r.payer[0],
                    "wages_paid_by_id": r.payer[1] or grower_id,
                    "start_date": r.row.start_date,
                }
            )
        events.append(
            {
                "id": uuid.uuid4(),
                "created_at": now,
                "actor": caller.actor,
                "actor_role": caller.role,
                "action": "recruitment.import",
                "subject_type": "recruitment",
                "subject_id": recruitment_id,
                "grower_id": grower_id,
                "after": {"roster_row": r.row.row},
                "request_id": caller.request_id,
            }
        )
    for table, values in ((ChainLink, links), (Cost, costs), (Hire, hires), (AuditEvent, events)):
        if values:
            await session.exec(insert(table), params=values)
    report.costs_created += len(costs)
    report.hires_created += len(hires)
    return list(inserted.values())


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

    `open_lines` is called once per pass and must give the file's lines from the start.
    """
    grower = await find_grower(session, caller, grower_id)
    grower_view = Caller(actor=caller.actor, role="grower", grower_id=grower.id)
    refs = await _References.load(session, grower_view, grower.id)
    report = RosterReport(dry_run=dry_run)
    await _check(session, open_lines(), refs, report)
    report.problems.sort(key=lambda problem: (problem.row, problem.column or ""))
    if dry_run or report.problems:
        return report
    touched: list[UUID] = []
    second_pass = RosterReport(dry_run=False)
    for batch in _resolved_batches(open_lines(), refs, second_pass):
        touched += await _write_batch(session, caller, grower.id, batch, report)
        on_rows(len(batch))
    if second_pass.problems:
        # The file changed between the passes: refuse rather than import what was not checked.
        raise InvalidInput("The roster changed while it was being imported; import it again.")
    summary = await cases.reevaluate(session, touched)
    report.flags_opened = summary.opened
    return report


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
