import asyncio
from http import HTTPStatus
from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import State
from pydantic import BaseModel
from sqlalchemy import text

from recruitment.api.dependencies import NO_KEY, PUBLIC
from recruitment.api.problems import TRY_AGAIN_SOON, problem, problem_responses
from recruitment.database import Database

PROBE_TIMEOUT_SECONDS = 3.0


class Health(BaseModel):
    status: str
    database: str
    server_version: str


@get(
    "/health",
    tags=["operations"],
    summary="Whether the service and its database answer",
    responses=problem_responses(503),
    opt=PUBLIC,
    security=NO_KEY,
)
async def health(request: Request[Any, Any, Any], state: State) -> Response[Health]:
    database: Database = state.database
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS), database.engine.connect() as connection:
            version = (await connection.execute(text("SHOW server_version"))).scalar_one()
    except Exception as error:
        return problem(
            request,
            HTTPStatus.SERVICE_UNAVAILABLE,
            f"The database does not answer ({type(error).__name__}); "
            "the service reconnects by itself when it is back.",
            headers=TRY_AGAIN_SOON,
        )
    return Response(Health(status="ok", database="up", server_version=str(version)))
