"""The OpenAPI document is public, and says what errors really look like."""

import httpx


async def test_the_openapi_document_and_its_page_need_no_key(client: httpx.AsyncClient) -> None:
    document = await client.get("/schema/openapi.json")
    assert document.status_code == 200
    assert document.json()["openapi"].startswith("3.1")
    page = await client.get("/schema")
    assert page.status_code == 200
    assert "html" in page.headers["content-type"]


async def test_errors_are_documented_as_problem_documents(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    responses = paths["/hires"]["post"]["responses"]
    for status in ("401", "403", "422", "409"):
        assert "application/problem+json" in responses[status]["content"], status


async def test_the_public_routes_say_they_need_no_key(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    for path in ("/health", "/flags/catalogue", "/c/{token}", "/verify/{code}"):
        assert paths[path]["get"]["security"] == [{}], path
    assert "security" not in paths["/growers"]["get"]  # the document-wide API key
