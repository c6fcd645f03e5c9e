from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from litestar import post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.errors import InvalidInput
from recruitment.schemas.rosters import RosterReportRead
from recruitment.services import rosters
from recruitment.services.job_orders import acting_grower

MAX_ROSTER_BYTES = 64 * 1024 * 1024


@dataclass
class RosterUpload:
    file: UploadFile
    grower_id: UUID | None = None
    dry_run: bool = True


@post(
    "/imports/rosters",
    tags=["imports"],
    summary="Import a season's roster (CSV): dry run by default, then all rows or none",
    description="Multipart form: `file` (the CSV; columns in the README), `dry_run` "
    "(true: only check and report), `grower_id` (staff only).",
    responses=problem_responses(*AUTHENTICATED, 404, 413),
    request_max_body_size=MAX_ROSTER_BYTES,
    status_code=200,
)
async def import_roster(
    transaction: Transaction,
    caller: CurrentCaller,
    data: Annotated[RosterUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> RosterReportRead:
    grower_id = acting_grower(caller, data.grower_id)
    upload = data.file.file

    def lines() -> Iterator[str]:
        # Decoded line by line rather than through a TextIOWrapper, which would close the
        # upload (read again by the second pass) when it is collected.
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
    return RosterReportRead.model_validate(report)
