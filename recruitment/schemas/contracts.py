from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from recruitment.domain.vocabulary import DeliveryMethod, Language
from recruitment.schemas.common import Input, Output, Reason
from recruitment.schemas.flags import FlagRead


class ContractIssue(Input):
    job_order_id: UUID | None = Field(
        default=None, description="Needed when the worker is recruited for several job orders."
    )
    language: Language | None = Field(
        default=None, description="The worker's preferred language when omitted."
    )
    override_reason: Reason | None = Field(
        default=None,
        description="Staff only: issue the contract although its job-order terms have open "
        "findings, for this reason (kept in the audit trail and shown on the verification page).",
    )
    untranslated_reason: Reason | None = Field(
        default=None,
        description="Staff only: why the contract may be issued although some of the grower's "
        "texts (duties, crops...) have no translation into its language.",
    )


class ContractRead(Output):
    id: UUID
    recruitment_id: UUID
    worker_id: UUID
    grower_id: UUID
    job_order_id: UUID
    job_order_version: int
    language: Language
    sha256: str
    verification_code: str
    verification_url: str
    issued_at: datetime
    issued_by: str
    superseded_at: datetime | None
    superseded_by_id: UUID | None
    receipt_confirmed_at: datetime | None
    terms_override_reason: str | None = None
    terms_findings_overridden: list[str] | None = None
    pdf_url: str
    untranslated_fields: list[str] = Field(
        default_factory=list,
        description="Grower-written fields printed untranslated (issued by staff with a reason).",
    )


class ContractIssueAudited(ContractRead):
    """What the audit trail keeps of an issue: the contract, and why staff let texts through
    untranslated."""

    untranslated_reason: str | None = None


class ContractIssued(ContractRead):
    worker_link: str = Field(
        description="The worker's own link (also behind the QR code on their copy). Shown once: "
        "only its digest is kept."
    )
    audio_job_id: UUID | None = Field(
        default=None,
        description="The job that speaks page 1 (es, ht), where the service can; GET /jobs/{id}.",
    )
    open_flags: list[FlagRead] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list,
        description="What is wrong with the contract as issued though not enough to refuse it, "
        "e.g. a worker link and QR code that only the service's own machine can open.",
    )


class DeliveryCreate(Input):
    method: DeliveryMethod
    delivered_on: date
    note: Reason | None = None


class DeliveryRead(Output):
    id: UUID
    contract_id: UUID
    method: DeliveryMethod
    delivered_on: date
    note: str | None
    recorded_by: str
    created_at: datetime
    open_flags: list[FlagRead] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list,
        description="What is wrong with the contract as issued though not enough to refuse it, "
        "e.g. a worker link and QR code that only the service's own machine can open.",
    )
