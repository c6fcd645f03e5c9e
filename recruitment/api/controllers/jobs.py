from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.params import JSONBody, PathParameter

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.queue import defer
from recruitment.schemas.jobs import JobOrderContractsRequest, JobRead
from recruitment.services import jobs

JobId = Annotated[UUID, PathParameter(description="The job's id.")]


def queued(state: State, job: JobRead) -> Response[Any]:
    # Deferred once the response is out, so after the request's transaction has committed:
    # the worker never looks for a job row that isn't there yet.
    return Response(
        job,
        status_code=202,
        headers={"Location": f"/jobs/{job.id}"},
        background=BackgroundTask(defer, state.queue, job.id),
    )


class JobController(Controller):
    tags = ["jobs"]

    @post(
        "/job-orders/{job_order_id:uuid}/contracts",
        summary="Issue the contract of every worker of a job order, in the background",
        description="Refused (409, listing what to fix) while the job order's terms have open "
        "findings, unless staff give an override_reason.",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
        status_code=202,
    )
    async def issue_job_order_contracts(
        self,
        state: State,
        transaction: Transaction,
        caller: CurrentCaller,
        job_order_id: Annotated[UUID, PathParameter()],
        data: JSONBody[JobOrderContractsRequest],
    ) -> Response[JobRead]:
        job = await jobs.request_job_order_contracts(transaction, caller, job_order_id, data)
        return queued(state, job)

    @post(
        "/verification/jobs",
        summary="Re-evaluate every case in the background (staff)",
        responses=problem_responses(*AUTHENTICATED),
        status_code=202,
    )
    async def reverify(
        self, state: State, transaction: Transaction, caller: CurrentCaller
    ) -> Response[JobRead]:
        return queued(state, await jobs.request_reverification(transaction, caller))

    @get(
        "/jobs/{job_id:uuid}",
        summary="A background job's state, progress and errors",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(self, transaction: Transaction, caller: CurrentCaller, job_id: JobId) -> JobRead:
        return await jobs.read_job(transaction, caller, job_id)

    @post(
        "/jobs/{job_id:uuid}/retries",
        summary="Run a failed job again: what it already did is skipped",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
        status_code=202,
    )
    async def retry(
        self, state: State, transaction: Transaction, caller: CurrentCaller, job_id: JobId
    ) -> Response[JobRead]:
        return queued(state, await jobs.prepare_retry(transaction, caller, job_id))
