"""Server-side sessions in PostgreSQL, so that every process serving the console shares them.

The browser holds only a random session id; what it stands for (who signed in) stays here.
"""

from datetime import datetime, timedelta
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.scope.state import ScopeState
from sqlalchemy import ColumnElement, delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select

from recruitment.database import Database
from recruitment.models import ConsoleStoreEntry
from recruitment.models.base import utc_now

SESSION_STORE = "console_sessions"
SECRETS_STORE = "console_secrets"
UPLOADS_STORE = "console_uploads"  # files checked and waiting for their import
# Idle time after which a person signs in again: every page they open sets the clock back.
SESSION_LIFETIME = timedelta(hours=12)


def _expiry(expires_in: int | timedelta | None) -> datetime | None:
    if expires_in is None:
        return None
    seconds = expires_in if isinstance(expires_in, timedelta) else timedelta(seconds=expires_in)
    return utc_now() + seconds


class DatabaseStore(Store):
    """A Litestar store on the `console_store` table, its keys under a namespace of their own.

    It reaches the database through the application's state, where the app's lifespan (or a
    test) puts it after the store is built.
    """

    def __init__(self, state: State, namespace: str) -> None:
        self._state = state
        self._prefix = f"{namespace}:"

    @property
    def _database(self) -> Database:
        database: Database = self._state.database
        return database

    def _live(self, key: str) -> ColumnElement[bool]:
        expires_at = col(ConsoleStoreEntry.expires_at)
        return (col(ConsoleStoreEntry.key) == self._prefix + key) & (
            expires_at.is_(None) | (expires_at > utc_now())
        )

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        data = value.encode() if isinstance(value, str) else value
        expires_at = _expiry(expires_in)
        statement = insert(ConsoleStoreEntry).values(
            key=self._prefix + key, value=data, expires_at=expires_at
        )
        async with self._database.sessions() as session, session.begin():
            await session.exec(
                statement.on_conflict_do_update(
                    index_elements=[ConsoleStoreEntry.key],
                    set_={"value": data, "expires_at": expires_at},
                )
            )

    async def setdefault(self, key: str, value: bytes) -> bytes:
        """The value stored under `key`, storing `value` first when there is none: when several
        processes race, all of them get the first one's."""
        async with self._database.sessions() as session, session.begin():
            await session.exec(
                insert(ConsoleStoreEntry)
                .values(key=self._prefix + key, value=value, expires_at=None)
                .on_conflict_do_nothing(index_elements=[ConsoleStoreEntry.key])
            )
            stored = await session.get(ConsoleStoreEntry, self._prefix + key)
        assert stored is not None
        return stored.value

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        async with self._database.sessions() as session, session.begin():
            entry = (await session.exec(select(ConsoleStoreEntry).where(self._live(key)))).first()
            if entry is None:
                return None
            if renew_for is not None and entry.expires_at is not None:
                await session.exec(
                    update(ConsoleStoreEntry)
                    .where(col(ConsoleStoreEntry.key) == entry.key)
                    .values(expires_at=_expiry(renew_for))
                )
            return entry.value

    async def delete(self, key: str) -> None:
        async with self._database.sessions() as session, session.begin():
            await session.exec(
                delete(ConsoleStoreEntry).where(col(ConsoleStoreEntry.key) == self._prefix + key)
            )

    async def delete_all(self) -> None:
        async with self._database.sessions() as session, session.begin():
            await session.exec(
                delete(ConsoleStoreEntry).where(col(ConsoleStoreEntry.key).startswith(self._prefix))
            )

    async def delete_expired(self) -> None:
        async with self._database.sessions() as session, session.begin():
            await session.exec(
                delete(ConsoleStoreEntry).where(
                    col(ConsoleStoreEntry.key).startswith(self._prefix),
                    col(ConsoleStoreEntry.expires_at) <= utc_now(),
                )
            )

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        async with self._database.sessions() as session:
            entry = (await session.exec(select(ConsoleStoreEntry).where(self._live(key)))).first()
        if entry is None or entry.expires_at is None:
            return None
        return int((entry.expires_at - utc_now()).total_seconds())


class ConsoleSessionBackend(ServerSideSessionBackend):
    """Litestar's server-side sessions, less two habits a sign-in must not have.

    Litestar adopts any session id a cookie carries, even one it never issued: whoever plants an
    id in a browser before its owner signs in would share the session (session fixation). Here
    only an id whose session the store still holds is kept; any other gets a fresh id. And an
    anonymous visit (the sign-in page) stores nothing and sets no cookie.
    """

    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        session_id = connection.cookies.get(self.config.key)
        if session_id:
            data = await self.get(session_id, store=self.config.get_store_from_app(connection.app))
            if data is not None:
                ScopeState.from_scope(connection.scope).session_id = session_id
                return self.deserialize_data(data)
        return {}

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        return connection.get_session_id() or self.generate_session_id()

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        if not scope_session and not connection.cookies.get(self.config.key):
            return
        await super().store_in_message(scope_session or Empty, message, connection)


class ConsoleSessionConfig(ServerSideSessionConfig):
    _backend_class = ConsoleSessionBackend


def session_config(secure_cookies: bool) -> ConsoleSessionConfig:
    return ConsoleSessionConfig(
        store=SESSION_STORE,
        key="console_session",
        path="/console",
        max_age=int(SESSION_LIFETIME.total_seconds()),
        secure=secure_cookies,
        httponly=True,
        samesite="lax",
    )


def _store(request: Request[Any, Any, Any]) -> DatabaseStore:
    store = request.app.stores.get(SESSION_STORE)
    assert isinstance(store, DatabaseStore)
    return store


async def end_session(request: Request[Any, Any, Any]) -> None:
    """Forget the request's session, here and in the store: its id is worthless from now on."""
    session_id = request.get_session_id()
    if session_id:
        await _store(request).delete(session_id)
    request.clear_session()


async def start_session(request: Request[Any, Any, Any], data: dict[str, Any]) -> None:
    """Begin a new session under a new id (never the one the browser came with)."""
    await end_session(request)
    # Sign-ins are when sessions begin, so they are also when the expired ones are swept away.
    await _store(request).delete_expired()
    request.set_session(data)
