"""Small builders of records, written through the services as a user would write them."""

import itertools
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession
from stdnum.us import ein

from recruitment.domain.vocabulary import Role
from recruitment.schemas.growers import GrowerCreate, GrowerRead
from recruitment.services import access, growers
from recruitment.services.caller import COMMAND_LINE

_serial = itertools.count(1)


def unique_fein() -> str:
    # 59 is an IRS campus prefix that python-stdnum accepts; the rest only has to be unique.
    return ein.format(f"59{next(_serial):07d}")


@dataclass
class Credentials:
    key: str
    key_id: UUID
    grower_id: UUID | None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


class Factory:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def grower(self, **overrides: Any) -> GrowerRead:
        data = {
            "legal_name": f"Grower {next(_serial)} LLC",
            "fein": unique_fein(),
            "street": "100 Farm Road",
            "city": "Immokalee",
            "state": "FL",
            "postal_code": "34142",
            **overrides,
        }
        grower = await growers.create_grower(self.session, COMMAND_LINE, GrowerCreate(**data))
        await self.session.commit()
        return grower

    async def key(self, role: Role, grower_id: UUID | None = None) -> Credentials:
        issued = await access.issue_key(
            self.session, COMMAND_LINE, role=role, grower_id=grower_id, label=f"test {role}"
        )
        await self.session.commit()
        return Credentials(issued.key, issued.id, grower_id)

    async def grower_with_key(self, **overrides: Any) -> tuple[GrowerRead, Credentials]:
        grower = await self.grower(**overrides)
        return grower, await self.key("grower", grower.id)
