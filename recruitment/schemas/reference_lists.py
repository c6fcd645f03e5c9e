from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from recruitment.schemas.common import Output


class RowProblemRead(Output):
    line: int
    column: str | None
    message: str


class UnmatchedContractorRead(Output):
    intermediary_id: UUID
    name: str
    state: str | None
    reason: str


class RegistryLinkageRead(Output):
    """How the contractors were linked to the registry's certificates."""

    contractors: int = Field(description="Contractors looked up.")
    linked: int
    linked_by_basis: dict[str, int] = Field(
        description="`certificate_number`, `name_and_state`, `name_state_and_address`."
    )
    unmatched: list[UnmatchedContractorRead] = Field(description="The first 1,000, with why.")
    unmatched_count: int


class RegistryImportRead(Output):
    certificates: int
    rows_refused: int = Field(description="Rows not loaded; `problems` may list several each.")
    problems: list[RowProblemRead]
    contractors_checked: int
    contractor_findings: list[str]
    cases_reevaluated: int
    registry_linkage: RegistryLinkageRead


class ReferralImportRead(Output):
    referrals: int
    problems: list[RowProblemRead]
    verified: list[UUID]
    conflicts: dict[UUID, str]
    unmatched_folios: int
    cases_reevaluated: int


class RegistryCertificateRead(Output):
    certificate_number: str
    holder_name: str
    address: str | None
    city: str | None
    state: str | None
    valid_from: date | None
    valid_until: date | None
    authorized_to_house: bool
    authorized_to_transport: bool
    authorized_to_drive: bool
    source_file: str


class RegistryLinkRead(Output):
    certificate_number: str
    basis: Literal["certificate_number", "name_and_state", "name_state_and_address"]
    score: float = Field(description="1 for an exact number or name; the address's likeness.")
    evidence: str
    updated_at: datetime


class RegistryComparison(Output):
    """A declared contractor next to what the official registry lists for its number."""

    intermediary_id: UUID
    status: str
    message: str
    registry: RegistryCertificateRead | None
    link: RegistryLinkRead | None = Field(
        default=None,
        description="How the contractor was linked to `registry`: by its certificate number, "
        "or by name and state (and address). Staff confirm or reject a link with "
        "`POST /intermediaries/{id}/verifications`.",
    )
