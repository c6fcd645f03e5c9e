from datetime import datetime
from uuid import UUID

from recruitment.domain.vocabulary import KeyRole
from recruitment.schemas.common import Output


class ApiKeyRead(Output):
    id: UUID
    prefix: str
    role: KeyRole
    grower_id: UUID | None
    buyer_id: UUID | None = None
    label: str | None
    created_at: datetime
    revoked_at: datetime | None


class IssuedApiKey(ApiKeyRead):
    key: str
