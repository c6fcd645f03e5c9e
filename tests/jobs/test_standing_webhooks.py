"""A buyer's webhook through the real queue: a local receiver that fails twice, then accepts.

The queue's worker runs its own transactions, which the per-test rolled-back transaction would
hide from it: this test uses a database of its own, committed and dropped at the end.
"""

import hashlib
import hmac
import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from recruitment import queue
from recruitment.api.app import create_app
from recruitment.database import Database, connect
from recruitment.rendering import ContractRenderer
from recruitment.schemas.growers import GrowerRead
from recruitment.services.contracts import Publication
from recruitment.services.jobs import Runtime
from recruitment.services.standing import DELIVERY_HEADER, SIGNATURE_HEADER
from recruitment.settings import Settings
from tests import queue_worker
from tests.databases import migrated_database
from tests.factories import Credentials, Factory


@dataclass
class Receiver:
    """What a buyer's purchasing system would run: it answers 503 to its first `failures`
    requests, then 200, and keeps every request it got."""

    failures: int
    received: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver(failures=2)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                status = 503 if len(state.received) < state.failures else 200
                state.received.append((status, dict(self.headers), body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_port}/standing-hook"
    server.shutdown()
    server.server_close()


@pytest.fixture
async def program(
    database_server_url: str, renderer: ContractRenderer
) -> AsyncIterator[tuple[Database, httpx.AsyncClient, Runtime]]:
    settings = Settings(database_url=None)
    async with migrated_database(database_server_url, "recruitment_webhooks") as url:
        database = connect(settings, url)
        app = create_app(settings, database, renderer)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield database, client, Runtime(database, renderer, Publication.of(settings))
        await database.dispose()


async def grower_and_buyer(
    database: Database, client: httpx.AsyncClient, hook: str
) -> tuple[GrowerRead, Credentials, httpx.Response]:
    """A grower, a staff key, and a buyer whose webhook is `hook` (the answer that made it)."""
    async with database.sessions() as session:
        factory = Factory(session)
        grower = await factory.grower()
        staff = await factory.key("staff")
    buyer = await client.post(
        "/buyers", json={"name": "Cadena Justa", "webhook_url": hook}, headers=staff.headers
    )
    assert buyer.status_code == 201, buyer.text
    return grower, staff, buyer


async def work_queue_until(runtime: Runtime, done: Callable[[], Awaitable[bool]]) -> None:
    """Retries wait (2, then 4 seconds) before they are due: the worker runs until `done()`."""
    queue.bind(runtime)
    app = queue.queue_app(runtime.database.engine.url.render_as_string(hide_password=False))
    async with app.open_async():
        await queue_worker.work_queue_until(app, done)


async def test_each_change_reaches_the_buyer_once_signed_after_a_receiver_that_failed_twice(
    program: tuple[Database, httpx.AsyncClient, Runtime], receiver: tuple[Receiver, str]
) -> None:
    database, client, runtime = program
    received, hook = receiver
    grower, staff, buyer = await grower_and_buyer(database, client, hook)
    secret = buyer.json()["webhook_secret"]
    deliveries_url = f"/buyers/{buyer.json()['id']}/deliveries"

    async def delivered() -> list[dict[str, Any]]:
        log = await client.get(deliveries_url, headers=staff.headers)
        return [d for d in log.json()["items"] if d["status"] == "delivered"]

    suspension = await client.post(
        f"/growers/{grower.id}/program-status",
        json={"to_status": "suspended", "effective_on": "2027-01-05",
              "reason": "Recruitment fees confirmed in interviews."},
        headers={**staff.headers, "Idempotency-Key": "suspend-once"},
    )  # fmt: skip
    assert suspension.status_code == 201, suspension.text
    replay = await client.post(
        f"/growers/{grower.id}/program-status",
        json={"to_status": "suspended", "effective_on": "2027-01-05",
              "reason": "Recruitment fees confirmed in interviews."},
        headers={**staff.headers, "Idempotency-Key": "suspend-once"},
    )  # fmt: skip
    assert replay.headers["idempotent-replayed"] == "true"

    async def first_delivered() -> bool:
        return len(await delivered()) == 1

    await work_queue_until(runtime, first_delivered)
    assert [status for status, _, _ in received.received] == [503, 503, 200]
    bodies = {body for _, _, body in received.received}
    assert len(bodies) == 1, "every attempt sends the same signed body"
    for _, headers, body in received.received:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
    sent = json.loads(bodies.pop())
    assert sent["change"]["id"] == suspension.json()["id"]
    assert (sent["change"]["to_status"], sent["change"]["good_standing"]) == ("suspended", False)
    assert received.received[0][1][DELIVERY_HEADER] == sent["delivery_id"]
    [log] = await delivered()
    assert [a.get("status_code") for a in log["attempt_log"]] == [503, 503, 200]

    withdrawal = await client.post(
        f"/growers/{grower.id}/program-status",
        json={"to_status": "withdrawn", "effective_on": "2027-02-01", "reason": "Left."},
        headers=staff.headers,
    )  # fmt: skip
    assert withdrawal.status_code == 201

    async def both_delivered() -> bool:
        return len(await delivered()) == 2

    await work_queue_until(runtime, both_delivered)
    # One more run: nothing is sent again.
    await work_queue_until(runtime, both_delivered)
    statuses = [status for status, _, _ in received.received]
    assert statuses == [503, 503, 200, 200]
    changes = [json.loads(body)["change"]["to_status"] for _, _, body in received.received[2:]]
    assert changes == ["suspended", "withdrawn"]


async def test_a_delivery_whose_queueing_was_lost_is_queued_again_and_sent(
    program: tuple[Database, httpx.AsyncClient, Runtime], receiver: tuple[Receiver, str]
) -> None:
    database, client, runtime = program
    received, hook = receiver
    received.failures = 0
    grower, staff, _ = await grower_and_buyer(database, client, hook)
    change = await client.post(
        f"/growers/{grower.id}/program-status",
        json={"to_status": "suspended", "effective_on": "2027-03-01",
              "reason": "Fees confirmed in interviews."},
        headers=staff.headers,
    )  # fmt: skip
    assert change.status_code == 201, change.text
    # The process died between its commit and the queue: the job is gone, the row is pending.
    async with database.engine.begin() as connection:
        await connection.execute(text("DELETE FROM procrastinate_jobs"))
        await connection.execute(
            text("UPDATE standing_deliveries SET created_at = now() - interval '5 minutes'")
        )
    queue.bind(runtime)
    app = queue.queue_app(database.engine.url.render_as_string(hide_password=False))
    async with app.open_async():
        assert await queue.requeue_lost_deliveries(app) == 1
        # Queued, so not lost: asking again queues nothing more.
        assert await queue.requeue_lost_deliveries(app) == 0
        await queue_worker.work_queue_until(app)
    assert [status for status, _, _ in received.received] == [200]
    assert json.loads(received.received[0][2])["change"]["id"] == change.json()["id"]
    async with app.open_async():
        assert await queue.requeue_lost_deliveries(app) == 0
