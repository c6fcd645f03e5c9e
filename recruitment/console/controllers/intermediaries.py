"""Intermediaries awaiting verification: staff compare the declaration with the DOL registry."""

from http import HTTPStatus
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import ValidationException
from litestar.params import PathParameter, QueryParameter
from pydantic import TypeAdapter, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.console.auth import require_staff
from recruitment.console.controllers import Cursor, FormData
from recruitment.console.forms import FormErrors, all_or_nothing, parse, posted_values
from recruitment.console.pages import page, redirect_with_notice
from recruitment.domain.vocabulary import CONTRACTOR_KINDS, VerificationStatus
from recruitment.errors import InvalidInput
from recruitment.schemas.intermediaries import IntermediaryVerificationCreate
from recruitment.services import growers, intermediaries, reference_lists, users
from recruitment.services.caller import Caller

QUEUE = "/console/intermediaries"
QUEUE_PAGE_SIZE = 50
STATUSES: TypeAdapter[VerificationStatus] = TypeAdapter(VerificationStatus)
IntermediaryId = Annotated[UUID, PathParameter()]


class IntermediariesController(Controller):
    path = "/intermediaries"
    guards = [require_staff]

    @get("/")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        status: Annotated[str, QueryParameter(required=False, max_length=20)] = "unverified",
        cursor: Cursor = None,
    ) -> Response[Any]:
        try:
            verification_status = STATUSES.validate_python(status)
        except ValidationError as error:
            raise ValidationException("Unknown verification status.") from error
        listed = await intermediaries.list_intermediaries(
            transaction,
            caller,
            kind=None,
            verification_status=verification_status,
            certificate_number=None,
            cursor=cursor,
            limit=QUEUE_PAGE_SIZE,
        )
        return page(
            request,
            "intermediaries/queue.html",
            intermediaries=listed.items,
            status=verification_status,
            next_cursor=listed.next_cursor,
        )

    @get("/{intermediary_id:uuid}")
    async def intermediary(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        intermediary_id: IntermediaryId,
    ) -> Response[Any]:
        return await _intermediary_page(request, transaction, caller, intermediary_id)

    @post("/{intermediary_id:uuid}/verification")
    async def verify(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        intermediary_id: IntermediaryId,
        data: FormData,
    ) -> Response[Any]:
        values = posted_values(data)
        try:
            decision = parse(IntermediaryVerificationCreate, values)
            async with all_or_nothing(transaction):
                await intermediaries.verify(transaction, caller, intermediary_id, decision)
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except InvalidInput as error:
            errors = FormErrors.of_invalid_input(error)
        else:
            return redirect_with_notice(request, QUEUE, f"notices.intermediary_{decision.status}")
        return await _intermediary_page(
            request, transaction, caller, intermediary_id,
            errors=errors, values=values, status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )  # fmt: skip


async def _intermediary_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    caller: Caller,
    intermediary_id: UUID,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: HTTPStatus = HTTPStatus.OK,
) -> Response[Any]:
    declared = await intermediaries.read_intermediary(session, caller, intermediary_id)
    # Only labor contractors hold a DOL certificate; an SNE office or a recruiter has no entry.
    comparison = (
        await reference_lists.compare_with_registry(session, caller, intermediary_id)
        if declared.kind in CONTRACTOR_KINDS
        else None
    )
    declared_by = (
        await growers.read_grower(session, caller, declared.declared_by_grower_id)
        if declared.declared_by_grower_id
        else None
    )
    history = await intermediaries.list_verifications(session, caller, intermediary_id)
    return page(
        request,
        "intermediaries/intermediary.html",
        status,
        declared=declared,
        declared_by=declared_by,
        comparison=comparison,
        history=history,
        actors=await users.emails_of(session, caller, (d.verified_by for d in history)),
        errors=errors or FormErrors(),
        values=values or {},
    )
