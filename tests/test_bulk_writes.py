"""COPY goes to the driver around SQLAlchemy, which begins a transaction only when it first runs
a statement: a COPY must still be part of the transaction it is written in."""

from datetime import date

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from recruitment.database import sessions_for
from recruitment.models import Grower
from recruitment.services import bulk

ROLLED_BACK = "Rolled Back Farms LLC"
GROWER = {
    "legal_name": ROLLED_BACK,
    "street": "1 Grove Rd",
    "city": "Immokalee",
    "state": "FL",
    "postal_code": "34142",
    "program_status_since": date(2025, 10, 1),
}


async def growers_named(engine: AsyncEngine, name: str) -> int:
    async with sessions_for(engine)() as session:
        query = select(func.count()).select_from(Grower).where(Grower.legal_name == name)
        return (await session.exec(query)).one()


async def test_a_copy_first_in_its_transaction_is_rolled_back_with_it(engine: AsyncEngine) -> None:
    async with sessions_for(engine)() as session:
        await session.begin()
        assert await bulk.copy_rows(session, Grower, [GROWER]) == 1
        await session.rollback()
    assert await growers_named(engine, ROLLED_BACK) == 0


async def test_a_copy_first_in_its_transaction_is_committed_with_it(engine: AsyncEngine) -> None:
    name = "Committed Farms LLC"
    try:
        async with sessions_for(engine)() as session, session.begin():
            await bulk.copy_rows(session, Grower, [GROWER | {"legal_name": name}])
            assert await growers_named(engine, name) == 0  # not before the commit
        assert await growers_named(engine, name) == 1
    finally:
        async with sessions_for(engine)() as session, session.begin():
            await session.exec(delete(Grower).where(col(Grower.legal_name) == name))
