"""Apply and inspect the Alembic migrations from Python: the CLI, the service's start, tests."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection


def alembic_config(migrations_dir: Path, url: str | None = None) -> Config:
    # Built here rather than read from alembic.ini, which only a clone has (it serves the
    # `alembic` command that developers write new migrations with).
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.attributes["url"] = url
    return config


# The job queue's own tables (procrastinate): created by migration 0007 from its schema script,
# and not described by the models.
QUEUE_TABLE_PREFIX = "procrastinate_"


def include_object(
    item: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    """What model/migration comparisons look at: everything but the job queue's tables."""
    return not (kind == "table" and name is not None and name.startswith(QUEUE_TABLE_PREFIX))


def upgrade_to_head(migrations_dir: Path, url: str) -> None:
    command.upgrade(alembic_config(migrations_dir, url), "head")


def upgrade_connection(migrations_dir: Path, connection: Connection) -> None:
    """Upgrade over a synchronous connection (inside `AsyncConnection.run_sync`)."""
    config = alembic_config(migrations_dir)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head_revision(migrations_dir: Path) -> str | None:
    return ScriptDirectory.from_config(alembic_config(migrations_dir)).get_current_head()
