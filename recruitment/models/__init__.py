"""Database tables (SQLModel). Importing this package registers every table on the metadata."""

from recruitment.models.access import ApiKey, IdempotencyRecord
from recruitment.models.audit import AuditEvent
from recruitment.models.base import metadata
from recruitment.models.contracts import Contract, ContractAudio, ContractDelivery
from recruitment.models.flags import (
    Flag,
    FlagStatusChange,
    RegistryCertificate,
    SneReferral,
    SneReferralOutcome,
    WageFloorRate,
)
from recruitment.models.growers import Grower, GrowerStatusChange
from recruitment.models.intermediaries import Intermediary, IntermediaryVerification
from recruitment.models.job_orders import JobOrder, JobOrderVersion
from recruitment.models.jobs import Job
from recruitment.models.placements import ContractorPlacement
from recruitment.models.recruitments import (
    ChainLink,
    ChannelVerification,
    Cost,
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
    "ChainLink",
    "ChannelVerification",
    "ConsoleStoreEntry",
    "Contract",
    "ContractAudio",
    "ContractDelivery",
    "ContractorPlacement",
    "Cost",
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
    "Recruitment",
    "RegistryCertificate",
    "ReimbursedCost",
    "Reimbursement",
    "SneReferral",
    "SneReferralOutcome",
    "User",
    "WageFloorRate",
    "Worker",
    "metadata",
]
