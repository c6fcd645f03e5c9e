"""Workers: one person across growers and seasons, matched by CURP or passport."""

import unicodedata
from uuid import UUID

from sqlalchemy import ColumnElement, bindparam, exists, or_, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.errors import Conflict, FieldProblem, InvalidInput, NotFound
from recruitment.models import Recruitment, Worker
from recruitment.schemas.workers import WorkerIdentity, WorkerRead, WorkerSummary, WorkerUpdate
from recruitment.services import audit, cases
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import check_version, mark_changed


def visible_to(caller: Caller) -> ColumnElement[bool]:
    """A grower sees the workers it recruits (a hire always has its recruitment)."""
    if caller.is_staff:
        return true()
    return exists().where(
        col(Recruitment.worker_id) == col(Worker.id),
        col(Recruitment.grower_id) == caller.grower_id,
    )


def folded(name: str) -> str:
    """A name as people compare them: case, accents and spacing don't tell two people apart."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def same_person(worker: Worker, identity: WorkerIdentity) -> bool:
    return (
        worker.date_of_birth == identity.date_of_birth
        and folded(worker.family_names) == folded(identity.family_names)
        and folded(worker.given_names) == folded(identity.given_names)
    )


def _audit_view(worker: Worker) -> WorkerSummary:
    # The audit trail keeps identity documents masked, like every list.
    return WorkerRead.model_validate(worker).summary()


# Every hire looks its worker up by the documents it gives (a WorkerIdentity has one or both):
# statements built once (see cases._GROWER_PARTIES).
_CURP_IS = col(Worker.curp) == bindparam("curp")
_PASSPORT_IS = (col(Worker.passport_country) == bindparam("passport_country")) & (
    col(Worker.passport_number) == bindparam("passport_number")
)
_BY_CURP = select(Worker).where(_CURP_IS).with_for_update()
_BY_PASSPORT = select(Worker).where(_PASSPORT_IS).with_for_update()
_BY_CURP_OR_PASSPORT = select(Worker).where(or_(_CURP_IS, _PASSPORT_IS)).with_for_update()


async def match_or_new(
    session: AsyncSession, caller: Caller, identity: WorkerIdentity
) -> tuple[Worker, bool]:
    """The worker with this CURP or passport, or a new one, unsaved, for the caller to write with
    the rest of its call (the bool says which). A document that already belongs to someone else
    (another name or date of birth) is a conflict, never a silent merge."""
    query = (
        _BY_CURP
        if identity.passport_number is None
        else _BY_PASSPORT
        if identity.curp is None
        else _BY_CURP_OR_PASSPORT
    )
    matches = list(
        await session.exec(
            query,
            params={
                "curp": identity.curp,
                "passport_country": identity.passport_country,
                "passport_number": identity.passport_number,
            },
        )
    )
    if len(matches) > 1:
        raise Conflict(
            "The CURP and the passport number belong to two different workers on record; "
            "program staff must reconcile them."
        )
    if not matches:
        return Worker(**identity.model_dump()), True
    worker = matches[0]
    if not same_person(worker, identity):
        document = "CURP" if identity.curp and worker.curp == identity.curp else "passport"
        raise Conflict(
            f"This {document} is on record for a person with another name or date of birth. "
            "Check the document; if the record is wrong, program staff can correct it."
        )
    if worker.curp and identity.curp and worker.curp != identity.curp:
        raise Conflict("This passport is on record with a different CURP.")
    filled = {
        key: value
        for key, value in identity.model_dump().items()
        if value is not None and getattr(worker, key) is None
    }
    if filled:
        before = _audit_view(worker)
        for key, value in filled.items():
            setattr(worker, key, value)
        mark_changed(worker)
        session.add(worker)
        await session.flush()
        await audit.record(
            session, caller, "worker.complete", "worker", worker.id,
            grower_id=caller.grower_id, before=before, after=_audit_view(worker),
        )  # fmt: skip
    return worker, False


def creation_event(caller: Caller, worker: Worker) -> audit.Event:
    return audit.Event(
        "worker.create", "worker", worker.id, caller.grower_id, after=_audit_view(worker)
    )


async def match_or_create(
    session: AsyncSession, caller: Caller, identity: WorkerIdentity
) -> Worker:
    """`match_or_new`, with a new worker written at once."""
    worker, is_new = await match_or_new(session, caller, identity)
    if is_new:
        session.add(worker)
        await session.flush()
        await audit.record_many(session, caller, [creation_event(caller, worker)])
    return worker


async def find_worker(
    session: AsyncSession, caller: Caller, worker_id: UUID, *, for_update: bool = False
) -> Worker:
    query = select(Worker).where(Worker.id == worker_id, visible_to(caller))
    if for_update:
        query = query.with_for_update()
    worker = (await session.exec(query)).first()
    if worker is None:
        raise NotFound(f"No worker {worker_id}.")
    return worker


async def register_worker(
    session: AsyncSession, caller: Caller, identity: WorkerIdentity
) -> WorkerRead:
    """Staff register a worker ahead of any recruitment (growers do it through one)."""
    caller.require_staff("register a worker outside a recruitment")
    return WorkerRead.model_validate(await match_or_create(session, caller, identity))


async def read_worker(session: AsyncSession, caller: Caller, worker_id: UUID) -> WorkerRead:
    return WorkerRead.model_validate(await find_worker(session, caller, worker_id))


async def list_workers(
    session: AsyncSession,
    caller: Caller,
    *,
    nationality: str | None,
    cursor: str | None,
    limit: int,
) -> Page[WorkerSummary]:
    query = select(Worker).where(visible_to(caller))
    if nationality is not None:
        query = query.where(Worker.nationality == nationality)
    page = await paginate(session, query, Worker, cursor=cursor, limit=limit)
    return Page([WorkerRead.model_validate(w).summary() for w in page.items], page.next_cursor)


async def update_worker(
    session: AsyncSession,
    caller: Caller,
    worker_id: UUID,
    expected_version: int | None,
    changes: WorkerUpdate,
) -> WorkerRead:
    worker = await find_worker(session, caller, worker_id, for_update=True)
    check_version(worker.version, expected_version)
    values = changes.model_dump(exclude_unset=True)
    cleared = [key for key, value in values.items() if value is None and key != "phone"]
    if cleared:
        raise InvalidInput(
            "Names and language can be corrected, not removed.",
            [FieldProblem(key, f"{key} can't be empty") for key in cleared],
        )
    before = _audit_view(worker)
    if not values:
        return WorkerRead.model_validate(worker)
    for key, value in values.items():
        setattr(worker, key, value)
    mark_changed(worker)
    session.add(worker)
    await session.flush()
    await audit.record(
        session, caller, "worker.update", "worker", worker.id,
        grower_id=caller.grower_id, before=before, after=_audit_view(worker),
    )  # fmt: skip
    await cases.reevaluate(session, await cases.cases_of_worker(session, worker.id))
    return WorkerRead.model_validate(worker)
