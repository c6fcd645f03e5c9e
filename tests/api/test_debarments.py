"""The H-2A debarment list through the API and the command line: the matching cases get
DEBARRED_PARTY and no others, a name in another state a warning, an ended debarment nothing,
and importing the list again changes nothing. Every name here is fictional; the lists are in
the OFLC's published formats (today's and the older one)."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from recruitment.cli import main
from tests.databases import throwaway_database
from tests.factories import Credentials, Factory

LIST = (
    "Entity,Entity Type,Employer Location,Start of Debarment,End of Debarment,Violation,"
    "CFR Citation\n"
    '"GREEN VALLEY TEST FARMS, LLC",Employer,"Tifton, GA",3/1/2024,2/28/2027,'
    '"Failure to pay wages",20 CFR 655.182(d)(1)(i)\n'
    'Harvest Moon Test Growers,Employer,"Lyons, GA",7/1/2022,6/30/2025,'
    '"Failure to provide housing",20 CFR 655.182(d)(1)(ii)\n'
)
OLD_LIST = (
    "Name,City State,Violation,Duration,Start date,End date\n"
    '"Sunrise Test Crews, Inc.","Immokalee, FL",Substantial failure to meet terms,3 years,'
    "1/15/2024,\n"
    ',"Immokalee, FL",No name,1 year,1/15/2024,\n'
)


async def import_list(client: httpx.AsyncClient, staff: Credentials, body: str) -> httpx.Response:
    return await client.post(
        "/debarments/imports",
        content=body.encode(),
        params={"source": "debarment-list.csv"},
        headers={**staff.headers, "Content-Type": "text/csv"},
    )


async def flags(client: httpx.AsyncClient, staff: Credentials, code: str) -> list[dict[str, str]]:
    response = await client.get("/flags", params={"code": code}, headers=staff.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_the_list_flags_the_matching_cases_and_no_others(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    listed = await factory.grower(legal_name="Green Valley Test Farms LLC", state="GA")
    same_name_elsewhere = await factory.grower(legal_name="Green Valley Test Farms", state="FL")
    other = await factory.grower(legal_name="Blue Ridge Test Orchards", state="GA")
    ended = await factory.grower(legal_name="Harvest Moon Test Growers", state="GA")
    hires = {}
    for grower in (listed, same_name_elsewhere, other, ended):
        # Last season's case: recruited 2025-09-01, the period 2025-11-01 to 2026-05-31.
        hires[grower.id] = await factory.hire(await factory.job_order(grower.id))
    response = await import_list(client, staff, LIST)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["entries"], report["created"], report["rows_refused"]) == (2, 2, 0)

    [debarred] = await flags(client, staff, "DEBARRED_PARTY")
    assert debarred["recruitment_id"] == str(hires[listed.id].recruitment_id)
    assert debarred["severity"] == "critical"
    assert debarred["source"].startswith("20 CFR 655.182")
    assert debarred["evidence"]["debarment"]["entity"] == "GREEN VALLEY TEST FARMS, LLC"
    [near] = await flags(client, staff, "POSSIBLE_DEBARRED_PARTY")
    assert near["recruitment_id"] == str(hires[same_name_elsewhere.id].recruitment_id)
    assert near["severity"] == "warning"
    # Harvest Moon's debarment ended on 2025-06-30, before its case began: it counts no more.

    again = await import_list(client, staff, LIST)
    assert (again.json()["created"], again.json()["changed"], again.json()["unchanged"]) == (
        0,
        0,
        2,
    )
    assert [f["id"] for f in await flags(client, staff, "DEBARRED_PARTY")] == [debarred["id"]]


async def test_a_grower_may_not_import_the_list(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    _, key = await factory.grower_with_key()
    response = await import_list(client, key, LIST)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_list_without_a_name_column_is_refused_naming_what_was_tried(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    response = await import_list(client, staff, "Who,Start date\nSomeone,1/1/2024\n")
    assert response.status_code == 422, response.text
    assert "Entity" in response.json()["errors"][0]["message"]


# --- From the command line (it commits: a database of its own) ---------------------------------


@pytest.fixture
async def cli_database_url(database_server_url: str) -> AsyncIterator[str]:
    async with throwaway_database(database_server_url, "recruitment_debarments_cli") as url:
        yield url


def test_the_command_reads_the_older_format_and_a_second_run_changes_nothing(
    cli_database_url: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": cli_database_url}
    older = tmp_path / "debarments-2024.csv"
    older.write_text(OLD_LIST, encoding="utf-8")
    first = CliRunner().invoke(main, ["debarments", "import", str(older)], env=env)
    assert first.exit_code == 0, first.output
    assert "1 entries: 1 new, 0 changed, 0 unchanged; 1 rows refused" in first.output
    assert "line 3 [entity]: is empty" in first.output
    second = CliRunner().invoke(main, ["debarments", "import", str(older)], env=env)
    assert "1 entries: 0 new, 0 changed, 1 unchanged" in second.output


async def test_rows_a_list_cannot_mean_are_refused_by_row_never_a_500(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    body = (
        "Name,City State,Duration,Start date,End date\n"
        'Nul\x00 Test Farm,"Dover, FL",1 year,1/1/2024,\n'
        'Forever Test Farm,"Dover, FL",99999999 years,1/1/2024,\n'
        'Backwards Test Farm,"Dover, FL",,1/1/2024,1/1/2023\n'
        'Ambiguous Test Farm,"Dover, FL",,the first of May,\n'
    )
    response = await import_list(client, staff, body)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["entries"], report["rows_refused"]) == (1, 3)
    assert {p["column"] for p in report["problems"]} == {"duration", "ends_on", "starts_on"}
