"""Throwaway databases on the test server: each starts empty and is dropped afterwards."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url

from recruitment.migrations import upgrade_to_head
from recruitment.settings import Settings


def plain_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def throwaway_database(server_url: str, prefix: str) -> AsyncIterator[str]:
    """Yield the asyncpg URL of a new, empty database on the server of `server_url`."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(plain_dsn(server_url))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def migrated_database(server_url: str, prefix: str) -> AsyncIterator[str]:
    """A throwaway database (see above), migrated from empty to head."""
    async with throwaway_database(server_url, prefix) as url:
        # Alembic's env runs its own event loop: keep it off this one.
        await asyncio.to_thread(upgrade_to_head, Settings().migrations_dir, url)
        yield url
