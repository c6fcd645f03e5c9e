"""The async engine and the session factory, built from settings."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.embedded_database import start_embedded_postgres
from recruitment.settings import Settings


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
