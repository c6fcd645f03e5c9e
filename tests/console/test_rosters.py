"""Roster imports in the console: a dry run and its report first, then the import of that file."""

import re

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.locations import ROSTER_TEMPLATE
from recruitment.models import ConsoleStoreEntry, Recruitment
from recruitment.schemas.growers import GrowerRead
from tests.api.test_rosters import COLUMNS, as_csv, roster_row
from tests.console.conftest import Person, create_user, csrf_token, sign_in
from tests.factories import Factory

_UPLOAD_ID = re.compile(r'name="upload" value="([^"]+)"')


@pytest.fixture
async def grower(factory: Factory) -> GrowerRead:
    grower = await factory.grower(legal_name="Campos del Sur Farms LLC")
    await factory.job_order(grower.id)
    await factory.intermediary(name="SNE Oficina Tlaxcala")
    return grower


async def check(
    client: httpx.AsyncClient, body: bytes, form_page: str = "/console/rosters/new", **fields: str
) -> httpx.Response:
    """Open the upload page, then send a file with its form's token (and `fields`)."""
    opened = await client.get(form_page)
    assert opened.status_code == 200, opened.text
    return await client.post(
        "/console/rosters/checks",
        data={"_csrf_token": csrf_token(opened.text), **fields},
        files={"file": ("roster.csv", body, "text/csv")},
    )


async def confirm(client: httpx.AsyncClient, checked: httpx.Response) -> httpx.Response:
    found = _UPLOAD_ID.search(checked.text)
    assert found, "the report offers no import"
    return await client.post(
        "/console/rosters/imports",
        data={"_csrf_token": csrf_token(checked.text), "upload": found.group(1)},
    )


async def recruitments(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(Recruitment))).one()


async def test_a_dry_run_shows_every_problem_by_row_and_column_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, grower: GrowerRead
) -> None:
    me = await create_user(session, "office@campos.example", "grower", grower.id)
    await sign_in(client, me)
    rows = [roster_row(), roster_row(curp="GOMJ800102HDFRRN00", favourite_colour="green")]
    checked = await check(client, as_csv(rows, [*COLUMNS, "favourite_colour"]))
    assert checked.status_code == 422
    problem = re.search(r"<tr>\s*<td[^>]*>3</td>\s*<td[^>]*><code>curp</code></td>", checked.text)
    assert problem, "the bad row's problem is not in the table by row and column"
    assert "<code>favourite_colour</code>" in checked.text  # an unknown column
    assert "Import the roster" not in checked.text
    assert 'name="file"' in checked.text  # the corrected file goes in right there
    assert await recruitments(session) == 0
    stored = select(func.count()).select_from(ConsoleStoreEntry)
    assert (
        await session.exec(stored.where(ConsoleStoreEntry.key.startswith("uploads:")))
    ).one() == 0  # type: ignore[attr-defined]


async def test_staff_check_a_clean_file_for_a_grower_then_import_it_once(
    client: httpx.AsyncClient, session: AsyncSession, grower: GrowerRead, staff: Person
) -> None:
    await sign_in(client, staff)
    growers = await client.get("/console/growers")
    form_page = f"/console/rosters/new?grower_id={grower.id}"
    assert form_page in growers.text
    assert (await client.get("/console/rosters/new")).text.count('name="file"') == 0
    checked = await check(
        client, as_csv([roster_row(), roster_row()]), form_page, grower_id=str(grower.id)
    )
    assert checked.status_code == 200, checked.text
    assert "All 2 rows are right." in checked.text
    assert await recruitments(session) == 0  # checked, not written

    imported = await confirm(client, checked)
    assert imported.status_code == 200, imported.text
    summary = re.sub(r"\s+", " ", imported.text)
    assert "Roster imported" in summary
    assert '<dt>Recruitments created</dt><dd class="count">2</dd>' in summary
    assert '<dt>Hires</dt><dd class="count">2</dd>' in summary
    assert re.search(r'<dt>Flags opened</dt><dd class="count">[1-9]', summary)
    assert await recruitments(session) == 2
    # The kept file is imported once: sending the form again finds nothing waiting.
    again = await confirm(client, checked)
    assert again.status_code == 409
    assert "Nothing to import" in again.text


async def test_a_grower_cannot_check_or_import_for_another_grower(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession, grower: GrowerRead
) -> None:
    other = await factory.grower()
    me = await create_user(session, "office@campos.example", "grower", other.id)
    await sign_in(client, me)
    assert (await client.get(f"/console/rosters/new?grower_id={grower.id}")).status_code == 404
    refused = await check(client, as_csv([roster_row()]), grower_id=str(grower.id))
    assert refused.status_code == 404
    assert "not yours to see" in refused.text
    assert await recruitments(session) == 0


async def test_a_roster_posted_without_its_csrf_token_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, grower: GrowerRead
) -> None:
    me = await create_user(session, "office@campos.example", "grower", grower.id)
    await sign_in(client, me)
    refused = await client.post(
        "/console/rosters/checks",
        files={"file": ("roster.csv", as_csv([roster_row()]), "text/csv")},
    )
    assert refused.status_code == 403
    assert "security token" in refused.text
    assert (await client.post("/console/rosters/imports", data={"upload": "x"})).status_code == 403


async def test_a_missing_or_non_utf8_file_is_answered_beside_the_field(
    client: httpx.AsyncClient, session: AsyncSession, grower: GrowerRead
) -> None:
    me = await create_user(session, "office@campos.example", "grower", grower.id)
    await sign_in(client, me)
    empty = await check(client, b"")
    assert empty.status_code == 422
    assert 'id="f-file-error"' in empty.text
    assert "Choose the roster&#39;s CSV file." in empty.text
    latin1 = await check(client, "worker_given_names\nJosé\n".encode("latin-1"))
    assert "must be a UTF-8 CSV file" in latin1.text


async def test_the_template_downloads_as_the_docs_hold_it(
    client: httpx.AsyncClient, session: AsyncSession, grower: GrowerRead
) -> None:
    me = await create_user(session, "office@campos.example", "grower", grower.id)
    await sign_in(client, me)
    assert "/console/rosters/template.csv" in (await client.get("/console/rosters/new")).text
    template = await client.get("/console/rosters/template.csv")
    assert template.status_code == 200
    assert template.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in template.headers["content-disposition"]
    assert template.content == ROSTER_TEMPLATE.read_bytes()
