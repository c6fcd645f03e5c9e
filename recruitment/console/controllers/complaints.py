"""The complaint queue for staff: list, open (each opening is an audit event), investigate, record
the remedy. The same services as the API, under the same rules."""

from http import HTTPStatus
from typing import Annotated, Any, get_args
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import ValidationException
from litestar.params import PathParameter, QueryParameter
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.console.auth import require_staff
from recruitment.console.controllers import Cursor, FormData
from recruitment.console.controllers.flags import grower_names
from recruitment.console.forms import FormErrors, all_or_nothing, nested, parse, posted_values
from recruitment.console.pages import page, redirect_with_notice
from recruitment.domain.complaints import NEXT_STATUSES
from recruitment.domain.vocabulary import (
    LANGUAGES,
    ComplaintCategory,
    ComplaintSeverity,
    ComplaintStatus,
    RemedyKind,
)
from recruitment.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from recruitment.schemas.complaints import (
    ComplaintCreate,
    ComplaintUpdate,
    GrowerResponseCreate,
    RemedyCreate,
)
from recruitment.services import complaints, costs
from recruitment.services.caller import Caller

QUEUE = "/console/complaints"
SHARED = "/console/shared-complaints"
QUEUE_PAGE_SIZE = 50
ComplaintId = Annotated[UUID, PathParameter()]
StatusFilter = Annotated[ComplaintStatus | None, QueryParameter(required=False)]


class ComplaintsController(Controller):
    path = "/complaints"
    guards = [require_staff]

    @get("/")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        status: Annotated[str | None, QueryParameter(required=False, max_length=20)] = None,
        cursor: Cursor = None,
    ) -> Response[Any]:
        if status and status not in get_args(ComplaintStatus):
            raise ValidationException("Unknown status.")
        listed = await complaints.list_complaints(
            transaction, caller, grower_id=None, status=status or None,  # type: ignore[arg-type]
            category=None, severity=None, channel=None, cursor=cursor or None,
            limit=QUEUE_PAGE_SIZE,
        )  # fmt: skip
        return page(
            request,
            "complaints/queue.html",
            complaints=listed.items,
            growers=await grower_names(transaction, caller),
            status=status or "",
            statuses=get_args(ComplaintStatus),
            next_page=f"{QUEUE}?status={status or ''}&cursor={listed.next_cursor}"
            if listed.next_cursor
            else None,
        )

    @get("/new")
    async def new(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: Annotated[str | None, QueryParameter(required=False, max_length=100)] = None,
    ) -> Response[Any]:
        """The form; once a grower is chosen (`?grower_id=`, a plain GET form, no script
        needed), its cases to pick the worker's from."""
        return await _hotline_form(
            request, transaction, caller, values={"grower_id": grower_id} if grower_id else None
        )

    @post("/")
    async def record(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: FormData,
    ) -> Response[Any]:
        """A hotline call, as the investigator who took it writes it down. The form's "show the
        grower's cases" button posts here too: the form comes back as filled in, with the cases
        of the grower chosen (no script needed, and the worker's words stay out of the URL)."""
        values = posted_values(data)
        if values.pop("action", "") == "show_cases":
            return await _hotline_form(request, transaction, caller, values=values)
        payload = {
            **values,
            "anonymous": str(values.get("anonymous") == "yes").lower(),
            "consent_to_share_identity": str(values.get("consent") == "yes").lower(),
        }
        payload.pop("consent", None)
        try:
            async with all_or_nothing(transaction):
                created = await complaints.record_complaint(
                    transaction, caller, parse(ComplaintCreate, payload)
                )
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except InvalidInput as error:
            errors = FormErrors.of_invalid_input(error)
        except NotFound as error:
            errors = FormErrors.of_message(error.detail)
        else:
            return redirect_with_notice(
                request, f"{QUEUE}/{created.id}", "notices.complaint_recorded"
            )
        return await _hotline_form(
            request, transaction, caller, errors, values, HTTPStatus.UNPROCESSABLE_ENTITY
        )

    @get("/{complaint_id:uuid}")
    async def complaint(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
    ) -> Response[Any]:
        return await _complaint_page(request, transaction, caller, complaint_id)

    @post("/{complaint_id:uuid}")
    async def update(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
        data: FormData,
    ) -> Response[Any]:
        values = posted_values(data)
        version = values.pop("version", "")
        changes = dict(values)
        if "founded" in changes:
            changes["founded"] = str(changes["founded"] == "yes").lower()
        try:
            update = parse(ComplaintUpdate, changes)
            async with all_or_nothing(transaction):
                await complaints.update_complaint(
                    transaction, caller, complaint_id,
                    int(version) if version.isdigit() else None, update,
                )  # fmt: skip
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except InvalidInput as error:
            errors = FormErrors.of_invalid_input(error)
        except (Conflict, PreconditionFailed, PreconditionRequired) as error:
            errors = FormErrors.of_message(error.detail)
        else:
            return redirect_with_notice(
                request, f"{QUEUE}/{complaint_id}", "notices.complaint_updated"
            )
        return await _complaint_page(
            request, transaction, caller, complaint_id,
            errors=errors, values=values, status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )  # fmt: skip

    @post("/{complaint_id:uuid}/remedies")
    async def record_remedy(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
        data: FormData,
    ) -> Response[Any]:
        values = posted_values(data)
        remedy = {key: value for key, value in values.items() if key != "cost_id"}
        if "cost_id" in values:
            remedy["cost_ids.0"] = values["cost_id"]
        try:
            parsed = RemedyCreate.model_validate(_remedy_payload(remedy))
            async with all_or_nothing(transaction):
                await complaints.record_remedy(transaction, caller, complaint_id, parsed)
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except InvalidInput as error:
            errors = FormErrors.of_invalid_input(error)
        except Conflict as error:
            errors = FormErrors.of_message(error.detail)
        else:
            return redirect_with_notice(
                request, f"{QUEUE}/{complaint_id}", "notices.remedy_recorded"
            )
        return await _complaint_page(
            request, transaction, caller, complaint_id,
            errors=errors, remedy_values=values, status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )  # fmt: skip


async def _hotline_form(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    caller: Caller,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: HTTPStatus = HTTPStatus.OK,
) -> Response[Any]:
    growers = await grower_names(session, caller)
    chosen = next(
        (
            grower
            for grower in growers.values()
            if str(grower.id) == (values or {}).get("grower_id")
        ),
        None,
    )
    return page(
        request,
        "complaints/new.html",
        status,
        growers=growers,
        chosen_grower=chosen,
        cases=await complaints.case_choices(session, caller, chosen.id) if chosen else [],
        categories=get_args(ComplaintCategory),
        severities=get_args(ComplaintSeverity),
        languages=LANGUAGES,
        errors=errors or FormErrors(),
        values=values or {},
    )


def _remedy_payload(values: dict[str, str]) -> dict[str, Any]:
    """The posted remedy in the API's shape, its money in whole minor units.

    A form posts text; money is strictly a whole number of minor units, so digits become one
    here and anything else stays text for the schema to refuse with its own message.
    """
    payload = nested(values)
    money = payload.get("amount")
    if isinstance(money, dict) and str(money.get("amount", "")).isdigit():
        money["amount"] = int(money["amount"])
    return payload


async def _complaint_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    caller: Caller,
    complaint_id: UUID,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    remedy_values: dict[str, str] | None = None,
    status: HTTPStatus = HTTPStatus.OK,
) -> Response[Any]:
    complaint = await complaints.read_complaint(session, caller, complaint_id)
    case_costs = (
        await costs.list_costs(session, caller, complaint.recruitment_id, include_superseded=False)
        if complaint.recruitment_id
        else []
    )
    return page(
        request,
        "complaints/complaint.html",
        status,
        complaint=complaint,
        grower=(await grower_names(session, caller)).get(complaint.grower_id),
        next_statuses=sorted(NEXT_STATUSES[complaint.status]),
        categories=get_args(ComplaintCategory),
        severities=get_args(ComplaintSeverity),
        remedy_kinds=get_args(RemedyKind),
        costs=case_costs,
        errors=errors or FormErrors(),
        values=values or {},
        remedy_values=remedy_values or {},
    )


class SharedComplaintsController(Controller):
    """What a grower sees of complaints about it: only what staff shared, and its answer."""

    path = "/shared-complaints"

    @get("/")
    async def shared_queue(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
    ) -> Response[Any]:
        listed = await complaints.list_shared(
            transaction, caller, cursor=cursor or None, limit=QUEUE_PAGE_SIZE
        )
        return page(
            request,
            "complaints/shared_queue.html",
            complaints=listed.items,
            next_page=f"{SHARED}?cursor={listed.next_cursor}" if listed.next_cursor else None,
        )

    @get("/{complaint_id:uuid}")
    async def shared(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
    ) -> Response[Any]:
        return await _shared_page(request, transaction, caller, complaint_id)

    @post("/{complaint_id:uuid}/responses")
    async def respond(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
        data: FormData,
    ) -> Response[Any]:
        values = posted_values(data)
        try:
            answer = parse(GrowerResponseCreate, values)
            async with all_or_nothing(transaction):
                await complaints.respond(transaction, caller, complaint_id, answer)
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except Conflict as error:
            errors = FormErrors.of_message(error.detail)
        else:
            return redirect_with_notice(
                request, f"{SHARED}/{complaint_id}", "notices.complaint_answered"
            )
        return await _shared_page(
            request, transaction, caller, complaint_id,
            errors=errors, values=values, status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )  # fmt: skip


async def _shared_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    caller: Caller,
    complaint_id: UUID,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: HTTPStatus = HTTPStatus.OK,
) -> Response[Any]:
    return page(
        request,
        "complaints/shared.html",
        status,
        complaint=await complaints.read_shared(session, caller, complaint_id),
        errors=errors or FormErrors(),
        values=values or {},
    )
