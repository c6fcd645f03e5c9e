"""Database tables (SQLModel). Importing this package registers every table on the metadata."""

from recruitment.models.access import ApiKey, IdempotencyRecord
from recruitment.models.audit import AuditEvent
from recruitment.models.base import metadata
from recruitment.models.growers import Grower, GrowerStatusChange

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Grower",
    "GrowerStatusChange",
    "IdempotencyRecord",
    "metadata",
]
