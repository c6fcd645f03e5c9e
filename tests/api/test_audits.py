"""Program audits through the API: interviews against the coverage target, what an interview
feeds into the worker's case, findings, and corrective action plans that go overdue."""

from datetime import date
from typing import Any
from uuid import UUID

import httpx

from recruitment import clock
from recruitment.schemas.job_orders import JobOrderRead
from tests.factories import Credentials, Factory

WINDOW = {"starts_on": "2026-01-12", "ends_on": "2026-01-16"}
COMPLIANT = {"compliant": True}


def interview(worker_id: UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "worker_id": str(worker_id),
        "interviewed_on": "2026-01-13",
        "language": "es",
        "interviewer": "Auditora Pérez",
        "recruited_through": "sne",
        "answers": {"recruitment_channel": COMPLIANT, "recruitment_fees": COMPLIANT,
                    "housing": {"compliant": False, "note": "no hot water in unit 4"}},
        **overrides,
    }  # fmt: skip


async def schedule(
    client: httpx.AsyncClient, staff: Credentials, grower_id: UUID, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/audits",
        json={"grower_id": str(grower_id), "season": 2025, "announced": False,
              "auditors": ["Auditora Pérez", "Auditor Joseph"], **WINDOW, **overrides},
        headers=staff.headers,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return dict(response.json())


async def roster(
    factory: Factory, workers: int
) -> tuple[Any, Credentials, JobOrderRead, list[Any]]:
    grower, key = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    hires = [await factory.hire(job_order) for _ in range(workers)]
    return grower, key, job_order, hires


async def test_coverage_counts_the_roster_in_the_audits_window_and_under_target_is_a_finding(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, key, job_order, hires = await roster(factory, 4)
    # Hired after the audit ended: not on its roster.
    await factory.hire(job_order, start_date="2026-02-01")
    staff = await factory.key("staff")
    audit = await schedule(client, staff, grower.id)
    assert audit["coverage"] == {"interviewed": 0, "roster": 4, "share": 0.0, "target": 0.5,
                                 "needed": 3, "meets_target": False}  # fmt: skip
    for hire in hires[:2]:
        response = await client.post(
            f"/audits/{audit['id']}/interviews", json=interview(hire.worker_id),
            headers=staff.headers,
        )  # fmt: skip
        assert response.status_code == 201, response.text
    read = (await client.get(f"/audits/{audit['id']}", headers=key.headers)).json()
    # Two of four is half, not a majority.
    assert (read["coverage"]["interviewed"], read["coverage"]["meets_target"]) == (2, False)

    passing = await client.post(
        f"/audits/{audit['id']}/closing",
        json={"outcome": "passed", "closed_on": "2026-01-16"}, headers=staff.headers,
    )  # fmt: skip
    assert passing.status_code == 422
    assert "needs at least 3" in passing.json()["errors"][0]["message"]
    failed = await client.post(
        f"/audits/{audit['id']}/closing",
        json={"outcome": "failed", "closed_on": "2026-01-16"}, headers=staff.headers,
    )  # fmt: skip
    assert failed.status_code == 200, failed.text
    findings = (
        await client.get("/findings", params={"grower_id": str(grower.id)}, headers=key.headers)
    ).json()["items"]
    assert [(f["code"], f["status"], f["evidence"]["interviewed"]) for f in findings] == [
        ("INTERVIEW_COVERAGE_BELOW_TARGET", "open", 2)
    ]
    late = await client.post(
        f"/audits/{audit['id']}/interviews", json=interview(hires[2].worker_id),
        headers=staff.headers,
    )  # fmt: skip
    assert late.status_code == 409


async def test_an_audit_over_the_target_passes_without_a_coverage_finding(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, _, _, hires = await roster(factory, 4)
    staff = await factory.key("staff")
    audit = await schedule(client, staff, grower.id)
    for hire in hires[:3]:
        response = await client.post(
            f"/audits/{audit['id']}/interviews", json=interview(hire.worker_id),
            headers=staff.headers,
        )  # fmt: skip
        assert response.status_code == 201, response.text
    closed = await client.post(
        f"/audits/{audit['id']}/closing",
        json={"outcome": "passed", "closed_on": "2026-01-16"}, headers=staff.headers,
    )  # fmt: skip
    assert closed.status_code == 200, closed.text
    assert closed.json()["coverage"]["meets_target"] is True
    assert closed.json()["outcome"] == "passed"
    findings = await client.get(
        "/findings", params={"grower_id": str(grower.id)}, headers=staff.headers
    )
    assert findings.json()["items"] == []


async def test_an_interview_that_reports_a_fee_and_a_recruiter_feeds_the_workers_case(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, key, _, hires = await roster(factory, 1)
    staff = await factory.key("staff")
    audit = await schedule(client, staff, grower.id)
    told = interview(
        hires[0].worker_id,
        recruited_through="private_recruiter",
        fee_paid={"amount": {"amount": 500000, "currency": "MXN"}, "paid_on": "2025-08-20",
                  "payee_name": "Enganchador de Apizaco"},
    )  # fmt: skip
    response = await client.post(
        f"/audits/{audit['id']}/interviews", json=told, headers=staff.headers
    )
    assert response.status_code == 201, response.text
    recruitment_id = hires[0].recruitment_id
    costs = (await client.get(f"/recruitments/{recruitment_id}/costs", headers=key.headers)).json()
    assert [(c["reported_by"], c["category"], c["amount"]["amount"]) for c in costs] == [
        ("audit_interview", "recruitment_fee", 500000)
    ]
    assert response.json()["cost_id"] == costs[0]["id"]
    case = (await client.get(f"/recruitments/{recruitment_id}", headers=key.headers)).json()
    assert case["channel"] == "private_recruiter"
    flags = (
        await client.get(
            "/flags", params={"recruitment_id": str(recruitment_id), "status": "open"},
            headers=key.headers,
        )
    ).json()["items"]  # fmt: skip
    assert {"RECRUITMENT_FEE_CHARGED", "NON_SNE_CHANNEL"} <= {f["code"] for f in flags}


async def test_interviews_are_for_staff_and_for_the_audited_growers_own_workers(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, key, _, hires = await roster(factory, 1)
    _, other_key, _, other_hires = await roster(factory, 1)
    staff = await factory.key("staff")
    audit = await schedule(client, staff, grower.id)
    stranger = await client.post(
        f"/audits/{audit['id']}/interviews", json=interview(other_hires[0].worker_id),
        headers=staff.headers,
    )  # fmt: skip
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "worker_id"
    outside = await client.post(
        f"/audits/{audit['id']}/interviews",
        json=interview(hires[0].worker_id, interviewed_on="2026-01-20"), headers=staff.headers,
    )  # fmt: skip
    assert outside.status_code == 422
    by_grower = await client.post(
        f"/audits/{audit['id']}/interviews", json=interview(hires[0].worker_id),
        headers=key.headers,
    )  # fmt: skip
    assert by_grower.status_code == 403
    assert (
        await client.get(f"/audits/{audit['id']}/interviews", headers=key.headers)
    ).status_code == 403
    assert (
        await client.get(f"/audits/{audit['id']}", headers=other_key.headers)
    ).status_code == 404
    listed = await client.get("/audits", headers=other_key.headers)
    assert listed.json()["items"] == []


async def test_a_corrective_action_goes_overdue_and_is_then_completed_and_verified(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, key, _, _ = await roster(factory, 1)
    _, other_key, _, _ = await roster(factory, 0)
    staff = await factory.key("staff")
    audit = await schedule(client, staff, grower.id)
    finding = (
        await client.post(
            f"/audits/{audit['id']}/findings",
            json={"standard": "housing", "severity": "violation",
                  "detail": "No hot water in unit 4 for two weeks."},
            headers=staff.headers,
        )
    ).json()  # fmt: skip
    foreign = await client.post(
        "/corrective-actions",
        json={"finding_id": finding["id"], "description": "x", "owner": "y",
              "due_on": "2026-02-15"},
        headers=other_key.headers,
    )  # fmt: skip
    assert foreign.status_code == 404
    planned = await client.post(
        "/corrective-actions",
        json={"finding_id": finding["id"], "description": "Repair the water heater of unit 4.",
              "owner": "Housing manager", "due_on": "2026-02-15"},
        headers=key.headers,
    )  # fmt: skip
    assert planned.status_code == 201, planned.text
    action_url = planned.headers["location"]

    async def overdue_findings() -> list[dict[str, Any]]:
        found = await client.get(
            "/findings", params={"grower_id": str(grower.id), "status": "open"},
            headers=key.headers,
        )  # fmt: skip
        return [f for f in found.json()["items"] if f["code"] == "CORRECTIVE_ACTION_OVERDUE"]

    on_time = await client.post(
        "/verification/runs", json={"as_of": "2026-02-15"}, headers=staff.headers
    )
    assert on_time.status_code == 200, on_time.text
    assert await overdue_findings() == []
    late = await client.post(
        "/verification/runs", json={"as_of": "2026-02-16"}, headers=staff.headers
    )
    assert late.json()["findings_by_code"]["CORRECTIVE_ACTION_OVERDUE"] == 1
    [overdue] = await overdue_findings()
    assert overdue["standard"] == "housing"
    with clock.as_of(date(2026, 2, 20)):
        read = await client.get(action_url, headers=key.headers)
        assert read.json()["overdue"] is True
        stale = await client.post(
            f"{action_url}/completion",
            json={"completed_on": "2026-02-19", "evidence": "Plumber's invoice 1182"},
            headers={**key.headers, "If-Match": '"0"'},
        )  # fmt: skip
        assert stale.status_code == 412
        completed = await client.post(
            f"{action_url}/completion",
            json={"completed_on": "2026-02-19", "evidence": "Plumber's invoice 1182, photos"},
            headers={**key.headers, "If-Match": read.headers["etag"]},
        )  # fmt: skip
        assert completed.status_code == 200, completed.text
        assert await overdue_findings() == []
        by_grower = await client.post(
            f"{action_url}/verification", json={"decision": "verified", "note": "seen"},
            headers={**key.headers, "If-Match": completed.headers["etag"]},
        )  # fmt: skip
        assert by_grower.status_code == 403
        verified = await client.post(
            f"{action_url}/verification",
            json={"decision": "verified", "note": "Checked unit 4 on site: hot water runs."},
            headers={**staff.headers, "If-Match": completed.headers["etag"]},
        )  # fmt: skip
        assert verified.status_code == 200, verified.text
        assert verified.json()["status"] == "verified"
    source = (await client.get(f"/findings/{finding['id']}", headers=key.headers)).json()
    assert (source["status"], source["corrected_on"]) == ("corrected", "2026-02-20")
    again = await client.post(
        "/verification/runs", json={"as_of": "2026-03-01"}, headers=staff.headers
    )
    assert "CORRECTIVE_ACTION_OVERDUE" not in again.json()["findings_by_code"]


async def test_a_rejected_completion_reopens_the_action_under_its_deadline(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, key, _, _ = await roster(factory, 1)
    staff = await factory.key("staff")
    audit = await schedule(client, staff, grower.id)
    finding = (
        await client.post(
            f"/audits/{audit['id']}/findings",
            json={"standard": "wages_and_hours", "severity": "violation", "detail": "Unpaid wait."},
            headers=staff.headers,
        )
    ).json()  # fmt: skip
    action = await client.post(
        "/corrective-actions",
        json={"finding_id": finding["id"], "description": "Pay waiting time.", "owner": "Payroll",
              "due_on": "2026-02-01"},
        headers=staff.headers,
    )  # fmt: skip
    url = action.headers["location"]
    with clock.as_of(date(2026, 1, 30)):
        done = await client.post(
            f"{url}/completion", json={"completed_on": "2026-01-30", "evidence": "payroll"},
            headers={**key.headers, "If-Match": action.headers["etag"]},
        )  # fmt: skip
    with clock.as_of(date(2026, 2, 3)):
        rejected = await client.post(
            f"{url}/verification",
            json={"decision": "rejected", "note": "Payroll shows no back pay."},
            headers={**staff.headers, "If-Match": done.headers["etag"]},
        )  # fmt: skip
        assert rejected.status_code == 200, rejected.text
        assert (rejected.json()["status"], rejected.json()["overdue"]) == ("open", True)
    findings = (
        await client.get("/findings", params={"grower_id": str(grower.id)}, headers=key.headers)
    ).json()["items"]
    assert {(f["code"], f["status"]) for f in findings} == {
        ("CODE_STANDARD_VIOLATED", "open"), ("CORRECTIVE_ACTION_OVERDUE", "open")
    }  # fmt: skip
