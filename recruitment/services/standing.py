"""The standing feed: which growers buyers may buy from today, every change since a cursor, and
a signed webhook to each buyer on each change.

A change is delivered to a buyer's receiver until it answers 2xx, then never again; each attempt
is logged. The delivery row is locked while it is sent, so two workers never send it twice.
"""

import hashlib
import hmac
import json
import logging
from typing import Any
from uuid import UUID

import httpx
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.database import Database
from recruitment.domain.vocabulary import GOOD_STANDING
from recruitment.models import Buyer, Grower, GrowerStatusChange, StandingDelivery
from recruitment.schemas.buyers import GrowerStanding, StandingChange, StandingChangesPage
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, decode_cursor, encode_cursor, paginate

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Standing-Signature"
DELIVERY_HEADER = "X-Standing-Delivery"
# With the queue's back-off (2, 4, 8 ... seconds) the last attempt comes about 34 minutes on.
MAX_ATTEMPTS = 10
TIMEOUT_SECONDS = 10.0


class DeliveryFailed(Exception):
    """The receiver did not accept the change; the queue tries again later."""


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _standing(grower: Grower) -> GrowerStanding:
    return GrowerStanding(
        grower_id=grower.id,
        legal_name=grower.legal_name,
        trade_name=grower.trade_name,
        state=grower.state,
        program_status=grower.program_status,
        since=grower.program_status_since,
        good_standing=grower.program_status in GOOD_STANDING,
    )


def _change(change: GrowerStatusChange, legal_name: str) -> StandingChange:
    return StandingChange(
        id=change.id,
        grower_id=change.grower_id,
        legal_name=legal_name,
        from_status=change.from_status,
        to_status=change.to_status,
        effective_on=change.effective_on,
        good_standing=change.to_status in GOOD_STANDING,
        recorded_at=change.created_at,
    )


async def current_standing(
    session: AsyncSession,
    caller: Caller,
    *,
    good_standing: bool | None,
    cursor: str | None,
    limit: int,
) -> Page[GrowerStanding]:
    caller.require_buyer_or_staff("read the standing feed")
    query = select(Grower)
    if good_standing is not None:
        in_good = col(Grower.program_status).in_(GOOD_STANDING)
        query = query.where(in_good if good_standing else ~in_good)
    page = await paginate(session, query, Grower, cursor=cursor, limit=limit)
    return Page([_standing(row) for row in page.items], page.next_cursor)


async def changes_since(
    session: AsyncSession, caller: Caller, *, cursor: str | None, limit: int
) -> StandingChangesPage:
    """The changes after the cursor, oldest first. The cursor of the last one comes back even
    at the end of the feed, so that a buyer polls from where it stopped."""
    caller.require_buyer_or_staff("read the standing feed")
    query = select(GrowerStatusChange, Grower.legal_name).join(
        Grower, col(Grower.id) == col(GrowerStatusChange.grower_id)
    )
    if cursor is not None:
        created_at, row_id = decode_cursor(cursor)
        query = query.where(
            (col(GrowerStatusChange.created_at) > created_at)
            | (
                (col(GrowerStatusChange.created_at) == created_at)
                & (col(GrowerStatusChange.id) > row_id)
            )
        )
    rows = list(
        await session.exec(
            query.order_by(col(GrowerStatusChange.created_at), col(GrowerStatusChange.id)).limit(
                limit
            )
        )
    )
    return StandingChangesPage(
        items=[_change(change, name) for change, name in rows],
        next_cursor=encode_cursor(rows[-1][0]) if rows else cursor,
    )


async def record_deliveries(session: AsyncSession, status_change_id: UUID) -> list[UUID]:
    """One delivery per buyer with a webhook, in the transaction of the change itself."""
    buyers = list(
        await session.exec(
            select(Buyer.id).where(col(Buyer.active).is_(True), col(Buyer.webhook_url).is_not(None))
        )
    )
    rows = [StandingDelivery(buyer_id=b, status_change_id=status_change_id) for b in buyers]
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]


async def pending_deliveries(session: AsyncSession, status_change_id: UUID) -> list[UUID]:
    return list(
        await session.exec(
            select(StandingDelivery.id).where(
                StandingDelivery.status_change_id == status_change_id,
                StandingDelivery.status == "pending",
            )
        )
    )


def _body(delivery: StandingDelivery, change: StandingChange) -> bytes:
    payload: dict[str, Any] = {
        "delivery_id": str(delivery.id),
        "event": "grower.standing_changed",
        "change": change.model_dump(mode="json"),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


async def deliver(database: Database, delivery_id: UUID) -> None:
    """Send one change to one buyer's receiver, once it is accepted never again. Raises
    DeliveryFailed when the receiver did not take it and attempts remain, for the queue to
    retry with back-off."""
    async with database.sessions() as session, session.begin():
        delivery = await session.get(StandingDelivery, delivery_id, with_for_update=True)
        if delivery is None or delivery.status != "pending":
            return
        buyer = await session.get(Buyer, delivery.buyer_id)
        change = await session.get(GrowerStatusChange, delivery.status_change_id)
        assert buyer is not None
        assert change is not None
        grower = await session.get(Grower, change.grower_id)
        assert grower is not None
        body = _body(delivery, _change(change, grower.legal_name))
        attempt: dict[str, Any] = {"at": clock.now().isoformat()}
        if buyer.webhook_url is None or not buyer.active:
            attempt["error"] = "the buyer has no active webhook"
        else:
            try:
                async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
                    response = await client.post(
                        buyer.webhook_url,
                        content=body,
                        headers={
                            "Content-Type": "application/json",
                            SIGNATURE_HEADER: signature(buyer.webhook_secret, body),
                            DELIVERY_HEADER: str(delivery.id),
                        },
                    )
                attempt["status_code"] = response.status_code
            except httpx.HTTPError as error:
                attempt["error"] = type(error).__name__
        delivery.attempts += 1
        delivery.attempt_log = [*delivery.attempt_log, attempt]
        accepted = 200 <= attempt.get("status_code", 0) < 300
        if accepted:
            delivery.status = "delivered"
            delivery.delivered_at = clock.now()
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = "failed"
        session.add(delivery)
    if delivery.status == "pending":
        log.info("webhook delivery %s not accepted: %s", delivery_id, attempt)
        raise DeliveryFailed(f"delivery {delivery_id}: {attempt}")
