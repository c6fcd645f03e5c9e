"""Roster import speed against a bare asyncpg COPY of the same rows, and its memory.

    python -m benchmarks.roster_import [--rows 100000] [--database-url URL]

Writes a synthetic roster (valid CURPs, SNE channel, a cost on every fifth row, a hire on
each), imports it through the service exactly as `recruitment import roster` does (every row
checked, bulk writes, flags evaluated), then COPYs the same rows, as text, into a bare table.
Prints both rates, their ratio, and the peak memory of the importing process: the import runs in
a process of its own, so that what the benchmark built before it (the roster, earlier measures)
is not counted as the import's.
"""

import argparse
import asyncio
import csv
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import asyncpg
from sqlalchemy import text
from stdnum.mx import curp

from benchmarks.figures import (
    Row,
    Stopwatch,
    Timing,
    cpu_seconds_of,
    in_a_process_of_its_own,
    peak_rss_mib,
    profiled,
)
from benchmarks.scratch import add_database_argument, database_server, scratch_database
from recruitment.database import connect
from recruitment.domain.terms import JobOrderTerms
from recruitment.heap import settle_heap
from recruitment.imports.roster import ALL_COLUMNS
from recruitment.schemas.growers import GrowerCreate
from recruitment.schemas.intermediaries import IntermediaryCreate
from recruitment.schemas.job_orders import JobOrderCreate
from recruitment.services import growers, intermediaries, job_orders, rosters
from recruitment.services.caller import COMMAND_LINE
from recruitment.settings import Settings
from tests.databases import plain_dsn

LETTERS = "BCDFGHJKLMNPRSTVXZ"
# The target: 5,000 rows a second. PostgreSQL's own work on this schema (foreign keys, indexes,
# flags) is about 200 us a row, so the bare COPY into text columns is a baseline, not a goal.
TARGET_ROWS_PER_SECOND = 5_000
TARGET_PEAK_MIB = 200
BASELINE = "a bare asyncpg COPY of the same rows into a table of text columns"


def synthetic_curp(serial: int) -> tuple[str, date]:
    """A valid, unique CURP for each serial number, and the birth date it encodes."""
    born = date(1970, 1, 1) + timedelta(days=serial % 9000)
    spread = serial // 9000
    letters = "".join(LETTERS[(spread // len(LETTERS) ** i) % len(LETTERS)] for i in range(4))
    body = f"{letters[0]}A{letters[1:3]}{born:%y%m%d}HDF{letters[3]}RN0"
    return body + curp.calc_check_digit(body), born


def roster_rows(count: int) -> Iterator[dict[str, str]]:
    for serial in range(count):
        document, born = synthetic_curp(serial)
        row = {
            "worker_given_names": "Juan",
            "worker_family_names": f"Pérez {serial}",
            "date_of_birth": born.isoformat(),
            "nationality": "MX",
            "curp": document,
            "preferred_language": "es",
            "job_order": "FL-10001",
            "channel": "sne",
            "sne_folio": f"TLX-{serial:07d}",
            "sne_office": "SNE Tlaxcala",
            "recruited_on": "2025-01-10",
            "visa_applied_on": "2025-01-30",
            "arrived_on": "2025-02-28",
            "start_date": "2025-03-03",
        }
        if serial % 5 == 0:
            row |= {
                "cost_category": "administrative",
                "cost_purpose": "visa",
                "cost_amount": "185.00",
                "cost_currency": "USD",
                "cost_paid_on": "2025-01-30",
                "cost_reported_by": "receipt",
            }
        yield row


def write_roster(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(ALL_COLUMNS))
        writer.writeheader()
        writer.writerows(roster_rows(count))


async def seed(url: str) -> UUID:
    settings = Settings(database_url=None)
    database = connect(settings, url)
    async with database.sessions() as session, session.begin():
        grower = await growers.create_grower(
            session,
            COMMAND_LINE,
            GrowerCreate(
                legal_name="Bench Farms LLC",
                fein="59-1000001",
                street="1 Farm Road",
                city="Immokalee",
                state="FL",
                postal_code="34142",
            ),
        )
        await job_orders.create_job_order(
            session,
            COMMAND_LINE,
            JobOrderCreate(
                grower_id=grower.id,
                terms=JobOrderTerms.model_validate(
                    {
                        "job_order_number": "FL-10001",
                        "job_title": "Farmworker",
                        "worksites": [
                            {"address": "1 Field Rd", "city": "Immokalee", "state": "FL"}
                        ],
                        "period_start": "2025-03-03",
                        "period_end": "2025-11-28",
                        "hours_per_week": 40,
                        "wage_offer": {"amount": 1700, "currency": "USD"},
                        "wage_unit": "hour",
                    }
                ),
            ),
        )
        await intermediaries.declare(
            session,
            COMMAND_LINE,
            IntermediaryCreate(kind="sne_office", name="SNE Tlaxcala", country="MX"),
        )
    await database.dispose()
    return grower.id


async def time_import(url: str, roster: Path) -> tuple[Timing, rosters.RosterReport, float | None]:
    """The import's timing, its report, and the CPU seconds its PostgreSQL backend spent on it
    (None when the server's processes can't be read)."""
    grower_id = await seed(url)
    database = connect(Settings(database_url=None), url)

    def lines() -> Iterator[str]:
        with roster.open(encoding="utf-8", newline="") as text:
            yield from text

    # As the command line does (recruitment.cli.main).
    settle_heap(serving=False)
    async with database.sessions() as session:
        connection = await session.connection()
        backend = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        await session.commit()
        backend_cpu = cpu_seconds_of(backend)
        stopwatch = Stopwatch()
        async with session.begin():
            report = await rosters.import_roster(
                session,
                COMMAND_LINE,
                grower_id,
                lines,
                dry_run=False,
            )
        elapsed = stopwatch.read()
        backend_after = cpu_seconds_of(backend)
    await database.dispose()
    if report.problems:
        raise SystemExit(f"the synthetic roster has problems: {report.problems[:3]}")
    database_cpu = (
        None if backend_cpu is None or backend_after is None else backend_after - backend_cpu
    )
    return elapsed, report, database_cpu


@dataclass(frozen=True)
class Imported:
    timing: Timing
    report: rosters.RosterReport
    database_cpu_seconds: float | None
    peak_rss_mib: float


def import_alone(url: str, roster: Path) -> Imported:
    """Import the roster in this process, a child of the benchmark's started for it: its peak
    memory is the import's."""
    with profiled("roster"):
        timing, report, database_cpu = asyncio.run(time_import(url, roster))
    return Imported(timing, report, database_cpu, peak_rss_mib())


async def time_bare_copy(url: str, roster: Path) -> float:
    connection = await asyncpg.connect(plain_dsn(url))
    columns = ", ".join(f"{name} text" for name in ALL_COLUMNS)
    await connection.execute(f"CREATE TABLE bare_roster ({columns})")
    started = time.perf_counter()
    with roster.open(encoding="utf-8", newline="") as text:
        reader = csv.reader(text)
        next(reader)
        await connection.copy_records_to_table(
            "bare_roster", records=(tuple(row) for row in reader), columns=list(ALL_COLUMNS)
        )
    elapsed = time.perf_counter() - started
    await connection.close()
    return elapsed


@dataclass(frozen=True)
class RosterImport:
    rows: int
    size_mib: float
    imported: Timing
    copy_seconds: float
    report: rosters.RosterReport
    # PostgreSQL's own work for the import, which runs on one connection in one transaction:
    # no Python work done faster or alongside can make the import quicker than this.
    database_cpu_seconds: float | None
    peak_rss_mib: float

    @property
    def import_seconds(self) -> float:
        return self.imported.seconds

    @property
    def waiting_percent(self) -> float:
        """The share of the import's wall time this process did not spend on the CPU: mostly
        waiting on PostgreSQL, the ceiling that Python work can't lift."""
        return 100 * (1 - self.imported.cpu_seconds / self.imported.seconds)

    def table_rows(self) -> list[Row]:
        ours, bare = self.rows / self.import_seconds, self.rows / self.copy_seconds
        return [
            Row(
                f"roster import, {self.rows:,} rows: rows/s",
                ours,
                baseline=bare,
                target=f"≥ {TARGET_ROWS_PER_SECOND:,}",
                met=ours >= TARGET_ROWS_PER_SECOND,
            ),
            Row("roster import: wall time outside this process's CPU, %", self.waiting_percent),
            *(
                []
                if self.database_cpu_seconds is None
                else [
                    Row(
                        "roster import: CPU of its PostgreSQL backend, s",
                        self.database_cpu_seconds,
                        2,
                    ),
                    Row(
                        "roster import: ceiling of that work alone, rows/s",
                        self.rows / self.database_cpu_seconds,
                    ),
                ]
            ),
            Row(
                "roster import: peak memory of the importing process, MiB",
                self.peak_rss_mib,
                target=f"≤ {TARGET_PEAK_MIB}",
                met=self.peak_rss_mib <= TARGET_PEAK_MIB,
            ),
        ]


async def measure(server_url: str, rows: int) -> RosterImport:
    """Import a synthetic roster of `rows` rows into a scratch database on the server, then COPY
    the same rows into a bare table of the same database."""
    with tempfile.TemporaryDirectory() as directory:
        roster = Path(directory) / "roster.csv"
        write_roster(roster, rows)
        size_mib = roster.stat().st_size / 2**20
        async with scratch_database(server_url) as url:
            imported = await in_a_process_of_its_own(import_alone, url, roster)
            copied = await time_bare_copy(url, roster)
    return RosterImport(
        rows,
        size_mib,
        imported.timing,
        copied,
        imported.report,
        imported.database_cpu_seconds,
        imported.peak_rss_mib,
    )


def print_report(figures: RosterImport) -> None:
    rows, report = figures.rows, figures.report
    print(f"roster: {rows} rows, {figures.size_mib:.1f} MiB")
    print(f"{'':<22}{'seconds':>10}{'rows/s':>12}")
    for name, seconds in (
        ("service import", figures.import_seconds),
        ("bare asyncpg COPY", figures.copy_seconds),
    ):
        print(f"{name:<22}{seconds:>10.2f}{rows / seconds:>12,.0f}")
    print(f"target: {TARGET_ROWS_PER_SECOND:,} rows/s")
    print(
        f"created: {report.recruitments_created} recruitments, {report.hires_created} hires, "
        f"{report.costs_created} costs; {report.flags_opened} flags opened"
    )
    print(f"peak RSS of the importing process: {figures.peak_rss_mib:.0f} MiB")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rows", type=int, default=100_000, help="roster rows imported (%(default)s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    add_database_argument(parser)
    arguments = parser.parse_args()
    with database_server(arguments.database_url) as server:
        print_report(asyncio.run(measure(server, arguments.rows)))


if __name__ == "__main__":
    main()
