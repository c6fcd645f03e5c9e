"""Who is signed in to the console, as the same `Caller` the services check API keys against.

Guards, not dependencies, for the same reason as the API's key check (see api/dependencies.py):
a failure in a dependency would leak the request's open transaction.
"""

from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from recruitment.api.request_ids import request_id_from_scope
from recruitment.database import Database
from recruitment.services import users

ANONYMOUS = {"anonymous": True}  # route option: open without signing in (the sign-in page)
SESSION_USER = "user_id"


class NotSignedIn(Exception):
    """The page needs a signed-in person; the console answers with the sign-in page."""


async def require_signed_in(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    if handler.opt.get("anonymous"):
        return
    user_id = connection.session.get(SESSION_USER)
    if not user_id:
        raise NotSignedIn
    database: Database = connection.app.state.database
    async with database.sessions() as session:
        user = await users.signed_in_user(session, UUID(user_id))
    if user is None:  # the account was removed while its session lived on
        raise NotSignedIn
    connection.state.user = user
    connection.state.caller = users.caller_of(user, request_id_from_scope(connection.scope))


async def require_staff(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """For pages only program staff have a use for; the services check every action anyway."""
    connection.state.caller.require_staff("open this page")
