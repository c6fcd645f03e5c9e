"""Faults need what the shared rolled-back transaction hides: commits, several connections, other
processes. These tests use a migrated database of their own and the real app in front of it.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import text

from recruitment.api.app import create_app
from recruitment.database import Database, connect
from recruitment.migrations import upgrade_to_head
from recruitment.rendering import ContractRenderer
from recruitment.schemas.job_orders import JobOrderRead
from recruitment.settings import Settings
from tests.databases import throwaway_database
from tests.factories import Factory

# How long a test waits for the state it is steering towards before it gives up: far longer than
# any of them needs, so only a hang trips it.
PATIENCE_SECONDS = 60


async def eventually(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait until `condition()` holds; fail, naming `what`, if it never does."""
    try:
        async with asyncio.timeout(PATIENCE_SECONDS):
            # The state is in the database or another process: nothing to await but a poll.
            while not await condition():  # noqa: ASYNC110
                await asyncio.sleep(0.02)
    except TimeoutError:
        pytest.fail(f"gave up waiting until {what}")


async def backends(database: Database, condition: str, **parameters: Any) -> list[int]:
    """The pids of the other sessions on this database that match `condition` (SQL on
    pg_stat_activity), as of now: each call reads in a new transaction, which sees afresh."""
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                f"AND pid <> pg_backend_pid() AND ({condition})"
            ),
            parameters,
        )
        return [row.pid for row in rows]


async def migrate(url: str) -> None:
    # Alembic's env runs its own event loop: keep it off this one.
    await asyncio.to_thread(upgrade_to_head, Settings().migrations_dir, url)


@dataclass
class Service:
    """The app on a database of its own, and a grower with a job order and an SNE office."""

    database: Database
    client: httpx.AsyncClient
    factory: Factory
    headers: dict[str, str]
    grower_id: UUID
    job_order: JobOrderRead
    sne_office_id: UUID


@asynccontextmanager
async def service_on(
    settings: Settings, database: Database, renderer: ContractRenderer
) -> AsyncIterator[Service]:
    transport = httpx.ASGITransport(app=create_app(settings, database, renderer))
    async with (
        database.sessions() as session,
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        factory = Factory(session)
        grower, credentials = await factory.grower_with_key()
        job_order = await factory.job_order(grower.id)
        office = await factory.intermediary()
        yield Service(
            database,
            client,
            factory,
            credentials.headers,
            grower.id,
            job_order,
            office.id,
        )


@pytest.fixture
async def committed_url(database_server_url: str) -> AsyncIterator[str]:
    """A migrated database of the test's own on the suite's server, dropped at the end."""
    async with throwaway_database(database_server_url, "recruitment_faults") as url:
        await migrate(url)
        yield url


@pytest.fixture
async def service(
    settings: Settings, committed_url: str, renderer: ContractRenderer
) -> AsyncIterator[Service]:
    database = connect(settings, committed_url)
    async with service_on(settings, database, renderer) as running:
        yield running
    await database.dispose()
