"""Rendering a console page: the template, and what every page needs beside its own data."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template

from recruitment.console.texts import ConsoleLanguage, Texts, language_of
from recruitment.rendering.formatting import LanguageFormat
from recruitment.rendering.texts import language_format
from recruitment.schemas.job_orders import JobOrderRead
from recruitment.schemas.users import UserRead

TEMPLATES = Path(__file__).parent / "templates"
HOME = "/console"
NOTICE = "notice"  # session key of a one-time message for the next page


def template_engine() -> JinjaTemplateEngine:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        # A misspelt variable is an error in the tests, not an empty cell in front of a grower.
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return JinjaTemplateEngine.from_environment(environment)


@cache
def formats(contracts_dir: Path, language: ConsoleLanguage) -> LanguageFormat:
    """Dates and money as contracts write them, so a grower reads the same figures in both."""
    return language_format(contracts_dir, language)


@dataclass(frozen=True)
class NavItem:
    href: str
    text_key: str


STAFF_NAV = (
    NavItem("/console/flags", "nav.flags"),
    NavItem("/console/intermediaries", "nav.intermediaries"),
    NavItem("/console/growers", "nav.growers"),
    NavItem("/console/workers", "nav.workers"),
    NavItem("/console/reports", "nav.reports"),
    NavItem("/console/complaints", "nav.complaints"),
)
GROWER_NAV = (
    NavItem("/console/flags", "nav.flags"),
    NavItem("/console/workers", "nav.workers"),
    NavItem("/console/job-orders", "nav.job_orders"),
    NavItem("/console/hires/new", "nav.register_hire"),
    NavItem("/console/rosters/new", "nav.import_roster"),
    NavItem("/console/reports", "nav.reports"),
    NavItem("/console/shared-complaints", "nav.shared_complaints"),
    NavItem("/console/standing", "nav.standing"),
)


def signed_in_user(request: Request[Any, Any, Any]) -> UserRead | None:
    user: UserRead | None = getattr(request.state, "user", None)
    return user


def page(
    request: Request[Any, Any, Any],
    template_name: str,
    http_status: HTTPStatus = HTTPStatus.OK,
    **context: Any,
) -> Template:
    language = language_of(request)
    user = signed_in_user(request)
    nav = () if user is None else STAFF_NAV if user.role in ("staff", "admin") else GROWER_NAV
    notice = request.session.pop(NOTICE, None) if user is not None else None
    return Template(
        template_name=template_name,
        status_code=http_status.value,
        context={
            "t": Texts(language),
            "lang": language,
            "fmt": formats(request.app.state.contracts_dir, language),
            "user": user,
            "nav": nav,
            "path": request.url.path,
            "here": _here(request),
            "notice": notice,
            **context,
        },
    )


def _here(request: Request[Any, Any, Any]) -> str:
    """The page to come back to (after choosing a language): this one, or for a form's answer,
    the page the form was on, since its address only takes POSTs."""
    if request.method == "GET":
        path, query = request.url.path, request.url.query
    else:
        referrer = urlsplit(request.headers.get("referer", ""))
        path, query = referrer.path, referrer.query
    return local_target(f"{path}?{query}" if query else path)


def local_target(target: str | None, default: str = HOME) -> str:
    """`target` if it is a console page of this site, else `default`: a `next` or `back` field
    must never send someone to another site (an open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(HOME) or "\\" in target:
        return default
    return target


def redirect_with_notice(request: Request[Any, Any, Any], target: str, notice_key: str) -> Redirect:
    """After a change: go to `target` (the post-redirect-get pattern) and say what happened."""
    request.session[NOTICE] = notice_key
    return Redirect(path=local_target(target), status_code=HTTPStatus.SEE_OTHER.value)


def job_order_options(orders: Iterable[JobOrderRead]) -> list[tuple[str, str]]:
    """Job orders as a form's choices: the title a grower knows them by, and the DOL case."""
    return [
        (str(order.id), f"{order.terms.job_title} · {order.terms.case_number}") for order in orders
    ]
