"""Complaints through the API: staff record and investigate them to a remedy; a grower sees only
what staff shared; the worker's words stay with staff."""

import io
from typing import Any
from uuid import UUID

import httpx
import pypdf
import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import AuditEvent
from tests.factories import Credentials, Factory

ACCOUNT = "El reclutador Ramiro me cobró 3,000 pesos en Tlaxcala por la visa y el puesto."


class Story:
    def __init__(self, staff: Credentials, grower: Credentials, other: Credentials,
                 grower_id: UUID, recruitment_id: UUID, worker_id: UUID) -> None:  # fmt: skip
        self.staff = staff
        self.grower = grower
        self.other = other
        self.grower_id = grower_id
        self.recruitment_id = recruitment_id
        self.worker_id = worker_id


@pytest.fixture
async def story(factory: Factory) -> Story:
    grower, key = await factory.grower_with_key()
    _, other = await factory.grower_with_key()
    hire = await factory.hire(await factory.job_order(grower.id))
    return Story(await factory.key("staff"), key, other, grower.id, hire.recruitment_id,
                 hire.worker_id)  # fmt: skip


async def record(client: httpx.AsyncClient, story: Story, **overrides: Any) -> httpx.Response:
    body = {
        "grower_id": str(story.grower_id),
        "recruitment_id": str(story.recruitment_id),
        "category": "fees",
        "language": "es",
        "account": ACCOUNT,
        "callback_phone": "+52 55 1234 5678",
        "crew": "Cuadrilla 4",
        **overrides,
    }
    return await client.post("/complaints", json=body, headers=story.staff.headers)


async def update(
    client: httpx.AsyncClient, story: Story, complaint: dict[str, Any], **changes: Any
) -> httpx.Response:
    return await client.patch(
        f"/complaints/{complaint['id']}",
        json=changes,
        headers={**story.staff.headers, "If-Match": f'"{complaint["version"]}"'},
    )


async def fee_cost(client: httpx.AsyncClient, story: Story, amount: int = 300000) -> str:
    cost = await client.post(
        f"/recruitments/{story.recruitment_id}/costs",
        json={"category": "recruitment_fee", "amount": {"amount": amount, "currency": "MXN"},
              "paid_on": "2025-08-20", "payee_kind": "other", "payee_name": "Ramiro",
              "reported_by": "worker"},
        headers=story.staff.headers,
    )  # fmt: skip
    assert cost.status_code == 201, cost.text
    return str(cost.json()["id"])


async def test_staff_record_a_hotline_call_once_per_idempotency_key(
    client: httpx.AsyncClient, story: Story
) -> None:
    headers = {**story.staff.headers, "Idempotency-Key": "call-2025-10-15-01"}
    body = {"grower_id": str(story.grower_id), "language": "ht", "account": "Yo menase m."}
    first = await client.post("/complaints", json=body, headers=headers)
    again = await client.post("/complaints", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    created = first.json()
    assert first.headers["location"] == f"/complaints/{created['id']}"
    assert (created["status"], created["channel"], created["category"]) == (
        "received", "hotline", None,
    )  # fmt: skip
    assert created["severity"] == "serious"  # no category yet: the usual severity
    assert created["reference"].startswith("Q-")
    listed = await client.get("/complaints", headers=story.staff.headers)
    assert [row["id"] for row in listed.json()["items"]] == [created["id"]]


async def test_a_grower_key_can_neither_record_nor_read_the_staff_queue(
    client: httpx.AsyncClient, story: Story
) -> None:
    created = (await record(client, story)).json()
    refused = await client.post(
        "/complaints",
        json={"grower_id": str(story.grower_id), "language": "es", "account": "x"},
        headers=story.grower.headers,
    )
    assert refused.status_code == 403
    for url in ("/complaints", f"/complaints/{created['id']}"):
        assert (await client.get(url, headers=story.grower.headers)).status_code == 403


async def test_anonymous_complaints_name_no_case_and_no_number(
    client: httpx.AsyncClient, story: Story
) -> None:
    refused = await record(client, story, anonymous=True)
    assert refused.status_code == 422, refused.text
    anonymous = await record(client, story, anonymous=True, recruitment_id=None,
                             callback_phone=None)  # fmt: skip
    assert anonymous.status_code == 201, anonymous.text
    assert anonymous.json()["worker"] is None


async def test_each_staff_read_is_in_the_audit_trail_without_the_workers_words(
    client: httpx.AsyncClient, story: Story, session: AsyncSession
) -> None:
    created = (await record(client, story)).json()
    listed = await client.get("/complaints", headers=story.staff.headers)
    assert "account" not in listed.json()["items"][0]
    assert "callback_phone" not in listed.json()["items"][0]
    for _ in range(2):
        read = await client.get(f"/complaints/{created['id']}", headers=story.staff.headers)
        assert read.json()["account"] == ACCOUNT
    events = list(
        await session.exec(
            select(AuditEvent)
            .where(AuditEvent.subject_id == UUID(created["id"]))
            .order_by(col(AuditEvent.created_at))
        )
    )
    assert [e.action for e in events] == ["complaint.record", "complaint.read", "complaint.read"]
    assert all(e.actor == f"key:{story.staff.key_id}" for e in events)
    assert not any("Ramiro" in repr((e.before, e.after)) for e in events)
    assert not any("1234" in repr((e.before, e.after)) for e in events)


async def test_the_status_moves_only_along_the_workflow_and_updates_need_the_current_etag(
    client: httpx.AsyncClient, story: Story
) -> None:
    created = (await record(client, story)).json()
    url = f"/complaints/{created['id']}"
    without = await client.patch(url, json={"status": "investigating"}, headers=story.staff.headers)
    assert without.status_code == 428
    skipped = await update(client, story, created, status="grower_responded")
    assert skipped.status_code == 409, skipped.text
    investigating = await update(
        client, story, created,
        status="investigating", investigator="Marie Joseph", note="Called the worker back.",
    )  # fmt: skip
    assert investigating.status_code == 200, investigating.text
    stale = await update(client, story, created, severity="urgent")
    assert stale.status_code == 412
    now = investigating.json()
    assert [n["text"] for n in now["notes"]] == ["Called the worker back."]
    unremedied = await update(client, story, now, status="resolved", founded=True)
    assert unremedied.status_code == 409, unremedied.text
    unfounded = await update(client, story, now, status="closed_unfounded")
    assert unfounded.status_code == 200
    closed = unfounded.json()
    assert (closed["founded"], closed["days_to_resolve"]) == (False, 0)
    assert closed["closed_at"] is not None


async def test_a_grower_sees_only_what_staff_shared_and_the_worker_only_with_consent(
    client: httpx.AsyncClient, story: Story
) -> None:
    created = (await record(client, story)).json()
    shared_url = f"/shared-complaints/{created['id']}"
    assert (await client.get(shared_url, headers=story.grower.headers)).status_code == 404
    assert (await client.get("/shared-complaints", headers=story.grower.headers)).json()[
        "items"
    ] == []
    investigating = (await update(client, story, created, status="investigating")).json()
    shared = await update(client, story, investigating,
                          shared_summary="A worker reports paying a recruiter for the job.",
                          required_action="Say which recruiters you used in Tlaxcala.")  # fmt: skip
    assert shared.status_code == 200, shared.text
    seen = await client.get(shared_url, headers=story.grower.headers)
    assert seen.status_code == 200
    assert seen.json()["shared_summary"].startswith("A worker reports")
    assert (seen.json()["worker"], seen.json()["account"]) == (None, None)
    assert ACCOUNT not in seen.text
    assert str(story.worker_id) not in seen.text
    assert "Cuadrilla" not in seen.text
    other = await client.get(shared_url, headers=story.other.headers)
    assert other.status_code == 404
    other_answer = await client.post(f"{shared_url}/responses", json={"response": "no"},
                                     headers=story.other.headers)  # fmt: skip
    assert other_answer.status_code == 404
    answered = await client.post(
        f"{shared_url}/responses",
        json={"response": "We used the SNE only; we will check."},
        headers=story.grower.headers,
    )
    assert answered.status_code == 201, answered.text
    assert answered.json()["status"] == "grower_responded"
    consented = await update(client, story, shared.json() | {"version": answered.json()["version"]},
                             consent_to_share_identity=True)  # fmt: skip
    assert consented.status_code == 200, consented.text
    assert consented.json()["consent_recorded_at"] is not None
    seen = (await client.get(shared_url, headers=story.grower.headers)).json()
    assert seen["account"] == ACCOUNT
    assert seen["worker"]["id"] == str(story.worker_id)


async def test_a_reimbursement_remedy_goes_on_the_ledger_and_the_founded_flag_closes(
    client: httpx.AsyncClient, story: Story
) -> None:
    cost_id = await fee_cost(client, story)
    created = (await record(client, story, cost_ids=[cost_id])).json()
    assert created["cost_ids"] == [cost_id]
    founded = (await update(client, story, created, status="investigating", founded=True)).json()
    assert "FOUNDED_COMPLAINT" in {f["code"] for f in founded["open_flags"]}
    remedy = await client.post(
        f"/complaints/{created['id']}/remedies",
        json={"kind": "reimbursement", "description": "Grower repaid the fee in full.",
              "amount": {"amount": 300000, "currency": "MXN"}, "paid_on": "2025-10-14",
              "cost_ids": [cost_id]},
        headers=story.staff.headers,
    )  # fmt: skip
    assert remedy.status_code == 201, remedy.text
    remedied = remedy.json()
    assert remedied["remedies"][0]["reimbursement_id"] is not None
    ledger = await client.get(f"/workers/{story.worker_id}/ledger", headers=story.staff.headers)
    assert ledger.json()["lines"] == [
        {"currency": "MXN", "paid": 300000, "reimbursed": 300000, "owed": 0, "overpaid": 0}
    ]
    resolved = await update(client, story, remedied, status="resolved")
    assert resolved.status_code == 200, resolved.text
    assert "FOUNDED_COMPLAINT" not in {f["code"] for f in resolved.json()["open_flags"]}
    assert resolved.json()["follow_up_due_on"] == "2025-11-14"
    flags = await client.get(
        "/flags", params={"recruitment_id": str(story.recruitment_id),
                          "code": "FOUNDED_COMPLAINT"}, headers=story.staff.headers,
    )  # fmt: skip
    assert [f["status"] for f in flags.json()["items"]] == ["resolved"]


async def test_a_reimbursement_larger_than_the_debt_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, story: Story
) -> None:
    cost_id = await fee_cost(client, story, amount=1000)
    created = (await record(client, story, cost_ids=[cost_id])).json()
    refused = await client.post(
        f"/complaints/{created['id']}/remedies",
        json={"kind": "reimbursement", "description": "too much",
              "amount": {"amount": 5000, "currency": "MXN"}, "paid_on": "2025-10-14",
              "cost_ids": [cost_id]},
        headers=story.staff.headers,
    )  # fmt: skip
    assert refused.status_code == 422, refused.text
    read = await client.get(f"/complaints/{created['id']}", headers=story.staff.headers)
    assert read.json()["remedies"] == []


async def test_leaving_early_within_the_follow_up_window_is_a_possible_retaliation(
    client: httpx.AsyncClient, story: Story
) -> None:
    created = (await record(client, story, received_at="2025-10-01T15:00:00Z")).json()
    case_url = f"/recruitments/{story.recruitment_id}"
    case = await client.get(case_url, headers=story.staff.headers)
    milestones = case.json()["milestones"] | {"arrived": "2025-10-05", "hired": "2025-10-06",
                                              "departed_early": "2025-10-10"}  # fmt: skip
    left = await client.patch(
        case_url, json={"milestones": milestones},
        headers={**story.staff.headers, "If-Match": case.headers["etag"]},
    )  # fmt: skip
    assert left.status_code == 200, left.text
    flags = await client.get(
        "/flags",
        params={"recruitment_id": str(story.recruitment_id), "code": "POSSIBLE_RETALIATION"},
        headers=story.staff.headers,
    )
    [flag] = flags.json()["items"]
    assert flag["subject"] == f"complaint:{created['id']}"
    assert flag["evidence"]["departed_early_on"] == "2025-10-10"
    assert ACCOUNT not in str(flag)


async def test_a_complaint_about_another_growers_case_is_refused(
    client: httpx.AsyncClient, story: Story, factory: Factory
) -> None:
    other = await factory.grower()
    refused = await record(client, story, grower_id=str(other.id))
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["errors"]
    assert problem["field"] == "recruitment_id"
    assert "another grower's" in problem["message"]


async def close(
    client: httpx.AsyncClient, story: Story, complaint: dict[str, Any], **changes: Any
) -> dict[str, Any]:
    investigating = await update(client, story, complaint, status="investigating")
    closed = await update(client, story, investigating.json(), **changes)
    assert closed.status_code == 200, closed.text
    return dict(closed.json())


async def test_the_program_report_counts_complaints_times_to_resolve_and_remedies(
    client: httpx.AsyncClient, story: Story
) -> None:
    cost_id = await fee_cost(client, story)
    paid = (await record(client, story, cost_ids=[cost_id],
                         received_at="2025-10-01T09:00:00Z")).json()  # fmt: skip
    founded = await update(client, story, paid, status="investigating", founded=True)
    remedied = await client.post(
        f"/complaints/{paid['id']}/remedies",
        json={"kind": "reimbursement", "description": "Fee repaid.", "paid_on": "2025-10-14",
              "amount": {"amount": 300000, "currency": "MXN"}, "cost_ids": [cost_id]},
        headers=story.staff.headers,
    )  # fmt: skip
    assert (founded.status_code, remedied.status_code) == (200, 201), remedied.text
    assert (await update(client, story, remedied.json(), status="resolved")).status_code == 200
    housing = (await record(client, story, category="housing",
                            received_at="2025-09-01T09:00:00Z")).json()  # fmt: skip
    await close(client, story, housing, status="closed_unfounded")
    await record(client, story, category=None, received_at="2025-10-15T08:00:00Z")
    await record(client, story, received_at="2024-11-01T08:00:00Z")  # last season's

    report = await client.get(
        "/reports/program", params={"season": "2025"}, headers=story.staff.headers
    )
    assert report.status_code == 200, report.text
    figures = report.json()["complaints"]
    assert figures["received"] == 3
    assert {k: v for k, v in figures["by_category"].items() if v} == {
        "fees": 1, "housing": 1, "uncategorised": 1,
    }  # fmt: skip
    assert figures["by_channel"] == {"hotline": 3, "worker_page": 0, "in_person": 0}
    assert figures["resolved_within_14_days"]["numerator"] == 1  # 14 days; the other took 44
    assert figures["resolved_within_30_days"]["numerator"] == 1
    assert figures["resolved_within_14_days"]["denominator"] == 3
    assert figures["median_days_to_resolve"] == 29.0
    assert (figures["founded"]["numerator"], figures["founded"]["denominator"]) == (1, 2)
    assert figures["remedies_by_kind"]["reimbursement"] == 1
    assert figures["remedies_paid"] == [
        {"kind": "reimbursement", "remedies": 1, "paid": {"amount": 300000, "currency": "MXN"}}
    ]
    csv = await client.get(
        "/reports/program",
        params={"season": "2025"},
        headers={**story.staff.headers, "Accept": "text/csv"},
    )
    assert "program,,,remedies_paid_reimbursement,MXN,,300000,," in csv.text
    assert "program,,,complaints,median_days_to_resolve,,29.0,," in csv.text
    grower_report = await client.get(
        f"/reports/growers/{story.grower_id}", params={"season": "2025"},
        headers=story.grower.headers,
    )  # fmt: skip
    assert "complaints" not in grower_report.json()


async def test_the_annual_report_publishes_the_years_complaints_and_remedies(
    client: httpx.AsyncClient, story: Story
) -> None:
    cost_id = await fee_cost(client, story)
    paid = (await record(client, story, cost_ids=[cost_id],
                         received_at="2025-10-01T09:00:00Z")).json()  # fmt: skip
    founded = await update(client, story, paid, status="investigating", founded=True)
    remedied = await client.post(
        f"/complaints/{paid['id']}/remedies",
        json={"kind": "reimbursement", "description": "Fee repaid.", "paid_on": "2025-10-14",
              "amount": {"amount": 300000, "currency": "MXN"}, "cost_ids": [cost_id]},
        headers=story.staff.headers,
    )  # fmt: skip
    assert (founded.status_code, remedied.status_code) == (200, 201), remedied.text
    assert (await update(client, story, remedied.json(), status="resolved")).status_code == 200
    await record(client, story, received_at="2024-11-01T08:00:00Z")  # another year's

    def annual(year: str, accept: str = "application/json") -> Any:
        return client.get(
            "/reports/program/annual", params={"year": year},
            headers={**story.staff.headers, "Accept": accept},
        )  # fmt: skip

    figures = (await annual("2025")).json()["complaints"]
    assert (figures["received"], figures["founded"]["numerator"]) == (1, 1)
    assert figures["resolved_within_14_days"] == {"numerator": 1, "denominator": 1, "share": 1.0}
    assert figures["remedies_paid"] == [
        {"kind": "reimbursement", "remedies": 1, "paid": {"amount": 300000, "currency": "MXN"}}
    ]
    assert (await annual("2024")).json()["complaints"]["remedies_paid"] == []
    as_csv = (await annual("2025", "text/csv")).text
    assert "2025,complaints,received,1\r\n" in as_csv
    assert "2025,complaints,resolved_within_14_days.numerator,1\r\n" in as_csv
    assert "2025,complaints,remedies_paid.reimbursement.MXN,300000\r\n" in as_csv
    as_pdf = (await annual("2025", "application/pdf")).content
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(as_pdf)).pages)
    assert "Complaints and remedies" in text
    assert "MXN 3,000.00" in text
