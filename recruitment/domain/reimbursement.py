"""How reimbursements pay back costs: each repays the costs it names, oldest cost first."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True)
class Repayment:
    amount: int
    paid_on: date
    cost_ids: Sequence[UUID]


def repaid_per_cost(
    costs: Mapping[UUID, tuple[date, int]], repayments: Iterable[Repayment]
) -> dict[UUID, int]:
    """How much of each cost (its paid_on and amount) has come back. A repayment fills the
    costs it names in the order they were paid; any excess is credited to no other cost."""
    repaid = dict.fromkeys(costs, 0)
    for repayment in sorted(repayments, key=lambda r: r.paid_on):
        left = repayment.amount
        named = sorted((i for i in repayment.cost_ids if i in costs), key=lambda i: costs[i][0])
        for cost_id in named:
            take = min(left, costs[cost_id][1] - repaid[cost_id])
            repaid[cost_id] += take
            left -= take
    return repaid
