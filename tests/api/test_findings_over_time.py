"""Findings that depend on the day they are judged, and on facts corrected after the fact,
built through the API as a grower and staff would build them."""

from datetime import date
from typing import Any

import httpx

from recruitment import clock
from tests.factories import Credentials, Factory, hire_request, worker_identity


def codes(flags: list[dict[str, Any]]) -> set[str]:
    return {flag["code"] for flag in flags}


async def declare(
    client: httpx.AsyncClient, credentials: Credentials, **fields: Any
) -> dict[str, Any]:
    response = await client.post("/intermediaries", json=fields, headers=credentials.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def run_as_of(client: httpx.AsyncClient, staff: Credentials, day: str) -> dict[str, int]:
    run = await client.post("/verification/runs", json={"as_of": day}, headers=staff.headers)
    assert run.status_code == 200, run.text
    findings: dict[str, int] = run.json()["findings_by_code"]
    return findings


async def open_flags(
    client: httpx.AsyncClient, credentials: Credentials, code: str
) -> list[dict[str, Any]]:
    found = await client.get(
        "/flags", params={"code": code, "status": "open"}, headers=credentials.headers
    )
    assert found.status_code == 200, found.text
    items: list[dict[str, Any]] = found.json()["items"]
    return items


async def hire_through(
    client: httpx.AsyncClient, credentials: Credentials, job_order_id: object, link: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(
        "/hires",
        json={
            "job_order_id": str(job_order_id),
            "worker": worker_identity(),
            "channel": "other",
            "chain": [{"engaged_by": "grower", "written_fee_ban": True, **link}],
            "milestones": {"recruited": "2025-09-01"},
            "start_date": "2025-11-01",
        },
        headers=credentials.headers,
    )
    assert response.status_code == 201, response.text
    hire: dict[str, Any] = response.json()
    return hire


# --- Contractors and the chain -------------------------------------------------------------------


async def test_a_certificate_that_ends_mid_season_is_flagged_from_the_day_after(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)  # 2025-11-01 to 2026-05-31
    staff = await factory.key("staff")
    contractor = await declare(
        client,
        credentials,
        kind="farm_labor_contractor",
        name="Transportes del Campo",
        country="US",
        certificate_number="FLC-2025-0031",
        certificate_valid_from="2025-04-01",
        certificate_valid_until="2026-03-31",
        authorized_to_transport=True,
    )
    hire = await hire_through(
        client,
        credentials,
        job_order.id,
        {"intermediary_id": contractor["id"], "acted_on": "2025-10-01", "transports_workers": True},
    )
    assert "CONTRACTOR_REGISTRATION_EXPIRED" not in codes(hire["open_flags"])
    on_last_day = await run_as_of(client, staff, "2026-03-31")
    assert "CONTRACTOR_REGISTRATION_EXPIRED" not in on_last_day

    after = await run_as_of(client, staff, "2026-04-01")
    assert after["CONTRACTOR_REGISTRATION_EXPIRED"] == 1
    [flag] = await open_flags(client, credentials, "CONTRACTOR_REGISTRATION_EXPIRED")
    assert flag["evidence"]["problem"] == "expired"
    assert flag["evidence"]["judged_on"] == "2026-04-01"
    assert flag["evidence"]["activity_until"] == "2026-05-31"
    assert "29 USC" in flag["source"]

    later = await run_as_of(client, staff, "2026-05-20")
    [same] = await open_flags(client, credentials, "CONTRACTOR_REGISTRATION_EXPIRED")
    assert later["CONTRACTOR_REGISTRATION_EXPIRED"] == 1
    assert same["id"] == flag["id"]
    assert same["evidence"] == flag["evidence"]


async def test_a_recruiter_that_only_recruits_is_judged_on_the_day_it_acted(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    staff = await factory.key("staff")
    contractor = await declare(
        client,
        credentials,
        kind="farm_labor_contractor",
        name="Reclutamiento Norte",
        country="US",
        certificate_number="FLC-2025-0032",
        certificate_valid_until="2026-03-31",
    )
    await hire_through(
        client, credentials, job_order.id,
        {"intermediary_id": contractor["id"], "acted_on": "2025-10-01"},
    )  # fmt: skip
    assert "CONTRACTOR_REGISTRATION_EXPIRED" not in await run_as_of(client, staff, "2026-05-01")


async def test_a_foreign_recruiter_that_transports_workers_needs_the_authorization(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    recruiter = await declare(
        client, credentials, kind="foreign_recruiter", name="Reclutadora del Sur", country="MX"
    )
    hire = await hire_through(
        client,
        credentials,
        job_order.id,
        {"intermediary_id": recruiter["id"], "acted_on": "2025-09-01", "transports_workers": True},
    )
    assert "CONTRACTOR_ACTIVITY_NOT_AUTHORIZED" in codes(hire["open_flags"])
    [flag] = await open_flags(client, credentials, "CONTRACTOR_ACTIVITY_NOT_AUTHORIZED")
    assert flag["evidence"]["activities_not_authorized"] == ["transport"]
    assert flag["evidence"]["kind"] == "foreign_recruiter"


async def test_a_foreign_recruiter_that_only_recruits_needs_no_dol_authorization(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    recruiter = await declare(
        client, credentials, kind="foreign_recruiter", name="Reclutadora Centro", country="MX"
    )
    hire = await hire_through(
        client, credentials, job_order.id,
        {"intermediary_id": recruiter["id"], "acted_on": "2025-09-01"},
    )  # fmt: skip
    assert not {"CONTRACTOR_ACTIVITY_NOT_AUTHORIZED", "CONTRACTOR_REGISTRATION_EXPIRED"} & codes(
        hire["open_flags"]
    )


# --- Contracts and visas -------------------------------------------------------------------------


async def test_a_planned_visa_application_is_a_warning_until_its_day(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    staff = await factory.key("staff")
    office = await factory.intermediary()
    # Today is 2025-10-15 (tests/conftest.py); the application is planned for 2025-11-14.
    payload = hire_request(
        job_order.id,
        office.id,
        milestones={"recruited": "2025-09-01", "visa_applied": "2025-11-14"},
        start_date="2025-12-01",
    )
    registered = await client.post("/hires", json=payload, headers=credentials.headers)
    assert registered.status_code == 201, registered.text
    raised = codes(registered.json()["open_flags"])
    assert "CONTRACT_NOT_DISCLOSED_BEFORE_VISA" not in raised
    assert "CONTRACT_DUE_BEFORE_VISA" in raised
    [warning] = await open_flags(client, credentials, "CONTRACT_DUE_BEFORE_VISA")
    assert warning["severity"] == "warning"
    assert warning["evidence"]["due_by"] == "2025-11-14"
    assert warning["days_left"] == 30

    await run_as_of(client, staff, "2025-11-13")
    with clock.as_of(date(2025, 11, 13)):
        [counting] = await open_flags(client, credentials, "CONTRACT_DUE_BEFORE_VISA")
    assert counting["days_left"] == 1

    on_the_day = await run_as_of(client, staff, "2025-11-14")
    assert on_the_day["CONTRACT_NOT_DISCLOSED_BEFORE_VISA"] == 1
    assert "CONTRACT_DUE_BEFORE_VISA" not in on_the_day
    [violation] = await open_flags(client, credentials, "CONTRACT_NOT_DISCLOSED_BEFORE_VISA")
    assert violation["evidence"]["visa_applied"] == "2025-11-14"
    assert await open_flags(client, credentials, "CONTRACT_DUE_BEFORE_VISA") == []
