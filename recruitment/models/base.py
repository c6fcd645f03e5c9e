"""Column conventions shared by every table."""

import os
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from asyncpg.pgproto import pgproto
from sqlalchemy import DateTime, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

# Deterministic constraint names, so that migrations can refer to them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


# Random bytes drawn for this many ids at once: uuid4 draws them and builds a uuid.UUID in Python
# for each id, 2.7 us, where an import or a re-verification makes hundreds of thousands.
_IDS_PER_DRAW = 4_096
_drawn: list[UUID] = []
# A forked process must not hand out ids its parent has handed out too.
os.register_at_fork(after_in_child=_drawn.clear)


def new_id() -> UUID:
    """A random (version 4) id, as uuid4 makes, in half a microsecond. It is the driver's
    uuid.UUID subclass: what every id read from the database already is."""
    while True:
        try:
            return _drawn.pop()
        except IndexError:
            _drawn.extend(_random_ids(_IDS_PER_DRAW))


def _random_ids(count: int) -> list[UUID]:
    drawn = bytearray(os.urandom(16 * count))
    for start in range(0, len(drawn), 16):
        # RFC 9562: version 4 in the high nibble of byte 6, the variant 10 in byte 8's top bits.
        drawn[start + 6] = drawn[start + 6] & 0x0F | 0x40
        drawn[start + 8] = drawn[start + 8] & 0x3F | 0x80
    raw = bytes(drawn)
    return [pgproto.UUID(raw[start : start + 16]) for start in range(0, len(raw), 16)]


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp_field(**kwargs: Any) -> Any:
    """A timezone-aware timestamp column."""
    return Field(sa_type=DateTime(timezone=True), **kwargs)


def json_field(**kwargs: Any) -> Any:
    return Field(sa_type=JSONB, **kwargs)


def id_field() -> Any:
    return Field(default_factory=new_id, primary_key=True)


class Identified(SQLModel):
    id: UUID = id_field()
    created_at: datetime = timestamp_field(default_factory=utc_now, index=True)
