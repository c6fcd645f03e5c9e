"""CSRF protection for the console's forms: Litestar's CSRF middleware, on console routes only.

API clients authenticate with a Bearer key that a browser never sends by itself, so the API
needs no CSRF token; the console's session cookie does, on every form that changes anything.

Litestar signs its tokens with a secret that every process must share. Rather than one more
setting to get right, the first process to need it draws it at random and keeps it in the
console's store, where the others find it.
"""

import secrets

from litestar.config.csrf import CSRFConfig
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from recruitment.console.sessions import SECRETS_STORE, DatabaseStore


class CsrfProtection:
    """Wraps a console route in Litestar's CSRFMiddleware once the shared secret is read."""

    def __init__(self, secure_cookies: bool) -> None:
        self._secure_cookies = secure_cookies

    def __call__(self, app: ASGIApp) -> ASGIApp:
        protected: CSRFMiddleware | None = None

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            nonlocal protected
            if protected is None:
                store = scope["litestar_app"].stores.get(SECRETS_STORE)
                assert isinstance(store, DatabaseStore)
                secret = await store.setdefault("csrf", secrets.token_hex(32).encode())
                config = CSRFConfig(
                    secret=secret.decode(),
                    cookie_name="console_csrf",
                    cookie_path="/console",
                    cookie_secure=self._secure_cookies,
                    cookie_httponly=True,
                    cookie_samesite="lax",
                )
                protected = CSRFMiddleware(app, config)
            await protected(scope, receive, send)

        return middleware
