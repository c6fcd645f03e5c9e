from typing import Any

from litestar import Request, post

from recruitment.api.controllers.reference_lists import MAX_LIST_BYTES, SourceName, csv_body_lines
from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.schemas.debarments import DebarmentImportRead
from recruitment.services import debarments


@post(
    "/debarments/imports",
    tags=["reference lists"],
    summary="Load the OFLC's H-2A program debarment list (CSV body) and check every case's "
    "parties against it (staff)",
    description="Columns are found by meaning: `Entity, Entity Type, Employer Location, Start "
    "of Debarment, End of Debarment, Violation, CFR Citation`, or the older `Name, City State, "
    "Violation, Duration, Start date, End date`. A grower, contractor, recruiter or agent on the "
    "list in its state for days of a case raises `DEBARRED_PARTY`; the same name elsewhere "
    "`POSSIBLE_DEBARRED_PARTY`. Importing the same list again changes nothing.",
    responses=problem_responses(*AUTHENTICATED, 413),
    request_max_body_size=MAX_LIST_BYTES,
    status_code=200,
)
async def import_debarments(
    request: Request[Any, Any, Any],
    transaction: Transaction,
    caller: CurrentCaller,
    source: SourceName = "debarments.csv",
) -> DebarmentImportRead:
    caller.require_staff("import the H-2A debarment list")
    report = await debarments.import_debarments(
        transaction, caller, await csv_body_lines(request), source
    )
    return DebarmentImportRead.model_validate(report)
