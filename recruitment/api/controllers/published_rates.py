from datetime import date
from typing import Annotated, Any, Literal

from litestar import Request, get, post
from litestar.params import PathParameter, QueryParameter

from recruitment.api.controllers.reference_lists import MAX_LIST_BYTES, csv_body_lines
from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.schemas.published_rates import PublishedRatesLoadRead, ReferenceImportRead
from recruitment.services import published_rates

# In the path as people write it; in the database as the service names it.
PublishedTable = Literal["wage-rates", "meal-charge-maximums"]
KIND_OF: dict[str, published_rates.RateKind] = {
    "wage-rates": "wage_rates",
    "meal-charge-maximums": "meal_charge_maximums",
}
TableParameter = Annotated[
    PublishedTable,
    PathParameter(
        description="`wage-rates`: AEWRs (columns state, hourly_usd, and optionally soc_code, "
        "skill_level, effective_from, basis, note); `meal-charge-maximums`: the daily maximum "
        "meal charge (columns effective_from, daily_usd)."
    ),
]


@post(
    "/published-rates/{table:str}/imports",
    tags=["reference lists"],
    summary="Load a table of published rates (CSV body), all rows or none (staff)",
    description="Re-loading the same file with the same source and dates changes nothing; a new "
    "load supersedes the rates it covers. Every case is re-evaluated.",
    responses=problem_responses(*AUTHENTICATED, 413),
    request_max_body_size=MAX_LIST_BYTES,
    status_code=200,
)
async def import_published_rates(
    request: Request[Any, Any, Any],
    transaction: Transaction,
    caller: CurrentCaller,
    table: TableParameter,
    source: Annotated[
        str,
        QueryParameter(
            min_length=1,
            max_length=300,
            description="Where the rates were published, e.g. the Federal Register notice.",
        ),
    ],
    effective_from: Annotated[date, QueryParameter(description="First day the rates apply.")],
    effective_until: Annotated[date, QueryParameter(description="Last day the rates apply.")],
    file_name: Annotated[
        str, QueryParameter(min_length=1, max_length=200, description="The file's name.")
    ] = "rates.csv",
) -> PublishedRatesLoadRead:
    caller.require_staff("load published wage rates and meal charges")
    result = await published_rates.load_published_rates(
        transaction, caller, KIND_OF[table], await csv_body_lines(request), file_name, source,
        effective_from, effective_until,
    )  # fmt: skip
    return PublishedRatesLoadRead(
        load=ReferenceImportRead.model_validate(result.load),
        unchanged=result.unchanged,
        superseded=result.superseded,
        cases_reevaluated=result.cases_reevaluated,
    )


@get(
    "/published-rates/{table:str}/imports",
    tags=["reference lists"],
    summary="The loads of a table of published rates, newest first (staff)",
    responses=problem_responses(*AUTHENTICATED),
)
async def list_published_rate_imports(
    transaction: Transaction, caller: CurrentCaller, table: TableParameter
) -> list[ReferenceImportRead]:
    loads = await published_rates.list_loads(transaction, caller, KIND_OF[table])
    return [ReferenceImportRead.model_validate(load) for load in loads]
