"""Writes that race each other on separate connections: the database decides, and no one's change
is lost or made twice."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import text
from sqlmodel import SQLModel, func, select

from recruitment.database import Database
from recruitment.models import AuditEvent, Hire, IdempotencyRecord, Recruitment, Worker
from tests.factories import complete_terms, hire_request
from tests.faults.conftest import Service, backends, eventually

PARALLEL_RETRIES = 50


@asynccontextmanager
async def row_held(database: Database, table: str, record_id: str) -> AsyncIterator[None]:
    """Hold the record's row lock, as a slow writer would, until the block ends."""
    async with database.engine.connect() as connection:
        transaction = await connection.begin()
        await connection.execute(
            text(f"SELECT 1 FROM {table} WHERE id = :id FOR UPDATE"), {"id": record_id}
        )
        yield
        await transaction.rollback()


async def etag_of(service: Service, url: str) -> str:
    read = await service.client.get(url, headers=service.headers)
    return read.headers["ETag"]


async def contend(
    service: Service,
    row: tuple[str, str],
    method: str,
    url: str,
    if_match: str,
    bodies: list[Any],
) -> list[httpx.Response]:
    """Send every body at once with one If-Match, and let them go only when every one's
    transaction waits on the record's `row` (table, id): they overlap, whatever the event
    loop's order."""
    headers = {**service.headers, "If-Match": if_match}
    async with row_held(service.database, *row):
        sent = [
            asyncio.ensure_future(service.client.request(method, url, json=body, headers=headers))
            for body in bodies
        ]

        async def all_waiting() -> bool:
            waiting = await backends(service.database, "wait_event_type = 'Lock'")
            return len(waiting) == len(bodies)

        await eventually(all_waiting, "every update waits on the record's row lock")
    return list(await asyncio.gather(*sent))


def winner_of(responses: list[httpx.Response]) -> int:
    """The index of the one update that succeeded; every other one was refused with 412."""
    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [200] + [412] * (len(responses) - 1), [r.text for r in responses]
    for response in responses:
        if response.status_code == 412:
            assert response.headers["content-type"].startswith("application/problem+json")
    return statuses.index(200)


async def count(database: Database, model: type[SQLModel], *conditions: Any) -> int:
    async with database.sessions() as session:
        query = select(func.count()).select_from(model).where(*conditions)
        return (await session.exec(query)).one()


async def test_of_two_corrections_of_a_worker_with_one_etag_one_wins_and_the_other_gets_412(
    service: Service,
) -> None:
    hire = await service.factory.hire(service.job_order)
    worker = f"/workers/{hire.worker_id}"
    names = ["Ana María", "Rosa Elena"]

    responses = await contend(
        service,
        ("workers", str(hire.worker_id)),
        "PATCH",
        worker,
        await etag_of(service, worker),
        [{"given_names": name} for name in names],
    )

    winner = winner_of(responses)
    stored = await service.client.get(worker, headers=service.headers)
    assert stored.json()["given_names"] == names[winner]
    assert stored.headers["ETag"] == '"2"'
    assert await count(service.database, AuditEvent, AuditEvent.action == "worker.update") == 1


async def test_of_two_term_changes_with_one_etag_one_wins_and_the_other_gets_412(
    service: Service,
) -> None:
    job_order = f"/job-orders/{service.job_order.id}"
    wages = [1800, 1900]

    responses = await contend(
        service,
        ("job_orders", str(service.job_order.id)),
        "PUT",
        f"{job_order}/terms",
        await etag_of(service, job_order),
        [{"terms": complete_terms(wage_offer={"amount": w, "currency": "USD"})} for w in wages],
    )

    winner = winner_of(responses)
    stored = await service.client.get(job_order, headers=service.headers)
    assert stored.json()["terms"]["wage_offer"]["amount"] == wages[winner]
    versions = await service.client.get(f"{job_order}/versions", headers=service.headers)
    assert [version["number"] for version in versions.json()] == [1, 2]


async def test_parallel_retries_of_one_hire_make_one_hire_and_all_get_its_response(
    service: Service,
) -> None:
    body = hire_request(service.job_order.id, service.sne_office_id)
    headers = {**service.headers, "Idempotency-Key": "hire-2025-juan-gomez"}

    responses = await asyncio.gather(
        *(
            service.client.post("/hires", json=body, headers=headers)
            for _ in range(PARALLEL_RETRIES)
        )
    )

    assert [r.status_code for r in responses] == [201] * PARALLEL_RETRIES, {
        r.status_code: r.text for r in responses
    }
    first = [r for r in responses if "Idempotent-Replayed" not in r.headers]
    assert len(first) == 1
    assert all(r.json() == first[0].json() for r in responses)
    assert {r.headers["Location"] for r in responses} == {first[0].headers["Location"]}
    for model in (Worker, Recruitment, Hire, IdempotencyRecord):
        assert await count(service.database, model) == 1, model.__name__
    assert await count(service.database, AuditEvent, AuditEvent.action == "hire.register") == 1
