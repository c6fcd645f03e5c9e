"""The flags queue: staff work it; a grower reads its own flags and what to do about each."""

from http import HTTPStatus
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import ValidationException
from litestar.params import PathParameter, QueryParameter
from pydantic import BaseModel, ValidationError, field_validator
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.console.controllers import Cursor, FormData
from recruitment.console.evidence import evidence_view
from recruitment.console.forms import FormErrors, all_or_nothing, parse, posted_values
from recruitment.console.pages import local_target, page, redirect_with_notice
from recruitment.domain.vocabulary import FlagSeverity, FlagStatus
from recruitment.errors import Conflict, InvalidInput, NotFound
from recruitment.schemas.flags import FlagStatusChangeCreate
from recruitment.schemas.growers import GrowerRead
from recruitment.services import flag_groups, flags, growers, users
from recruitment.services.caller import Caller
from recruitment.services.pagination import MAX_PAGE_SIZE
from recruitment.verification import FLAG_CODES, FlagCode, catalogue

QUEUE = "/console/flags"
QUEUE_PAGE_SIZE = 50
Filter = Annotated[str | None, QueryParameter(required=False, max_length=100)]


class QueueFilters(BaseModel):
    """The queue's filters as its form sends them; a blank choice means any."""

    grower_id: UUID | None = None
    code: FlagCode | None = None
    severity: FlagSeverity | None = None
    status: FlagStatus | None = None

    @field_validator("*", mode="before")
    @classmethod
    def blank_is_any(cls, value: object) -> object:
        return None if value == "" else value

    def query(self, **more: str) -> str:
        chosen = {key: str(value) for key, value in self.model_dump().items() if value}
        # An explicit blank keeps "any status" from falling back to the default of open flags.
        chosen.setdefault("status", "")
        return urlencode({**chosen, **more})


async def grower_names(session: AsyncSession, caller: Caller) -> dict[UUID, GrowerRead]:
    """The growers a caller may see, for filters and for names in lists (the first page only:
    a program of more growers than a page holds needs a search instead)."""
    listed = await growers.list_growers(
        session, caller, program_status=None, state=None, cursor=None, limit=MAX_PAGE_SIZE
    )
    return {grower.id: grower for grower in listed.items}


class FlagsController(Controller):
    path = "/flags"

    @get("/")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: Filter = None,
        code: Filter = None,
        severity: Filter = None,
        status: Filter = None,
        cursor: Cursor = None,
    ) -> Response[Any]:
        try:
            filters = QueueFilters(
                grower_id=grower_id,
                code=code,
                severity=severity,
                # The queue opens on the flags that wait for someone.
                status="open" if status is None else status,
            )
        except ValidationError as error:
            raise ValidationException("Unknown filter value.") from error
        listed, counts = await flags.list_flags(
            transaction,
            caller,
            grower_id=filters.grower_id,
            worker_id=None,
            recruitment_id=None,
            code=filters.code,
            severity=filters.severity,
            status=filters.status,
            raised_from=None,
            raised_until=None,
            cursor=cursor or None,
            limit=QUEUE_PAGE_SIZE,
            shared_cause=False,
        )
        groups = await flag_groups.flag_groups(
            transaction,
            caller,
            grower_id=filters.grower_id,
            code=filters.code,
            severity=filters.severity,
            status=filters.status,
        )
        workers_shown = {flag.worker_id for flag in listed.items} | {
            flag.worker_id for group in groups for flag in group.flags
        }
        return page(
            request,
            "flags/queue.html",
            flags=listed.items,
            groups=groups,
            worker_names=await flag_groups.worker_names(transaction, workers_shown),
            total=sum(count.count for count in counts) + sum(len(group.flags) for group in groups),
            filters=filters,
            growers=await grower_names(transaction, caller) if caller.is_staff else {},
            codes=FLAG_CODES,
            catalogue=catalogue(),
            next_page=(
                f"{QUEUE}?{filters.query(cursor=listed.next_cursor)}"
                if listed.next_cursor
                else None
            ),
        )

    @post("/groups/status")
    async def change_group_status(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: FormData,
    ) -> Response[Any]:
        """One decision for every flag of a shared-cause group, each flag audited alone."""
        values = posted_values(data)
        back = local_target(values.pop("back", None), QUEUE)
        code, _, subject = values.pop("group", "").partition("|")
        try:
            change = parse(FlagStatusChangeCreate, values)
            async with all_or_nothing(transaction):
                await flag_groups.change_group_status(transaction, caller, code, subject, change)
        except (ValidationError, InvalidInput):
            # The only input is the decision and its note: what is missing is the note.
            return redirect_with_notice(request, back, "notices.flag_group_needs_note")
        except NotFound:
            return redirect_with_notice(request, back, "notices.flag_group_unchanged")
        return redirect_with_notice(request, back, f"notices.flag_group_{change.action}")

    @get("/{flag_id:uuid}")
    async def flag(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        flag_id: Annotated[UUID, PathParameter()],
        back: Filter = None,
    ) -> Response[Any]:
        return await _flag_page(request, transaction, caller, flag_id, local_target(back, QUEUE))

    @post("/{flag_id:uuid}/status")
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        flag_id: Annotated[UUID, PathParameter()],
        data: FormData,
    ) -> Response[Any]:
        values = posted_values(data)
        back = local_target(values.pop("back", None), QUEUE)
        try:
            change = parse(FlagStatusChangeCreate, values)
            async with all_or_nothing(transaction):
                await flags.change_status(transaction, caller, flag_id, change)
        except ValidationError as error:
            errors = FormErrors.of_validation(error)
        except InvalidInput as error:
            errors = FormErrors.of_invalid_input(error)
        except Conflict as error:
            errors = FormErrors.of_message(error.detail)
        else:
            return redirect_with_notice(request, back, f"notices.flag_{change.action}")
        return await _flag_page(
            request, transaction, caller, flag_id, back,
            errors=errors, action=values.get("action"), note=values.get("note", ""),
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )  # fmt: skip


async def _flag_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    caller: Caller,
    flag_id: UUID,
    back: str,
    *,
    errors: FormErrors | None = None,
    action: str | None = None,
    note: str = "",
    status: HTTPStatus = HTTPStatus.OK,
) -> Response[Any]:
    flag = await flags.read_flag(session, caller, flag_id)
    history = await flags.history(session, caller, flag_id)
    return page(
        request,
        "flags/flag.html",
        status,
        flag=flag,
        entry=catalogue()[flag.code],  # type: ignore[index]
        read_evidence=evidence_view,
        history=history,
        actors=await users.emails_of(session, caller, (c.changed_by for c in history)),
        grower=await growers.read_grower(session, caller, flag.grower_id),
        back=back,
        errors=errors or FormErrors(),
        action=action,
        note=note,
    )
