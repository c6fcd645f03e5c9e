from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import AnyHttpUrl, Field

from recruitment.domain.vocabulary import ProgramStatus, WebhookDeliveryStatus
from recruitment.schemas.common import Input, Name, Output


class BuyerCreate(Input):
    name: Name
    webhook_url: AnyHttpUrl | None = Field(
        default=None,
        description="Where each change of a grower's standing is POSTed, signed with the "
        "buyer's secret (HMAC-SHA256 of the body, hex, in X-Standing-Signature: sha256=...).",
    )


class BuyerRead(Output):
    id: UUID
    name: str
    webhook_url: str | None
    active: bool
    created_at: datetime


class RegisteredBuyer(BuyerRead):
    webhook_secret: str = Field(description="Shown once: the key of every webhook signature.")


class GrowerStanding(Output):
    """A grower as a buyer sees it: who, and whether it may be bought from today."""

    grower_id: UUID
    legal_name: str
    trade_name: str | None
    state: str
    program_status: ProgramStatus
    since: date
    good_standing: bool


class StandingChange(Output):
    """One change of a grower's standing, as the feed and the webhook tell it."""

    id: UUID
    grower_id: UUID
    legal_name: str
    from_status: ProgramStatus
    to_status: ProgramStatus
    effective_on: date
    good_standing: bool = Field(description="Whether the grower is in good standing after it.")
    recorded_at: datetime


class StandingChangesPage(Output):
    items: list[StandingChange]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the changes after these; it stays valid, so poll "
        "with the last one you got. Null only when there has been no change at all."
    )


class StandingDeliveryRead(Output):
    id: UUID
    buyer_id: UUID
    status_change_id: UUID
    status: WebhookDeliveryStatus
    attempts: int
    attempt_log: list[dict[str, Any]]
    delivered_at: datetime | None
    created_at: datetime
