from datetime import date, datetime
from typing import Literal
from uuid import UUID

from recruitment.schemas.common import Output


class ReferenceImportRead(Output):
    """One load of a published table, with what it covers and where it came from."""

    id: UUID
    kind: Literal["wage_rates", "meal_charge_maximums"]
    sha256: str
    file_name: str
    source: str
    effective_from: date
    effective_until: date
    rows: int
    imported_by: str
    created_at: datetime


class PublishedRatesLoadRead(Output):
    load: ReferenceImportRead
    unchanged: bool
    superseded: int
    cases_reevaluated: int
