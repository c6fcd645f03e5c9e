from typing import Any

import httpx
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import Hire, Recruitment, Worker
from tests.factories import Factory, hire_request, unique_curp, worker_identity


async def count(session: AsyncSession, table: type) -> int:
    return (await session.exec(select(func.count()).select_from(table))).one()


async def hire_payload(factory: Factory, job_order_id: object, **overrides: object) -> dict:
    office = await factory.intermediary()
    return {
        "job_order_id": str(job_order_id),
        "worker": worker_identity(),
        "channel": "sne",
        "sne_folio": "TLX-2025-0042",
        "sne_office_id": str(office.id),
        "milestones": {"recruited": "2025-09-01", "visa_applied": "2025-09-20"},
        "start_date": "2025-11-01",
        **overrides,
    }


async def test_a_direct_hire_records_worker_recruitment_and_hire_at_once(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    payload = await hire_payload(factory, job_order.id)
    response = await client.post("/hires", json=payload, headers=credentials.headers)
    assert response.status_code == 201, response.text
    hire = response.json()
    assert hire["direct_hire"] is True
    assert hire["employer_of_record_id"] == hire["wages_paid_by_id"] == str(grower.id)
    recruitment = await client.get(
        f"/recruitments/{hire['recruitment_id']}", headers=credentials.headers
    )
    assert recruitment.json()["milestones"]["hired"] == "2025-11-01"
    assert recruitment.json()["channel_verification"] == "unverified"
    worker = await client.get(f"/workers/{hire['worker_id']}", headers=credentials.headers)
    assert worker.json()["curp"] == payload["worker"]["curp"]
    assert worker.json()["phone"] == "+525512345678"


async def test_a_retried_hire_with_its_idempotency_key_creates_nothing_twice(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    payload = await hire_payload(factory, job_order.id)
    headers = {**credentials.headers, "Idempotency-Key": "hire-juan-2025"}
    first = await client.post("/hires", json=payload, headers=headers)
    again = await client.post("/hires", json=payload, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert await count(session, Hire) == 1


async def test_the_same_person_is_one_worker_across_growers(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    identity = worker_identity()
    ids = []
    for _ in range(2):
        grower, credentials = await factory.grower_with_key()
        job_order = await factory.job_order(grower.id)
        payload = await hire_payload(factory, job_order.id, worker=identity)
        response = await client.post("/hires", json=payload, headers=credentials.headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["worker_id"])
    assert ids[0] == ids[1]


async def test_a_curp_that_belongs_to_someone_else_is_409_and_nothing_is_written(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    first = await hire_payload(factory, job_order.id)
    assert (await client.post("/hires", json=first, headers=credentials.headers)).status_code == 201
    before = (await count(session, Worker), await count(session, Recruitment))
    other_job = await factory.job_order(grower.id)
    impostor = {**first["worker"], "given_names": "Pedro"}
    second = await hire_payload(factory, other_job.id, worker=impostor)
    response = await client.post("/hires", json=second, headers=credentials.headers)
    assert response.status_code == 409
    assert "CURP" in response.json()["detail"]
    assert (await count(session, Worker), await count(session, Recruitment)) == before


async def test_invalid_curp_phone_and_language_are_named(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    worker = {**worker_identity(), "preferred_language": "fr", "phone": "12345"}
    worker["curp"] = worker["curp"][:-1] + ("0" if worker["curp"][-1] != "0" else "1")
    payload = await hire_payload(factory, job_order.id, worker=worker)
    response = await client.post("/hires", json=payload, headers=credentials.headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"worker.curp", "worker.preferred_language", "worker.phone"} <= fields


async def test_a_curp_whose_birth_date_disagrees_is_refused(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    payload = await hire_payload(
        factory, job_order.id, worker={**worker_identity(), "date_of_birth": "1975-01-01"}
    )
    response = await client.post("/hires", json=payload, headers=credentials.headers)
    assert response.status_code == 422
    assert "1975-01-01" in response.text


async def test_lists_mask_identity_documents(client: httpx.AsyncClient, factory: Factory) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    hire = await factory.hire(job_order)
    listed = (await client.get("/workers", headers=credentials.headers)).json()["items"]
    [worker] = listed
    assert worker["id"] == str(hire.worker_id)
    assert "curp" not in worker
    assert worker["curp_masked"].startswith("***************")
    full = (await client.get(f"/workers/{hire.worker_id}", headers=credentials.headers)).json()
    assert full["curp"] not in str(listed)


async def test_out_of_order_milestones_are_422_naming_both_dates_and_nothing_is_written(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    payload = await hire_payload(
        factory,
        job_order.id,
        milestones={"recruited": "2025-09-10", "visa_applied": "2025-09-01"},
    )
    response = await client.post("/hires", json=payload, headers=credentials.headers)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "milestones.visa_applied"
    assert "2025-09-01" in error["message"]
    assert "2025-09-10" in error["message"]
    assert await count(session, Worker) == 0


async def test_a_hire_through_a_contractor_is_recorded_as_not_direct(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    contractor = await client.post(
        "/intermediaries",
        json={"kind": "h2a_labor_contractor", "name": "Labor Co", "country": "US"},
        headers=credentials.headers,
    )
    party = {"kind": "intermediary", "id": contractor.json()["id"]}
    payload = await hire_payload(
        factory, job_order.id, employer_of_record=party, wages_paid_by=party
    )
    response = await client.post("/hires", json=payload, headers=credentials.headers)
    assert response.status_code == 201, response.text
    assert response.json()["direct_hire"] is False


async def test_a_grower_cannot_hire_onto_another_growers_job_order(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    other = await factory.grower()
    theirs = await factory.job_order(other.id)
    _, credentials = await factory.grower_with_key()
    payload = await hire_payload(factory, theirs.id)
    response = await client.post("/hires", json=payload, headers=credentials.headers)
    assert response.status_code == 404
    assert await count(session, Worker) == 0


async def test_passport_holders_without_curp_are_matched_by_passport(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    haitian = {
        "given_names": "Jean",
        "family_names": "Baptiste",
        "date_of_birth": "1992-06-01",
        "nationality": "HT",
        "passport_number": "hp1234567",
        "preferred_language": "ht",
    }
    ids = set()
    for _ in range(2):
        grower, credentials = await factory.grower_with_key()
        job_order = await factory.job_order(grower.id)
        payload = await hire_payload(factory, job_order.id, worker=haitian, channel="other")
        payload.pop("sne_folio"), payload.pop("sne_office_id")
        response = await client.post("/hires", json=payload, headers=credentials.headers)
        assert response.status_code == 201, response.text
        ids.add(response.json()["worker_id"])
    assert len(ids) == 1


async def test_a_curp_for_a_non_mexican_is_refused(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    payload = await hire_payload(
        factory, job_order.id, worker=worker_identity(nationality="GT", curp=unique_curp())
    )
    response = await client.post("/hires", json=payload, headers=credentials.headers)
    assert response.status_code == 422


def flag_codes(flags: list[dict[str, Any]]) -> set[str]:
    return {flag["code"] for flag in flags}


async def test_correcting_a_hires_parties_clears_not_direct_hire(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    staff = await factory.key("staff")
    office = await factory.intermediary()
    declared = await client.post(
        "/intermediaries",
        json={"kind": "farm_labor_contractor", "name": "Nómina Agrícola", "country": "US"},
        headers=credentials.headers,
    )
    assert declared.status_code == 201, declared.text
    payload = hire_request(
        job_order.id, office.id, wages_paid_by={"kind": "intermediary", "id": declared.json()["id"]}
    )
    registered = await client.post("/hires", json=payload, headers=credentials.headers)
    assert registered.status_code == 201, registered.text
    hire = registered.json()
    assert "NOT_DIRECT_HIRE" in flag_codes(hire["open_flags"])
    url = f"/hires/{hire['id']}"

    unconditional = await client.patch(
        url, json={"wages_paid_by": {"kind": "grower"}}, headers=credentials.headers
    )
    assert unconditional.status_code == 428
    read = await client.get(url, headers=credentials.headers)
    corrected = await client.patch(
        url,
        json={"wages_paid_by": {"kind": "grower"}},
        headers={**credentials.headers, "If-Match": read.headers["etag"]},
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["direct_hire"] is True
    assert corrected.json()["wages_paid_by_id"] == str(grower.id)
    assert "NOT_DIRECT_HIRE" not in flag_codes(corrected.json()["open_flags"])
    assert corrected.headers["etag"] != read.headers["etag"]
    stale = await client.patch(
        url,
        json={"start_date": "2025-11-03"},
        headers={**credentials.headers, "If-Match": read.headers["etag"]},
    )
    assert stale.status_code == 412

    flags = await client.get(
        "/flags",
        params={"code": "NOT_DIRECT_HIRE", "recruitment_id": hire["recruitment_id"]},
        headers=credentials.headers,
    )
    assert [flag["status"] for flag in flags.json()["items"]] == ["resolved"]
    events = await client.get("/audit", params={"subject_id": hire["id"]}, headers=staff.headers)
    [correction] = [e for e in events.json()["items"] if e["action"] == "hire.correct"]
    assert correction["before"]["wages_paid_by_kind"] == "intermediary"
    assert correction["after"]["wages_paid_by_kind"] == "grower"


async def test_a_hires_new_start_date_moves_the_hired_milestone(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    hire = await factory.hire(job_order)
    url = f"/hires/{hire.id}"
    read = await client.get(url, headers=credentials.headers)
    moved = await client.patch(
        url,
        json={"start_date": "2025-11-03"},
        headers={**credentials.headers, "If-Match": read.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    recruitment = await client.get(
        f"/recruitments/{hire.recruitment_id}", headers=credentials.headers
    )
    assert recruitment.json()["milestones"]["hired"] == "2025-11-03"
    too_early = await client.patch(
        url,
        json={"start_date": "2025-08-01"},  # before the recruitment (2025-09-01)
        headers={**credentials.headers, "If-Match": moved.headers["etag"]},
    )
    assert too_early.status_code == 422
    assert [error["field"] for error in too_early.json()["errors"]] == ["start_date"]


async def test_another_growers_hire_cannot_be_corrected(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, _ = await factory.grower_with_key()
    _, other = await factory.grower_with_key()
    hire = await factory.hire(await factory.job_order(grower.id))
    refused = await client.patch(
        f"/hires/{hire.id}",
        json={"wages_paid_by": {"kind": "grower"}},
        headers={**other.headers, "If-Match": '"1"'},
    )
    assert refused.status_code == 404


async def test_a_hire_names_only_the_intermediaries_its_grower_may_see(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower, mine = await factory.grower_with_key()
    _, theirs = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    contractor = {"kind": "farm_labor_contractor", "name": "Campos Unidos", "country": "US"}
    private = await client.post(
        "/intermediaries", json={**contractor, "name": "Theirs Alone"}, headers=theirs.headers
    )
    own = await client.post("/intermediaries", json=contractor, headers=mine.headers)
    assert private.status_code == own.status_code == 201

    def through(intermediary_id: str) -> list[dict[str, object]]:
        return [
            {"intermediary_id": intermediary_id, "engaged_by": "grower", "written_fee_ban": True}
        ]

    refused = await client.post(
        "/hires",
        json=await hire_payload(factory, job_order.id, chain=through(private.json()["id"])),
        headers=mine.headers,
    )
    assert refused.status_code == 404, refused.text
    assert private.json()["id"] in refused.json()["detail"]
    assert await count(session, Worker) == 0
    as_employer = await client.post(
        "/hires",
        json=await hire_payload(
            factory,
            job_order.id,
            employer_of_record={"kind": "intermediary", "id": private.json()["id"]},
        ),
        headers=mine.headers,
    )
    assert as_employer.status_code == 404, as_employer.text
    accepted = await client.post(
        "/hires",
        json=await hire_payload(factory, job_order.id, chain=through(own.json()["id"])),
        headers=mine.headers,
    )
    assert accepted.status_code == 201, accepted.text
    assert await count(session, Worker) == 1
