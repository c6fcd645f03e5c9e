"""The whole program re-evaluated on every core, in the caller's transaction.

Building a case's facts and running the rules is Python's work, about a third of a millisecond
a case, and one process uses one core: a program of 100,000 cases kept one core busy for most of
a minute while the others idled. So large programs are evaluated by worker processes, batch by
batch; the caller plans the first batch itself while they start. Each reads in a transaction of
its own on a snapshot the caller's transaction exports, so every batch sees exactly what the
caller sees, and only plans the changes to the batch's flags; the caller writes every plan in its
own transaction, so the whole program's flags still change together or not at all.

A snapshot does not carry the exporting transaction's own uncommitted writes. A caller that has
written before it re-evaluates (a load of new wage rates, say) is evaluated in its own process,
where its writes are visible.
"""

import asyncio
import contextlib
import gc
import multiprocessing
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.database import sessions_for
from recruitment.heap import settle_heap
from recruitment.models import Recruitment
from recruitment.services import cases

# A worker's batch: larger than a batch in the caller's process, since each batch's reads scan
# whole tables once it holds more than a percent or two of their rows.
WORKER_BATCH_SIZE = 5_000
# Below this many cases, starting the workers (the first time, two seconds to import the
# service) costs more than they save.
PARALLEL_FROM_CASES = 20_000
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")


def worker_count() -> int:
    """One worker per core the process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


async def reevaluate_program(
    session: AsyncSession,
    *,
    as_of: date | None = None,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM_CASES,
) -> cases.EvaluationSummary:
    """Re-evaluate every case and bring its flags in line, in the session's transaction: with
    `workers` processes (one per core when None) when the program has `parallel_from` cases or
    more and the transaction has written nothing yet, else in this process."""
    day = as_of or clock.today()
    processes = worker_count() if workers is None else workers
    if processes < 2 or await _has_written(session):
        return await cases.reevaluate(session, as_of=day)
    ids = list(await session.exec(select(Recruitment.id).order_by(col(Recruitment.id))))
    if len(ids) < parallel_from:
        return await cases.reevaluate(session, as_of=day)
    connection = await session.connection()
    snapshot: str = (await connection.execute(text("SELECT pg_export_snapshot()"))).scalar_one()
    url = connection.engine.url.render_as_string(hide_password=False)
    # The workers see exactly these cases, on the snapshot: each batch is every case in a range.
    batches = [
        cases.CaseRange(ids[start], ids[min(start + WORKER_BATCH_SIZE, len(ids)) - 1])
        for start in range(0, len(ids), WORKER_BATCH_SIZE)
    ]
    # The caller plans the first batch itself (see below): one process more than the workers.
    summary = cases.EvaluationSummary(processes=processes + 1)
    first, rest = batches[0], batches[1:]
    with ProcessPoolExecutor(
        processes, mp_context=_worker_context(), initializer=_start_worker, initargs=(url,)
    ) as pool:
        # Submitting starts the workers, and blocks until the fork server has imported the
        # service: 1.6 s the first time in a process. In a thread, that stalls neither the event
        # loop (an API server's other requests) nor the caller, which meanwhile plans the first
        # batch on the snapshot, in a transaction of its own as a worker would.
        submitting = asyncio.ensure_future(asyncio.to_thread(_submit, pool, snapshot, rest, day))
        try:
            changes, counted = await _plan_on_snapshot(connection.engine, snapshot, first, day)
            planned = [asyncio.wrap_future(future) for future in await submitting]
            await cases.write_flag_changes(session, changes)
            summary.add(counted)
            # Written as they come: the workers plan the next batches meanwhile.
            for next_plan in asyncio.as_completed(planned):
                changes, counted = await next_plan
                await cases.write_flag_changes(session, changes)
                summary.add(counted)
        finally:
            # The pool waits, on leaving, for every batch not cancelled.
            with contextlib.suppress(Exception):
                for future in await submitting:
                    future.cancel()
    await cases.refresh_flag_statistics(session, summary)
    return summary


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fork server, which imported the service once, when it was first
    needed: a spawned worker spent about two seconds importing it on every run, which in a
    program of 40,000 cases was a quarter of the time. Not forked from the caller itself: it
    may hold an event loop, a pool of connections and threads, which a fork would copy."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


async def _has_written(session: AsyncSession) -> bool:
    """Whether the session's transaction holds writes of its own (it has a transaction id only
    once it writes)."""
    connection = await session.connection()
    assigned = await connection.execute(text("SELECT pg_current_xact_id_if_assigned()"))
    return assigned.scalar_one() is not None


def _submit(
    pool: ProcessPoolExecutor, snapshot: str, batches: list[cases.CaseRange], as_of: date
) -> list["Future[tuple[cases.FlagChanges, cases.EvaluationSummary]]"]:
    return [pool.submit(_plan_batch, snapshot, batch, as_of) for batch in batches]


# --- In each worker process ----------------------------------------------------------------------

_loop: asyncio.AbstractEventLoop | None = None
_engine: AsyncEngine | None = None


def _start_worker(url: str) -> None:
    global _loop, _engine
    _loop = asyncio.new_event_loop()
    _engine = create_async_engine(url, pool_size=1)
    settle_heap(serving=False)
    # A batch builds hundreds of thousands of objects, nearly all freed by their last reference:
    # the collector ran over them dozens of times a batch, for about a tenth of the worker's
    # time. The worker does nothing but batches, so it collects once after each.
    gc.disable()


def _plan_batch(
    snapshot: str, batch: cases.CaseRange, as_of: date
) -> tuple[cases.FlagChanges, cases.EvaluationSummary]:
    # Both set by _start_worker.
    assert _loop is not None
    assert _engine is not None
    try:
        return _loop.run_until_complete(_plan_on_snapshot(_engine, snapshot, batch, as_of))
    finally:
        gc.collect()


# --- In the caller and in each worker ------------------------------------------------------------


async def _plan_on_snapshot(
    engine: AsyncEngine, snapshot: str, batch: cases.CaseRange, as_of: date
) -> tuple[cases.FlagChanges, cases.EvaluationSummary]:
    """Plan a batch's flag changes in a read-only transaction on the caller's snapshot."""
    if not _SNAPSHOT_ID.fullmatch(snapshot):
        raise ValueError(f"not a snapshot id: {snapshot!r}")
    summary = cases.EvaluationSummary()
    async with sessions_for(engine)() as session:
        connection = await session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
        # SET takes no parameters; the id was checked above.
        await connection.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
        reference = await cases.load_reference(session)
        loaded = await cases.load_facts(session, batch)
        stored = await cases.stored_flags(session, batch)
        # In a thread: in the caller, half a second of judging would stall its event loop.
        changes = await asyncio.to_thread(
            cases.plan_flag_changes, loaded, stored, as_of, reference, summary
        )
        await session.rollback()
    return changes, summary
