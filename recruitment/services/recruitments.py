"""Recruitments: one worker for one job order, its channel, its chain and its milestones."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.milestones import out_of_order
from recruitment.domain.terms import JobOrderTerms
from recruitment.domain.vocabulary import Channel, VerificationStatus
from recruitment.errors import Conflict, FieldProblem, InvalidInput, NotFound
from recruitment.models import (
    ChainLink,
    ChannelVerification,
    Flag,
    Intermediary,
    JobOrder,
    Recruitment,
    Worker,
)
from recruitment.models.base import utc_now
from recruitment.schemas.flags import FlagRead
from recruitment.schemas.recruitments import (
    ChainLinkInput,
    ChainLinkRead,
    ChannelFacts,
    ChannelVerificationCreate,
    ChannelVerificationRead,
    Milestones,
    RecruitmentCreate,
    RecruitmentRead,
    RecruitmentUpdate,
)
from recruitment.schemas.workers import WorkerRead
from recruitment.services import audit, bulk, cases, flags, intermediaries, workers
from recruitment.services.caller import Caller
from recruitment.services.job_orders import (
    find_job_order_with_terms,
    growers_job_order,
)
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import check_version, mark_changed

MILESTONE_COLUMNS = {name: f"{name}_on" for name in Milestones.model_fields}


def milestones_of(recruitment: Recruitment) -> Milestones:
    return Milestones(
        **{name: getattr(recruitment, column) for name, column in MILESTONE_COLUMNS.items()}
    )


def _check_milestones(milestones: Milestones, field_prefix: str = "milestones") -> None:
    problems = out_of_order(milestones.model_dump())
    if problems:
        raise InvalidInput(
            "A milestone can't be dated before the one it follows: "
            + "; ".join(m for _, m in problems),
            [FieldProblem(f"{field_prefix}.{field}", message) for field, message in problems],
        )


async def _check_channel(
    session: AsyncSession, caller: Caller, facts: ChannelFacts | RecruitmentUpdate
) -> None:
    if facts.sne_office_id is None:
        return
    office = (await intermediaries.find_intermediaries(session, caller, {facts.sne_office_id}))[
        facts.sne_office_id
    ]
    if office.kind != "sne_office":
        raise InvalidInput.of_field(
            "sne_office_id", f"{office.name} is a {office.kind}, not an SNE office."
        )


async def _check_chain(
    session: AsyncSession, caller: Caller, chain: Sequence[ChainLinkInput]
) -> dict[UUID, Intermediary]:
    members = {link.intermediary_id for link in chain}
    if len(members) != len(chain):
        raise InvalidInput.of_field("chain", "An intermediary appears twice in the chain.")
    problems = [
        FieldProblem(
            f"chain.{position}.engaged_by_intermediary_id",
            "must be another intermediary of this chain",
        )
        for position, link in enumerate(chain)
        if link.engaged_by_intermediary_id is not None
        and (
            link.engaged_by_intermediary_id not in members
            or link.engaged_by_intermediary_id == link.intermediary_id
        )
    ]
    if problems:
        raise InvalidInput("The chain must say who engaged whom within it.", problems)
    return await intermediaries.find_intermediaries(session, caller, members)


def _new_links(recruitment_id: UUID, chain: Sequence[ChainLinkInput]) -> list[ChainLink]:
    return [
        ChainLink(recruitment_id=recruitment_id, position=position, **link.model_dump())
        for position, link in enumerate(chain)
    ]


async def _current_links(
    session: AsyncSession, recruitment_ids: Sequence[UUID]
) -> dict[UUID, list[tuple[ChainLink, Intermediary]]]:
    rows = await session.exec(
        select(ChainLink, Intermediary)
        .join(Intermediary, col(Intermediary.id) == col(ChainLink.intermediary_id))
        .where(
            col(ChainLink.recruitment_id).in_(recruitment_ids), col(ChainLink.replaced_at).is_(None)
        )
        .order_by(col(ChainLink.recruitment_id), col(ChainLink.position))
    )
    chains: dict[UUID, list[tuple[ChainLink, Intermediary]]] = {}
    for link, intermediary in rows:
        chains.setdefault(link.recruitment_id, []).append((link, intermediary))
    return chains


def _read(
    recruitment: Recruitment, worker: Worker, chain: list[tuple[ChainLink, Intermediary]]
) -> RecruitmentRead:
    return RecruitmentRead(
        id=recruitment.id,
        grower_id=recruitment.grower_id,
        job_order_id=recruitment.job_order_id,
        worker=WorkerRead.model_validate(worker).summary(),
        channel=recruitment.channel,
        sne_folio=recruitment.sne_folio,
        sne_office_id=recruitment.sne_office_id,
        channel_verification=recruitment.channel_verification,
        chain=[
            ChainLinkRead(
                position=link.position,
                intermediary_id=link.intermediary_id,
                intermediary_name=intermediary.name,
                intermediary_kind=intermediary.kind,
                engaged_by=link.engaged_by,
                engaged_by_intermediary_id=link.engaged_by_intermediary_id,
                written_fee_ban=link.written_fee_ban,
                acted_on=link.acted_on,
                houses_workers=link.houses_workers,
                transports_workers=link.transports_workers,
                drives_workers=link.drives_workers,
            )
            for link, intermediary in chain
        ],
        milestones=milestones_of(recruitment),
        version=recruitment.version,
        created_at=recruitment.created_at,
        updated_at=recruitment.updated_at,
    )


async def render(session: AsyncSession, recruitment: Recruitment) -> RecruitmentRead:
    worker = await session.get(Worker, recruitment.worker_id)
    assert worker is not None
    chain = (await _current_links(session, [recruitment.id])).get(recruitment.id, [])
    return _read(recruitment, worker, chain)


@dataclass(frozen=True)
class PreparedCase:
    """A new case, checked and not yet written: the rows to insert, and what its answer shows."""

    case: cases.NewCase
    worker_is_new: bool
    chain: list[tuple[ChainLink, Intermediary]]

    def read(self) -> RecruitmentRead:
        return _read(self.case.recruitment, self.case.worker, self.chain)


async def prepare_case(
    session: AsyncSession,
    caller: Caller,
    data: RecruitmentCreate,
    job_order: JobOrder,
    terms: tuple[int, JobOrderTerms],
    identified: tuple[Worker, bool] | None = None,
) -> PreparedCase:
    """Check a new recruitment and build its rows. `identified` is the worker the caller already
    matched by identity (a hire's), and whether it is new: a grower may not see that worker yet,
    because no recruitment links them."""
    _check_milestones(data.milestones)
    await _check_channel(session, caller, data)
    members = await _check_chain(session, caller, data.chain)
    if identified is not None:
        worker, worker_is_new = identified
    elif data.worker is not None:
        worker, worker_is_new = await workers.match_or_new(session, caller, data.worker)
    else:
        assert data.worker_id is not None
        worker, worker_is_new = await workers.find_worker(session, caller, data.worker_id), False
    if not worker_is_new:
        existing = (
            await session.exec(
                select(Recruitment.id).where(
                    Recruitment.worker_id == worker.id, Recruitment.job_order_id == job_order.id
                )
            )
        ).first()
        if existing is not None:
            raise Conflict(
                f"This worker is already recruited for this job order (recruitment {existing})."
            )
    recruitment = Recruitment(
        grower_id=growers_job_order(job_order),
        worker_id=worker.id,
        job_order_id=job_order.id,
        channel=data.channel,
        sne_folio=data.sne_folio,
        sne_office_id=data.sne_office_id,
        **{MILESTONE_COLUMNS[name]: when for name, when in data.milestones.model_dump().items()},
    )
    links = _new_links(recruitment.id, data.chain)
    return PreparedCase(
        cases.NewCase(recruitment, worker, links, job_order, terms),
        worker_is_new,
        [(link, members[link.intermediary_id]) for link in links],
    )


async def write_new_case(
    session: AsyncSession,
    caller: Caller,
    prepared: PreparedCase,
    events: Sequence[audit.Event] = (),
) -> list[FlagRead]:
    """Evaluate a prepared case on the facts it holds, then write it, its flags and its audit
    events (the recruitment's, the new worker's, then `events`) with one INSERT per table.
    Returns the flags now open on it."""
    new = prepared.case
    case = await cases.facts_of_new_case(session, new)
    opened = cases.new_case_flags(case, clock.today(), await cases.load_reference(session))
    trail = [
        *([workers.creation_event(caller, new.worker)] if prepared.worker_is_new else []),
        audit.Event(
            "recruitment.create", "recruitment", new.recruitment.id,
            new.recruitment.grower_id, after=prepared.read(),
        ),
        *events,
    ]  # fmt: skip
    rows = [
        *([new.worker] if prepared.worker_is_new else []),
        new.recruitment,
        *new.links,
        *([new.hire] if new.hire else []),
        *new.crews,
    ]
    try:
        await bulk.insert_models(session, rows)
        await bulk.insert_rows(session, Flag, opened)
    except IntegrityError as error:
        raise Conflict(
            "Another request recorded this worker or this recruitment at the same moment; "
            "read it back before you send this again."
        ) from error
    await audit.record_many(session, caller, trail)
    sharing = case.worker.workers_sharing_identity
    if sharing:
        # Their cases' facts changed too: each now shares an identity with this worker.
        await cases.reevaluate(session, await cases.cases_of_workers(session, sharing))
    return sorted((flags.flag_read(flag) for flag in opened), key=lambda f: (f.code, f.subject))


async def with_open_flags(session: AsyncSession, recruitment: Recruitment) -> RecruitmentRead:
    """Re-evaluate the case the write touched and answer with the flags now open on it."""
    open_now = await flags.reevaluated(session, recruitment.id)
    return (await render(session, recruitment)).model_copy(update={"open_flags": open_now})


async def create_recruitment(
    session: AsyncSession, caller: Caller, data: RecruitmentCreate
) -> RecruitmentRead:
    job_order, terms = await find_job_order_with_terms(session, caller, data.job_order_id)
    prepared = await prepare_case(session, caller, data, job_order, terms)
    open_now = await write_new_case(session, caller, prepared)
    return prepared.read().model_copy(update={"open_flags": open_now})


async def find_recruitment(
    session: AsyncSession, caller: Caller, recruitment_id: UUID, *, for_update: bool = False
) -> Recruitment:
    query = select(Recruitment).where(
        Recruitment.id == recruitment_id, caller.scope(col(Recruitment.grower_id))
    )
    if for_update:
        query = query.with_for_update()
    recruitment = (await session.exec(query)).first()
    if recruitment is None:
        raise NotFound(f"No recruitment {recruitment_id}.")
    return recruitment


async def read_recruitment(
    session: AsyncSession, caller: Caller, recruitment_id: UUID
) -> RecruitmentRead:
    return await render(session, await find_recruitment(session, caller, recruitment_id))


async def list_recruitments(
    session: AsyncSession,
    caller: Caller,
    *,
    grower_id: UUID | None,
    job_order_id: UUID | None,
    worker_id: UUID | None,
    channel: Channel | None,
    channel_verification: VerificationStatus | None,
    recruited_from: date | None,
    recruited_until: date | None,
    cursor: str | None,
    limit: int,
) -> Page[RecruitmentRead]:
    query = select(Recruitment).where(caller.scope(col(Recruitment.grower_id)))
    filters = {
        "grower_id": grower_id,
        "job_order_id": job_order_id,
        "worker_id": worker_id,
        "channel": channel,
        "channel_verification": channel_verification,
    }
    for column, value in filters.items():
        if value is not None:
            query = query.where(getattr(Recruitment, column) == value)
    if recruited_from is not None:
        query = query.where(col(Recruitment.recruited_on) >= recruited_from)
    if recruited_until is not None:
        query = query.where(col(Recruitment.recruited_on) <= recruited_until)
    page = await paginate(session, query, Recruitment, cursor=cursor, limit=limit)
    ids = [r.id for r in page.items]
    people = {
        w.id: w
        for w in await session.exec(
            select(Worker).where(col(Worker.id).in_([r.worker_id for r in page.items]))
        )
    }
    chains = await _current_links(session, ids)
    return Page(
        [_read(r, people[r.worker_id], chains.get(r.id, [])) for r in page.items],
        page.next_cursor,
    )


async def update_recruitment(
    session: AsyncSession,
    caller: Caller,
    recruitment_id: UUID,
    expected_version: int | None,
    changes: RecruitmentUpdate,
) -> RecruitmentRead:
    recruitment = await find_recruitment(session, caller, recruitment_id, for_update=True)
    check_version(recruitment.version, expected_version)
    sent = changes.model_fields_set
    before = await render(session, recruitment)
    if not sent:
        return before

    channel_fields = {"channel", "sne_folio", "sne_office_id"} & sent
    if channel_fields:
        facts = ChannelFacts(
            channel=changes.channel or recruitment.channel,
            sne_folio=changes.sne_folio if "sne_folio" in sent else recruitment.sne_folio,
            sne_office_id=(
                changes.sne_office_id if "sne_office_id" in sent else recruitment.sne_office_id
            ),
        )
        await _check_channel(session, caller, facts)
        changed = (facts.channel, facts.sne_folio, facts.sne_office_id) != (
            recruitment.channel,
            recruitment.sne_folio,
            recruitment.sne_office_id,
        )
        recruitment.channel = facts.channel
        recruitment.sne_folio = facts.sne_folio
        recruitment.sne_office_id = facts.sne_office_id
        if changed and not caller.is_staff:
            # A grower's new channel facts are a new claim: staff must check them again.
            recruitment.channel_verification = "unverified"

    if changes.milestones is not None:
        merged = milestones_of(recruitment).model_copy(
            update=changes.milestones.model_dump(exclude_unset=True)
        )
        _check_milestones(merged)
        for name, when in merged.model_dump().items():
            setattr(recruitment, MILESTONE_COLUMNS[name], when)

    if changes.chain is not None:
        await _check_chain(session, caller, changes.chain)
        for link, _ in (await _current_links(session, [recruitment.id])).get(recruitment.id, []):
            link.replaced_at = utc_now()
            session.add(link)
        await session.flush()
        session.add_all(_new_links(recruitment.id, changes.chain))

    mark_changed(recruitment)
    session.add(recruitment)
    await session.flush()
    after = await render(session, recruitment)
    await audit.record(
        session, caller, "recruitment.update", "recruitment", recruitment.id,
        grower_id=recruitment.grower_id, before=before, after=after,
    )  # fmt: skip
    return await with_open_flags(session, recruitment)


async def move_hired_milestone(
    session: AsyncSession, caller: Caller, recruitment_id: UUID, old_start: date, new_start: date
) -> None:
    """A hire's corrected start date moves the `hired` milestone when that was the old start
    date (as registering the hire set it); a milestone recorded apart from it stays."""
    recruitment = await find_recruitment(session, caller, recruitment_id, for_update=True)
    if recruitment.hired_on != old_start:
        return
    problems = out_of_order(
        milestones_of(recruitment).model_copy(update={"hired": new_start}).model_dump()
    )
    if problems:
        raise InvalidInput.of_field(
            "start_date",
            "The recruitment's milestones don't allow this start date: "
            + "; ".join(message for _, message in problems),
        )
    recruitment.hired_on = new_start
    mark_changed(recruitment)
    session.add(recruitment)


async def verify_channel(
    session: AsyncSession,
    caller: Caller,
    recruitment_id: UUID,
    decision: ChannelVerificationCreate,
) -> ChannelVerificationRead:
    caller.require_staff("verify a recruitment's channel")
    recruitment = await find_recruitment(session, caller, recruitment_id, for_update=True)
    if recruitment.channel != "sne":
        raise Conflict(
            f"This recruitment claims the {recruitment.channel} channel; only an SNE claim is "
            "verified."
        )
    if decision.sne_office_id is not None:
        await _check_channel(
            session, caller, ChannelFacts(channel="sne", sne_office_id=decision.sne_office_id)
        )
    before = await render(session, recruitment)
    record = ChannelVerification(
        recruitment_id=recruitment.id,
        decision=decision.decision,
        evidence=decision.evidence,
        sne_office_id=decision.sne_office_id or recruitment.sne_office_id,
        sne_folio=decision.sne_folio or recruitment.sne_folio,
        verified_by=caller.actor,
    )
    recruitment.channel_verification = decision.decision
    mark_changed(recruitment)
    session.add_all([record, recruitment])
    await session.flush()
    await audit.record(
        session, caller, "recruitment.channel_verification", "recruitment", recruitment.id,
        grower_id=recruitment.grower_id, before=before, after=await render(session, recruitment),
    )  # fmt: skip
    return ChannelVerificationRead.model_validate(record).model_copy(
        update={"open_flags": await flags.reevaluated(session, recruitment.id)}
    )


async def list_channel_verifications(
    session: AsyncSession, caller: Caller, recruitment_id: UUID
) -> list[ChannelVerificationRead]:
    await find_recruitment(session, caller, recruitment_id)
    rows = await session.exec(
        select(ChannelVerification)
        .where(ChannelVerification.recruitment_id == recruitment_id)
        .order_by(col(ChannelVerification.created_at), col(ChannelVerification.id))
    )
    return [ChannelVerificationRead.model_validate(row) for row in rows]
