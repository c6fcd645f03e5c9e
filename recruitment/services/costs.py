"""Costs a worker paid on the way to the job, the money paid back, and what is still owed."""

from collections import defaultdict
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.domain.reimbursement import Repayment, repaid_per_cost
from recruitment.domain.terms import Money
from recruitment.errors import Conflict, Forbidden, InvalidInput, NotFound
from recruitment.models import Cost, ReimbursedCost, Reimbursement
from recruitment.models.base import utc_now
from recruitment.schemas.recruitments import (
    CostCreate,
    CostRead,
    Ledger,
    LedgerLine,
    ReimbursementCreate,
    ReimbursementRead,
)
from recruitment.services import audit, flags, intermediaries, workers
from recruitment.services.caller import Caller
from recruitment.services.recruitments import find_recruitment


def _cost_read(cost: Cost) -> CostRead:
    return CostRead.model_validate(
        {**cost.model_dump(), "amount": Money(amount=cost.amount, currency=cost.currency)}
    )


async def record_cost(
    session: AsyncSession, caller: Caller, recruitment_id: UUID, data: CostCreate
) -> CostRead:
    recruitment = await find_recruitment(session, caller, recruitment_id)
    if data.reported_by == "audit_interview":
        caller.require_staff("record what a worker said in an audit interview")
    if data.payee_intermediary_id is not None:
        await intermediaries.find_intermediaries(session, caller, {data.payee_intermediary_id})
    corrected: Cost | None = None
    if data.corrects_cost_id is not None:
        corrected = (
            await session.exec(
                select(Cost)
                .where(Cost.id == data.corrects_cost_id, Cost.recruitment_id == recruitment.id)
                .with_for_update()
            )
        ).first()
        if corrected is None:
            raise NotFound(f"No cost {data.corrects_cost_id} on this recruitment.")
        if corrected.superseded_at is not None:
            raise Conflict("That cost was already corrected; correct its latest version.")
        if corrected.recorded_by_staff and not caller.is_staff:
            raise Forbidden("What program staff recorded only staff can correct.")
    cost = Cost(
        recruitment_id=recruitment.id,
        grower_id=recruitment.grower_id,
        worker_id=recruitment.worker_id,
        **data.model_dump(exclude={"amount"}),
        amount=data.amount.amount,
        currency=data.amount.currency,
        recorded_by=caller.actor,
        recorded_by_staff=caller.is_staff,
    )
    session.add(cost)
    if corrected is not None:
        corrected.superseded_at = utc_now()
        session.add(corrected)
    await session.flush()
    created = _cost_read(cost)
    await audit.record(
        session, caller, "cost.record", "cost", cost.id,
        grower_id=recruitment.grower_id,
        before=_cost_read(corrected) if corrected else None, after=created,
    )  # fmt: skip
    return created.model_copy(
        update={"open_flags": await flags.reevaluated(session, recruitment.id)}
    )


async def list_costs(
    session: AsyncSession, caller: Caller, recruitment_id: UUID, *, include_superseded: bool
) -> list[CostRead]:
    await find_recruitment(session, caller, recruitment_id)
    query = select(Cost).where(Cost.recruitment_id == recruitment_id)
    if not include_superseded:
        query = query.where(col(Cost.superseded_at).is_(None))
    rows = await session.exec(query.order_by(col(Cost.paid_on), col(Cost.created_at), col(Cost.id)))
    return [_cost_read(row) for row in rows]


async def outstanding(session: AsyncSession, recruitment_id: UUID) -> dict[UUID, int]:
    """What is still owed on each current cost of a recruitment."""
    costs = {
        c.id: (c.paid_on, c.amount)
        for c in await session.exec(
            select(Cost).where(
                Cost.recruitment_id == recruitment_id, col(Cost.superseded_at).is_(None)
            )
        )
    }
    named: dict[UUID, list[UUID]] = defaultdict(list)
    rows = await session.exec(
        select(Reimbursement, ReimbursedCost.cost_id)
        .join(ReimbursedCost, col(ReimbursedCost.reimbursement_id) == col(Reimbursement.id))
        .where(Reimbursement.recruitment_id == recruitment_id)
    )
    reimbursements: dict[UUID, Reimbursement] = {}
    for reimbursement, cost_id in rows:
        reimbursements[reimbursement.id] = reimbursement
        named[reimbursement.id].append(cost_id)
    repaid = repaid_per_cost(
        costs,
        [Repayment(r.amount, r.paid_on, named[r.id]) for r in reimbursements.values()],
    )
    return {key: amount - repaid[key] for key, (_, amount) in costs.items()}


async def record_reimbursement(
    session: AsyncSession, caller: Caller, recruitment_id: UUID, data: ReimbursementCreate
) -> ReimbursementRead:
    recruitment = await find_recruitment(session, caller, recruitment_id)
    ids = list(dict.fromkeys(data.cost_ids))
    costs = list(
        await session.exec(
            select(Cost).where(
                col(Cost.id).in_(ids),
                Cost.recruitment_id == recruitment.id,
                col(Cost.superseded_at).is_(None),
            )
        )
    )
    if len(costs) != len(ids):
        raise NotFound("Some of cost_ids are not current costs of this recruitment.")
    currencies = {c.currency for c in costs}
    if currencies != {data.amount.currency}:
        raise InvalidInput.of_field(
            "amount.currency",
            f"A reimbursement repays costs in its own currency; these are in "
            f"{', '.join(sorted(currencies))}.",
        )
    still_owed = await outstanding(session, recruitment.id)
    owed = sum(still_owed[c.id] for c in costs)
    if data.amount.amount > owed:
        raise InvalidInput.of_field(
            "amount.amount",
            f"That is more than is still owed on these costs ({owed} minor units).",
        )
    reimbursement = Reimbursement(
        recruitment_id=recruitment.id,
        grower_id=recruitment.grower_id,
        worker_id=recruitment.worker_id,
        amount=data.amount.amount,
        currency=data.amount.currency,
        paid_on=data.paid_on,
        recorded_by=caller.actor,
    )
    session.add(reimbursement)
    await session.flush()
    session.add_all(ReimbursedCost(reimbursement_id=reimbursement.id, cost_id=i) for i in ids)
    await session.flush()
    created = ReimbursementRead(
        id=reimbursement.id,
        recruitment_id=recruitment.id,
        worker_id=recruitment.worker_id,
        amount=data.amount,
        paid_on=data.paid_on,
        cost_ids=ids,
        created_at=reimbursement.created_at,
    )
    await audit.record(
        session, caller, "reimbursement.record", "reimbursement", reimbursement.id,
        grower_id=recruitment.grower_id, after=created,
    )  # fmt: skip
    return created.model_copy(
        update={"open_flags": await flags.reevaluated(session, recruitment.id)}
    )


async def list_reimbursements(
    session: AsyncSession, caller: Caller, recruitment_id: UUID
) -> list[ReimbursementRead]:
    await find_recruitment(session, caller, recruitment_id)
    rows = list(
        await session.exec(
            select(Reimbursement)
            .where(Reimbursement.recruitment_id == recruitment_id)
            .order_by(col(Reimbursement.paid_on), col(Reimbursement.created_at))
        )
    )
    repaid: dict[UUID, list[UUID]] = defaultdict(list)
    for link in await session.exec(
        select(ReimbursedCost).where(col(ReimbursedCost.reimbursement_id).in_([r.id for r in rows]))
    ):
        repaid[link.reimbursement_id].append(link.cost_id)
    return [
        ReimbursementRead(
            id=r.id,
            recruitment_id=r.recruitment_id,
            worker_id=r.worker_id,
            amount=Money(amount=r.amount, currency=r.currency),
            paid_on=r.paid_on,
            cost_ids=sorted(repaid[r.id]),
            created_at=r.created_at,
        )
        for r in rows
    ]


async def ledger(session: AsyncSession, caller: Caller, worker_id: UUID) -> Ledger:
    """Per currency: paid, reimbursed, still owed, over the recruitments the caller may see."""
    await workers.find_worker(session, caller, worker_id)
    cost_rows = await session.exec(
        select(Cost).where(
            Cost.worker_id == worker_id,
            col(Cost.superseded_at).is_(None),
            caller.scope(col(Cost.grower_id)),
        )
    )
    paid: dict[str, int] = defaultdict(int)
    for cost in cost_rows:
        paid[cost.currency] += cost.amount
    reimbursed: dict[str, int] = defaultdict(int)
    for reimbursement in await session.exec(
        select(Reimbursement).where(
            Reimbursement.worker_id == worker_id, caller.scope(col(Reimbursement.grower_id))
        )
    ):
        reimbursed[reimbursement.currency] += reimbursement.amount
    return Ledger(
        worker_id=worker_id,
        lines=[
            LedgerLine(
                currency=currency,
                paid=paid[currency],
                reimbursed=reimbursed[currency],
                owed=max(paid[currency] - reimbursed[currency], 0),
            )
            for currency in sorted(paid.keys() | reimbursed.keys())
        ],
    )
