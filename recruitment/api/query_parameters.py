"""Query parameters the OpenAPI document does not name are refused, as unknown body fields are.

A misspelt filter (`GET /flags?stauts=open`) would otherwise be ignored, and the answer would look
filtered when it is not: staff reading "no open flags" for a grower must be able to trust it.
The public pages take anything: messaging apps add their own tracking parameters to links.
"""

from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import Operation, Parameter

from recruitment.errors import FieldProblem, InvalidInput

METHODS = ("get", "put", "post", "delete", "patch")
STATE_KEY = "documented_query_parameters"


def documented_query_parameters(app: Litestar) -> dict[tuple[str, str], frozenset[str]]:
    """(path template, method) -> the query parameters its operation documents; read from the
    document once, then kept with the app."""
    if STATE_KEY in app.state:
        known: dict[tuple[str, str], frozenset[str]] = app.state[STATE_KEY]
        return known
    documented: dict[tuple[str, str], frozenset[str]] = {}
    for path, item in (app.openapi_schema.paths or {}).items():
        for method in METHODS:
            operation: Operation | None = getattr(item, method)
            if operation is not None:
                documented[(path, method.upper())] = frozenset(
                    parameter.name
                    for parameter in operation.parameters or ()
                    if isinstance(parameter, Parameter) and parameter.param_in == "query"
                )
    app.state[STATE_KEY] = documented
    return documented


async def refuse_unknown_query_parameters(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    if handler.opt.get("public"):
        return
    method = str(connection.scope.get("method", ""))
    known = documented_query_parameters(connection.app).get(
        (connection.scope["path_template"], method)
    )
    if known is None:  # not in the document (the console's pages): not for it to judge
        return
    unknown = sorted(set(connection.query_params) - known)
    if unknown:
        message = "not a parameter of this operation"
        raise InvalidInput(
            f"Unknown query parameters: {', '.join(unknown)}. "
            f"This operation takes: {', '.join(sorted(known)) or 'none'}.",
            [FieldProblem(name, message, "query") for name in unknown],
        )
