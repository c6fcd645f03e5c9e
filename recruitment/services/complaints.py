"""Complaints: recorded by staff from the hotline or taken from the worker's contract page,
investigated to a remedy, and shared with the grower only as staff decide.

Confidentiality is kept here, not in the HTTP layer: staff read complaints through `read_complaint`
(each read goes to the audit trail), growers through `read_shared`, which answers only complaints
about the caller's grower that staff shared, and names the worker only with recorded consent. The
worker's words and call-back number never enter an audit snapshot or a log line.
"""

import secrets
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import get_args
from uuid import UUID

from sqlalchemy import ColumnElement, Date, and_, cast, delete, func, true

# sqlmodel's select is typed for at most four columns.
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.complaints import (
    CLOSED_STATUSES,
    CONCERN_CATEGORY,
    DEFAULT_SEVERITY,
    NEXT_STATUSES,
    days_to_resolve,
)
from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintSeverity,
    ComplaintStatus,
    RemedyKind,
    WorkerConcern,
)
from recruitment.errors import Conflict, InvalidInput, NotFound
from recruitment.models import (
    AuditEvent,
    Complaint,
    ComplaintCost,
    ComplaintNote,
    ComplaintRemedy,
    Contract,
    Cost,
    Grower,
    JobOrder,
    JobOrderVersion,
    Recruitment,
    Worker,
    is_current_version,
)
from recruitment.schemas.complaints import (
    CaseChoice,
    ComplaintCreate,
    ComplaintRead,
    ComplaintRow,
    ComplaintUpdate,
    GrowerResponseCreate,
    NoteRead,
    RemedyCreate,
    RemedyRead,
    SharedComplaintRead,
)
from recruitment.schemas.flags import FlagRead
from recruitment.schemas.recruitments import ReimbursementCreate
from recruitment.schemas.reports import ComplaintFigures, RemedyTotals, ReportPeriod, Share
from recruitment.schemas.workers import WorkerRead, WorkerSummary, mask
from recruitment.services import audit, costs, flags
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import check_version, mark_changed

# No 0/O or 1/I: a worker reads the reference out on the phone.
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
WORKER_LINK_ACTOR = "worker_link"


def new_reference() -> str:
    return "Q-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def _row(complaint: Complaint) -> ComplaintRow:
    """The complaint without the worker's words or number: what audit snapshots hold."""
    return ComplaintRow.model_validate(
        {**complaint.model_dump(), "shared": complaint.shared_at is not None}
    )


def _remedy_read(remedy: ComplaintRemedy) -> RemedyRead:
    money = (
        Money(amount=remedy.amount, currency=remedy.currency)
        if remedy.amount is not None and remedy.currency is not None
        else None
    )
    return RemedyRead.model_validate({**remedy.model_dump(), "amount": money})


async def _remedies(session: AsyncSession, complaint_id: UUID) -> list[RemedyRead]:
    rows = await session.exec(
        select(ComplaintRemedy)
        .where(ComplaintRemedy.complaint_id == complaint_id)
        .order_by(col(ComplaintRemedy.created_at), col(ComplaintRemedy.id))
    )
    return [_remedy_read(row) for row in rows]


async def _worker_summary(session: AsyncSession, worker_id: UUID | None) -> WorkerSummary | None:
    if worker_id is None:
        return None
    worker = await session.get(Worker, worker_id)
    return WorkerRead.model_validate(worker).summary() if worker else None


async def _read(
    session: AsyncSession, complaint: Complaint, open_flags: list[FlagRead] | None = None
) -> ComplaintRead:
    notes = await session.exec(
        select(ComplaintNote)
        .where(ComplaintNote.complaint_id == complaint.id)
        .order_by(col(ComplaintNote.created_at), col(ComplaintNote.id))
    )
    cost_ids = await session.exec(
        select(ComplaintCost.cost_id)
        .where(ComplaintCost.complaint_id == complaint.id)
        .order_by(col(ComplaintCost.cost_id))
    )
    if open_flags is None and complaint.recruitment_id is not None:
        open_flags = await flags.open_flags(session, complaint.recruitment_id)
    resolved_on = (
        complaint.closed_at.date()
        if complaint.status == "resolved" and complaint.closed_at
        else None
    )
    return ComplaintRead.model_validate(
        {
            **_row(complaint).model_dump(),
            **complaint.model_dump(),
            "worker": await _worker_summary(session, complaint.worker_id),
            "days_to_resolve": days_to_resolve(complaint.received_at, complaint.closed_at),
            "follow_up_due_on": resolved_on + timedelta(days=complaint.follow_up_days)
            if resolved_on
            else None,
            "cost_ids": list(cost_ids),
            "notes": [NoteRead.model_validate(note) for note in notes],
            "remedies": await _remedies(session, complaint.id),
            "open_flags": open_flags or [],
        }
    )


async def _check_costs(
    session: AsyncSession, recruitment_id: UUID | None, cost_ids: Sequence[UUID], field: str
) -> list[UUID]:
    wanted = list(dict.fromkeys(cost_ids))
    if not wanted:
        return []
    found = set(
        await session.exec(
            select(Cost.id).where(col(Cost.id).in_(wanted), Cost.recruitment_id == recruitment_id)
        )
    )
    if len(found) != len(wanted):
        raise InvalidInput.of_field(field, "Some of these are not costs of the complaint's case.")
    return wanted


async def _link_costs(session: AsyncSession, complaint_id: UUID, cost_ids: list[UUID]) -> None:
    await session.exec(delete(ComplaintCost).where(col(ComplaintCost.complaint_id) == complaint_id))
    session.add_all(ComplaintCost(complaint_id=complaint_id, cost_id=i) for i in cost_ids)


async def _reevaluate(session: AsyncSession, complaint: Complaint) -> list[FlagRead]:
    if complaint.recruitment_id is None:
        return []
    return await flags.reevaluated(session, complaint.recruitment_id)


CASE_CHOICES_LIMIT = 2_000


async def case_choices(session: AsyncSession, caller: Caller, grower_id: UUID) -> list[CaseChoice]:
    """A grower's cases for staff recording a call, newest season first, then by the worker's
    name: at most `CASE_CHOICES_LIMIT` (a case beyond it is still accepted by its id)."""
    caller.require_staff("record complaints")
    terms = col(JobOrderVersion.terms)
    rows = await (await session.connection()).execute(
        select_columns(
            col(Recruitment.id),
            col(Worker.given_names),
            col(Worker.family_names),
            col(Worker.curp),
            col(Worker.passport_number),
            terms["job_title"].astext,
            terms["case_number"].astext,
            terms["period_start"].astext,
        )
        .join(Worker, col(Worker.id) == col(Recruitment.worker_id))
        .join(JobOrder, col(JobOrder.id) == col(Recruitment.job_order_id))
        .join(JobOrderVersion, is_current_version())
        .where(col(Recruitment.grower_id) == grower_id)
        .order_by(
            terms["period_start"].astext.desc().nulls_last(),
            col(Worker.family_names),
            col(Worker.given_names),
            col(Recruitment.id),
        )
        .limit(CASE_CHOICES_LIMIT)
    )
    return [
        CaseChoice(
            recruitment_id=case_id,
            worker_name=f"{given} {family}",
            document_masked=mask(curp) or mask(passport),
            job_title=job_title,
            case_number=case_number,
            period_start=date.fromisoformat(start) if start else None,
        )
        for case_id, given, family, curp, passport, job_title, case_number, start in rows
    ]


async def record_complaint(
    session: AsyncSession, caller: Caller, data: ComplaintCreate
) -> ComplaintRead:
    caller.require_staff("record complaints")
    if await session.get(Grower, data.grower_id) is None:
        raise NotFound(f"No grower {data.grower_id}.")
    worker_id: UUID | None = None
    if data.recruitment_id is not None:
        recruitment = await session.get(Recruitment, data.recruitment_id)
        if recruitment is None:
            raise InvalidInput.of_field("recruitment_id", f"No case {data.recruitment_id}.")
        if recruitment.grower_id != data.grower_id:
            raise InvalidInput.of_field(
                "recruitment_id",
                "That case is another grower's: choose one of the cases of the grower the "
                "complaint is about.",
            )
        worker_id = recruitment.worker_id
    cost_ids = await _check_costs(session, data.recruitment_id, data.cost_ids, "cost_ids")
    complaint = Complaint(
        reference=new_reference(),
        grower_id=data.grower_id,
        recruitment_id=data.recruitment_id,
        worker_id=worker_id,
        channel=data.channel,
        category=data.category,
        severity=data.severity or DEFAULT_SEVERITY[data.category],
        language=data.language,
        account=data.account,
        anonymous=data.anonymous,
        callback_phone=data.callback_phone,
        crew=data.crew,
        supervisor=data.supervisor,
        investigator=data.investigator,
        follow_up_days=data.follow_up_days,
        consent_to_share_identity=data.consent_to_share_identity,
        consent_recorded_by=caller.actor if data.consent_to_share_identity else None,
        consent_recorded_at=clock.now() if data.consent_to_share_identity else None,
        received_at=data.received_at or clock.now(),
        recorded_by=caller.actor,
    )
    session.add(complaint)
    await session.flush()
    await _link_costs(session, complaint.id, cost_ids)
    await session.flush()
    await audit.record(
        session, caller, "complaint.record", "complaint", complaint.id,
        grower_id=complaint.grower_id, after=_row(complaint),
    )  # fmt: skip
    return await _read(session, complaint, await _reevaluate(session, complaint))


async def intake_from_worker_page(
    session: AsyncSession,
    contract: Contract,
    *,
    concern: WorkerConcern,
    details: str,
    callback_phone: str | None,
    anonymous: bool,
) -> Complaint:
    """A worker's report from their contract page. Anonymous: about the grower, naming nobody."""
    recruitment = await session.get(Recruitment, contract.recruitment_id)
    assert recruitment is not None  # a contract always belongs to a case
    category = CONCERN_CATEGORY[concern]
    complaint = Complaint(
        reference=new_reference(),
        grower_id=recruitment.grower_id,
        recruitment_id=None if anonymous else recruitment.id,
        worker_id=None if anonymous else recruitment.worker_id,
        channel="worker_page",
        category=category,
        severity=DEFAULT_SEVERITY[category],
        language=contract.language,
        account=details,
        anonymous=anonymous,
        callback_phone=None if anonymous else callback_phone,
        received_at=clock.now(),
        recorded_by=WORKER_LINK_ACTOR,
    )
    session.add(complaint)
    await session.flush()
    session.add(
        AuditEvent(
            actor=WORKER_LINK_ACTOR,
            actor_role="worker",
            action="complaint.record",
            subject_type="complaint",
            subject_id=complaint.id,
            grower_id=complaint.grower_id,
            after=audit.snapshot(_row(complaint)),
        )
    )
    await session.flush()
    return complaint


async def _find(
    session: AsyncSession, caller: Caller, complaint_id: UUID, *, for_update: bool = False
) -> Complaint:
    caller.require_staff("read complaints")
    query = select(Complaint).where(Complaint.id == complaint_id)
    if for_update:
        query = query.with_for_update()
    complaint = (await session.exec(query)).first()
    if complaint is None:
        raise NotFound(f"No complaint {complaint_id}.")
    return complaint


async def read_complaint(
    session: AsyncSession, caller: Caller, complaint_id: UUID
) -> ComplaintRead:
    """The whole complaint, for staff; the read itself goes to the audit trail."""
    complaint = await _find(session, caller, complaint_id)
    await audit.record(
        session, caller, "complaint.read", "complaint", complaint.id, grower_id=complaint.grower_id
    )
    return await _read(session, complaint)


async def list_complaints(
    session: AsyncSession,
    caller: Caller,
    *,
    grower_id: UUID | None,
    status: ComplaintStatus | None,
    category: ComplaintCategory | None,
    severity: ComplaintSeverity | None,
    channel: ComplaintChannel | None,
    cursor: str | None,
    limit: int,
) -> Page[ComplaintRow]:
    caller.require_staff("read complaints")
    conditions = [
        getattr(Complaint, name) == value
        for name, value in {
            "grower_id": grower_id,
            "status": status,
            "category": category,
            "severity": severity,
            "channel": channel,
        }.items()
        if value is not None
    ]
    page = await paginate(
        session, select(Complaint).where(*conditions), Complaint, cursor=cursor, limit=limit
    )
    return Page([_row(c) for c in page.items], page.next_cursor)


def _check_transition(complaint: Complaint, target: ComplaintStatus, founded: bool | None) -> None:
    if target == complaint.status:
        return
    if target not in NEXT_STATUSES[complaint.status]:  # type: ignore[index]
        raise Conflict(
            f"A complaint that is {complaint.status} can't become {target}; next may come: "
            + ", ".join(sorted(NEXT_STATUSES[complaint.status]))  # type: ignore[index]
            + "."
        )
    if target == "resolved" and founded is not True:
        raise InvalidInput.of_field(
            "founded", "A complaint is resolved when it was found true and remedied: set founded."
        )
    if target == "closed_unfounded" and founded is True:
        raise InvalidInput.of_field("founded", "A founded complaint can't be closed as unfounded.")


async def update_complaint(
    session: AsyncSession,
    caller: Caller,
    complaint_id: UUID,
    expected: int | None,
    data: ComplaintUpdate,
) -> ComplaintRead:
    complaint = await _find(session, caller, complaint_id, for_update=True)
    check_version(complaint.version, expected)
    before = _row(complaint)
    changes = data.model_dump(exclude_unset=True, exclude={"note", "cost_ids"})
    emptied = [name for name in ("status", "severity") if name in changes and not changes[name]]
    if emptied:
        raise InvalidInput.of_field(emptied[0], f"{emptied[0]} can't be emptied.")
    founded = changes.get("founded", complaint.founded)
    target = changes.pop("status", None)
    if target is not None:
        _check_transition(complaint, target, founded)
        if target == "resolved" and not await _remedies(session, complaint.id):
            raise Conflict("Record the remedy first: a resolved complaint says what was done.")
        if target == "closed_unfounded":
            changes.setdefault("founded", False)
    if complaint.anonymous and changes.get("consent_to_share_identity"):
        raise InvalidInput.of_field(
            "consent_to_share_identity", "An anonymous complaint names no one to share."
        )
    for name, value in changes.items():
        setattr(complaint, name, value)
    if "consent_to_share_identity" in changes:
        complaint.consent_recorded_by = caller.actor
        complaint.consent_recorded_at = clock.now()
    if "shared_summary" in changes and complaint.shared_summary and complaint.shared_at is None:
        complaint.shared_at = clock.now()
    if "grower_response" in changes:
        complaint.grower_responded_at = clock.now()
    if target is not None and target != complaint.status:
        complaint.closed_at = clock.now() if target in CLOSED_STATUSES else None
        complaint.status = target
    if data.cost_ids is not None:
        await _link_costs(
            session,
            complaint.id,
            await _check_costs(session, complaint.recruitment_id, data.cost_ids, "cost_ids"),
        )
    if data.note is not None:
        session.add(
            ComplaintNote(complaint_id=complaint.id, text=data.note, written_by=caller.actor)
        )
    mark_changed(complaint)
    session.add(complaint)
    await session.flush()
    await audit.record(
        session, caller, "complaint.update", "complaint", complaint.id,
        grower_id=complaint.grower_id, before=before, after=_row(complaint),
    )  # fmt: skip
    return await _read(session, complaint, await _reevaluate(session, complaint))


async def record_remedy(
    session: AsyncSession, caller: Caller, complaint_id: UUID, data: RemedyCreate
) -> ComplaintRead:
    """A remedy; a reimbursement goes onto the case's ledger through the costs service, so that
    the ledger shows it and the case's flags are evaluated again."""
    complaint = await _find(session, caller, complaint_id, for_update=True)
    reimbursement_id: UUID | None = None
    if data.kind == "reimbursement":
        if complaint.recruitment_id is None:
            raise Conflict(
                "This complaint names no case, so there is no ledger to record a reimbursement "
                "on; record it as back pay."
            )
        # The schema requires both for a reimbursement.
        assert data.amount is not None
        assert data.paid_on is not None
        paid = await costs.record_reimbursement(
            session,
            caller,
            complaint.recruitment_id,
            ReimbursementCreate(amount=data.amount, paid_on=data.paid_on, cost_ids=data.cost_ids),
        )
        reimbursement_id = paid.id
    remedy = ComplaintRemedy(
        complaint_id=complaint.id,
        kind=data.kind,
        description=data.description,
        amount=data.amount.amount if data.amount else None,
        currency=data.amount.currency if data.amount else None,
        paid_on=data.paid_on,
        reimbursement_id=reimbursement_id,
        recorded_by=caller.actor,
    )
    session.add(remedy)
    before = _row(complaint)
    mark_changed(complaint)
    session.add(complaint)
    await session.flush()
    await audit.record(
        session, caller, "complaint.remedy", "complaint", complaint.id,
        grower_id=complaint.grower_id, before=before, after=_remedy_read(remedy),
    )  # fmt: skip
    return await _read(session, complaint, await _reevaluate(session, complaint))


def _shared_to(caller: Caller) -> list[object]:
    """What a caller may see of shared complaints: growers, their own; staff, all."""
    return [col(Complaint.shared_at).is_not(None), caller.scope(col(Complaint.grower_id))]


async def _shared_read(session: AsyncSession, complaint: Complaint) -> SharedComplaintRead:
    consented = complaint.consent_to_share_identity and not complaint.anonymous
    return SharedComplaintRead(
        id=complaint.id,
        reference=complaint.reference,
        grower_id=complaint.grower_id,
        category=complaint.category,
        severity=complaint.severity,
        status=complaint.status,
        received_on=complaint.received_at.date(),
        shared_summary=complaint.shared_summary or "",
        required_action=complaint.required_action,
        grower_response=complaint.grower_response,
        remedies=await _remedies(session, complaint.id),
        worker=await _worker_summary(session, complaint.worker_id) if consented else None,
        account=complaint.account if consented else None,
        version=complaint.version,
    )


async def _find_shared(
    session: AsyncSession, caller: Caller, complaint_id: UUID, *, for_update: bool = False
) -> Complaint:
    query = select(Complaint).where(Complaint.id == complaint_id, *_shared_to(caller))  # type: ignore[arg-type]
    if for_update:
        query = query.with_for_update()
    complaint = (await session.exec(query)).first()
    if complaint is None:
        raise NotFound(f"No shared complaint {complaint_id}.")
    return complaint


async def list_shared(
    session: AsyncSession, caller: Caller, *, cursor: str | None, limit: int
) -> Page[SharedComplaintRead]:
    page = await paginate(
        session,
        select(Complaint).where(*_shared_to(caller)),  # type: ignore[arg-type]
        Complaint,
        cursor=cursor,
        limit=limit,
    )
    return Page([await _shared_read(session, c) for c in page.items], page.next_cursor)


async def read_shared(
    session: AsyncSession, caller: Caller, complaint_id: UUID
) -> SharedComplaintRead:
    return await _shared_read(session, await _find_shared(session, caller, complaint_id))


async def respond(
    session: AsyncSession, caller: Caller, complaint_id: UUID, data: GrowerResponseCreate
) -> SharedComplaintRead:
    """The grower answers what staff shared; the complaint moves to grower_responded."""
    complaint = await _find_shared(session, caller, complaint_id, for_update=True)
    if complaint.status in CLOSED_STATUSES:
        raise Conflict(f"This complaint is {complaint.status}; call the program to reopen it.")
    before = _row(complaint)
    complaint.grower_response = data.response
    complaint.grower_responded_at = clock.now()
    if complaint.status == "investigating":
        complaint.status = "grower_responded"
    mark_changed(complaint)
    session.add(complaint)
    await session.flush()
    await audit.record(
        session, caller, "complaint.respond", "complaint", complaint.id,
        grower_id=complaint.grower_id, before=before, after=_row(complaint),
    )  # fmt: skip
    return await _shared_read(session, complaint)


def _received_in(period: ReportPeriod) -> ColumnElement[bool]:
    received_on = cast(func.timezone("UTC", col(Complaint.received_at)), Date)
    if period.season is not None:
        return and_(
            received_on >= date(period.season, 1, 1), received_on < date(period.season + 1, 1, 1)
        )
    bounds: list[ColumnElement[bool]] = [true()]
    if period.recruited_from is not None:
        bounds.append(received_on >= period.recruited_from)
    if period.recruited_until is not None:
        bounds.append(received_on <= period.recruited_until)
    return and_(*bounds)


async def figures(session: AsyncSession, caller: Caller, period: ReportPeriod) -> ComplaintFigures:
    """What the program publishes about complaints received in the period, in three aggregate
    queries: counts and times, categories and channels, remedies."""
    caller.require_staff("read the complaint figures")
    received = _received_in(period)
    days = cast(func.timezone("UTC", col(Complaint.closed_at)), Date) - cast(
        func.timezone("UTC", col(Complaint.received_at)), Date
    )
    closed = col(Complaint.closed_at).is_not(None)
    total, within_14, within_30, median, founded, judged = (
        await session.exec(
            select(  # type: ignore[call-overload]
                func.count(),
                func.count().filter(closed, days <= 14),
                func.count().filter(closed, days <= 30),
                func.percentile_cont(0.5).within_group(days).filter(closed),
                func.count().filter(col(Complaint.founded).is_(True)),
                func.count(col(Complaint.founded)),
            ).where(received)
        )
    ).one()
    by_category: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    for category, channel, count in await session.exec(
        select(col(Complaint.category), col(Complaint.channel), func.count())
        .where(received)
        .group_by(col(Complaint.category), col(Complaint.channel))
    ):
        by_category[category or "uncategorised"] += count
        by_channel[channel] += count
    by_kind: Counter[str] = Counter()
    paid: list[RemedyTotals] = []
    for kind, currency, count, amount in await session.exec(
        select(
            col(ComplaintRemedy.kind),
            col(ComplaintRemedy.currency),
            func.count(),
            func.sum(col(ComplaintRemedy.amount)),
        )
        .join(Complaint, col(Complaint.id) == col(ComplaintRemedy.complaint_id))
        .where(received)
        .group_by(col(ComplaintRemedy.kind), col(ComplaintRemedy.currency))
        .order_by(col(ComplaintRemedy.kind), col(ComplaintRemedy.currency))
    ):
        by_kind[kind] += count
        if currency is not None:
            paid.append(
                RemedyTotals(
                    kind=kind, remedies=count, paid=Money(amount=amount, currency=currency)
                )
            )
    return ComplaintFigures(
        received=total,
        by_category={
            category: by_category[category]
            for category in (*get_args(ComplaintCategory), "uncategorised")
        },
        by_channel={channel: by_channel[channel] for channel in get_args(ComplaintChannel)},
        resolved_within_14_days=Share.of(within_14, total),
        resolved_within_30_days=Share.of(within_30, total),
        median_days_to_resolve=None if median is None else float(median),
        founded=Share.of(founded, judged),
        remedies_by_kind={kind: by_kind[kind] for kind in get_args(RemedyKind)},
        remedies_paid=paid,
    )
