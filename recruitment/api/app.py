"""The Litestar application factory: the one place where the HTTP side is wired together."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import procrastinate
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from recruitment import queue
from recruitment.api.controllers.annual_report import annual_program_report
from recruitment.api.controllers.audit import list_audit_events
from recruitment.api.controllers.audits import (
    AuditController,
    CorrectiveActionController,
    FindingController,
)
from recruitment.api.controllers.complaints import (
    ComplaintController,
    SharedComplaintController,
    WorkerComplaintController,
)
from recruitment.api.controllers.contracts import (
    ContractController,
    WorkerLinkController,
    verified_contract_audio,
    verify_contract,
)
from recruitment.api.controllers.debarments import import_debarments
from recruitment.api.controllers.dol_disclosures import import_dol_disclosure
from recruitment.api.controllers.flags import FlagController, run_verification
from recruitment.api.controllers.growers import GrowerController
from recruitment.api.controllers.health import health
from recruitment.api.controllers.hires import HireController
from recruitment.api.controllers.home import home
from recruitment.api.controllers.intermediaries import IntermediaryController
from recruitment.api.controllers.job_orders import JobOrderController
from recruitment.api.controllers.jobs import JobController
from recruitment.api.controllers.placements import grower_placements, intermediary_placements
from recruitment.api.controllers.published_rates import (
    import_published_rates,
    list_published_rate_imports,
)
from recruitment.api.controllers.recruitments import RecruitmentController
from recruitment.api.controllers.reference_lists import (
    import_referrals,
    import_registry,
    registry_comparison,
)
from recruitment.api.controllers.reports import ReportController
from recruitment.api.controllers.rosters import import_roster
from recruitment.api.controllers.standing import BuyerController, StandingController
from recruitment.api.controllers.workers import WorkerController
from recruitment.api.dependencies import (
    provide_caller,
    provide_transaction,
    require_api_key,
)
from recruitment.api.docs_pages import docs_pages, docs_router
from recruitment.api.problems import EXCEPTION_HANDLERS
from recruitment.api.public_pages import public_pages
from recruitment.api.query_parameters import refuse_unknown_query_parameters
from recruitment.api.request_ids import request_id_middleware, send_request_id
from recruitment.api.request_shape import check_request_shape, document_refusals
from recruitment.console.plugin import ConsolePlugin
from recruitment.database import Database, connect
from recruitment.rendering import ContractRenderer
from recruitment.services.contracts import Publication, renderer_for
from recruitment.services.jobs import Runtime
from recruitment.settings import LOG_FORMAT, Settings

log = logging.getLogger(__name__)


def queue_for(database: Database) -> procrastinate.App:
    return queue.queue_app(database.engine.url.render_as_string(hide_password=False))


def create_app(
    settings: Settings,
    database: Database | None = None,
    renderer: ContractRenderer | None = None,
) -> Litestar:
    """Build the application; tests and the CLI may hand in their own database and renderer."""

    @asynccontextmanager
    async def own_database(app: Litestar) -> AsyncGenerator[None, None]:
        app.state.database = connect(settings)
        app.state.queue = queue_for(app.state.database)
        try:
            yield
        finally:
            await app.state.database.dispose()

    @asynccontextmanager
    async def queue_worker(app: Litestar) -> AsyncGenerator[None, None]:
        """A job worker inside the service, so that a first run needs a single command."""
        queue.bind(Runtime(app.state.database, app.state.renderer, app.state.publication))
        async with app.state.queue.open_async():
            worker = asyncio.create_task(
                app.state.queue.run_worker_async(install_signal_handlers=False)
            )
            try:
                yield
            finally:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker

    @asynccontextmanager
    async def own_renderer(app: Litestar) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            # Waits for renders in progress: off the event loop.
            await asyncio.to_thread(app.state.renderer.close)

    state = State(
        {
            "publication": Publication.of(settings),
            "renderer": renderer or renderer_for(settings),
            "interview_coverage_target": settings.interview_coverage_target,
            "program_name": settings.program_name,
        }
    )
    if database is not None:
        state.database = database
        state.queue = queue_for(database)

    app = Litestar(
        route_handlers=[
            health,
            GrowerController,
            JobOrderController,
            IntermediaryController,
            WorkerController,
            RecruitmentController,
            HireController,
            FlagController,
            run_verification,
            ContractController,
            public_pages(
                settings,
                WorkerLinkController,
                verify_contract,
                WorkerComplaintController,
                verified_contract_audio,
            ),
            import_roster,
            import_dol_disclosure,
            grower_placements,
            intermediary_placements,
            JobController,
            import_registry,
            import_referrals,
            registry_comparison,
            list_audit_events,
            ReportController,
            home,
            import_published_rates,
            list_published_rate_imports,
            ComplaintController,
            SharedComplaintController,
            import_debarments,
            AuditController,
            FindingController,
            CorrectiveActionController,
            StandingController,
            BuyerController,
            annual_program_report,
        ],
        dependencies={
            "transaction": Provide(provide_transaction),
            "caller": Provide(provide_caller, sync_to_thread=False),
        },
        guards=[check_request_shape, require_api_key, refuse_unknown_query_parameters],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[request_id_middleware],
        before_send=[send_request_id],
        lifespan=[
            *([] if database else [own_database]),
            *([] if renderer else [own_renderer]),
            *([queue_worker] if settings.in_process_worker else []),
        ],
        state=state,
        request_max_body_size=settings.max_request_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Clean-channel recruitment",
            version="0.1.0",
            description=(
                "Tracks H-2A workers from SNE recruitment to direct hire, flags recruitment fees "
                "and unverified labor contractors, and issues each worker's contract."
            ),
            openapi_router=docs_router(),
            render_plugins=docs_pages(),
            components=Components(
                security_schemes={
                    "api_key": SecurityScheme(type="http", scheme="bearer", description="API key")
                }
            ),
            security=[{"api_key": []}],
        ),
        logging_config=LoggingConfig(
            root={"level": settings.log_level, "handlers": ["queue_listener"]},
            formatters={"standard": {"format": LOG_FORMAT}},
            # The queue narrates each periodic task (stalled-job checks, every minute) at INFO;
            # a job's state, progress and errors are in GET /jobs/{id}; its failures still show.
            loggers={"procrastinate": {"level": "WARNING"}},
            log_exceptions="never",
        ),
        plugins=[ConsolePlugin(settings)],
        debug=settings.debug,
    )
    document_refusals(app)
    return app
