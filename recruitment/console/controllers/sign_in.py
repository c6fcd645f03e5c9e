"""The console's front door: signing in and out, the language, and addresses it does not know."""

from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect

from recruitment.api.dependencies import Transaction
from recruitment.console.auth import ANONYMOUS, SESSION_USER
from recruitment.console.controllers import FormData
from recruitment.console.pages import HOME, local_target, page
from recruitment.console.sessions import end_session, start_session
from recruitment.console.texts import LANGUAGE_COOKIE, chosen_language
from recruitment.errors import NotFound
from recruitment.services import users

SIGN_IN = "/sign-in"
LANGUAGE_REMEMBERED_FOR = timedelta(days=365)


@get("/", name="console_home")
async def home() -> Redirect:
    return Redirect(path=f"{HOME}/flags", status_code=HTTPStatus.SEE_OTHER.value)


@get("/{unknown:path}", opt=ANONYMOUS)
async def unknown_page(unknown: Annotated[Path, PathParameter()]) -> None:
    """Any other address under /console: the console's not-found page, not the API's JSON."""
    raise NotFound(f"No console page {unknown}.")


@get(SIGN_IN, opt=ANONYMOUS)
async def sign_in_form(
    request: Request[Any, Any, Any],
    next_page: Annotated[str | None, QueryParameter(name="next")] = None,
) -> Response[Any]:
    if request.session.get(SESSION_USER):
        return Redirect(path=local_target(next_page), status_code=HTTPStatus.SEE_OTHER.value)
    return page(request, "sign_in.html", next_page=local_target(next_page), email="", refusal=None)


@post(SIGN_IN, opt=ANONYMOUS)
async def sign_in(
    request: Request[Any, Any, Any], transaction: Transaction, data: FormData
) -> Response[Any]:
    email = data.get("email", "").strip()
    outcome = await users.sign_in(transaction, email, data.get("password", ""))
    next_page = local_target(data.get("next"))
    if outcome.user is None:
        return page(
            request,
            "sign_in.html",
            HTTPStatus.UNAUTHORIZED,
            next_page=next_page,
            email=email,
            refusal="locked" if outcome.locked_until else "wrong",
        )
    await start_session(request, {SESSION_USER: str(outcome.user.id)})
    return Redirect(path=next_page, status_code=HTTPStatus.SEE_OTHER.value)


@post("/sign-out", opt=ANONYMOUS)
async def sign_out(request: Request[Any, Any, Any]) -> Redirect:
    await end_session(request)
    return Redirect(path=f"{HOME}{SIGN_IN}", status_code=HTTPStatus.SEE_OTHER.value)


@post("/language", opt=ANONYMOUS)
async def choose_language(data: FormData) -> Redirect:
    back = local_target(data.get("back"))
    language = chosen_language(data.get("language"))
    if language is None:
        return Redirect(path=back, status_code=HTTPStatus.SEE_OTHER.value)
    remembered = Cookie(
        key=LANGUAGE_COOKIE,
        value=language,
        path=HOME,
        max_age=int(LANGUAGE_REMEMBERED_FOR.total_seconds()),
        httponly=True,
        samesite="lax",
    )
    return Redirect(path=back, status_code=HTTPStatus.SEE_OTHER.value, cookies=[remembered])
