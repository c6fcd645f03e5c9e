"""API keys: issued once, stored as digests, resolved to a Caller on every request."""

import dataclasses
import hashlib
import secrets
import time
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.database import Database
from recruitment.domain.vocabulary import KeyRole
from recruitment.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from recruitment.models import ApiKey, Buyer, Grower
from recruitment.models.base import utc_now
from recruitment.schemas.access import ApiKeyRead, IssuedApiKey
from recruitment.services import audit
from recruitment.services.caller import Caller

KEY_PREFIX = "rk_"


def digest_of(key: str) -> bytes:
    # Keys carry 256 random bits, so a plain SHA-256 digest can't be brute-forced; a slow hash
    # (argon2) would only make every request slower.
    return hashlib.sha256(key.encode()).digest()


async def issue_key(
    session: AsyncSession,
    caller: Caller,
    *,
    role: KeyRole,
    grower_id: UUID | None,
    label: str | None,
    buyer_id: UUID | None = None,
) -> IssuedApiKey:
    caller.require_admin("issue API keys")
    if (role == "grower") != (grower_id is not None):
        raise InvalidInput.of_field(
            "grower_id", "A grower key needs --grower; admin and staff keys take none."
        )
    if (role == "buyer") != (buyer_id is not None):
        raise InvalidInput.of_field(
            "buyer_id", "A buyer key needs --buyer; the other roles take none."
        )
    if grower_id is not None and await session.get(Grower, grower_id) is None:
        raise NotFound(f"No grower {grower_id}.")
    if buyer_id is not None and await session.get(Buyer, buyer_id) is None:
        raise NotFound(f"No buyer {buyer_id}.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        digest=digest_of(key),
        prefix=key[:10],
        role=role,
        grower_id=grower_id,
        buyer_id=buyer_id,
        label=label,
    )
    session.add(row)
    await session.flush()
    shown = ApiKeyRead.model_validate(row)
    issued = IssuedApiKey(**shown.model_dump(), key=key)
    await audit.record(
        session, caller, "api_key.issue", "api_key", row.id,
        grower_id=grower_id, after=shown,
    )  # fmt: skip
    return issued


async def list_keys(session: AsyncSession, caller: Caller) -> list[ApiKeyRead]:
    caller.require_admin("list API keys")
    rows = await session.exec(select(ApiKey).order_by(col(ApiKey.created_at), col(ApiKey.id)))
    return [ApiKeyRead.model_validate(row) for row in rows]


async def revoke_key(session: AsyncSession, caller: Caller, key_id: UUID) -> ApiKeyRead:
    caller.require_admin("revoke API keys")
    row = await session.get(ApiKey, key_id, with_for_update=True)
    if row is None:
        raise NotFound(f"No API key {key_id}.")
    if row.revoked_at is not None:
        raise Conflict(f"API key {key_id} was already revoked at {row.revoked_at.isoformat()}.")
    before = ApiKeyRead.model_validate(row)
    row.revoked_at = utc_now()
    session.add(row)
    await session.flush()
    _forget(row.digest)
    after = ApiKeyRead.model_validate(row)
    await audit.record(
        session, caller, "api_key.revoke", "api_key", row.id,
        grower_id=row.grower_id, before=before, after=after,
    )  # fmt: skip
    return after


# Every request names its key. What a lookup found is kept for a few seconds, which spares most
# requests a connection of their own: a key revoked in this process is forgotten at once, and one
# revoked by another process (the command line, another server) stops working within this.
KEY_KEPT_SECONDS = 5.0
KEYS_KEPT = 10_000
_known_keys: dict[tuple[str, bytes], tuple[float, Caller]] = {}


async def authenticate(database: Database, key: str, request_id: str | None) -> Caller:
    digest = digest_of(key)
    known = (database.engine.url.render_as_string(), digest)
    kept = _known_keys.get(known)
    if kept is None or kept[0] < time.monotonic():
        async with database.sessions() as session:
            caller = await _look_up(session, digest)
        if len(_known_keys) >= KEYS_KEPT:
            _known_keys.clear()
        kept = _known_keys[known] = (time.monotonic() + KEY_KEPT_SECONDS, caller)
    return dataclasses.replace(kept[1], request_id=request_id)


async def _look_up(session: AsyncSession, digest: bytes) -> Caller:
    row = (await session.exec(select(ApiKey).where(ApiKey.digest == digest))).first()
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("The API key is unknown or has been revoked.")
    role: KeyRole = row.role  # type: ignore[assignment]
    return Caller(
        actor=f"key:{row.id}",
        role=role,
        grower_id=row.grower_id,
        buyer_id=row.buyer_id,
        api_key_id=row.id,
    )


def _forget(digest: bytes) -> None:
    for known in [known for known in _known_keys if known[1] == digest]:
        del _known_keys[known]
