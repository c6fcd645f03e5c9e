"""Reports through the API: every figure checked against the season built for it."""

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args
from uuid import UUID

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.vocabulary import Channel, VerificationStatus
from recruitment.schemas.reports import ReportPeriod
from recruitment.services import reports
from recruitment.services.caller import Caller
from tests.factories import Credentials, Factory, worker_identity

CHANNELS: tuple[Channel, ...] = get_args(Channel)
STATUSES: tuple[VerificationStatus, ...] = get_args(VerificationStatus)
LIVE = ("open", "acknowledged")
SHARES = ("recruited_through_sne", "sne_claim_verified", "hired_directly", "contract_before_visa")


@dataclass(frozen=True)
class CostSpec:
    category: str
    amount: int
    currency: str
    corrected_to: int | None = None  # a correction supersedes the first report
    reimbursed: int = 0

    @property
    def current(self) -> int:
        return self.corrected_to or self.amount


@dataclass(frozen=True)
class CaseSpec:
    grower: str
    channel: Channel = "sne"
    sne_verified: bool = False
    hired: Literal["direct", "by_contractor"] | None = "direct"  # by_contractor: it employs
    season: int = 2025
    recruited: str = "2025-09-01"
    visa_applied: str | None = "2025-09-20"
    contract_delivered: str | None = None
    contractors: tuple[str, ...] = ()  # each engaged by the grower
    costs: tuple[CostSpec, ...] = ()


SEASON = (
    # Clean: SNE, verified, hired directly, contract in hand before the visa application.
    CaseSpec("alpha", sne_verified=True, contract_delivered="2025-09-10"),
    # Through two contractors, one of them the employer, and a recruitment fee.
    CaseSpec(
        "alpha",
        channel="private_recruiter",
        hired="by_contractor",
        visa_applied="2025-09-15",
        contractors=("Verified Harvest FLC", "Campos Sin Registro FLC"),
        costs=(
            CostSpec("recruitment_fee", 200000, "MXN"),
            CostSpec("travel_and_lodging", 5000, "USD", corrected_to=4000, reimbursed=1500),
        ),
    ),
    # Recruited through the SNE, not verified, not hired, no visa application yet.
    CaseSpec("alpha", hired=None, visa_applied=None),
    # The contract reached the worker after the visa application.
    CaseSpec("alpha", contract_delivered="2025-09-25"),
    # Another grower, through the contractor alpha uses too; its visa cost paid back in full.
    CaseSpec(
        "beta",
        channel="other",
        contractors=("Verified Harvest FLC",),
        costs=(CostSpec("administrative", 19000, "USD", reimbursed=19000),),
    ),
    # The season before: outside every 2025 figure.
    CaseSpec(
        "alpha",
        sne_verified=True,
        season=2024,
        recruited="2024-09-01",
        visa_applied="2024-09-20",
    ),
)
VERIFIED_CONTRACTORS = {"Verified Harvest FLC"}


@dataclass
class Season:
    staff: Credentials
    keys: dict[str, Credentials]
    grower_ids: dict[str, UUID]
    names: dict[str, str]
    recruitment_ids: dict[CaseSpec, str] = field(default_factory=dict)


async def _post(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], credentials: Credentials
) -> dict[str, Any]:
    response = await client.post(url, json=body, headers=credentials.headers)
    assert response.status_code in (200, 201), (url, response.text)
    result: dict[str, Any] = response.json()
    return result


async def _contractor(client: httpx.AsyncClient, staff: Credentials, name: str, serial: int) -> str:
    declared = await _post(
        client,
        "/intermediaries",
        {
            "kind": "farm_labor_contractor",
            "name": name,
            "country": "US",
            "certificate_number": f"C-04-00000{serial}-X-25-R",
            "certificate_valid_from": "2025-01-01",
            "certificate_valid_until": "2026-12-31",
        },
        staff,
    )
    if name in VERIFIED_CONTRACTORS:
        await _post(
            client,
            f"/intermediaries/{declared['id']}/verifications",
            {"status": "verified", "note": "DOL registry certificate checked"},
            staff,
        )
    return str(declared["id"])


async def _build_case(
    client: httpx.AsyncClient,
    staff: Credentials,
    spec: CaseSpec,
    job_order_id: UUID,
    office_id: UUID,
    contractor_ids: dict[str, str],
) -> str:
    facts: dict[str, Any] = {
        "job_order_id": str(job_order_id),
        "worker": worker_identity(),
        "channel": spec.channel,
        "chain": [
            {
                "intermediary_id": contractor_ids[name],
                "engaged_by": "grower",
                "written_fee_ban": True,
            }
            for name in spec.contractors
        ],
        "milestones": {"recruited": spec.recruited, "visa_applied": spec.visa_applied},
    }
    if spec.channel == "sne":
        facts |= {"sne_folio": f"TLX-{worker_identity()['curp']}", "sne_office_id": str(office_id)}
    if spec.hired is None:
        created = await _post(client, "/recruitments", facts, staff)
        recruitment_id, worker_id = created["id"], created["worker"]["id"]
    else:
        employer = (
            {"kind": "intermediary", "id": contractor_ids[spec.contractors[0]]}
            if spec.hired == "by_contractor"
            else {"kind": "grower"}
        )
        hire = await _post(
            client,
            "/hires",
            {
                **facts,
                "start_date": f"{spec.season}-11-01",
                "employer_of_record": employer,
                "wages_paid_by": employer,
            },
            staff,
        )
        recruitment_id, worker_id = hire["recruitment_id"], hire["worker_id"]
    url = f"/recruitments/{recruitment_id}"
    if spec.sne_verified:
        evidence = {"decision": "verified", "evidence": "SNE referral list: folio matches"}
        await _post(client, f"{url}/channel-verification", evidence, staff)
    if spec.contract_delivered:
        with clock.as_of(date.fromisoformat(spec.contract_delivered)):
            contract = await _post(
                client,
                f"/workers/{worker_id}/contracts",
                {"job_order_id": str(job_order_id)},
                staff,
            )
            await _post(
                client,
                f"/contracts/{contract['id']}/deliveries",
                {"method": "in_person", "delivered_on": spec.contract_delivered},
                staff,
            )
    for cost in spec.costs:
        body = {
            "category": cost.category,
            "amount": {"amount": cost.amount, "currency": cost.currency},
            "paid_on": spec.recruited,
            "payee_kind": "other",
            "payee_name": "Reclutador",
            "reported_by": "worker",
        }
        recorded = await _post(client, f"{url}/costs", body, staff)
        if cost.corrected_to:
            body["amount"] = {"amount": cost.corrected_to, "currency": cost.currency}
            recorded = await _post(
                client, f"{url}/costs", {**body, "corrects_cost_id": recorded["id"]}, staff
            )
        if cost.reimbursed:
            repayment = {
                "amount": {"amount": cost.reimbursed, "currency": cost.currency},
                "paid_on": "2025-10-01",
                "cost_ids": [recorded["id"]],
            }
            await _post(client, f"{url}/reimbursements", repayment, staff)
    return str(recruitment_id)


@pytest.fixture
async def season(client: httpx.AsyncClient, factory: Factory) -> Season:
    staff = await factory.key("staff")
    built = Season(staff=staff, keys={}, grower_ids={}, names={})
    job_orders: dict[tuple[str, int], UUID] = {}
    for name in sorted({spec.grower for spec in SEASON}):
        grower, key = await factory.grower_with_key(legal_name=f"{name.title()} Farms LLC")
        built.keys[name], built.grower_ids[name], built.names[name] = (
            key,
            grower.id,
            grower.legal_name,
        )
        for year in sorted({spec.season for spec in SEASON}):
            job_order = await factory.job_order(
                grower.id, period_start=f"{year}-11-01", period_end=f"{year + 1}-05-31"
            )
            job_orders[name, year] = job_order.id
    office = await factory.intermediary()
    names = sorted({name for spec in SEASON for name in spec.contractors})
    contractor_ids = {
        name: await _contractor(client, staff, name, serial) for serial, name in enumerate(names)
    }
    assert len(set(SEASON)) == len(SEASON), "each case spec names one case"
    for spec in SEASON:
        built.recruitment_ids[spec] = await _build_case(
            client, staff, spec, job_orders[spec.grower, spec.season], office.id, contractor_ids
        )
    return built


# --- What the report must say, from the specs and the flags the cases carry ---------------------


def share(numerator: int, denominator: int) -> dict[str, Any]:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "share": round(numerator / denominator, 4) if denominator else None,
    }


async def live_flags(
    client: httpx.AsyncClient, season: Season, cases: Sequence[CaseSpec]
) -> list[dict[str, Any]]:
    """The open and acknowledged flags of these cases, by code and severity, as the queue lists
    them case by case."""
    counts: Counter[tuple[str, str]] = Counter()
    for spec in cases:
        listed = await client.get(
            "/flags",
            params={"recruitment_id": season.recruitment_ids[spec], "limit": 100},
            headers=season.staff.headers,
        )
        for flag in listed.json()["items"]:
            if flag["status"] in LIVE:
                counts[flag["code"], flag["severity"]] += 1
    return [
        {"code": code, "severity": severity, "count": count}
        for (code, severity), count in sorted(counts.items())
    ]


async def expected_figures(
    client: httpx.AsyncClient, season: Season, cases: Sequence[CaseSpec]
) -> dict[str, Any]:
    sne = [c for c in cases if c.channel == "sne"]
    hired = [c for c in cases if c.hired]
    visa = [c for c in cases if c.visa_applied]
    in_time = [c for c in visa if c.contract_delivered and c.contract_delivered <= c.visa_applied]
    reported: Counter[str] = Counter()
    reimbursed: Counter[str] = Counter()
    for cost in (cost for c in cases for cost in c.costs):
        reported[cost.currency] += cost.current
        reimbursed[cost.currency] += cost.reimbursed
    contractors = {name for c in cases for name in c.contractors}
    by_status = Counter(
        "verified" if n in VERIFIED_CONTRACTORS else "unverified" for n in contractors
    )
    return {
        "cases": len(cases),
        "by_channel": {channel: sum(c.channel == channel for c in cases) for channel in CHANNELS},
        "recruited_through_sne": share(len(sne), len(cases)),
        "sne_claim_verified": share(sum(c.sne_verified for c in sne), len(sne)),
        "hired_directly": share(sum(c.hired == "direct" for c in hired), len(hired)),
        "contract_before_visa": share(len(in_time), len(visa)),
        "open_flags": await live_flags(client, season, cases),
        "costs": [
            {
                "currency": currency,
                "reported": reported[currency],
                "reimbursed": reimbursed[currency],
            }
            for currency in sorted(reported)
        ],
        "contractors": {status: by_status[status] for status in STATUSES},
    }


def in_season(year: int, grower: str | None = None) -> list[CaseSpec]:
    return [s for s in SEASON if s.season == year and grower in (None, s.grower)]


def figures_of(report: dict[str, Any]) -> dict[str, Any]:
    # The program's complaint figures are tested with complaints (tests/api/test_complaints.py).
    return {
        key: value
        for key, value in report.items()
        if key not in ("period", "growers", "complaints")
    }


# --- JSON ---------------------------------------------------------------------------------------


async def test_a_growers_season_report_counts_exactly_its_cases(
    client: httpx.AsyncClient, season: Season
) -> None:
    alpha = season.grower_ids["alpha"]
    response = await client.get(
        f"/reports/growers/{alpha}", params={"season": 2025}, headers=season.keys["alpha"].headers
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report.pop("grower_id") == str(alpha)
    assert report.pop("grower_name") == season.names["alpha"]
    assert report["period"] == {
        "basis": "job_order_period_start",
        "season": 2025,
        "recruited_from": None,
        "recruited_until": None,
    }
    cases = in_season(2025, "alpha")
    assert figures_of(report) == await expected_figures(client, season, cases)
    # What the season was built to show, spelt out once, in case the expectations above and the
    # report were wrong the same way.
    assert report["cases"] == 4
    assert report["contract_before_visa"] == share(1, 3)
    assert {"code": "RECRUITMENT_FEE_CHARGED", "severity": "critical", "count": 1} in report[
        "open_flags"
    ]
    assert report["costs"] == [
        {"currency": "MXN", "reported": 200000, "reimbursed": 0},
        {"currency": "USD", "reported": 4000, "reimbursed": 1500},
    ]


async def test_the_program_report_totals_every_grower_and_breaks_them_down(
    client: httpx.AsyncClient, season: Season
) -> None:
    # A flag staff dismissed is no longer open; one they acknowledged still is.
    changes = {
        ("beta", "NON_SNE_CHANNEL"): "dismiss",
        ("alpha", "RECRUITMENT_FEE_CHARGED"): "acknowledge",
    }
    applied = []
    for spec in in_season(2025):
        queue = await client.get(
            "/flags",
            params={"recruitment_id": season.recruitment_ids[spec]},
            headers=season.staff.headers,
        )
        for flag in queue.json()["items"]:
            action = changes.get((spec.grower, flag["code"]))
            if action:
                body = {"action": action, "note": "seen in the audit interview"}
                await _post(client, f"/flags/{flag['id']}/status-changes", body, season.staff)
                applied.append(action)
    assert sorted(applied) == sorted(changes.values())
    response = await client.get(
        "/reports/program", params={"season": 2025}, headers=season.staff.headers
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert figures_of(report) == await expected_figures(client, season, in_season(2025))
    alpha_flags, beta_flags = (g["open_flags"] for g in report["growers"])
    assert not any(flag["code"] == "NON_SNE_CHANNEL" for flag in beta_flags)
    assert any(flag["code"] == "RECRUITMENT_FEE_CHARGED" for flag in alpha_flags)
    # One contractor serves both growers: the program counts it once.
    assert report["contractors"]["verified"] == 1
    assert [g["grower_name"] for g in report["growers"]] == [
        season.names["alpha"],
        season.names["beta"],
    ]
    for grower in report["growers"]:
        name = next(n for n, i in season.grower_ids.items() if str(i) == grower["grower_id"])
        expected = await expected_figures(client, season, in_season(2025, name))
        assert {k: v for k, v in grower.items() if k not in ("grower_id", "grower_name")} == (
            expected
        )


async def test_a_range_of_recruited_dates_includes_both_ends(
    client: httpx.AsyncClient, season: Season
) -> None:
    [earlier] = in_season(2024)
    response = await client.get(
        "/reports/program",
        params={"from": earlier.recruited, "until": earlier.recruited},
        headers=season.staff.headers,
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["period"]["basis"] == "recruited_on"
    assert report["period"]["recruited_from"] == earlier.recruited
    assert figures_of(report) == await expected_figures(client, season, [earlier])
    open_ended = await client.get(
        "/reports/program", params={"from": "2025-01-01"}, headers=season.staff.headers
    )
    assert open_ended.json()["cases"] == len(in_season(2025))


async def test_a_grower_without_cases_gets_zeros_and_null_shares(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, key = await factory.grower_with_key()
    response = await client.get(
        f"/reports/growers/{grower.id}", params={"season": 2025}, headers=key.headers
    )
    report = response.json()
    assert report["cases"] == 0
    assert report["hired_directly"] == {"numerator": 0, "denominator": 0, "share": None}
    assert report["open_flags"] == report["costs"] == []
    assert report["contractors"] == dict.fromkeys(STATUSES, 0)


# --- CSV ----------------------------------------------------------------------------------------


async def test_the_csv_form_carries_the_same_figures_one_row_each(
    client: httpx.AsyncClient, season: Season
) -> None:
    params = {"season": 2025}
    as_json = (
        await client.get("/reports/program", params=params, headers=season.staff.headers)
    ).json()
    response = await client.get(
        "/reports/program", params=params, headers={**season.staff.headers, "Accept": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="report-program-season-2025.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    scopes = {"": as_json, **{g["grower_id"]: g for g in as_json["growers"]}}
    figures_in_csv = 0
    for grower_id, figures in scopes.items():
        row = {
            (r["section"], r["key"]): r
            for r in rows
            if r["grower_id"] == grower_id
            and r["scope"] == ("program" if grower_id == "" else "grower")
        }
        assert int(row["cases", "total"]["value"]) == figures["cases"]
        for channel, count in figures["by_channel"].items():
            assert int(row["channel", channel]["value"]) == count
        for name in SHARES:
            cells = row["share", name]
            expected = figures[name]
            assert (int(cells["numerator"]), int(cells["denominator"])) == (
                expected["numerator"],
                expected["denominator"],
            )
            assert (float(cells["value"]) if cells["value"] else None) == expected["share"]
        for flag in figures["open_flags"]:
            cells = row["open_flags", flag["code"]]
            assert (cells["severity"], int(cells["value"])) == (flag["severity"], flag["count"])
        for line in figures["costs"]:
            assert int(row["costs_reported", line["currency"]]["value"]) == line["reported"]
            assert int(row["costs_reimbursed", line["currency"]]["value"]) == line["reimbursed"]
        for status, count in figures["contractors"].items():
            assert int(row["contractors", status]["value"]) == count
        figures_in_csv += len(row)
    assert len(rows) == figures_in_csv, "every row is one of the figures above"


async def test_a_growers_csv_names_the_grower_on_every_row(
    client: httpx.AsyncClient, season: Season
) -> None:
    alpha = season.grower_ids["alpha"]
    response = await client.get(
        f"/reports/growers/{alpha}",
        params={"from": "2025-01-01", "until": "2025-12-31"},
        headers={**season.keys["alpha"].headers, "Accept": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert (
        f'filename="report-grower-{alpha}-recruited-2025-01-01-to-2025-12-31.csv"'
        in (response.headers["content-disposition"])
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {(r["scope"], r["grower_id"], r["grower_name"]) for r in rows} == {
        ("grower", str(alpha), season.names["alpha"])
    }
    [share_row] = [r for r in rows if (r["section"], r["key"]) == ("share", "contract_before_visa")]
    cases = in_season(2025, "alpha")
    visa = [c for c in cases if c.visa_applied]
    assert int(share_row["denominator"]) == len(visa)


async def test_a_grower_name_that_looks_like_a_formula_stays_text_in_the_csv(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, key = await factory.grower_with_key(legal_name='=HYPERLINK("http://x.example","Farm")')
    response = await client.get(
        f"/reports/growers/{grower.id}",
        params={"season": 2025},
        headers={**key.headers, "Accept": "text/csv"},
    )
    names = {row["grower_name"] for row in csv.DictReader(io.StringIO(response.text))}
    assert names == {"'" + grower.legal_name}


# --- Refusals -----------------------------------------------------------------------------------


async def test_a_grower_may_not_read_the_program_or_another_growers_report(
    client: httpx.AsyncClient, season: Season
) -> None:
    alpha = season.keys["alpha"]
    program = await client.get("/reports/program", params={"season": 2025}, headers=alpha.headers)
    assert program.status_code == 403
    other = await client.get(
        f"/reports/growers/{season.grower_ids['beta']}",
        params={"season": 2025},
        headers=alpha.headers,
    )
    assert other.status_code == 404
    unknown = await client.get(
        f"/reports/growers/{UUID(int=1)}", params={"season": 2025}, headers=season.staff.headers
    )
    assert unknown.status_code == 404
    for response in (program, other, unknown):
        assert response.headers["content-type"].startswith("application/problem+json")
    staff = await client.get(
        f"/reports/growers/{season.grower_ids['beta']}",
        params={"season": 2025},
        headers=season.staff.headers,
    )
    assert staff.status_code == 200


async def test_an_unsupported_accept_is_406(client: httpx.AsyncClient, factory: Factory) -> None:
    staff = await factory.key("staff")
    response = await client.get(
        "/reports/program",
        params={"season": 2025},
        headers={**staff.headers, "Accept": "application/xml"},
    )
    assert response.status_code == 406
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "text/csv" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"season": "2025", "from": "2025-01-01"}, {"season", "from"}),
        ({"season": "2025", "until": "2025-12-31"}, {"season", "until"}),
        ({"from": "2025-06-01", "until": "2025-05-31"}, {"until"}),
        ({}, {"season", "from", "until"}),
        ({"season": "25"}, {"season"}),
        ({"from": "June"}, {"from"}),
    ],
)
async def test_a_period_that_is_mixed_reversed_missing_or_malformed_is_422_naming_fields(
    client: httpx.AsyncClient, factory: Factory, params: dict[str, str], named: set[str]
) -> None:
    staff = await factory.key("staff")
    response = await client.get("/reports/program", params=params, headers=staff.headers)
    assert response.status_code == 422, response.text
    assert {error["field"] for error in response.json()["errors"]} == named


# --- Set-based --------------------------------------------------------------------------------


async def test_a_report_takes_the_same_few_queries_however_many_cases(
    factory: Factory, session: AsyncSession, queries: list[str]
) -> None:
    grower = await factory.grower()
    job_order = await factory.job_order(grower.id)
    staff = Caller(actor="test", role="staff")
    period = ReportPeriod(season=2025)
    cases = 0
    for added in (2, 6):
        for _ in range(added):
            await factory.hire(job_order)
        cases += added
        queries.clear()
        assert (await reports.program_report(session, staff, period)).cases == cases
        program_queries = len(queries)
        queries.clear()
        assert (await reports.grower_report(session, staff, grower.id, period)).cases == cases
        # The grower's report first checks that the caller may see the grower; the program's
        # adds three for its complaint figures.
        assert (program_queries, len(queries)) == (8, 6)
