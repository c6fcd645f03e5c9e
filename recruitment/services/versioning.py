"""Optimistic concurrency: an update names the version it read, and a stale one is refused.

Services read the record FOR UPDATE before checking, so two concurrent updates are serialised and
the second sees the first's version.
"""

from datetime import datetime
from typing import Protocol

from recruitment.errors import PreconditionFailed, PreconditionRequired
from recruitment.models.base import utc_now


class Versioned(Protocol):
    version: int
    updated_at: datetime


def check_version(current: int, expected: int | None) -> None:
    if expected is None:
        raise PreconditionRequired(
            "Send If-Match with the ETag you last read, so that no one else's change is lost."
        )
    if expected != current:
        raise PreconditionFailed(
            f"The record changed since you read it (version {expected}, now {current}); "
            "read it again and reapply your change."
        )


def mark_changed(record: Versioned) -> None:
    record.version += 1
    record.updated_at = utc_now()
