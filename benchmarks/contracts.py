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
from typing import Any

import httpx
from sqlmodel import select

from benchmarks.scratch import scratch_database
from recruitment.api.app import create_app
from recruitment.database import connect
from recruitment.models import Contract
from recruitment.rendering import ContractDocument, ContractRenderer
from recruitment.settings import Settings
from tests.factories import Factory


async def issued_contract(url: str, renderer: ContractRenderer) -> tuple[Any, dict[str, Any], str]:
    settings = Settings(database_url=None)
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


async def main(renders: int, serves: int, database_url: str | None) -> None:
    async with scratch_database(database_url) as url:
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
    print(f"contract: {len(stored.pdf) / 1024:.0f} KiB PDF, language {stored.language}")
    print(f"renders per second, 1 process (per core): {one:.2f}")
    print(f"renders per second, 2 processes:          {two:.2f}")
    for name, times in (("issued PDF", pdf), ("worker page", page)):
        ordered = sorted(times)
        p99 = ordered[int(len(ordered) * 0.99) - 1]
        print(f"serve {name:<12} median {statistics.median(times):6.2f} ms, p99 {p99:6.2f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--serves", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.renders, arguments.serves, arguments.database_url))
