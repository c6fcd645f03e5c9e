"""Alembic environment: runs migrations over the service's async engine.

The URL comes from `config.attributes["url"]` when the service (or a test) calls Alembic, else from
the settings. Autogenerate compares against the SQLModel metadata; the migration files themselves
import neither the app nor sqlmodel.
"""

import asyncio
from typing import Any

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel.sql.sqltypes import AutoString

from recruitment.database import database_url
from recruitment.migrations import include_object
from recruitment.models import metadata
from recruitment.settings import Settings

config = context.config


def render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | bool:
    # Autogenerate would write sqlmodel's AutoString without importing sqlmodel.
    if kind == "type" and isinstance(item, AutoString):
        return f"sa.String(length={item.length})" if item.length else "sa.String()"
    return False


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_item=render_item,
        include_object=include_object,
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    url = config.attributes.get("url") or database_url(Settings())
    engine = create_async_engine(url, poolclass=sa.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(run_migrations)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    asyncio.run(run_async_migrations())
