"""Schemathesis against the served OpenAPI document: every operation, as staff and as a grower.

Each case must get an answer the document promises: never a 5xx, a documented status code and
content type, and a body that matches the documented schema.

Every phase generates both valid data and, in Schemathesis's `negative` mode, data that breaks the
schema (wrong types, missing and unknown fields, out-of-range values, NUL characters in text).
Staff go through every phase: the schema's examples, its coverage cases (each boundary and each
way to break each parameter, deterministic) and random fuzzing. A grower, whose key reaches less,
goes through fuzzing, then through the coverage phase's mutations of every request body alone
(the writes it may make), which keeps the whole run near a minute on two cores.

The application runs on a database of its own, inside Schemathesis's event-loop thread: the rest
of the suite keeps each test in one transaction on one connection, which that thread could not
share, and a fuzzed request that failed a statement would abort it for every later case.
"""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar import Litestar
from litestar.testing import TestClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi
from schemathesis.specs.openapi.schemas import OpenApiSchema
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.app import create_app
from recruitment.database import connect
from recruitment.rendering import ContractRenderer
from recruitment.schemas.audits import AuditCreate, CorrectiveActionCreate, FindingCreate
from recruitment.schemas.buyers import BuyerCreate
from recruitment.schemas.contracts import ContractIssue
from recruitment.services import audits, buyers, contracts, corrective_actions, costs, jobs
from recruitment.services.caller import COMMAND_LINE
from recruitment.services.contracts import Publication
from recruitment.settings import Settings
from tests.databases import migrated_database
from tests.factories import RECRUITMENT_FEE, Credentials, Factory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    # Most generated requests are refused (404, 422): that is what they are for.
    suppress_health_check=list(HealthCheck),
)
SEED = 20251015


@dataclass(frozen=True)
class Season:
    """What the fuzzed service's database holds: callers, and a record behind each kind of id."""

    staff: Credentials
    grower: Credentials
    records: dict[str, UUID]

    def point_at_records(self, case: schemathesis.Case[Any]) -> None:
        """Send a case's well-formed ids to seeded records, so it gets past their lookup."""
        for name, value in case.path_parameters.items():
            if name in self.records and _is_uuid(value):
                case.path_parameters[name] = str(self.records[name])


def _is_uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


def served_document() -> dict[str, Any]:
    """The document as `/schema/openapi.json` serves it: a public route that needs no database."""
    # Not entered as a context: that would run the lifespan, which starts a database.
    response = TestClient(create_app(Settings(database_url=None))).get("/schema/openapi.json")
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


DOCUMENT = served_document()


def schema_with(config: dict[str, Any]) -> OpenApiSchema:
    return schemathesis.openapi.from_dict(
        DOCUMENT,
        config=SchemathesisConfig.from_dict(
            {"seed": SEED, "generation": {"mode": "all"}, **config}
        ),
    )


every_phase = schema_with(
    {
        "operations": [
            {
                # New terms are the body of POST /job-orders, whose coverage cases try them.
                "include-method": "PUT",
                "include-path": "/job-orders/{job_order_id}/terms",
                "phases": {"coverage": {"enabled": False}},
            }
        ]
    }
)
fuzzing_only = schema_with(
    {"phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}}}
)
body_mutations = schema_with(
    {
        "generation": {"mode": "negative"},
        "phases": {"examples": {"enabled": False}, "fuzzing": {"enabled": False}},
    }
).include(method=["POST", "PUT", "PATCH"])


async def _seed(url: str, renderer: ContractRenderer) -> Season:
    database = connect(Settings(), url)
    try:
        async with database.sessions() as session:
            factory = Factory(session)
            grower, grower_key = await factory.grower_with_key()
            job_order = await factory.job_order(grower.id)
            hire = await factory.hire(job_order)
            fee = await costs.record_cost(
                session, COMMAND_LINE, hire.recruitment_id, RECRUITMENT_FEE
            )
            contract = await contracts.issue_contract(
                session,
                COMMAND_LINE,
                renderer,
                Publication.of(Settings()),
                hire.worker_id,
                ContractIssue(),
            )
            job = await jobs.request_reverification(session, COMMAND_LINE)
            audit, finding, action, buyer = await _audit_records(session, grower.id)
            records = {
                "grower_id": grower.id,
                "job_order_id": job_order.id,
                "hire_id": hire.id,
                "worker_id": hire.worker_id,
                "recruitment_id": hire.recruitment_id,
                "flag_id": fee.open_flags[0].id,
                "intermediary_id": (await factory.intermediary()).id,
                "contract_id": contract.id,
                "job_id": job.id,
                "audit_id": audit,
                "finding_id": finding,
                "action_id": action,
                "buyer_id": buyer,
            }
            staff = await factory.key("staff")
            await session.commit()
            return Season(staff=staff, grower=grower_key, records=records)
    finally:
        await database.dispose()


async def _audit_records(session: AsyncSession, grower_id: UUID) -> tuple[UUID, UUID, UUID, UUID]:
    """An audit with a finding, the action answering it, and a buyer (without a webhook)."""
    audit = await audits.create_audit(
        session,
        COMMAND_LINE,
        AuditCreate.model_validate(
            {
                "grower_id": grower_id,
                "season": 2025,
                "announced": True,
                "auditors": ["A. Pérez"],
                "starts_on": "2026-01-12",
                "ends_on": "2026-01-16",
            }
        ),
        0.5,
    )
    finding = await audits.record_finding(
        session, COMMAND_LINE, audit.id,
        FindingCreate(standard="housing", severity="warning", detail="No hot water."),
    )  # fmt: skip
    action = await corrective_actions.plan_action(
        session,
        COMMAND_LINE,
        CorrectiveActionCreate.model_validate(
            {
                "finding_id": finding.id,
                "description": "Repair the heater.",
                "owner": "Manager",
                "due_on": "2026-02-15",
            }
        ),
    )
    buyer = await buyers.register_buyer(session, COMMAND_LINE, BuyerCreate(name="Fuzz buyer"))
    return audit.id, finding.id, action.id, buyer.id


@pytest.fixture(scope="module")
async def fuzzed_database(
    database_server_url: str, renderer: ContractRenderer
) -> AsyncIterator[tuple[str, Season]]:
    async with migrated_database(database_server_url, "recruitment_fuzz") as url:
        yield url, await _seed(url, renderer)


@pytest.fixture(scope="module")
def season(fuzzed_database: tuple[str, Season]) -> Season:
    return fuzzed_database[1]


@pytest.fixture(scope="module")
def fuzzed_app(
    fuzzed_database: tuple[str, Season], renderer: ContractRenderer
) -> Iterator[Litestar]:
    url, _ = fuzzed_database
    # The public pages' rate limit would answer most of their cases 429 (test_rate_limits.py
    # covers it): lifted, so that their handlers are fuzzed too.
    settings = Settings(database_url=url, public_page_requests_per_minute=1_000_000)
    yield create_app(settings, renderer=renderer)
    # The application's lifespan runs in Schemathesis's thread until stopped: stop it before
    # its database is dropped.
    asgi.shutdown_lifespans()


@every_phase.parametrize()
@BOUNDED
def test_staff_get_documented_answers(
    case: schemathesis.Case[Any], fuzzed_app: Litestar, season: Season
) -> None:
    season.point_at_records(case)
    case.call_and_validate(app=fuzzed_app, headers=season.staff.headers, checks=CHECKS)


@fuzzing_only.parametrize()
@BOUNDED
def test_a_grower_gets_documented_answers(
    case: schemathesis.Case[Any], fuzzed_app: Litestar, season: Season
) -> None:
    # The generated ids, mostly of nothing: the answers for what isn't there, or isn't theirs.
    case.call_and_validate(app=fuzzed_app, headers=season.grower.headers, checks=CHECKS)


@body_mutations.parametrize()
@BOUNDED
def test_a_grower_gets_documented_answers_to_mutated_bodies(
    case: schemathesis.Case[Any], fuzzed_app: Litestar, season: Season
) -> None:
    # Aimed at the grower's own records, so that a mutated body reaches validation and the
    # service behind it rather than stopping at a 404.
    season.point_at_records(case)
    case.call_and_validate(app=fuzzed_app, headers=season.grower.headers, checks=CHECKS)
