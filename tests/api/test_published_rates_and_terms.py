"""Wage rates and meal charge maximums staff load, the rules that need them, and contracts refused
while the terms they would state break the rules (issue 13: Wages; a contract for bad terms)."""

from typing import Any
from uuid import UUID

import httpx

from tests.factories import Credentials, Factory, complete_terms

FL_2026_SOURCE = "Test table shaped like an OFLC AEWR notice (not the published figures)"


async def open_codes(
    client: httpx.AsyncClient, staff: Credentials, recruitment_id: UUID
) -> dict[str, dict[str, Any]]:
    response = await client.get(
        "/flags",
        params={"recruitment_id": str(recruitment_id), "status": "open"},
        headers=staff.headers,
    )
    assert response.status_code == 200, response.text
    return {flag["code"]: flag for flag in response.json()["items"]}


async def load(
    client: httpx.AsyncClient,
    credentials: Credentials,
    table: str,
    csv: str,
    effective_from: str,
    effective_until: str,
    source: str = FL_2026_SOURCE,
) -> httpx.Response:
    return await client.post(
        f"/published-rates/{table}/imports",
        params={
            "source": source,
            "effective_from": effective_from,
            "effective_until": effective_until,
            "file_name": "rates.csv",
        },
        content=csv.encode(),
        headers={**credentials.headers, "Content-Type": "text/csv"},
    )


async def hired_on(factory: Factory, **terms: Any) -> tuple[Any, Credentials]:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id, **terms)
    return await factory.hire(job_order), credentials


async def test_a_season_with_no_loaded_aewr_is_a_finding_until_staff_load_the_rates(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    season_2025, _ = await hired_on(factory)
    season_2026, _ = await hired_on(factory, period_start="2026-04-01", period_end="2026-09-30")
    season_2027, _ = await hired_on(factory, period_start="2027-04-01", period_end="2027-09-30")
    assert "WAGE_FLOOR_UNKNOWN" not in await open_codes(client, staff, season_2025.recruitment_id)
    unknown = (await open_codes(client, staff, season_2026.recruitment_id))["WAGE_FLOOR_UNKNOWN"]
    assert unknown["severity"] == "warning"
    assert unknown["evidence"]["on_date"] == "2026-04-01"
    assert unknown["evidence"]["state"] == "FL"
    assert "WAGE_FLOOR_UNKNOWN" in await open_codes(client, staff, season_2027.recruitment_id)

    # 17.00 USD offered; a 2026 rate of 18.00 puts it under the floor.
    loaded = await load(client, staff, "wage-rates", "state,hourly_usd\nFL,18.00\nGA,16.00\n",
                        "2026-01-01", "2026-12-31")  # fmt: skip
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["load"]["rows"] == 2
    assert loaded.json()["unchanged"] is False
    flags_2026 = await open_codes(client, staff, season_2026.recruitment_id)
    assert "WAGE_FLOOR_UNKNOWN" not in flags_2026
    below = flags_2026["WAGE_BELOW_FLOOR"]["evidence"]
    assert below["floor_cents"] == 1800
    assert below["aewr"]["source"]
    assert below["on_date"] == "2026-04-01"
    # The 2027 season is still unknown. The season that began in November 2025 met its packaged
    # rate, but runs to May 2026: from the day the 2026 rate takes effect it is under it.
    assert "WAGE_FLOOR_UNKNOWN" in await open_codes(client, staff, season_2027.recruitment_id)
    mid_season = (await open_codes(client, staff, season_2025.recruitment_id))["WAGE_BELOW_FLOOR"]
    assert (mid_season["evidence"]["on_date"], mid_season["evidence"]["floor_cents"]) == (
        "2026-01-01",
        1800,
    )

    again = await load(client, staff, "wage-rates", "state,hourly_usd\nFL,18.00\nGA,16.00\n",
                       "2026-01-01", "2026-12-31")  # fmt: skip
    assert again.json()["unchanged"] is True
    assert again.json()["load"]["id"] == loaded.json()["load"]["id"]

    # A corrected table supersedes the first one.
    corrected = await load(client, staff, "wage-rates", "state,hourly_usd\nFL,16.50\n",
                           "2026-01-01", "2026-12-31", source="Corrected test table")  # fmt: skip
    assert corrected.json()["superseded"] == 1
    assert "WAGE_BELOW_FLOOR" not in await open_codes(client, staff, season_2026.recruitment_id)
    assert "WAGE_BELOW_FLOOR" not in await open_codes(client, staff, season_2025.recruitment_id)
    loads = await client.get("/published-rates/wage-rates/imports", headers=staff.headers)
    assert [entry["source"] for entry in loads.json()][:2] == [
        "Corrected test table",
        FL_2026_SOURCE,
    ]


async def test_rates_by_occupation_apply_their_lowest_skill_level_and_say_so(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    hire, _ = await hired_on(factory, period_start="2026-04-01", period_end="2026-09-30")
    table = (
        "state,soc_code,skill_level,hourly_usd\n"
        "FL,45-2092,I,17.50\n"
        "FL,45-2092,II,19.00\n"
        "FL,45-2091,I,21.00\n"
    )
    assert (await load(client, staff, "wage-rates", table, "2026-01-01", "2026-12-31")).is_success
    below = (await open_codes(client, staff, hire.recruitment_id))["WAGE_BELOW_FLOOR"]["evidence"]
    assert below["aewr"]["soc_code"] == "45-2092"
    assert below["aewr"]["skill_level"] == "I"
    assert below["floor_cents"] == 1750


async def test_a_bad_rate_table_is_refused_whole_and_only_staff_load_one(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    _, grower = await factory.grower_with_key()
    refused = await load(client, grower, "wage-rates", "state,hourly_usd\nFL,18.00\n",
                         "2026-01-01", "2026-12-31")  # fmt: skip
    assert refused.status_code == 403
    bad = await load(client, staff, "wage-rates", "state,hourly_usd\nFL,18.00\nXX,abc\n",
                     "2026-01-01", "2026-12-31")  # fmt: skip
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    fields = {error["field"] for error in bad.json()["errors"]}
    assert fields == {"body.line.3.state"}
    listed = await client.get("/published-rates/wage-rates/imports", headers=staff.headers)
    assert all(entry["effective_from"] != "2026-01-01" for entry in listed.json())
    backwards = await load(client, staff, "wage-rates", "state,hourly_usd\nFL,18.00\n",
                           "2026-12-31", "2026-01-01")  # fmt: skip
    assert backwards.status_code == 422


async def test_a_wage_in_pesos_is_a_finding(client: httpx.AsyncClient, factory: Factory) -> None:
    staff = await factory.key("staff")
    for start, end in (("2025-11-01", "2026-05-31"), ("2026-04-01", "2026-09-30")):
        hire, _ = await hired_on(
            factory,
            period_start=start,
            period_end=end,
            wage_offer={"amount": 1700, "currency": "MXN"},
        )
        flag = (await open_codes(client, staff, hire.recruitment_id))["WAGE_NOT_IN_USD"]
        assert flag["severity"] == "violation"
        assert flag["evidence"]["offers"] == [
            {"item": "wage_offer", "wage": {"amount": 1700, "currency": "MXN"}}
        ]


async def test_fica_and_a_meal_charge_over_the_published_maximum_are_unlawful_deductions(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    hire, _ = await hired_on(
        factory,
        deductions=[{"description": "FICA", "basis": "7.65% of gross wages"}],
        meals={"arrangement": "provided", "charge_per_day": {"amount": 1700, "currency": "USD"}},
    )
    flag = (await open_codes(client, staff, hire.recruitment_id))["UNLAWFUL_DEDUCTION"]
    problems = {problem["kind"]: problem for problem in flag["evidence"]["problems"]}
    assert set(problems) == {"fica", "meal_charge_above_maximum"}
    assert "26 USC 3121(b)(1)" in problems["fica"]["source"]
    assert problems["meal_charge_above_maximum"]["maximum"]["daily_cents"] == 1628
    assert problems["meal_charge_above_maximum"]["on_date"] == "2025-11-01"

    lawful, _ = await hired_on(
        factory,
        meals={"arrangement": "provided", "charge_per_day": {"amount": 1600, "currency": "USD"}},
    )
    assert "UNLAWFUL_DEDUCTION" not in await open_codes(client, staff, lawful.recruitment_id)


async def test_a_meal_charge_with_no_loaded_maximum_is_a_finding_until_staff_load_it(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    meals = {"arrangement": "provided", "charge_per_day": {"amount": 1700, "currency": "USD"}}
    hire, _ = await hired_on(
        factory, period_start="2027-04-01", period_end="2027-09-30", meals=meals
    )
    flags = await open_codes(client, staff, hire.recruitment_id)
    assert flags["MEAL_CHARGE_MAXIMUM_UNKNOWN"]["evidence"]["on_date"] == "2027-04-01"
    assert "UNLAWFUL_DEDUCTION" not in flags
    loaded = await load(client, staff, "meal-charge-maximums",
                        "effective_from,daily_usd\n2027-03-01,16.90\n", "2027-01-01",
                        "2027-12-31", source="Test meal charge table")  # fmt: skip
    assert loaded.status_code == 200, loaded.text
    flags = await open_codes(client, staff, hire.recruitment_id)
    assert "MEAL_CHARGE_MAXIMUM_UNKNOWN" not in flags
    assert flags["UNLAWFUL_DEDUCTION"]["evidence"]["problems"][0]["maximum"]["daily_cents"] == 1690


async def test_a_contract_for_terms_with_open_findings_is_refused_unless_staff_override(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    hire, grower = await hired_on(
        factory,
        deductions=[{"description": "Seguro social (FICA)", "basis": "7.65%"}],
        wage_offer={"amount": 500, "currency": "USD"},
    )
    path = f"/workers/{hire.worker_id}/contracts"
    refused = await client.post(path, json={}, headers=grower.headers)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    fields = {error["field"] for error in refused.json()["errors"]}
    assert fields == {
        "job_order.terms.UNLAWFUL_DEDUCTION",
        "job_order.terms.WAGE_BELOW_FLOOR",
    }
    bulk = await client.post(
        f"/job-orders/{hire.job_order_id}/contracts", json={}, headers=grower.headers
    )
    assert bulk.status_code == 409, bulk.text

    reason = "Workers already in transit; the grower corrected the terms in writing on site."
    forbidden = await client.post(path, json={"override_reason": reason}, headers=grower.headers)
    assert forbidden.status_code == 403
    issued = await client.post(path, json={"override_reason": reason}, headers=staff.headers)
    assert issued.status_code == 201, issued.text
    contract = issued.json()
    assert contract["terms_override_reason"] == reason
    assert set(contract["terms_findings_overridden"]) == {"WAGE_BELOW_FLOOR", "UNLAWFUL_DEDUCTION"}

    page = await client.get(f"/verify/{contract['verification_code']}?lang=en")
    assert page.status_code == 200
    assert reason in page.text
    assert "The wage is below the legal minimum" in page.text
    trail = await client.get("/audit", params={"subject_id": contract["id"]}, headers=staff.headers)
    (event,) = trail.json()["items"]
    assert event["after"]["terms_override_reason"] == reason


async def test_a_contract_for_terms_without_findings_is_issued_as_before(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    hire, grower = await hired_on(factory, **complete_terms())
    issued = await client.post(
        f"/workers/{hire.worker_id}/contracts", json={}, headers=grower.headers
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["terms_override_reason"] is None
    page = await client.get(f"/verify/{issued.json()['verification_code']}?lang=en")
    assert "Issued despite problems" not in page.text


async def test_a_rate_table_with_odd_cells_is_a_problem_document_not_a_crash(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    for table in (
        "state,hourly_usd,note\nFL,18.00,a\x00b\n",
        "state,hourly_usd\nFL,sNaN\n",
        "state,hourly_usd\nFL,Infinity\n",
        "state,rate\nFL,18.00\n",
        "state,hourly_usd\n",
    ):
        response = await load(client, staff, "wage-rates", table, "2026-01-01", "2026-12-31")
        assert response.status_code == 422, (table, response.text)
    nul_source = await load(client, staff, "wage-rates", "state,hourly_usd\nFL,18.00\n",
                            "2026-01-01", "2026-12-31", source="a\x00b")  # fmt: skip
    assert 400 <= nul_source.status_code < 500
