from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from litestar import Response, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body

from recruitment.api.controllers.jobs import queued
from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.errors import InvalidInput
from recruitment.schemas.jobs import JobRead
from recruitment.schemas.rosters import RosterReportRead
from recruitment.services import jobs, rosters
from recruitment.services.job_orders import acting_grower

MAX_ROSTER_BYTES = 64 * 1024 * 1024


@dataclass
class RosterUpload:
    file: UploadFile
    grower_id: UUID | None = None
    dry_run: bool = True
    in_background: bool = False


@post(
    "/imports/rosters",
    tags=["imports"],
    summary="Import a season's roster (CSV): dry run by default, then all rows or none",
    description="Multipart form: `file` (the CSV; columns in the README), `dry_run` "
    "(true: only check and report), `grower_id` (staff only), `in_background` (a large "
    "roster: answered 202 with a job; `GET /jobs/{id}` then shows its report).",
    responses={
        **problem_responses(*AUTHENTICATED, 404, 413),
        202: ResponseSpec(
            data_container=JobRead, description="Queued (`in_background`): the import's job"
        ),
    },
    request_max_body_size=MAX_ROSTER_BYTES,
    status_code=200,
)
async def import_roster(
    state: State,
    transaction: Transaction,
    caller: CurrentCaller,
    data: Annotated[RosterUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Response[RosterReportRead]:
    grower_id = acting_grower(caller, data.grower_id)
    upload = data.file.file
    if data.in_background and not data.dry_run:
        upload.seek(0)
        job = await jobs.request_roster_import(
            transaction, caller, grower_id, upload.read(), data.file.filename or "roster.csv"
        )
        return queued(state, job)

    def lines() -> Iterator[str]:
        # Decoded line by line rather than through a TextIOWrapper, which would close the
        # upload when it is collected.
        upload.seek(0)
        for number, raw in enumerate(upload):
            text = raw.decode("utf-8")
            yield text.removeprefix("\ufeff") if number == 0 else text

    try:
        report = await rosters.import_roster(
            transaction, caller, grower_id, lines, dry_run=data.dry_run
        )
    except UnicodeDecodeError as error:
        raise InvalidInput.of_field("file", "The roster must be a UTF-8 CSV file.") from error
    return Response(RosterReportRead.model_validate(report))
