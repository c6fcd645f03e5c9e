"""Roster import speed against a bare asyncpg COPY of the same rows, and its memory.

    python -m benchmarks.roster_import [--rows 100000] [--database-url URL]

Writes a synthetic roster (valid CURPs, SNE channel, a cost on every fifth row, a hire on
each), imports it through the service exactly as `recruitment import roster` does (both
passes, bulk writes, flags evaluated), then COPYs the same rows, as text, into a bare table.
Prints both rates, their ratio, and the process's peak memory.
"""

import argparse
import asyncio
import csv
import resource
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url
from stdnum.mx import curp

from benchmarks.scratch import scratch_database
from recruitment.database import connect
from recruitment.domain.terms import JobOrderTerms
from recruitment.imports.roster import ALL_COLUMNS
from recruitment.schemas.growers import GrowerCreate
from recruitment.schemas.intermediaries import IntermediaryCreate
from recruitment.schemas.job_orders import JobOrderCreate
from recruitment.services import growers, intermediaries, job_orders, rosters
from recruitment.services.caller import COMMAND_LINE
from recruitment.settings import Settings

LETTERS = "BCDFGHJKLMNPRSTVXZ"


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


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


async def time_import(url: str, roster: Path) -> tuple[float, rosters.RosterReport]:
    grower_id = await seed(url)
    database = connect(Settings(database_url=None), url)

    def lines() -> Iterator[str]:
        with roster.open(encoding="utf-8", newline="") as text:
            yield from text

    started = time.perf_counter()
    async with database.sessions() as session, session.begin():
        report = await rosters.import_roster(
            session,
            COMMAND_LINE,
            grower_id,
            lines,
            dry_run=False,
        )
    elapsed = time.perf_counter() - started
    await database.dispose()
    if report.problems:
        raise SystemExit(f"the synthetic roster has problems: {report.problems[:3]}")
    return elapsed, report


async def time_bare_copy(url: str, roster: Path) -> float:
    connection = await asyncpg.connect(
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
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


async def main(rows: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as directory:
        roster = Path(directory) / "roster.csv"
        write_roster(roster, rows)
        size_mib = roster.stat().st_size / 2**20
        async with scratch_database(database_url) as url:
            imported, report = await time_import(url, roster)
            copied = await time_bare_copy(url, roster)
    print(f"roster: {rows} rows, {size_mib:.1f} MiB")
    print(f"{'':<22}{'seconds':>10}{'rows/s':>12}")
    print(f"{'import (both passes)':<22}{imported:>10.1f}{rows / imported:>12,.0f}")
    print(f"{'bare asyncpg COPY':<22}{copied:>10.2f}{rows / copied:>12,.0f}")
    print(f"import / COPY rate: {copied / imported:.3f} (target: 0.25)")
    print(
        f"created: {report.recruitments_created} recruitments, {report.hires_created} hires, "
        f"{report.costs_created} costs; {report.flags_opened} flags opened"
    )
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rows, arguments.database_url))
