"""Participating buyers: registered by staff, each with its own API keys and webhook secret."""

import secrets
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.errors import Conflict, NotFound
from recruitment.models import Buyer, StandingDelivery
from recruitment.schemas.buyers import (
    BuyerCreate,
    BuyerRead,
    RegisteredBuyer,
    StandingDeliveryRead,
)
from recruitment.services import audit
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, paginate


async def register_buyer(
    session: AsyncSession, caller: Caller, data: BuyerCreate
) -> RegisteredBuyer:
    caller.require_staff("register buyers")
    buyer = Buyer(
        name=data.name,
        webhook_url=str(data.webhook_url) if data.webhook_url else None,
        webhook_secret="whsec_" + secrets.token_urlsafe(32),
    )
    session.add(buyer)
    try:
        await session.flush()
    except IntegrityError as error:
        raise Conflict(f"A buyer named {data.name} is already registered.") from error
    shown = BuyerRead.model_validate(buyer)
    # The audit trail keeps the buyer, never its secret.
    await audit.record(
        session, caller, "buyer.register", "buyer", buyer.id, grower_id=None, after=shown
    )
    return RegisteredBuyer(**shown.model_dump(), webhook_secret=buyer.webhook_secret)


async def list_buyers(
    session: AsyncSession, caller: Caller, *, cursor: str | None, limit: int
) -> Page[BuyerRead]:
    caller.require_staff("list buyers")
    page = await paginate(session, select(Buyer), Buyer, cursor=cursor, limit=limit)
    return Page([BuyerRead.model_validate(row) for row in page.items], page.next_cursor)


async def list_deliveries(
    session: AsyncSession, caller: Caller, buyer_id: UUID, *, cursor: str | None, limit: int
) -> Page[StandingDeliveryRead]:
    """The delivery log of one buyer's webhook: every change sent, every attempt."""
    caller.require_staff("read webhook deliveries")
    if await session.get(Buyer, buyer_id) is None:
        raise NotFound(f"No buyer {buyer_id}.")
    query = select(StandingDelivery).where(col(StandingDelivery.buyer_id) == buyer_id)
    page = await paginate(session, query, StandingDelivery, cursor=cursor, limit=limit)
    return Page([StandingDeliveryRead.model_validate(row) for row in page.items], page.next_cursor)
