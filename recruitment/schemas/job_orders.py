from datetime import datetime
from uuid import UUID

from pydantic import Field

from recruitment.domain.terms import JobOrderTerms
from recruitment.domain.vocabulary import CaseStatus
from recruitment.schemas.common import Input, Output


class JobOrderCreate(Input):
    grower_id: UUID | None = None  # staff name the grower; a grower's key implies its own
    terms: JobOrderTerms


class JobOrderTermsChange(Input):
    """The whole new set of terms: it becomes the next version."""

    terms: JobOrderTerms


class JobOrderVersionRead(Output):
    job_order_id: UUID
    number: int
    terms: JobOrderTerms
    created_by: str
    created_at: datetime


class JobOrderRead(Output):
    id: UUID
    grower_id: UUID | None = Field(
        description="The grower that filed it; null when a contractor did."
    )
    filed_by_intermediary_id: UUID | None = Field(
        default=None,
        description="The H-2A labor contractor that filed it (from DOL data): the workers it "
        "places at growers are not those growers' direct hires.",
    )
    source: str | None = Field(
        default=None, description="Where it came from, e.g. 'dol_disclosure:H-300-...'."
    )
    case_status: CaseStatus | None = Field(
        default=None,
        description="OFLC's decision on the case (from its disclosure data): a hire or a "
        "contract under a job order that was not certified is a finding.",
    )
    current_version: int
    terms: JobOrderTerms
    version: int
    created_at: datetime
    updated_at: datetime
