"""A grower's job orders, and registering a direct hire with the API's own validation."""

from http import HTTPStatus
from typing import Annotated, Any, get_args
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.console.controllers import Cursor, FormData
from recruitment.console.controllers.workers import case_url
from recruitment.console.forms import FormErrors, all_or_nothing, parse, posted_values
from recruitment.console.pages import job_order_options, page, redirect_with_notice
from recruitment.domain.vocabulary import LANGUAGES, Channel
from recruitment.errors import Conflict, InvalidInput, NotFound
from recruitment.schemas.recruitments import HireCreate
from recruitment.services import hires, intermediaries, job_orders
from recruitment.services.caller import Caller
from recruitment.services.pagination import MAX_PAGE_SIZE

CHANNELS: tuple[Channel, ...] = get_args(Channel)
# The milestones a grower knows when it registers a hire (the rest come later, through the API).
HIRE_MILESTONES = ("recruited", "contract_disclosed", "visa_applied", "visa_issued", "arrived")


class JobOrdersController(Controller):
    path = "/job-orders"

    @get("/")
    async def job_orders_list(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
    ) -> Response[Any]:
        listed = await job_orders.list_job_orders(
            transaction, caller, grower_id=None, cursor=cursor, limit=MAX_PAGE_SIZE
        )
        return page(
            request, "job_orders/list.html", job_orders=listed.items, next_cursor=listed.next_cursor
        )


async def _hire_form(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    caller: Caller,
    values: dict[str, str],
    errors: FormErrors,
    status: HTTPStatus = HTTPStatus.OK,
) -> Response[Any]:
    orders = await job_orders.list_job_orders(
        session, caller, grower_id=None, cursor=None, limit=MAX_PAGE_SIZE
    )
    offices = await intermediaries.list_intermediaries(
        session, caller, kind="sne_office", verification_status=None, certificate_number=None,
        cursor=None, limit=MAX_PAGE_SIZE,
    )  # fmt: skip
    return page(
        request,
        "hires/new.html",
        status,
        job_order_options=job_order_options(orders.items),
        sne_office_options=[(str(office.id), office.name) for office in offices.items],
        channels=CHANNELS,
        languages=LANGUAGES,
        milestones=HIRE_MILESTONES,
        values=values,
        errors=errors,
    )


class HiresController(Controller):
    path = "/hires"

    @get("/new")
    async def new_hire(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        job_order_id: Annotated[UUID | None, QueryParameter(required=False)] = None,
    ) -> Response[Any]:
        values = {"worker.nationality": "MX", "channel": "sne"}
        if job_order_id is not None:
            values["job_order_id"] = str(job_order_id)
        return await _hire_form(request, transaction, caller, values, FormErrors())

    @post("/")
    async def register(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: FormData,
    ) -> Response[Any]:
        values = posted_values(data)
        status = HTTPStatus.UNPROCESSABLE_ENTITY
        try:
            hire = parse(HireCreate, values)
            async with all_or_nothing(transaction):
                registered = await hires.register_hire(transaction, caller, hire)
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except InvalidInput as error:
            errors = FormErrors.of_invalid_input(error)
        except (Conflict, NotFound) as error:
            errors = FormErrors.of_message(error.detail)
            status = HTTPStatus.CONFLICT if isinstance(error, Conflict) else HTTPStatus.NOT_FOUND
        else:
            return redirect_with_notice(
                request, case_url(registered.worker_id), "notices.hire_registered"
            )
        return await _hire_form(request, transaction, caller, values, errors, status)
