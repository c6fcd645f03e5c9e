"""The schema comes from the migrations alone, and they agree with the models."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from recruitment.migrations import (
    alembic_config,
    current_revision,
    head_revision,
    include_object,
)
from recruitment.models import metadata
from recruitment.settings import Settings


async def test_an_empty_database_upgrades_to_head(engine: AsyncEngine) -> None:
    # The session's database was created empty and upgraded by the migrations (conftest).
    async with engine.connect() as connection:
        revision = await connection.run_sync(current_revision)
    assert revision == head_revision(Settings().migrations_dir)


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    def differences(sync_connection: object) -> list[object]:
        context = MigrationContext.configure(
            sync_connection,  # type: ignore[arg-type]
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_object": include_object,
            },
        )
        return list(compare_metadata(context, metadata))

    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET action = 'rewritten'", "DELETE FROM audit_events"]
)
async def test_the_audit_trail_refuses_changes(engine: AsyncEngine, statement: str) -> None:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        await connection.execute(
            text(
                "INSERT INTO audit_events (id, created_at, actor, actor_role, action, subject_type,"
                " subject_id) VALUES (gen_random_uuid(), now(), 'cli', 'admin', 'test', 'test',"
                " gen_random_uuid())"
            )
        )
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(text(statement))
        await transaction.rollback()


async def test_the_newest_migration_downgrades_and_upgrades_again(engine: AsyncEngine) -> None:
    """0018 (hires, costs and reimbursements held to their case by one key, no second index of a
    worker's cases) goes down to 0017 and back up, inside a transaction rolled back."""
    tables = ("hires", "costs", "reimbursements")

    def case_keys(connection: Connection) -> list[list[str]]:
        keys = inspect(connection)
        return [
            next(
                key["constrained_columns"]
                for key in keys.get_foreign_keys(table)
                if key["referred_table"] == "recruitments"
            )
            for table in tables
        ]

    def worker_index(connection: Connection) -> bool:
        indexes = inspect(connection).get_indexes("recruitments")
        return any(index["column_names"] == ["worker_id"] for index in indexes)

    def down_and_up(connection: Connection) -> list[tuple[str | None, list[list[str]], bool]]:
        config = alembic_config(Settings().migrations_dir)
        config.attributes["connection"] = connection
        states = []
        for target in ("0017", "head"):
            if target == "head":
                command.upgrade(config, target)
            else:
                command.downgrade(config, target)
            states.append(
                (current_revision(connection), case_keys(connection), worker_index(connection))
            )
        return states

    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            states = await connection.run_sync(down_and_up)
        finally:
            await transaction.rollback()
    assert states == [
        ("0017", [["recruitment_id"]] * len(tables), True),
        ("0018", [["recruitment_id", "grower_id", "worker_id"]] * len(tables), False),
    ]
