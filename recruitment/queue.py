"""The PostgreSQL-backed job queue (procrastinate): the tasks, and the app that runs them.

procrastinate speaks psycopg 3 to the same database the service uses, so a worker on any machine
that reaches the database takes jobs; `recruitment worker` runs one, and `recruitment serve` runs
one in-process unless told not to.

A worker that dies with a job in hand (killed, out of memory, its machine gone) stops sending its
heartbeat; every minute, whichever worker is alive puts such jobs back in the queue. A job runs
again from its start: an import was one transaction that never committed, and a contracts job
skips the contracts it issued. Every hour, the queue's rows of jobs that succeeded days ago go:
the `jobs` table keeps what people read about them.
"""

import contextlib
import dataclasses
from uuid import UUID

import procrastinate
from sqlalchemy.engine import make_url

from recruitment.services import jobs, standing
from recruitment.services.jobs import Runtime

_runtime: Runtime | None = None
RETRY = procrastinate.RetryStrategy(max_attempts=3, wait=2)
RUN_JOB = "recruitment.run_job"
RETRY_STALLED = "recruitment.retry_stalled_jobs"
# procrastinate's own default: a worker updates its heartbeat every 10 seconds.
STALLED_AFTER_SECONDS = 30
REMOVE_FINISHED = "recruitment.remove_finished_queue_rows"
# The periodic tasks alone add 1,440 rows a day.
FINISHED_KEPT_HOURS = 72
DELIVER_STANDING = "recruitment.deliver_standing_change"
# A receiver that is down is tried again after 2, 4, 8 ... seconds (procrastinate's exponential
# wait), MAX_ATTEMPTS times in all; the delivery log keeps each attempt.
WEBHOOK_RETRY = procrastinate.RetryStrategy(
    max_attempts=standing.MAX_ATTEMPTS,
    exponential_wait=2,
    retry_exceptions={standing.DeliveryFailed},
)


def libpq_url(database_url: str) -> str:
    """The service's SQLAlchemy URL, as psycopg wants it."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


def queue_app(database_url: str) -> procrastinate.App:
    """A queue app on this database. Each gets its own task objects: procrastinate ties a task
    to one app, and the service, its in-process worker and `recruitment worker` each build one."""
    app = procrastinate.App(
        # The pool's connection arguments, empty but given: procrastinate before 3.7 passes
        # them to LISTEN's connection as `**kwargs`, which psycopg-pool 3.3 leaves None, and the
        # worker would then miss every notification and only poll.
        connector=procrastinate.PsycopgConnector(conninfo=libpq_url(database_url), kwargs={})
    )
    app.task(name=RUN_JOB, retry=RETRY, pass_context=True)(run_job)
    app.task(name=DELIVER_STANDING, retry=WEBHOOK_RETRY)(deliver_standing_change)

    @app.periodic(cron="* * * * *")
    @app.task(name=RETRY_STALLED, queueing_lock=RETRY_STALLED, pass_context=True)
    async def retry_stalled(context: procrastinate.JobContext, timestamp: int) -> None:
        assert context.app is not None
        await retry_stalled_jobs(context.app)
        await requeue_lost_deliveries(context.app)

    @app.periodic(cron="7 * * * *")
    @app.task(name=REMOVE_FINISHED, queueing_lock=REMOVE_FINISHED, pass_context=True)
    async def remove_finished(context: procrastinate.JobContext, timestamp: int) -> None:
        assert context.app is not None
        await remove_finished_queue_rows(context.app)

    return app


async def retry_stalled_jobs(
    app: procrastinate.App, stalled_after_seconds: float = STALLED_AFTER_SECONDS
) -> int:
    """Queue again the jobs of workers silent for `stalled_after_seconds`; how many there were."""
    stalled = list(
        await app.job_manager.get_stalled_jobs(
            task_name=RUN_JOB, seconds_since_heartbeat=stalled_after_seconds
        )
    )
    for job in stalled:
        await app.job_manager.retry_job(job)
    return len(stalled)


# A delivery is queued once the response that recorded its change is out; a process that died
# in between leaves it pending with no job, and its buyer would never hear of the change.
LOST_AFTER_MINUTES = 2
_LOST_DELIVERIES = """
    SELECT delivery.id FROM standing_deliveries AS delivery
    WHERE delivery.status = 'pending'
      AND delivery.created_at < now() - make_interval(mins => %(minutes)s)
      AND NOT EXISTS (
        SELECT 1 FROM procrastinate_jobs AS job
        WHERE job.task_name = %(task)s AND job.status IN ('todo', 'doing')
          AND job.args ->> 'delivery_id' = delivery.id::text)
"""


async def requeue_lost_deliveries(
    app: procrastinate.App, lost_after_minutes: int = LOST_AFTER_MINUTES
) -> int:
    """Queue again the pending deliveries that no job holds; how many there were."""
    rows = await app.connector.execute_query_all_async(
        _LOST_DELIVERIES, minutes=lost_after_minutes, task=DELIVER_STANDING
    )
    await _defer_each(app, [row["id"] for row in rows])
    return len(rows)


def bind(runtime: Runtime) -> None:
    """Give the tasks of this process their database, renderer and publication settings."""
    global _runtime
    _runtime = runtime


async def remove_finished_queue_rows(
    app: procrastinate.App, older_than_hours: int = FINISHED_KEPT_HOURS
) -> None:
    """Delete the queue's rows of jobs that succeeded over `older_than_hours` ago; failed ones
    stay for whoever looks into them."""
    await app.job_manager.delete_old_jobs(nb_hours=older_than_hours)


async def run_job(context: procrastinate.JobContext, job_id: str) -> None:
    if _runtime is None:
        raise RuntimeError("the queue worker was started without its runtime")
    app = context.app
    assert app is not None

    async def queue_jobs(job_ids: list[UUID]) -> None:
        for follow_up in job_ids:
            await _defer_job(app, follow_up)

    await jobs.run(dataclasses.replace(_runtime, queue_jobs=queue_jobs), UUID(job_id))


async def defer(app: procrastinate.App, job_id: UUID) -> None:
    async with app.open_async():
        await _defer_job(app, job_id)


async def _defer_job(app: procrastinate.App, job_id: UUID) -> None:
    await app.configure_task(RUN_JOB).defer_async(job_id=str(job_id))


async def deliver_standing_change(delivery_id: str) -> None:
    if _runtime is None:
        raise RuntimeError("the queue worker was started without its runtime")
    await standing.deliver(_runtime.database, UUID(delivery_id))


async def defer_deliveries(app: procrastinate.App, delivery_ids: list[UUID]) -> None:
    """Queue each delivery once: a lock per delivery keeps a replayed request from queueing it
    twice (the row lock in `deliver` keeps it from being sent twice in any case)."""
    if not delivery_ids:
        return  # no buyer has a webhook: no connection to open
    async with app.open_async():
        await _defer_each(app, delivery_ids)


async def _defer_each(app: procrastinate.App, delivery_ids: list[UUID]) -> None:
    for delivery_id in delivery_ids:
        with contextlib.suppress(procrastinate.exceptions.AlreadyEnqueued):
            await app.configure_task(
                DELIVER_STANDING, queueing_lock=f"delivery:{delivery_id}"
            ).defer_async(delivery_id=str(delivery_id))
