from datetime import date
from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.models import Cost, Reimbursement
from tests.factories import Credentials, Factory


@pytest.fixture
async def case(factory: Factory) -> dict[str, Any]:
    """A grower with its key, one direct hire, and a staff key."""
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    hire = await factory.hire(job_order)
    return {
        "grower": grower,
        "credentials": credentials,
        "staff": await factory.key("staff"),
        "hire": hire,
        "url": f"/recruitments/{hire.recruitment_id}",
    }


async def etag_of(client: httpx.AsyncClient, url: str, credentials: Credentials) -> str:
    return (await client.get(url, headers=credentials.headers)).headers["etag"]


async def test_staff_verify_an_sne_claim_and_a_growers_change_sends_it_back(
    client: httpx.AsyncClient, case: dict[str, Any]
) -> None:
    url, grower, staff = case["url"], case["credentials"], case["staff"]
    verified = await client.post(
        f"{url}/channel-verification",
        json={"decision": "verified", "evidence": "SNE Tlaxcala referral list, folio matches"},
        headers=staff.headers,
    )
    assert verified.status_code == 201, verified.text
    assert (await client.get(url, headers=grower.headers)).json()["channel_verification"] == (
        "verified"
    )
    changed = await client.patch(
        url,
        json={"sne_folio": "TLX-OTHER"},
        headers={**grower.headers, "If-Match": await etag_of(client, url, grower)},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["channel_verification"] == "unverified"
    history = await client.get(f"{url}/channel-verifications", headers=grower.headers)
    assert [h["decision"] for h in history.json()] == ["verified"]


async def test_only_staff_verify_a_channel(client: httpx.AsyncClient, case: dict[str, Any]) -> None:
    response = await client.post(
        f"{case['url']}/channel-verification",
        json={"decision": "verified", "evidence": "I say so"},
        headers=case["credentials"].headers,
    )
    assert response.status_code == 403


async def test_a_milestone_update_out_of_order_is_refused(
    client: httpx.AsyncClient, case: dict[str, Any]
) -> None:
    url, grower = case["url"], case["credentials"]
    response = await client.patch(
        url,
        json={"milestones": {"arrived": "2025-08-01"}},
        headers={**grower.headers, "If-Match": await etag_of(client, url, grower)},
    )
    assert response.status_code == 422
    assert "2025-08-01" in response.text
    assert "2025-09-20" in response.text


async def test_the_chain_says_who_engaged_whom(
    client: httpx.AsyncClient, case: dict[str, Any]
) -> None:
    url, grower = case["url"], case["credentials"]
    ids = []
    for name in ("Recruiter A", "Contractor B"):
        declared = await client.post(
            "/intermediaries",
            json={"kind": "foreign_recruiter", "name": name, "country": "MX"},
            headers=grower.headers,
        )
        ids.append(declared.json()["id"])
    chain = [
        {
            "intermediary_id": ids[0],
            "engaged_by": "intermediary",
            "engaged_by_intermediary_id": ids[1],
            "written_fee_ban": False,
        },
        {"intermediary_id": ids[1], "engaged_by": "grower", "written_fee_ban": True},
    ]
    headers = {**grower.headers, "If-Match": await etag_of(client, url, grower)}
    changed = await client.patch(url, json={"chain": chain}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert [link["intermediary_name"] for link in changed.json()["chain"]] == [
        "Recruiter A",
        "Contractor B",
    ]
    dangling = [{**chain[0], "engaged_by_intermediary_id": case["grower"].id.hex}]
    headers["If-Match"] = changed.headers["etag"]
    refused = await client.patch(url, json={"chain": dangling}, headers=headers)
    assert refused.status_code == 422


async def test_costs_reimbursements_and_the_ledger(
    client: httpx.AsyncClient, case: dict[str, Any]
) -> None:
    url, grower = case["url"], case["credentials"]
    with clock.as_of(date(2025, 11, 10)):  # after the reimbursement below was paid
        await _costs_reimbursements_and_the_ledger(client, case, url, grower)


async def _costs_reimbursements_and_the_ledger(
    client: httpx.AsyncClient, case: dict[str, Any], url: str, grower: Credentials
) -> None:
    visa = await client.post(
        f"{url}/costs",
        json={
            "category": "administrative",
            "purpose": "visa",
            "amount": {"amount": 19000, "currency": "USD"},
            "paid_on": "2025-09-20",
            "payee_kind": "consulate",
            "reported_by": "receipt",
        },
        headers=grower.headers,
    )
    assert visa.status_code == 201, visa.text
    fee = await client.post(
        f"{url}/costs",
        json={
            "category": "recruitment_fee",
            "amount": {"amount": 200000, "currency": "MXN"},
            "paid_on": "2025-08-15",
            "payee_kind": "other",
            "payee_name": "a man in the plaza",
            "reported_by": "worker",
        },
        headers=grower.headers,
    )
    assert fee.status_code == 201
    paid_back = await client.post(
        f"{url}/reimbursements",
        json={
            "amount": {"amount": 19000, "currency": "USD"},
            "paid_on": "2025-11-07",
            "cost_ids": [visa.json()["id"]],
        },
        headers=grower.headers,
    )
    assert paid_back.status_code == 201, paid_back.text
    ledger = await client.get(f"/workers/{case['hire'].worker_id}/ledger", headers=grower.headers)
    assert ledger.json()["lines"] == [
        {"currency": "MXN", "paid": 200000, "reimbursed": 0, "owed": 200000, "overpaid": 0},
        {"currency": "USD", "paid": 19000, "reimbursed": 19000, "owed": 0, "overpaid": 0},
    ]


async def test_a_reimbursement_beyond_what_is_owed_or_in_another_currency_is_refused(
    client: httpx.AsyncClient, case: dict[str, Any], session: AsyncSession
) -> None:
    url, grower = case["url"], case["credentials"]
    cost = await client.post(
        f"{url}/costs",
        json={
            "category": "travel_and_lodging",
            "purpose": "inbound_travel",
            "amount": {"amount": 5000, "currency": "USD"},
            "paid_on": "2025-10-01",
            "payee_kind": "carrier",
            "reported_by": "receipt",
        },
        headers=grower.headers,
    )
    cost_id = cost.json()["id"]
    for amount, currency in ((5001, "USD"), (100, "MXN")):
        response = await client.post(
            f"{url}/reimbursements",
            json={
                "amount": {"amount": amount, "currency": currency},
                "paid_on": "2025-10-07",
                "cost_ids": [cost_id],
            },
            headers=grower.headers,
        )
        assert response.status_code == 422, response.text
    assert (await session.exec(select(func.count()).select_from(Reimbursement))).one() == 0


async def test_negative_money_and_unknown_currency_are_refused(
    client: httpx.AsyncClient, case: dict[str, Any], session: AsyncSession
) -> None:
    for amount in ({"amount": -100, "currency": "USD"}, {"amount": 100, "currency": "XYZ"}):
        response = await client.post(
            f"{case['url']}/costs",
            json={
                "category": "medical",
                "amount": amount,
                "paid_on": "2025-09-01",
                "payee_kind": "clinic",
                "reported_by": "worker",
            },
            headers=case["credentials"].headers,
        )
        assert response.status_code == 422
    assert (await session.exec(select(func.count()).select_from(Cost))).one() == 0


async def test_what_staff_heard_in_an_audit_interview_only_staff_record_and_correct(
    client: httpx.AsyncClient, case: dict[str, Any]
) -> None:
    url, grower, staff = case["url"], case["credentials"], case["staff"]
    heard = {
        "category": "recruitment_fee",
        "amount": {"amount": 300000, "currency": "MXN"},
        "paid_on": "2025-08-01",
        "payee_kind": "other",
        "reported_by": "audit_interview",
    }
    assert (
        await client.post(f"{url}/costs", json=heard, headers=grower.headers)
    ).status_code == 403
    recorded = await client.post(f"{url}/costs", json=heard, headers=staff.headers)
    assert recorded.status_code == 201
    softened = {**heard, "amount": {"amount": 1, "currency": "MXN"}, "reported_by": "grower"}
    softened["corrects_cost_id"] = recorded.json()["id"]
    attempt = await client.post(f"{url}/costs", json=softened, headers=grower.headers)
    assert attempt.status_code == 403
    current = (await client.get(f"{url}/costs", headers=grower.headers)).json()
    assert [c["amount"]["amount"] for c in current] == [300000]


async def test_a_correction_supersedes_the_old_cost_which_stays_readable(
    client: httpx.AsyncClient, case: dict[str, Any]
) -> None:
    url, grower = case["url"], case["credentials"]
    cost = {
        "category": "medical",
        "amount": {"amount": 8000, "currency": "MXN"},
        "paid_on": "2025-09-05",
        "payee_kind": "clinic",
        "reported_by": "receipt",
    }
    first = (await client.post(f"{url}/costs", json=cost, headers=grower.headers)).json()
    fixed = {**cost, "amount": {"amount": 8500, "currency": "MXN"}, "corrects_cost_id": first["id"]}
    assert (
        await client.post(f"{url}/costs", json=fixed, headers=grower.headers)
    ).status_code == 201
    current = (await client.get(f"{url}/costs", headers=grower.headers)).json()
    everything = (
        await client.get(f"{url}/costs?include_superseded=true", headers=grower.headers)
    ).json()
    assert [c["amount"]["amount"] for c in current] == [8500]
    assert sorted(c["amount"]["amount"] for c in everything) == [8000, 8500]


async def test_audit_trail_is_staff_only_and_filters_by_subject(
    client: httpx.AsyncClient, case: dict[str, Any]
) -> None:
    subject = case["hire"].recruitment_id
    refused = await client.get("/audit", headers=case["credentials"].headers)
    assert refused.status_code == 403
    events = await client.get(
        "/audit", params={"subject_id": str(subject)}, headers=case["staff"].headers
    )
    assert [e["action"] for e in events.json()["items"]] == ["recruitment.create"]
    assert all("curp" not in (e["after"] or {}) for e in events.json()["items"])


async def test_recruitments_filter_by_channel_and_job_order(
    client: httpx.AsyncClient, case: dict[str, Any]
) -> None:
    grower = case["credentials"]
    sne = await client.get("/recruitments", params={"channel": "sne"}, headers=grower.headers)
    other = await client.get("/recruitments", params={"channel": "other"}, headers=grower.headers)
    assert len(sne.json()["items"]) == 1
    assert other.json()["items"] == []
