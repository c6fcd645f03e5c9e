"""The service's address itself: where a person or a program is sent."""

from typing import Any

from litestar import Request, get
from litestar.response import Redirect

from recruitment.api.dependencies import NO_KEY, PUBLIC


@get("/", opt=PUBLIC, security=NO_KEY, include_in_schema=False)
async def home(request: Request[Any, Any, Any]) -> Redirect:
    """A browser goes to the console, a program to the API's documentation."""
    browser = "text/html" in request.headers.get("accept", "")
    return Redirect("/console" if browser else "/schema", headers={"Vary": "Accept"})
