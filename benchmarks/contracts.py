"""Contract rendering rate, and the time to serve a contract already issued.

    python -m benchmarks.contracts [--renders 30] [--serves 200] [--database-url URL]

Issues one real contract through the API (a grower, a job order, a direct hire), then renders
its document again and again: in one process (the rate per core) and in a pool of two. Then
fetches the issued PDF and the worker's page repeatedly: serving never renders again.
"""

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlmodel import select

from benchmarks.figures import Row, percentile
from benchmarks.scratch import add_database_argument, database_server, scratch_database
from recruitment.api.app import create_app
from recruitment.database import connect
from recruitment.models import Contract
from recruitment.rendering import ContractDocument, ContractRenderer
from recruitment.settings import Settings
from tests.factories import Factory


async def issued_contract(url: str, renderer: ContractRenderer) -> tuple[Any, dict[str, Any], str]:
    settings = Settings(
        database_url=None,
        # The app configures logging: at INFO, httpx would log every request of the benchmark.
        log_level="WARNING",
        # One client fetches the worker's page `serves` times: the limit must not answer 429.
        public_page_requests_per_minute=1_000_000,
    )
    database = connect(settings, url)
    async with database.sessions() as session:
        factory = Factory(session)
        grower, credentials = await factory.grower_with_key()
        hire = await factory.hire(await factory.job_order(grower.id))
    app = create_app(settings, database, renderer)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    client = httpx.AsyncClient(transport=transport, base_url="http://bench")
    response = await client.post(
        f"/workers/{hire.worker_id}/contracts", json={}, headers=credentials.headers
    )
    response.raise_for_status()
    return client, response.json(), credentials.key


async def render_rate(document: ContractDocument, processes: int, renders: int) -> float:
    renderer = ContractRenderer(max_workers=processes)
    try:
        await asyncio.gather(*(renderer.render(document) for _ in range(processes)))  # warm up
        started = time.perf_counter()
        await asyncio.gather(*(renderer.render(document) for _ in range(renders)))
        return renders / (time.perf_counter() - started)
    finally:
        renderer.close()


async def serve_times(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], count: int
) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = await client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


@dataclass(frozen=True)
class ContractFigures:
    pdf_kib: float
    language: str
    # Renders per second.
    one_process_renders: float
    two_process_renders: float
    pdf_serve_ms: list[float]
    page_serve_ms: list[float]

    def table_rows(self) -> list[Row]:
        pdf, page = statistics.median(self.pdf_serve_ms), statistics.median(self.page_serve_ms)
        return [
            Row("contracts rendered per second, 1 process", self.one_process_renders, 2),
            Row("contracts rendered per second, 2 processes", self.two_process_renders, 2),
            Row("serve an issued contract's PDF: median ms", pdf, 2),
            Row("serve the worker's contract page: median ms", page, 2),
        ]


async def measure(server_url: str, renders: int, serves: int) -> ContractFigures:
    """Issue one contract in a scratch database on the server, render it again `renders` times
    per process, and serve it `serves` times."""
    async with scratch_database(server_url) as url:
        renderer = ContractRenderer(max_workers=1)
        client, contract, key = await issued_contract(url, renderer)
        database = connect(Settings(database_url=None), url)
        async with database.sessions() as session:
            stored = (await session.exec(select(Contract))).one()
        document = ContractDocument.model_validate(stored.document)
        one = await render_rate(document, 1, renders)
        two = await render_rate(document, 2, renders * 2)
        pdf = await serve_times(
            client, contract["pdf_url"], {"Authorization": f"Bearer {key}"}, serves
        )
        token = contract["worker_link"].rsplit("/c/", 1)[1]
        page = await serve_times(client, f"/c/{token}", {}, serves)
        await client.aclose()
        renderer.close()
        await database.dispose()
    return ContractFigures(len(stored.pdf) / 1024, stored.language, one, two, pdf, page)


def print_report(figures: ContractFigures) -> None:
    print(f"contract: {figures.pdf_kib:.0f} KiB PDF, language {figures.language}")
    print(f"renders per second, 1 process (per core): {figures.one_process_renders:.2f}")
    print(f"renders per second, 2 processes:          {figures.two_process_renders:.2f}")
    for name, times in (
        ("issued PDF", figures.pdf_serve_ms),
        ("worker page", figures.page_serve_ms),
    ):
        median, p99 = statistics.median(times), percentile(times, 0.99)
        print(f"serve {name:<12} median {median:6.2f} ms, p99 {p99:6.2f} ms")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--renders", type=int, default=30, help="contract renders per process (%(default)s)"
    )
    parser.add_argument(
        "--serves", type=int, default=200, help="times an issued contract is served (%(default)s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    add_database_argument(parser)
    arguments = parser.parse_args()
    with database_server(arguments.database_url) as server:
        print_report(asyncio.run(measure(server, arguments.renders, arguments.serves)))


if __name__ == "__main__":
    main()
