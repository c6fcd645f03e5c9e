"""Workers and their cases: the timeline, and the contracts issued and delivered from it."""

from collections import defaultdict
from http import HTTPStatus
from typing import Annotated, Any, NamedTuple, get_args
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.params import PathParameter
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.console.controllers import Cursor, FormData
from recruitment.console.controllers.flags import grower_names
from recruitment.console.forms import FormErrors, all_or_nothing, parse, posted_values
from recruitment.console.pages import job_order_options, page, redirect_with_notice
from recruitment.console.timeline import case_timeline
from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import LANGUAGES, DeliveryMethod
from recruitment.errors import InvalidInput, ServiceUnavailable
from recruitment.queue import defer
from recruitment.schemas.contracts import ContractIssue, DeliveryCreate
from recruitment.services import (
    contracts,
    costs,
    flags,
    hires,
    job_orders,
    recruitments,
    workers,
)
from recruitment.services.caller import Caller
from recruitment.services.pagination import MAX_PAGE_SIZE
from recruitment.verification import catalogue

WORKERS_PAGE_SIZE = 50
DELIVERY_METHODS: tuple[DeliveryMethod, ...] = get_args(DeliveryMethod)


class LedgerRow(NamedTuple):
    """One currency's line of what the worker paid, got back, and is still owed."""

    paid: Money
    reimbursed: Money
    owed: Money


WorkerId = Annotated[UUID, PathParameter()]
ContractId = Annotated[UUID, PathParameter()]


def case_url(worker_id: UUID) -> str:
    return f"/console/workers/{worker_id}"


async def _case(
    session: AsyncSession, caller: Caller, state: State, worker_id: UUID
) -> dict[str, Any]:
    """Everything the case page shows, read through the services under the caller's rules."""
    worker = await workers.read_worker(session, caller, worker_id)
    cases = await recruitments.list_recruitments(
        session, caller, grower_id=None, job_order_id=None, worker_id=worker_id, channel=None,
        channel_verification=None, recruited_from=None, recruited_until=None, cursor=None,
        limit=MAX_PAGE_SIZE,
    )  # fmt: skip
    costs_paid, repaid = [], []
    for case in cases.items:
        costs_paid += await costs.list_costs(session, caller, case.id, include_superseded=False)
        repaid += await costs.list_reimbursements(session, caller, case.id)
    issued = await contracts.list_contracts(session, caller, state.publication, worker_id)
    deliveries = {c.id: await contracts.list_deliveries(session, caller, c.id) for c in issued}
    found, _ = await flags.list_flags(
        session, caller, grower_id=None, worker_id=worker_id, recruitment_id=None, code=None,
        severity=None, status=None, raised_from=None, raised_until=None, cursor=None,
        limit=MAX_PAGE_SIZE,
    )  # fmt: skip
    hired = await hires.list_hires(
        session, caller, grower_id=None, job_order_id=None, worker_id=worker_id, cursor=None,
        limit=MAX_PAGE_SIZE,
    )  # fmt: skip
    orders = {
        case.job_order_id: await job_orders.read_job_order(session, caller, case.job_order_id)
        for case in cases.items
    }
    return {
        "worker": worker,
        "summary": worker.summary(),
        "cases": cases.items,
        "job_orders": orders,
        "job_order_options": job_order_options(orders.values()),
        "growers": await grower_names(session, caller),
        "hires": {hire.recruitment_id: hire for hire in hired.items},
        "timeline": case_timeline(cases.items, costs_paid, repaid, issued, deliveries, found.items),
        "ledger": [
            LedgerRow(
                Money(amount=line.paid, currency=line.currency),
                Money(amount=line.reimbursed, currency=line.currency),
                Money(amount=line.owed, currency=line.currency),
            )
            for line in (await costs.ledger(session, caller, worker_id)).lines
        ],
        "contracts": issued,
        "deliveries": deliveries,
        "live_flags": [flag for flag in found.items if flag.status in flags.LIVE_STATUSES],
        "catalogue": catalogue(),
        "languages": LANGUAGES,
        "delivery_methods": DELIVERY_METHODS,
        # By form: the issue form, and one delivery form per contract.
        "errors": defaultdict(FormErrors),
        "values": defaultdict(dict),
    }


class WorkersController(Controller):
    path = "/workers"

    @get("/")
    async def workers_list(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
    ) -> Response[Any]:
        listed = await workers.list_workers(
            transaction, caller, nationality=None, cursor=cursor, limit=WORKERS_PAGE_SIZE
        )
        return page(
            request, "workers/list.html", workers=listed.items, next_cursor=listed.next_cursor
        )

    @get("/{worker_id:uuid}")
    async def case(
        self,
        request: Request[Any, Any, Any],
        state: State,
        transaction: Transaction,
        caller: CurrentCaller,
        worker_id: WorkerId,
    ) -> Response[Any]:
        return page(
            request, "workers/case.html", **await _case(transaction, caller, state, worker_id)
        )

    @post("/{worker_id:uuid}/contracts")
    async def issue_contract(
        self,
        request: Request[Any, Any, Any],
        state: State,
        transaction: Transaction,
        caller: CurrentCaller,
        worker_id: WorkerId,
        data: FormData,
    ) -> Response[Any]:
        values = posted_values(data)
        status = HTTPStatus.UNPROCESSABLE_ENTITY
        try:
            wanted = parse(ContractIssue, values)
            async with all_or_nothing(transaction):
                issued = await contracts.issue_contract(
                    transaction, caller, state.renderer, state.publication, worker_id, wanted,
                    spoken=True,
                )  # fmt: skip
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except InvalidInput as error:
            errors = FormErrors.of_invalid_input(error)
        except ServiceUnavailable as error:
            errors, status = FormErrors.of_message(error.detail), HTTPStatus.SERVICE_UNAVAILABLE
        except contracts.TermsNeedFixing as error:
            errors, status = FormErrors.of_message(error.detail), HTTPStatus.CONFLICT
        else:
            # The worker's link is shown once and kept nowhere: this page is the only chance.
            summary = (await workers.read_worker(transaction, caller, worker_id)).summary()
            shown = page(request, "workers/contract_issued.html", issued=issued, summary=summary)
            if issued.audio_job_id is not None:
                # After the response, so after the transaction has committed.
                shown.background = BackgroundTask(defer, state.queue, issued.audio_job_id)
            return shown
        case = await _case(transaction, caller, state, worker_id)
        case["errors"]["issue"], case["values"]["issue"] = errors, values
        return page(request, "workers/case.html", status, **case)


class ContractsController(Controller):
    path = "/contracts"

    @post("/{contract_id:uuid}/deliveries")
    async def record_delivery(
        self,
        request: Request[Any, Any, Any],
        state: State,
        transaction: Transaction,
        caller: CurrentCaller,
        contract_id: ContractId,
        data: FormData,
    ) -> Response[Any]:
        contract = await contracts.find_contract(transaction, caller, contract_id)
        values = posted_values(data)
        try:
            delivery = parse(DeliveryCreate, values)
            async with all_or_nothing(transaction):
                await contracts.record_delivery(transaction, caller, contract_id, delivery)
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except InvalidInput as error:
            errors = FormErrors.of_invalid_input(error)
        else:
            return redirect_with_notice(
                request, case_url(contract.worker_id), "notices.contract_delivered"
            )
        case = await _case(transaction, caller, state, contract.worker_id)
        form = f"delivery-{contract_id}"
        case["errors"][form], case["values"][form] = errors, values
        return page(request, "workers/case.html", HTTPStatus.UNPROCESSABLE_ENTITY, **case)

    @get("/{contract_id:uuid}/pdf")
    async def pdf(
        self, transaction: Transaction, caller: CurrentCaller, contract_id: ContractId
    ) -> Response[bytes]:
        contract = await contracts.find_contract(transaction, caller, contract_id)
        return Response(
            contract.pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{contract.verification_code}.pdf"'},
        )
