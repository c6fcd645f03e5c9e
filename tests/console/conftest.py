"""Console tests: people sign in through the pages, with the CSRF token each form carries."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

import httpx
import pytest
from argon2 import PasswordHasher
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.domain.vocabulary import Role
from recruitment.schemas.users import UserCreate
from recruitment.services import users
from recruitment.services.caller import COMMAND_LINE

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Person:
    email: str
    grower_id: UUID | None = None


def csrf_token(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def create_user(
    session: AsyncSession, email: str, role: Role, grower_id: UUID | None = None
) -> Person:
    await users.create_user(
        session,
        COMMAND_LINE,
        UserCreate.model_validate(
            {"email": email, "password": PASSWORD, "role": role, "grower_id": grower_id}
        ),
    )
    await session.commit()
    return Person(email, grower_id)


async def post_form(
    client: httpx.AsyncClient, page: str, action: str, fields: dict[str, str]
) -> httpx.Response:
    """Open `page`, then send one of its forms to `action` with the token the page carries."""
    opened = await client.get(page)
    assert opened.status_code == 200, opened.text
    return await client.post(action, data={"_csrf_token": csrf_token(opened.text), **fields})


async def sign_in(
    client: httpx.AsyncClient, person: Person, password: str = PASSWORD
) -> httpx.Response:
    return await post_form(
        client,
        "/console/sign-in",
        "/console/sign-in",
        {"email": person.email, "password": password, "next": "/console/flags"},
    )


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """argon2 at its lowest cost: the console's tests sign in some hundred times, and each
    check at the real cost takes a sixth of a second. test_password_hashes_use_argon2id checks
    the real one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        yield


@pytest.fixture
async def staff(session: AsyncSession) -> Person:
    return await create_user(session, "staff@program.example", "staff")
