"""The annual program report, from the audits, findings, corrective actions, standing decisions,
complaints and remedies of one year."""

from datetime import date

from sqlalchemy import extract, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.vocabulary import GOOD_STANDING
from recruitment.models import (
    AuditInterview,
    CorrectiveAction,
    Grower,
    GrowerStatusChange,
    Hire,
    ProgramAudit,
    ProgramFinding,
)
from recruitment.schemas.annual_report import (
    AnnualReport,
    AuditFigures,
    CorrectiveActionFigures,
    FindingFigures,
    StandingFigures,
)
from recruitment.schemas.reports import ReportPeriod
from recruitment.services import complaints
from recruitment.services.audits import coverage_of
from recruitment.services.caller import Caller


async def annual_report(session: AsyncSession, caller: Caller, year: int) -> AnnualReport:
    caller.require_staff("read the annual program report")
    hired = select(Hire).where(extract("year", col(Hire.start_date)) == year).subquery()
    workers, growers = (
        await session.exec(
            select(
                func.count(func.distinct(hired.c.worker_id)),
                func.count(func.distinct(hired.c.grower_id)),
            )
        )
    ).one()
    return AnnualReport(
        year=year,
        workers_covered=workers,
        growers_with_workers=growers,
        audits=await _audits(session, year),
        findings=await _findings(session, year),
        corrective_actions=await _actions(session, year),
        standing=await _standing(session, year),
        # A season of complaints is the calendar year they reached the program in.
        complaints=await complaints.figures(session, caller, ReportPeriod(season=year)),
    )


async def _audits(session: AsyncSession, year: int) -> AuditFigures:
    audits = list(await session.exec(select(ProgramAudit).where(ProgramAudit.season == year)))
    # One coverage query per audit: a program audits tens of growers a year, not thousands.
    coverages = [await coverage_of(session, audit) for audit in audits]
    interviews = (
        await session.exec(
            select(func.count())
            .select_from(AuditInterview)
            .where(col(AuditInterview.audit_id).in_([a.id for a in audits]))
        )
    ).one()
    roster = sum(c.roster for c in coverages)
    heard = sum(c.interviewed for c in coverages)
    return AuditFigures(
        audits=len(audits),
        unannounced=sum(not a.announced for a in audits),
        re_entry=sum(a.kind == "re_entry" for a in audits),
        passed=sum(a.outcome == "passed" for a in audits),
        failed=sum(a.outcome == "failed" for a in audits),
        interviews=interviews,
        workers_on_audited_rosters=roster,
        interview_coverage=heard / roster if roster else None,
        audits_meeting_coverage_target=sum(c.meets_target for c in coverages),
    )


async def _findings(session: AsyncSession, year: int) -> FindingFigures:
    raised = list(
        await session.exec(
            select(ProgramFinding.standard, ProgramFinding.status).where(
                extract("year", col(ProgramFinding.raised_on)) == year
            )
        )
    )
    by_standard: dict[str, int] = {}
    for standard, _ in raised:
        by_standard[standard] = by_standard.get(standard, 0) + 1
    corrected = sum(status == "corrected" for _, status in raised)
    return FindingFigures(
        raised=len(raised),
        corrected=corrected,
        still_open=len(raised) - corrected,
        by_standard=by_standard,
    )


async def _actions(session: AsyncSession, year: int) -> CorrectiveActionFigures:
    actions = list(
        await session.exec(
            select(CorrectiveAction).where(extract("year", col(CorrectiveAction.due_on)) == year)
        )
    )
    judged_on = min(clock.today(), date(year, 12, 31))
    return CorrectiveActionFigures(
        planned=len(actions),
        verified=sum(a.status == "verified" for a in actions),
        overdue=sum(
            a.due_on < judged_on and (a.completed_on is None or a.completed_on > a.due_on)
            for a in actions
        ),
    )


async def _standing(session: AsyncSession, year: int) -> StandingFigures:
    changes = list(
        await session.exec(
            select(GrowerStatusChange.from_status, GrowerStatusChange.to_status).where(
                extract("year", col(GrowerStatusChange.effective_on)) == year
            )
        )
    )
    participating = (
        await session.exec(
            select(func.count()).where(col(Grower.program_status).in_(GOOD_STANDING))
        )
    ).one()
    return StandingFigures(
        participating_at_report=participating,
        suspensions=sum(to == "suspended" for _, to in changes),
        re_entry_audits_begun=sum(to == "re_entry_audit" for _, to in changes),
        reinstatements=sum(to == "participating" and fro != "participating" for fro, to in changes),
        withdrawals=sum(to == "withdrawn" for _, to in changes),
    )
