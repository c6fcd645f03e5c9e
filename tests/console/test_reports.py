"""Report pages with charts, their CSV download, and the weekly count of flags behind one chart."""

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.models import Flag
from recruitment.schemas.growers import GrowerRead
from recruitment.schemas.reports import ReportPeriod
from recruitment.services import reports
from recruitment.services.caller import Caller
from recruitment.verification import catalogue
from tests.console.conftest import Person, create_user, sign_in
from tests.factories import Factory

SEASON_2025 = ReportPeriod(season=2025)


async def _season(factory: Factory) -> tuple[GrowerRead, GrowerRead]:
    """Two growers: the first with one SNE case and one direct one, the second with one."""
    first = await factory.grower(legal_name="Campos del Sur Farms LLC")
    job_order = await factory.job_order(first.id)
    await factory.hire(job_order)
    await factory.hire(job_order, channel="grower_direct", sne_folio=None, sne_office_id=None)
    second = await factory.grower(legal_name="Sunrise Produce Inc.")
    await factory.hire(await factory.job_order(second.id))
    return first, second


def _text(response: httpx.Response) -> str:
    return re.sub(r"\s+", " ", response.text)


async def test_a_grower_sees_its_season_in_charts_and_tables(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    mine, theirs = await _season(factory)
    me = await create_user(session, "office@campos.example", "grower", mine.id)
    await sign_in(client, me)
    home = await client.get("/console/reports")
    assert home.status_code == 303
    assert home.headers["location"] == f"/console/reports/growers/{mine.id}"

    page = await client.get(home.headers["location"])
    assert page.status_code == 200
    text = _text(page)
    assert "Campos del Sur Farms LLC: report, season 2025" in text
    assert "Cases in the season: 2" in text
    # The share via the SNE, drawn as an SVG bar with a title and written out.
    assert '<title id="chart-shares-title">Recruitment shares</title>' in text
    assert "Recruited via the SNE: 1 of 2 (50%)." in text  # the chart's description
    assert 'width="50.00%"' in text
    assert "Hired directly: 2 of 2 (100%)." in text
    assert "Contract before the visa: 0 of 2 (0%)." in text
    assert '<title id="chart-open-flags-title">' in text
    assert "<code>NON_SNE_CHANNEL</code>" in text
    assert '<title id="chart-weekly-title">' in text
    assert "Sunrise Produce" not in text
    assert 'href="/console/reports/growers/' + str(mine.id) + '/report.csv?season=2025"' in text
    # Another grower's report is not found; the program's is closed to growers.
    assert (await client.get(f"/console/reports/growers/{theirs.id}")).status_code == 404
    assert (await client.get(f"/console/reports/growers/{theirs.id}/report.csv")).status_code == 404
    assert (await client.get("/console/reports/program")).status_code == 403


async def test_staff_see_the_program_with_each_grower_and_another_season(
    client: httpx.AsyncClient, factory: Factory, staff: Person
) -> None:
    mine, theirs = await _season(factory)
    await sign_in(client, staff)
    page = await client.get("/console/reports", follow_redirects=True)
    text = _text(page)
    assert "Program report, season 2025" in text
    assert "Cases in the season: 3" in text
    assert "Recruited via the SNE: 2 of 3 (67%)." in text
    for grower in (mine, theirs):
        assert f'href="/console/reports/growers/{grower.id}?season=2025">' in text
    growers = await client.get("/console/growers")
    assert f"/console/reports/growers/{mine.id}" in growers.text
    earlier = _text(await client.get("/console/reports/program", params={"season": 2024}))
    assert "Cases in the season: 0" in earlier
    assert "No grower has cases in this season." in earlier
    assert '<option value="2024" selected>' in earlier


async def test_the_csv_downloads_are_the_apis(
    client: httpx.AsyncClient, factory: Factory, staff: Person
) -> None:
    mine, _ = await _season(factory)
    api_key = await factory.key("staff")
    await sign_in(client, staff)
    for console_url, api_url in (
        ("/console/reports/program/report.csv", "/reports/program"),
        (f"/console/reports/growers/{mine.id}/report.csv", f"/reports/growers/{mine.id}"),
    ):
        downloaded = await client.get(console_url, params={"season": 2025})
        from_api = await client.get(
            api_url, params={"season": 2025}, headers={**api_key.headers, "Accept": "text/csv"}
        )
        assert downloaded.status_code == from_api.status_code == 200
        assert downloaded.content == from_api.content
        assert downloaded.headers["content-disposition"] == from_api.headers["content-disposition"]


async def test_flags_raised_by_week_counts_each_code_in_the_week_it_was_raised(
    factory: Factory, session: AsyncSession
) -> None:
    mine, theirs = await _season(factory)
    # The first grower's direct hire was flagged NON_SNE_CHANNEL: say it was on a Sunday night,
    # so late that it is Monday in Mexico City but still the week before in UTC.
    await session.exec(
        update(Flag)
        .where(col(Flag.grower_id) == mine.id, col(Flag.code) == "NON_SNE_CHANNEL")
        .values(created_at=datetime(2025, 9, 28, 23, 30, tzinfo=UTC))
    )  # type: ignore[call-overload]
    await session.commit()
    flags = (await session.exec(select(Flag))).all()
    expected: Counter[tuple[date, str]] = Counter()
    for flag in flags:
        if flag.grower_id == mine.id:
            raised = flag.created_at.astimezone(UTC).date()
            expected[raised - timedelta(days=raised.weekday()), flag.code] += 1
    assert expected[date(2025, 9, 22), "NON_SNE_CHANNEL"] == 1

    staff = Caller(actor="staff", role="staff")
    weeks = await reports.flags_raised_by_week(session, staff, SEASON_2025, mine.id)
    assert {(w.week, w.code): w.raised for w in weeks} == expected
    assert weeks == sorted(weeks, key=lambda w: (w.week, w.code))

    program = await reports.flags_raised_by_week(session, staff, SEASON_2025)
    assert sum(w.raised for w in program) == len(flags)
    theirs_only = Caller(actor="grower", role="grower", grower_id=theirs.id)
    theirs_weeks = await reports.flags_raised_by_week(session, theirs_only, SEASON_2025, theirs.id)
    assert sum(w.raised for w in theirs_weeks) == sum(f.grower_id == theirs.id for f in flags)
    assert await reports.flags_raised_by_week(session, staff, ReportPeriod(season=2024)) == []


async def test_reports_open_on_the_latest_season_with_cases_and_name_flags_in_words(
    client: httpx.AsyncClient, factory: Factory, staff: Person
) -> None:
    await _season(factory)  # job orders of the 2025 season
    await sign_in(client, staff)
    with clock.as_of(date(2026, 12, 6)):  # a year later, before any 2026 or 2027 job order
        text = _text(await client.get("/console/reports/program"))
    assert "Program report, season 2025" in text
    assert "Cases in the season: 3" in text
    title = catalogue()["NON_SNE_CHANNEL"].texts["en"].title
    assert re.search(rf'<text class="chart-label" x="0" y="\d+">{title}</text>', text)


async def test_the_weekly_chart_spans_the_seasons_weeks(
    client: httpx.AsyncClient, factory: Factory, staff: Person
) -> None:
    await _season(factory)  # job orders from November 1, 2025 to May 31, 2026
    await sign_in(client, staff)
    text = _text(await client.get("/console/reports/program", params={"season": 2025}))
    # The axis starts on the Monday of the first day of work, before any flag was raised.
    assert re.search(r'<desc id="chart-weekly-desc">[^<]*October 27, 2025', text)
