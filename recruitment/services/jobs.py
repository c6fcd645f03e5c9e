"""Season-wide work as background jobs: requested here, run by a queue worker.

Each item of a job (one worker's contract) is done in a transaction of its own, so a job that
fails halfway leaves every item done or not done; running it again skips what is done.
"""

import asyncio
import io
import zipfile
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import exists, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.database import Database
from recruitment.errors import Conflict, DomainError, NotFound
from recruitment.imports import dol_disclosure
from recruitment.imports.text import csv_lines
from recruitment.models import Contract, Job, JobOrder, Recruitment, Worker
from recruitment.rendering import ContractRenderer
from recruitment.schemas.contracts import ContractIssue
from recruitment.schemas.dol_disclosures import DisclosureImportRead
from recruitment.schemas.jobs import JobOrderContractsRequest, JobRead
from recruitment.services import (
    audit,
    contract_audio,
    contracts,
    corrective_actions,
    dol_disclosures,
    reverification,
    rosters,
)
from recruitment.services.caller import Caller
from recruitment.services.contracts import Publication
from recruitment.services.growers import find_grower
from recruitment.services.job_orders import find_job_order

DOL_DISCLOSURE_IMPORT = "dol_disclosure_import"
JOB_ORDER_CONTRACTS = "job_order_contracts"
PARALLEL_ITEMS = 4
PROGRESS_SECONDS = 1.0
REVERIFICATION = "reverification"
ROSTER_IMPORT = "roster_import"


@dataclass(frozen=True)
class Runtime:
    """What a job needs to do its work, in whichever process runs it."""

    database: Database
    renderer: ContractRenderer
    publication: Publication
    # How a job queues the jobs it asks for once their rows are committed (the spoken page of
    # each contract a bulk issue made); None where no queue is at hand, and none are asked for.
    queue_jobs: Callable[[list[UUID]], Awaitable[None]] | None = None


async def request_job_order_contracts(
    session: AsyncSession, caller: Caller, job_order_id: UUID, request: JobOrderContractsRequest
) -> JobRead:
    job_order = await find_job_order(session, caller, job_order_id)
    total = (
        await session.exec(select(func.count()).where(Recruitment.job_order_id == job_order.id))
    ).one()
    await contracts.check_terms_issuable(session, caller, job_order.id, request.override_reason)
    job = Job(
        kind=JOB_ORDER_CONTRACTS,
        grower_id=job_order.grower_id,
        subject_id=job_order.id,
        parameters=request.model_dump(mode="json"),
        requested_by=caller.actor,
        total=total,
    )
    session.add(job)
    await session.flush()
    await audit.record(
        session, caller, "job.request", "job", job.id, grower_id=job.grower_id,
        after=JobRead.model_validate(job),
    )  # fmt: skip
    return JobRead.model_validate(job)


async def request_reverification(session: AsyncSession, caller: Caller) -> JobRead:
    caller.require_staff("re-verify every case")
    job = Job(kind=REVERIFICATION, requested_by=caller.actor, parameters={"as_of": None})
    session.add(job)
    await session.flush()
    return JobRead.model_validate(job)


async def request_roster_import(
    session: AsyncSession, caller: Caller, grower_id: UUID, content: bytes, file_name: str
) -> JobRead:
    """A roster too large to import within a request: stored with the job, imported by a
    worker in one transaction (all rows or none), as the requester."""
    await find_grower(session, caller, grower_id)
    job = Job(
        kind=ROSTER_IMPORT,
        grower_id=grower_id,
        parameters={"file_name": file_name, "role": caller.role},
        requested_by=caller.actor,
        total=max(content.count(b"\n") - 1, 0),
        payload=content,
    )
    session.add(job)
    await session.flush()
    return JobRead.model_validate(job)


async def request_dol_disclosure_import(
    session: AsyncSession, caller: Caller, files: Mapping[str, bytes]
) -> JobRead:
    """A fiscal year of OFLC disclosure files: kept with the job as one zip archive, imported by
    a worker in one transaction, as the staff member who asked."""
    caller.require_staff("import DOL disclosure data")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    job = Job(
        kind=DOL_DISCLOSURE_IMPORT,
        parameters={"role": caller.role},
        requested_by=caller.actor,
        total=max(files.get(dol_disclosure.CASES, b"").count(b"\n") - 1, 0),
        payload=archive.getvalue(),
    )
    session.add(job)
    await session.flush()
    return JobRead.model_validate(job)


async def find_job(session: AsyncSession, caller: Caller, job_id: UUID) -> Job:
    job = (
        await session.exec(select(Job).where(Job.id == job_id, caller.scope(col(Job.grower_id))))
    ).first()
    if job is None:
        raise NotFound(f"No job {job_id}.")
    return job


async def read_job(session: AsyncSession, caller: Caller, job_id: UUID) -> JobRead:
    return JobRead.model_validate(await find_job(session, caller, job_id))


async def prepare_retry(session: AsyncSession, caller: Caller, job_id: UUID) -> JobRead:
    job = await find_job(session, caller, job_id)
    if job.status != "failed":
        raise Conflict(f"Only a failed job is retried; this one is {job.status}.")
    job.status = "queued"
    session.add(job)
    await session.flush()
    return JobRead.model_validate(job)


async def _update(runtime: Runtime, job_id: UUID, **values: Any) -> None:
    async with runtime.database.sessions() as session, session.begin():
        await session.exec(update(Job).where(col(Job.id) == job_id).values(**values))


async def run(runtime: Runtime, job_id: UUID) -> None:
    """Run a job to its end: the queue worker's entry point."""
    async with runtime.database.sessions() as session:
        job = await session.get(Job, job_id)
    if job is None:
        raise NotFound(f"No job {job_id}: it was never committed.")
    await _update(
        runtime, job_id, status="running", started_at=clock.now(), attempts=job.attempts + 1,
        done=0, skipped=0, failed=0, errors=[],
    )  # fmt: skip
    work: dict[str, Callable[[Runtime, Job], Awaitable[tuple[int, int, list[dict[str, Any]]]]]]
    work = {
        JOB_ORDER_CONTRACTS: _issue_job_order_contracts,
        REVERIFICATION: _reverify,
        ROSTER_IMPORT: _import_roster,
        DOL_DISCLOSURE_IMPORT: _import_dol_disclosure,
        contract_audio.CONTRACT_AUDIO: _speak_contract,
    }
    try:
        done, skipped, errors = await work[job.kind](runtime, job)
    except Exception as error:
        await _update(
            runtime, job_id, status="failed", finished_at=clock.now(),
            errors=[{"item": None, "error": type(error).__name__}],
        )  # fmt: skip
        raise
    await _update(
        runtime, job_id, status="failed" if errors else "succeeded", finished_at=clock.now(),
        done=done, skipped=skipped, failed=len(errors), errors=errors,
    )  # fmt: skip


async def _issue_job_order_contracts(
    runtime: Runtime, job: Job
) -> tuple[int, int, list[dict[str, Any]]]:
    request = JobOrderContractsRequest.model_validate(job.parameters or {})
    actor = Caller(actor=f"job:{job.id}", role="staff")
    async with runtime.database.sessions() as session:
        job_order = await session.get(JobOrder, job.subject_id)
        assert job_order is not None
        version = job_order.current_version
        pending = list(
            await session.exec(
                select(Recruitment.id, Recruitment.worker_id, Worker.preferred_language)
                .join(Worker, col(Worker.id) == col(Recruitment.worker_id))
                .where(Recruitment.job_order_id == job_order.id)
                .order_by(col(Recruitment.id))
            )
        )
    progress = {"done": 0, "skipped": 0}
    errors: list[dict[str, Any]] = []
    # The jobs that speak page 1 of each contract issued, queued once their rows are committed.
    spoken: list[UUID] = []
    # Items overlap so that every rendering process stays busy; each is its own transaction.
    slots = asyncio.Semaphore(PARALLEL_ITEMS)

    async def issue(recruitment_id: UUID, worker_id: UUID, preferred: str) -> None:
        language = request.language or preferred
        async with slots, runtime.database.sessions() as session, session.begin():
            current = await session.exec(
                select(
                    exists().where(
                        col(Contract.recruitment_id) == recruitment_id,
                        col(Contract.job_order_version) == version,
                        col(Contract.language) == language,
                        col(Contract.superseded_at).is_(None),
                    )
                )
            )
            if current.one():
                progress["skipped"] += 1
                return
            try:
                issued = await contracts.issue_contract(
                    session, actor, runtime.renderer, runtime.publication, worker_id,
                    ContractIssue(
                        job_order_id=job_order.id,
                        language=language,
                        override_reason=request.override_reason,
                    ),
                    spoken=runtime.queue_jobs is not None,
                )  # fmt: skip
                progress["done"] += 1
                if issued.audio_job_id is not None:
                    spoken.append(issued.audio_job_id)
            except DomainError as error:
                # This worker's contract stays undone; the others go on.
                await session.rollback()
                errors.append({"item": str(recruitment_id), "error": error.detail})

    async def report_progress() -> None:
        while True:
            await asyncio.sleep(PROGRESS_SECONDS)
            await _update(runtime, job.id, failed=len(errors), **progress)

    reporter = asyncio.create_task(report_progress())
    try:
        await asyncio.gather(*(issue(*item) for item in pending))
    finally:
        reporter.cancel()
    if spoken and runtime.queue_jobs is not None:
        await runtime.queue_jobs(spoken)
    done, skipped = progress["done"], progress["skipped"]
    return done, skipped, errors


async def _speak_contract(runtime: Runtime, job: Job) -> tuple[int, int, list[dict[str, Any]]]:
    assert job.subject_id is not None
    made = await contract_audio.speak(
        runtime.database, runtime.renderer.contracts_dir, job.subject_id
    )
    return (1, 0, []) if made else (0, 1, [])


async def _reverify(runtime: Runtime, job: Job) -> tuple[int, int, list[dict[str, Any]]]:
    # One transaction: the whole program's flags change together or not at all.
    async with runtime.database.sessions() as session, session.begin():
        summary = await reverification.reevaluate_program(session)
        await corrective_actions.reevaluate_deadlines(session)
    await _update(runtime, job.id, total=summary.cases)
    return summary.cases, 0, []


async def _import_roster(runtime: Runtime, job: Job) -> tuple[int, int, list[dict[str, Any]]]:
    assert job.grower_id is not None
    assert job.payload is not None
    content = job.payload
    # The requester's own rules apply: a grower's job imports as that grower.
    requester = Caller(
        actor=job.requested_by, role=(job.parameters or {}).get("role", "grower"),
        grower_id=job.grower_id,
    )  # fmt: skip

    async with runtime.database.sessions() as session, session.begin():
        report = await rosters.import_roster(
            session,
            requester,
            job.grower_id,
            lambda: csv_lines(content.decode("utf-8-sig")),
            dry_run=False,
        )
    await _update(runtime, job.id, result=rosters.summary(report))
    errors = [
        {"item": f"row {p.row}", "error": f"{p.column}: {p.message}" if p.column else p.message}
        for p in report.problems
    ]
    return report.recruitments_created, report.recruitments_unchanged, errors


async def _import_dol_disclosure(
    runtime: Runtime, job: Job
) -> tuple[int, int, list[dict[str, Any]]]:
    assert job.payload is not None
    requester = Caller(actor=job.requested_by, role=(job.parameters or {}).get("role", "staff"))
    with zipfile.ZipFile(io.BytesIO(job.payload)) as zipped:
        files = {
            name: csv_lines(zipped.read(name).decode("utf-8-sig")) for name in zipped.namelist()
        }
        async with runtime.database.sessions() as session, session.begin():
            report = await dol_disclosures.import_disclosure(session, requester, files)
    result = DisclosureImportRead.model_validate(report)
    await _update(runtime, job.id, result=result.model_dump(mode="json"))
    # Rows that can't be imported are left out and reported, as by the API: not a failure.
    return result.job_orders_created + result.job_orders_changed, result.job_orders_unchanged, []
