"""The public contract pages are rate limited per client address; the API behind keys is not."""

import httpx
import pytest
from litestar import Litestar

from recruitment.settings import Settings
from tests.api.test_contracts import issue, token_of
from tests.factories import Factory

LIMIT = 3


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url=None, public_page_requests_per_minute=LIMIT)


async def test_a_client_past_the_limit_gets_429_while_another_client_gets_through(
    app: Litestar, client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    hire = await factory.hire(await factory.job_order(grower.id))
    contract = (await issue(client, credentials, hire.worker_id)).json()
    token = token_of(contract["worker_link"])
    # One budget for all the public pages together: a link's page, its PDF, the check.
    pages = [f"/c/{token}", f"/c/{token}/pdf", f"/verify/{contract['verification_code']}"]
    for url in pages[:LIMIT]:
        assert (await client.get(url)).status_code == 200, url

    refused = await client.get(pages[0])
    assert refused.status_code == 429
    # A worker on a phone reads it: a page, in each language, saying how long to wait.
    assert refused.headers["content-type"].startswith("text/html")
    wait = int(refused.headers["retry-after"])
    assert 1 <= wait <= 60
    for words in (f"Espere {wait} segundos", f"Tann {wait} segonn", f"Wait {wait} seconds"):
        assert words in refused.text

    transport = httpx.ASGITransport(app=app, client=("1.2.3.4", 123))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as elsewhere:
        assert (await elsewhere.get(pages[0])).status_code == 200
    # The API, behind its keys, counts nothing.
    for _ in range(LIMIT + 1):
        read = await client.get(f"/contracts/{contract['id']}", headers=credentials.headers)
        assert read.status_code == 200


def test_the_limit_leaves_room_for_many_workers_on_one_network() -> None:
    # An SNE office or a consulate's waiting room: dozens of phones behind one address, each
    # opening a page, its PDF and the receipt.
    assert Settings(database_url=None).public_page_requests_per_minute >= 300
