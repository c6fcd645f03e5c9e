"""Each class of bad input gets a 4xx problem document naming what to fix, and writes nothing."""

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import Grower
from tests.api.test_auth import NEW_GROWER
from tests.factories import Factory, complete_terms

PROBLEM = "application/problem+json"


@pytest.fixture
async def staff_headers(factory: Factory) -> dict[str, str]:
    return (await factory.key("staff")).headers


async def post_grower(
    client: httpx.AsyncClient, headers: dict[str, str], **kwargs: object
) -> httpx.Response:
    return await client.post("/growers", headers=headers, **kwargs)  # type: ignore[arg-type]


async def test_malformed_json_is_400(
    client: httpx.AsyncClient, staff_headers: dict[str, str]
) -> None:
    response = await post_grower(
        client,
        {**staff_headers, "Content-Type": "application/json"},
        content=b'{"legal_name": ',
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["request_id"]


async def test_wrong_types_unknown_fields_and_bad_values_are_each_listed(
    client: httpx.AsyncClient, staff_headers: dict[str, str], session: AsyncSession
) -> None:
    body = {**NEW_GROWER, "legal_name": 42, "state": "ZZ", "fein": "00-0000000", "size": "big"}
    response = await post_grower(client, staff_headers, json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"legal_name", "state", "fein", "size"} <= fields
    assert (await session.exec(select(func.count()).select_from(Grower))).one() == 0


async def test_invalid_fein_says_what_a_fein_looks_like(
    client: httpx.AsyncClient, staff_headers: dict[str, str]
) -> None:
    response = await post_grower(client, staff_headers, json={**NEW_GROWER, "fein": "12-34"})
    [error] = response.json()["errors"]
    assert error["field"] == "fein"
    assert "NN-NNNNNNN" in error["message"]


async def test_body_over_one_mebibyte_is_413(
    client: httpx.AsyncClient, staff_headers: dict[str, str]
) -> None:
    huge = {**NEW_GROWER, "legal_name": "x" * (1024 * 1024 + 1)}
    response = await post_grower(client, staff_headers, json=huge)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith(PROBLEM)


async def test_unknown_route_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)


async def test_malformed_id_and_cursor_are_4xx(
    client: httpx.AsyncClient, staff_headers: dict[str, str]
) -> None:
    assert (await client.get("/growers/not-a-uuid", headers=staff_headers)).status_code == 404
    response = await client.get("/growers", params={"cursor": "!!"}, headers=staff_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


async def test_unexpected_error_is_a_500_problem_without_a_trace(
    client: httpx.AsyncClient, staff_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from recruitment.services import growers

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(growers, "list_growers", broken)
    response = await client.get("/growers", headers=staff_headers)
    assert response.status_code == 500
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert response.json()["request_id"] == response.headers["x-request-id"]


@pytest.mark.parametrize("written", [0, 86400, "0", "86400", 1.5])
async def test_a_number_given_for_a_date_is_refused_not_read_as_a_timestamp(
    client: httpx.AsyncClient, staff_headers: dict[str, str], written: object
) -> None:
    response = await client.post(
        "/verification/runs", json={"as_of": written}, headers=staff_headers
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "as_of"
    assert "YYYY-MM-DD" in error["message"]


async def test_a_number_for_a_date_inside_job_order_terms_is_refused(
    client: httpx.AsyncClient, factory: Factory, staff_headers: dict[str, str]
) -> None:
    grower = await factory.grower()
    terms = {**complete_terms(), "period_start": 0}
    response = await client.post(
        "/job-orders", json={"grower_id": str(grower.id), "terms": terms}, headers=staff_headers
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["terms.period_start"]


async def test_a_misspelt_query_parameter_is_refused_not_ignored(
    client: httpx.AsyncClient, staff_headers: dict[str, str]
) -> None:
    misspelt = await client.get("/flags", params={"stauts": "open"}, headers=staff_headers)
    assert misspelt.status_code == 422, misspelt.text
    assert misspelt.headers["content-type"].startswith(PROBLEM)
    assert [e["field"] for e in misspelt.json()["errors"]] == ["stauts"]
    assert "status" in misspelt.json()["detail"], "the answer names the parameters it takes"
    spelt = await client.get("/flags", params={"status": "open"}, headers=staff_headers)
    assert spelt.status_code == 200


async def test_public_pages_take_the_parameters_messaging_apps_add(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/verify/NOSUCHCODE1234", params={"fbclid": "IwAR0abc"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
