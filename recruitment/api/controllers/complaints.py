"""Complaints over HTTP: staff's queue (`/complaints`), what growers see of complaints about
them once staff share one (`/shared-complaints`; two paths, two shapes: a grower's answer can't
carry a field staff's answer has), and the worker's own form on their contract link."""

from typing import Annotated, Any, get_args
from urllib.parse import parse_qs
from uuid import UUID

from litestar import Controller, MediaType, Request, Response, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from pydantic import TypeAdapter, ValidationError

from recruitment.api.conditional import (
    IdempotencyKey,
    IfMatch,
    etag,
    expected_version,
    idempotent,
    with_etag,
)
from recruitment.api.controllers.contracts import LINK_PROBLEMS, WorkerToken
from recruitment.api.dependencies import NO_KEY, PUBLIC, CurrentCaller, Transaction
from recruitment.api.pagination import DEFAULT_LIMIT, Cursor, Limit
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.api.public_pages import FORM_PROBLEM_PAGES, PRIVATE
from recruitment.domain.vocabulary import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintSeverity,
    ComplaintStatus,
    WorkerConcern,
)
from recruitment.models import Contract
from recruitment.rendering import (
    ComplaintFormContext,
    ComplaintFormProblem,
    ComplaintSentContext,
    ContractDocument,
    render_complaint_form,
    render_complaint_sent,
)
from recruitment.schemas.common import PageOf
from recruitment.schemas.complaints import (
    ComplaintCreate,
    ComplaintRead,
    ComplaintRow,
    ComplaintUpdate,
    GrowerResponseCreate,
    RemedyCreate,
    SharedComplaintRead,
)
from recruitment.schemas.workers import Phone
from recruitment.services import complaints, contracts

ComplaintId = Annotated[UUID, PathParameter(description="The complaint's id.")]


class ComplaintController(Controller):
    path = "/complaints"
    tags = ["complaints"]

    @post(
        "/",
        summary="Record a complaint from the hotline or in person (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[ComplaintCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ComplaintRead]:
        async def record() -> tuple[int, ComplaintRead, dict[str, str]]:
            created = await complaints.record_complaint(transaction, caller, data)
            headers = {"ETag": etag(created.version), "Location": f"/complaints/{created.id}"}
            return 201, created, headers

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get(
        "/",
        summary="The complaint queue, without the workers' words (staff)",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_complaints(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        grower_id: Annotated[UUID | None, QueryParameter()] = None,
        status: Annotated[ComplaintStatus | None, QueryParameter()] = None,
        category: Annotated[ComplaintCategory | None, QueryParameter()] = None,
        severity: Annotated[ComplaintSeverity | None, QueryParameter()] = None,
        channel: Annotated[ComplaintChannel | None, QueryParameter()] = None,
    ) -> PageOf[ComplaintRow]:
        page = await complaints.list_complaints(
            transaction, caller, grower_id=grower_id, status=status, category=category,
            severity=severity, channel=channel, cursor=cursor, limit=limit,
        )  # fmt: skip
        return PageOf[ComplaintRow](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{complaint_id:uuid}",
        summary="One complaint, whole; the read is written to the audit trail (staff)",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, complaint_id: ComplaintId
    ) -> Response[ComplaintRead]:
        return with_etag(await complaints.read_complaint(transaction, caller, complaint_id))

    @patch(
        "/{complaint_id:uuid}",
        summary="Investigate: status, investigator, notes, what the grower is told (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409, 412, 428),
    )
    async def update(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
        data: JSONBody[ComplaintUpdate],
        if_match: IfMatch = None,
    ) -> Response[ComplaintRead]:
        changed = await complaints.update_complaint(
            transaction, caller, complaint_id, expected_version(if_match), data
        )
        return with_etag(changed)

    @post(
        "/{complaint_id:uuid}/remedies",
        summary="Record a remedy; a reimbursement is recorded on the case's ledger (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def record_remedy(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
        data: JSONBody[RemedyCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ComplaintRead]:
        async def record() -> tuple[int, ComplaintRead, dict[str, str]]:
            remedied = await complaints.record_remedy(transaction, caller, complaint_id, data)
            return 201, remedied, {"ETag": etag(remedied.version)}

        return await idempotent(request, transaction, caller, idempotency_key, record)


class SharedComplaintController(Controller):
    path = "/shared-complaints"
    tags = ["complaints"]

    @get(
        "/",
        summary="Complaints staff shared with the grower: summary and required action",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_shared(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> PageOf[SharedComplaintRead]:
        page = await complaints.list_shared(transaction, caller, cursor=cursor, limit=limit)
        return PageOf[SharedComplaintRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{complaint_id:uuid}",
        summary="One shared complaint",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, complaint_id: ComplaintId
    ) -> Response[SharedComplaintRead]:
        return with_etag(await complaints.read_shared(transaction, caller, complaint_id))

    @post(
        "/{complaint_id:uuid}/responses",
        summary="The grower's response to what staff shared",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def respond(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
        data: JSONBody[GrowerResponseCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[SharedComplaintRead]:
        async def answer() -> tuple[int, SharedComplaintRead, dict[str, str]]:
            return 201, await complaints.respond(transaction, caller, complaint_id, data), {}

        return await idempotent(request, transaction, caller, idempotency_key, answer)


# A report is a few lines of text: anything much larger is not a report.
FORM_MAX_BYTES = 16 * 1024
DETAILS_MAX_CHARACTERS = 2000
_PHONE = TypeAdapter(Phone)
# Control characters a person doesn't type; line breaks and tabs they do.
_UNREADABLE = {chr(code) for code in range(32)} - {"\n", "\r", "\t"}


def _page(html: str, status: int = 200) -> Response[str]:
    return Response(html, status_code=status, media_type=MediaType.HTML, headers=PRIVATE)


def _form(contract: Contract, token: str, **sent: Any) -> ComplaintFormContext:
    return ComplaintFormContext(
        document=ContractDocument.model_validate(contract.document),
        action_url=f"/c/{token}/complaint",
        back_url=f"/c/{token}",
        **sent,
    )


def _read_form(body: bytes) -> tuple[dict[str, str], ComplaintFormProblem | None]:
    """The form's fields (the first value of each), or what makes it unreadable."""
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        return {}, "bad_characters"
    values = {name: found[0] for name, found in fields.items() if found}
    if any(character in _UNREADABLE for value in values.values() for character in value):
        return {}, "bad_characters"
    return values, None


def _problem_of(values: dict[str, str]) -> ComplaintFormProblem | None:
    concern = values.get("concern")
    details = values.get("details", "").strip()
    if concern not in get_args(WorkerConcern):
        return "need_concern"
    if concern == "other" and not details:
        return "need_details"
    if len(details) > DETAILS_MAX_CHARACTERS:
        return "too_long"
    return None


class WorkerComplaintController(Controller):
    """The worker's report form, reached from their contract page: no key, no JavaScript, no
    CSRF token (nothing a forged post could do that the worker's own link can't), and rate
    limited with the other public pages. The worker's words are never logged."""

    path = "/c"
    tags = ["worker link"]
    opt = PUBLIC
    security = NO_KEY
    include_in_schema = True

    @get(
        "/{token:str}/complaint",
        summary="The worker's form to report a problem",
        media_type=MediaType.HTML,
        responses=LINK_PROBLEMS,
    )
    async def form(self, transaction: Transaction, token: WorkerToken) -> Response[str]:
        contract = await contracts.contract_by_token(transaction, token)
        return _page(render_complaint_form(_form(contract, token)))

    @post(
        "/{token:str}/complaint",
        summary="The worker sends a report; the answer gives its reference",
        media_type=MediaType.HTML,
        status_code=201,
        responses={**LINK_PROBLEMS, **FORM_PROBLEM_PAGES},
    )
    async def send(
        self, request: Request[Any, Any, Any], transaction: Transaction, token: WorkerToken
    ) -> Response[str]:
        contract = await contracts.contract_by_token(transaction, token)
        if int(request.headers.get("content-length") or 0) > FORM_MAX_BYTES:
            return _page(render_complaint_form(_form(contract, token, problem="too_large")), 413)
        body = await request.body()
        if len(body) > FORM_MAX_BYTES:
            return _page(render_complaint_form(_form(contract, token, problem="too_large")), 413)
        values, problem = _read_form(body)
        problem = problem or _problem_of(values)
        callback = values.get("callback", "").strip()
        anonymous = values.get("anonymous") == "yes"
        phone: str | None = None
        if problem is None and callback and not anonymous:
            try:
                phone = _PHONE.validate_python(callback)
            except ValidationError:
                problem = "bad_phone"
        if problem is not None:
            concern = values.get("concern")
            sent_back = _form(
                contract, token, problem=problem,
                concern=concern if concern in get_args(WorkerConcern) else None,
                details=values.get("details", "")[:DETAILS_MAX_CHARACTERS],
                callback=callback[:30], anonymous=anonymous,
            )  # fmt: skip
            return _page(render_complaint_form(sent_back), 422)
        complaint = await complaints.intake_from_worker_page(
            transaction, contract,
            concern=values["concern"],  # type: ignore[arg-type]
            details=values.get("details", "").strip(),
            callback_phone=phone, anonymous=anonymous,
        )  # fmt: skip
        sent = ComplaintSentContext(
            document=ContractDocument.model_validate(contract.document),
            back_url=f"/c/{token}",
            reference=complaint.reference,
            anonymous=anonymous,
            callback_given=phone is not None,
        )
        return _page(render_complaint_sent(sent), 201)
