"""Disclosure periods as they really come: the old form's case file alone (FY2018, with its
association members as SUB rows) and a quarter's addenda without their case file (FY2020 Q2),
through the service, the command line and the API, twice. Expected figures are counted from the
CSV files of tests/data, never from the code."""

import csv
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.cli import main
from recruitment.errors import InvalidInput
from recruitment.imports import dol_disclosure as dol
from recruitment.models import ContractorPlacement, Grower, JobOrder
from recruitment.services import dol_disclosures
from recruitment.services.caller import COMMAND_LINE
from recruitment.services.dol_disclosures import DisclosureImportReport
from tests.databases import throwaway_database
from tests.factories import Factory, hire_request
from tests.imports.test_dol_disclosure import imported_job_orders, table_counts

DATA = Path(__file__).parents[1] / "data"
FY2018 = DATA / "dol_h2a_fy2018q1q2"
FY2020_ADDENDA = DATA / "dol_h2a_fy2020q2_addenda"
FIELDS = {
    dol.CASES: "cases",
    dol.CROPS: "addendum_a_crops_wages",
    dol.HOUSING: "addendum_b_housing",
    dol.PLACES: "addendum_b_places_of_employment",
}


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


async def import_files(session: AsyncSession, directory: Path) -> DisclosureImportReport:
    present = [name for name in dol.FILES if (directory / name).is_file()]
    files = {name: (directory / name).open(encoding="utf-8-sig", newline="") for name in present}
    try:
        return await dol_disclosures.import_disclosure(session, COMMAND_LINE, files)
    finally:
        for file in files.values():
            file.close()


def multipart(directory: Path) -> dict[str, tuple[str, bytes, str]]:
    return {
        field: (name, (directory / name).read_bytes(), "text/csv")
        for name, field in FIELDS.items()
        if (directory / name).is_file()
    }


# --- FY2018: the old form's case file alone ---------------------------------------------------


async def test_the_old_forms_case_file_imports_every_row_with_its_status(
    session: AsyncSession,
) -> None:
    rows = rows_of(FY2018 / dol.CASES)
    report = await import_files(session, FY2018)
    assert report.unknown_columns == {}
    assert report.cases == len(rows)
    assert report.cases_left_out == 0
    contractor_rows = [r for r in rows if "Contractor" in r["ORGANIZATION_FLAG"]]
    assert report.h2a_labor_contractor_cases == len(contractor_rows)
    # Columns the old form never had are named, with the spellings tried.
    [frequency] = [
        c for c in report.columns_not_found[dol.CASES] if c.startswith("FREQUENCY_OF_PAY")
    ]
    assert "PAY_FREQUENCY" in frequency
    job_orders = {
        job_order.source: (job_order, terms)
        for job_order, terms in await imported_job_orders(session)
    }
    assert len(job_orders) == len(rows)
    words = {"CERTIFICATION": "certified", "PARTIAL": "partial", "EXPIRED": "expired",
             "WITHDRAWN": "withdrawn", "DENIED": "denied"}  # fmt: skip
    statuses = sorted(
        next(status for word, status in reversed(words.items()) if word in r["CASE_STATUS"])
        for r in rows
    )
    assert sorted(str(j.case_status) for j, _ in job_orders.values()) == statuses
    # BASIC_RATE_OF_PAY and CERTIFICATION_BEGIN_DATE are the wage and the period.
    first = rows[0]
    _, terms = job_orders[f"dol_disclosure:{first['CASE_NUMBER']}"]
    assert terms["wage_offer"]["amount"] == round(float(first["BASIC_RATE_OF_PAY"]) * 100)
    assert terms["period_start"] == first["CERTIFICATION_BEGIN_DATE"][:10]


async def test_each_association_member_is_a_grower_with_a_job_order_of_the_case(
    session: AsyncSession,
) -> None:
    rows = rows_of(FY2018 / dol.CASES)
    members = [r for r in rows if r["PRIMARY/SUB"] == "SUB"]
    assert len(members) == 3
    case_number = members[0]["CASE_NUMBER"]
    await import_files(session, FY2018)
    of_the_case = list(
        await session.exec(
            select(Grower.legal_name, JobOrder.source)
            .join(JobOrder, col(JobOrder.grower_id) == col(Grower.id))
            .where(col(JobOrder.source).startswith(f"dol_disclosure:{case_number}"))
        )
    )
    primary = next(r for r in rows if r["CASE_NUMBER"] == case_number and r["PRIMARY/SUB"] == "PRI")
    assert sorted(name for name, _ in of_the_case) == sorted(
        [primary["EMPLOYER_NAME"], *(m["EMPLOYER_NAME"] for m in members)]
    )
    assert len({source for _, source in of_the_case}) == 4


async def test_the_old_form_imports_through_the_api_twice_as_once(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    staff = await factory.key("staff")
    first = await client.post(
        "/dol-disclosures/imports", files=multipart(FY2018), headers=staff.headers
    )
    assert first.status_code == 200, first.text
    assert first.json()["job_orders_created"] == len(rows_of(FY2018 / dol.CASES))
    before = await table_counts(session)
    second = await client.post(
        "/dol-disclosures/imports", files=multipart(FY2018), headers=staff.headers
    )
    assert second.status_code == 200, second.text
    assert second.json()["job_orders_unchanged"] == len(rows_of(FY2018 / dol.CASES))
    assert await table_counts(session) == before


# --- FY2020 Q2: addenda without their case file -------------------------------------------------


def addenda_cases() -> list[str]:
    return sorted(
        {row["CASE_NUMBER"] for name in dol.ADDENDA for row in rows_of(FY2020_ADDENDA / name)}
    )


async def test_addenda_alone_with_no_job_order_on_record_report_their_cases(
    session: AsyncSession,
) -> None:
    report = await import_files(session, FY2020_ADDENDA)
    assert report.unknown_columns == {}
    assert report.cases_not_found == addenda_cases()
    assert report.rows_without_case == {
        name: len(rows_of(FY2020_ADDENDA / name)) for name in dol.ADDENDA
    }
    counts = await table_counts(session)
    assert (counts["JobOrder"], counts["Grower"], counts["ContractorPlacement"]) == (0, 0, 0)


# Two of the addenda's cases, as their case file would have listed them. Made up for the test:
# FY2020 Q2's case file was not available. One grower's case, one H-2A labor contractor's.
GROWER_CASE = "H-300-19291-095830"
CONTRACTOR_CASE = "H-300-19298-108390"


def made_up_cases(directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    header = ["CASE_NUMBER", "CASE_STATUS", "EMPLOYER_NAME", "EMPLOYER_STATE",
              "H-2A_LABOR_CONTRACTOR", "EMPLOYMENT_BEGIN_DATE", "EMPLOYMENT_END_DATE",
              "WAGE_OFFER", "PER", "WORKSITE_ADDRESS", "WORKSITE_STATE"]  # fmt: skip
    with (directory / dol.CASES).open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerow([GROWER_CASE, "Determination Issued - Certification", "Bayou Test Farm",
                         "LA", "N", "2020-02-01", "2020-07-31", "11.71", "Hour", "1 Levee Rd",
                         "LA"])  # fmt: skip
        writer.writerow([CONTRACTOR_CASE, "Determination Issued - Certification",
                         "Test Crew Contracting", "LA", "Y", "2020-02-01", "2020-07-31", "11.71",
                         "Hour", "", ""])  # fmt: skip
    return directory


async def test_addenda_alone_go_to_the_job_orders_of_their_cases_on_record(
    session: AsyncSession, client: httpx.AsyncClient, factory: Factory, tmp_path: Path
) -> None:
    await import_files(session, made_up_cases(tmp_path / "cases"))
    staff = await factory.key("staff")
    response = await client.post(
        "/dol-disclosures/imports", files=multipart(FY2020_ADDENDA), headers=staff.headers
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["job_orders_given_addenda"] == 2
    assert report["cases_not_found"] == [
        case for case in addenda_cases() if case not in (GROWER_CASE, CONTRACTOR_CASE)
    ]
    terms = {job_order.source: found for job_order, found in await imported_job_orders(session)}
    crops = [
        row["CROP_AGRICULTURAL_ACTIVITY"]
        for row in rows_of(FY2020_ADDENDA / dol.CROPS)
        if row["CASE_NUMBER"] == GROWER_CASE
    ]
    grower_terms = terms[f"dol_disclosure:{GROWER_CASE}"]
    assert grower_terms["crops_activities"] == list(dict.fromkeys(crops))
    housing = [r for r in rows_of(FY2020_ADDENDA / dol.HOUSING) if r["CASE_NUMBER"] == GROWER_CASE]
    assert len(grower_terms["additional_housing"]) == len(housing)
    # The contractor's places: one business, spelt three ways, is one grower supplied.
    businesses = {
        dol.name_key(r["NAME_OF_AGRICULTURAL_BUSINESS"])
        for r in rows_of(FY2020_ADDENDA / dol.PLACES)
        if r["CASE_NUMBER"] == CONTRACTOR_CASE
    }
    placements = list(
        await session.exec(
            select(ContractorPlacement).where(ContractorPlacement.case_number == CONTRACTOR_CASE)
        )
    )
    assert len(placements) == len(businesses) == 1
    before = await table_counts(session)
    again = await client.post(
        "/dol-disclosures/imports", files=multipart(FY2020_ADDENDA), headers=staff.headers
    )
    assert again.status_code == 200, again.text
    assert again.json()["job_orders_changed"] == 0
    assert await table_counts(session) == before


async def test_an_import_of_no_file_is_refused(session: AsyncSession) -> None:
    with pytest.raises(InvalidInput):
        await dol_disclosures.import_disclosure(session, COMMAND_LINE, {})


# --- From the command line -----------------------------------------------------------------------


@pytest.fixture
async def cli_database_url(database_server_url: str) -> AsyncIterator[str]:
    async with throwaway_database(database_server_url, "recruitment_dol_periods_cli") as url:
        yield url


def test_the_command_imports_each_period_and_a_second_run_changes_nothing(
    cli_database_url: str,
) -> None:
    env = {"DATABASE_URL": cli_database_url}
    cases = len(rows_of(FY2018 / dol.CASES))
    first = CliRunner().invoke(main, ["import", "dol-disclosure", str(FY2018)], env=env)
    assert first.exit_code == 0, first.output
    assert f"job orders: {cases} created" in first.output
    second = CliRunner().invoke(main, ["import", "dol-disclosure", str(FY2018)], env=env)
    assert f"0 created, 0 given new terms, {cases} unchanged" in second.output
    addenda = CliRunner().invoke(main, ["import", "dol-disclosure", str(FY2020_ADDENDA)], env=env)
    assert addenda.exit_code == 0, addenda.output
    assert "cases of addenda rows not on record: " + ", ".join(addenda_cases()) in addenda.output


# --- The case status ---------------------------------------------------------------------------

DENIED_CASE = "H-300-25300-000001"
WITHDRAWN_CASE = "H-300-25300-000002"


def made_up_decisions(directory: Path) -> Path:
    """A denied grower's case and a withdrawn contractor's case with two places of employment,
    in FY2022's spellings. Fictional names."""
    directory.mkdir(exist_ok=True)
    with (directory / dol.CASES).open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["CASE_NUMBER", "CASE_STATUS", "EMPLOYER_NAME", "EMPLOYER_STATE",
                         "H2A_LABOR_CONTRACTOR", "EMPLOYMENT_BEGIN_DATE", "EMPLOYMENT_END_DATE",
                         "WAGE_OFFER", "PER"])  # fmt: skip
        writer.writerow([DENIED_CASE, "Determination Issued - Denied", "Denied Test Farm", "FL",
                         "N", "2025-11-01", "2026-05-31", "14.77", "Hour"])  # fmt: skip
        writer.writerow([WITHDRAWN_CASE, "Determination Issued - Withdrawn", "Withdrawn Test Crew",
                         "FL", "Y", "2025-11-01", "2026-05-31", "14.77", "Hour"])  # fmt: skip
    with (directory / dol.PLACES).open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["CASE_NUMBER", "NAME_OF_AGRICULTURAL_BUSINESS",
                         "PLACE_OF_EMPLOYMENT_ADDRESS1", "PLACE_OF_EMPLOYMENT_STATE"])  # fmt: skip
        writer.writerow([WITHDRAWN_CASE, "First Test Grove", "1 Grove Rd", "FL"])
        writer.writerow([WITHDRAWN_CASE, "Second Test Grove", "2 Grove Rd", "FL"])
    return directory


async def test_denied_and_withdrawn_cases_keep_their_status_and_place_no_one(
    session: AsyncSession, tmp_path: Path
) -> None:
    report = await import_files(session, made_up_decisions(tmp_path / "decisions"))
    assert report.placements_created == 0
    assert report.placements_not_certified == 2
    statuses = {
        job_order.source: job_order.case_status
        for job_order, _ in await imported_job_orders(session)
    }
    assert statuses == {
        f"dol_disclosure:{DENIED_CASE}": "denied",
        f"dol_disclosure:{WITHDRAWN_CASE}": "withdrawn",
    }
    placements = await session.exec(select(func.count()).select_from(ContractorPlacement))
    assert placements.one() == 0


async def test_a_hire_under_a_denied_job_order_is_a_finding(
    session: AsyncSession, client: httpx.AsyncClient, factory: Factory, tmp_path: Path
) -> None:
    await import_files(session, made_up_decisions(tmp_path / "decisions"))
    await session.commit()
    [job_order_id] = await session.exec(
        select(JobOrder.id).where(JobOrder.source == f"dol_disclosure:{DENIED_CASE}")
    )
    staff = await factory.key("staff")
    read = await client.get(f"/job-orders/{job_order_id}", headers=staff.headers)
    assert read.json()["case_status"] == "denied"
    office = await factory.intermediary()
    hire = await client.post(
        "/hires", json=hire_request(job_order_id, office.id), headers=staff.headers
    )
    assert hire.status_code == 201, hire.text
    [finding] = [f for f in hire.json()["open_flags"] if f["code"] == "JOB_ORDER_NOT_CERTIFIED"]
    assert finding["evidence"]["case_status"] == "denied"
    assert finding["evidence"]["case_number"] == DENIED_CASE


async def test_a_form_field_of_bytes_that_are_not_text_is_a_400(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    boundary = "test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="cases"\r\n\r\n'.encode()
        + b"\x89PNG\r\n"
        + f"--{boundary}--\r\n".encode()
    )
    response = await client.post(
        "/dol-disclosures/imports",
        content=body,
        headers={**staff.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
