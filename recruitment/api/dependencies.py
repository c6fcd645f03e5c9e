"""Authentication and the per-request dependencies: one transaction, and the caller.

The API key is checked by a guard, before any dependency runs: Litestar does not clean up a yield
dependency when a later dependency raises, so an authentication failure raised from a dependency
would leak the request's open transaction and its connection.
"""

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import SecurityRequirement
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.request_ids import request_id_from_scope
from recruitment.database import Database
from recruitment.errors import Forbidden, Unauthenticated
from recruitment.services import access
from recruitment.services.caller import Caller

PUBLIC = {"public": True}  # route option: no API key needed
BUYERS = {"buyers": True}  # route option: a buyer's key may call it (the standing feed)
# The same for the OpenAPI document: an empty requirement lifts the document-wide API key.
NO_KEY: list[SecurityRequirement] = [{}]


async def require_api_key(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Every route needs a valid key unless it opts out with `opt=PUBLIC`."""
    if handler.opt.get("public"):
        return
    scheme, _, key = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthenticated("Send your API key as `Authorization: Bearer <key>`.")
    database: Database = connection.app.state.database
    caller = await access.authenticate(
        database, key.strip(), request_id_from_scope(connection.scope)
    )
    if caller.role == "buyer" and not handler.opt.get("buyers"):
        # A buyer sees standing, never workers: refused before anything is read.
        raise Forbidden("A buyer's key reads the standing feed (/standing) and nothing else.")
    connection.state.caller = caller


async def provide_transaction(state: State) -> AsyncGenerator[AsyncSession, None]:
    """The request's one transaction: committed after the handler, before the response is sent.

    A commit that fails therefore reaches the client as an error, never as a success.
    """
    database: Database = state.database
    async with database.sessions() as session, session.begin():
        yield session


def provide_caller(request: Request[Any, Any, Any]) -> Caller:
    caller: Caller = request.state.caller
    return caller


Transaction = NamedDependency[AsyncSession]
CurrentCaller = NamedDependency[Caller]
