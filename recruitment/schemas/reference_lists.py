from datetime import date
from uuid import UUID

from recruitment.schemas.common import Output


class RowProblemRead(Output):
    line: int
    column: str | None
    message: str


class RegistryImportRead(Output):
    certificates: int
    problems: list[RowProblemRead]
    contractors_checked: int
    contractor_findings: list[str]
    cases_reevaluated: int


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


class RegistryComparison(Output):
    """A declared contractor next to what the official registry lists for its number."""

    intermediary_id: UUID
    status: str
    message: str
    registry: RegistryCertificateRead | None
