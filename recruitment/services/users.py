"""Console users: who may sign in, with which password, and as whom the services see them.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults: RFC 9106's second
recommended profile). A hash costs tens of milliseconds of CPU on purpose, so hashing and
checking run off the event loop.
"""

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.vocabulary import Role
from recruitment.errors import Conflict, InvalidInput, NotFound
from recruitment.models import Grower, User
from recruitment.schemas.users import UserCreate, UserRead
from recruitment.services import audit
from recruitment.services.caller import Caller

log = logging.getLogger(__name__)

HASHER = PasswordHasher()
# Five guesses, then a quarter of an hour's wait: about 500 guesses a day per account, while a
# person who mistypes is barely slowed down and nobody can lock an account for good.
MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to: the user, or nobody (and until when the account is locked,
    when that is the reason)."""

    user: UserRead | None
    locked_until: datetime | None = None


def _matches(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy_hash() -> str:
    return HASHER.hash("a password nobody has")


def _matches_nobody(password: str) -> bool:
    # Checking against a decoy costs what checking a real account costs, so the time an answer
    # takes does not tell whether an email address has an account.
    _matches(_decoy_hash(), password)
    return False


async def create_user(session: AsyncSession, caller: Caller, data: UserCreate) -> UserRead:
    caller.require_admin("create console users")
    if (data.role == "grower") != (data.grower_id is not None):
        raise InvalidInput.of_field(
            "grower_id", "A grower user needs --grower; staff and admin users take none."
        )
    if data.grower_id is not None and await session.get(Grower, data.grower_id) is None:
        raise NotFound(f"No grower {data.grower_id}.")
    taken = f"A user with the email {data.email} already exists."
    if (await session.exec(select(User.id).where(User.email == data.email))).first():
        raise Conflict(taken)
    password_hash = await asyncio.to_thread(HASHER.hash, data.password.get_secret_value())
    user = User(
        email=data.email, password_hash=password_hash, role=data.role, grower_id=data.grower_id
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as error:  # the same address, created at the same moment
        raise Conflict(taken) from error
    created = UserRead.model_validate(user)
    await audit.record(
        session, caller, "user.create", "user", user.id, grower_id=user.grower_id, after=created
    )
    return created


async def sign_in(session: AsyncSession, email: str, password: str) -> SignIn:
    """Check a password. Failures are written (and must be committed), so this never raises."""
    now = clock.now()
    user = (
        await session.exec(
            select(User).where(User.email == email.strip().lower()).with_for_update()
        )
    ).first()
    if user is None:
        await asyncio.to_thread(_matches_nobody, password)
        return SignIn(None)
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(None, user.locked_until)
    if not await asyncio.to_thread(_matches, user.password_hash, password):
        user.failed_attempts += 1
        locked_until = None
        if user.failed_attempts >= MAX_FAILED_SIGN_INS:
            locked_until = user.locked_until = now + LOCKOUT
            user.failed_attempts = 0
            log.warning("console user %s locked after repeated failed sign-ins", user.id)
        session.add(user)
        await session.flush()
        return SignIn(None, locked_until)
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = await asyncio.to_thread(HASHER.hash, password)
    user.failed_attempts = 0
    user.locked_until = None
    user.last_signed_in_at = now
    session.add(user)
    await session.flush()
    return SignIn(UserRead.model_validate(user))


async def signed_in_user(session: AsyncSession, user_id: UUID) -> UserRead | None:
    user = await session.get(User, user_id)
    return None if user is None else UserRead.model_validate(user)


def caller_of(user: UserRead, request_id: str | None) -> Caller:
    """The identity the services check a console user's requests against, as for an API key."""
    role: Role = user.role
    return Caller(
        actor=f"user:{user.id}", role=role, grower_id=user.grower_id, request_id=request_id
    )


async def emails_of(session: AsyncSession, caller: Caller, actors: Iterable[str]) -> dict[str, str]:
    """The address behind each `user:<id>` actor of a history, where the caller may know it:
    staff know everyone's; a grower only those of the people acting for it."""
    ids = {UUID(actor.removeprefix("user:")) for actor in actors if actor.startswith("user:")}
    if not ids:
        return {}
    query = select(User.id, User.email).where(col(User.id).in_(ids))
    if not caller.is_staff:
        query = query.where(User.grower_id == caller.grower_id)
    return {f"user:{user_id}": email for user_id, email in await session.exec(query)}
