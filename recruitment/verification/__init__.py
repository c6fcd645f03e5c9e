"""The pure verification core: facts in, findings out; no database, no HTTP, no clock.

The service layer loads a case's facts (`CaseFacts`), calls `evaluate(case, as_of, reference)`
and applies `reconcile(stored_flags, findings)` to its flags. Reference data is built once per
process (`packaged_reference()`).
"""

from recruitment.verification.catalogue import (
    CatalogueEntry,
    CatalogueError,
    FlagText,
    catalogue,
    catalogue_document,
    parse_catalogue,
)
from recruitment.verification.deadlines import (
    DeadlineBasis,
    ReimbursementDeadline,
    deadline_basis,
    end_of_first_workweek,
    half_of_period,
    reimbursement_deadline,
)
from recruitment.verification.deductions import MealChargeMaximum, MealChargeTable
from recruitment.verification.findings import (
    FLAG_CODES,
    Evidence,
    Finding,
    FlagCode,
    JsonValue,
    fingerprint_of,
)
from recruitment.verification.published_rates import (
    PublishedRate,
    parse_meal_charge_maximums,
    parse_wage_rates,
)
from recruitment.verification.reconcile import (
    CONDITION_CLEARED,
    ExistingFlag,
    FlagResolution,
    FlagRevision,
    ReconciliationPlan,
    StoredFlag,
    reconcile,
)
from recruitment.verification.registry import (
    RegistryCheck,
    RegistryEntry,
    RowError,
    check_contractor,
    holder_names_match,
    normalise_certificate_number,
    normalise_holder_name,
    parse_registry,
)
from recruitment.verification.rules import (
    RULES,
    CostBalance,
    Reference,
    cost_balances,
    evaluate,
    packaged_reference,
    terms_findings,
    wage_floor_assessment,
)
from recruitment.verification.sne_referrals import (
    ReferralClaim,
    ReferralConflict,
    ReferralDifference,
    ReferralMatch,
    SneReferral,
    match_referral,
    normalise_folio,
    parse_referral_list,
)
from recruitment.verification.wage_floor import (
    FEDERAL_MINIMUM_WAGE_CENTS,
    FEDERAL_MINIMUM_WAGE_SOURCE,
    AewrRate,
    WageFloorAssessment,
    WageFloorTable,
    aewr_rows,
    packaged_wage_floor_table,
)

__all__ = [
    "CONDITION_CLEARED",
    "FEDERAL_MINIMUM_WAGE_CENTS",
    "FEDERAL_MINIMUM_WAGE_SOURCE",
    "FLAG_CODES",
    "RULES",
    "AewrRate",
    "CatalogueEntry",
    "CatalogueError",
    "CostBalance",
    "DeadlineBasis",
    "Evidence",
    "ExistingFlag",
    "Finding",
    "FlagCode",
    "FlagResolution",
    "FlagRevision",
    "FlagText",
    "JsonValue",
    "MealChargeMaximum",
    "MealChargeTable",
    "PublishedRate",
    "ReconciliationPlan",
    "Reference",
    "ReferralClaim",
    "ReferralConflict",
    "ReferralDifference",
    "ReferralMatch",
    "RegistryCheck",
    "RegistryEntry",
    "ReimbursementDeadline",
    "RowError",
    "SneReferral",
    "StoredFlag",
    "WageFloorAssessment",
    "WageFloorTable",
    "aewr_rows",
    "catalogue",
    "catalogue_document",
    "check_contractor",
    "cost_balances",
    "deadline_basis",
    "end_of_first_workweek",
    "evaluate",
    "fingerprint_of",
    "half_of_period",
    "holder_names_match",
    "match_referral",
    "normalise_certificate_number",
    "normalise_folio",
    "normalise_holder_name",
    "packaged_reference",
    "packaged_wage_floor_table",
    "parse_catalogue",
    "parse_meal_charge_maximums",
    "parse_referral_list",
    "parse_registry",
    "parse_wage_rates",
    "reconcile",
    "reimbursement_deadline",
    "terms_findings",
    "wage_floor_assessment",
]
