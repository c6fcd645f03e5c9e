"""Reports: where one grower, or the whole program, stands for a season or a period.

Every figure is aggregated in PostgreSQL (GROUP BY, FILTER), grouped by grower: a report costs
the same five queries (six for a grower's, which first checks the grower) whether it covers ten
cases or a hundred thousand, and no case row reaches Python.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args
from uuid import UUID

from sqlalchemy import ColumnElement, Date, and_, cast, distinct, func, true, tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.domain.vocabulary import Channel, VerificationStatus
from recruitment.models import (
    ChainLink,
    Contract,
    ContractDelivery,
    Cost,
    Flag,
    Grower,
    Hire,
    Intermediary,
    JobOrder,
    JobOrderVersion,
    Recruitment,
    Reimbursement,
    is_current_version,
)
from recruitment.schemas.flags import FlagCount
from recruitment.schemas.reports import (
    CostTotals,
    GrowerFigures,
    GrowerReport,
    PeriodRead,
    ProgramReport,
    ReportPeriod,
    Share,
)
from recruitment.services import complaints
from recruitment.services.caller import Caller
from recruitment.services.flags import LIVE_STATUSES
from recruitment.services.growers import find_grower
from recruitment.verification.rules import RECRUITER_KINDS

CHANNELS: tuple[Channel, ...] = get_args(Channel)
VERIFICATION_STATUSES: tuple[VerificationStatus, ...] = get_args(VerificationStatus)


@dataclass
class _Tallies:
    """The counts behind one set of figures: a grower's, or the program's."""

    cases: Counter[str] = field(default_factory=Counter)
    flags: Counter[tuple[str, str]] = field(default_factory=Counter)
    reported: Counter[str] = field(default_factory=Counter)
    reimbursed: Counter[str] = field(default_factory=Counter)
    contractors: Counter[str] = field(default_factory=Counter)

    def figures(self) -> dict[str, Any]:
        cases = self.cases
        return {
            "cases": cases["cases"],
            "by_channel": {channel: cases[f"channel_{channel}"] for channel in CHANNELS},
            "recruited_through_sne": Share.of(cases["sne"], cases["cases"]),
            "sne_claim_verified": Share.of(cases["sne_verified"], cases["sne"]),
            "hired_directly": Share.of(cases["hired_directly"], cases["hired"]),
            "contract_before_visa": Share.of(cases["contract_before_visa"], cases["visa_applied"]),
            "open_flags": [
                FlagCount(code=code, severity=severity, count=count)
                for (code, severity), count in sorted(self.flags.items())
            ],
            "costs": [
                CostTotals(
                    currency=currency,
                    reported=self.reported[currency],
                    reimbursed=self.reimbursed[currency],
                )
                for currency in sorted(self.reported.keys() | self.reimbursed.keys())
            ],
            "contractors": {status: self.contractors[status] for status in VERIFICATION_STATUSES},
        }


# The counters whose program total is the sum of the growers'; contractors are not among them.
Additive = Literal["cases", "flags", "reported", "reimbursed"]


@dataclass
class _Tally:
    total: _Tallies = field(default_factory=_Tallies)
    growers: dict[UUID, _Tallies] = field(default_factory=dict)
    names: dict[UUID, str] = field(default_factory=dict)

    def add(self, grower_id: UUID, counter: Additive, key: Any, count: int) -> None:
        """Counts that add up across growers go to the grower and to the total at once."""
        for tallies in (self.growers.setdefault(grower_id, _Tallies()), self.total):
            getattr(tallies, counter)[key] += count


async def latest_season(
    session: AsyncSession, caller: Caller, grower_id: UUID | None = None
) -> int | None:
    """The latest season (a job order's period start year) that has a case the caller may see:
    where a report opens when no season is asked for."""
    period_start = cast(col(JobOrderVersion.terms)["period_start"].astext, Date)
    query = (
        select(func.max(func.extract("year", period_start)))
        .select_from(Recruitment)
        .join(JobOrder, col(JobOrder.id) == col(Recruitment.job_order_id))
        .join(JobOrderVersion, is_current_version())
        .where(caller.scope(col(Recruitment.grower_id)))
    )
    if grower_id is not None:
        query = query.where(col(Recruitment.grower_id) == grower_id)
    year = (await session.exec(query)).one()
    return None if year is None else int(year)


async def season_dates(
    session: AsyncSession, caller: Caller, period: ReportPeriod, grower_id: UUID | None = None
) -> tuple[date, date] | None:
    """The first and last day of work of the job orders a report covers: the weeks its weekly
    chart spans. None when no covered job order states its period."""
    terms = col(JobOrderVersion.terms)
    query = (
        select(
            func.min(cast(terms["period_start"].astext, Date)),
            func.max(cast(terms["period_end"].astext, Date)),
        )
        .select_from(Recruitment)
        .join(JobOrder, col(JobOrder.id) == col(Recruitment.job_order_id))
        .join(JobOrderVersion, is_current_version())
        .where(caller.scope(col(Recruitment.grower_id)), _in_period(period))
    )
    if grower_id is not None:
        query = query.where(col(Recruitment.grower_id) == grower_id)
    first, last = (await session.exec(query)).one()
    return None if first is None or last is None else (first, last)


def _in_period(period: ReportPeriod) -> ColumnElement[bool]:
    if period.season is not None:
        # The season is the job order's: its current terms' period start. A job order without
        # one belongs to no season (and carries a TERMS_INCOMPLETE flag).
        period_start = cast(col(JobOrderVersion.terms)["period_start"].astext, Date)
        season_job_orders = (
            select(JobOrder.id)
            .join(JobOrderVersion, is_current_version())
            .where(
                period_start >= date(period.season, 1, 1),
                period_start < date(period.season + 1, 1, 1),
            )
        )
        return col(Recruitment.job_order_id).in_(season_job_orders)
    # A case with no recruited date can't be placed in a range: it is left out.
    bounds: list[ColumnElement[bool]] = [col(Recruitment.recruited_on).is_not(None)]
    if period.recruited_from is not None:
        bounds.append(col(Recruitment.recruited_on) >= period.recruited_from)
    if period.recruited_until is not None:
        bounds.append(col(Recruitment.recruited_on) <= period.recruited_until)
    return and_(*bounds)


def _case_counts() -> dict[str, ColumnElement[int]]:
    """What is counted of a grower's cases, by name: aggregates over recruitments and hires."""
    is_sne = col(Recruitment.channel) == "sne"
    # As the NOT_DIRECT_HIRE rule judges it: both parties are this very grower.
    hired_directly = and_(
        col(Hire.employer_of_record_kind) == "grower",
        col(Hire.employer_of_record_id) == col(Recruitment.grower_id),
        col(Hire.wages_paid_by_kind) == "grower",
        col(Hire.wages_paid_by_id) == col(Recruitment.grower_id),
    )
    # Any delivery counts, of a superseded contract too, as CONTRACT_NOT_DISCLOSED_BEFORE_VISA
    # judges it; no visa date makes the comparison null, so such cases never count here.
    delivered_by_visa = (
        select(ContractDelivery.id)
        .join(Contract, col(Contract.id) == col(ContractDelivery.contract_id))
        .where(
            col(Contract.recruitment_id) == col(Recruitment.id),
            col(ContractDelivery.delivered_on) <= col(Recruitment.visa_applied_on),
        )
        .exists()
    )
    return {
        "cases": func.count(),
        **{
            f"channel_{channel}": func.count().filter(col(Recruitment.channel) == channel)
            for channel in CHANNELS
        },
        "sne": func.count().filter(is_sne),
        "sne_verified": func.count().filter(
            is_sne, col(Recruitment.channel_verification) == "verified"
        ),
        "hired": func.count(col(Hire.id)),
        "hired_directly": func.count().filter(hired_directly),
        "visa_applied": func.count(col(Recruitment.visa_applied_on)),
        "contract_before_visa": func.count().filter(delivered_by_visa),
    }


async def _tally(session: AsyncSession, covered: ColumnElement[bool]) -> _Tally:
    """Five aggregate queries over the cases matching `covered`, grouped by grower."""
    tally = _Tally()
    counts = _case_counts()
    values: list[int]  # one per entry of `counts`, in its order
    for grower_id, name, *values in await session.exec(
        select(col(Recruitment.grower_id), col(Grower.legal_name), *counts.values())
        .join(Grower, col(Grower.id) == col(Recruitment.grower_id))
        # One hire at most per recruitment (unique): the join multiplies nothing.
        .outerjoin(Hire, col(Hire.recruitment_id) == col(Recruitment.id))
        .where(covered)
        .group_by(col(Recruitment.grower_id), col(Grower.legal_name))
    ):
        tally.names[grower_id] = name
        for counted, value in zip(counts, values, strict=True):
            tally.add(grower_id, "cases", counted, value)

    covered_ids = select(Recruitment.id).where(covered)
    for grower_id, code, severity, count in await session.exec(
        select(Flag.grower_id, Flag.code, Flag.severity, func.count())
        .where(col(Flag.recruitment_id).in_(covered_ids), col(Flag.status).in_(LIVE_STATUSES))
        .group_by(col(Flag.grower_id), col(Flag.code), col(Flag.severity))
    ):
        tally.add(grower_id, "flags", (code, severity), count)

    money: list[tuple[Additive, type[Cost] | type[Reimbursement], ColumnElement[bool]]] = [
        # A corrected cost is replaced by its correction: only current costs are reported.
        ("reported", Cost, col(Cost.superseded_at).is_(None)),
        ("reimbursed", Reimbursement, true()),
    ]
    for counter, table, condition in money:
        for grower_id, currency, amount in await session.exec(
            select(table.grower_id, table.currency, func.sum(table.amount))
            .where(col(table.recruitment_id).in_(covered_ids), condition)
            .group_by(col(table.grower_id), col(table.currency))
        ):
            tally.add(grower_id, counter, currency, amount)

    # A contractor serving several growers counts once in the program's figures: the total is a
    # distinct count of its own (a grouping set), not the sum of the growers'.
    status = col(Intermediary.verification_status)
    for grower_id, of_all_growers, verification, count in await session.exec(
        select(
            col(Recruitment.grower_id),
            func.grouping(col(Recruitment.grower_id)),
            status,
            func.count(distinct(col(Intermediary.id))),
        )
        .select_from(ChainLink)
        .join(Intermediary, col(Intermediary.id) == col(ChainLink.intermediary_id))
        .join(Recruitment, col(Recruitment.id) == col(ChainLink.recruitment_id))
        .where(
            covered,
            col(ChainLink.replaced_at).is_(None),
            col(Intermediary.kind).in_(RECRUITER_KINDS),
        )
        .group_by(func.grouping_sets(tuple_(col(Recruitment.grower_id), status), tuple_(status)))
    ):
        if of_all_growers:
            tally.total.contractors[verification] += count
        else:
            tally.growers.setdefault(grower_id, _Tallies()).contractors[verification] += count
    return tally


async def grower_report(
    session: AsyncSession, caller: Caller, grower_id: UUID, period: ReportPeriod
) -> GrowerReport:
    grower = await find_grower(session, caller, grower_id)
    tally = await _tally(
        session,
        and_(
            caller.scope(col(Recruitment.grower_id)),
            col(Recruitment.grower_id) == grower.id,
            _in_period(period),
        ),
    )
    return GrowerReport(
        period=PeriodRead.of(period),
        grower_id=grower.id,
        grower_name=grower.legal_name,
        **tally.total.figures(),
    )


async def program_report(
    session: AsyncSession, caller: Caller, period: ReportPeriod
) -> ProgramReport:
    caller.require_staff("read the program's report")
    tally = await _tally(
        session, and_(caller.scope(col(Recruitment.grower_id)), _in_period(period))
    )
    by_name = sorted(tally.names, key=lambda grower_id: (tally.names[grower_id], str(grower_id)))
    return ProgramReport(
        period=PeriodRead.of(period),
        **tally.total.figures(),
        growers=[
            GrowerFigures(
                grower_id=grower_id,
                grower_name=tally.names[grower_id],
                **tally.growers[grower_id].figures(),
            )
            for grower_id in by_name
        ],
        complaints=await complaints.figures(session, caller, period),
    )


@dataclass(frozen=True)
class WeeklyFlags:
    """How many flags of one code were raised in one week."""

    week: date  # its Monday (weeks as ISO 8601 counts them, in UTC)
    code: str
    raised: int


async def flags_raised_by_week(
    session: AsyncSession, caller: Caller, period: ReportPeriod, grower_id: UUID | None = None
) -> list[WeeklyFlags]:
    """The flags raised each week, by code, on the cases a report covers: one grower's, or the
    program's (staff) when `grower_id` is None. By week and code, then.

    Every flag raised counts, whatever its status now, so that a past week's figure stays what it
    was when a flag is later resolved. One query, grouped in PostgreSQL like the reports'.
    """
    covered = and_(caller.scope(col(Recruitment.grower_id)), _in_period(period))
    if grower_id is None:
        caller.require_staff("read the program's report")
    else:
        grower = await find_grower(session, caller, grower_id)
        covered = and_(covered, col(Recruitment.grower_id) == grower.id)
    # The Monday of the flag's week in UTC, whatever time zone the database session is in.
    week = cast(func.date_trunc("week", func.timezone("UTC", col(Flag.created_at))), Date)
    rows = await session.exec(
        select(week, col(Flag.code), func.count())
        .where(col(Flag.recruitment_id).in_(select(Recruitment.id).where(covered)))
        .group_by(week, col(Flag.code))
        .order_by(week, col(Flag.code))
    )
    return [WeeklyFlags(monday, code, count) for monday, code, count in rows]
