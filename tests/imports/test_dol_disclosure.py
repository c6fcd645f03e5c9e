"""Importing OFLC H-2A disclosure files: the right counts, twice is once, another fiscal year's
column names import the same, and H-2A labor contractors' placements are visible to whom they
concern. The expected counts come from the CSV files of tests/data, never from the code."""

import csv
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.cli import main
from recruitment.errors import InvalidInput
from recruitment.imports import dol_disclosure as dol
from recruitment.models import (
    AuditEvent,
    ContractorPlacement,
    Grower,
    Intermediary,
    JobOrder,
    JobOrderVersion,
)
from recruitment.services import dol_disclosures, job_orders
from recruitment.services.caller import COMMAND_LINE
from recruitment.services.dol_disclosures import DisclosureImportReport
from tests.databases import throwaway_database
from tests.factories import Factory

DATA = Path(__file__).parents[1] / "data" / "dol_h2a_fy2022q1"


def rows_of(name: str, directory: Path = DATA) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def copy_with(
    target: Path,
    renamed: dict[str, dict[str, str]] | None = None,
    edit: Callable[[str, list[list[str]]], list[list[str]]] | None = None,
) -> Path:
    """The test files again, with columns renamed (per file) or rows edited."""
    target.mkdir(exist_ok=True)
    for name in dol.FILES:
        with (DATA / name).open(encoding="utf-8", newline="") as file:
            table = list(csv.reader(file))
        names = (renamed or {}).get(name, {})
        table[0] = [names.get(column, column) for column in table[0]]
        if edit is not None:
            table = edit(name, table)
        with (target / name).open("w", encoding="utf-8", newline="") as file:
            csv.writer(file).writerows(table)
    return target


async def import_from(session: AsyncSession, directory: Path = DATA) -> DisclosureImportReport:
    files = {name: (directory / name).open(encoding="utf-8-sig", newline="") for name in dol.FILES}
    try:
        return await dol_disclosures.import_disclosure(session, COMMAND_LINE, files)
    finally:
        for file in files.values():
            file.close()


async def count(session: AsyncSession, statement: Any) -> int:
    return int((await session.exec(statement)).one() or 0)


async def imported_job_orders(session: AsyncSession) -> list[tuple[JobOrder, dict[str, Any]]]:
    current = (col(JobOrderVersion.job_order_id) == col(JobOrder.id)) & (
        col(JobOrderVersion.number) == col(JobOrder.current_version)
    )
    rows = await session.exec(
        select(JobOrder, JobOrderVersion.terms)
        .join(JobOrderVersion, current)
        .where(col(JobOrder.source).startswith(dol_disclosures.SOURCE_PREFIX))
    )
    return list(rows.all())


async def table_counts(session: AsyncSession) -> dict[str, int]:
    return {
        model.__name__: await count(session, select(func.count()).select_from(model))
        for model in (
            Grower,
            Intermediary,
            JobOrder,
            JobOrderVersion,
            ContractorPlacement,
            AuditEvent,
        )
    }


class Expected:
    """What the test files hold, counted from the CSV."""

    def __init__(self) -> None:
        self.cases = rows_of(dol.CASES)
        self.contractor_cases = {
            case["CASE_NUMBER"] for case in self.cases if case["H2A_LABOR_CONTRACTOR"] == "Y"
        }
        self.crops = rows_of(dol.CROPS)
        self.housing = rows_of(dol.HOUSING)
        self.places = rows_of(dol.PLACES)
        self.contractor_places = [
            p for p in self.places if p["CASE_NUMBER"] in self.contractor_cases
        ]
        self.grower_places = [
            p for p in self.places if p["CASE_NUMBER"] not in self.contractor_cases
        ]
        self.contractors = {
            (dol.name_key(case["EMPLOYER_NAME"]), case["EMPLOYER_STATE"])
            for case in self.cases
            if case["CASE_NUMBER"] in self.contractor_cases
        }
        self.growers = {
            (dol.name_key(case["EMPLOYER_NAME"]), case["EMPLOYER_STATE"])
            for case in self.cases
            if case["CASE_NUMBER"] not in self.contractor_cases
        } | {
            (
                dol.name_key(p["NAME_OF_AGRICULTURAL_BUSINESS"]),
                dol.us_state(p["PLACE_OF_EMPLOYMENT_STATE"]),
            )
            for p in self.contractor_places
        }
        self.placements = {
            (
                p["CASE_NUMBER"],
                dol.name_key(p["NAME_OF_AGRICULTURAL_BUSINESS"]),
                dol.us_state(p["PLACE_OF_EMPLOYMENT_STATE"]),
            )
            for p in self.contractor_places
        }
        # A case's piece rate (PIECE_RATE_OFFER) joins the piece rates of its Addendum A.
        self.case_piece_rates = sum(
            1 for case in self.cases if float(case["PIECE_RATE_OFFER"] or 0) > 0
        )
        self.own_worksites = sum(
            1
            for case in self.cases
            if case["CASE_NUMBER"] not in self.contractor_cases and case["WORKSITE_ADDRESS"]
        )


@pytest.fixture(scope="module")
def expected() -> Expected:
    return Expected()


async def test_the_subset_imports_with_the_right_counts(
    session: AsyncSession, expected: Expected
) -> None:
    report = await import_from(session)

    assert report.rows == {
        dol.CASES: len(expected.cases),
        dol.CROPS: len(expected.crops),
        dol.HOUSING: len(expected.housing),
        dol.PLACES: len(expected.places),
    }
    assert (report.cases, report.cases_left_out, report.problem_count) == (
        len(expected.cases),
        0,
        0,
    )
    assert report.h2a_labor_contractor_cases == len(expected.contractor_cases)
    assert report.job_orders_created == len(expected.cases)
    assert report.contractors_created == len(expected.contractors)
    assert report.growers_created == len(expected.growers)
    assert report.placements_created == len(expected.placements)
    assert report.unknown_columns == {}
    assert report.rows_without_case == {}

    job_orders_and_terms = await imported_job_orders(session)
    assert len(job_orders_and_terms) == len(expected.cases)
    by_contractor = [j for j, _ in job_orders_and_terms if j.filed_by_intermediary_id]
    assert len(by_contractor) == len(expected.contractor_cases)
    assert all(j.grower_id is None for j in by_contractor)
    terms = [t for _, t in job_orders_and_terms]
    assert (
        sum(len(t["piece_rates"]) + len(t["activity_wages"]) for t in terms)
        == len(expected.crops) + expected.case_piece_rates
    )
    assert sum(len(t["additional_housing"]) for t in terms) == len(expected.housing)
    grower_terms = [t for j, t in job_orders_and_terms if j.grower_id]
    assert sum(len(t["worksites"]) for t in grower_terms) == expected.own_worksites + len(
        expected.grower_places
    )
    places = select(func.sum(func.jsonb_array_length(col(ContractorPlacement.places))))
    assert await count(session, places) == len(expected.contractor_places)
    contractors = select(func.count()).where(Intermediary.kind == "h2a_labor_contractor")
    assert await count(session, contractors) == len(expected.contractors)
    assert await count(session, select(func.count()).select_from(Grower)) == len(expected.growers)
    without_fein = select(func.count()).where(col(Grower.fein).is_(None))
    assert await count(session, without_fein) == len(expected.growers)


async def test_importing_twice_changes_nothing(session: AsyncSession, expected: Expected) -> None:
    await import_from(session)
    before = await table_counts(session)
    again = await import_from(session)
    assert await table_counts(session) == before
    assert (again.job_orders_created, again.job_orders_changed) == (0, 0)
    assert again.job_orders_unchanged == len(expected.cases)
    assert (again.growers_created, again.contractors_created) == (0, 0)
    assert again.growers_matched == len(expected.growers)
    assert (again.placements_created, again.placements_changed, again.placements_removed) == (
        0,
        0,
        0,
    )


async def test_another_fiscal_years_column_names_import_the_same(
    session: AsyncSession, tmp_path: Path, expected: Expected
) -> None:
    other_year = copy_with(
        tmp_path / "fy2020",
        renamed={
            dol.CASES: {
                "H2A_LABOR_CONTRACTOR": "H-2A_LABOR_CONTRACTOR",
                "MEALS_CHARGE": "MEALS_CHARGED",
                "EMPLOYER_ADDRESS_1": "EMPLOYER_ADDRESS1",
                "CASE_NUMBER": "Case_No",
            },
            dol.PLACES: {"PLACE_OF_EMPLOYMENT_POST_CODE": "PLACE_OF_EMPLOYMENT_POSTAL_CODE"},
        },
    )
    first = await import_from(session, other_year)
    assert first.unknown_columns == {}
    assert first.h2a_labor_contractor_cases == len(expected.contractor_cases)
    before = await table_counts(session)
    # The same data under this year's names is the same data: nothing changes.
    again = await import_from(session)
    assert await table_counts(session) == before
    assert again.job_orders_unchanged == len(expected.cases)


def without(file: str, column: str) -> Callable[[str, list[list[str]]], list[list[str]]]:
    def edit(name: str, table: list[list[str]]) -> list[list[str]]:
        if name != file:
            return table
        position = table[0].index(column)
        return [row[:position] + row[position + 1 :] for row in table]

    return edit


async def test_a_missing_required_column_is_an_error_naming_it_with_the_spellings_tried(
    session: AsyncSession, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput) as raised:
        await import_from(
            session, copy_with(tmp_path / "no_name", edit=without(dol.CASES, "EMPLOYER_NAME"))
        )
    assert "EMPLOYER_NAME" in raised.value.detail
    assert [problem.field for problem in raised.value.problems] == [dol.CASES]
    assert "EMPLOYER_BUSINESS_NAME" in raised.value.problems[0].message
    assert await count(session, select(func.count()).select_from(JobOrder)) == 0


async def test_a_file_without_the_wage_imports_and_names_the_column_not_found(
    session: AsyncSession, tmp_path: Path, expected: Expected
) -> None:
    report = await import_from(
        session, copy_with(tmp_path / "no_wage", edit=without(dol.CASES, "WAGE_OFFER"))
    )
    assert report.cases == len(expected.cases)
    [not_found] = [c for c in report.columns_not_found[dol.CASES] if c.startswith("WAGE_OFFER")]
    assert "BASIC_RATE_OF_PAY" in not_found
    wages = [terms["wage_offer"] for _, terms in await imported_job_orders(session)]
    assert wages == [None] * len(expected.cases)


async def test_unknown_columns_are_reported_and_the_rest_imports(
    session: AsyncSession, tmp_path: Path, expected: Expected
) -> None:
    def with_tractor_model(name: str, table: list[list[str]]) -> list[list[str]]:
        if name != dol.CASES:
            return table
        return [[*table[0], "TRACTOR_MODEL"], *([*row, "8R 410"] for row in table[1:])]

    report = await import_from(session, copy_with(tmp_path / "extra", edit=with_tractor_model))
    assert report.unknown_columns == {dol.CASES: ["TRACTOR_MODEL"]}
    assert report.cases == len(expected.cases)


async def test_changed_terms_make_a_new_version_and_only_then(
    session: AsyncSession, tmp_path: Path
) -> None:
    await import_from(session)
    [case] = rows_of(dol.CASES)[:1]

    def raise_wage(name: str, table: list[list[str]]) -> list[list[str]]:
        if name == dol.CASES:
            position = table[0].index("WAGE_OFFER")
            table[1][position] = "99.99"
        return table

    report = await import_from(session, copy_with(tmp_path / "amended", edit=raise_wage))
    assert (report.job_orders_changed, report.job_orders_created) == (1, 0)
    job_order = (
        await session.exec(
            select(JobOrder).where(JobOrder.source == f"dol_disclosure:{case['CASE_NUMBER']}")
        )
    ).one()
    read = await job_orders.read_job_order(session, COMMAND_LINE, job_order.id)
    assert read.current_version == 2
    assert read.terms.wage_offer is not None
    assert read.terms.wage_offer.amount == 9999


async def test_a_grower_supplied_by_a_contractor_is_the_grower_of_its_own_cases(
    session: AsyncSession,
) -> None:
    """Venegas Shearing places workers at "Tuttle Livestock", which files its own two cases as
    "Tuttle Livestock Company LLC": one grower, with a placement and its own job orders."""
    await import_from(session)
    [tuttle] = (
        await session.exec(select(Grower).where(col(Grower.legal_name).startswith("Tuttle")))
    ).all()
    own = await session.exec(select(JobOrder.id).where(JobOrder.grower_id == tuttle.id))
    assert len(own.all()) == 2
    [(placement, contractor)] = (
        await session.exec(
            select(ContractorPlacement, Intermediary)
            .join(Intermediary, col(Intermediary.id) == col(ContractorPlacement.intermediary_id))
            .where(ContractorPlacement.grower_id == tuttle.id)
        )
    ).all()
    assert contractor.name == "Venegas Shearing"
    assert contractor.kind == "h2a_labor_contractor"
    assert placement.workers is not None


async def test_a_grower_registered_with_its_fein_is_matched_by_name_and_state(
    session: AsyncSession, factory: Factory, expected: Expected
) -> None:
    registered = await factory.grower(legal_name="BEARSKIN FARM", state="AR")
    report = await import_from(session)
    assert (report.growers_matched, report.growers_created) == (1, len(expected.growers) - 1)
    cases = await session.exec(select(JobOrder.id).where(JobOrder.grower_id == registered.id))
    bearskin = [c for c in expected.cases if c["EMPLOYER_NAME"].upper().startswith("BEARSKIN")]
    assert len(cases.all()) == len(bearskin) == 2
    grower = await session.get(Grower, registered.id)
    assert grower is not None
    assert grower.fein == registered.fein, "an import never changes a grower"


# ---------------------------------------------------------------------------------------------
# Through the API


def multipart(directory: Path = DATA) -> dict[str, tuple[str, bytes, str]]:
    fields = {
        "cases": dol.CASES,
        "addendum_a_crops_wages": dol.CROPS,
        "addendum_b_housing": dol.HOUSING,
        "addendum_b_places_of_employment": dol.PLACES,
    }
    return {
        field: (name, (directory / name).read_bytes(), "text/csv") for field, name in fields.items()
    }


async def test_staff_import_through_the_api_and_a_grower_may_not(
    client: httpx.AsyncClient, factory: Factory, expected: Expected
) -> None:
    staff = await factory.key("staff")
    _, grower_key = await factory.grower_with_key()
    refused = await client.post(
        "/dol-disclosures/imports", files=multipart(), headers=grower_key.headers
    )
    assert refused.status_code == 403, refused.text
    response = await client.post(
        "/dol-disclosures/imports", files=multipart(), headers=staff.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["cases"] == len(expected.cases)
    assert body["h2a_labor_contractor_cases"] == len(expected.contractor_cases)
    assert body["rows"][dol.PLACES] == len(expected.places)
    again = await client.post("/dol-disclosures/imports", files=multipart(), headers=staff.headers)
    assert again.json()["job_orders_unchanged"] == len(expected.cases)


async def test_an_upload_without_any_file_is_a_4xx(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    response = await client.post(
        "/dol-disclosures/imports",
        data={"in_background": "false"},
        files={"note": ("note.txt", b"no files here", "text/plain")},
        headers=staff.headers,
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.fixture
async def imported(session: AsyncSession, factory: Factory) -> dict[str, Any]:
    """The subset imported, with a contractor's placement and keys for its grower and another."""
    await import_from(session)
    await session.commit()
    placement = (
        await session.exec(
            select(ContractorPlacement).order_by(
                col(ContractorPlacement.case_number), col(ContractorPlacement.id)
            )
        )
    ).first()
    assert placement is not None
    _, stranger = await factory.grower_with_key()
    return {
        "placement": placement,
        "staff": await factory.key("staff"),
        "grower": await factory.key("grower", placement.grower_id),
        "stranger": stranger,
    }


async def test_a_grower_sees_the_contractors_placing_workers_with_it_and_no_other(
    client: httpx.AsyncClient, imported: dict[str, Any]
) -> None:
    placement: ContractorPlacement = imported["placement"]
    own = await client.get(
        f"/growers/{placement.grower_id}/placements", headers=imported["grower"].headers
    )
    assert own.status_code == 200, own.text
    items = own.json()["items"]
    assert {item["grower_id"] for item in items} == {str(placement.grower_id)}
    [item] = [item for item in items if item["case_number"] == placement.case_number]
    assert item["intermediary_id"] == str(placement.intermediary_id)
    assert item["contractor_name"]
    assert len(item["places"]) == len(placement.places)
    other = await client.get(
        f"/growers/{placement.grower_id}/placements", headers=imported["stranger"].headers
    )
    assert other.status_code == 404
    # The contractor is visible to the grower it places workers with, with only that placement.
    contractor = await client.get(
        f"/intermediaries/{placement.intermediary_id}/placements",
        headers=imported["grower"].headers,
    )
    assert contractor.status_code == 200, contractor.text
    assert {i["grower_id"] for i in contractor.json()["items"]} == {str(placement.grower_id)}
    staff = await client.get(
        f"/intermediaries/{placement.intermediary_id}/placements",
        headers=imported["staff"].headers,
    )
    assert len(staff.json()["items"]) >= len(contractor.json()["items"])
    hidden = await client.get(
        f"/intermediaries/{placement.intermediary_id}/placements",
        headers=imported["stranger"].headers,
    )
    assert hidden.status_code == 404


async def test_a_contractors_job_order_is_staffs_alone_and_takes_no_recruitments(
    client: httpx.AsyncClient, imported: dict[str, Any]
) -> None:
    placement: ContractorPlacement = imported["placement"]
    path = f"/job-orders/{placement.job_order_id}"
    assert (await client.get(path, headers=imported["grower"].headers)).status_code == 404
    read = await client.get(path, headers=imported["staff"].headers)
    assert read.status_code == 200
    assert read.json()["grower_id"] is None
    assert read.json()["filed_by_intermediary_id"] == str(placement.intermediary_id)
    recruited = await client.post(
        "/recruitments",
        json={
            "job_order_id": str(placement.job_order_id),
            "worker": {
                "given_names": "Juan",
                "family_names": "Gómez",
                "date_of_birth": "1990-01-01",
                "nationality": "MX",
                "passport_country": "MX",
                "passport_number": "G12345678",
                "preferred_language": "es",
            },
            "channel": "grower_direct",
        },
        headers=imported["staff"].headers,
    )
    assert recruited.status_code == 422, recruited.text
    assert [e["field"] for e in recruited.json()["errors"]] == ["job_order_id"]


async def test_no_contract_for_a_grower_without_a_fein(
    client: httpx.AsyncClient, session: AsyncSession, factory: Factory
) -> None:
    await import_from(session)
    job_order_id = (
        await session.exec(
            select(JobOrder.id)
            .where(col(JobOrder.grower_id).is_not(None))
            .order_by(col(JobOrder.source))
        )
    ).first()
    assert job_order_id is not None
    job_order = await job_orders.read_job_order(session, COMMAND_LINE, job_order_id)
    await session.commit()
    hire = await factory.hire(job_order)
    staff = await factory.key("staff")
    response = await client.post(
        f"/workers/{hire.worker_id}/contracts", json={}, headers=staff.headers
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["grower.fein"]


async def test_the_staging_table_is_left_empty(session: AsyncSession) -> None:
    await import_from(session)
    left = await session.exec(text("SELECT count(*) FROM dol_disclosure_staging"))  # type: ignore[call-overload]
    assert left.scalar_one() == 0


def test_the_test_files_are_the_documented_subset() -> None:
    readme = (DATA / "README.md").read_text()
    cases = rows_of(dol.CASES)
    assert f"**{len(cases)} of its 2,515 cases**" in readme
    for name in dol.ADDENDA:
        numbers = {row["CASE_NUMBER"] for row in rows_of(name)}
        assert numbers <= {case["CASE_NUMBER"] for case in cases}, name


async def test_a_file_that_is_not_utf8_is_refused_naming_it(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    files = multipart()
    name, body, media = files["addendum_b_housing"]
    files["addendum_b_housing"] = (
        name,
        body.replace(b"Housing", "Logement é".encode("latin-1")),
        media,
    )
    response = await client.post("/dol-disclosures/imports", files=files, headers=staff.headers)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [dol.HOUSING]


# ---------------------------------------------------------------------------------------------
# From the command line (it commits: a database of its own)


@pytest.fixture
async def cli_database_url(database_server_url: str) -> AsyncIterator[str]:
    async with throwaway_database(database_server_url, "recruitment_dol_cli") as url:
        yield url


def test_the_command_imports_a_directory_and_a_second_run_changes_nothing(
    cli_database_url: str, expected: Expected, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": cli_database_url}
    first = CliRunner().invoke(main, ["import", "dol-disclosure", str(DATA)], env=env)
    assert first.exit_code == 0, first.output
    assert f"{len(expected.cases)} cases imported" in first.output
    second = CliRunner().invoke(main, ["import", "dol-disclosure", str(DATA)], env=env)
    assert second.exit_code == 0, second.output
    assert f"0 created, 0 given new terms, {len(expected.cases)} unchanged" in second.output
    incomplete = CliRunner().invoke(main, ["import", "dol-disclosure", str(tmp_path)], env=env)
    assert incomplete.exit_code != 0
    assert dol.CASES in incomplete.output
