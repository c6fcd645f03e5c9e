"""A new case is evaluated on the facts its write holds, not reloaded: over a corpus of generated
hires and recruitments, the flags it opens are those the facts read back from the database give."""

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.models import Flag
from recruitment.services import cases
from recruitment.verification import evaluate
from tests.factories import Credentials, Factory, worker_identity

CASES = 48
KINDS = ["farm_labor_contractor", "h2a_labor_contractor", "foreign_recruiter", "agent"]
# Last season, this one and the next.
SEASONS = [date(2025, 1, 1), date(2026, 1, 1), date(2027, 1, 1)]


def days_after(chance: random.Random, start: date, count: int) -> list[date]:
    """`count` dates in order, from `start`, a few weeks apart."""
    days, day = [], start
    for _ in range(count):
        day += timedelta(days=chance.randint(0, 40))
        days.append(day)
    return days


def generated_body(
    chance: random.Random,
    job_order_id: UUID,
    office_id: UUID,
    intermediaries: list[UUID],
    passport_countries: list[str],
) -> dict[str, Any]:
    season = chance.choice(SEASONS) + timedelta(days=chance.randint(0, 200))
    recruited, disclosed, applied, hired = days_after(chance, season, 4)
    channel = chance.choice(["sne", "sne", "private_recruiter", "grower_direct", "other"])
    members = chance.sample(intermediaries, chance.randint(0, 3))
    chain = [
        {
            "intermediary_id": str(member),
            "engaged_by": "intermediary" if position and chance.random() < 0.5 else "grower",
            "written_fee_ban": chance.random() < 0.5,
            "acted_on": chance.choice([None, recruited.isoformat(), hired.isoformat()]),
            "houses_workers": chance.random() < 0.3,
            "transports_workers": chance.random() < 0.3,
        }
        for position, member in enumerate(members)
    ]
    for position, link in enumerate(chain):
        if link["engaged_by"] == "intermediary":
            link["engaged_by_intermediary_id"] = chain[position - 1]["intermediary_id"]
    identity = {"preferred_language": chance.choice(["es", "ht", "en"])}
    if passport_countries and chance.random() < 0.3:
        # The same passport number from several countries: workers sharing an identity.
        identity |= {"passport_country": passport_countries.pop(), "passport_number": "G1234567"}
    milestones = {"recruited": recruited.isoformat(), "visa_applied": applied.isoformat()}
    if chance.random() < 0.5:
        milestones["contract_disclosed"] = disclosed.isoformat()
    body: dict[str, Any] = {
        "job_order_id": str(job_order_id),
        "worker": worker_identity(**identity),
        "channel": channel,
        "chain": chain,
        "milestones": milestones,
        "start_date": hired.isoformat(),
    }
    if channel == "sne":
        body |= {"sne_folio": f"TLX-{chance.randint(1, 10**6)}", "sne_office_id": str(office_id)}
    if members and chance.random() < 0.3:
        body["wages_paid_by"] = {"kind": "intermediary", "id": str(members[0])}
    if chance.random() < 0.5:
        body |= {"crew": f"Cuadrilla {chance.randint(1, 4)}", "supervisor": "Pedro Luna"}
    return body


async def declared_intermediaries(
    client: httpx.AsyncClient, credentials: Credentials, kinds: list[str]
) -> list[UUID]:
    """One intermediary of each kind, declared by the grower."""
    declared = []
    for number, kind in enumerate(kinds):
        response = await client.post(
            "/intermediaries",
            json={"kind": kind, "name": f"Contratista {number}", "country": "MX"},
            headers=credentials.headers,
        )
        assert response.status_code == 201, response.text
        declared.append(UUID(response.json()["id"]))
    return declared


async def post_case(
    client: httpx.AsyncClient, credentials: Credentials, body: dict[str, Any], as_hire: bool
) -> tuple[UUID, list[dict[str, Any]]]:
    if as_hire:
        response = await client.post("/hires", json=body, headers=credentials.headers)
        assert response.status_code == 201, response.text
        return UUID(response.json()["recruitment_id"]), response.json()["open_flags"]
    hire_only = ("start_date", "wages_paid_by", "crew", "supervisor")
    recruitment = {key: value for key, value in body.items() if key not in hire_only}
    response = await client.post("/recruitments", json=recruitment, headers=credentials.headers)
    assert response.status_code == 201, response.text
    return UUID(response.json()["id"]), response.json()["open_flags"]


async def test_flags_of_new_cases_are_those_of_their_facts_read_back(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    chance = random.Random(20261207)
    grower, credentials = await factory.grower_with_key()
    job_orders = [
        (await factory.job_order(grower.id)).id,
        # A wage in pesos: findings about the job order itself.
        (await factory.job_order(grower.id, wage_offer={"amount": 30000, "currency": "MXN"})).id,
    ]
    office = await factory.intermediary()
    intermediaries = await declared_intermediaries(client, credentials, KINDS * 2)
    created: dict[UUID, list[dict[str, Any]]] = {}
    crews: dict[UUID, str | None] = {}
    passport_countries = ["MX", "GT", "HN", "SV", "HT"]
    for number in range(CASES):
        body = generated_body(
            chance, chance.choice(job_orders), office.id, intermediaries, passport_countries
        )
        as_hire = number % 3 != 0
        recruitment_id, answered = await post_case(client, credentials, body, as_hire)
        created[recruitment_id] = answered
        if as_hire:
            crews[recruitment_id] = body.get("crew")

    reference = await cases.load_reference(session)
    read_back = await cases.load_facts(session, list(created))
    assert len(read_back) == CASES
    codes_seen: set[str] = set()
    for case in read_back:
        # What the rules see of the records the write held is what it wrote.
        if case.recruitment_id in crews:
            assert case.hire is not None
            written = [crew.crew for crew in case.hire.crew_history]
            assert written == ([crews[case.recruitment_id]] if crews[case.recruitment_id] else [])
        expected = {
            (f.code, f.subject, f.fingerprint) for f in evaluate(case, clock.today(), reference)
        }
        stored = await session.exec(
            select(Flag.code, Flag.subject, Flag.fingerprint).where(
                Flag.recruitment_id == case.recruitment_id, col(Flag.status) == "open"
            )
        )
        assert set(stored) == expected, case.recruitment_id
        if not case.worker.workers_sharing_identity:
            # (A worker who shares an identity gets the flag when the second one appears.)
            answered = {(f["code"], f["subject"]) for f in created[case.recruitment_id]}
            assert answered == {(code, subject) for code, subject, _ in expected}
        codes_seen |= {code for code, _, _ in expected}
    # The corpus reaches the rules it is meant to: a clean case and several kinds of finding.
    # The corpus reaches the rules it is meant to.
    assert {
        "NON_SNE_CHANNEL",
        "DUPLICATE_IDENTITY",
        "NOT_DIRECT_HIRE",
        "SUBCONTRACTING_LAYERS",
        "UNVERIFIED_LABOR_CONTRACTOR",
        "WAGE_NOT_IN_USD",
        "CONTRACT_NOT_DISCLOSED_BEFORE_VISA",
    } <= codes_seen, codes_seen
