"""Corrective action plans: each action answers a finding (or, once complaints exist, a founded
complaint), with a deadline, an owner, the evidence that it was done, and staff's verification.

An action past its deadline and not done is a finding of its own (CORRECTIVE_ACTION_OVERDUE),
raised and cleared by the verification run like every rule that turns on time.
"""

from datetime import date
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.vocabulary import CorrectiveActionStatus, ProgramFindingCode
from recruitment.errors import Conflict, InvalidInput, NotFound
from recruitment.models import CorrectiveAction, ProgramFinding
from recruitment.schemas.audits import (
    CorrectiveActionCompletion,
    CorrectiveActionCreate,
    CorrectiveActionRead,
    CorrectiveActionVerification,
)
from recruitment.services import audit
from recruitment.services.audits import correct, find_finding, reconcile_rule_finding
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import check_version, mark_changed
from recruitment.verification.program_audits import OVERDUE_SOURCE, is_overdue

OVERDUE: ProgramFindingCode = "CORRECTIVE_ACTION_OVERDUE"


def action_read(action: CorrectiveAction, as_of: date | None = None) -> CorrectiveActionRead:
    overdue = is_overdue(action.due_on, action.completed_on, as_of or clock.today())
    return CorrectiveActionRead.model_validate({**action.model_dump(), "overdue": overdue})


async def plan_action(
    session: AsyncSession, caller: Caller, data: CorrectiveActionCreate
) -> CorrectiveActionRead:
    """An action answering an open finding; the grower proposes its own, staff any grower's."""
    finding = await find_finding(session, caller, data.finding_id, for_update=True)
    if finding.status != "open":
        raise Conflict("That finding is corrected already: there is nothing left to act on.")
    return await _add(session, caller, finding.grower_id, data, finding_id=finding.id)


async def plan_action_for_complaint(
    session: AsyncSession,
    caller: Caller,
    grower_id: UUID,
    complaint_id: UUID,
    data: CorrectiveActionCreate,
) -> CorrectiveActionRead:
    """The hook for founded complaints: the complaints service checks the complaint (founded,
    this grower's, visible to the caller) and plans its remedy here."""
    return await _add(session, caller, grower_id, data, complaint_id=complaint_id)


async def _add(
    session: AsyncSession,
    caller: Caller,
    grower_id: UUID,
    data: CorrectiveActionCreate,
    *,
    finding_id: UUID | None = None,
    complaint_id: UUID | None = None,
) -> CorrectiveActionRead:
    action = CorrectiveAction(
        grower_id=grower_id,
        finding_id=finding_id,
        complaint_id=complaint_id,
        description=data.description,
        owner=data.owner,
        due_on=data.due_on,
    )
    session.add(action)
    await session.flush()
    created = action_read(action)
    await audit.record(
        session, caller, "corrective_action.plan", "corrective_action", action.id,
        grower_id=grower_id, after=created,
    )  # fmt: skip
    return created


async def find_action(
    session: AsyncSession, caller: Caller, action_id: UUID, *, for_update: bool = False
) -> CorrectiveAction:
    query = select(CorrectiveAction).where(
        CorrectiveAction.id == action_id, caller.scope(col(CorrectiveAction.grower_id))
    )
    if for_update:
        query = query.with_for_update()
    row = (await session.exec(query)).first()
    if row is None:
        raise NotFound(f"No corrective action {action_id}.")
    return row


async def read_action(
    session: AsyncSession, caller: Caller, action_id: UUID
) -> CorrectiveActionRead:
    return action_read(await find_action(session, caller, action_id))


async def list_actions(
    session: AsyncSession,
    caller: Caller,
    *,
    grower_id: UUID | None,
    finding_id: UUID | None,
    status: CorrectiveActionStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[CorrectiveActionRead]:
    query = select(CorrectiveAction).where(caller.scope(col(CorrectiveAction.grower_id)))
    for column, value in (
        (CorrectiveAction.grower_id, grower_id),
        (CorrectiveAction.finding_id, finding_id),
        (CorrectiveAction.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    page = await paginate(session, query, CorrectiveAction, cursor=cursor, limit=limit)
    return Page([action_read(row) for row in page.items], page.next_cursor)


async def complete(
    session: AsyncSession,
    caller: Caller,
    action_id: UUID,
    expected_version: int | None,
    data: CorrectiveActionCompletion,
) -> CorrectiveActionRead:
    action = await find_action(session, caller, action_id, for_update=True)
    check_version(action.version, expected_version)
    if action.status != "open":
        raise Conflict(f"This action is {action.status} already.")
    today = clock.today()
    if data.completed_on > today:
        raise InvalidInput.of_field(
            "completed_on", f"{data.completed_on} is in the future: record it once it is done."
        )
    before = action_read(action)
    action.status = "completed"
    action.completed_on = data.completed_on
    action.evidence = data.evidence
    await _save(session, action, today)
    after = action_read(action)
    await audit.record(
        session, caller, "corrective_action.complete", "corrective_action", action.id,
        grower_id=action.grower_id, before=before, after=after,
    )  # fmt: skip
    return after


async def verify(
    session: AsyncSession,
    caller: Caller,
    action_id: UUID,
    expected_version: int | None,
    data: CorrectiveActionVerification,
) -> CorrectiveActionRead:
    """Staff check the evidence. Verified, the action is done, and its finding corrected once
    every action answering it is; rejected, it is open again, under its own deadline."""
    caller.require_staff("verify corrective actions")
    action = await find_action(session, caller, action_id, for_update=True)
    check_version(action.version, expected_version)
    if action.status != "completed":
        raise Conflict(f"Only a completed action is verified; this one is {action.status}.")
    today = clock.today()
    before = action_read(action)
    action.review_note = data.note
    if data.decision == "verified":
        action.status = "verified"
        action.verified_by = caller.actor
        action.verified_at = clock.now()
    else:
        action.status = "open"
        action.completed_on = None
    await _save(session, action, today)
    if data.decision == "verified" and action.finding_id is not None:
        await _correct_when_all_verified(session, action.finding_id, today)
    after = action_read(action)
    await audit.record(
        session, caller, f"corrective_action.{data.decision}", "corrective_action", action.id,
        grower_id=action.grower_id, before=before, after=after,
    )  # fmt: skip
    return after


async def _save(session: AsyncSession, action: CorrectiveAction, today: date) -> None:
    mark_changed(action)
    session.add(action)
    await session.flush()
    await _reconcile_overdue(session, action, today)


async def _correct_when_all_verified(session: AsyncSession, finding_id: UUID, on: date) -> None:
    statuses = set(
        await session.exec(
            select(CorrectiveAction.status).where(CorrectiveAction.finding_id == finding_id)
        )
    )
    if statuses != {"verified"}:
        return
    finding = await session.get(ProgramFinding, finding_id, with_for_update=True)
    if finding is not None and finding.status == "open":
        correct(finding, on, "Every corrective action answering it was verified by staff.")
        session.add(finding)
        await session.flush()


async def _reconcile_overdue(session: AsyncSession, action: CorrectiveAction, as_of: date) -> None:
    await reconcile_rule_finding(
        session,
        grower_id=action.grower_id,
        code=OVERDUE,
        subject=f"corrective_action:{action.id}",
        raised=is_overdue(action.due_on, action.completed_on, as_of),
        standard=await _standard_of(session, action),
        severity="violation",
        detail=f"The corrective action '{action.description[:200]}' was due on {action.due_on}.",
        evidence={
            "corrective_action_id": str(action.id),
            "due_on": action.due_on.isoformat(),
            "owner": action.owner,
        },
        source=OVERDUE_SOURCE,
        on=as_of,
    )


async def _standard_of(session: AsyncSession, action: CorrectiveAction) -> str:
    if action.finding_id is None:
        return "complaints_and_retaliation"
    finding = await session.get(ProgramFinding, action.finding_id)
    return finding.standard if finding else "complaints_and_retaliation"


async def reevaluate_deadlines(session: AsyncSession, as_of: date | None = None) -> int:
    """The verification run's part: raise or clear the overdue finding of every action that is
    not verified, as of the day; how many are overdue."""
    day = as_of or clock.today()
    actions = list(
        await session.exec(
            select(CorrectiveAction)
            .where(CorrectiveAction.status != "verified")
            .order_by(col(CorrectiveAction.id))
        )
    )
    for action in actions:
        await _reconcile_overdue(session, action, day)
    return sum(is_overdue(a.due_on, a.completed_on, day) for a in actions)
