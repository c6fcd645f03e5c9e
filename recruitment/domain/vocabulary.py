"""Closed value sets of the domain, as `Literal` types so that the OpenAPI document lists them."""

from typing import Literal, get_args

Language = Literal["es", "ht", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

Role = Literal["admin", "staff", "grower"]

ProgramStatus = Literal["participating", "suspended", "re_entry_audit", "withdrawn"]

# Currencies of the countries H-2A workers come from, and the dollar they are paid in.
Currency = Literal["USD", "MXN", "GTQ", "HNL", "HTG", "JMD", "NIO", "PEN", "ZAR", "DOP", "COP"]

IntermediaryKind = Literal[
    "sne_office", "farm_labor_contractor", "h2a_labor_contractor", "foreign_recruiter", "agent"
]
# Kinds that must hold a DOL certificate of registration (29 USC 1811).
CONTRACTOR_KINDS: frozenset[str] = frozenset({"farm_labor_contractor", "h2a_labor_contractor"})

VerificationStatus = Literal["unverified", "verified", "rejected", "expired"]
VerificationDecision = Literal["verified", "rejected"]

Channel = Literal["sne", "private_recruiter", "grower_direct", "other"]

Milestone = Literal[
    "recruited",
    "contract_disclosed",
    "visa_applied",
    "visa_issued",
    "arrived",
    "hired",
    "completed",
    "withdrawn",
    "departed_early",
]
# The forward path of a recruitment; each milestone can't be dated before the one it follows.
MILESTONE_PATH: tuple[Milestone, ...] = (
    "recruited",
    "contract_disclosed",
    "visa_applied",
    "visa_issued",
    "arrived",
    "hired",
    "completed",
)
# Exits: they can't be dated before the recruitment began.
MILESTONE_EXITS: tuple[Milestone, ...] = ("withdrawn", "departed_early")

# ILO (2019) definition of recruitment fees and related costs.
CostCategory = Literal[
    "recruitment_fee",
    "illegitimate_cost",
    "medical",
    "insurance",
    "skills_test",
    "training",
    "equipment",
    "travel_and_lodging",
    "administrative",
]
# Never lawful to charge, whatever the amount: the fee itself, bribes, deposits, kickbacks.
FEE_CATEGORIES: frozenset[str] = frozenset({"recruitment_fee", "illegitimate_cost"})

PayeeKind = Literal["intermediary", "consulate", "carrier", "clinic", "other"]
ReportedBy = Literal["worker", "audit_interview", "grower", "receipt"]

# What a travel or visa cost is for decides its reimbursement deadline (20 CFR 655.122(h)).
CostPurpose = Literal["visa", "inbound_travel", "inbound_subsistence", "outbound_travel", "other"]

PartyKind = Literal["grower", "intermediary"]

FlagSeverity = Literal["critical", "violation", "warning"]
FlagStatus = Literal["open", "acknowledged", "resolved", "dismissed"]

DeliveryMethod = Literal["in_person", "whatsapp", "sms", "email", "paper"]

WageUnit = Literal["hour", "week", "month", "piece"]
PayFrequency = Literal["weekly", "biweekly", "semimonthly", "monthly"]
HousingType = Literal["employer_owned", "rented", "hotel_motel", "public_housing", "other"]
MealArrangement = Literal["provided", "kitchen"]

UsState = Literal[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR", "VI", "GU", "MP",
]  # fmt: skip

# Complaints: the code-of-conduct areas a complaint falls under, how it reached the program,
# and where its investigation stands.
ComplaintCategory = Literal[
    "fees",
    "wages",
    "hours",
    "housing",
    "transport",
    "health_and_safety",
    "harassment_violence",
    "retaliation",
    "forced_labour_indicators",
]
ComplaintSeverity = Literal["urgent", "serious", "minor"]
ComplaintChannel = Literal["hotline", "worker_page", "in_person"]
ComplaintStatus = Literal[
    "received", "investigating", "grower_responded", "resolved", "closed_unfounded", "referred"
]
RemedyKind = Literal["back_pay", "reimbursement", "discipline", "policy_change"]
# What a worker can pick on the contract page's short form, in their own words.
WorkerConcern = Literal["paid_for_job", "pay_not_as_contract", "threatened", "housing", "other"]
# An H-2A case's decision as OFLC's disclosure data gives it (CASE_STATUS). Only a certified
# job order (wholly or in part) lets the employer bring H-2A workers (20 CFR 655.160-.171);
# 'expired' is a certification whose period has ended, so it was certified for that period.
CaseStatus = Literal["certified", "partial", "denied", "withdrawn", "expired"]
NOT_CERTIFIED_CASE_STATUSES: frozenset[str] = frozenset({"denied", "withdrawn"})
# Audits and standing (issue 16).
# Only a participating grower is in good standing: a buyer stops buying from the others.
GOOD_STANDING: frozenset[str] = frozenset({"participating"})
AuditKind = Literal["regular", "re_entry"]
AuditOutcome = Literal["passed", "failed"]
# The areas of the program's code an audit checks, and an interview asks about.
CodeStandard = Literal[
    "recruitment_channel",
    "recruitment_fees",
    "direct_hire",
    "written_terms",
    "wages_and_hours",
    "housing",
    "transportation",
    "health_and_safety",
    "harassment_and_violence",
    "complaints_and_retaliation",
    "audit_cooperation",
]
CODE_STANDARDS: tuple[CodeStandard, ...] = get_args(CodeStandard)
ProgramFindingCode = Literal[
    "CODE_STANDARD_VIOLATED", "INTERVIEW_COVERAGE_BELOW_TARGET", "CORRECTIVE_ACTION_OVERDUE"
]
ProgramFindingStatus = Literal["open", "corrected"]
CorrectiveActionStatus = Literal["open", "completed", "verified"]
CorrectiveActionReview = Literal["verified", "rejected"]
WebhookDeliveryStatus = Literal["pending", "delivered", "failed"]
# A buyer's API key reads the standing feed and nothing else; buyers have no console users.
KeyRole = Literal["admin", "staff", "grower", "buyer"]
