"""Page 1 of a contract, spoken: asked for on issue, made by a queue job, offered on the worker's
page and the verification page as a small WAV file."""

import io
import shutil
import wave
from typing import Any

import httpx
import procrastinate
import pytest
from litestar import Litestar
from procrastinate.testing import InMemoryConnector
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.database import Database
from recruitment.models import Job
from recruitment.queue import RUN_JOB
from recruitment.rendering import ContractRenderer
from recruitment.services import jobs
from recruitment.services.contracts import Publication
from recruitment.services.jobs import Runtime
from recruitment.settings import Settings
from tests.factories import Factory

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="apt-get install espeak-ng sox",
)


@pytest.fixture
def connector(app: Litestar, monkeypatch: pytest.MonkeyPatch) -> InMemoryConnector:
    # The queue in memory: the test's transaction is rolled back, and the queue must be too.
    memory = InMemoryConnector()
    monkeypatch.setattr(app.state, "queue", procrastinate.App(connector=memory))
    return memory


async def test_issuing_queues_the_audio_and_the_pages_then_offer_a_plausible_wav(
    client: httpx.AsyncClient,
    factory: Factory,
    session: AsyncSession,
    database: Database,
    renderer: ContractRenderer,
    connector: InMemoryConnector,
) -> None:
    grower, credentials = await factory.grower_with_key()
    hire = await factory.hire(await factory.job_order(grower.id))
    issued = await client.post(
        f"/workers/{hire.worker_id}/contracts", json={"language": "es"},
        headers=credentials.headers,
    )  # fmt: skip
    assert issued.status_code == 201, issued.text
    contract: dict[str, Any] = issued.json()
    job_id = contract["audio_job_id"]
    assert job_id is not None
    [deferred] = connector.jobs.values()
    assert deferred["task_name"] == RUN_JOB
    assert deferred["args"] == {"job_id": job_id}
    job = (await session.exec(select(Job).where(Job.kind == "contract_audio"))).one()
    assert str(job.subject_id) == contract["id"]

    token = contract["worker_link"].rsplit("/c/", 1)[1]
    assert "<audio" not in (await client.get(f"/c/{token}")).text, "not spoken yet"
    assert (await client.get(f"/c/{token}/audio")).status_code == 404

    await jobs.run(Runtime(database, renderer, Publication.of(Settings())), job.id)

    page = await client.get(f"/c/{token}")
    assert f'<audio id="summary-audio" controls preload="none" src="/c/{token}/audio">' in page.text
    audio = await client.get(f"/c/{token}/audio")
    assert audio.status_code == 200
    assert audio.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(audio.content)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
        assert sound.getnchannels() == 1
    # The summary is some 15 sentences: spoken, between half a minute and two minutes.
    assert 30 < seconds < 120, seconds
    assert len(audio.content) < 1_000_000, "small enough for a phone on a poor connection"

    code = contract["verification_code"]
    verify = await client.get(f"/verify/{code}")
    assert f'src="/verify/{code}/audio"' in verify.text
    public = await client.get(f"/verify/{code}/audio")
    assert public.content == audio.content


async def test_an_english_contract_asks_for_no_audio(
    client: httpx.AsyncClient, factory: Factory, connector: InMemoryConnector
) -> None:
    grower, credentials = await factory.grower_with_key()
    hire = await factory.hire(await factory.job_order(grower.id))
    issued = await client.post(
        f"/workers/{hire.worker_id}/contracts", json={"language": "en"},
        headers=credentials.headers,
    )  # fmt: skip
    assert issued.status_code == 201, issued.text
    assert issued.json()["audio_job_id"] is None
    assert connector.jobs == {}
