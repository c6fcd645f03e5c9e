"""A worker's case as one dated story: milestones, money, contracts and flags, in order."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from recruitment.domain.vocabulary import MILESTONE_EXITS, MILESTONE_PATH, Milestone
from recruitment.schemas.contracts import ContractRead, DeliveryRead
from recruitment.schemas.flags import FlagRead
from recruitment.schemas.recruitments import CostRead, RecruitmentRead, ReimbursementRead

EventKind = Literal[
    "milestone",
    "cost",
    "reimbursement",
    "contract_issued",
    "contract_delivered",
    "flag_raised",
    "flag_closed",
]
# Within one day, the order in which things happen to a case.
_KIND_ORDER: tuple[EventKind, ...] = (
    "milestone",
    "cost",
    "contract_issued",
    "contract_delivered",
    "reimbursement",
    "flag_raised",
    "flag_closed",
)
_MILESTONE_ORDER: tuple[Milestone, ...] = (*MILESTONE_PATH, *MILESTONE_EXITS)


@dataclass(frozen=True)
class CaseEvent:
    on: date
    kind: EventKind
    subject: Any  # the record the event tells of (a recruitment, a cost, a contract, a flag...)
    recruitment_id: UUID
    milestone: Milestone | None = None
    # When the record has a time (a contract issued, a flag raised or closed): within its day,
    # timed events follow the dated ones in the order they happened.
    at: datetime | None = None

    @property
    def order(self) -> tuple[date, float, int, int]:
        rank = _MILESTONE_ORDER.index(self.milestone) if self.milestone else 0
        moment = self.at.timestamp() if self.at else float("-inf")
        return self.on, moment, _KIND_ORDER.index(self.kind), rank


def case_timeline(
    recruitments: Iterable[RecruitmentRead],
    costs: Iterable[CostRead],
    reimbursements: Iterable[ReimbursementRead],
    contracts: Iterable[ContractRead],
    deliveries: Mapping[UUID, Sequence[DeliveryRead]],
    flags: Iterable[FlagRead],
) -> list[CaseEvent]:
    events: list[CaseEvent] = []
    for recruitment in recruitments:
        for name in _MILESTONE_ORDER:
            day = getattr(recruitment.milestones, name)
            if day is not None:
                events.append(CaseEvent(day, "milestone", recruitment, recruitment.id, name))
    events += [CaseEvent(c.paid_on, "cost", c, c.recruitment_id) for c in costs]
    events += [CaseEvent(r.paid_on, "reimbursement", r, r.recruitment_id) for r in reimbursements]
    for contract in contracts:
        events.append(
            CaseEvent(
                contract.issued_at.date(),
                "contract_issued",
                contract,
                contract.recruitment_id,
                at=contract.issued_at,
            )
        )
        events += [
            CaseEvent(d.delivered_on, "contract_delivered", d, contract.recruitment_id)
            for d in deliveries.get(contract.id, ())
        ]
    for flag in flags:
        events.append(
            CaseEvent(
                flag.created_at.date(),
                "flag_raised",
                flag,
                flag.recruitment_id,
                at=flag.created_at,
            )
        )
        if flag.status in ("resolved", "dismissed"):
            events.append(
                CaseEvent(
                    flag.status_changed_at.date(),
                    "flag_closed",
                    flag,
                    flag.recruitment_id,
                    at=flag.status_changed_at,
                )
            )
    return sorted(events, key=lambda event: event.order)
