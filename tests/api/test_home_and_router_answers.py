"""The service's own address sends people and programs on, and the router's answers (a path or
a method no route has) carry a request id like every other."""

import httpx
import pytest


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/console"),
        ("application/json", "/schema"),
        ("*/*", "/schema"),
    ],
)
async def test_the_root_sends_a_browser_to_the_console_and_a_program_to_the_docs(
    client: httpx.AsyncClient, accept: str, location: str
) -> None:
    answer = await client.get("/", headers={"Accept": accept})

    assert answer.status_code in (302, 303, 307)
    assert answer.headers["location"] == location
    assert answer.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    ("method", "path", "status"), [("GET", "/no-such-thing", 404), ("DELETE", "/health", 405)]
)
async def test_the_routers_own_errors_carry_a_request_id(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    generated = await client.request(method, path)
    echoed = await client.request(method, path, headers={"X-Request-ID": "field-office-7"})

    assert generated.status_code == echoed.status_code == status
    assert len(generated.headers["x-request-id"]) == 32
    assert echoed.headers["x-request-id"] == "field-office-7"
    assert echoed.headers.get_list("x-request-id") == ["field-office-7"]


async def test_a_routed_answer_carries_its_request_id_once(client: httpx.AsyncClient) -> None:
    answer = await client.get("/flags/catalogue", headers={"X-Request-ID": "abc-1"})

    assert answer.headers.get_list("x-request-id") == ["abc-1"]
