"""Reports over HTTP: JSON by default, the flat CSV form with `Accept: text/csv`."""

import inspect
from datetime import date
from http import HTTPStatus
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter, QueryParameter

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.schemas.common import Output
from recruitment.schemas.reports import (
    GrowerReport,
    ProgramReport,
    ReportFigures,
    ReportPeriod,
    report_csv,
)
from recruitment.services import reports

JSON = "application/json"
CSV = "text/csv"

GrowerId = Annotated[UUID, PathParameter(description="The grower's id.")]
Season = Annotated[
    int | None,
    QueryParameter(
        ge=2000,
        le=2100,
        description="The cases whose job order period starts in this year. Not with from/until.",
    ),
]
# Dates arrive as text and are parsed in _period: Litestar would name a malformed one (or one that
# breaks a constraint) after the Python parameter, `recruited_from`, not after the query field the
# client sent, `from`.
RecruitedFrom = Annotated[
    str | None,
    QueryParameter(
        name="from",
        format="date",
        description="The cases recruited on or after this date (YYYY-MM-DD).",
    ),
]
RecruitedUntil = Annotated[
    str | None,
    QueryParameter(
        name="until",
        format="date",
        description="The cases recruited on or before this date (YYYY-MM-DD).",
    ),
]
# The share definitions live on ReportFigures; Litestar puts no model docstring in the schema.
DESCRIPTION = (
    "For a `season` or a range of recruited dates (`from`, `until`; either end may stay open). "
    "JSON by default; `Accept: text/csv` answers the same figures as one CSV row per figure "
    "(see the README).\n\n" + inspect.cleandoc(ReportFigures.__doc__ or "")
)


def _as_date(text: str | None) -> date | None:
    """The date written, or None when absent or not a date."""
    try:
        return date.fromisoformat(text) if text is not None else None
    except ValueError:
        return None


def _combination_problems(
    season: int | None, start: date | None, end: date | None
) -> dict[str, str]:
    given = {"season": season, "from": start, "until": end}
    if season is not None and (start or end):
        return {
            name: "give either a season or a from/until range, not both"
            for name, value in given.items()
            if value is not None
        }
    if season is None and start is None and end is None:
        return dict.fromkeys(given, "give a season, or a from/until range")
    if start and end and end < start:
        return {"until": f"the range ends before it starts ({start})"}
    return {}


def _period(
    season: int | None, recruited_from: str | None, recruited_until: str | None
) -> ReportPeriod:
    """The period the query asks for; a malformed, mixed, missing or reversed one is refused,
    naming the query fields at fault."""
    texts = {"from": recruited_from, "until": recruited_until}
    dates = {name: _as_date(text) for name, text in texts.items()}
    malformed = {
        name: "not a date: write it as YYYY-MM-DD"
        for name, text in texts.items()
        if text is not None and dates[name] is None
    }
    start, end = dates["from"], dates["until"]
    problems = malformed or _combination_problems(season, start, end)
    if problems:
        raise ValidationException(
            "The report's period is not valid.",
            extra=[
                {"key": name, "message": message, "source": "query"}
                for name, message in problems.items()
            ],
        )
    return ReportPeriod(season, start, end)


def _media_type(request: Request[Any, Any, Any]) -> str:
    chosen = request.accept.best_match([JSON, CSV])
    if chosen is None:
        raise HTTPException(
            status_code=HTTPStatus.NOT_ACCEPTABLE,
            detail=f"Reports are available as {JSON} or {CSV}.",
        )
    return chosen


def _answer(report: GrowerReport | ProgramReport, media_type: str, name: str) -> Response[Any]:
    if media_type == JSON:
        return Response(report, media_type=JSON)
    return Response(
        report_csv(report),
        media_type=CSV,  # Litestar adds "; charset=utf-8" to text types
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _responses(report: type[Output], *statuses: int) -> dict[int, ResponseSpec]:
    return {
        200: ResponseSpec(
            data_container=report,
            description="The report (JSON); with `Accept: text/csv`, its CSV form.",
            generate_examples=False,
        ),
        **problem_responses(*AUTHENTICATED, *statuses, 406),
    }


class ReportController(Controller):
    path = "/reports"
    tags = ["reports"]

    @get(
        "/growers/{grower_id:uuid}",
        summary="Where a grower stands for a season or a period (the grower itself, staff)",
        description=DESCRIPTION,
        responses=_responses(GrowerReport, 404),
    )
    async def grower(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: GrowerId,
        season: Season = None,
        recruited_from: RecruitedFrom = None,
        recruited_until: RecruitedUntil = None,
    ) -> Response[Any]:
        media_type = _media_type(request)
        period = _period(season, recruited_from, recruited_until)
        report = await reports.grower_report(transaction, caller, grower_id, period)
        return _answer(report, media_type, f"report-grower-{grower_id}-{period.label}")

    @get(
        "/program",
        summary="Where the program stands, with each grower's figures (staff)",
        description=DESCRIPTION,
        responses=_responses(ProgramReport),
    )
    async def program(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        season: Season = None,
        recruited_from: RecruitedFrom = None,
        recruited_until: RecruitedUntil = None,
    ) -> Response[Any]:
        media_type = _media_type(request)
        period = _period(season, recruited_from, recruited_until)
        report = await reports.program_report(transaction, caller, period)
        return _answer(report, media_type, f"report-program-{period.label}")
