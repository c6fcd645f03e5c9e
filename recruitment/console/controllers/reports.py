"""Reports with charts: a grower's (the grower itself, staff) and the program's (staff), by
season, and their CSV form as the API gives it."""

from datetime import date
from http import HTTPStatus
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.console.auth import require_staff
from recruitment.console.charts import (
    counts_chart,
    open_flags_chart,
    share_chart,
    shares_chart,
    weekly_chart,
)
from recruitment.console.pages import page
from recruitment.schemas.reports import (
    COMPLAINT_SHARES,
    GrowerReport,
    ProgramReport,
    ReportPeriod,
    report_csv,
)
from recruitment.services import reports
from recruitment.services.caller import Caller
from recruitment.verification import catalogue

# The seasons offered: the coming one and a few past ones (the select), any other by address.
SEASONS_BACK = 5
Season = Annotated[int | None, QueryParameter(ge=2000, le=2100, required=False)]
GrowerId = Annotated[UUID, PathParameter()]


def _period(season: int | None) -> ReportPeriod:
    return ReportPeriod(season=season or clock.today().year)


async def _opening_period(
    session: AsyncSession, caller: Caller, season: int | None, grower_id: UUID | None = None
) -> ReportPeriod:
    """The season asked for, or else the latest one with cases: a report that opens empty on a
    year without data tells staff nothing."""
    if season is None:
        season = await reports.latest_season(session, caller, grower_id)
    return _period(season)


def _csv(report: GrowerReport | ProgramReport, name: str) -> Response[str]:
    """The API's CSV form (its formatter and its file names), as a download."""
    return Response(
        report_csv(report),
        media_type="text/csv",  # Litestar adds "; charset=utf-8" to text types
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _report_page(
    request: Request[Any, Any, Any],
    report: GrowerReport | ProgramReport,
    weeks: list[reports.WeeklyFlags],
    season_dates: tuple[date, date] | None,
    csv_url: str,
) -> Response[Any]:
    season = report.period.season
    assert season is not None  # the console reports by season only
    this_year = clock.today().year
    seasons = sorted({season, *range(this_year + 1, this_year - SEASONS_BACK, -1)}, reverse=True)
    complaints = report.complaints if isinstance(report, ProgramReport) else None
    return page(
        request,
        "reports/report.html",
        report=report,
        season=season,
        seasons=seasons,
        shares=share_chart(report),
        open_flags=open_flags_chart(report),
        weekly=weekly_chart(weeks, season_dates),
        weeks=weeks,
        csv_url=f"{csv_url}?season={season}",
        program=isinstance(report, ProgramReport),
        catalogue=catalogue(),
        complaints=complaints,
        complaint_shares=shares_chart(complaints, COMPLAINT_SHARES) if complaints else None,
        complaint_categories=counts_chart(complaints.by_category) if complaints else None,
        complaint_channels=counts_chart(complaints.by_channel) if complaints else None,
    )


def grower_report_url(grower_id: UUID) -> str:
    return f"/console/reports/growers/{grower_id}"


class ReportsController(Controller):
    path = "/reports"

    @get("/")
    async def reports_home(self, caller: CurrentCaller) -> Redirect:
        """The reports a person has: staff the program's, a grower its own."""
        if caller.is_staff:
            return Redirect("/console/reports/program", status_code=HTTPStatus.SEE_OTHER.value)
        assert caller.grower_id is not None
        return Redirect(grower_report_url(caller.grower_id), status_code=HTTPStatus.SEE_OTHER.value)

    @get("/program", guards=[require_staff])
    async def program_report(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        season: Season = None,
    ) -> Response[Any]:
        period = await _opening_period(transaction, caller, season)
        report = await reports.program_report(transaction, caller, period)
        weeks = await reports.flags_raised_by_week(transaction, caller, period)
        dates = await reports.season_dates(transaction, caller, period)
        return _report_page(request, report, weeks, dates, "/console/reports/program/report.csv")

    @get("/program/report.csv", guards=[require_staff])
    async def program_csv(
        self, transaction: Transaction, caller: CurrentCaller, season: Season = None
    ) -> Response[str]:
        period = _period(season)
        report = await reports.program_report(transaction, caller, period)
        return _csv(report, f"report-program-{period.label}")

    @get("/growers/{grower_id:uuid}")
    async def grower_report(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: GrowerId,
        season: Season = None,
    ) -> Response[Any]:
        period = await _opening_period(transaction, caller, season, grower_id)
        report = await reports.grower_report(transaction, caller, grower_id, period)
        weeks = await reports.flags_raised_by_week(transaction, caller, period, grower_id)
        dates = await reports.season_dates(transaction, caller, period, grower_id)
        csv_url = f"{grower_report_url(grower_id)}/report.csv"
        return _report_page(request, report, weeks, dates, csv_url)

    @get("/growers/{grower_id:uuid}/report.csv")
    async def grower_csv(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: GrowerId,
        season: Season = None,
    ) -> Response[str]:
        period = _period(season)
        report = await reports.grower_report(transaction, caller, grower_id, period)
        return _csv(report, f"report-grower-{grower_id}-{period.label}")
