"""Workers' reports from the contract page's form under load, with the public rate limit in force.

    python -m benchmarks.complaint_intake [--complaints 500] [--intake-concurrency 16]
                                          [--database-url URL]

Serves the real application (`recruitment.asgi:app`) with uvicorn in a child process, issues one
worker's contract, then posts `--complaints` reports to `/c/{token}/complaint` from
`--intake-concurrency` tasks, all from one client address, as a crowd behind one network would.
The public pages' limit (RECRUITMENT_PUBLIC_PAGE_REQUESTS_PER_MINUTE, 300 by default) stays as
configured: past it, the service answers 429 with its waiting page, and those answers are counted
apart. Prints reports taken per second, the p50 and p99 latency of the taken ones, the refusals and
the errors (any other answer).
"""

import argparse
import asyncio
import time
from dataclasses import dataclass

import httpx

from benchmarks.figures import Row, Stopwatch, format_table, percentile
from benchmarks.hires import SERVICE_APP, served
from benchmarks.scratch import add_database_argument, database_server, scratch_database
from recruitment.database import connect
from recruitment.settings import Settings
from tests.factories import Factory

REPORT = {
    "concern": "paid_for_job",
    "details": "Un reclutador me cobró 3,000 pesos por el puesto y la visa.",
    "callback": "+52 55 1234 5678",
}


@dataclass(frozen=True)
class Intake:
    complaints: int
    concurrency: int
    seconds: float
    taken_latencies_ms: list[float]
    refused: int
    errors: int

    @property
    def taken_per_second(self) -> float:
        return len(self.taken_latencies_ms) / self.seconds

    def table_rows(self) -> list[Row]:
        taken = self.taken_latencies_ms or [0.0]
        return [
            Row(
                f"POST /c/{{token}}/complaint, {self.complaints:,} by {self.concurrency} tasks: "
                "reports taken/s",
                self.taken_per_second,
                1,
            ),
            Row("complaint form: p50 latency of a taken report, ms", percentile(taken, 0.5), 1),
            Row("complaint form: p99 latency of a taken report, ms", percentile(taken, 0.99), 1),
            Row("complaint form: refused by the rate limit (429)", self.refused),
            Row("complaint form: errors", self.errors, target="0", met=self.errors == 0),
        ]


async def seed(url: str) -> tuple[str, dict[str, str]]:
    """A grower's key and a hired worker, whose contract the served app then issues."""
    database = connect(Settings(database_url=None), url)
    async with database.sessions() as session:
        factory = Factory(session)
        grower, credentials = await factory.grower_with_key()
        hire = await factory.hire(await factory.job_order(grower.id))
    await database.dispose()
    return str(hire.worker_id), credentials.headers


async def post_reports(base_url: str, token: str, complaints: int, concurrency: int) -> Intake:
    remaining = iter(range(complaints))
    latencies: list[float] = []
    refused = errors = 0
    async with httpx.AsyncClient(
        base_url=base_url,
        limits=httpx.Limits(max_connections=concurrency),
        timeout=httpx.Timeout(60.0),
    ) as client:

        async def poster() -> None:
            nonlocal refused, errors
            for _ in remaining:
                started = time.perf_counter()
                try:
                    answer = await client.post(f"/c/{token}/complaint", data=REPORT)
                    status = answer.status_code
                except httpx.HTTPError:
                    status = 0
                if status == 201:
                    latencies.append((time.perf_counter() - started) * 1000)
                elif status == 429:
                    refused += 1
                else:
                    errors += 1

        stopwatch = Stopwatch()
        await asyncio.gather(*(poster() for _ in range(concurrency)))
        seconds = stopwatch.read().seconds
    return Intake(complaints, concurrency, seconds, latencies, refused, errors)


async def measure(server_url: str, complaints: int, concurrency: int = 16) -> Intake:
    async with scratch_database(server_url) as url:
        worker_id, headers = await seed(url)
        async with served(SERVICE_APP, url, 1, factory=False) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
                issued = await client.post(
                    f"/workers/{worker_id}/contracts", json={"language": "es"}, headers=headers
                )
                issued.raise_for_status()
            token = issued.json()["worker_link"].rsplit("/c/", 1)[1]
            return await post_reports(base_url, token, complaints, concurrency)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--complaints", type=int, default=500, help="reports posted to the form (%(default)s)"
    )
    parser.add_argument(
        "--intake-concurrency", type=int, default=16, help="client tasks (%(default)s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    add_database_argument(parser)
    arguments = parser.parse_args()
    with database_server(arguments.database_url) as server:
        intake = asyncio.run(measure(server, arguments.complaints, arguments.intake_concurrency))
    print(format_table(intake.table_rows()))


if __name__ == "__main__":
    main()
