"""A roster import killed while it writes (SIGKILL: no handler runs, nothing is cleaned up) leaves
nothing of itself behind: it writes in one transaction, and only a finished import commits it."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, func, select

from benchmarks.roster_import import write_roster
from recruitment.database import Database
from recruitment.models import AuditEvent, ChainLink, Cost, Flag, Hire, Recruitment, Worker
from tests.faults.conftest import Service, backends, eventually

# Enough rows that opening their flags, when the import is killed, lasts a second or more.
ROWS = 5000
# The command as people run it: the console script installed beside this interpreter.
COMMAND = Path(sys.executable).with_name("recruitment")
# What an import writes: none of it may be there after the kill.
IMPORTED: tuple[type[SQLModel], ...] = (
    Worker,
    Recruitment,
    ChainLink,
    Cost,
    Hire,
    Flag,
    AuditEvent,
)


async def census(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        return {
            model.__name__: (await session.exec(select(func.count()).select_from(model))).one()
            for model in IMPORTED
        }


async def flags_on_disk(database: Database) -> bool:
    """Whether the flags table has rows on disk: rows not committed yet count too."""
    async with database.engine.connect() as connection:
        size = await connection.execute(text("SELECT pg_relation_size('flags')"))
        return bool(size.scalar_one())


async def test_a_roster_import_killed_while_it_writes_leaves_nothing_of_it(
    service: Service, committed_url: str, tmp_path: Path
) -> None:
    await service.factory.intermediary(name="SNE Tlaxcala")  # the office the roster names
    roster = tmp_path / "roster.csv"
    write_roster(roster, ROWS)
    before = await census(service.database)
    environment = {
        **{name: value for name, value in os.environ.items() if name != "DATABASE_URL"},
        "RECRUITMENT_DATABASE_URL": committed_url,
    }
    process = await asyncio.create_subprocess_exec(
        COMMAND,
        "import",
        "roster",
        str(roster),
        "--grower",
        str(service.grower_id),
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )

    async def opening_flags() -> bool:
        # An import opens the flags of its cases last, once every record is written: killed
        # then, it has the most to lose, and any commit of part of it before would show.
        if process.returncode is not None:
            assert process.stderr is not None
            output = (await process.stderr.read()).decode()
            pytest.fail(f"the import ended before it was killed ({process.returncode}): {output}")
        return await flags_on_disk(service.database)

    try:
        await eventually(opening_flags, "the import opens flags")
        importer = await backends(service.database, "backend_xid IS NOT NULL")
    finally:
        process.kill()
        await process.wait()
    assert process.returncode == -signal.SIGKILL
    assert importer, "no session was writing"

    async def importer_gone() -> bool:
        return not await backends(service.database, "pid = ANY(:pids)", pids=importer)

    # Its transaction ends when the server sees the connection drop: count after that.
    await eventually(importer_gone, "the killed import's session ends")
    assert await census(service.database) == before
