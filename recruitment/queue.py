"""The PostgreSQL-backed job queue (procrastinate): the tasks, and the app that runs them.

procrastinate speaks psycopg 3 to the same database the service uses, so a worker on any machine
that reaches the database takes jobs; `recruitment worker` runs one, and `recruitment serve` runs
one in-process unless told not to.
"""

from uuid import UUID

import procrastinate
from sqlalchemy.engine import make_url

from recruitment.services import jobs
from recruitment.services.jobs import Runtime

_runtime: Runtime | None = None
RETRY = procrastinate.RetryStrategy(max_attempts=3, wait=2)
RUN_JOB = "recruitment.run_job"


def libpq_url(database_url: str) -> str:
    """The service's SQLAlchemy URL, as psycopg wants it."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


def queue_app(database_url: str) -> procrastinate.App:
    """A queue app on this database. Each gets its own task objects: procrastinate ties a task
    to one app, and the service, its in-process worker and `recruitment worker` each build one."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=libpq_url(database_url))
    )
    app.task(name=RUN_JOB, retry=RETRY)(run_job)
    return app


def bind(runtime: Runtime) -> None:
    """Give the tasks of this process their database, renderer and publication settings."""
    global _runtime
    _runtime = runtime


async def run_job(job_id: str) -> None:
    if _runtime is None:
        raise RuntimeError("the queue worker was started without its runtime")
    await jobs.run(_runtime, UUID(job_id))


async def defer(app: procrastinate.App, job_id: UUID) -> None:
    async with app.open_async():
        await app.configure_task(RUN_JOB).defer_async(job_id=str(job_id))
