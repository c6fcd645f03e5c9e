"""The access matrix of the foundation: no key, a revoked key, each role, another grower."""

import asyncio

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import ApiKey
from recruitment.models.base import utc_now
from recruitment.services import access
from recruitment.services.caller import COMMAND_LINE
from tests.factories import Factory

NEW_GROWER = {
    "legal_name": "Lipman Family Farms",
    "fein": "59-7654321",
    "street": "315 New Market Rd E",
    "city": "Immokalee",
    "state": "FL",
    "postal_code": "34142",
}


async def test_request_without_key_is_401_with_a_problem_document(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/growers")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer", "Basic abc", "Bearer rk_not-a-key", "rk_x"])
async def test_malformed_or_unknown_key_is_401(client: httpx.AsyncClient, header: str) -> None:
    response = await client.get("/growers", headers={"Authorization": header})
    assert response.status_code == 401


async def test_revoked_key_is_401(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    staff = await factory.key("staff")
    assert (await client.get("/growers", headers=staff.headers)).status_code == 200
    await access.revoke_key(session, COMMAND_LINE, staff.key_id)
    await session.commit()
    assert (await client.get("/growers", headers=staff.headers)).status_code == 401


async def test_a_key_revoked_by_another_process_stops_working_within_seconds(
    client: httpx.AsyncClient,
    factory: Factory,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(access, "KEY_KEPT_SECONDS", 2.0)
    staff = await factory.key("staff")
    assert (await client.get("/growers", headers=staff.headers)).status_code == 200
    # As `recruitment keys revoke` does from its own process: this one is not told.
    await session.exec(
        update(ApiKey).where(col(ApiKey.id) == staff.key_id).values(revoked_at=utc_now())
    )
    await session.commit()
    assert (await client.get("/growers", headers=staff.headers)).status_code == 200
    await asyncio.sleep(2.1)
    assert (await client.get("/growers", headers=staff.headers)).status_code == 401


@pytest.mark.parametrize(("role", "status"), [("admin", 201), ("staff", 201), ("grower", 403)])
async def test_only_staff_and_admin_register_growers(
    client: httpx.AsyncClient, factory: Factory, role: str, status: int
) -> None:
    grower = await factory.grower()
    credentials = await factory.key(role, grower.id if role == "grower" else None)  # type: ignore[arg-type]
    response = await client.post("/growers", json=NEW_GROWER, headers=credentials.headers)
    assert response.status_code == status, response.text


async def test_grower_lists_only_itself(client: httpx.AsyncClient, factory: Factory) -> None:
    mine, credentials = await factory.grower_with_key()
    await factory.grower()
    response = await client.get("/growers", headers=credentials.headers)
    assert [item["id"] for item in response.json()["items"]] == [str(mine.id)]


async def test_grower_cannot_read_or_change_another_grower(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    _, credentials = await factory.grower_with_key()
    other = await factory.grower()
    read = await client.get(f"/growers/{other.id}", headers=credentials.headers)
    assert read.status_code == 404
    patched = await client.patch(
        f"/growers/{other.id}",
        json={"city": "Naples"},
        headers={**credentials.headers, "If-Match": '"1"'},
    )
    assert patched.status_code == 404
    history = await client.get(f"/growers/{other.id}/program-status", headers=credentials.headers)
    assert history.status_code == 404


async def test_grower_cannot_change_its_own_program_status(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    response = await client.post(
        f"/growers/{grower.id}/program-status",
        json={"to_status": "withdrawn", "effective_on": "2030-01-01", "reason": "leaving"},
        headers=credentials.headers,
    )
    assert response.status_code == 403


async def test_grower_may_correct_its_address_but_not_its_fein(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    headers = {**credentials.headers, "If-Match": '"1"'}
    moved = await client.patch(f"/growers/{grower.id}", json={"city": "Naples"}, headers=headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()["city"] == "Naples"
    refein = await client.patch(
        f"/growers/{grower.id}",
        json={"fein": "59-1111111"},
        headers={**credentials.headers, "If-Match": moved.headers["etag"]},
    )
    assert refein.status_code == 403
