import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Annotated

from litestar import Response, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body

from recruitment.api.controllers.jobs import queued
from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.imports import dol_disclosure
from recruitment.schemas.dol_disclosures import DisclosureImportRead
from recruitment.schemas.jobs import JobRead
from recruitment.services import dol_disclosures, jobs

MAX_DISCLOSURE_BYTES = 64 * 1024 * 1024


@dataclass
class DisclosureUpload:
    """The files of one OFLC H-2A disclosure release, as CSV: any of them, at least one."""

    cases: UploadFile | None = None
    addendum_a_crops_wages: UploadFile | None = None
    addendum_b_housing: UploadFile | None = None
    addendum_b_places_of_employment: UploadFile | None = None
    in_background: bool = False


def _lines(upload: IO[bytes]) -> Iterator[str]:
    # Read once: the wrapper may close the upload when it goes, as the request does anyway.
    yield from io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")


@post(
    "/dol-disclosures/imports",
    tags=["imports"],
    summary="Import OFLC H-2A disclosure files: job orders, growers, H-2A labor contractors "
    "and their placements (staff)",
    description="Multipart form with any of four CSV files (at least one): `cases`, "
    "`addendum_a_crops_wages`, `addendum_b_housing`, `addendum_b_places_of_employment`. A "
    "period may come as its case file alone or as addenda alone: addenda rows whose case is in "
    "no file given go to that case's job order on record, and the others are reported. Columns "
    "are matched by meaning across fiscal years; unknown ones, and known ones not found, are "
    "reported. Importing the same files again changes nothing. With `in_background` (a whole "
    "fiscal year), answered 202 with a job; "
    "`GET /jobs/{id}` then shows its report.",
    responses={
        **problem_responses(*AUTHENTICATED, 413),
        202: ResponseSpec(
            data_container=JobRead, description="Queued (`in_background`): the import's job"
        ),
    },
    request_max_body_size=MAX_DISCLOSURE_BYTES,
    status_code=200,
)
async def import_dol_disclosure(
    state: State,
    transaction: Transaction,
    caller: CurrentCaller,
    data: Annotated[DisclosureUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Response[DisclosureImportRead]:
    caller.require_staff("import DOL disclosure data")
    given = {
        dol_disclosure.CASES: data.cases,
        dol_disclosure.CROPS: data.addendum_a_crops_wages,
        dol_disclosure.HOUSING: data.addendum_b_housing,
        dol_disclosure.PLACES: data.addendum_b_places_of_employment,
    }
    uploads = {name: upload for name, upload in given.items() if upload is not None}
    if data.in_background:
        job = await jobs.request_dol_disclosure_import(
            transaction, caller, {name: await upload.read() for name, upload in uploads.items()}
        )
        return queued(state, job)
    report = await dol_disclosures.import_disclosure(
        transaction, caller, {name: _lines(upload.file) for name, upload in uploads.items()}
    )
    return Response(DisclosureImportRead.model_validate(report))
