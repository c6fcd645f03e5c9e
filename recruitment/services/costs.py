"""Costs a worker paid on the way to the job, the money paid back, and what is still owed.

Money counts from the day it is paid: neither a cost nor a reimbursement can be recorded as paid
in the future, and a reimbursement can't predate a cost it repays. What is owed is read from the
rules' own balances (`verification.cost_balances`) as of today, so that the ledger and the flags
always agree. A correction (`corrects_cost_id`) carries the reimbursements of the cost it
replaces. Paying more than is still owed is refused rather than recorded as an overpayment: a
second payment for a debt already settled is almost always a duplicate entry, and a refusal that
says what is owed lets the user fix it. Money that a correction leaves paid beyond the corrected
amount shows in the ledger as `overpaid`, never as a debt.
"""

from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.terms import Money
from recruitment.errors import Conflict, Forbidden, InvalidInput, NotFound
from recruitment.models import Cost, Recruitment, ReimbursedCost, Reimbursement
from recruitment.models.base import utc_now
from recruitment.schemas.recruitments import (
    CostCreate,
    CostRead,
    Ledger,
    LedgerLine,
    ReimbursementCreate,
    ReimbursementRead,
)
from recruitment.services import audit, cases, flags, intermediaries, workers
from recruitment.services.caller import Caller
from recruitment.services.recruitments import find_recruitment
from recruitment.verification import CostBalance, cost_balances


def _cost_read(cost: Cost) -> CostRead:
    return CostRead.model_validate(
        {**cost.model_dump(), "amount": Money(amount=cost.amount, currency=cost.currency)}
    )


async def record_cost(
    session: AsyncSession, caller: Caller, recruitment_id: UUID, data: CostCreate
) -> CostRead:
    recruitment = await find_recruitment(session, caller, recruitment_id)
    if data.paid_on > clock.today():
        raise InvalidInput.of_field(
            "paid_on", "A cost can't be recorded as paid in the future; record it once paid."
        )
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
        carried = await _reimbursements_of(session, corrected.id)
        _check_correction_keeps_reimbursements(data, carried)
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
    if corrected is not None:
        session.add_all(
            ReimbursedCost(reimbursement_id=reimbursement.id, cost_id=cost.id)
            for reimbursement in carried
        )
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


async def _reimbursements_of(session: AsyncSession, cost_id: UUID) -> list[Reimbursement]:
    return list(
        await session.exec(
            select(Reimbursement)
            .join(ReimbursedCost, col(ReimbursedCost.reimbursement_id) == col(Reimbursement.id))
            .where(ReimbursedCost.cost_id == cost_id)
        )
    )


def _check_correction_keeps_reimbursements(
    data: CostCreate, carried: Iterable[Reimbursement]
) -> None:
    """A correction takes over the reimbursements of the cost it replaces, so it must stay in
    their currency and not be dated after them."""
    for reimbursement in carried:
        if reimbursement.currency != data.amount.currency:
            raise InvalidInput.of_field(
                "amount.currency",
                f"The cost corrected was reimbursed in {reimbursement.currency}; a correction "
                "keeps its reimbursements, so it stays in that currency.",
            )
        if reimbursement.paid_on < data.paid_on:
            raise InvalidInput.of_field(
                "paid_on",
                f"The cost corrected was reimbursed on {reimbursement.paid_on}; a correction "
                "keeps its reimbursements, so it can't be dated after that.",
            )


async def balances(session: AsyncSession, recruitment_ids: list[UUID]) -> list[CostBalance]:
    """Each current cost of these recruitments with what has come back of it, as of today, as
    the rules count it."""
    today = clock.today()
    return [
        balance
        for case in await cases.load_facts(session, recruitment_ids)
        for balance in cost_balances(case, today)
    ]


async def outstanding(session: AsyncSession, recruitment_id: UUID) -> dict[UUID, int]:
    """What is still owed on each current cost of a recruitment, as of today."""
    return {
        balance.cost.id: balance.outstanding
        for balance in await balances(session, [recruitment_id])
    }


async def record_reimbursement(
    session: AsyncSession, caller: Caller, recruitment_id: UUID, data: ReimbursementCreate
) -> ReimbursementRead:
    recruitment = await find_recruitment(session, caller, recruitment_id)
    if data.paid_on > clock.today():
        raise InvalidInput.of_field(
            "paid_on", "A reimbursement can't be recorded in advance; record it once paid."
        )
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
    later = [cost for cost in costs if cost.paid_on > data.paid_on]
    if later:
        raise InvalidInput.of_field(
            "paid_on",
            f"A reimbursement can't be paid before the cost it repays; cost {later[0].id} was "
            f"paid on {later[0].paid_on}.",
        )
    currencies = {c.currency for c in costs}
    if currencies != {data.amount.currency}:
        raise InvalidInput.of_field(
            "amount.currency",
            f"A reimbursement repays costs in its own currency; these are in "
            f"{', '.join(sorted(currencies))}.",
        )
    still_owed = await outstanding(session, recruitment.id)
    owed = sum(still_owed.get(c.id, 0) for c in costs)
    if data.amount.amount > owed:
        raise InvalidInput.of_field(
            "amount.amount",
            f"That is more than is still owed on these costs ({owed} minor units); "
            "a cost already paid back is not paid twice.",
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
    """Per currency, as of today: paid, reimbursed, still owed and overpaid, over the
    recruitments the caller may see. `owed` is the sum of what the rules count outstanding on
    each cost; `overpaid` is money paid back beyond the costs it named (after a correction
    lowered one, say)."""
    await workers.find_worker(session, caller, worker_id)
    recruitment_ids = list(
        await session.exec(
            select(Recruitment.id).where(
                Recruitment.worker_id == worker_id, caller.scope(col(Recruitment.grower_id))
            )
        )
    )
    today = clock.today()
    paid: dict[str, int] = defaultdict(int)
    applied: dict[str, int] = defaultdict(int)
    owed: dict[str, int] = defaultdict(int)
    reimbursed: dict[str, int] = defaultdict(int)
    for case in await cases.load_facts(session, recruitment_ids):
        for balance in cost_balances(case, today):
            paid[balance.cost.currency] += balance.cost.amount
            applied[balance.cost.currency] += balance.reimbursed
            owed[balance.cost.currency] += balance.outstanding
        for reimbursement in case.reimbursements:
            if reimbursement.paid_on <= today:
                reimbursed[reimbursement.currency] += reimbursement.amount
    return Ledger(
        worker_id=worker_id,
        lines=[
            LedgerLine(
                currency=currency,
                paid=paid[currency],
                reimbursed=reimbursed[currency],
                owed=owed[currency],
                overpaid=reimbursed[currency] - applied[currency],
            )
            for currency in sorted(paid.keys() | reimbursed.keys())
        ],
    )
