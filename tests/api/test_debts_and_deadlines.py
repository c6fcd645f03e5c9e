"""Debts and their deadlines through the API: money counts from the day it is paid, a correction
keeps what was paid back, and the first workweek starts with work."""

import importlib.util
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.models import Cost, ReimbursedCost, Reimbursement
from tests.factories import Credentials, Factory

TODAY = date(2026, 12, 6)  # a Sunday


@pytest.fixture(autouse=True)
def this_season() -> Iterator[date]:
    with clock.as_of(TODAY):
        yield TODAY


VISA = {
    "category": "administrative",
    "purpose": "visa",
    "amount": {"amount": 19000, "currency": "USD"},
    "paid_on": "2026-10-17",  # 50 days ago
    "payee_kind": "consulate",
    "reported_by": "receipt",
}
INBOUND_TRAVEL = {
    "category": "travel_and_lodging",
    "purpose": "inbound_travel",
    "amount": {"amount": 50000, "currency": "USD"},
    "paid_on": "2026-10-20",
    "payee_kind": "carrier",
    "reported_by": "receipt",
}


async def hired(
    factory: Factory, *, arrived: str, start_date: str, **term_overrides: Any
) -> tuple[str, str, Credentials, Credentials]:
    """A direct hire this season: its recruitment's URL, its worker's id, the grower's and a
    staff key."""
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(
        grower.id, period_start="2026-10-01", period_end="2027-05-31", **term_overrides
    )
    hire = await factory.hire(
        job_order,
        milestones={"recruited": "2026-08-01", "visa_applied": "2026-09-20", "arrived": arrived},
        start_date=start_date,
    )
    staff = await factory.key("staff")
    return f"/recruitments/{hire.recruitment_id}", str(hire.worker_id), credentials, staff


async def record(
    client: httpx.AsyncClient, url: str, credentials: Credentials, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(url, json=body, headers=credentials.headers)


async def open_codes_after_run(
    client: httpx.AsyncClient, url: str, staff: Credentials, as_of: date = TODAY
) -> set[str]:
    run = await client.post(
        "/verification/runs", json={"as_of": as_of.isoformat()}, headers=staff.headers
    )
    assert run.status_code == 200, run.text
    recruitment_id = url.rsplit("/", 1)[-1]
    flags = await client.get(
        "/flags", params={"recruitment_id": recruitment_id, "limit": 100}, headers=staff.headers
    )
    return {f["code"] for f in flags.json()["items"] if f["status"] in ("open", "acknowledged")}


async def open_flag(client: httpx.AsyncClient, code: str, credentials: Credentials) -> Any:
    """The one open flag with that code that the caller sees."""
    flags = await client.get("/flags", params={"code": code}, headers=credentials.headers)
    [flag] = [f for f in flags.json()["items"] if f["status"] == "open"]
    return flag


def problem_fields(response: httpx.Response) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


# --- Money counts from the day it is paid --------------------------------------------------------


async def test_a_reimbursement_dated_next_year_is_refused_and_the_debt_stays_open(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    url, _, grower, staff = await hired(factory, arrived="2026-10-27", start_date="2026-10-27")
    visa = await record(client, f"{url}/costs", grower, VISA)
    assert visa.status_code == 201, visa.text
    assert {"REIMBURSEMENT_OVERDUE", "WORKER_BORE_RELATED_COST"} <= await open_codes_after_run(
        client, url, staff
    )
    promised = await record(
        client,
        f"{url}/reimbursements",
        grower,
        {"amount": VISA["amount"], "paid_on": "2027-01-15", "cost_ids": [visa.json()["id"]]},
    )
    assert promised.status_code == 422, promised.text
    assert problem_fields(promised) == ["paid_on"]
    assert (await session.exec(select(func.count()).select_from(Reimbursement))).one() == 0
    assert {"REIMBURSEMENT_OVERDUE", "WORKER_BORE_RELATED_COST"} <= await open_codes_after_run(
        client, url, staff
    )


async def test_a_reimbursement_counts_only_in_runs_on_or_after_the_day_it_was_paid(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    url, _, grower, staff = await hired(factory, arrived="2026-10-27", start_date="2026-10-27")
    visa = await record(client, f"{url}/costs", grower, VISA)
    paid = await record(
        client,
        f"{url}/reimbursements",
        grower,
        {"amount": VISA["amount"], "paid_on": "2026-12-01", "cost_ids": [visa.json()["id"]]},
    )
    assert paid.status_code == 201, paid.text
    before = await open_codes_after_run(client, url, staff, date(2026, 11, 30))
    assert {"REIMBURSEMENT_OVERDUE", "WORKER_BORE_RELATED_COST"} <= before
    after = await open_codes_after_run(client, url, staff, date(2026, 12, 1))
    assert not {"REIMBURSEMENT_OVERDUE", "WORKER_BORE_RELATED_COST"} & after


async def test_a_cost_paid_in_the_future_or_a_reimbursement_before_its_cost_is_refused(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    url, _, grower, _ = await hired(factory, arrived="2026-10-27", start_date="2026-10-27")
    future = await record(client, f"{url}/costs", grower, {**VISA, "paid_on": "2026-12-07"})
    assert future.status_code == 422, future.text
    assert problem_fields(future) == ["paid_on"]
    assert (await session.exec(select(func.count()).select_from(Cost))).one() == 0
    visa = await record(client, f"{url}/costs", grower, VISA)
    early = await record(
        client,
        f"{url}/reimbursements",
        grower,
        {"amount": VISA["amount"], "paid_on": "2026-10-16", "cost_ids": [visa.json()["id"]]},
    )
    assert early.status_code == 422, early.text
    assert problem_fields(early) == ["paid_on"]
    assert (await session.exec(select(func.count()).select_from(Reimbursement))).one() == 0


# --- Corrections ---------------------------------------------------------------------------------


async def test_a_correction_keeps_the_reimbursements_of_the_cost_it_replaces(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    url, worker_id, grower, staff = await hired(
        factory, arrived="2026-10-27", start_date="2026-10-27"
    )
    visa = (await record(client, f"{url}/costs", grower, VISA)).json()
    repaid = await record(
        client,
        f"{url}/reimbursements",
        grower,
        {"amount": VISA["amount"], "paid_on": "2026-11-01", "cost_ids": [visa["id"]]},
    )
    assert repaid.status_code == 201, repaid.text
    corrected = await record(
        client,
        f"{url}/costs",
        grower,
        {**VISA, "payee_name": "US Consulate Monterrey", "corrects_cost_id": visa["id"]},
    )
    assert corrected.status_code == 201, corrected.text
    assert "WORKER_BORE_RELATED_COST" not in {f["code"] for f in corrected.json()["open_flags"]}
    assert not {"WORKER_BORE_RELATED_COST", "REIMBURSEMENT_OVERDUE"} & await open_codes_after_run(
        client, url, staff
    )
    again = await record(
        client,
        f"{url}/reimbursements",
        grower,
        {"amount": VISA["amount"], "paid_on": "2026-12-02", "cost_ids": [corrected.json()["id"]]},
    )
    assert again.status_code == 422, again.text
    assert problem_fields(again) == ["amount.amount"]
    assert (await session.exec(select(func.count()).select_from(Reimbursement))).one() == 1
    ledger = await client.get(f"/workers/{worker_id}/ledger", headers=grower.headers)
    assert ledger.json()["lines"] == [
        {"currency": "USD", "paid": 19000, "reimbursed": 19000, "owed": 0, "overpaid": 0}
    ]


async def test_a_correction_under_what_was_paid_back_shows_as_overpaid_never_as_owed(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    url, worker_id, grower, staff = await hired(
        factory, arrived="2026-10-27", start_date="2026-10-27"
    )
    visa = (await record(client, f"{url}/costs", grower, VISA)).json()
    travel = (await record(client, f"{url}/costs", grower, INBOUND_TRAVEL)).json()
    await record(
        client,
        f"{url}/reimbursements",
        grower,
        {"amount": VISA["amount"], "paid_on": "2026-11-01", "cost_ids": [visa["id"]]},
    )
    lowered = {
        **VISA,
        "amount": {"amount": 16000, "currency": "USD"},
        "corrects_cost_id": visa["id"],
    }
    assert (await record(client, f"{url}/costs", grower, lowered)).status_code == 201
    ledger = await client.get(f"/workers/{worker_id}/ledger", headers=grower.headers)
    assert ledger.json()["lines"] == [
        {"currency": "USD", "paid": 66000, "reimbursed": 19000, "owed": 50000, "overpaid": 3000}
    ]
    flags = await client.get(
        "/flags",
        params={"recruitment_id": url.rsplit("/", 1)[-1], "code": "WORKER_BORE_RELATED_COST"},
        headers=staff.headers,
    )
    live = [f for f in flags.json()["items"] if f["status"] == "open"]
    assert [(f["subject"], f["evidence"]["outstanding"]) for f in live] == [
        (f"cost:{travel['id']}", 50000)
    ]


async def test_a_correction_can_not_be_dated_after_the_money_that_repaid_it(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    url, _, grower, _ = await hired(factory, arrived="2026-10-27", start_date="2026-10-27")
    visa = (await record(client, f"{url}/costs", grower, VISA)).json()
    await record(
        client,
        f"{url}/reimbursements",
        grower,
        {"amount": VISA["amount"], "paid_on": "2026-11-01", "cost_ids": [visa["id"]]},
    )
    moved = {**VISA, "paid_on": "2026-11-20", "corrects_cost_id": visa["id"]}
    refused = await record(client, f"{url}/costs", grower, moved)
    assert refused.status_code == 422, refused.text
    assert problem_fields(refused) == ["paid_on"]


# --- The first workweek ---------------------------------------------------------------------


async def test_the_first_workweek_starts_with_work_not_with_the_arrival(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    # Arrived Friday 2026-10-30, first day of work Monday 2026-11-02: the visa cost is due on
    # Sunday 2026-11-08, not on Sunday 2026-11-01 before any work.
    url, _, grower, staff = await hired(factory, arrived="2026-10-30", start_date="2026-11-02")
    assert (await record(client, f"{url}/costs", grower, VISA)).status_code == 201
    assert "REIMBURSEMENT_OVERDUE" not in await open_codes_after_run(
        client, url, staff, date(2026, 11, 2)
    )
    assert "REIMBURSEMENT_OVERDUE" not in await open_codes_after_run(
        client, url, staff, date(2026, 11, 8)
    )
    assert "REIMBURSEMENT_OVERDUE" in await open_codes_after_run(
        client, url, staff, date(2026, 11, 9)
    )
    flag = await open_flag(client, "REIMBURSEMENT_OVERDUE", grower)
    assert flag["evidence"]["deadline"]["due_on"] == "2026-11-08"


async def test_inbound_travel_that_pulls_week_one_under_the_minimum_is_due_in_week_one(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    # 17.00 USD an hour for 40 hours leaves (17.00 - 7.25) x 40 = 390.00 USD above the federal
    # minimum in a full first week (Monday 2026-11-02 to Sunday 2026-11-08); 500.00 of travel
    # pulls it 110.00 under, due that week; the rest may wait for half of the period.
    url, _, grower, staff = await hired(factory, arrived="2026-10-30", start_date="2026-11-02")
    travel = await record(client, f"{url}/costs", grower, INBOUND_TRAVEL)
    assert travel.status_code == 201, travel.text
    assert "REIMBURSEMENT_OVERDUE" not in await open_codes_after_run(
        client, url, staff, date(2026, 11, 8)
    )
    assert "REIMBURSEMENT_OVERDUE" in await open_codes_after_run(
        client, url, staff, date(2026, 11, 9)
    )
    flag = await open_flag(client, "REIMBURSEMENT_OVERDUE", grower)
    assert flag["evidence"]["deadline"]["basis"] == "first_workweek"
    assert flag["evidence"]["deadline"]["due_on"] == "2026-11-08"
    assert flag["evidence"]["deadline"]["amount_due"] == 11000
    assert flag["evidence"]["first_workweek"]["room_above_minimum"] == 39000
    week_one_part = await record(
        client,
        f"{url}/reimbursements",
        grower,
        {
            "amount": {"amount": 11000, "currency": "USD"},
            "paid_on": "2026-11-10",
            "cost_ids": [travel.json()["id"]],
        },
    )
    assert week_one_part.status_code == 201, week_one_part.text
    assert "REIMBURSEMENT_OVERDUE" not in await open_codes_after_run(
        client, url, staff, date(2026, 11, 10)
    )


async def test_without_an_hourly_wage_the_week_one_part_is_not_decided_and_says_so(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    url, _, grower, staff = await hired(
        factory, arrived="2026-10-30", start_date="2026-11-02", wage_unit="piece"
    )
    assert (await record(client, f"{url}/costs", grower, INBOUND_TRAVEL)).status_code == 201
    assert "REIMBURSEMENT_OVERDUE" not in await open_codes_after_run(
        client, url, staff, date(2026, 11, 9)
    )
    # 2026-10-01..2027-05-31 is 243 days: half is done on 2027-01-30.
    assert "REIMBURSEMENT_OVERDUE" in await open_codes_after_run(
        client, url, staff, date(2027, 1, 31)
    )
    flag = await open_flag(client, "REIMBURSEMENT_OVERDUE", grower)
    assert flag["evidence"]["deadline"]["basis"] == "half_of_period"
    assert flag["evidence"]["first_workweek"]["decided"] is False
    assert "piece" in flag["evidence"]["first_workweek"]["assumed"]


# --- When and under which source -----------------------------------------------------------------


async def test_evidence_names_the_date_and_source_and_a_dismissal_outlives_the_date(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    url, _, grower, staff = await hired(factory, arrived="2026-10-27", start_date="2026-10-27")
    assert (await record(client, f"{url}/costs", grower, VISA)).status_code == 201
    await open_codes_after_run(client, url, staff)
    flag = await open_flag(client, "REIMBURSEMENT_OVERDUE", staff)
    assert flag["evidence"]["as_of"] == TODAY.isoformat()
    assert flag["evidence"]["source"] == flag["source"]
    assert "Arriaga" in flag["evidence"]["deadline"]["source"]
    dismissed = await client.post(
        f"/flags/{flag['id']}/status-changes",
        json={"action": "dismiss", "note": "paid in cash, receipt on file"},
        headers=staff.headers,
    )
    assert dismissed.status_code == 200, dismissed.text
    await open_codes_after_run(client, url, staff, date(2027, 1, 10))
    again = await client.get(f"/flags/{flag['id']}", headers=staff.headers)
    assert again.json()["status"] == "dismissed"
    assert again.json()["evidence"]["as_of"] == TODAY.isoformat()


def carry_one_step() -> Any:
    """The statement migration 0009 repeats to carry reimbursements along chains of corrections."""
    path = Path(__file__).parents[2] / "migrations/versions/0009_corrections_keep_reimbursements.py"
    spec = importlib.util.spec_from_file_location("migration_0009", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CARRY_ONE_STEP


async def test_the_migration_carries_reimbursements_to_corrections_already_on_record(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    url, worker_id, grower, _ = await hired(factory, arrived="2026-10-27", start_date="2026-10-27")
    first = (await record(client, f"{url}/costs", grower, VISA)).json()
    await record(
        client,
        f"{url}/reimbursements",
        grower,
        {"amount": VISA["amount"], "paid_on": "2026-11-01", "cost_ids": [first["id"]]},
    )
    second = (
        await record(client, f"{url}/costs", grower, {**VISA, "corrects_cost_id": first["id"]})
    ).json()
    third = (
        await record(client, f"{url}/costs", grower, {**VISA, "corrects_cost_id": second["id"]})
    ).json()
    # As corrections were stored before this fix: the reimbursement names the first cost only.
    await session.exec(  # type: ignore[call-overload]
        text("DELETE FROM reimbursed_costs WHERE cost_id <> :first"), params={"first": first["id"]}
    )
    owed_before = (await client.get(f"/workers/{worker_id}/ledger", headers=grower.headers)).json()
    assert owed_before["lines"][0]["owed"] == 19000
    while (await session.exec(carry_one_step())).rowcount:
        pass
    linked = set(await session.exec(select(ReimbursedCost.cost_id)))
    assert {str(cost_id) for cost_id in linked} == {first["id"], second["id"], third["id"]}
    owed_after = (await client.get(f"/workers/{worker_id}/ledger", headers=grower.headers)).json()
    assert owed_after["lines"][0]["owed"] == 0
