"""Season-wide contract issuing through the queue, with a real worker on a real database.

The job's worker runs its own transactions, which the per-test rolled-back transaction would
hide from it: these tests use a database of their own, committed and dropped at the end.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import col, func, select

from recruitment import queue
from recruitment.api.app import create_app
from recruitment.database import Database, connect
from recruitment.imports import dol_disclosure as dol
from recruitment.models import Contract, ContractAudio, Job, JobOrder, Recruitment
from recruitment.rendering import ContractRenderer, speech
from recruitment.services import contract_audio
from recruitment.services.contracts import Publication
from recruitment.services.dol_disclosures import SOURCE_PREFIX
from recruitment.services.jobs import Runtime
from recruitment.settings import Settings
from tests import queue_worker
from tests.api.test_rosters import as_csv, roster_row
from tests.databases import migrated_database
from tests.factories import Credentials, Factory, complete_terms
from tests.imports.test_dol_disclosure import Expected, multipart

WORKERS = 50


@dataclass
class Season:
    database: Database
    client: httpx.AsyncClient
    credentials: Credentials
    job_order_id: str
    runtime: Runtime
    settings: Settings


@pytest.fixture
async def season(database_server_url: str, request: pytest.FixtureRequest) -> AsyncIterator[Season]:
    workers, terms = request.param
    settings = Settings(database_url=None)
    async with migrated_database(database_server_url, "recruitment_jobs") as url:
        database = connect(settings, url)
        async with database.sessions() as session:
            factory = Factory(session)
            grower, credentials = await factory.grower_with_key()
            job_order = await factory.job_order(grower.id, **terms)
            for _ in range(workers):
                await factory.hire(job_order)
        renderer = ContractRenderer(max_workers=2)
        app = create_app(settings, database, renderer)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Season(
                database,
                client,
                credentials,
                str(job_order.id),
                Runtime(database, renderer, Publication.of(settings)),
                settings,
            )
        await database.dispose()
        renderer.close()


async def run_queue(season: Season) -> None:
    """One worker, until the queue is empty."""
    queue.bind(season.runtime)
    app = queue.queue_app(season.database.engine.url.render_as_string(hide_password=False))
    async with app.open_async():
        await queue_worker.work_queue_until(app)


async def request_contracts(season: Season, **request: str) -> dict[str, Any]:
    response = await season.client.post(
        f"/job-orders/{season.job_order_id}/contracts",
        json=request,
        headers=season.credentials.headers,
    )
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    return dict(response.json())


async def job_state(season: Season, job_id: str) -> dict[str, Any]:
    response = await season.client.get(f"/jobs/{job_id}", headers=season.credentials.headers)
    return dict(response.json())


async def contracts_issued(season: Season) -> int:
    async with season.database.sessions() as session:
        return (await session.exec(select(func.count()).select_from(Contract))).one()


@pytest.mark.parametrize("season", [(WORKERS, {})], indirect=True)
async def test_a_job_orders_contracts_are_issued_by_the_queue_and_never_twice(
    season: Season,
) -> None:
    # In English, which has no spoken page: this test is about the contracts alone.
    first = await request_contracts(season, language="en")
    await run_queue(season)
    done = await job_state(season, first["id"])
    assert (done["status"], done["done"], done["skipped"], done["failed"]) == (
        "succeeded",
        WORKERS,
        0,
        0,
    )
    assert await contracts_issued(season) == WORKERS

    again = await request_contracts(season, language="en")
    await run_queue(season)
    repeated = await job_state(season, again["id"])
    assert (repeated["status"], repeated["done"], repeated["skipped"]) == ("succeeded", 0, WORKERS)
    assert await contracts_issued(season) == WORKERS


@pytest.mark.parametrize("season", [(2, {})], indirect=True)
async def test_each_contract_of_a_bulk_issue_gets_its_spoken_page(season: Season) -> None:
    job = await request_contracts(season)
    await run_queue(season)
    assert (await job_state(season, job["id"]))["status"] == "succeeded"
    async with season.database.sessions() as session:
        spoken = (await session.exec(select(func.count()).select_from(ContractAudio))).one()
        asked = await session.exec(
            select(Job.status).where(Job.kind == contract_audio.CONTRACT_AUDIO)
        )
        statuses = list(asked)
    if speech.available():
        assert (spoken, statuses) == (2, ["succeeded", "succeeded"])
    else:  # no espeak-ng here: nothing is asked for, and nothing waits in vain
        assert (spoken, statuses) == (0, [])


async def replace_terms(season: Season, terms: dict[str, Any]) -> None:
    url = f"/job-orders/{season.job_order_id}"
    etag = (await season.client.get(url, headers=season.credentials.headers)).headers["etag"]
    replaced = await season.client.put(
        f"{url}/terms",
        json={"terms": terms},
        headers={**season.credentials.headers, "If-Match": etag},
    )
    assert replaced.is_success, replaced.text


@pytest.mark.parametrize("season", [(3, {})], indirect=True)
async def test_a_failed_job_leaves_items_whole_and_its_retry_does_only_the_rest(
    season: Season,
) -> None:
    job = await request_contracts(season)
    # The terms lose their complaint line between the request and the run: every item fails.
    await replace_terms(season, complete_terms(complaint_line=None))
    await run_queue(season)
    failed = await job_state(season, job["id"])
    assert (failed["status"], failed["done"], failed["failed"]) == ("failed", 0, 3)
    assert "complaint line" in failed["errors"][0]["error"]
    assert await contracts_issued(season) == 0

    await replace_terms(season, complete_terms())
    retried = await season.client.post(
        f"/jobs/{job['id']}/retries", headers=season.credentials.headers
    )
    assert retried.status_code == 202, retried.text
    await run_queue(season)
    succeeded = await job_state(season, job["id"])
    assert (succeeded["status"], succeeded["done"], succeeded["attempts"]) == ("succeeded", 3, 2)
    assert await contracts_issued(season) == 3


@pytest.mark.parametrize("season", [(0, {"job_order_number": "FL-10001"})], indirect=True)
async def test_a_large_roster_imports_in_the_background_all_or_nothing(season: Season) -> None:
    async with season.database.sessions() as session:
        await Factory(session).intermediary(name="SNE Oficina Tlaxcala")
    good = as_csv([roster_row() for _ in range(3)])
    bad = as_csv([roster_row(), roster_row(channel="carrier pigeon")])
    jobs = []
    for body in (good, bad):
        response = await season.client.post(
            "/imports/rosters",
            files={"file": ("roster.csv", body, "text/csv")},
            data={"dry_run": "false", "in_background": "true"},
            headers=season.credentials.headers,
        )
        assert response.status_code == 202, response.text
        jobs.append(response.json()["id"])
    await run_queue(season)
    imported, refused = [await job_state(season, job) for job in jobs]
    assert imported["status"] == "succeeded"
    assert imported["result"]["recruitments_created"] == 3
    assert refused["status"] == "failed"
    assert refused["result"]["imported"] is False
    assert "channel" in refused["errors"][0]["error"]
    async with season.database.sessions() as session:
        recruitments = (await session.exec(select(func.count()).select_from(Recruitment))).one()
    assert recruitments == 3, "the refused roster wrote nothing"


@pytest.mark.parametrize("season", [(0, {})], indirect=True)
async def test_disclosure_files_import_in_the_background_as_they_do_in_a_request(
    season: Season,
) -> None:
    async with season.database.sessions() as session:
        staff = await Factory(session).key("staff")
    expected = Expected()
    response = await season.client.post(
        "/dol-disclosures/imports",
        files=multipart(),
        data={"in_background": "true"},
        headers=staff.headers,
    )
    assert response.status_code == 202, response.text
    await run_queue(season)
    job = (await season.client.get(response.headers["location"], headers=staff.headers)).json()
    assert job["status"] == "succeeded", job
    assert job["result"]["cases"] == len(expected.cases)
    assert job["result"]["h2a_labor_contractor_cases"] == len(expected.contractor_cases)
    assert job["result"]["rows"][dol.PLACES] == len(expected.places)
    async with season.database.sessions() as session:
        imported = await session.exec(
            select(func.count()).where(col(JobOrder.source).startswith(SOURCE_PREFIX))
        )
        assert imported.one() == len(expected.cases)


@pytest.mark.parametrize("season", [(3, {})], indirect=True)
async def test_the_queues_finished_rows_go_and_the_jobs_record_stays(season: Season) -> None:
    job = await request_contracts(season)
    await run_queue(season)

    async def queue_rows() -> int:
        async with season.database.engine.connect() as connection:
            counted = await connection.execute(text("SELECT count(*) FROM procrastinate_jobs"))
            return int(counted.scalar_one())

    assert await queue_rows() > 0
    app = queue.queue_app(season.database.engine.url.render_as_string(hide_password=False))
    async with app.open_async():
        await queue.remove_finished_queue_rows(app, older_than_hours=0)
    assert await queue_rows() == 0
    assert (await job_state(season, job["id"]))["status"] == "succeeded"
