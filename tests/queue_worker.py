"""Running the job queue in a test as `recruitment worker` runs it: one long-lived worker.

procrastinate before 3.10 can lose the cancellation of a worker stopped in its first moments:
its periodic deferrer then never ends, and neither does the test (the oldest versions we allow
hung CI that way when a test started a short `wait=False` worker every half second). One worker
that has settled before it is stopped does not meet that race.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import procrastinate

POLL_SECONDS = 0.1
# Long enough for the worker's side tasks to be waiting on their own schedules.
SETTLE_SECONDS = 0.5

# The jobs a `wait=False` worker would still take: those due now or in hand. A retry scheduled
# for later is not due.
DUE_JOBS = """
    SELECT count(*) AS due FROM procrastinate_jobs
    WHERE status = 'doing' OR (status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now()))
"""


async def nothing_due(app: procrastinate.App) -> bool:
    row = await app.connector.execute_query_one_async(DUE_JOBS)
    return bool(row["due"] == 0)


async def work_queue_until(
    app: procrastinate.App,
    done: Callable[[], Awaitable[bool]] | None = None,
    seconds: float = 300,
) -> None:
    """Run one worker on an open `app` until `done()` (by default: until nothing is due), or
    fail when `seconds` have passed."""
    finished = done or (lambda: nothing_due(app))
    worker = asyncio.create_task(
        app.run_worker_async(install_signal_handlers=False, fetch_job_polling_interval=POLL_SECONDS)
    )
    deadline = asyncio.get_running_loop().time() + seconds
    try:
        await asyncio.sleep(SETTLE_SECONDS)
        while not await finished():
            assert not worker.done(), "the queue's worker stopped"
            assert asyncio.get_running_loop().time() < deadline, "the queue did not finish"
            await asyncio.sleep(POLL_SECONDS)
    finally:
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
