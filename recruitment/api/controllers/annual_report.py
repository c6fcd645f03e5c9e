"""The annual program report over HTTP: JSON, or CSV or PDF by the Accept header."""

import asyncio
from http import HTTPStatus
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import QueryParameter

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.rendering.pdf import render_annual_report_pdf
from recruitment.schemas.annual_report import AnnualReport, annual_report_csv
from recruitment.services.annual_report import annual_report

JSON, CSV, PDF = "application/json", "text/csv", "application/pdf"


@get(
    "/reports/program/annual",
    summary="The annual program report (staff): JSON, or `Accept: text/csv` / `application/pdf`",
    tags=["reports"],
    responses={
        200: ResponseSpec(
            data_container=AnnualReport,
            description="The report (JSON); with Accept text/csv or application/pdf, that form.",
            generate_examples=False,
        ),
        **problem_responses(*AUTHENTICATED, 406),
    },
)
async def annual_program_report(
    request: Request[Any, Any, Any],
    state: State,
    transaction: Transaction,
    caller: CurrentCaller,
    year: Annotated[int, QueryParameter(ge=2000, le=2100, description="The report's year.")],
) -> Response[Any]:
    media_type = request.accept.best_match([JSON, CSV, PDF])
    if media_type is None:
        raise HTTPException(
            status_code=HTTPStatus.NOT_ACCEPTABLE,
            detail=f"The annual report is available as {JSON}, {CSV} or {PDF}.",
        )
    report = await annual_report(transaction, caller, year)
    name = f"annual-report-{year}"
    if media_type == JSON:
        return Response(report, media_type=JSON)
    if media_type == CSV:
        return Response(
            annual_report_csv(report),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    pdf = await asyncio.to_thread(
        render_annual_report_pdf, report.model_dump(mode="json"), state.program_name
    )
    return Response(
        pdf, media_type=PDF, headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'}
    )
