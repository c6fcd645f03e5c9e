"""Roster imports from the console: a dry run first, its report, then the import of the very file
that was checked.

The checked file waits in the console's store in PostgreSQL (not in a temporary file, which only
the process that received it could read: the console runs in several processes, on several
machines maybe), under a random key that only the uploader's session holds, for an hour. The
import reads it from there, so the person confirms with one button instead of choosing the file
again, and can't import another file than the one whose report they saw. The import checks every
row again all the same: the records may have changed in between.
"""

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.console.controllers import FormData
from recruitment.console.forms import FormErrors
from recruitment.console.pages import page
from recruitment.console.sessions import UPLOADS_STORE, DatabaseStore
from recruitment.console.texts import Texts, language_of
from recruitment.imports.text import csv_lines
from recruitment.locations import ROSTER_TEMPLATE
from recruitment.schemas.growers import GrowerRead
from recruitment.services import growers, rosters
from recruitment.services.caller import Caller
from recruitment.services.job_orders import acting_grower

# What the console takes in one upload. Lower than the API's 64 MB: the checked file is kept in a
# database row until it is imported. A season's roster of ten thousand workers is some 3 MB.
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
KEPT_FOR = timedelta(hours=1)
PENDING = "pending_roster"  # session key: the checked file waiting for its import


@dataclass
class RosterUpload:
    # Optional here so that a form sent without a file is answered with the form, not refused.
    file: UploadFile | None = None
    grower_id: UUID | None = None


Upload = Annotated[RosterUpload, Body(media_type=RequestEncodingType.MULTI_PART)]


def _uploads(request: Request[Any, Any, Any]) -> DatabaseStore:
    store = request.app.stores.get(UPLOADS_STORE)
    assert isinstance(store, DatabaseStore)
    return store


def _lines(text: str) -> Callable[[], Iterable[str]]:
    """What the import service reads, once per pass: the file's lines from the start."""
    return lambda: csv_lines(text)


async def _form(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    caller: Caller,
    grower_id: UUID | None,
    errors: FormErrors,
    status: HTTPStatus = HTTPStatus.OK,
) -> Response[Any]:
    # Staff import on behalf of a grower they came from (the growers page); a grower, its own.
    grower = (
        None if caller.is_staff and grower_id is None else await _grower(session, caller, grower_id)
    )
    return page(request, "rosters/new.html", status, grower=grower, errors=errors)


async def _grower(session: AsyncSession, caller: Caller, grower_id: UUID | None) -> GrowerRead:
    return await growers.read_grower(session, caller, acting_grower(caller, grower_id))


class RostersController(Controller):
    path = "/rosters"

    @get("/new")
    async def roster_form(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: Annotated[UUID | None, QueryParameter(required=False)] = None,
    ) -> Response[Any]:
        return await _form(request, transaction, caller, grower_id, FormErrors())

    @get("/template.csv")
    async def roster_template(self) -> Response[bytes]:
        return Response(
            ROSTER_TEMPLATE.read_bytes(),
            media_type="text/csv",  # Litestar adds "; charset=utf-8" to text types
            headers={"Content-Disposition": 'attachment; filename="roster-template.csv"'},
        )

    @post("/checks", request_max_body_size=MAX_UPLOAD_BYTES)
    async def check(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: Upload,
    ) -> Response[Any]:
        grower = await _grower(transaction, caller, data.grower_id)
        content = await data.file.read() if data.file is not None else b""
        request.session.pop(PENDING, None)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if not text:
            errors = FormErrors()
            words = Texts(language_of(request))
            errors.add("file", words("rosters.not_utf8" if content else "rosters.no_file"))
            return await _form(
                request, transaction, caller, grower.id, errors, HTTPStatus.UNPROCESSABLE_ENTITY
            )
        report = await rosters.import_roster(
            transaction, caller, grower.id, _lines(text), dry_run=True
        )
        file_name = (data.file.filename if data.file else "") or "roster.csv"
        pending = None
        if not report.problems:
            pending = secrets.token_urlsafe(32)
            store = _uploads(request)
            await store.delete_expired()  # each upload sweeps away the ones never imported
            await store.set(pending, content, expires_in=KEPT_FOR)
            request.session[PENDING] = {
                "key": pending, "grower_id": str(grower.id), "file_name": file_name,
            }  # fmt: skip
        return page(
            request,
            "rosters/checked.html",
            HTTPStatus.OK if pending else HTTPStatus.UNPROCESSABLE_ENTITY,
            grower=grower,
            report=report,
            file_name=file_name,
            pending=pending,
            errors=FormErrors(),
        )

    @post("/imports")
    async def import_checked(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: FormData,
    ) -> Response[Any]:
        pending = request.session.get(PENDING)
        store = _uploads(request)
        # The form names the file whose report it showed: an older tab can't import a newer one.
        content = None
        if pending and secrets.compare_digest(pending["key"], data.get("upload", "")):
            content = await store.get(pending["key"])
        if pending is None or content is None:
            return page(request, "rosters/expired.html", HTTPStatus.CONFLICT)
        grower = await _grower(transaction, caller, UUID(pending["grower_id"]))
        report = await rosters.import_roster(
            transaction, caller, grower.id, _lines(content.decode("utf-8-sig")), dry_run=False
        )
        request.session.pop(PENDING)
        await store.delete(pending["key"])
        return page(
            request,
            "rosters/imported.html" if report.imported else "rosters/checked.html",
            HTTPStatus.OK if report.imported else HTTPStatus.UNPROCESSABLE_ENTITY,
            grower=grower,
            report=report,
            file_name=pending["file_name"],
            pending=None,
            errors=FormErrors(),
        )
