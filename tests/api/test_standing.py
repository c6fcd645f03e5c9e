"""A grower's standing: suspension with a written reason and its grounds, re-entry only through
a passed re-entry audit, and the feed that buyers read.

A grower's status begins on the day it is registered (the real one, not the tests' fixed date):
decisions here are dated in the next season, after it."""

from typing import Any
from uuid import UUID

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.services import access
from recruitment.services.caller import COMMAND_LINE
from tests.api.test_audits import interview, schedule
from tests.factories import RECRUITMENT_FEE, Credentials, Factory


async def buyer_key(
    client: httpx.AsyncClient, session: AsyncSession, staff: Credentials
) -> Credentials:
    buyer = await client.post(
        "/buyers", json={"name": "Supermercados del Sol"}, headers=staff.headers
    )
    assert buyer.status_code == 201, buyer.text
    issued = await access.issue_key(
        session, COMMAND_LINE, role="buyer", grower_id=None, label="buyer",
        buyer_id=UUID(buyer.json()["id"]),
    )  # fmt: skip
    await session.commit()
    return Credentials(issued.key, issued.id, None)


def change(to_status: str, effective_on: str, **grounds: Any) -> dict[str, Any]:
    return {
        "to_status": to_status,
        "effective_on": effective_on,
        "reason": f"Decision of the standards council: {to_status}.",
        "grounds": grounds,
    }


async def passed_re_entry_audit(
    client: httpx.AsyncClient,
    factory: Factory,
    staff: Credentials,
    grower_id: UUID,
    worker_id: UUID,
    *,
    kind: str = "re_entry",
    outcome: str = "passed",
    window: tuple[str, str] = ("2027-03-01", "2027-03-05"),
) -> str:
    audit = await schedule(
        client, staff, grower_id, kind=kind, starts_on=window[0], ends_on=window[1]
    )
    heard = await client.post(
        f"/audits/{audit['id']}/interviews",
        json=interview(worker_id, interviewed_on=window[0]), headers=staff.headers,
    )  # fmt: skip
    assert heard.status_code == 201, heard.text
    closed = await client.post(
        f"/audits/{audit['id']}/closing", json={"outcome": outcome, "closed_on": window[1]},
        headers=staff.headers,
    )  # fmt: skip
    assert closed.status_code == 200, closed.text
    return str(audit["id"])


async def test_a_suspension_needs_staff_a_written_reason_and_the_growers_own_grounds(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, key = await factory.grower_with_key()
    other, _ = await factory.grower_with_key()
    staff = await factory.key("staff")
    job_order = await factory.job_order(grower.id)
    hire = await factory.hire(job_order)
    fee = await client.post(
        f"/recruitments/{hire.recruitment_id}/costs", json=RECRUITMENT_FEE.model_dump(mode="json"),
        headers=staff.headers,
    )  # fmt: skip
    [flag] = [f for f in fee.json()["open_flags"] if f["code"] == "RECRUITMENT_FEE_CHARGED"]
    other_order = await factory.job_order(other.id)
    other_hire = await factory.hire(other_order)
    other_flags = await client.get(
        "/flags", params={"recruitment_id": str(other_hire.recruitment_id)}, headers=staff.headers
    )
    url = f"/growers/{grower.id}/program-status"

    by_grower = await client.post(url, json=change("suspended", "2027-01-05"), headers=key.headers)
    assert by_grower.status_code == 403
    unreasoned = await client.post(
        url, json={**change("suspended", "2027-01-05"), "reason": ""}, headers=staff.headers
    )
    assert unreasoned.status_code == 422
    other_flag = other_flags.json()["items"][0]["id"]
    foreign = await client.post(
        url, json=change("suspended", "2027-01-05", flag_ids=[other_flag]), headers=staff.headers
    )
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "grounds.flag_ids"

    suspended = await client.post(
        url, json=change("suspended", "2027-01-05", flag_ids=[flag["id"]]), headers=staff.headers
    )
    assert suspended.status_code == 201, suspended.text
    assert suspended.json()["grounds"]["flag_ids"] == [flag["id"]]
    history = (await client.get(url, headers=key.headers)).json()
    assert [(h["to_status"], h["changed_by"].startswith("key:")) for h in history] == [
        ("suspended", True)
    ]


async def test_re_entry_needs_a_passed_re_entry_audit_closed_after_the_suspension(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, _ = await factory.grower_with_key()
    staff = await factory.key("staff")
    hire = await factory.hire(await factory.job_order(grower.id))
    url = f"/growers/{grower.id}/program-status"
    participating = await client.post(
        url, json=change("re_entry_audit", "2027-01-10"), headers=staff.headers
    )
    assert participating.status_code == 422
    before_suspension = await passed_re_entry_audit(
        client, factory, staff, grower.id, hire.worker_id, window=("2026-11-02", "2026-11-06")
    )
    assert (
        await client.post(url, json=change("suspended", "2027-01-20"), headers=staff.headers)
    ).status_code == 201
    assert (
        await client.post(url, json=change("re_entry_audit", "2027-02-01"), headers=staff.headers)
    ).status_code == 201

    async def reinstate(**grounds: Any) -> httpx.Response:
        return await client.post(
            url, json=change("participating", "2027-03-10", **grounds), headers=staff.headers
        )

    assert (await reinstate()).status_code == 422
    assert (await reinstate(audit_id=before_suspension)).status_code == 422
    regular = await passed_re_entry_audit(
        client,
        factory,
        staff,
        grower.id,
        hire.worker_id,
        kind="regular",
        window=("2027-02-08", "2027-02-12"),
    )
    assert (await reinstate(audit_id=regular)).status_code == 422
    failed = await passed_re_entry_audit(
        client,
        factory,
        staff,
        grower.id,
        hire.worker_id,
        outcome="failed",
        window=("2027-02-15", "2027-02-19"),
    )
    assert (await reinstate(audit_id=failed)).status_code == 422
    passed = await passed_re_entry_audit(client, factory, staff, grower.id, hire.worker_id)
    reinstated = await reinstate(audit_id=passed)
    assert reinstated.status_code == 201, reinstated.text
    assert reinstated.json()["grounds"]["audit_id"] == passed
    current = (await client.get(f"/growers/{grower.id}", headers=staff.headers)).json()
    assert (current["program_status"], current["program_status_since"]) == (
        "participating",
        "2027-03-10",
    )


async def test_a_buyer_reads_standing_and_the_changes_since_its_cursor_and_nothing_else(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    good, _ = await factory.grower_with_key()
    bad, _ = await factory.grower_with_key()
    staff = await factory.key("staff")
    buyer = await buyer_key(client, session, staff)
    start = (await client.get("/standing/changes", headers=buyer.headers)).json()
    suspended = await client.post(
        f"/growers/{bad.id}/program-status",
        json=change("suspended", "2027-01-05"),
        headers=staff.headers,
    )
    assert suspended.status_code == 201
    in_good = await client.get(
        "/standing", params={"good_standing": "true", "limit": 200}, headers=buyer.headers
    )
    ids = {g["grower_id"] for g in in_good.json()["items"]}
    assert str(good.id) in ids
    assert str(bad.id) not in ids
    since = await client.get(
        "/standing/changes",
        params={"cursor": start["next_cursor"]} if start["next_cursor"] else {},
        headers=buyer.headers,
    )
    mine = [c for c in since.json()["items"] if c["grower_id"] in {str(good.id), str(bad.id)}]
    assert [(c["grower_id"], c["to_status"], c["good_standing"]) for c in mine] == [
        (str(bad.id), "suspended", False)
    ]
    assert "reason" not in mine[0]
    after = await client.get(
        "/standing/changes", params={"cursor": since.json()["next_cursor"]}, headers=buyer.headers
    )
    assert after.json() == {"items": [], "next_cursor": since.json()["next_cursor"]}
    for path in ("/growers", f"/growers/{bad.id}", "/workers", "/flags", "/audits"):
        refused = await client.get(path, headers=buyer.headers)
        assert refused.status_code == 403, path
