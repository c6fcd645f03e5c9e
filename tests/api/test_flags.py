"""The verification engine through the API: flags raised, reconciled, worked by staff."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import ChannelVerification
from recruitment.verification import RegistryEntry, parse_registry
from tests.factories import Credentials, Factory, worker_identity

REGISTRY_SAMPLE = Path(__file__).parents[1] / "verification" / "data" / "flc_registry_sample.csv"


def codes(flags: list[dict[str, Any]]) -> set[str]:
    return {flag["code"] for flag in flags}


async def declare(
    client: httpx.AsyncClient, credentials: Credentials, **fields: Any
) -> dict[str, Any]:
    response = await client.post("/intermediaries", json=fields, headers=credentials.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_fee_through_layers_of_unregistered_contractors_raises_exactly_its_flags(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    recruiter = await declare(
        client, credentials, kind="foreign_recruiter", name="Reclutadora del Sur", country="MX"
    )
    unregistered = await declare(
        client, credentials, kind="farm_labor_contractor", name="Campos FLC", country="US"
    )
    contractor = await declare(
        client,
        credentials,
        kind="farm_labor_contractor",
        name="Big Harvest Labor LLC",
        country="US",
        certificate_number="C-04-999999-X-25-R",
        certificate_valid_from="2025-01-01",
        certificate_valid_until="2026-12-31",
    )
    chain = [
        {
            "intermediary_id": recruiter["id"],
            "engaged_by": "intermediary",
            "engaged_by_intermediary_id": unregistered["id"],
            "written_fee_ban": False,
        },
        {
            "intermediary_id": unregistered["id"],
            "engaged_by": "intermediary",
            "engaged_by_intermediary_id": contractor["id"],
            "written_fee_ban": False,
        },
        {"intermediary_id": contractor["id"], "engaged_by": "grower", "written_fee_ban": False},
    ]
    hire = await client.post(
        "/hires",
        json={
            "job_order_id": str(job_order.id),
            "worker": worker_identity(),
            "channel": "private_recruiter",
            "chain": chain,
            "milestones": {"recruited": "2025-08-01", "visa_applied": "2025-09-15"},
            "start_date": "2025-11-01",
        },
        headers=credentials.headers,
    )
    assert hire.status_code == 201, hire.text
    recruitment = hire.json()["recruitment_id"]
    fee = await client.post(
        f"/recruitments/{recruitment}/costs",
        json={
            "category": "recruitment_fee",
            "amount": {"amount": 200000, "currency": "MXN"},
            "paid_on": "2025-08-01",
            "payee_kind": "intermediary",
            "payee_intermediary_id": recruiter["id"],
            "reported_by": "worker",
        },
        headers=credentials.headers,
    )
    assert fee.status_code == 201, fee.text
    assert codes(fee.json()["open_flags"]) == {
        "RECRUITMENT_FEE_CHARGED",
        "NON_SNE_CHANNEL",
        "SUBCONTRACTING_LAYERS",
        "UNVERIFIED_LABOR_CONTRACTOR",
        "RECRUITER_AGREEMENT_LACKS_FEE_BAN",
        "CONTRACTOR_REGISTRATION_EXPIRED",
        "CONTRACT_NOT_DISCLOSED_BEFORE_VISA",
    }
    [charged] = [f for f in fee.json()["open_flags"] if f["code"] == "RECRUITMENT_FEE_CHARGED"]
    assert charged["severity"] == "critical"
    assert charged["evidence"]["amount"] == 200000
    assert "655.135" in charged["source"]
    layered = [f for f in fee.json()["open_flags"] if f["code"] == "SUBCONTRACTING_LAYERS"]
    assert len(layered) == 2


async def test_a_direct_sne_hire_answers_with_its_open_flags_and_verification_clears_one(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    office = await factory.intermediary()
    staff = await factory.key("staff")
    hire = await client.post(
        "/hires",
        json={
            "job_order_id": str(job_order.id),
            "worker": worker_identity(),
            "channel": "sne",
            "sne_folio": "TLX-1",
            "sne_office_id": str(office.id),
            "milestones": {"recruited": "2025-09-01"},
            "start_date": "2025-11-01",
        },
        headers=credentials.headers,
    )
    assert codes(hire.json()["open_flags"]) == {"SNE_CHANNEL_UNVERIFIED"}
    recruitment = hire.json()["recruitment_id"]
    verified = await client.post(
        f"/recruitments/{recruitment}/channel-verification",
        json={"decision": "verified", "evidence": "Referral letter TLX-1 seen in person"},
        headers=staff.headers,
    )
    assert verified.json()["open_flags"] == []
    resolved = await client.get(
        "/flags", params={"recruitment_id": recruitment}, headers=staff.headers
    )
    [flag] = resolved.json()["items"]
    assert flag["status"] == "resolved"
    assert flag["status_note"] == "condition cleared"


async def test_a_dismissed_flag_stays_dismissed_until_its_facts_change(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    hire = await factory.hire(job_order)  # visa applied, no contract delivered
    staff = await factory.key("staff")
    listed = await client.get(
        "/flags",
        params={
            "recruitment_id": str(hire.recruitment_id),
            "code": "CONTRACT_NOT_DISCLOSED_BEFORE_VISA",
        },
        headers=staff.headers,
    )
    [flag] = listed.json()["items"]
    dismissed = await client.post(
        f"/flags/{flag['id']}/status-changes",
        json={"action": "dismiss", "note": "Contract handed over on paper; scan pending"},
        headers=staff.headers,
    )
    assert dismissed.status_code == 200, dismissed.text
    run = await client.post("/verification/runs", json={}, headers=staff.headers)
    assert run.status_code == 200
    again = await client.get(f"/flags/{flag['id']}", headers=staff.headers)
    assert again.json()["status"] == "dismissed"

    url = f"/recruitments/{hire.recruitment_id}"
    etag = (await client.get(url, headers=credentials.headers)).headers["etag"]
    changed = await client.patch(
        url,
        json={"milestones": {"visa_applied": "2025-09-25"}},
        headers={**credentials.headers, "If-Match": etag},
    )
    assert changed.status_code == 200
    reopened = await client.get(f"/flags/{flag['id']}", headers=staff.headers)
    assert reopened.json()["status"] == "open"
    history = await client.get(f"/flags/{flag['id']}/status-changes", headers=staff.headers)
    assert [(h["from_status"], h["to_status"]) for h in history.json()] == [
        ("open", "dismissed"),
        ("dismissed", "open"),
    ]


async def test_staff_work_flags_and_growers_only_read_their_own(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    hire = await factory.hire(await factory.job_order(grower.id))
    other, other_credentials = await factory.grower_with_key()
    await factory.hire(await factory.job_order(other.id))
    staff = await factory.key("staff")
    mine = (await client.get("/flags", headers=credentials.headers)).json()
    assert mine["items"]
    assert {f["grower_id"] for f in mine["items"]} == {str(grower.id)}
    assert sum(c["count"] for c in mine["counts"]) == len(mine["items"])
    flag_id = mine["items"][0]["id"]
    refused = await client.post(
        f"/flags/{flag_id}/status-changes",
        json={"action": "dismiss", "note": "not us"},
        headers=credentials.headers,
    )
    assert refused.status_code == 403
    hidden = await client.get(f"/flags/{flag_id}", headers=other_credentials.headers)
    assert hidden.status_code == 404
    needs_note = await client.post(
        f"/flags/{flag_id}/status-changes", json={"action": "resolve"}, headers=staff.headers
    )
    assert needs_note.status_code == 422
    acknowledged = await client.post(
        f"/flags/{flag_id}/status-changes", json={"action": "acknowledge"}, headers=staff.headers
    )
    assert acknowledged.json()["status"] == "acknowledged"
    everything = (await client.get("/flags", headers=staff.headers)).json()
    assert {f["grower_id"] for f in everything["items"]} == {str(grower.id), str(other.id)}
    assert hire.recruitment_id


async def test_a_reimbursement_deadline_passing_opens_an_overdue_flag_on_the_next_run(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    hire = await factory.hire(
        await factory.job_order(grower.id),
        milestones={
            "recruited": "2025-09-01",
            "visa_applied": "2025-09-20",
            "arrived": "2025-10-29",
        },
    )
    staff = await factory.key("staff")
    cost = await client.post(
        f"/recruitments/{hire.recruitment_id}/costs",
        json={
            "category": "administrative",
            "purpose": "visa",
            "amount": {"amount": 19000, "currency": "USD"},
            "paid_on": "2025-09-20",
            "payee_kind": "consulate",
            "reported_by": "receipt",
        },
        headers=credentials.headers,
    )
    assert "WORKER_BORE_RELATED_COST" in codes(cost.json()["open_flags"])
    # Arrival on Wednesday 2025-10-29: the first workweek ends on Sunday 2025-11-02.
    on_deadline = await client.post(
        "/verification/runs", json={"as_of": "2025-11-02"}, headers=staff.headers
    )
    assert "REIMBURSEMENT_OVERDUE" not in on_deadline.json()["findings_by_code"]
    after = await client.post(
        "/verification/runs", json={"as_of": "2025-11-03"}, headers=staff.headers
    )
    assert after.json()["findings_by_code"]["REIMBURSEMENT_OVERDUE"] == 1
    overdue = await client.get(
        "/flags", params={"code": "REIMBURSEMENT_OVERDUE"}, headers=credentials.headers
    )
    [flag] = overdue.json()["items"]
    assert flag["evidence"]["deadline"]["due_on"] == "2025-11-02"


def sample_certificate() -> RegistryEntry:
    with REGISTRY_SAMPLE.open(encoding="utf-8") as lines:
        return next(
            entry
            for entry in parse_registry(lines)
            if isinstance(entry, RegistryEntry) and entry.record.valid_until
        )


@pytest.mark.parametrize(("days_after_expiry", "flagged"), [(0, False), (1, True)])
async def test_a_contractor_is_judged_by_the_registry_on_the_day_it_acted(
    client: httpx.AsyncClient, factory: Factory, days_after_expiry: int, flagged: bool
) -> None:
    staff = await factory.key("staff")
    imported = await client.post(
        "/registry/imports",
        params={"source": REGISTRY_SAMPLE.name},
        content=REGISTRY_SAMPLE.read_bytes(),
        headers={**staff.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["certificates"] == sum(1 for _ in REGISTRY_SAMPLE.open()) - 1
    assert imported.json()["problems"] == []

    entry = sample_certificate()
    assert entry.record.valid_until is not None
    acted_on = entry.record.valid_until + timedelta(days=days_after_expiry)
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    # Declared with a stale end date: the registry's validity is what counts.
    contractor = await declare(
        client,
        credentials,
        kind="farm_labor_contractor",
        name=entry.record.holder_name.title(),
        country="US",
        certificate_number=entry.record.certificate_number,
        certificate_valid_until=(acted_on + timedelta(days=365)).isoformat(),
    )
    hire = await client.post(
        "/hires",
        json={
            "job_order_id": str(job_order.id),
            "worker": worker_identity(),
            "channel": "other",
            "chain": [
                {
                    "intermediary_id": contractor["id"],
                    "engaged_by": "grower",
                    "written_fee_ban": True,
                    "acted_on": acted_on.isoformat(),
                }
            ],
            "start_date": (acted_on + timedelta(days=30)).isoformat(),
        },
        headers=credentials.headers,
    )
    assert hire.status_code == 201, hire.text
    raised = "CONTRACTOR_REGISTRATION_EXPIRED" in codes(hire.json()["open_flags"])
    assert raised is flagged
    comparison = await client.get(
        f"/intermediaries/{contractor['id']}/registry", headers=credentials.headers
    )
    assert comparison.json()["status"] == "found"
    assert comparison.json()["registry"]["valid_until"] == entry.record.valid_until.isoformat()


async def test_an_sne_referral_list_verifies_matching_claims_and_reports_contradictions(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower, _ = await factory.grower_with_key(legal_name="Pacific Tomato Growers LLC")
    job_order = await factory.job_order(grower.id)
    office = await factory.intermediary(name="SNE Tlaxcala")
    staff = await factory.key("staff")
    matching = await factory.hire(job_order, sne_folio="TLX-0001", sne_office_id=str(office.id))
    contradicted = await factory.hire(job_order, sne_folio="TLX-0002", sne_office_id=str(office.id))
    worker = (await client.get(f"/workers/{matching.worker_id}", headers=staff.headers)).json()
    other = (await client.get(f"/workers/{contradicted.worker_id}", headers=staff.headers)).json()
    listing = "\n".join(
        [
            "office,folio,curp,passport,name,referred_on,employer",
            f"SNE Tlaxcala,TLX-0001,{worker['curp']},,Juan Gómez,2025-08-20,PACIFIC TOMATO GROWERS",
            f"SNE Tlaxcala,TLX-0002,{other['curp']},,Juan Gómez,2025-08-20,Another Farm Inc",
        ]
    ).encode()
    for _ in range(2):
        imported = await client.post(
            "/sne-referrals/imports",
            params={"source": "tlaxcala-2025-08.csv"},
            content=listing,
            headers={**staff.headers, "Content-Type": "text/csv"},
        )
        assert imported.status_code == 200, imported.text
    report = imported.json()
    assert report["verified"] == [str(matching.recruitment_id)], report
    assert list(report["conflicts"]) == [str(contradicted.recruitment_id)]
    verifications = (
        await session.exec(select(func.count()).select_from(ChannelVerification))
    ).one()
    assert verifications == 1, "re-importing the list changes nothing"
    flags = await client.get(
        "/flags",
        params={
            "recruitment_id": str(contradicted.recruitment_id),
            "code": "SNE_CHANNEL_UNVERIFIED",
        },
        headers=staff.headers,
    )
    [flag] = flags.json()["items"]
    assert "Another Farm" in str(flag["evidence"])


async def test_the_catalogue_explains_every_code_in_three_languages(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/flags/catalogue")
    assert response.status_code == 200
    entries = response.json()
    assert len(entries) == 19  # DESIGN.md's 16, and issue 14's three
    for entry in entries:
        assert set(entry["texts"]) == {"es", "ht", "en"}
        assert all(text["explanation"] for text in entry["texts"].values())
        assert entry["source"]
