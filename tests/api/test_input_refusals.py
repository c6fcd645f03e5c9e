"""Input that must never corrupt the records or crash the service, sent as an outsider would.

Each refusal is a 4xx that names what to fix (the field's dotted path and where it was sent:
body, query, path or header), and nothing is written."""

import json
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.request_shape import MAX_JSON_DEPTH
from tests.api.test_access_matrix import changed, fingerprint
from tests.api.test_rosters import as_csv, roster_row
from tests.factories import Credentials, Factory, complete_terms, hire_request, worker_identity

MEDICAL_COST = {
    "category": "medical",
    "amount": {"amount": 12000, "currency": "USD"},
    "paid_on": "2025-09-01",
    "payee_kind": "clinic",
    "reported_by": "grower",
}


@pytest.fixture
async def hired(factory: Factory) -> dict[str, Any]:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    office = await factory.intermediary()
    hire = await factory.hire(job_order)
    return {"credentials": credentials, "job_order": job_order, "office": office, "hire": hire}


def errors_of(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.headers["content-type"].startswith("application/problem+json")
    return [(error["field"], error["source"]) for error in response.json()["errors"]]


async def send_unchanged(
    session: AsyncSession, request: Any, *args: Any, **kwargs: Any
) -> httpx.Response:
    """The response to a request that must write nothing, checked against every table."""
    before = await fingerprint(session)
    response: httpx.Response = await request(*args, **kwargs)
    assert changed(before, await fingerprint(session)) == []
    return response


# --- NUL characters ------------------------------------------------------------------------------


async def test_a_nul_in_a_text_field_is_refused_naming_the_field(
    client: httpx.AsyncClient, hired: dict[str, Any], session: AsyncSession
) -> None:
    credentials: Credentials = hired["credentials"]
    body = hire_request(
        hired["job_order"].id, hired["office"].id, worker=worker_identity(given_names="Ju\x00an")
    )
    refused = await send_unchanged(
        session, client.post, "/hires", json=body, headers=credentials.headers
    )
    assert refused.status_code == 422, refused.text
    assert errors_of(refused) == [("worker.given_names", "body")]

    terms = await client.get(f"/job-orders/{hired['job_order'].id}", headers=credentials.headers)
    assert terms.status_code == 200
    note = {**MEDICAL_COST, "note": "clinic in \x00 Puebla"}
    cost = await client.post(
        f"/recruitments/{hired['hire'].recruitment_id}/costs",
        json=note,
        headers=credentials.headers,
    )
    assert cost.status_code == 422
    assert errors_of(cost) == [("note", "body")]


async def test_a_nul_in_a_query_or_path_parameter_is_refused_naming_it(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    headers = hired["credentials"].headers
    query = await client.get("/growers", params={"cursor": "abc\x00"}, headers=headers)
    assert query.status_code == 422
    assert errors_of(query) == [("cursor", "query")]


async def test_a_nul_in_a_verification_code_or_worker_link_is_a_page(
    client: httpx.AsyncClient,
) -> None:
    for url in ("/verify/ABCD%00EFGH", "/c/abc%00def"):
        page = await client.get(url)
        assert page.status_code == 422, url
        assert page.headers["content-type"].startswith("text/html")
        assert "Este enlace tiene un carácter que no vale" in page.text
        assert "This link has a character that does not belong" in page.text


async def test_a_nul_in_a_roster_cell_is_reported_with_its_row_and_column(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower, credentials = await factory.grower_with_key()
    await factory.job_order(grower.id)
    await factory.intermediary(name="SNE Oficina Tlaxcala")
    rows = [roster_row(), roster_row(worker_given_names="Ju\x00an")]
    response = await send_unchanged(
        session,
        client.post,
        "/imports/rosters",
        files={"file": ("roster.csv", as_csv(rows), "text/csv")},
        data={"dry_run": "false"},
        headers=credentials.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["imported"] is False
    problems = response.json()["problems"]
    assert {(p["row"], p["column"]) for p in problems} == {(3, "worker_given_names")}, problems
    assert any("NUL" in p["message"] for p in problems)


# --- Bodies of the wrong shape or type -----------------------------------------------------------


async def test_a_deeply_nested_body_is_refused_before_it_is_parsed(
    client: httpx.AsyncClient, hired: dict[str, Any], session: AsyncSession
) -> None:
    nested = "[" * 1000 + "]" * 1000  # 2 KB
    refused = await send_unchanged(
        session,
        client.post,
        "/hires",
        content=nested,
        headers={**hired["credentials"].headers, "Content-Type": "application/json"},
    )
    assert refused.status_code == 400, refused.text
    assert str(MAX_JSON_DEPTH) in refused.json()["detail"]


async def test_brackets_inside_strings_do_not_count_as_nesting(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    cost = {**MEDICAL_COST, "note": "[{" * 100}
    recorded = await client.post(
        f"/recruitments/{hired['hire'].recruitment_id}/costs",
        content=json.dumps(cost),
        headers={**hired["credentials"].headers, "Content-Type": "application/json"},
    )
    assert recorded.status_code == 201, recorded.text


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", None])
async def test_json_sent_as_another_media_type_is_415(
    client: httpx.AsyncClient, hired: dict[str, Any], session: AsyncSession, content_type: str
) -> None:
    headers = dict(hired["credentials"].headers)
    if content_type:
        headers["Content-Type"] = content_type
    body = json.dumps(hire_request(hired["job_order"].id, hired["office"].id))
    refused = await send_unchanged(session, client.post, "/hires", content=body, headers=headers)
    assert refused.status_code == 415, refused.text
    assert "application/json" in refused.json()["detail"]


async def test_json_with_a_charset_is_json(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    body = json.dumps(hire_request(hired["job_order"].id, hired["office"].id))
    headers = {**hired["credentials"].headers, "Content-Type": "application/json; charset=utf-8"}
    assert (await client.post("/hires", content=body, headers=headers)).status_code == 201


# --- Numbers are numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [True, "500", 500.0, 0])
async def test_money_is_a_strict_positive_integer(
    client: httpx.AsyncClient, hired: dict[str, Any], session: AsyncSession, amount: object
) -> None:
    cost = {**MEDICAL_COST, "amount": {"amount": amount, "currency": "USD"}}
    refused = await send_unchanged(
        session,
        client.post,
        f"/recruitments/{hired['hire'].recruitment_id}/costs",
        json=cost,
        headers=hired["credentials"].headers,
    )
    assert refused.status_code == 422, refused.text
    assert errors_of(refused) == [("amount.amount", "body")]


async def test_counts_in_the_terms_are_strict_numbers(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    terms = complete_terms()
    terms["housing"] = {**terms["housing"], "capacity": "80"}
    terms["hours_per_week"] = True
    created = await client.post(
        "/job-orders",
        json={"grower_id": str(hired["job_order"].grower_id), "terms": terms},
        headers=hired["credentials"].headers,
    )
    assert created.status_code == 422, created.text
    assert sorted(errors_of(created)) == [
        ("terms.hours_per_week", "body"),
        ("terms.housing.capacity", "body"),
    ]


# --- Birth dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "accepted"),
    # Today is 2025-10-15 in the tests (tests/conftest.py).
    [
        ("1800-01-01", False),
        ("1944-10-15", False),  # 81
        ("1944-10-16", True),  # 80
        ("2007-10-15", True),  # 18 today
        ("2007-10-16", False),  # 18 tomorrow
        ("2019-03-02", False),  # six years old
    ],
)
async def test_a_birth_date_must_be_an_adult_workers(
    client: httpx.AsyncClient, factory: Factory, born: str, accepted: bool
) -> None:
    staff = await factory.key("staff")
    worker = worker_identity(date_of_birth=born, passport_number="G1234567")
    worker.pop("curp")
    response = await client.post("/workers", json=worker, headers=staff.headers)
    if accepted:
        assert response.status_code == 201, response.text
    else:
        assert response.status_code == 422, response.text
        assert errors_of(response) == [("date_of_birth", "body")]


# --- Every error names its field and where it was sent -------------------------------------------


async def test_errors_name_the_exact_field_and_where_it_was_sent(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    headers = hired["credentials"].headers
    recruitment = f"/recruitments/{hired['hire'].recruitment_id}"

    mismatch = hire_request(
        hired["job_order"].id,
        hired["office"].id,
        worker=worker_identity(date_of_birth="1990-05-05"),
    )
    wrong_curp = await client.post("/hires", json=mismatch, headers=headers)
    assert errors_of(wrong_curp) == [("worker.curp", "body")]

    no_payee = {**MEDICAL_COST, "payee_kind": "intermediary"}
    payee = await client.post(f"{recruitment}/costs", json=no_payee, headers=headers)
    assert errors_of(payee) == [("payee_intermediary_id", "body")]

    limit = await client.get("/flags", params={"limit": "many"}, headers=headers)
    assert errors_of(limit) == [("limit", "query")]

    unknown = await client.get("/flags", params={"stauts": "open"}, headers=headers)
    assert errors_of(unknown) == [("stauts", "query")]

    etag = await client.patch(
        recruitment, json={"sne_folio": "X"}, headers={**headers, "If-Match": "yesterday"}
    )
    assert errors_of(etag) == [("If-Match", "header")]

    not_a_channel = await client.post(
        "/recruitments",
        json={
            "job_order_id": str(hired["job_order"].id),
            "worker": worker_identity(),
            "channel": "other",
            "sne_folio": "TLX-1",
        },
        headers=headers,
    )
    assert errors_of(not_a_channel) == [("sne_folio", "body")]
