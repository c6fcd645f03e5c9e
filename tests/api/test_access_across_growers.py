"""Grower B aims at grower A's records through every endpoint: each answers 404, nothing changes."""

import httpx
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import AuditEvent
from tests.factories import Factory, complete_terms, worker_identity


async def test_a_grower_can_neither_read_nor_change_another_growers_records(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower_a = await factory.grower()
    job_order = await factory.job_order(grower_a.id)
    hire = await factory.hire(job_order)
    own_grower, intruder = await factory.grower_with_key()
    own_job_order = await factory.job_order(own_grower.id)
    recruitment = f"/recruitments/{hire.recruitment_id}"
    cost = {
        "category": "medical",
        "amount": {"amount": 100, "currency": "USD"},
        "paid_on": "2025-09-01",
        "payee_kind": "clinic",
        "reported_by": "worker",
    }
    attempts = [
        ("GET", f"/job-orders/{job_order.id}", None),
        ("GET", f"/job-orders/{job_order.id}/versions", None),
        ("GET", f"/job-orders/{job_order.id}/versions/1", None),
        ("PUT", f"/job-orders/{job_order.id}/terms", {"terms": complete_terms()}),
        ("GET", f"/workers/{hire.worker_id}", None),
        ("PATCH", f"/workers/{hire.worker_id}", {"phone": "+52 55 8765 4321"}),
        ("GET", f"/workers/{hire.worker_id}/ledger", None),
        ("GET", recruitment, None),
        ("PATCH", recruitment, {"channel": "other", "sne_folio": None, "sne_office_id": None}),
        ("GET", f"{recruitment}/channel-verifications", None),
        ("GET", f"{recruitment}/costs", None),
        ("POST", f"{recruitment}/costs", cost),
        ("GET", f"{recruitment}/reimbursements", None),
        ("GET", f"/hires/{hire.id}", None),
        (
            "POST",
            "/recruitments",
            {"job_order_id": str(job_order.id), "worker": worker_identity(), "channel": "other"},
        ),
        (
            "POST",
            "/recruitments",
            {
                "job_order_id": str(own_job_order.id),
                "worker_id": str(hire.worker_id),
                "channel": "other",
            },
        ),
    ]
    audit_before = (await session.exec(select(func.count()).select_from(AuditEvent))).one()
    for method, url, body in attempts:
        response = await client.request(
            method, url, json=body, headers={**intruder.headers, "If-Match": '"1"'}
        )
        assert response.status_code == 404, (method, url, response.status_code, response.text)
    for listing in ("/job-orders", "/workers", "/recruitments", "/hires"):
        items = (await client.get(listing, headers=intruder.headers)).json()["items"]
        assert all(item.get("grower_id") != str(grower_a.id) for item in items), listing
        assert str(hire.worker_id) not in str(items)
    audit_after = (await session.exec(select(func.count()).select_from(AuditEvent))).one()
    assert audit_after == audit_before
