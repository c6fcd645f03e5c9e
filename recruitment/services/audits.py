"""Program audits: the audit of a grower for a season, the workers its auditors interview, and
the findings it makes per standard of the code.

What a worker says in an interview is evidence like any other: a fee they paid becomes a cost on
their case (reported by the audit interview), a channel other than the SNE becomes the case's
channel, and the rules judge both as they judge what the grower declared.
"""

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.vocabulary import FlagSeverity, ProgramFindingCode, ProgramFindingStatus
from recruitment.errors import Conflict, InvalidInput, NotFound
from recruitment.models import AuditInterview, Hire, ProgramAudit, ProgramFinding, Recruitment
from recruitment.schemas.audits import (
    AuditClosing,
    AuditCreate,
    AuditRead,
    FindingCreate,
    FindingRead,
    InterviewCoverage,
    InterviewCreate,
    InterviewRead,
)
from recruitment.schemas.recruitments import CostCreate, RecruitmentUpdate
from recruitment.services import audit, costs, recruitments
from recruitment.services.caller import Caller
from recruitment.services.growers import find_grower
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import mark_changed
from recruitment.verification.program_audits import COVERAGE_SOURCE, Coverage

STANDARD_SOURCE = "Program code of conduct, standard: {standard}"


def _roster(audit_row: ProgramAudit) -> Any:
    """The workers on the grower's roster during the audit: hired by its last day, and not
    completed, withdrawn or gone before its first."""
    still_there = [
        or_(column.is_(None), column >= audit_row.starts_on)
        for column in (
            col(Recruitment.completed_on),
            col(Recruitment.withdrawn_on),
            col(Recruitment.departed_early_on),
        )
    ]
    return (
        select(Hire.worker_id)
        .join(Recruitment, col(Recruitment.id) == col(Hire.recruitment_id))
        .where(Hire.grower_id == audit_row.grower_id, Hire.start_date <= audit_row.ends_on)
        .where(*still_there)
    )


async def coverage_of(session: AsyncSession, audit_row: ProgramAudit) -> Coverage:
    roster = _roster(audit_row).subquery()
    on_roster = (await session.exec(select(func.count(func.distinct(roster.c.worker_id))))).one()
    interviewed = (
        await session.exec(
            select(func.count()).where(
                AuditInterview.audit_id == audit_row.id,
                col(AuditInterview.worker_id).in_(select(roster.c.worker_id)),
            )
        )
    ).one()
    return Coverage(interviewed, on_roster, audit_row.interview_coverage_target)


async def _read(session: AsyncSession, audit_row: ProgramAudit) -> AuditRead:
    coverage = await coverage_of(session, audit_row)
    return AuditRead.model_validate(
        {
            **audit_row.model_dump(),
            "coverage": InterviewCoverage(
                interviewed=coverage.interviewed,
                roster=coverage.roster,
                share=coverage.share,
                target=coverage.target,
                needed=coverage.needed,
                meets_target=coverage.meets_target,
            ),
        }
    )


async def create_audit(
    session: AsyncSession, caller: Caller, data: AuditCreate, coverage_target: float
) -> AuditRead:
    caller.require_staff("schedule audits")
    await find_grower(session, caller, data.grower_id)
    row = ProgramAudit(
        **data.model_dump(exclude={"auditors"}),
        auditors=list(data.auditors),
        interview_coverage_target=coverage_target,
    )
    session.add(row)
    await session.flush()
    created = await _read(session, row)
    await audit.record(
        session, caller, "program_audit.create", "program_audit", row.id,
        grower_id=row.grower_id, after=created,
    )  # fmt: skip
    return created


async def find_audit(
    session: AsyncSession, caller: Caller, audit_id: UUID, *, for_update: bool = False
) -> ProgramAudit:
    query = select(ProgramAudit).where(
        ProgramAudit.id == audit_id, caller.scope(col(ProgramAudit.grower_id))
    )
    if for_update:
        query = query.with_for_update()
    row = (await session.exec(query)).first()
    if row is None:
        raise NotFound(f"No audit {audit_id}.")
    return row


async def read_audit(session: AsyncSession, caller: Caller, audit_id: UUID) -> AuditRead:
    return await _read(session, await find_audit(session, caller, audit_id))


async def list_audits(
    session: AsyncSession,
    caller: Caller,
    *,
    grower_id: UUID | None,
    season: int | None,
    cursor: str | None,
    limit: int,
) -> Page[AuditRead]:
    query = select(ProgramAudit).where(caller.scope(col(ProgramAudit.grower_id)))
    if grower_id is not None:
        query = query.where(ProgramAudit.grower_id == grower_id)
    if season is not None:
        query = query.where(ProgramAudit.season == season)
    page = await paginate(session, query, ProgramAudit, cursor=cursor, limit=limit)
    return Page([await _read(session, row) for row in page.items], page.next_cursor)


def _still_open(audit_row: ProgramAudit) -> None:
    if audit_row.closed_on is not None:
        raise Conflict(f"The audit was closed on {audit_row.closed_on}; it takes nothing more.")


async def record_interview(
    session: AsyncSession, caller: Caller, audit_id: UUID, data: InterviewCreate
) -> InterviewRead:
    caller.require_staff("record audit interviews")
    audit_row = await find_audit(session, caller, audit_id, for_update=True)
    _still_open(audit_row)
    if not audit_row.starts_on <= data.interviewed_on <= audit_row.ends_on:
        raise InvalidInput.of_field(
            "interviewed_on",
            f"The audit ran from {audit_row.starts_on} to {audit_row.ends_on}; "
            f"{data.interviewed_on} is outside it.",
        )
    recruitment = (
        await session.exec(
            select(Recruitment)
            .join(Hire, col(Hire.recruitment_id) == col(Recruitment.id))
            .where(
                Recruitment.worker_id == data.worker_id,
                col(Hire.worker_id).in_(_roster(audit_row)),
                Hire.grower_id == audit_row.grower_id,
            )
            .order_by(col(Hire.start_date).desc())
        )
    ).first()
    if recruitment is None:
        raise InvalidInput.of_field(
            "worker_id",
            "That worker is not on the grower's roster during the audit: interview the "
            "grower's own workers.",
        )
    interview = AuditInterview(
        audit_id=audit_row.id,
        grower_id=audit_row.grower_id,
        worker_id=data.worker_id,
        recruitment_id=recruitment.id,
        interviewed_on=data.interviewed_on,
        language=data.language,
        interviewer=data.interviewer,
        recruited_through=data.recruited_through,
        answers={area: answer.model_dump() for area, answer in data.answers.items()},
        recorded_by=caller.actor,
    )
    session.add(interview)
    try:
        await session.flush()
    except IntegrityError as error:
        raise Conflict("This worker was already interviewed in this audit.") from error
    if data.fee_paid is not None:
        cost = await costs.record_cost(
            session,
            caller,
            recruitment.id,
            CostCreate(
                category=data.fee_paid.category,
                amount=data.fee_paid.amount,
                paid_on=data.fee_paid.paid_on,
                payee_kind="other",
                payee_name=data.fee_paid.payee_name,
                reported_by="audit_interview",
                note=f"Reported in audit interview {interview.id} on {data.interviewed_on}.",
            ),
        )
        interview.cost_id = cost.id
        session.add(interview)
        await session.flush()
    if data.recruited_through not in ("sne", recruitment.channel):
        # The worker's account becomes the case's channel. The SNE folio and office belong to
        # the SNE channel only; the grower's claim stays in the audit trail's `before`.
        await recruitments.update_recruitment(
            session,
            caller,
            recruitment.id,
            recruitment.version,
            RecruitmentUpdate(channel=data.recruited_through, sne_folio=None, sne_office_id=None),
        )
    recorded = InterviewRead.model_validate(interview)
    await audit.record(
        session, caller, "audit_interview.record", "audit_interview", interview.id,
        grower_id=audit_row.grower_id, after=recorded,
    )  # fmt: skip
    return recorded


async def list_interviews(
    session: AsyncSession, caller: Caller, audit_id: UUID
) -> list[InterviewRead]:
    # What a worker said is for the program's staff alone: a grower could retaliate.
    caller.require_staff("read audit interviews")
    await find_audit(session, caller, audit_id)
    rows = await session.exec(
        select(AuditInterview)
        .where(AuditInterview.audit_id == audit_id)
        .order_by(col(AuditInterview.interviewed_on), col(AuditInterview.id))
    )
    return [InterviewRead.model_validate(row) for row in rows]


async def record_finding(
    session: AsyncSession, caller: Caller, audit_id: UUID, data: FindingCreate
) -> FindingRead:
    caller.require_staff("record audit findings")
    audit_row = await find_audit(session, caller, audit_id, for_update=True)
    _still_open(audit_row)
    finding = ProgramFinding(
        grower_id=audit_row.grower_id,
        audit_id=audit_row.id,
        code="CODE_STANDARD_VIOLATED",
        subject=f"audit:{audit_row.id}",
        standard=data.standard,
        severity=data.severity,
        detail=data.detail,
        source=STANDARD_SOURCE.format(standard=data.standard),
        raised_on=clock.today(),
        recorded_by=caller.actor,
    )
    session.add(finding)
    await session.flush()
    recorded = FindingRead.model_validate(finding)
    await audit.record(
        session, caller, "program_finding.record", "program_finding", finding.id,
        grower_id=audit_row.grower_id, after=recorded,
    )  # fmt: skip
    return recorded


async def close_audit(
    session: AsyncSession, caller: Caller, audit_id: UUID, data: AuditClosing
) -> AuditRead:
    """Close the audit with its outcome. Interview coverage under the target is a finding, and
    an audit that heard too few workers can't vouch for the grower: it can't pass."""
    caller.require_staff("close audits")
    audit_row = await find_audit(session, caller, audit_id, for_update=True)
    _still_open(audit_row)
    if data.closed_on < audit_row.starts_on:
        raise InvalidInput.of_field(
            "closed_on", f"An audit can't close before it began ({audit_row.starts_on})."
        )
    coverage = await coverage_of(session, audit_row)
    if data.outcome == "passed" and not coverage.meets_target:
        raise InvalidInput.of_field(
            "outcome",
            f"The audit interviewed {coverage.interviewed} of the {coverage.roster} workers on "
            f"the roster; passing needs at least {coverage.needed}.",
        )
    before = await _read(session, audit_row)
    await reconcile_rule_finding(
        session,
        grower_id=audit_row.grower_id,
        code="INTERVIEW_COVERAGE_BELOW_TARGET",
        subject=f"audit:{audit_row.id}",
        raised=not coverage.meets_target,
        audit_id=audit_row.id,
        standard="audit_cooperation",
        severity="violation",
        detail=(
            f"{coverage.interviewed} of {coverage.roster} workers on the roster were "
            f"interviewed; the target needs {coverage.needed}."
        ),
        evidence={
            "interviewed": coverage.interviewed,
            "roster": coverage.roster,
            "target": coverage.target,
            "needed": coverage.needed,
        },
        source=COVERAGE_SOURCE,
        on=data.closed_on,
    )
    audit_row.outcome = data.outcome
    audit_row.closed_on = data.closed_on
    audit_row.closing_note = data.note
    mark_changed(audit_row)
    session.add(audit_row)
    await session.flush()
    after = await _read(session, audit_row)
    await audit.record(
        session, caller, "program_audit.close", "program_audit", audit_row.id,
        grower_id=audit_row.grower_id, before=before, after=after,
    )  # fmt: skip
    return after


async def reconcile_rule_finding(
    session: AsyncSession,
    *,
    grower_id: UUID,
    code: ProgramFindingCode,
    subject: str,
    raised: bool,
    standard: str,
    severity: FlagSeverity,
    detail: str,
    evidence: dict[str, Any],
    source: str,
    on: date,
    audit_id: UUID | None = None,
) -> ProgramFindingStatus | None:
    """Bring one rule's finding about one subject in line with the rule: open it while the
    rule finds it, correct it once it no longer does. The new status, or None if unchanged."""
    live = (
        await session.exec(
            select(ProgramFinding)
            .where(
                ProgramFinding.grower_id == grower_id,
                ProgramFinding.code == code,
                ProgramFinding.subject == subject,
                ProgramFinding.status == "open",
            )
            .with_for_update()
        )
    ).first()
    if raised and live is None:
        session.add(
            ProgramFinding(
                grower_id=grower_id,
                audit_id=audit_id,
                code=code,
                subject=subject,
                standard=standard,
                severity=severity,
                detail=detail,
                evidence=evidence,
                source=source,
                raised_on=on,
                recorded_by="system",
            )
        )
        await session.flush()
        return "open"
    if not raised and live is not None:
        live.status = "corrected"
        live.corrected_on = on
        live.correction_note = "The rule no longer finds it."
        session.add(live)
        await session.flush()
        return "corrected"
    return None


async def find_finding(
    session: AsyncSession, caller: Caller, finding_id: UUID, *, for_update: bool = False
) -> ProgramFinding:
    query = select(ProgramFinding).where(
        ProgramFinding.id == finding_id, caller.scope(col(ProgramFinding.grower_id))
    )
    if for_update:
        query = query.with_for_update()
    row = (await session.exec(query)).first()
    if row is None:
        raise NotFound(f"No finding {finding_id}.")
    return row


async def list_findings(
    session: AsyncSession,
    caller: Caller,
    *,
    grower_id: UUID | None,
    audit_id: UUID | None,
    status: ProgramFindingStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[FindingRead]:
    query = select(ProgramFinding).where(caller.scope(col(ProgramFinding.grower_id)))
    for column, value in (
        (ProgramFinding.grower_id, grower_id),
        (ProgramFinding.audit_id, audit_id),
        (ProgramFinding.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    page = await paginate(session, query, ProgramFinding, cursor=cursor, limit=limit)
    return Page([FindingRead.model_validate(row) for row in page.items], page.next_cursor)


def correct(finding: ProgramFinding, on: date, note: str) -> None:
    finding.status = "corrected"
    finding.corrected_on = on
    finding.correction_note = note
