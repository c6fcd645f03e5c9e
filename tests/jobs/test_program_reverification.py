"""The whole program re-evaluated by worker processes on the caller's snapshot gives the flags the
caller's own process gives, and a caller that has already written is evaluated in its own process,
where its writes are visible.

The workers read in transactions of their own, which the per-test rolled-back transaction would
hide from them: the tests share a program of their own, committed and dropped at the end, and
each test rolls back what it does.
"""

import random
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.api.app import create_app
from recruitment.database import Database, connect
from recruitment.models import Flag, Recruitment
from recruitment.rendering import ContractRenderer
from recruitment.services import cases, reverification
from recruitment.settings import Settings
from tests.api.test_new_case_evaluation import (
    KINDS,
    declared_intermediaries,
    generated_body,
    post_case,
)
from tests.conftest import TODAY
from tests.databases import migrated_database
from tests.factories import Factory

CASES = 40
# Next season's spring: deadlines of this season's cases have passed by then.
LATER = date(2027, 4, 1)


@pytest.fixture(scope="module")
async def program(database_server_url: str) -> AsyncIterator[Database]:
    """A committed program of generated cases: hires and recruitments of one grower, with chains
    of intermediaries, over last season, this one and the next."""
    settings = Settings(database_url=None)
    async with migrated_database(database_server_url, "recruitment_reverify") as url:
        database = connect(settings, url)
        async with database.sessions() as session:
            factory = Factory(session)
            grower, credentials = await factory.grower_with_key()
            job_order = await factory.job_order(grower.id)
            office = await factory.intermediary()
        renderer = ContractRenderer(max_workers=1)
        app = create_app(settings, database, renderer)
        chance = random.Random(20261207)
        with clock.as_of(TODAY):
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://test"
            ) as client:
                intermediaries = await declared_intermediaries(client, credentials, KINDS)
                for number in range(CASES):
                    body = generated_body(chance, job_order.id, office.id, intermediaries, [])
                    await post_case(client, credentials, body, as_hire=number % 3 != 0)
        try:
            yield database
        finally:
            renderer.close()
            await database.dispose()


async def flags_after(
    database: Database, reevaluate: Any, write_first: bool = False
) -> "Evaluation":
    """What a re-evaluation opens, changes and leaves, in a transaction rolled back after."""
    async with database.sessions() as session, session.begin():
        if write_first:
            await share_a_passport(session)
        summary = await reevaluate(session)
        flags = await session.exec(
            select(Flag.recruitment_id, Flag.code, Flag.subject, Flag.status, Flag.fingerprint)
        )
        found = set(flags)
        await session.rollback()
    return summary, found


Evaluation = tuple[cases.EvaluationSummary, set[tuple[UUID, str, str, str, str]]]


def assert_same_evaluation(expected: Evaluation, actual: Evaluation) -> None:
    """Every case evaluated, the same flags opened, changed and left, the same ones stored."""
    (want, want_flags), (got, got_flags) = expected, actual
    assert got.cases == want.cases == CASES
    counts = ("opened", "updated", "reopened", "resolved")
    assert [getattr(got, n) for n in counts] == [getattr(want, n) for n in counts]
    assert dict(got.by_code) == dict(want.by_code)
    assert got_flags == want_flags


async def share_a_passport(session: AsyncSession) -> None:
    """Two workers given one passport number (of two countries), not committed."""
    two = list(await session.exec(select(Recruitment.worker_id).limit(2)))
    for worker_id, country in zip(two, ("MX", "GT"), strict=True):
        await session.exec(  # type: ignore[call-overload]
            text(
                "UPDATE workers SET passport_country = :country, passport_number = 'G7654321'"
                " WHERE id = :id"
            ),
            params={"id": worker_id, "country": country},
        )


async def test_workers_on_the_callers_snapshot_give_the_flags_of_one_process(
    program: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, flags_alone = await flags_after(
        program, lambda session: cases.reevaluate(session, as_of=LATER)
    )
    # Each worker's batch is every case in a range of ids: many ranges, each case in one.
    monkeypatch.setattr(reverification, "WORKER_BATCH_SIZE", 4)
    shared, flags_shared = await flags_after(
        program,
        lambda session: reverification.reevaluate_program(
            session, as_of=LATER, workers=2, parallel_from=0
        ),
    )
    # Two workers, and the caller, which plans the first batch while they start.
    assert (alone.processes, shared.processes) == (1, 3)
    # Time has passed: the later date opens and resolves flags, the same ones either way.
    assert alone.opened > 0
    assert_same_evaluation((alone, flags_alone), (shared, flags_shared))


async def test_a_caller_that_has_written_is_evaluated_where_its_writes_are_visible(
    program: Database,
) -> None:
    summary, flags = await flags_after(
        program,
        lambda session: reverification.reevaluate_program(
            session, as_of=LATER, workers=2, parallel_from=0
        ),
        write_first=True,
    )
    assert summary.processes == 1
    sharing = {
        recruitment_id
        for recruitment_id, code, _, status, _ in flags
        if code == "DUPLICATE_IDENTITY" and status == "open"
    }
    assert len(sharing) == 2


async def test_a_small_program_is_evaluated_in_the_callers_process(program: Database) -> None:
    summary, _ = await flags_after(
        program,
        lambda session: reverification.reevaluate_program(session, as_of=LATER, workers=2),
    )
    assert (summary.processes, summary.cases) == (1, CASES)


async def _reevaluate_each_case_by_id(session: AsyncSession) -> cases.EvaluationSummary:
    ids = list(await session.exec(select(Recruitment.id)))
    return await cases.reevaluate(session, ids, as_of=LATER)


@pytest.mark.parametrize(
    "reevaluate",
    [lambda session: cases.reevaluate(session, as_of=LATER), _reevaluate_each_case_by_id],
    ids=["every case", "cases by id"],
)
async def test_batches_judged_while_the_last_one_is_written_give_the_flags_of_one_batch(
    program: Database, reevaluate: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, flags_whole = await flags_after(program, reevaluate)
    monkeypatch.setattr(cases, "BATCH_SIZE", 3)
    batched, flags_batched = await flags_after(program, reevaluate)
    assert whole.opened > 0
    assert whole.resolved > 0
    assert_same_evaluation((whole, flags_whole), (batched, flags_batched))


async def test_a_large_change_takes_the_statistics_of_the_columns_flags_are_queried_by(
    program: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cases, "RESTATE_FLAGS_FROM", 1)
    async with program.sessions() as session, session.begin():
        summary = await cases.reevaluate(session, as_of=LATER)
        # ANALYZE writes the statistics in the transaction: they go with its rollback.
        analyzed = set(
            await session.exec(  # type: ignore[call-overload]
                text("SELECT attname FROM pg_stats WHERE tablename = 'flags'")
            )
        )
        await session.rollback()
    assert summary.opened > 0
    assert {(name,) for name in ("recruitment_id", "grower_id", "code", "status")} <= analyzed
