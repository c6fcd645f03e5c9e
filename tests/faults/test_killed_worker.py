"""A queue worker killed (SIGKILL) while it imports a roster in the background: nothing of the
import remains, and once the worker is known to be gone the job is queued again and finishes
under another worker, each row imported once."""

import asyncio
import os
import signal
from pathlib import Path

from sqlmodel import func, select

from benchmarks.roster_import import write_roster
from recruitment import queue
from recruitment.models import Job, Recruitment
from recruitment.rendering import ContractRenderer
from recruitment.services.contracts import Publication
from recruitment.services.jobs import Runtime
from recruitment.settings import Settings
from tests import queue_worker
from tests.faults.conftest import Service, backends, eventually
from tests.faults.test_killed_import import COMMAND, ROWS, census, flags_on_disk


async def job_status(service: Service, job_id: str) -> tuple[str, int]:
    async with service.database.sessions() as session:
        job = await session.get(Job, job_id)
        assert job is not None
        return job.status, job.attempts


async def test_a_killed_workers_import_is_absent_then_queued_again_and_done_once(
    service: Service,
    committed_url: str,
    settings: Settings,
    renderer: ContractRenderer,
    tmp_path: Path,
) -> None:
    await service.factory.intermediary(name="SNE Tlaxcala")  # the office the roster names
    roster = tmp_path / "roster.csv"
    write_roster(roster, ROWS)
    before = await census(service.database)
    requested = await service.client.post(
        "/imports/rosters",
        files={"file": ("roster.csv", roster.read_bytes(), "text/csv")},
        data={"dry_run": "false", "in_background": "true"},
        headers=service.headers,
    )
    assert requested.status_code == 202, requested.text
    job_id = requested.json()["id"]

    environment = {
        **{name: value for name, value in os.environ.items() if name != "DATABASE_URL"},
        "RECRUITMENT_DATABASE_URL": committed_url,
    }
    worker = await asyncio.create_subprocess_exec(
        COMMAND, "worker", env=environment,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await eventually(lambda: flags_on_disk(service.database), "the worker's import opens flags")
        importer = await backends(service.database, "backend_xid IS NOT NULL")
    finally:
        worker.kill()
        await worker.wait()
    assert worker.returncode == -signal.SIGKILL

    async def importer_gone() -> bool:
        return not await backends(service.database, "pid = ANY(:pids)", pids=importer)

    await eventually(importer_gone, "the killed worker's session ends")
    assert await census(service.database) == before
    assert await job_status(service, job_id) == ("running", 1), "the job still looks in hand"

    queue.bind(Runtime(service.database, renderer, Publication.of(settings)))
    app = queue.queue_app(committed_url)
    async with app.open_async():
        # Not waiting out the heartbeat's 30 seconds: the dead worker is the only one there is.
        assert await queue.retry_stalled_jobs(app, stalled_after_seconds=0) == 1
        await queue_worker.work_queue_until(app)
    assert await job_status(service, job_id) == ("succeeded", 2)
    async with service.database.sessions() as session:
        imported = await session.exec(select(func.count()).select_from(Recruitment))
        assert imported.one() == ROWS
