"""The rules: one pure function per catalogue code, from a case's facts and a date to findings.

Each rule is `(case, as_of, reference) -> list[Finding]`. `as_of` decides whether a deadline has
passed and which payments have happened (money counts from the day it is paid); beyond that it never
enters the facts of the evidence, so that re-evaluating the same facts on another day gives the same
fingerprints (a dismissed flag stays dismissed until the facts change). `evaluate` stamps each
finding's evidence with the date judged and the source, which the fingerprint leaves out.
Each rule's docstring gives its legal source; the catalogue (`catalogue.toml`) gives severity,
source and the texts staff and workers read.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from typing import Literal
from uuid import UUID

from recruitment.domain.terms import JobOrderTerms
from recruitment.domain.vocabulary import CONTRACTOR_KINDS, FEE_CATEGORIES, PartyKind
from recruitment.verification.catalogue import catalogue
from recruitment.verification.deadlines import (
    DEADLINE_SOURCES,
    deadline_basis,
    first_day_of_work,
    first_week,
    reimbursement_deadline,
)
from recruitment.verification.debarments import (
    debarred_party,
    job_order_not_certified,
    possible_debarred_party,
)
from recruitment.verification.deductions import (
    PACKAGED_MEAL_CHARGES,
    MealChargeTable,
    meal_charge_maximum_unknown,
    unlawful_deduction,
)
from recruitment.verification.facts import CaseFacts, ChainLink, Complaint, Cost, Intermediary
from recruitment.verification.findings import Evidence, Finding, FlagCode, JsonValue
from recruitment.verification.wage_floor import (
    WageFloorAssessment,
    WageFloorTable,
    assess_wage_floor,
    packaged_wage_floor_table,
)
from recruitment.verification.wages import wage_floor_unknown, wage_not_in_usd

# Every intermediary but the public SNE office: they must be verified and bound by a fee ban.
RECRUITER_KINDS: frozenset[str] = CONTRACTOR_KINDS | {"foreign_recruiter", "agent"}

COMPLAINT_LINE_SOURCE = "Program rule (WSR agreement): the program's 24-hour complaint line"


@dataclass(frozen=True)
class Reference:
    """Global reference data the rules read (built once per process, shared by every case)."""

    wage_floors: WageFloorTable
    meal_charges: MealChargeTable = PACKAGED_MEAL_CHARGES


@cache
def packaged_reference() -> Reference:
    """The reference data shipped with the package."""
    return Reference(wage_floors=packaged_wage_floor_table(), meal_charges=PACKAGED_MEAL_CHARGES)


Rule = Callable[[CaseFacts, date, Reference], list[Finding]]


def _finding(code: FlagCode, subject: str, evidence: Evidence) -> Finding:
    entry = catalogue()[code]
    return Finding(code, entry.severity, subject, evidence, entry.source)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _text(value: UUID | None) -> str | None:
    return str(value) if value else None


def _cost_evidence(cost: Cost) -> Evidence:
    return {
        "cost_id": str(cost.id),
        "category": cost.category,
        "purpose": cost.purpose,
        "amount": cost.amount,
        "currency": cost.currency,
        "paid_on": cost.paid_on.isoformat(),
        "payee_kind": cost.payee_kind,
        "payee_intermediary_id": _text(cost.payee_intermediary_id),
        "payee_name": cost.payee_name,
        "reported_by": cost.reported_by,
    }


def _intermediary_evidence(intermediary: Intermediary) -> Evidence:
    return {
        "intermediary_id": str(intermediary.id),
        "name": intermediary.name,
        "kind": intermediary.kind,
        "verification": intermediary.verification,
    }


def _intermediary_subject(link: ChainLink) -> str:
    return f"intermediary:{link.intermediary.id}"


# --- Costs and reimbursements -------------------------------------------------------------------


@dataclass(frozen=True)
class CostBalance:
    """What has come back of one cost, counting reimbursements in the cost's own currency.

    A reimbursement in another currency can't be set against the cost without an exchange rate
    that the facts don't hold; it is listed (`other_currency_reimbursements`) for staff to judge
    instead of being guessed at.
    """

    cost: Cost
    reimbursed: int
    reimbursement_ids: tuple[str, ...]
    other_currency_reimbursements: tuple[Evidence, ...]

    @property
    def outstanding(self) -> int:
        return self.cost.amount - self.reimbursed

    def as_evidence(self) -> Evidence:
        return {
            **_cost_evidence(self.cost),
            "reimbursed": self.reimbursed,
            "outstanding": self.outstanding,
            "reimbursement_ids": list(self.reimbursement_ids),
            "other_currency_reimbursements": list(self.other_currency_reimbursements),
        }


def cost_balances(case: CaseFacts, as_of: date) -> tuple[CostBalance, ...]:
    """Each cost paid by `as_of` with what has been paid back against it by `as_of`.

    Money counts from the day it is paid: a cost or reimbursement dated after `as_of` has not
    happened yet on that date. A reimbursement fills the costs it lists oldest first (then by id),
    each up to what is still owed; reimbursements apply in date order (then id, for determinism).
    What is left over is credited to no other cost. The ledger reads the same balances, so the
    two always agree.
    """
    paid = sorted(
        (cost for cost in case.costs if cost.paid_on <= as_of), key=lambda c: (c.paid_on, str(c.id))
    )
    if not paid:
        return ()
    costs = {cost.id: cost for cost in paid}
    reimbursed = dict.fromkeys(costs, 0)
    applied: dict[UUID, list[str]] = {cost_id: [] for cost_id in costs}
    foreign: dict[UUID, list[Evidence]] = {cost_id: [] for cost_id in costs}
    happened = (r for r in case.reimbursements if r.paid_on <= as_of)
    for reimbursement in sorted(happened, key=lambda r: (r.paid_on, str(r.id))):
        remaining = reimbursement.amount
        named = set(reimbursement.cost_ids)
        for cost_id in (cost_id for cost_id in costs if cost_id in named):
            cost = costs[cost_id]
            if cost.currency != reimbursement.currency:
                foreign[cost_id].append(
                    {
                        "reimbursement_id": str(reimbursement.id),
                        "amount": reimbursement.amount,
                        "currency": reimbursement.currency,
                        "paid_on": reimbursement.paid_on.isoformat(),
                    }
                )
                continue
            share = min(remaining, cost.amount - reimbursed[cost_id])
            if share > 0:
                reimbursed[cost_id] += share
                applied[cost_id].append(str(reimbursement.id))
                remaining -= share
    return tuple(
        CostBalance(cost, reimbursed[cost.id], tuple(applied[cost.id]), tuple(foreign[cost.id]))
        for cost in paid
    )


def first_workday(case: CaseFacts) -> date | None:
    """The worker's first day of work: the hire's start date, else the arrival (a recorded hire
    milestone stands in for it: nobody is hired before arriving)."""
    start = case.hire.start_date if case.hire else None
    return first_day_of_work(start, case.milestones.arrived or case.milestones.hired)


def recruitment_fee_charged(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """A worker paid a recruitment fee or an illegitimate cost (bribe, deposit, kickback).

    One finding per such cost, reimbursed or not: paying it back does not undo the fee.
    Sources: ILO General Principles for Fair Recruitment, Principle 7; 20 CFR 655.135(j);
    8 CFR 214.2(h)(5)(xi).
    """
    return [
        _finding("RECRUITMENT_FEE_CHARGED", f"cost:{cost.id}", _cost_evidence(cost))
        for cost in case.costs
        if cost.category in FEE_CATEGORIES and cost.paid_on <= as_of
    ]


def worker_bore_related_cost(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """A related cost (not a fee) that the worker paid and has not had back in full.

    Sources: 20 CFR 655.122(h); ILO Definition of Recruitment Fees and Related Costs (2019).
    """
    return [
        _finding("WORKER_BORE_RELATED_COST", f"cost:{balance.cost.id}", balance.as_evidence())
        for balance in cost_balances(case, as_of)
        if balance.cost.category not in FEE_CATEGORIES and balance.outstanding > 0
    ]


def first_week_shares(case: CaseFacts, balances: Iterable[CostBalance]) -> dict[UUID, int]:
    """The part of each half-of-period cost (inbound travel and subsistence) due in the first
    workweek because it pulls that week's wages under the federal minimum (Arriaga; FAB 2009-2).

    Costs paid up to the first day of work in the offer's currency, oldest first, use up what the
    first week's wages leave above the minimum; the rest of each is due in week one. Empty when the
    first week's wage facts are not known (see `deadlines.first_week`).
    """
    start = first_workday(case)
    if start is None:
        return {}
    week = first_week(case.job_order.terms, start)
    offer = case.job_order.terms.wage_offer
    if week.room_above_minimum is None or offer is None:
        return {}
    room = week.room_above_minimum
    shares: dict[UUID, int] = {}
    for balance in balances:
        cost = balance.cost
        if (
            deadline_basis(cost.category, cost.purpose) != "half_of_period"
            or cost.paid_on > start
            or cost.currency != offer.currency
        ):
            continue
        absorbed = min(room, cost.amount)
        room -= absorbed
        shares[cost.id] = cost.amount - absorbed
    return shares


def reimbursement_overdue(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """A cost (fees included) with an unreimbursed part after its deadline (see `deadlines`).

    Inbound travel and subsistence are also overdue after the first workweek while less than the
    part that pulls week one under the minimum has come back (`first_week_shares`).
    The deadline day itself is on time. Sources: 20 CFR 655.122(h)(1)-(2); 29 USC 206;
    29 CFR 531.35; Arriaga v. Florida Pacific Farms, 305 F.3d 1228 (11th Cir. 2002);
    DOL Field Assistance Bulletin 2009-2.
    """
    balances = cost_balances(case, as_of)
    if all(balance.outstanding <= 0 for balance in balances):
        # Most cases: nothing owed, so no first workweek to work out.
        return []
    findings = []
    terms = case.job_order.terms
    start = first_workday(case)
    week_one = first_week(terms, start) if start else None
    shares = first_week_shares(case, balances)
    for balance in balances:
        if balance.outstanding <= 0:
            continue
        cost = balance.cost
        deadline = reimbursement_deadline(
            cost.category, cost.purpose, cost.paid_on, start, terms.period_start, terms.period_end
        )
        overdue: Evidence | None = None
        if deadline.is_overdue(as_of):
            overdue = {
                "due_on": _iso(deadline.due_on),
                "basis": deadline.basis,
                "source": deadline.source,
            }
        elif (
            week_one is not None
            and as_of > week_one.ends_on
            and balance.reimbursed < shares.get(cost.id, 0)
        ):
            overdue = {
                "due_on": week_one.ends_on.isoformat(),
                "basis": "first_workweek",
                "source": DEADLINE_SOURCES["first_workweek"],
                "amount_due": shares[cost.id],
            }
        if overdue is None:
            continue
        evidence = balance.as_evidence()
        evidence["deadline"] = overdue
        if deadline.basis == "half_of_period" and week_one is not None:
            evidence["first_workweek"] = week_one.as_evidence()
        findings.append(_finding("REIMBURSEMENT_OVERDUE", f"cost:{cost.id}", evidence))
    return findings


# --- Channel and hire ----------------------------------------------------------------------------


def non_sne_channel(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """The recruitment did not go through the SNE. Source: program rule (WSR agreement)."""
    if case.channel == "sne":
        return []
    return [_finding("NON_SNE_CHANNEL", "case", {"channel": case.channel})]


def sne_channel_unverified(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """SNE is claimed but staff has not verified the referral (any status but `verified`).

    The evidence carries what SNE referral lists say against the claim. Source: program rule.
    """
    if case.channel != "sne" or case.channel_verification == "verified":
        return []
    evidence: Evidence = {
        "channel_verification": case.channel_verification,
        "sne_folio": case.sne_folio,
        "sne_office_id": _text(case.sne_office_id),
        "referral_conflicts": list(case.sne_referral_conflicts),
    }
    return [_finding("SNE_CHANNEL_UNVERIFIED", "case", evidence)]


def not_direct_hire(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """The employer of record, or the payer of wages, is not this grower.

    Source: program rule (WSR agreement): direct hire by the grower.
    """
    hire = case.hire
    if hire is None:
        return []
    parties: dict[str, tuple[PartyKind, UUID]] = {
        "employer_of_record": (hire.employer_of_record_kind, hire.employer_of_record_id),
        "wages_paid_by": (hire.wages_paid_by_kind, hire.wages_paid_by_id),
    }
    not_the_grower = [
        role
        for role, (kind, party_id) in parties.items()
        if kind != "grower" or party_id != case.grower_id
    ]
    if not not_the_grower:
        return []
    evidence: Evidence = {
        "hire_id": str(hire.id),
        "grower_id": str(case.grower_id),
        **{role: {"kind": kind, "id": str(party_id)} for role, (kind, party_id) in parties.items()},
        "not_the_grower": list(not_the_grower),
    }
    return [_finding("NOT_DIRECT_HIRE", f"hire:{hire.id}", evidence)]


# --- The chain of intermediaries -----------------------------------------------------------------


def subcontracting_layers(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """An intermediary in the chain was engaged by another intermediary, not by the grower.

    Source: program rule (WSR agreement): no layers of labor contractors.
    """
    names = {link.intermediary.id: link.intermediary.name for link in case.chain}
    findings = []
    for link in case.chain:
        if link.engaged_by != "intermediary":
            continue
        engager = link.engaged_by_intermediary_id
        evidence = _intermediary_evidence(link.intermediary)
        evidence["engaged_by_intermediary_id"] = _text(engager)
        evidence["engaged_by_intermediary_name"] = names.get(engager) if engager else None
        findings.append(_finding("SUBCONTRACTING_LAYERS", _intermediary_subject(link), evidence))
    return findings


def unverified_labor_contractor(
    case: CaseFacts, as_of: date, reference: Reference
) -> list[Finding]:
    """A contractor, recruiter or agent in the chain is not `verified` by staff.

    SNE offices are public services and are not subject to it. Sources: 29 USC 1842;
    29 CFR 500.71 (reasonable steps to confirm a contractor's registration); program rule.
    """
    return [
        _finding(
            "UNVERIFIED_LABOR_CONTRACTOR",
            _intermediary_subject(link),
            {
                **_intermediary_evidence(link.intermediary),
                "certificate_number": link.intermediary.certificate_number,
            },
        )
        for link in case.chain
        if link.intermediary.kind in RECRUITER_KINDS
        and link.intermediary.verification != "verified"
    ]


@dataclass(frozen=True)
class Certificate:
    """A contractor's certificate of registration as the rules read it."""

    number: str
    valid_from: date | None
    valid_until: date | None
    authorized_to_house: bool
    authorized_to_transport: bool
    authorized_to_drive: bool
    origin: Literal["registry", "declared"]

    def as_evidence(self) -> Evidence:
        return {
            "number": self.number,
            "valid_from": _iso(self.valid_from),
            "valid_until": _iso(self.valid_until),
            "authorized_to_house": self.authorized_to_house,
            "authorized_to_transport": self.authorized_to_transport,
            "authorized_to_drive": self.authorized_to_drive,
            "origin": self.origin,
        }


def certificate_of(intermediary: Intermediary) -> Certificate | None:
    """The registry's record when the certificate was found there (it is authoritative), else what
    the grower declared; None when there is no certificate at all."""
    record = intermediary.registry_record
    if record is not None:
        return Certificate(
            record.certificate_number,
            record.valid_from,
            record.valid_until,
            record.authorized_to_house,
            record.authorized_to_transport,
            record.authorized_to_drive,
            "registry",
        )
    if intermediary.certificate_number:
        return Certificate(
            intermediary.certificate_number,
            intermediary.certificate_valid_from,
            intermediary.certificate_valid_until,
            intermediary.authorized_to_house,
            intermediary.authorized_to_transport,
            intermediary.authorized_to_drive,
            "declared",
        )
    return None


def _performs_contractor_activity(link: ChainLink) -> bool:
    """Whether the link houses, transports or drives workers: what makes anyone a farm labor
    contractor (29 USC 1802(7)), whatever kind it was declared as."""
    return link.houses_workers or link.transports_workers or link.drives_workers


@dataclass(frozen=True)
class ActivitySpan:
    """The days an intermediary acts in a case: from the day it acted through `until`.

    Recruiting is done on one day. Housing, transporting or driving workers goes on while the
    worker is at the job: until the case ends (completed, departed early, withdrawn), else the
    job order's last day; `until` is None when not even that is known (it goes on).
    """

    acted_on: date
    until: date | None


def _activity_span(case: CaseFacts, link: ChainLink) -> ActivitySpan | None:
    acted_on = link.acted_on or case.milestones.recruited
    if acted_on is None:
        return None
    if not _performs_contractor_activity(link):
        return ActivitySpan(acted_on, acted_on)
    milestones = case.milestones
    ended = milestones.completed or milestones.departed_early or milestones.withdrawn
    until = ended or case.job_order.terms.period_end
    return ActivitySpan(acted_on, max(until, acted_on) if until else None)


def _certificate_problem(
    certificate: Certificate | None, span: ActivitySpan | None, as_of: date
) -> tuple[str, date | None] | None:
    """What is wrong with the certificate, and the first day of activity it was not valid on.

    Only the days up to `as_of` are judged: a planned activity is not yet a violation. The day
    found is a fact of the case once it has passed, so the evidence stays the same on later runs.
    """
    if certificate is None:
        return "no_certificate", span.acted_on if span else None
    if certificate.valid_until is None:
        return "validity_unknown", span.acted_on if span else None
    if span is None or span.acted_on > as_of:
        return None
    if certificate.valid_from is not None and span.acted_on < certificate.valid_from:
        return "not_yet_valid", span.acted_on
    last_day_judged = min(span.until, as_of) if span.until else as_of
    if last_day_judged > certificate.valid_until:
        return "expired", max(span.acted_on, certificate.valid_until + timedelta(days=1))
    return None


def _acts_as_contractor(link: ChainLink) -> bool:
    return link.intermediary.kind in CONTRACTOR_KINDS or (
        link.intermediary.kind in RECRUITER_KINDS and _performs_contractor_activity(link)
    )


def contractor_registration_expired(
    case: CaseFacts, as_of: date, reference: Reference
) -> list[Finding]:
    """A farm labor contractor's certificate was not valid on a day it acted, up to `as_of`.

    It acts on the link's `acted_on`, else the recruitment date; one that houses, transports or
    drives workers acts every day of the worker's season from then (see `ActivitySpan`), so a
    certificate that ends mid-season is reported from the day after it ends. A recruiter or agent
    that does any of those is a contractor for this rule. A certificate is valid from
    `valid_from` through `valid_until`, both days included. No certificate at all, or one whose
    end date is unknown, counts too: the user of a contractor must establish a valid one. With a
    certificate but no date of action recorded, there is nothing to compare and no finding.
    The evidence's `judged_on` is the first day of activity the certificate did not cover.
    Sources: 29 USC 1802(7), 1811(a), 1814, 1842; 29 CFR 500.40, 500.50, 500.71.
    """
    findings = []
    for link in case.chain:
        if not _acts_as_contractor(link):
            continue
        certificate = certificate_of(link.intermediary)
        span = _activity_span(case, link)
        problem = _certificate_problem(certificate, span, as_of)
        if problem is None:
            continue
        reason, judged_on = problem
        evidence = _intermediary_evidence(link.intermediary)
        evidence["problem"] = reason
        evidence["acted_on"] = _iso(span.acted_on if span else None)
        evidence["activity_until"] = _iso(span.until if span else None)
        evidence["judged_on"] = _iso(judged_on)
        evidence["certificate"] = certificate.as_evidence() if certificate else None
        findings.append(
            _finding("CONTRACTOR_REGISTRATION_EXPIRED", _intermediary_subject(link), evidence)
        )
    return findings


def contractor_activity_not_authorized(
    case: CaseFacts, as_of: date, reference: Reference
) -> list[Finding]:
    """A contractor, recruiter or agent houses, transports or drives workers without that
    authorization.

    Whoever does these things for the grower is a farm labor contractor for them (a foreign
    recruiter that also drives the workers north included). Without a certificate, no activity
    is authorized. Sources: 29 USC 1802(7), 1811(a), 1842; 29 CFR 500.40 (a certificate
    authorizing each activity), 500.45(b)-(c), 500.71.
    """
    findings = []
    for link in case.chain:
        if link.intermediary.kind not in RECRUITER_KINDS:
            continue
        certificate = certificate_of(link.intermediary)
        activities = (
            ("housing", link.houses_workers, certificate and certificate.authorized_to_house),
            (
                "transport",
                link.transports_workers,
                certificate and certificate.authorized_to_transport,
            ),
            ("driving", link.drives_workers, certificate and certificate.authorized_to_drive),
        )
        unauthorized: list[JsonValue] = [
            activity
            for activity, performed, authorized in activities
            if performed and not authorized
        ]
        if not unauthorized:
            continue
        evidence = _intermediary_evidence(link.intermediary)
        evidence["activities_not_authorized"] = unauthorized
        evidence["certificate"] = certificate.as_evidence() if certificate else None
        findings.append(
            _finding("CONTRACTOR_ACTIVITY_NOT_AUTHORIZED", _intermediary_subject(link), evidence)
        )
    return findings


def recruiter_agreement_lacks_fee_ban(
    case: CaseFacts, as_of: date, reference: Reference
) -> list[Finding]:
    """A contractor, recruiter or agent in the chain has no written agreement forbidding fees.

    Source: 20 CFR 655.135(k).
    """
    findings = []
    for link in case.chain:
        if link.intermediary.kind not in RECRUITER_KINDS or link.written_fee_ban:
            continue
        evidence = _intermediary_evidence(link.intermediary)
        evidence["engaged_by"] = link.engaged_by
        evidence["engaged_by_intermediary_id"] = _text(link.engaged_by_intermediary_id)
        findings.append(
            _finding("RECRUITER_AGREEMENT_LACKS_FEE_BAN", _intermediary_subject(link), evidence)
        )
    return findings


# --- Contract disclosure -------------------------------------------------------------------------


def _first_delivery(case: CaseFacts) -> date | None:
    """The first day any contract reached the worker, a since-superseded one too: the question
    is whether the worker had the terms in writing when applying for the visa."""
    deliveries = [
        delivery.delivered_on for contract in case.contracts for delivery in contract.deliveries
    ]
    return min(deliveries, default=None)


def _disclosure_evidence(case: CaseFacts, visa_applied: date) -> Evidence:
    return {
        "visa_applied": visa_applied.isoformat(),
        "first_delivery": _iso(_first_delivery(case)),
        "contracts_issued": len(case.contracts),
    }


def _disclosed_by(case: CaseFacts, visa_applied: date) -> bool:
    first_delivery = _first_delivery(case)
    return first_delivery is not None and first_delivery <= visa_applied


def contract_not_disclosed_before_visa(
    case: CaseFacts, as_of: date, reference: Reference
) -> list[Finding]:
    """The worker applied for the visa and no contract was delivered on or before that day.

    A violation from the day of the application on; before it, `contract_due_before_visa` warns.
    No visa application recorded: no finding yet. Source: 20 CFR 655.122(q).
    """
    visa_applied = case.milestones.visa_applied
    if visa_applied is None or visa_applied > as_of or _disclosed_by(case, visa_applied):
        return []
    evidence = _disclosure_evidence(case, visa_applied)
    return [_finding("CONTRACT_NOT_DISCLOSED_BEFORE_VISA", "case", evidence)]


def contract_due_before_visa(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """The visa application is planned for a later day and no contract has reached the worker.

    A warning until then: its evidence's `due_by` is the application day (the flag counts the
    days left to it when read). On that day it gives way to CONTRACT_NOT_DISCLOSED_BEFORE_VISA.
    Source: 20 CFR 655.122(q).
    """
    visa_applied = case.milestones.visa_applied
    if visa_applied is None or visa_applied <= as_of or _disclosed_by(case, visa_applied):
        return []
    evidence = _disclosure_evidence(case, visa_applied)
    evidence["due_by"] = visa_applied.isoformat()
    return [_finding("CONTRACT_DUE_BEFORE_VISA", "case", evidence)]


def contract_language_mismatch(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """A contract was delivered, but none wholly in the worker's preferred language.

    The contracts in force (not superseded) decide when any of them was delivered; otherwise all
    delivered ones do, so that terms the worker received in their language are not reported as a
    language problem just because a newer version has not been delivered yet. A contract in the
    worker's language whose grower-written texts (duties, crops...) were printed untranslated does
    not count; the evidence names those fields.
    Source: 20 CFR 655.122(q).
    """
    delivered = [contract for contract in case.contracts if contract.deliveries]
    if not delivered:
        return []
    in_force = [contract for contract in delivered if not contract.superseded]
    considered = in_force or delivered
    language = case.worker.preferred_language
    in_language = [contract for contract in considered if contract.language == language]
    if any(not contract.untranslated_fields for contract in in_language):
        return []
    evidence: Evidence = {
        "preferred_language": language,
        "delivered_languages": sorted({contract.language for contract in considered}),
        "contract_ids": sorted(str(contract.id) for contract in considered),
        "untranslated_fields": sorted(
            {field for contract in in_language for field in contract.untranslated_fields}
        ),
    }
    return [_finding("CONTRACT_LANGUAGE_MISMATCH", "case", evidence)]


# --- The job order's terms -----------------------------------------------------------------------


@dataclass(frozen=True)
class TermsRequirement:
    """One item a job order must state; `problem` says what is wrong with it, or None."""

    item: str
    source: str
    problem: Callable[[JobOrderTerms], str | None]


def _missing(value: object) -> str | None:
    return "missing" if value is None or value == [] else None


def _free_of_charge(at_no_cost: bool | None) -> str | None:
    """Housing, tools and travel must be stated, and stated as costing the worker nothing."""
    if at_no_cost is None:
        return "missing"
    return None if at_no_cost else "charged_to_worker"


def _period_problem(terms: JobOrderTerms) -> str | None:
    return "missing" if terms.period_start is None or terms.period_end is None else None


def _piece_rates_problem(terms: JobOrderTerms) -> str | None:
    return "missing" if terms.wage_unit == "piece" and not terms.piece_rates else None


def _housing_problem(terms: JobOrderTerms) -> str | None:
    return _free_of_charge(terms.housing.at_no_cost if terms.housing else None)


def _housing_location_problem(terms: JobOrderTerms) -> str | None:
    """A worker must be able to find the housing: street, city, state and ZIP code."""
    housing = terms.housing
    if housing is None:
        return None  # the `housing` item already reports it
    located = housing.city and housing.state and housing.postal_code
    return None if located else "incomplete_address"


def _inbound_travel_problem(terms: JobOrderTerms) -> str | None:
    return _free_of_charge(terms.travel.inbound_paid_or_reimbursed if terms.travel else None)


def _outbound_travel_problem(terms: JobOrderTerms) -> str | None:
    return _free_of_charge(terms.travel.outbound_paid_or_reimbursed if terms.travel else None)


_JOB_ORDER_CONTENT = "20 CFR 655.122(q); 20 CFR 653.501(c)"

TERMS_REQUIREMENTS: tuple[TermsRequirement, ...] = (
    TermsRequirement("job_title", _JOB_ORDER_CONTENT, lambda t: _missing(t.job_title)),
    TermsRequirement("duties", _JOB_ORDER_CONTENT, lambda t: _missing(t.duties)),
    TermsRequirement("worksites", _JOB_ORDER_CONTENT, lambda t: _missing(t.worksites)),
    TermsRequirement("period", "20 CFR 655.122(i)(1)", _period_problem),
    TermsRequirement(
        "hours_per_week", "20 CFR 655.122(i)(1)", lambda t: _missing(t.hours_per_week)
    ),
    # The three-fourths guarantee counts the days of the period times the hours per day.
    TermsRequirement("hours_per_day", "20 CFR 655.122(i)(1)", lambda t: _missing(t.hours_per_day)),
    TermsRequirement("wage_offer", "20 CFR 655.122(l)", lambda t: _missing(t.wage_offer)),
    TermsRequirement("wage_unit", "20 CFR 655.122(l)", lambda t: _missing(t.wage_unit)),
    TermsRequirement("piece_rates", "20 CFR 655.122(l)", _piece_rates_problem),
    TermsRequirement("pay_frequency", "20 CFR 655.122(m)", lambda t: _missing(t.pay_frequency)),
    TermsRequirement("housing", "20 CFR 655.122(d)(1)", _housing_problem),
    TermsRequirement("housing_address", "20 CFR 655.122(d)(1)", _housing_location_problem),
    TermsRequirement("employer_phone", _JOB_ORDER_CONTENT, lambda t: _missing(t.employer_phone)),
    TermsRequirement(
        "workers_compensation", "20 CFR 655.122(e)", lambda t: _missing(t.workers_compensation)
    ),
    TermsRequirement("tools", "20 CFR 655.122(f)", lambda t: _free_of_charge(t.tools_at_no_cost)),
    TermsRequirement("meals", "20 CFR 655.122(g)", lambda t: _missing(t.meals)),
    TermsRequirement("inbound_travel", "20 CFR 655.122(h)(1)", _inbound_travel_problem),
    TermsRequirement("outbound_travel", "20 CFR 655.122(h)(2)", _outbound_travel_problem),
    TermsRequirement(
        "daily_transportation", "20 CFR 655.122(h)(3)", lambda t: _missing(t.daily_transportation)
    ),
    TermsRequirement("complaint_line", COMPLAINT_LINE_SOURCE, lambda t: _missing(t.complaint_line)),
)


def terms_incomplete(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """The job order lacks an item that 20 CFR 655.122 (or the program) requires, or states it in a
    way the rule forbids (housing, tools or travel charged to the worker).

    Deductions may be empty. One finding per job order listing every problem with its paragraph.
    """
    terms = case.job_order.terms
    problems: list[JsonValue] = []
    for requirement in TERMS_REQUIREMENTS:
        problem = requirement.problem(terms)
        if problem is not None:
            problems.append(
                {"item": requirement.item, "problem": problem, "source": requirement.source}
            )
    if not problems:
        return []
    evidence: Evidence = {
        "job_order_id": str(case.job_order.id),
        "job_order_version": case.job_order.version,
        "problems": problems,
    }
    return [_finding("TERMS_INCOMPLETE", f"job_order:{case.job_order.id}", evidence)]


def wage_floor_assessment(terms: JobOrderTerms, reference: Reference) -> WageFloorAssessment:
    """How the terms' wage offer compares with the floor, including why there may be no answer."""
    return assess_wage_floor(terms, reference.wage_floors)


def wage_below_floor(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """The hourly offer is under max(AEWR in force at the period start, federal minimum).

    No AEWR published for the state and date: compared with the federal minimum alone. Piece
    rates and incomplete terms are not compared (see `wage_floor`). Sources: 20 CFR 655.120(a),
    655.122(l); 29 USC 206(a)(1)(C).
    """
    terms = case.job_order.terms
    assessment = wage_floor_assessment(terms, reference)
    if assessment.status != "below_floor" or terms.wage_offer is None:
        return []
    evidence: Evidence = {
        "job_order_id": str(case.job_order.id),
        "job_order_version": case.job_order.version,
        "wage_offer": {"amount": terms.wage_offer.amount, "currency": terms.wage_offer.currency},
        "wage_unit": terms.wage_unit,
        "hours_per_week": terms.hours_per_week,
        **assessment.as_evidence(),
    }
    return [_finding("WAGE_BELOW_FLOOR", f"job_order:{case.job_order.id}", evidence)]


def duplicate_identity(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """The worker's CURP or passport number is also on other workers. Source: program rule."""
    others = case.worker.workers_sharing_identity
    if not others:
        return []
    evidence: Evidence = {
        "worker_id": str(case.worker.id),
        "workers_sharing_identity": sorted(str(other) for other in set(others)),
    }
    return [_finding("DUPLICATE_IDENTITY", f"worker:{case.worker.id}", evidence)]


def _complaint_evidence(complaint: Complaint) -> Evidence:
    return {
        "complaint_id": str(complaint.id),
        "reference": complaint.reference,
        "category": complaint.category,
        "received_on": complaint.received_on.isoformat(),
    }


def founded_complaint(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """A complaint about this case that the investigation found true and that is not yet
    resolved with a remedy. Source: program rule (WSR agreement): complaints investigated and
    remedied; ILO General Principles for Fair Recruitment, Principle 12 (access to remedy).
    """
    return [
        _finding("FOUNDED_COMPLAINT", f"complaint:{complaint.id}", _complaint_evidence(complaint))
        for complaint in case.complaints
        if complaint.founded is True and complaint.status != "resolved"
    ]


def _follow_up_window_end(complaint: Complaint) -> date | None:
    """The last day of the complaint's follow-up window; None while it is open."""
    if complaint.closed_on is None:
        return None
    return complaint.closed_on + timedelta(days=complaint.follow_up_days)


def _within_window(day: date, complaint: Complaint) -> bool:
    """On or after the day the complaint was received, and while it is open or within its
    follow-up window."""
    window_ends = _follow_up_window_end(complaint)
    return complaint.received_on <= day and (window_ends is None or day <= window_ends)


def _departed_early(case: CaseFacts, complaint: Complaint) -> Finding | None:
    left = case.milestones.departed_early
    if left is None or not _within_window(left, complaint):
        return None
    # No `signal` key here: it would change the fingerprint of the flags raised before the
    # other signals existed, and reopen the ones staff dismissed.
    evidence: Evidence = {
        **_complaint_evidence(complaint),
        "departed_early_on": left.isoformat(),
        "follow_up_window_ends": _iso(_follow_up_window_end(complaint)),
    }
    return _finding("POSSIBLE_RETALIATION", f"complaint:{complaint.id}", evidence)


def _moved_off_crew(case: CaseFacts, complaint: Complaint, as_of: date) -> Finding | None:
    """The first move off a crew in the complaint's window that has taken effect by `as_of`."""
    history = case.hire.crew_history if case.hire else ()
    for previous, assignment in pairwise(history):
        moved_on = assignment.from_date
        if (
            previous.crew is None
            or assignment.crew == previous.crew
            or moved_on > as_of
            or not _within_window(moved_on, complaint)
        ):
            continue
        evidence: Evidence = {
            **_complaint_evidence(complaint),
            "signal": "moved_off_crew",
            "from_crew": previous.crew,
            "to_crew": assignment.crew,
            "from_supervisor": previous.supervisor,
            "to_supervisor": assignment.supervisor,
            "moved_on": moved_on.isoformat(),
            "follow_up_window_ends": _iso(_follow_up_window_end(complaint)),
        }
        return _finding(
            "POSSIBLE_RETALIATION", f"complaint:{complaint.id}:moved_off_crew", evidence
        )
    return None


def _not_rehired(case: CaseFacts, complaint: Complaint) -> Finding | None:
    if case.hire is None or case.season is None:
        return None
    seasons = {season.year: season for season in case.grower_seasons}
    this, following = seasons.get(case.season), seasons.get(case.season + 1)
    if this is None or following is None or complaint.received_on >= following.first_start:
        return None
    worker = case.worker.id
    if worker in following.worker_ids:
        return None
    others = this.worker_ids - {worker}
    rehired = others & following.worker_ids
    if not rehired:
        return None
    evidence: Evidence = {
        **_complaint_evidence(complaint),
        "signal": "not_rehired",
        "season": case.season,
        "next_season": following.year,
        "season_workers": len(others),
        "rehired_workers": len(rehired),
    }
    return _finding("POSSIBLE_RETALIATION", f"complaint:{complaint.id}:not_rehired", evidence)


def possible_retaliation(case: CaseFacts, as_of: date, reference: Reference) -> list[Finding]:
    """After a complaint about the grower, the worker left early, was moved off a crew, or was
    not hired again: a finding for staff to examine, one per complaint and signal. Complaints
    closed as unfounded don't count; an anonymous complaint names no case, so it never reaches
    one.

    - Left early (subject `complaint:<id>`): the `departed_early` date is on or after the day
      the complaint was received, while it is open or within its follow-up window
      (`follow_up_days` after it closed).
    - Moved off a crew (`complaint:<id>:moved_off_crew`): a crew assignment that takes the
      worker from a crew to another one (or to none) takes effect in that same window, on or
      before `as_of`. The first such move is the evidence. Assigning a crew to a worker who had
      none is not a move; nor is a change of supervisor alone.
    - Not re-hired (`complaint:<id>:not_rehired`): the case was hired in its season (the year
      its job order's work starts); the grower has hires in the next season, the first of them
      starting after the complaint was received; among them is at least one other worker the
      grower hired in the case's season, but not this worker. No follow-up window: the next
      season comes months later. A worker who left early is judged like any other.

    Source: program rule (WSR agreement): no retaliation against a worker who complains;
    29 USC 1855 and 20 CFR 655.135(h) (no discrimination for filing a complaint).
    """
    findings = []
    for complaint in case.complaints:
        if complaint.status == "closed_unfounded":
            continue
        for finding in (
            _departed_early(case, complaint),
            _moved_off_crew(case, complaint, as_of),
            _not_rehired(case, complaint),
        ):
            if finding is not None:
                findings.append(finding)
    return findings


RULES: Mapping[FlagCode, Rule] = {
    "RECRUITMENT_FEE_CHARGED": recruitment_fee_charged,
    "WORKER_BORE_RELATED_COST": worker_bore_related_cost,
    "REIMBURSEMENT_OVERDUE": reimbursement_overdue,
    "NON_SNE_CHANNEL": non_sne_channel,
    "SNE_CHANNEL_UNVERIFIED": sne_channel_unverified,
    "NOT_DIRECT_HIRE": not_direct_hire,
    "SUBCONTRACTING_LAYERS": subcontracting_layers,
    "UNVERIFIED_LABOR_CONTRACTOR": unverified_labor_contractor,
    "CONTRACTOR_REGISTRATION_EXPIRED": contractor_registration_expired,
    "CONTRACTOR_ACTIVITY_NOT_AUTHORIZED": contractor_activity_not_authorized,
    "RECRUITER_AGREEMENT_LACKS_FEE_BAN": recruiter_agreement_lacks_fee_ban,
    "CONTRACT_NOT_DISCLOSED_BEFORE_VISA": contract_not_disclosed_before_visa,
    "CONTRACT_LANGUAGE_MISMATCH": contract_language_mismatch,
    "TERMS_INCOMPLETE": terms_incomplete,
    "WAGE_BELOW_FLOOR": wage_below_floor,
    "DUPLICATE_IDENTITY": duplicate_identity,
    "CONTRACT_DUE_BEFORE_VISA": contract_due_before_visa,
    "WAGE_FLOOR_UNKNOWN": wage_floor_unknown,
    "WAGE_NOT_IN_USD": wage_not_in_usd,
    "UNLAWFUL_DEDUCTION": unlawful_deduction,
    "MEAL_CHARGE_MAXIMUM_UNKNOWN": meal_charge_maximum_unknown,
    "FOUNDED_COMPLAINT": founded_complaint,
    "POSSIBLE_RETALIATION": possible_retaliation,
    "JOB_ORDER_NOT_CERTIFIED": job_order_not_certified,
    "DEBARRED_PARTY": debarred_party,
    "POSSIBLE_DEBARRED_PARTY": possible_debarred_party,
}


def _check_unique_subjects(findings: Iterable[Finding]) -> None:
    seen: set[tuple[str, str]] = set()
    for finding in findings:
        if finding.key in seen:
            raise ValueError(
                f"two {finding.code} findings about {finding.subject}: the chain must list each "
                "intermediary once"
            )
        seen.add(finding.key)


# The rules that read nothing of a case but its job order's terms: a batch of cases judges each
# job order version once with them, not once per case.
JOB_ORDER_RULES: frozenset[FlagCode] = frozenset(
    {
        "TERMS_INCOMPLETE",
        "WAGE_BELOW_FLOOR",
        "WAGE_FLOOR_UNKNOWN",
        "WAGE_NOT_IN_USD",
        "UNLAWFUL_DEDUCTION",
        "MEAL_CHARGE_MAXIMUM_UNKNOWN",
    }
)
CASE_RULES = {code: rule for code, rule in RULES.items() if code not in JOB_ORDER_RULES}


def evaluate(case: CaseFacts, as_of: date, reference: Reference) -> tuple[Finding, ...]:
    """Every rule's findings for one case, judged on `as_of`, most serious first, then by code and
    subject."""
    [findings] = evaluate_all([case], as_of, reference)
    return findings


def evaluate_all(
    cases: Sequence[CaseFacts], as_of: date, reference: Reference
) -> list[tuple[Finding, ...]]:
    """`evaluate` of each case, with the job order rules judged once per job order version (and
    terms) among the cases; findings are immutable, so cases of one job order share them."""
    of_job_order: dict[tuple[int, UUID, int], list[Finding]] = {}
    evaluated = []
    for case in cases:
        job_order = case.job_order
        # The terms object itself is in the key: the batch holds it, so its id is not reused.
        key = (id(job_order.terms), job_order.id, job_order.version)
        if key not in of_job_order:
            of_job_order[key] = [
                finding.judged(as_of)
                for code in sorted(JOB_ORDER_RULES)
                for finding in RULES[code](case, as_of, reference)
            ]
        findings = [
            finding.judged(as_of)
            for rule in CASE_RULES.values()
            for finding in rule(case, as_of, reference)
        ]
        findings += of_job_order[key]
        _check_unique_subjects(findings)
        evaluated.append(tuple(sorted(findings, key=lambda finding: finding.sort_key)))
    return evaluated


def terms_findings(case: CaseFacts, as_of: date, reference: Reference) -> tuple[Finding, ...]:
    """The findings about the job order's terms themselves (subject `job_order:<id>`): what must
    be fixed, or knowingly overridden, before a contract states those terms to a worker."""
    subject = f"job_order:{case.job_order.id}"
    return tuple(
        finding for finding in evaluate(case, as_of, reference) if finding.subject == subject
    )
