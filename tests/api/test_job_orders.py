import httpx
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import JobOrder
from tests.factories import Factory, complete_terms


async def test_grower_registers_a_job_order_and_reads_it_back(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    response = await client.post(
        "/job-orders", json={"terms": complete_terms()}, headers=credentials.headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["grower_id"] == str(grower.id)
    assert body["current_version"] == 1
    assert body["terms"]["wage_offer"] == {"amount": 1700, "currency": "USD"}
    read = await client.get(f"/job-orders/{body['id']}", headers=credentials.headers)
    assert read.json()["terms"] == body["terms"]


async def test_staff_must_name_the_grower(client: httpx.AsyncClient, factory: Factory) -> None:
    staff = await factory.key("staff")
    response = await client.post(
        "/job-orders", json={"terms": complete_terms()}, headers=staff.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "grower_id"


async def test_changed_terms_make_a_new_version_and_the_old_one_stays_readable(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    url = f"/job-orders/{job_order.id}"
    etag = (await client.get(url, headers=credentials.headers)).headers["etag"]
    raised = complete_terms(wage_offer={"amount": 1800, "currency": "USD"})
    changed = await client.put(
        f"{url}/terms", json={"terms": raised}, headers={**credentials.headers, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["current_version"] == 2
    first = await client.get(f"{url}/versions/1", headers=credentials.headers)
    second = await client.get(f"{url}/versions/2", headers=credentials.headers)
    assert first.json()["terms"]["wage_offer"]["amount"] == 1700
    assert second.json()["terms"]["wage_offer"]["amount"] == 1800
    versions = await client.get(f"{url}/versions", headers=credentials.headers)
    assert [v["number"] for v in versions.json()] == [1, 2]
    assert (await client.get(f"{url}/versions/3", headers=credentials.headers)).status_code == 404


async def test_the_same_terms_again_make_no_new_version(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    response = await client.put(
        f"/job-orders/{job_order.id}/terms",
        json={"terms": complete_terms()},
        headers={**credentials.headers, "If-Match": '"1"'},
    )
    assert response.json()["current_version"] == 1


async def test_bad_terms_are_each_named_and_nothing_is_written(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    _, credentials = await factory.grower_with_key()
    bad = complete_terms(
        wage_offer={"amount": -5, "currency": "USD"},
        worksites=[{"address": "x", "city": "y", "state": "XX"}],
        deductions=[{"description": "housing", "amount": {"amount": 100, "currency": "EUR"}}],
    )
    response = await client.post("/job-orders", json={"terms": bad}, headers=credentials.headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"terms.wage_offer.amount", "terms.worksites.0.state"} <= fields
    assert any(f.startswith("terms.deductions.0.amount.currency") for f in fields)
    assert (await session.exec(select(func.count()).select_from(JobOrder))).one() == 0


async def test_a_period_that_ends_before_it_starts_is_refused_naming_both_dates(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    _, credentials = await factory.grower_with_key()
    terms = complete_terms(period_start="2026-05-01", period_end="2026-01-01")
    response = await client.post("/job-orders", json={"terms": terms}, headers=credentials.headers)
    assert response.status_code == 422
    assert "2026-01-01" in response.text
    assert "2026-05-01" in response.text


async def test_grower_cannot_see_or_change_another_growers_job_order(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    other = await factory.grower()
    theirs = await factory.job_order(other.id)
    _, credentials = await factory.grower_with_key()
    url = f"/job-orders/{theirs.id}"
    assert (await client.get(url, headers=credentials.headers)).status_code == 404
    assert (await client.get(f"{url}/versions/1", headers=credentials.headers)).status_code == 404
    changed = await client.put(
        f"{url}/terms",
        json={"terms": complete_terms(job_title="Hijacked")},
        headers={**credentials.headers, "If-Match": '"1"'},
    )
    assert changed.status_code == 404
    listed = await client.get("/job-orders", headers=credentials.headers)
    assert listed.json()["items"] == []
    posing = await client.post(
        "/job-orders",
        json={"grower_id": str(other.id), "terms": complete_terms()},
        headers=credentials.headers,
    )
    assert posing.status_code == 404
