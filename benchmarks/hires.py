"""`POST /hires` under concurrent load, against a bare Litestar endpoint that inserts one row.

    python -m benchmarks.hires [--hires 2000] [--concurrency 32] [--server-workers 1]
                               [--database-url URL]

Serves the real application (`recruitment.asgi:app`, as `recruitment serve` does) and a bare
Litestar app (one POST handler, one INSERT through an asyncpg pool) in turn, each with uvicorn in
a child process with the same options, on the same scratch database. The same client drives both:
`--concurrency` tasks of one httpx.AsyncClient post a warm-up, then `--hires` direct hires, each
of a new worker (a valid CURP) on one grower's job order. Prints requests per second, the p50
and p99 latency and the errors of each, side by side. The client runs on the same machine.
"""

import argparse
import asyncio
import logging
import os
import socket
import statistics
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
from litestar import Litestar, post
from litestar.datastructures import State

from benchmarks.figures import (
    REPOSITORY_ROOT,
    Row,
    StatementCounter,
    Stopwatch,
    format_table,
    percentile,
    profile_directory,
    profiled,
    write_profile_summary,
)
from benchmarks.roster_import import synthetic_curp
from benchmarks.scratch import add_database_argument, database_server, scratch_database
from recruitment.api.app import create_app
from recruitment.database import connect, database_url
from recruitment.settings import Settings
from tests.databases import plain_dsn
from tests.factories import Factory, worker_identity

# The targets: at least 0.4 of the bare endpoint's rate, a p99 latency under 300 ms at 32
# clients, at most 12 statements per hire.
TARGET_RATIO = 0.4
TARGET_P99_MS = 300
TARGET_STATEMENTS = 12
# Hires sent in-process, through the ASGI interface, to count their statements.
COUNTED_HIRES = 50
BASELINE = "a bare Litestar endpoint inserting one row with asyncpg, served the same way"
SERVICE_APP = "recruitment.asgi:app"
BARE_APP_FACTORY = "benchmarks.hires:bare_app"
BARE_TABLE = "bare_hires"
# As wide as what a hire request carries.
BARE_COLUMNS = {
    "id": "uuid PRIMARY KEY",
    "job_order_id": "uuid NOT NULL",
    "given_names": "text NOT NULL",
    "family_names": "text NOT NULL",
    "date_of_birth": "date NOT NULL",
    "nationality": "text NOT NULL",
    "curp": "text UNIQUE",
    "preferred_language": "text NOT NULL",
    "phone": "text",
    "channel": "text NOT NULL",
    "sne_folio": "text",
    "sne_office_id": "uuid",
    "recruited_on": "date",
    "visa_applied_on": "date",
    "start_date": "date NOT NULL",
    "created_at": "timestamptz NOT NULL DEFAULT now()",
}
# SQLAlchemy's pool opens up to this many connections beyond its size under load (its default
# max_overflow): the bare pool may open as many as the service's.
SQLALCHEMY_MAX_OVERFLOW = 10
SERVER_START_SECONDS = 60.0


# --- The baseline --------------------------------------------------------------------------------


def bare_app() -> Litestar:
    """One POST handler that inserts the request's fields as one row, through an asyncpg pool to
    the database the service would use (DATABASE_URL)."""
    settings = Settings()
    inserted = [name for name, kind in BARE_COLUMNS.items() if "DEFAULT" not in kind]
    placeholders = ", ".join(f"${number}" for number in range(1, len(inserted) + 1))
    # Only this module's constants go into the statement.
    insert = f"INSERT INTO {BARE_TABLE} ({', '.join(inserted)}) VALUES ({placeholders})"  # noqa: S608

    @asynccontextmanager
    async def pool(app: Litestar) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(
            plain_dsn(database_url(settings)),
            max_size=settings.database_pool_size + SQLALCHEMY_MAX_OVERFLOW,
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    def day(value: str | None) -> date | None:
        return None if value is None else date.fromisoformat(value)

    @post("/hires")
    async def hire(data: dict[str, Any], state: State) -> dict[str, str]:
        worker, milestones = data["worker"], data.get("milestones", {})
        hire_id = uuid4()
        await state.pool.execute(
            insert,
            hire_id,
            UUID(data["job_order_id"]),
            worker["given_names"],
            worker["family_names"],
            date.fromisoformat(worker["date_of_birth"]),
            worker["nationality"],
            worker.get("curp"),
            worker["preferred_language"],
            worker.get("phone"),
            data["channel"],
            data.get("sne_folio"),
            UUID(data["sne_office_id"]) if data.get("sne_office_id") else None,
            day(milestones.get("recruited")),
            day(milestones.get("visa_applied")),
            date.fromisoformat(data["start_date"]),
        )
        return {"id": str(hire_id)}

    return Litestar([hire], lifespan=[pool])


# --- Serving -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def served(
    app: str, url: str, workers: int, *, factory: bool, profile_as: str | None = None
) -> AsyncIterator[str]:
    """Serve `app` with uvicorn in a child process on `url`'s database; yields its base URL.
    When profiles were asked for, a single-process server runs under cProfile as `profile_as`."""
    port = free_port()
    directory = profile_directory()
    profile = None
    if directory is not None and profile_as is not None and workers == 1:
        directory.mkdir(parents=True, exist_ok=True)
        profile = directory / f"{profile_as}.prof"
    command = [
        sys.executable,
        *(["-m", "benchmarks.profiled_server", str(profile)] if profile else ["-m", "uvicorn"]),
        *(app, "--host", "127.0.0.1", "--port", str(port)),
        *("--workers", str(workers), "--no-access-log", "--log-level", "warning"),
        *(["--factory"] if factory else []),
    ]
    environment = os.environ | {"DATABASE_URL": url, "RECRUITMENT_IN_PROCESS_WORKER": "false"}
    server = await asyncio.create_subprocess_exec(*command, env=environment, cwd=REPOSITORY_ROOT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_serving(base_url, server)
        yield base_url
    finally:
        if server.returncode is None:
            server.terminate()
            await server.wait()
        if profile is not None and profile.exists():
            write_profile_summary(profile, profile.with_suffix(".txt"))


async def wait_until_serving(base_url: str, server: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    async with httpx.AsyncClient(base_url=base_url) as client:
        while time.monotonic() < deadline:
            if server.returncode is not None:
                raise SystemExit(f"the server at {base_url} exited with {server.returncode}")
            try:
                await client.get("/")  # any answer, even a 404 or a 401, means it serves
                return
            except httpx.TransportError:
                await asyncio.sleep(0.2)
    raise SystemExit(f"the server at {base_url} did not answer in {SERVER_START_SECONDS:.0f} s")


# --- Load ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Throughput:
    requests: int
    seconds: float
    # The client's own CPU time: it shares the machine with the server it measures.
    client_cpu_seconds: float
    errors: int
    latencies_ms: list[float]

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def client_cpu_percent(self) -> float:
        """How much of one core the client took while it drove the server."""
        return 100 * self.client_cpu_seconds / self.seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies_ms, 0.99)


def hire_requests(job_order_id: UUID, office_id: UUID) -> Iterator[dict[str, Any]]:
    """Direct hires of new workers through the SNE, a different valid CURP on each."""
    serial = 0
    while True:
        document, _ = synthetic_curp(serial)
        yield {
            "job_order_id": str(job_order_id),
            "worker": worker_identity(curp=document, family_names=f"Gómez {serial}"),
            "channel": "sne",
            "sne_folio": f"TLX-{serial:07d}",
            "sne_office_id": str(office_id),
            "milestones": {"recruited": "2025-09-01", "visa_applied": "2025-09-20"},
            "start_date": "2025-11-01",
        }
        serial += 1


async def post_all(
    client: httpx.AsyncClient,
    bodies: Sequence[dict[str, Any]],
    concurrency: int,
    headers: dict[str, str],
) -> Throughput:
    """POST every body to /hires from `concurrency` tasks, each taking the next body when its
    previous request is answered."""
    pending = iter(bodies)
    latencies: list[float] = []
    errors = 0

    async def poster() -> None:
        nonlocal errors
        for body in pending:
            started = time.perf_counter()
            try:
                response = await client.post("/hires", json=body, headers=headers)
                failed = response.status_code != 201
            except httpx.HTTPError:
                failed = True
            latencies.append((time.perf_counter() - started) * 1000)
            errors += failed

    stopwatch = Stopwatch()
    await asyncio.gather(*(poster() for _ in range(concurrency)))
    timing = stopwatch.read()
    return Throughput(len(bodies), timing.seconds, timing.cpu_seconds, errors, latencies)


async def drive(
    base_url: str,
    bodies: Sequence[dict[str, Any]],
    warm_up: int,
    concurrency: int,
    headers: dict[str, str],
) -> Throughput:
    """The first `warm_up` bodies are posted unmeasured: connections open, caches fill."""
    async with httpx.AsyncClient(
        base_url=base_url,
        limits=httpx.Limits(max_connections=concurrency),
        timeout=httpx.Timeout(60.0),
    ) as client:
        await post_all(client, bodies[:warm_up], concurrency, headers)
        return await post_all(client, bodies[warm_up:], concurrency, headers)


# --- The benchmark -------------------------------------------------------------------------------


async def statements_per_hire(
    url: str, bodies: Sequence[dict[str, Any]], headers: dict[str, str]
) -> float:
    """The SQL statements of one hire, authentication included: `bodies` sent in-process to the
    application, after one unmeasured hire that fills what the process keeps."""
    settings = Settings(database_url=None, in_process_worker=False)
    database = connect(settings, url)
    counter = StatementCounter(database.engine)
    app = create_app(settings, database)
    # The application logs at INFO, and httpx logs each request it sends at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for number, body in enumerate(bodies):
                if number == 1:
                    counter.count = 0
                response = await client.post("/hires", json=body, headers=headers)
                if response.status_code != 201:
                    raise SystemExit(f"a counted hire failed: {response.text}")
    finally:
        await database.dispose()
    return counter.count / (len(bodies) - 1)


@dataclass(frozen=True)
class HireThroughput:
    concurrency: int
    server_workers: int
    service: Throughput
    bare: Throughput
    statements: float

    def table_rows(self) -> list[Row]:
        service, bare = self.service, self.bare
        return [
            Row(
                f"POST /hires, {service.requests:,} by {self.concurrency} tasks: requests/s",
                service.requests_per_second,
                baseline=bare.requests_per_second,
                target=f"ratio ≥ {TARGET_RATIO}",
                met=service.requests_per_second >= TARGET_RATIO * bare.requests_per_second,
            ),
            Row("POST /hires: p50 latency, ms", service.p50_ms, 1, baseline=bare.p50_ms),
            Row(
                "POST /hires: p99 latency, ms",
                service.p99_ms,
                1,
                baseline=bare.p99_ms,
                target=f"< {TARGET_P99_MS}",
                met=service.p99_ms < TARGET_P99_MS,
            ),
            Row(
                "POST /hires: SQL statements per hire, authentication included",
                self.statements,
                1,
                target=f"≤ {TARGET_STATEMENTS}",
                met=self.statements <= TARGET_STATEMENTS,
            ),
            Row(
                "POST /hires: errors",
                service.errors,
                baseline=bare.errors,
                target="0",
                met=service.errors == 0,
            ),
            Row(
                "POST /hires: the client's CPU, % of a core",
                service.client_cpu_percent,
                baseline=bare.client_cpu_percent,
            ),
        ]


async def seed(url: str) -> tuple[UUID, UUID, dict[str, str]]:
    """A grower with a key and a job order, an SNE office, and the bare endpoint's table."""
    database = connect(Settings(database_url=None), url)
    async with database.sessions() as session:
        factory = Factory(session)
        grower, credentials = await factory.grower_with_key()
        job_order = await factory.job_order(grower.id)
        office = await factory.intermediary()
    await database.dispose()
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        columns = ", ".join(f"{name} {kind}" for name, kind in BARE_COLUMNS.items())
        await connection.execute(f"CREATE TABLE {BARE_TABLE} ({columns})")
    finally:
        await connection.close()
    return job_order.id, office.id, credentials.headers


async def measure(
    server_url: str, hires: int, concurrency: int = 32, server_workers: int = 1
) -> HireThroughput:
    """Serve the service and the bare endpoint in turn on a scratch database of the server, and
    post the same `hires` requests (after a warm-up) to each."""
    warm_up = concurrency * 4
    async with scratch_database(server_url) as url:
        job_order_id, office_id, headers = await seed(url)
        requests = hire_requests(job_order_id, office_id)
        bodies = [next(requests) for _ in range(warm_up + hires)]
        with profiled("hires-in-process"):
            statements = await statements_per_hire(
                url, [next(requests) for _ in range(COUNTED_HIRES + 1)], headers
            )
        # The baseline first: the service's rows are then not yet in the database it writes to.
        async with served(BARE_APP_FACTORY, url, server_workers, factory=True) as base_url:
            bare = await drive(base_url, bodies, warm_up, concurrency, headers)
        async with served(
            SERVICE_APP, url, server_workers, factory=False, profile_as="hires-served"
        ) as base_url:
            service = await drive(base_url, bodies, warm_up, concurrency, headers)
    return HireThroughput(concurrency, server_workers, service, bare, statements)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--hires", type=int, default=2000, help="POST /hires measured per server (%(default)s)"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="client tasks (%(default)s)")
    parser.add_argument(
        "--server-workers", type=int, default=1, help="uvicorn workers per server (%(default)s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    add_database_argument(parser)
    arguments = parser.parse_args()
    with database_server(arguments.database_url) as server:
        figures = asyncio.run(
            measure(server, arguments.hires, arguments.concurrency, arguments.server_workers)
        )
    print(format_table(figures.table_rows()))


if __name__ == "__main__":
    main()
