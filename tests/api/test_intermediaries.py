import httpx

from tests.factories import Factory

CONTRACTOR = {
    "kind": "farm_labor_contractor",
    "name": "S & P Conveyors, Inc.",
    "country": "US",
    "region": "PA",
    "certificate_number": "C-03-007962-B-22-R",
    "certificate_valid_from": "2020-02-26",
    "certificate_valid_until": "2022-02-24",
    "authorized_to_transport": True,
}


async def test_grower_declares_staff_verify_with_evidence_and_history_is_kept(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    staff = await factory.key("staff")
    declared = await client.post("/intermediaries", json=CONTRACTOR, headers=credentials.headers)
    assert declared.status_code == 201, declared.text
    body = declared.json()
    assert body["verification_status"] == "unverified"
    assert body["declared_by_grower_id"] == str(grower.id)
    url = f"/intermediaries/{body['id']}/verifications"
    refused = await client.post(
        url, json={"status": "verified", "note": "trust me"}, headers=credentials.headers
    )
    assert refused.status_code == 403
    for status in ("verified", "rejected"):
        decided = await client.post(
            url,
            json={"status": status, "note": f"checked the DOL registry: {status}"},
            headers=staff.headers,
        )
        assert decided.status_code == 201
    history = (await client.get(url, headers=credentials.headers)).json()
    assert [h["status"] for h in history] == ["verified", "rejected"]
    current = await client.get(f"/intermediaries/{body['id']}", headers=credentials.headers)
    assert current.json()["verification_status"] == "rejected"


async def test_a_growers_correction_sends_a_verified_intermediary_back_to_unverified(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    _, credentials = await factory.grower_with_key()
    staff = await factory.key("staff")
    declared = (
        await client.post("/intermediaries", json=CONTRACTOR, headers=credentials.headers)
    ).json()
    await client.post(
        f"/intermediaries/{declared['id']}/verifications",
        json={"status": "verified", "note": "registry match"},
        headers=staff.headers,
    )
    etag = (
        await client.get(f"/intermediaries/{declared['id']}", headers=credentials.headers)
    ).headers["etag"]
    changed = await client.patch(
        f"/intermediaries/{declared['id']}",
        json={"authorized_to_house": True},
        headers={**credentials.headers, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["verification_status"] == "unverified"


async def test_a_grower_sees_its_own_sne_offices_and_verified_ones_but_not_others_declarations(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    _, mine = await factory.grower_with_key()
    _, theirs = await factory.grower_with_key()
    private = (await client.post("/intermediaries", json=CONTRACTOR, headers=theirs.headers)).json()
    office = await factory.intermediary()
    assert (
        await client.get(f"/intermediaries/{private['id']}", headers=mine.headers)
    ).status_code == 404
    assert (
        await client.get(f"/intermediaries/{office.id}", headers=mine.headers)
    ).status_code == 200
    changed = await client.patch(
        f"/intermediaries/{private['id']}",
        json={"name": "Mine now"},
        headers={**mine.headers, "If-Match": '"1"'},
    )
    assert changed.status_code == 404


async def test_certificate_period_and_kind_are_validated(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    _, credentials = await factory.grower_with_key()
    backwards = {**CONTRACTOR, "certificate_valid_until": "2019-01-01"}
    response = await client.post("/intermediaries", json=backwards, headers=credentials.headers)
    assert response.status_code == 422
    unknown = {**CONTRACTOR, "kind": "coyote", "country": "ZZ"}
    response = await client.post("/intermediaries", json=unknown, headers=credentials.headers)
    assert {e["field"] for e in response.json()["errors"]} == {"kind", "country"}
