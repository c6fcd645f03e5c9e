"""Contracts over HTTP: issued and delivered by growers and staff, opened and checked by anyone
holding the worker's link or the verification code."""

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.background_tasks import BackgroundTask, BackgroundTasks
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.response import Redirect
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.conditional import IdempotencyKey, idempotent
from recruitment.api.dependencies import NO_KEY, PUBLIC, CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.api.public_pages import NO_CONTRACT_PAGE, TOO_MANY_PAGE
from recruitment.domain.vocabulary import Language
from recruitment.errors import NotFound
from recruitment.queue import defer
from recruitment.rendering import (
    ContractRenderer,
    render_verify_page,
    render_worker_page,
    speech,
)
from recruitment.schemas.contracts import (
    ContractIssue,
    ContractIssued,
    ContractRead,
    DeliveryCreate,
    DeliveryRead,
)
from recruitment.services import contract_audio, contracts
from recruitment.services.contracts import Publication

ContractId = Annotated[UUID, PathParameter(description="The contract's id.")]
WorkerId = Annotated[UUID, PathParameter(description="The worker's id.")]
# 43 characters of URL-safe base64: anything else can't be a link this service gave out.
WorkerToken = Annotated[str, PathParameter(min_length=20, max_length=100)]
# Stored PDFs are served as they were issued and never change.
IMMUTABLE = {"Cache-Control": "private, max-age=31536000, immutable"}
# A mistyped or revoked link, malformed or unknown, and a client that asks too often: pages
# (public_pages.py).
LINK_PROBLEMS = {**NO_CONTRACT_PAGE, **TOO_MANY_PAGE}


async def _audio(session: AsyncSession, contract_id: UUID) -> Response[bytes]:
    spoken = await contract_audio.audio_of(session, contract_id)
    if spoken is None:
        raise NotFound("This contract has no audio.")
    return Response(spoken.audio, media_type=spoken.media_type, headers=IMMUTABLE)


def _pdf(contract_pdf: bytes, name: str) -> Response[bytes]:
    return Response(
        contract_pdf,
        media_type="application/pdf",
        headers={**IMMUTABLE, "Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


class ContractController(Controller):
    tags = ["contracts"]

    @post(
        "/workers/{worker_id:uuid}/contracts",
        summary="Issue the worker's contract: rendered once, stored, verifiable",
        description="Refused (409, listing what to fix) while the job order's terms have open "
        "findings, unless staff give an override_reason.",
        responses=problem_responses(*AUTHENTICATED, 404, 409, 503),
    )
    async def issue(
        self,
        request: Request[Any, Any, Any],
        state: State,
        transaction: Transaction,
        caller: CurrentCaller,
        worker_id: WorkerId,
        data: JSONBody[ContractIssue],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ContractIssued]:
        renderer: ContractRenderer = state.renderer
        publication: Publication = state.publication

        audio_jobs: list[UUID] = []

        async def render() -> tuple[int, ContractIssued, dict[str, str]]:
            issued = await contracts.issue_contract(
                transaction, caller, renderer, publication, worker_id, data, spoken=True
            )
            if issued.audio_job_id is not None:
                audio_jobs.append(issued.audio_job_id)
            return 201, issued, {"Location": f"/contracts/{issued.id}"}

        response = await idempotent(request, transaction, caller, idempotency_key, render)
        # Deferred once the response is out, after the transaction has committed (as jobs are).
        response.background = BackgroundTasks(
            [BackgroundTask(defer, state.queue, job_id) for job_id in audio_jobs]
        )
        return response

    @get(
        "/workers/{worker_id:uuid}/contracts",
        summary="The worker's contracts, superseded ones included",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def list_for_worker(
        self, state: State, transaction: Transaction, caller: CurrentCaller, worker_id: WorkerId
    ) -> list[ContractRead]:
        return await contracts.list_contracts(transaction, caller, state.publication, worker_id)

    @get(
        "/contracts/{contract_id:uuid}",
        summary="One contract",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, state: State, transaction: Transaction, caller: CurrentCaller, contract_id: ContractId
    ) -> ContractRead:
        found = await contracts.find_contract(transaction, caller, contract_id)
        return contracts.contract_read(found, state.publication)

    @get(
        "/contracts/{contract_id:uuid}/pdf",
        summary="The contract's PDF, exactly as issued",
        responses=problem_responses(*AUTHENTICATED, 404),
        media_type="application/pdf",
    )
    async def pdf(
        self, transaction: Transaction, caller: CurrentCaller, contract_id: ContractId
    ) -> Response[bytes]:
        found = await contracts.find_contract(transaction, caller, contract_id)
        return _pdf(found.pdf, found.verification_code)

    @post(
        "/contracts/{contract_id:uuid}/deliveries",
        summary="Record how and when the contract reached the worker",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def deliver(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        contract_id: ContractId,
        data: JSONBody[DeliveryCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[DeliveryRead]:
        async def record() -> tuple[int, DeliveryRead, dict[str, str]]:
            delivered = await contracts.record_delivery(transaction, caller, contract_id, data)
            return 201, delivered, {}

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get(
        "/contracts/{contract_id:uuid}/deliveries",
        summary="The contract's deliveries",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def deliveries(
        self, transaction: Transaction, caller: CurrentCaller, contract_id: ContractId
    ) -> list[DeliveryRead]:
        return await contracts.list_deliveries(transaction, caller, contract_id)


class WorkerLinkController(Controller):
    """The worker's own pages: no API key, only the unguessable link."""

    path = "/c"
    tags = ["worker link"]
    opt = PUBLIC
    security = NO_KEY
    include_in_schema = True

    @get(
        "/{token:str}",
        summary="The worker's contract page",
        media_type=MediaType.HTML,
        responses=LINK_PROBLEMS,
    )
    async def page(self, transaction: Transaction, token: WorkerToken) -> Response[str]:
        contract = await contracts.contract_by_token(transaction, token)
        return Response(
            render_worker_page(await contracts.worker_page(transaction, contract, token)),
            media_type=MediaType.HTML,
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    @get(
        "/{token:str}/pdf",
        summary="The worker's contract PDF",
        media_type="application/pdf",
        responses=LINK_PROBLEMS,
    )
    async def pdf(self, transaction: Transaction, token: WorkerToken) -> Response[bytes]:
        contract = await contracts.contract_by_token(transaction, token)
        return _pdf(contract.pdf, contract.verification_code)

    @get(
        "/{token:str}/audio",
        summary="Page 1 of the worker's contract, spoken (es, ht)",
        media_type=speech.MEDIA_TYPE,
        responses=LINK_PROBLEMS,
    )
    async def audio(self, transaction: Transaction, token: WorkerToken) -> Response[bytes]:
        contract = await contracts.contract_by_token(transaction, token)
        return await _audio(transaction, contract.id)

    @post(
        "/{token:str}/receipt",
        summary="The worker confirms receipt",
        status_code=303,
        responses=LINK_PROBLEMS,
    )
    async def confirm(self, transaction: Transaction, token: WorkerToken) -> Redirect:
        await contracts.confirm_receipt(transaction, token)
        return Redirect(f"/c/{token}", status_code=303)


@get(
    "/verify/{code:str}",
    tags=["worker link"],
    summary="Public check of a contract: genuine and current, superseded, or unknown",
    media_type=MediaType.HTML,
    opt=PUBLIC,
    security=NO_KEY,
    responses={
        **TOO_MANY_PAGE,
        # A malformed code or language gets the link page; an unknown code, the verify page.
        404: ResponseSpec(
            data_container=str,
            media_type=MediaType.HTML,
            description="A page saying that no contract has this code",
            generate_examples=False,
        ),
    },
)
async def verify_contract(
    state: State,
    transaction: Transaction,
    code: Annotated[str, PathParameter(max_length=64)],
    lang: Annotated[Language | None, QueryParameter()] = None,
) -> Response[str]:
    context = await contracts.verification(transaction, state.publication, code, lang)
    status = 404 if context.outcome == "not_found" else 200
    return Response(
        render_verify_page(context),
        media_type=MediaType.HTML,
        status_code=status,
        headers={"Referrer-Policy": "no-referrer"},
    )


@get(
    "/verify/{code:str}/audio",
    tags=["worker link"],
    summary="Page 1 of a verified contract, spoken (es, ht): nothing about the worker",
    media_type=speech.MEDIA_TYPE,
    opt=PUBLIC,
    security=NO_KEY,
    responses=LINK_PROBLEMS,
)
async def verified_contract_audio(
    transaction: Transaction, code: Annotated[str, PathParameter(max_length=64)]
) -> Response[bytes]:
    contract = await contracts.contract_by_code(transaction, code)
    return await _audio(transaction, contract.id)
