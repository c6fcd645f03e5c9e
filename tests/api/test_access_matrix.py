"""Every route of the app, read from its own route list, against every kind of caller.

No credentials, a revoked key, each role, and grower B aimed at grower A's records. Each route has
its expectation in ACCESS; a route without one fails the suite, so a new endpoint can't be
forgotten. "Nothing changed" is a fingerprint of every table (the audit trail included), taken
before and after each request that must be refused.
"""

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

import httpx
import procrastinate
import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from procrastinate.testing import InMemoryConnector
from sqlalchemy import text
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.services import access
from recruitment.services.caller import COMMAND_LINE
from tests.api.test_contracts import token_of
from tests.api.test_rosters import as_csv, roster_row
from tests.console.conftest import PASSWORD, Person, create_user, csrf_token, sign_in
from tests.factories import Credentials, Factory, complete_terms, hire_request, worker_identity

Route = tuple[str, str]  # (method, path as the app declares it, e.g. /workers/{worker_id:uuid})
Access = Literal[
    "public",  # anyone, without a key: the worker's pages, the API's documents, health
    "any_key",  # any valid key; a grower's key only on that grower's records
    "staff_key",  # staff and admin keys; a grower's key is refused
    "buyer_key",  # the standing feed: buyers' keys, staff and admin; a grower's key is refused
    "open_page",  # console pages anyone may open: signing in and out, language, static files
    "any_user_page",  # signed-in console users; a grower only on its own records
    "staff_page",  # signed-in program staff
]

PUBLIC_ROUTES: set[Route] = {
    ("GET", "/health"),
    ("GET", "/"),
    ("GET", "/flags/catalogue"),
    ("GET", "/c/{token:str}"),
    ("GET", "/c/{token:str}/pdf"),
    ("GET", "/c/{token:str}/audio"),
    ("POST", "/c/{token:str}/receipt"),
    ("GET", "/c/{token:str}/complaint"),
    ("POST", "/c/{token:str}/complaint"),
    ("GET", "/verify/{code:str}"),
    ("GET", "/verify/{code:str}/audio"),
    *(
        ("GET", f"/schema{page}")
        for page in ("", "/swagger", "/openapi.json", "/oauth2-redirect.html")
    ),
    ("GET", "/schema/{path:str}"),
    ("GET", "/schema/assets/{file_path:path}"),
    ("HEAD", "/schema/assets/{file_path:path}"),
}
STAFF_ROUTES: set[Route] = {
    ("GET", "/audit"),
    ("GET", "/reports/program"),
    ("POST", "/growers"),
    ("POST", "/growers/{grower_id:uuid}/program-status"),
    ("POST", "/workers"),
    ("POST", "/intermediaries/{intermediary_id:uuid}/verifications"),
    ("POST", "/recruitments/{recruitment_id:uuid}/channel-verification"),
    ("POST", "/flags/{flag_id:uuid}/status-changes"),
    ("POST", "/verification/runs"),
    ("POST", "/verification/jobs"),
    ("POST", "/registry/imports"),
    ("POST", "/sne-referrals/imports"),
    ("POST", "/dol-disclosures/imports"),
    ("POST", "/published-rates/{table:str}/imports"),
    ("GET", "/published-rates/{table:str}/imports"),
    ("POST", "/complaints"),
    ("GET", "/complaints"),
    ("GET", "/complaints/{complaint_id:uuid}"),
    ("PATCH", "/complaints/{complaint_id:uuid}"),
    ("POST", "/complaints/{complaint_id:uuid}/remedies"),
    ("POST", "/debarments/imports"),
}
# Audits and standing (issue 16): what only staff do, and the only routes a buyer's key opens.
STAFF_ROUTES |= {
    ("POST", "/audits"),
    ("POST", "/audits/{audit_id:uuid}/interviews"),
    ("GET", "/audits/{audit_id:uuid}/interviews"),
    ("POST", "/audits/{audit_id:uuid}/findings"),
    ("POST", "/audits/{audit_id:uuid}/closing"),
    ("POST", "/corrective-actions/{action_id:uuid}/verification"),
    ("POST", "/buyers"),
    ("GET", "/buyers"),
    ("GET", "/buyers/{buyer_id:uuid}/deliveries"),
    ("GET", "/reports/program/annual"),
}
BUYER_ROUTES: set[Route] = {("GET", "/standing"), ("GET", "/standing/changes")}
OPEN_PAGES: set[Route] = {
    ("GET", "/console/sign-in"),
    ("POST", "/console/sign-in"),
    ("POST", "/console/sign-out"),
    ("POST", "/console/language"),
    ("GET", "/console/{unknown:path}"),
    ("GET", "/console/static/{file_path:path}"),
    ("HEAD", "/console/static/{file_path:path}"),
}
STAFF_PAGES: set[Route] = {
    ("GET", "/console/growers"),
    ("GET", "/console/intermediaries"),
    ("GET", "/console/intermediaries/{intermediary_id:uuid}"),
    ("POST", "/console/intermediaries/{intermediary_id:uuid}/verification"),
    ("POST", "/console/flags/{flag_id:uuid}/status"),
    ("POST", "/console/flags/groups/status"),
    ("GET", "/console/reports/program"),
    ("GET", "/console/reports/program/report.csv"),
    ("GET", "/console/complaints"),
    ("GET", "/console/complaints/new"),
    ("POST", "/console/complaints"),
    ("GET", "/console/complaints/{complaint_id:uuid}"),
    ("POST", "/console/complaints/{complaint_id:uuid}"),
    ("POST", "/console/complaints/{complaint_id:uuid}/remedies"),
    ("POST", "/console/growers/{grower_id:uuid}/program-status"),
}
USER_PAGES: set[Route] = {
    ("GET", "/console"),
    ("GET", "/console/flags"),
    ("GET", "/console/flags/{flag_id:uuid}"),
    ("GET", "/console/workers"),
    ("GET", "/console/workers/{worker_id:uuid}"),
    ("POST", "/console/workers/{worker_id:uuid}/contracts"),
    ("GET", "/console/contracts/{contract_id:uuid}/pdf"),
    ("POST", "/console/contracts/{contract_id:uuid}/deliveries"),
    ("GET", "/console/job-orders"),
    ("GET", "/console/hires/new"),
    ("POST", "/console/hires"),
    ("GET", "/console/rosters/new"),
    ("GET", "/console/rosters/template.csv"),
    ("POST", "/console/rosters/checks"),
    ("POST", "/console/rosters/imports"),
    ("GET", "/console/reports"),
    ("GET", "/console/reports/growers/{grower_id:uuid}"),
    ("GET", "/console/reports/growers/{grower_id:uuid}/report.csv"),
    ("GET", "/console/shared-complaints"),
    ("GET", "/console/shared-complaints/{complaint_id:uuid}"),
    ("POST", "/console/shared-complaints/{complaint_id:uuid}/responses"),
    ("GET", "/console/standing"),
    ("GET", "/console/growers/{grower_id:uuid}/standing"),
}
KEY_ROUTES: set[Route] = {
    ("GET", "/growers"),
    ("GET", "/growers/{grower_id:uuid}"),
    ("PATCH", "/growers/{grower_id:uuid}"),
    ("GET", "/growers/{grower_id:uuid}/program-status"),
    ("GET", "/growers/{grower_id:uuid}/placements"),
    ("GET", "/job-orders"),
    ("POST", "/job-orders"),
    ("GET", "/job-orders/{job_order_id:uuid}"),
    ("PUT", "/job-orders/{job_order_id:uuid}/terms"),
    ("GET", "/job-orders/{job_order_id:uuid}/versions"),
    ("GET", "/job-orders/{job_order_id:uuid}/versions/{number:int}"),
    ("POST", "/job-orders/{job_order_id:uuid}/contracts"),
    ("GET", "/intermediaries"),
    ("POST", "/intermediaries"),
    ("GET", "/intermediaries/{intermediary_id:uuid}"),
    ("PATCH", "/intermediaries/{intermediary_id:uuid}"),
    ("GET", "/intermediaries/{intermediary_id:uuid}/verifications"),
    ("GET", "/intermediaries/{intermediary_id:uuid}/placements"),
    ("GET", "/intermediaries/{intermediary_id:uuid}/registry"),
    ("GET", "/workers"),
    ("GET", "/workers/{worker_id:uuid}"),
    ("PATCH", "/workers/{worker_id:uuid}"),
    ("GET", "/workers/{worker_id:uuid}/ledger"),
    ("GET", "/workers/{worker_id:uuid}/contracts"),
    ("POST", "/workers/{worker_id:uuid}/contracts"),
    ("GET", "/recruitments"),
    ("POST", "/recruitments"),
    ("GET", "/recruitments/{recruitment_id:uuid}"),
    ("PATCH", "/recruitments/{recruitment_id:uuid}"),
    ("GET", "/recruitments/{recruitment_id:uuid}/channel-verifications"),
    ("GET", "/recruitments/{recruitment_id:uuid}/costs"),
    ("POST", "/recruitments/{recruitment_id:uuid}/costs"),
    ("GET", "/recruitments/{recruitment_id:uuid}/reimbursements"),
    ("POST", "/recruitments/{recruitment_id:uuid}/reimbursements"),
    ("GET", "/hires"),
    ("POST", "/hires"),
    ("GET", "/hires/{hire_id:uuid}"),
    ("PATCH", "/hires/{hire_id:uuid}"),
    ("GET", "/flags"),
    ("GET", "/flags/{flag_id:uuid}"),
    ("GET", "/flags/{flag_id:uuid}/status-changes"),
    ("GET", "/contracts/{contract_id:uuid}"),
    ("GET", "/contracts/{contract_id:uuid}/pdf"),
    ("GET", "/contracts/{contract_id:uuid}/deliveries"),
    ("POST", "/contracts/{contract_id:uuid}/deliveries"),
    ("POST", "/imports/rosters"),
    ("GET", "/jobs/{job_id:uuid}"),
    ("POST", "/jobs/{job_id:uuid}/retries"),
    ("GET", "/reports/growers/{grower_id:uuid}"),
    ("GET", "/shared-complaints"),
    ("GET", "/shared-complaints/{complaint_id:uuid}"),
    ("POST", "/shared-complaints/{complaint_id:uuid}/responses"),
    ("GET", "/audits"),
    ("GET", "/audits/{audit_id:uuid}"),
    ("GET", "/findings"),
    ("GET", "/findings/{finding_id:uuid}"),
    ("GET", "/corrective-actions"),
    ("POST", "/corrective-actions"),
    ("GET", "/corrective-actions/{action_id:uuid}"),
    ("POST", "/corrective-actions/{action_id:uuid}/completion"),
}
ACCESS: dict[Route, Access] = {
    **dict.fromkeys(PUBLIC_ROUTES, "public"),
    **dict.fromkeys(KEY_ROUTES, "any_key"),
    **dict.fromkeys(STAFF_ROUTES, "staff_key"),
    **dict.fromkeys(BUYER_ROUTES, "buyer_key"),
    **dict.fromkeys(OPEN_PAGES, "open_page"),
    **dict.fromkeys(USER_PAGES, "any_user_page"),
    **dict.fromkeys(STAFF_PAGES, "staff_page"),
}
OPENED: set[Access] = {"public", "open_page"}


@dataclass
class World:
    """Grower A's records, which every path parameter points at, and who aims at them."""

    path_values: dict[str, str]
    cost_id: str
    office_id: str
    b_job_order_id: str
    staff: Credentials
    grower_a: Credentials
    grower_b: Credentials
    revoked: Credentials
    buyer: Credentials
    staff_user: Person
    user_a: Person
    user_b: Person

    @property
    def a_ids(self) -> set[str]:
        return {value for name, value in self.path_values.items() if name.endswith("_id")}


@dataclass(frozen=True)
class Call:
    """What a request carries besides its credentials: plausible data, so that a refusal is
    the access rule's and not the validator's."""

    json: Any = None
    data: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    content: bytes | None = None
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    versioned: bool = False  # sent with If-Match: the ETag the same caller reads first

    def mentions(self, values: set[str]) -> bool:
        return any(value in repr((self.json, self.data)) for value in values)


def _csv(body: bytes) -> Call:
    return Call(content=body, headers={"Content-Type": "text/csv"})


_DOL_FILES = ("cases", "addendum_a_crops_wages", "addendum_b_housing",
              "addendum_b_places_of_employment")  # fmt: skip
_SEASON = {"season": "2025"}

CALLS: dict[Route, Callable[[World], Call]] = {
    ("POST", "/growers"): lambda w: Call(
        json={
            "legal_name": "Campos Nuevos LLC",
            "fein": "59-7654399",
            "street": "1 Farm Rd",
            "city": "Immokalee",
            "state": "FL",
            "postal_code": "34142",
        }
    ),
    ("PATCH", "/growers/{grower_id:uuid}"): lambda w: Call(json={"city": "Naples"}, versioned=True),
    ("POST", "/growers/{grower_id:uuid}/program-status"): lambda w: Call(
        json={"to_status": "suspended", "effective_on": "2025-10-20", "reason": "fees found"}
    ),
    ("POST", "/job-orders"): lambda w: Call(
        json={"grower_id": w.path_values["grower_id"], "terms": complete_terms()}
    ),
    ("PUT", "/job-orders/{job_order_id:uuid}/terms"): lambda w: Call(
        json={"terms": complete_terms(hours_per_week=42)}, versioned=True
    ),
    ("POST", "/job-orders/{job_order_id:uuid}/contracts"): lambda w: Call(json={}),
    ("POST", "/intermediaries"): lambda w: Call(
        json={"kind": "foreign_recruiter", "name": "Reclutadora Sur", "country": "MX"}
    ),
    ("PATCH", "/intermediaries/{intermediary_id:uuid}"): lambda w: Call(
        json={"region": "Tlaxcala"}, versioned=True
    ),
    ("POST", "/intermediaries/{intermediary_id:uuid}/verifications"): lambda w: Call(
        json={"status": "verified", "note": "registry record matches"}
    ),
    ("POST", "/workers"): lambda w: Call(json=worker_identity()),
    ("PATCH", "/workers/{worker_id:uuid}"): lambda w: Call(
        json={"phone": "+52 55 8765 4321"}, versioned=True
    ),
    ("POST", "/workers/{worker_id:uuid}/contracts"): lambda w: Call(json={}),
    ("POST", "/recruitments"): lambda w: Call(
        json={
            "job_order_id": w.path_values["job_order_id"],
            "worker": worker_identity(),
            "channel": "other",
        }
    ),
    ("PATCH", "/recruitments/{recruitment_id:uuid}"): lambda w: Call(
        json={"sne_folio": "TLX-OTHER"}, versioned=True
    ),
    ("POST", "/recruitments/{recruitment_id:uuid}/channel-verification"): lambda w: Call(
        json={"decision": "verified", "evidence": "SNE Tlaxcala list, folio matches"}
    ),
    ("POST", "/recruitments/{recruitment_id:uuid}/costs"): lambda w: Call(
        json={
            "category": "medical",
            "amount": {"amount": 100, "currency": "USD"},
            "paid_on": "2025-09-01",
            "payee_kind": "clinic",
            "reported_by": "grower",
        }
    ),
    ("POST", "/recruitments/{recruitment_id:uuid}/reimbursements"): lambda w: Call(
        json={
            "amount": {"amount": 100, "currency": "USD"},
            "paid_on": "2025-10-01",
            "cost_ids": [w.cost_id],
        }
    ),
    ("POST", "/hires"): lambda w: Call(
        json=hire_request(UUID(w.path_values["job_order_id"]), UUID(w.office_id))
    ),
    ("PATCH", "/hires/{hire_id:uuid}"): lambda w: Call(
        json={"wages_paid_by": {"kind": "grower"}}, versioned=True
    ),
    ("POST", "/flags/{flag_id:uuid}/status-changes"): lambda w: Call(
        json={"action": "acknowledge"}
    ),
    ("POST", "/verification/runs"): lambda w: Call(json={}),
    ("POST", "/contracts/{contract_id:uuid}/deliveries"): lambda w: Call(
        json={"method": "whatsapp", "delivered_on": "2025-10-15"}
    ),
    ("POST", "/imports/rosters"): lambda w: Call(
        files={"file": ("roster.csv", as_csv([roster_row()]), "text/csv")},
        data={"dry_run": "true", "grower_id": w.path_values["grower_id"]},
    ),
    ("POST", "/dol-disclosures/imports"): lambda w: Call(
        files={name: (f"{name}.csv", b"CASE_NUMBER\n", "text/csv") for name in _DOL_FILES}
    ),
    ("POST", "/registry/imports"): lambda w: _csv(
        b"Cert Num,FLC Business or FLC Individual,FLC Certificate Valid Until\n"
    ),
    ("POST", "/sne-referrals/imports"): lambda w: _csv(
        b"office,folio,curp,passport,name,referred_on,employer\n"
    ),
    ("POST", "/published-rates/{table:str}/imports"): lambda w: Call(
        content=b"state,hourly_usd\nFL,18.00\n",
        headers={"Content-Type": "text/csv"},
        params={"source": "test", "effective_from": "2026-01-01", "effective_until": "2026-12-31"},
    ),
    ("POST", "/debarments/imports"): lambda w: _csv(b"Entity,Start of Debarment\n"),
    ("GET", "/reports/growers/{grower_id:uuid}"): lambda w: Call(params=_SEASON),
    ("POST", "/c/{token:str}/complaint"): lambda w: Call(
        data={"concern": "housing", "details": "No hay agua caliente."}
    ),
    ("POST", "/complaints"): lambda w: Call(
        json={"grower_id": w.path_values["grower_id"], "language": "es", "account": "Me cobraron."}
    ),
    ("PATCH", "/complaints/{complaint_id:uuid}"): lambda w: Call(
        json={"severity": "urgent"}, versioned=True
    ),
    ("POST", "/complaints/{complaint_id:uuid}/remedies"): lambda w: Call(
        json={"kind": "policy_change", "description": "Recruiters sign a no-fee clause."}
    ),
    ("POST", "/shared-complaints/{complaint_id:uuid}/responses"): lambda w: Call(
        json={"response": "We will check our recruiters."}
    ),
    ("GET", "/reports/program"): lambda w: Call(params=_SEASON),
    ("GET", "/console/reports/growers/{grower_id:uuid}"): lambda w: Call(params=_SEASON),
    ("GET", "/console/reports/growers/{grower_id:uuid}/report.csv"): lambda w: Call(params=_SEASON),
    ("GET", "/console/reports/program"): lambda w: Call(params=_SEASON),
    ("GET", "/console/reports/program/report.csv"): lambda w: Call(params=_SEASON),
    ("POST", "/console/shared-complaints/{complaint_id:uuid}/responses"): lambda w: Call(
        data={"response": "We will check our recruiters."}
    ),
    ("POST", "/console/complaints"): lambda w: Call(
        data={"grower_id": w.path_values["grower_id"], "language": "es", "account": "Me cobraron."}
    ),
    ("POST", "/console/complaints/{complaint_id:uuid}"): lambda w: Call(
        data={"note": "Called the worker back."}
    ),
    ("POST", "/console/complaints/{complaint_id:uuid}/remedies"): lambda w: Call(
        data={"kind": "policy_change", "description": "Recruiters sign a no-fee clause."}
    ),
    ("POST", "/audits"): lambda w: Call(
        json={
            "grower_id": w.path_values["grower_id"],
            "season": 2025,
            "announced": True,
            "starts_on": "2026-01-12",
            "ends_on": "2026-01-16",
            "auditors": ["A. Pérez"],
        }
    ),
    ("POST", "/audits/{audit_id:uuid}/interviews"): lambda w: Call(
        json={
            "worker_id": w.path_values["worker_id"],
            "interviewed_on": "2026-01-13",
            "language": "es",
            "interviewer": "A. Pérez",
            "recruited_through": "sne",
            "answers": {"housing": {"compliant": True}},
        }
    ),
    ("POST", "/audits/{audit_id:uuid}/findings"): lambda w: Call(
        json={"standard": "housing", "severity": "warning", "detail": "no hot water"}
    ),
    ("POST", "/audits/{audit_id:uuid}/closing"): lambda w: Call(
        json={"outcome": "failed", "closed_on": "2026-01-16"}
    ),
    ("POST", "/corrective-actions"): lambda w: Call(
        json={
            "finding_id": w.path_values["finding_id"],
            "description": "Repair the heater",
            "owner": "Housing manager",
            "due_on": "2026-02-15",
        }
    ),
    ("POST", "/corrective-actions/{action_id:uuid}/completion"): lambda w: Call(
        json={"completed_on": "2025-10-01", "evidence": "invoice"}, versioned=True
    ),
    ("POST", "/corrective-actions/{action_id:uuid}/verification"): lambda w: Call(
        json={"decision": "verified", "note": "seen on site"}, versioned=True
    ),
    ("POST", "/buyers"): lambda w: Call(json={"name": "Tienda Justa"}),
    ("GET", "/reports/program/annual"): lambda w: Call(params={"year": "2026"}),
    ("POST", "/console/growers/{grower_id:uuid}/program-status"): lambda w: Call(
        data={"to_status": "suspended", "effective_on": "2027-01-05", "reason": "fees found"}
    ),
    ("POST", "/console/sign-in"): lambda w: Call(
        data={"email": w.user_a.email, "password": "not the password"}
    ),
    ("POST", "/console/language"): lambda w: Call(data={"language": "es"}),
    ("POST", "/console/workers/{worker_id:uuid}/contracts"): lambda w: Call(
        data={"language": "es"}
    ),
    ("POST", "/console/contracts/{contract_id:uuid}/deliveries"): lambda w: Call(
        data={"method": "whatsapp", "delivered_on": "2025-10-15"}
    ),
    ("POST", "/console/flags/{flag_id:uuid}/status"): lambda w: Call(
        data={"action": "acknowledge"}
    ),
    ("POST", "/console/intermediaries/{intermediary_id:uuid}/verification"): lambda w: Call(
        data={"status": "verified", "note": "registry record matches"}
    ),
    ("POST", "/console/flags/groups/status"): lambda w: Call(
        data={
            "group": f"TERMS_INCOMPLETE|job_order:{w.path_values['job_order_id']}",
            "action": "acknowledge",
        }
    ),
    ("POST", "/console/hires"): lambda w: Call(
        data={
            "job_order_id": w.path_values["job_order_id"],
            "start_date": "2025-11-01",
            "channel": "other",
            **{f"worker.{key}": value for key, value in worker_identity().items()},
        }
    ),
    ("POST", "/console/rosters/checks"): lambda w: Call(
        files={"file": ("roster.csv", as_csv([roster_row()]), "text/csv")},
        data={"grower_id": w.path_values["grower_id"]},
    ),
}


def app_routes(app: Litestar) -> dict[Route, HTTPRouteHandler]:
    return {
        (method, route.path): handler
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in handler.http_methods
    }


def checked_routes(app: Litestar) -> list[Route]:
    """Every route but the OPTIONS answers Litestar adds itself (test_preflight_answers_...)."""
    return sorted(route for route in app_routes(app) if route[0] != "OPTIONS")


_PARAMETER = re.compile(r"\{(\w+):\w+\}")


def url_of(path: str, world: World) -> str:
    return _PARAMETER.sub(lambda found: world.path_values[found.group(1)], path)


def aims_at_a_record(route: Route, world: World) -> bool:
    """Whether the request names one of A's records, in its path or in its data."""
    call = CALLS.get(route, _nothing)(world)
    return bool(_PARAMETER.search(route[1])) or call.mentions(world.a_ids)


def _nothing(world: World) -> Call:
    return Call()


@asynccontextmanager
async def browser(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A client of its own, with its own cookies: one person's browser."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@asynccontextmanager
async def signed_in(app: Litestar, person: Person) -> AsyncIterator[httpx.AsyncClient]:
    async with browser(app) as client:
        assert (await sign_in(client, person, PASSWORD)).status_code == 303
        yield client


async def send(
    client: httpx.AsyncClient, route: Route, world: World, headers: dict[str, str] | None = None
) -> httpx.Response:
    """The route's request with the given credentials. A console form carries the CSRF token of
    a page this browser opens first, so that what answers is the access rule, not the CSRF
    check."""
    method, path = route
    call = CALLS.get(route, _nothing)(world)
    url = url_of(path, world)
    sent = {**call.headers, **(headers or {})}
    if call.versioned:
        current = await client.get(url, headers=sent)
        sent["If-Match"] = current.headers.get("etag", '"1"')
    if path.startswith("/console") and method == "POST":
        opened = await client.get("/console/sign-in")
        form_page = opened if "_csrf_token" in opened.text else await client.get("/console/flags")
        sent["X-CSRFToken"] = csrf_token(form_page.text)
    return await client.request(
        method, url, json=call.json, data=call.data, files=call.files, content=call.content,
        params=call.params, headers=sent,
    )  # fmt: skip


_TABLES = [table.name for table in SQLModel.metadata.sorted_tables if table.name != "console_store"]
_FINGERPRINT = text(
    " UNION ALL ".join(
        f"SELECT '{name}', md5(coalesce(string_agg(md5(row::text), '' ORDER BY md5(row::text)),"
        f" '')) FROM {name} AS row"
        for name in _TABLES
    )
)


async def fingerprint(session: AsyncSession) -> dict[str, str]:
    """Every table's content, the audit trail's included; the console's store of sessions and
    CSRF secrets is left out, since opening any page may touch it."""
    rows = await (await session.connection()).execute(_FINGERPRINT)
    return {str(name): str(digest) for name, digest in rows}


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@pytest.fixture
async def world(
    app: Litestar,
    client: httpx.AsyncClient,
    factory: Factory,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    # Jobs queue in memory: the test's transaction is rolled back, and the queue must be too.
    monkeypatch.setattr(app.state, "queue", procrastinate.App(connector=InMemoryConnector()))
    grower_a, key_a = await factory.grower_with_key()
    job_order = await factory.job_order(grower_a.id)
    hire = await factory.hire(job_order)
    grower_b, key_b = await factory.grower_with_key()
    b_job_order = await factory.job_order(grower_b.id)
    staff = await factory.key("staff")
    revoked = await factory.key("staff")
    await access.revoke_key(session, COMMAND_LINE, revoked.key_id)
    await session.commit()
    declared = await client.post(
        "/intermediaries",
        json={"kind": "farm_labor_contractor", "name": "Cuadrilla A", "country": "US"},
        headers=key_a.headers,
    )
    cost = await client.post(
        f"/recruitments/{hire.recruitment_id}/costs",
        json={"category": "medical", "amount": {"amount": 19000, "currency": "USD"},
              "paid_on": "2025-09-10", "payee_kind": "clinic", "reported_by": "grower"},
        headers=key_a.headers,
    )  # fmt: skip
    contract = await client.post(
        f"/workers/{hire.worker_id}/contracts", json={}, headers=key_a.headers
    )
    job = await client.post(f"/job-orders/{job_order.id}/contracts", json={}, headers=key_a.headers)
    flags = await client.get(
        "/flags", params={"grower_id": str(grower_a.id)}, headers=key_a.headers
    )
    complaint = await client.post(
        "/complaints",
        json={"grower_id": str(grower_a.id), "recruitment_id": str(hire.recruitment_id),
              "category": "fees", "language": "es", "account": "Pagué por el trabajo."},
        headers=staff.headers,
    )  # fmt: skip
    shared = await client.patch(
        f"/complaints/{complaint.json()['id']}",
        json={"status": "investigating", "shared_summary": "A worker reports a fee."},
        headers={**staff.headers, "If-Match": complaint.headers["etag"]},
    )
    audit = await client.post(
        "/audits",
        json={"grower_id": str(grower_a.id), "season": 2025, "announced": True,
              "starts_on": "2026-01-12", "ends_on": "2026-01-16", "auditors": ["A. Pérez"]},
        headers=staff.headers,
    )  # fmt: skip
    finding = await client.post(
        f"/audits/{audit.json()['id']}/findings",
        json={"standard": "housing", "severity": "warning", "detail": "no hot water"},
        headers=staff.headers,
    )
    action = await client.post(
        "/corrective-actions",
        json={"finding_id": finding.json()["id"], "description": "Repair the heater",
              "owner": "Housing manager", "due_on": "2026-02-15"},
        headers=key_a.headers,
    )  # fmt: skip
    buyer = await client.post("/buyers", json={"name": "Mercado Uno"}, headers=staff.headers)
    for response in (
        declared,
        cost,
        contract,
        job,
        flags,
        complaint,
        shared,
        audit,
        finding,
        action,
        buyer,
    ):
        assert response.is_success, response.text
    buyer_key = await access.issue_key(
        session, COMMAND_LINE, role="buyer", grower_id=None, label="buyer",
        buyer_id=UUID(buyer.json()["id"]),
    )  # fmt: skip
    await session.commit()
    return World(
        path_values={
            "grower_id": str(grower_a.id),
            "job_order_id": str(job_order.id),
            "number": "1",
            "intermediary_id": declared.json()["id"],
            "worker_id": str(hire.worker_id),
            "recruitment_id": str(hire.recruitment_id),
            "hire_id": str(hire.id),
            "flag_id": flags.json()["items"][0]["id"],
            "contract_id": contract.json()["id"],
            "job_id": job.json()["id"],
            "complaint_id": complaint.json()["id"],
            "token": token_of(contract.json()["worker_link"]),
            "code": contract.json()["verification_code"],
            "unknown": "no-such-page",
            "file_path": "htmx.min.js",
            "path": "no-such-document",
            "table": "wage-rates",
            "audit_id": audit.json()["id"],
            "finding_id": finding.json()["id"],
            "action_id": action.json()["id"],
            "buyer_id": buyer.json()["id"],
        },
        cost_id=cost.json()["id"],
        office_id=str((await factory.intermediary()).id),
        b_job_order_id=str(b_job_order.id),
        staff=staff,
        grower_a=key_a,
        grower_b=key_b,
        revoked=revoked,
        buyer=Credentials(buyer_key.key, buyer_key.id, None),
        staff_user=await create_user(session, "staff@program.example", "staff"),
        user_a=await create_user(session, "a@farm.example", "grower", grower_a.id),
        user_b=await create_user(session, "b@farm.example", "grower", grower_b.id),
    )


def test_every_route_has_an_expectation(app: Litestar) -> None:
    routes = set(checked_routes(app))
    assert sorted(routes - ACCESS.keys()) == [], "new routes: say who may call them in ACCESS"
    assert sorted(ACCESS.keys() - routes) == [], "routes that are gone: take them out of ACCESS"
    assert CALLS.keys() <= routes


def test_only_the_listed_routes_opt_out_of_authentication(app: Litestar) -> None:
    """The flags that open a route (opt=PUBLIC for the API's key, ANONYMOUS for the console's
    sign-in) are set only where ACCESS says so."""
    opened = {
        route
        for route, handler in app_routes(app).items()
        if route[0] != "OPTIONS"
        and (
            handler.opt.get("anonymous")
            or (handler.opt.get("public") and not route[1].startswith("/console"))
            or route[1].startswith("/console/static")
        )
    }
    assert opened == {route for route, rule in ACCESS.items() if rule in OPENED}


def refused_anonymously(route: Route, response: httpx.Response) -> bool:
    if route[1].startswith("/console"):
        return response.status_code == 303 and response.headers["location"].startswith(
            "/console/sign-in?next="
        )
    return response.status_code == 401 and response.headers["content-type"].startswith(
        "application/problem+json"
    )


@pytest.mark.parametrize("credentials", ["none", "revoked key"])
async def test_without_valid_credentials_only_public_routes_answer_and_nothing_changes(
    app: Litestar, world: World, session: AsyncSession, credentials: str
) -> None:
    headers = world.revoked.headers if credentials == "revoked key" else {}
    wrong = []
    async with browser(app) as client:
        for route in checked_routes(app):
            before = await fingerprint(session)
            response = await send(client, route, world, headers)
            opened = ACCESS[route] in OPENED
            if opened == refused_anonymously(route, response):
                wrong.append((route, response.status_code))
            elif not opened and (tables := changed(before, await fingerprint(session))):
                wrong.append((route, tables))
    assert wrong == []


async def test_each_role_answers_where_it_may_and_is_refused_where_it_may_not(
    app: Litestar, client: httpx.AsyncClient, world: World
) -> None:
    wrong = []
    guarded = [route for route in checked_routes(app) if ACCESS[route] not in OPENED]
    api = [route for route in guarded if not route[1].startswith("/console")]
    for route in api:
        staff = await send(client, route, world, world.staff.headers)
        grower = await send(client, route, world, world.grower_a.headers)
        buyer = await send(client, route, world, world.buyer.headers)
        if staff.status_code in (401, 403) or staff.status_code >= 500:
            wrong.append((route, "staff", staff.status_code, staff.text[:200]))
        refused = grower.status_code in (403, 404)
        if refused != (ACCESS[route] in ("staff_key", "buyer_key")) or grower.status_code >= 500:
            wrong.append((route, "grower", grower.status_code, grower.text[:200]))
        # A buyer reads the feed and nothing else: refused outright, before any record is read.
        if (buyer.status_code == 403) != (ACCESS[route] != "buyer_key") or buyer.status_code >= 500:
            wrong.append((route, "buyer", buyer.status_code, buyer.text[:200]))
    pages = [route for route in guarded if route[1].startswith("/console")]
    async with signed_in(app, world.staff_user) as staff, signed_in(app, world.user_a) as grower:
        for route in pages:
            staff_page = await send(staff, route, world)
            grower_page = await send(grower, route, world)
            if staff_page.status_code in (401, 403) or staff_page.status_code >= 500:
                wrong.append((route, "staff", staff_page.status_code, staff_page.text[:200]))
            refused = grower_page.status_code in (403, 404)
            if refused != (ACCESS[route] == "staff_page") or grower_page.status_code >= 500:
                wrong.append((route, "grower", grower_page.status_code, grower_page.text[:200]))
    assert wrong == []


async def test_a_grower_aimed_at_another_growers_records_finds_nothing_and_changes_nothing(
    app: Litestar, client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    """Grower B, by key and signed in, on every route: whatever names A's records is not found
    (or refused) and changes nothing; whatever else answers mentions none of A's records."""
    wrong = []
    async with signed_in(app, world.user_b) as browser_b:
        for route in checked_routes(app):
            if ACCESS[route] in OPENED:
                continue
            console = route[1].startswith("/console")
            before = await fingerprint(session)
            if console:
                response = await send(browser_b, route, world)
            else:
                response = await send(client, route, world, world.grower_b.headers)
            if aims_at_a_record(route, world):
                if response.status_code not in (403, 404):
                    wrong.append((route, response.status_code, response.text[:200]))
                elif tables := changed(before, await fingerprint(session)):
                    wrong.append((route, tables))
            elif leaked := {a_id for a_id in world.a_ids if a_id in response.text}:
                wrong.append((route, "shows", leaked))
    assert wrong == []


async def test_preflight_answers_reveal_nothing(
    app: Litestar, client: httpx.AsyncClient, world: World
) -> None:
    """Litestar answers OPTIONS itself for every path: the allowed methods, no body, no data."""
    preflights = sorted(route for route in app_routes(app) if route[0] == "OPTIONS")
    assert preflights
    for route in preflights:
        response = await client.options(url_of(route[1], world), headers=world.staff.headers)
        assert response.status_code in (204, 303), (route, response.status_code)
        assert response.content == b""


async def test_a_grower_cannot_recruit_another_growers_worker_into_its_own_job_order(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    before = await fingerprint(session)
    response = await client.post(
        "/recruitments",
        json={"job_order_id": world.b_job_order_id, "worker_id": world.path_values["worker_id"],
              "channel": "other"},
        headers=world.grower_b.headers,
    )  # fmt: skip
    assert response.status_code == 404, response.text
    assert changed(before, await fingerprint(session)) == []


async def test_the_fingerprint_sees_what_a_request_writes(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    before = await fingerprint(session)
    response = await send(client, ("POST", "/c/{token:str}/receipt"), world)
    assert response.status_code == 303
    assert "contracts" in changed(before, await fingerprint(session))
