"""The one place where the console is wired into the application."""

from pathlib import Path

from litestar import Router
from litestar.config.app import AppConfig
from litestar.datastructures import CacheControlHeader
from litestar.plugins import InitPlugin
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from recruitment.api.dependencies import PUBLIC
from recruitment.console.auth import require_signed_in
from recruitment.console.controllers.complaints import (
    ComplaintsController,
    SharedComplaintsController,
)
from recruitment.console.controllers.flags import FlagsController
from recruitment.console.controllers.growers import GrowersController
from recruitment.console.controllers.hires import HiresController, JobOrdersController
from recruitment.console.controllers.intermediaries import IntermediariesController
from recruitment.console.controllers.reports import ReportsController
from recruitment.console.controllers.rosters import RostersController
from recruitment.console.controllers.sign_in import (
    choose_language,
    home,
    sign_in,
    sign_in_form,
    sign_out,
    unknown_page,
)
from recruitment.console.controllers.standing import StandingController
from recruitment.console.controllers.workers import ContractsController, WorkersController
from recruitment.console.csrf import CsrfProtection
from recruitment.console.errors import EXCEPTION_HANDLERS
from recruitment.console.pages import HOME, template_engine
from recruitment.console.sessions import (
    SECRETS_STORE,
    SESSION_STORE,
    UPLOADS_STORE,
    DatabaseStore,
    session_config,
)
from recruitment.settings import Settings

STATIC = Path(__file__).parent / "static"


class ConsolePlugin(InitPlugin):
    """Adds the console's routes, templates, static files, sessions and CSRF protection."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        # Cookies marked Secure only where the service is reached over HTTPS, or a plain-HTTP
        # installation (and the tests) could never sign in.
        secure_cookies = self._settings.public_base_url.startswith("https://")
        state = app_config.state
        state.contracts_dir = self._settings.contracts_dir
        if app_config.template_config is not None:
            raise ValueError("the console brings its own template configuration")
        app_config.template_config = TemplateConfig(instance=template_engine())
        stores = app_config.stores or {}
        if not isinstance(stores, dict):
            raise ValueError("the console adds its stores to a dict of stores")
        app_config.stores = {
            **stores,
            SESSION_STORE: DatabaseStore(state, "sessions"),
            SECRETS_STORE: DatabaseStore(state, "secrets"),
            UPLOADS_STORE: DatabaseStore(state, "uploads"),
        }
        console = Router(
            path=HOME,
            route_handlers=[
                home,
                sign_in_form,
                sign_in,
                sign_out,
                choose_language,
                unknown_page,
                FlagsController,
                WorkersController,
                ContractsController,
                IntermediariesController,
                GrowersController,
                JobOrdersController,
                HiresController,
                RostersController,
                ReportsController,
                ComplaintsController,
                SharedComplaintsController,
                StandingController,
            ],
            # The API's key guard lets console routes through; the console's own guard follows.
            opt=PUBLIC,
            guards=[require_signed_in],
            middleware=[
                session_config(secure_cookies).middleware,
                CsrfProtection(secure_cookies),
            ],
            exception_handlers=EXCEPTION_HANDLERS,
            include_in_schema=False,
        )
        static = create_static_files_router(
            path=f"{HOME}/static",
            directories=[STATIC],
            name="console_static",
            opt=PUBLIC,
            include_in_schema=False,
            cache_control=CacheControlHeader(max_age=3600),
        )
        app_config.route_handlers.extend([console, static])
        return app_config
