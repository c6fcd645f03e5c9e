"""Database tables (SQLModel). Importing this package registers every table on the metadata."""

from recruitment.models.access import ApiKey, IdempotencyRecord
from recruitment.models.audit import AuditEvent
from recruitment.models.audits import (
    AuditInterview,
    CorrectiveAction,
    ProgramAudit,
    ProgramFinding,
)
from recruitment.models.base import metadata
from recruitment.models.buyers import Buyer, StandingDelivery
from recruitment.models.complaints import Complaint, ComplaintCost, ComplaintNote, ComplaintRemedy
from recruitment.models.contracts import Contract, ContractAudio, ContractDelivery
from recruitment.models.debarments import Debarment
from recruitment.models.flags import (
    Flag,
    FlagStatusChange,
    MealChargeMaximum,
    ReferenceImport,
    RegistryCertificate,
    SneReferral,
    SneReferralOutcome,
    WageFloorRate,
)
from recruitment.models.growers import Grower, GrowerStatusChange
from recruitment.models.intermediaries import (
    Intermediary,
    IntermediaryVerification,
    RegistryLink,
)
from recruitment.models.job_orders import JobOrder, JobOrderVersion, is_current_version
from recruitment.models.jobs import Job
from recruitment.models.placements import ContractorPlacement
from recruitment.models.recruitments import (
    ChainLink,
    ChannelVerification,
    Cost,
    CrewAssignment,
    Hire,
    Recruitment,
    ReimbursedCost,
    Reimbursement,
)
from recruitment.models.users import ConsoleStoreEntry, User
from recruitment.models.workers import Worker

__all__ = [
    "ApiKey",
    "AuditEvent",
    "AuditInterview",
    "Buyer",
    "ChainLink",
    "ChannelVerification",
    "Complaint",
    "ComplaintCost",
    "ComplaintNote",
    "ComplaintRemedy",
    "ConsoleStoreEntry",
    "Contract",
    "ContractAudio",
    "ContractDelivery",
    "ContractorPlacement",
    "CorrectiveAction",
    "Cost",
    "CrewAssignment",
    "Debarment",
    "Flag",
    "FlagStatusChange",
    "Grower",
    "GrowerStatusChange",
    "Hire",
    "IdempotencyRecord",
    "Intermediary",
    "IntermediaryVerification",
    "Job",
    "JobOrder",
    "JobOrderVersion",
    "MealChargeMaximum",
    "ProgramAudit",
    "ProgramFinding",
    "Recruitment",
    "ReferenceImport",
    "RegistryCertificate",
    "RegistryLink",
    "ReimbursedCost",
    "Reimbursement",
    "SneReferral",
    "SneReferralOutcome",
    "StandingDelivery",
    "User",
    "WageFloorRate",
    "Worker",
    "is_current_version",
    "metadata",
]
