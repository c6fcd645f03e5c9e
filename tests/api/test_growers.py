import httpx
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import AuditEvent, Grower
from tests.api.test_auth import NEW_GROWER
from tests.factories import Credentials, Factory


async def count_growers(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(Grower))).one()


async def test_staff_registers_a_grower_with_its_fein_normalised_and_audited(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    staff = await factory.key("staff")
    response = await client.post(
        "/growers", json={**NEW_GROWER, "fein": "597654321"}, headers=staff.headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["fein"] == "59-7654321"
    assert body["program_status"] == "participating"
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"/growers/{body['id']}"
    events = (
        await session.exec(select(AuditEvent).where(col(AuditEvent.subject_id) == body["id"]))
    ).all()
    assert [(e.action, e.actor) for e in events] == [("grower.create", f"key:{staff.key_id}")]
    assert events[0].after["legal_name"] == NEW_GROWER["legal_name"]
    assert events[0].request_id == response.headers["x-request-id"]


async def test_duplicate_fein_is_409_and_writes_nothing(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    existing = await factory.grower()
    staff = await factory.key("staff")
    before = await count_growers(session)
    response = await client.post(
        "/growers", json={**NEW_GROWER, "fein": existing.fein}, headers=staff.headers
    )
    assert response.status_code == 409
    assert existing.fein in response.json()["detail"]
    assert await count_growers(session) == before


async def test_idempotent_retry_returns_the_first_response_and_creates_nothing(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    staff = await factory.key("staff")
    headers = {**staff.headers, "Idempotency-Key": "season-2026-lipman"}
    first = await client.post("/growers", json=NEW_GROWER, headers=headers)
    again = await client.post("/growers", json=NEW_GROWER, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    growers = (await session.exec(select(Grower).where(Grower.fein == "59-7654321"))).all()
    assert len(growers) == 1


async def test_idempotency_key_reused_for_other_data_is_409(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    headers = {**staff.headers, "Idempotency-Key": "k1"}
    assert (await client.post("/growers", json=NEW_GROWER, headers=headers)).status_code == 201
    other = {**NEW_GROWER, "fein": "59-1112223"}
    response = await client.post("/growers", json=other, headers=headers)
    assert response.status_code == 409
    assert "different request" in response.json()["detail"]


async def test_stale_if_match_is_412_and_the_record_keeps_the_winning_change(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower = await factory.grower()
    staff = await factory.key("staff")
    read = await client.get(f"/growers/{grower.id}", headers=staff.headers)
    etag = read.headers["etag"]
    url = f"/growers/{grower.id}"
    won = await client.patch(
        url, json={"city": "Naples"}, headers={**staff.headers, "If-Match": etag}
    )
    lost = await client.patch(
        url, json={"city": "Fort Myers"}, headers={**staff.headers, "If-Match": etag}
    )
    assert won.status_code == 200
    assert won.headers["etag"] == '"2"'
    assert lost.status_code == 412
    final = await client.get(url, headers=staff.headers)
    assert final.json()["city"] == "Naples"


async def test_update_without_if_match_is_428(client: httpx.AsyncClient, factory: Factory) -> None:
    grower = await factory.grower()
    staff = await factory.key("staff")
    response = await client.patch(
        f"/growers/{grower.id}", json={"city": "Naples"}, headers=staff.headers
    )
    assert response.status_code == 428


async def test_program_status_change_is_dated_reasoned_and_kept(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower = await factory.grower()
    staff = await factory.key("staff")
    url = f"/growers/{grower.id}/program-status"
    suspended = await client.post(
        url,
        json={"to_status": "suspended", "effective_on": "2030-03-01", "reason": "fee charged"},
        headers=staff.headers,
    )
    assert suspended.status_code == 201, suspended.text
    # Reinstatement needs a passed re-entry audit (tests/api/test_standing.py); withdrawal not.
    withdrawn = await client.post(
        url,
        json={"to_status": "withdrawn", "effective_on": "2030-06-01", "reason": "left"},
        headers=staff.headers,
    )
    assert withdrawn.status_code == 201
    history = (await client.get(url, headers=staff.headers)).json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("participating", "suspended"),
        ("suspended", "withdrawn"),
    ]
    current = (await client.get(f"/growers/{grower.id}", headers=staff.headers)).json()
    assert current["program_status"] == "withdrawn"
    assert current["program_status_since"] == "2030-06-01"


async def test_program_status_cannot_be_backdated_before_the_current_one(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower = await factory.grower()
    staff = await factory.key("staff")
    response = await client.post(
        f"/growers/{grower.id}/program-status",
        json={"to_status": "suspended", "effective_on": "2001-01-01", "reason": "x"},
        headers=staff.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "effective_on"


async def test_cursor_pagination_walks_every_grower_once_in_a_stable_order(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    created = [await factory.grower() for _ in range(5)]
    staff: Credentials = await factory.key("staff")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/growers", params=params, headers=staff.headers)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [str(g.id) for g in created] == [i for i in seen if i in {str(g.id) for g in created}]
    assert len(seen) == len(set(seen))


async def test_filters_by_program_status(client: httpx.AsyncClient, factory: Factory) -> None:
    await factory.grower()
    staff = await factory.key("staff")
    response = await client.get(
        "/growers", params={"program_status": "suspended"}, headers=staff.headers
    )
    assert response.status_code == 200
    assert response.json()["items"] == []
