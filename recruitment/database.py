"""The async engine and the session factory, built from settings."""

from dataclasses import dataclass

from asyncpg.exceptions import InternalClientError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.embedded_database import start_embedded_postgres
from recruitment.settings import Settings

# SQLSTATEs of a server that can't serve now, not of a statement that is wrong: class 08
# (connection exceptions), too many connections, and 57P01-57P03: terminated by an operator,
# after a crash, or refused while the server shuts down or starts up.
UNAVAILABLE_SQLSTATES = ("08", "53300", "57P01", "57P02", "57P03")


def unavailable(error: BaseException) -> bool:
    """Whether `error` says that the database can't be reached now, rather than that a statement
    failed: the same request may well succeed in a moment."""
    if isinstance(error, BaseExceptionGroup):
        # Litestar groups the errors of closing a failed request's dependencies, such as the
        # rollback of a transaction whose connection died with the server.
        return all(unavailable(member) for member in error.exceptions)
    # SQLAlchemy wraps the driver's errors; a direct driver call (a bulk COPY) raises them bare.
    driver_error = error.orig if isinstance(error, DBAPIError) else error
    if str(getattr(driver_error, "sqlstate", None) or "").startswith(UNAVAILABLE_SQLSTATES):
        return True
    if isinstance(driver_error, InternalClientError):
        # asyncpg's word for a connection whose protocol broke mid-statement (the server went
        # away under it); older SQLAlchemy releases let it through unwrapped.
        return True
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or isinstance(error, (OperationalError, InterfaceError))
    # Connecting fails with a bare OSError (refused, no socket, timed out); a busy pool times out.
    return isinstance(error, (OSError, PoolTimeout))


def database_url(settings: Settings) -> str:
    if settings.database_url is None:
        return start_embedded_postgres(settings.data_dir)
    url = settings.database_url.get_secret_value()
    # Accept the conventional postgres:// and postgresql:// spellings too.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    return url


@dataclass(frozen=True)
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    async def dispose(self) -> None:
        await self.engine.dispose()


def connect(settings: Settings, url: str | None = None) -> Database:
    engine = create_async_engine(
        url or database_url(settings),
        pool_size=settings.database_pool_size,
        # A connection that died with its server is replaced instead of failing a request.
        pool_pre_ping=True,
        connect_args={"timeout": settings.database_connect_timeout_seconds},
    )
    return Database(engine, sessions_for(engine))


def sessions_for(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
