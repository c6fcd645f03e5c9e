"""A grower's audits, corrective action plan and standing; staff suspend and reinstate here."""

from http import HTTPStatus
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.params import PathParameter
from litestar.response import Redirect
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.console.auth import require_staff
from recruitment.console.controllers import FormData
from recruitment.console.forms import FormErrors, all_or_nothing, parse, posted_values
from recruitment.console.pages import page, redirect_with_notice
from recruitment.domain.vocabulary import ProgramStatus
from recruitment.errors import Conflict, InvalidInput
from recruitment.queue import defer_deliveries
from recruitment.schemas.growers import ProgramStatusChange
from recruitment.services import audits, corrective_actions, growers, standing
from recruitment.services.caller import Caller
from recruitment.services.pagination import MAX_PAGE_SIZE

GrowerId = Annotated[UUID, PathParameter()]
# Where staff may send a grower from each status; reinstating names a passed re-entry audit.
NEXT_STATUSES: dict[str, tuple[ProgramStatus, ...]] = {
    "participating": ("suspended", "withdrawn"),
    "suspended": ("re_entry_audit", "participating", "withdrawn"),
    "re_entry_audit": ("participating", "suspended", "withdrawn"),
    "withdrawn": ("re_entry_audit", "participating"),
}


def _url(grower_id: UUID) -> str:
    return f"/console/growers/{grower_id}/standing"


async def _standing_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    caller: Caller,
    grower_id: UUID,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: HTTPStatus = HTTPStatus.OK,
) -> Response[Any]:
    grower = await growers.read_grower(session, caller, grower_id)
    listed = await audits.list_audits(
        session, caller, grower_id=grower_id, season=None, cursor=None, limit=MAX_PAGE_SIZE
    )
    findings = await audits.list_findings(
        session, caller, grower_id=grower_id, audit_id=None, status=None, cursor=None,
        limit=MAX_PAGE_SIZE,
    )  # fmt: skip
    plan = await corrective_actions.list_actions(
        session, caller, grower_id=grower_id, finding_id=None, status=None, cursor=None,
        limit=MAX_PAGE_SIZE,
    )  # fmt: skip
    return page(
        request,
        "standing/grower.html",
        status,
        grower=grower,
        audits=listed.items,
        findings=findings.items,
        actions=plan.items,
        history=list(reversed(await growers.list_status_changes(session, caller, grower_id))),
        next_statuses=NEXT_STATUSES[grower.program_status],
        re_entry_audits=[
            (str(a.id), f"{a.season} · {a.starts_on} – {a.ends_on}")
            for a in listed.items
            if a.kind == "re_entry" and a.outcome == "passed"
        ],
        errors=errors or FormErrors(),
        values=values or {},
    )


class StandingController(Controller):
    path = "/"

    @get("/standing")
    async def own_standing(self, caller: CurrentCaller) -> Redirect:
        """The grower's own page; staff choose a grower from the list."""
        if caller.grower_id is None:
            return Redirect(path="/console/growers", status_code=HTTPStatus.SEE_OTHER.value)
        return Redirect(path=_url(caller.grower_id), status_code=HTTPStatus.SEE_OTHER.value)

    @get("/growers/{grower_id:uuid}/standing")
    async def grower_standing(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: GrowerId,
    ) -> Response[Any]:
        return await _standing_page(request, transaction, caller, grower_id)

    @post("/growers/{grower_id:uuid}/program-status", guards=[require_staff])
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        state: State,
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: GrowerId,
        data: FormData,
    ) -> Response[Any]:
        values = posted_values(data)
        try:
            change = parse(ProgramStatusChange, values)
            async with all_or_nothing(transaction):
                recorded = await growers.change_program_status(
                    transaction, caller, grower_id, change
                )
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except InvalidInput as error:
            errors = FormErrors.of_invalid_input(error)
        except Conflict as error:
            errors = FormErrors.of_message(error.detail)
        else:
            answer = redirect_with_notice(request, _url(grower_id), "notices.standing_changed")
            # Buyers' webhooks are queued once the response is out, after the commit.
            answer.background = BackgroundTask(
                defer_deliveries,
                state.queue,
                await standing.pending_deliveries(transaction, recorded.id),
            )
            return answer
        return await _standing_page(
            request, transaction, caller, grower_id, errors=errors, values=values,
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )  # fmt: skip
