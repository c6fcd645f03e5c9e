from collections.abc import Iterator
from typing import Annotated, Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import PathParameter, QueryParameter

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.errors import InvalidInput
from recruitment.imports.text import csv_lines
from recruitment.schemas.reference_lists import (
    ReferralImportRead,
    RegistryCertificateRead,
    RegistryComparison,
    RegistryImportRead,
    RegistryLinkRead,
)
from recruitment.services import reference_lists

MAX_LIST_BYTES = 32 * 1024 * 1024
SourceName = Annotated[
    str, QueryParameter(min_length=1, max_length=200, description="The file's name, as evidence.")
]


async def csv_body_lines(request: Request[Any, Any, Any]) -> Iterator[str]:
    body = await request.body()
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput.of_field("body", "The list must be UTF-8 text (CSV).") from error
    return csv_lines(text)


@post(
    "/registry/imports",
    tags=["reference lists"],
    summary="Load the DOL farm labor contractor registry (CSV body) and check contractors (staff)",
    responses=problem_responses(*AUTHENTICATED, 413),
    request_max_body_size=MAX_LIST_BYTES,
    status_code=200,
)
async def import_registry(
    request: Request[Any, Any, Any],
    transaction: Transaction,
    caller: CurrentCaller,
    source: SourceName = "registry.csv",
) -> RegistryImportRead:
    caller.require_staff("import the DOL contractor registry")
    report = await reference_lists.import_registry(
        transaction, caller, await csv_body_lines(request), source
    )
    return RegistryImportRead.model_validate(report)


@post(
    "/sne-referrals/imports",
    tags=["reference lists"],
    summary="Load an SNE office's referral list (CSV body) and match SNE claims (staff)",
    responses=problem_responses(*AUTHENTICATED, 413),
    request_max_body_size=MAX_LIST_BYTES,
    status_code=200,
)
async def import_referrals(
    request: Request[Any, Any, Any],
    transaction: Transaction,
    caller: CurrentCaller,
    source: SourceName = "referrals.csv",
) -> ReferralImportRead:
    caller.require_staff("import SNE referral lists")
    report = await reference_lists.import_referrals(
        transaction, caller, await csv_body_lines(request), source
    )
    return ReferralImportRead.model_validate(report)


@get(
    "/intermediaries/{intermediary_id:uuid}/registry",
    tags=["intermediaries"],
    summary="A contractor next to the official registry's record: by its certificate, or as "
    "linked by name and state",
    responses=problem_responses(*AUTHENTICATED, 404),
)
async def registry_comparison(
    transaction: Transaction,
    caller: CurrentCaller,
    intermediary_id: Annotated[UUID, PathParameter()],
) -> RegistryComparison:
    status, message, record, link = await reference_lists.compare_with_registry(
        transaction, caller, intermediary_id
    )
    return RegistryComparison(
        intermediary_id=intermediary_id,
        status=status,
        message=message,
        registry=RegistryCertificateRead.model_validate(record) if record else None,
        link=RegistryLinkRead.model_validate(link) if link else None,
    )
