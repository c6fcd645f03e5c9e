from datetime import datetime
from uuid import UUID

from recruitment.domain.vocabulary import Role
from recruitment.schemas.common import Output


class ApiKeyRead(Output):
    id: UUID
    prefix: str
    role: Role
    grower_id: UUID | None
    label: str | None
    created_at: datetime
    revoked_at: datetime | None


class IssuedApiKey(ApiKeyRead):
    key: str
