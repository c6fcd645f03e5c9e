"""What the wage floor rule can't decide on its own: a floor with no loaded rate, and a wage in
another currency than the one it is owed in."""

from datetime import date
from typing import TYPE_CHECKING

from recruitment.domain.terms import Money
from recruitment.verification.catalogue import catalogue
from recruitment.verification.facts import CaseFacts
from recruitment.verification.findings import Evidence, Finding, FlagCode, JsonValue
from recruitment.verification.wage_floor import (
    FEDERAL_MINIMUM_WAGE_CENTS,
    FEDERAL_MINIMUM_WAGE_SOURCE,
)

if TYPE_CHECKING:
    from recruitment.verification.rules import Reference

WAGE_FLOOR_UNKNOWN_SOURCE = "20 CFR 655.120(a)-(b), 655.122(l)"


def _finding(code: FlagCode, case: CaseFacts, evidence: Evidence) -> Finding:
    entry = catalogue()[code]
    return Finding(code, entry.severity, f"job_order:{case.job_order.id}", evidence, entry.source)


def wage_floor_unknown(case: CaseFacts, as_of: date, reference: "Reference") -> list[Finding]:
    """No AEWR is loaded for the first worksite's state (and the job's SOC occupation, where the
    table has it) on the period start, so the true floor of 20 CFR 655.120(a) is unknown: the
    wage was judged against the federal minimum alone. Staff load the published rates."""
    terms = case.job_order.terms
    state, on_date = terms.worksite_state, terms.period_start
    if state is None or on_date is None:
        return []  # TERMS_INCOMPLETE names what is missing
    if reference.wage_floors.lookup(state, on_date, terms.soc_code) is not None:
        return []
    evidence: Evidence = {
        "job_order_id": str(case.job_order.id),
        "job_order_version": case.job_order.version,
        "state": state,
        "soc_code": terms.soc_code,
        "on_date": on_date.isoformat(),
        "note": f"no AEWR is loaded for {state} on {on_date.isoformat()}: the wage was compared "
        "with the federal minimum only",
        "federal_minimum": {
            "hourly_cents": FEDERAL_MINIMUM_WAGE_CENTS,
            "source": FEDERAL_MINIMUM_WAGE_SOURCE,
        },
        "source": WAGE_FLOOR_UNKNOWN_SOURCE,
    }
    return [_finding("WAGE_FLOOR_UNKNOWN", case, evidence)]


def _money(money: Money) -> Evidence:
    return {"amount": money.amount, "currency": money.currency}


def wage_not_in_usd(case: CaseFacts, as_of: date, reference: "Reference") -> list[Finding]:
    """The wage offer, a piece rate or an activity wage is stated in another currency than US
    dollars: an H-2A wage is owed in dollars, at least the hourly floor (20 CFR 655.120(a),
    655.122(l); 29 CFR 531.27(a)), and a wage in another currency can't be held against it."""
    terms = case.job_order.terms
    offers: list[JsonValue] = []
    if terms.wage_offer is not None and terms.wage_offer.currency != "USD":
        offers.append({"item": "wage_offer", "wage": _money(terms.wage_offer)})
    offers.extend(
        {
            "item": "piece_rates",
            "crop_or_activity": rate.crop_or_activity,
            "wage": _money(rate.rate),
        }
        for rate in terms.piece_rates
        if rate.rate.currency != "USD"
    )
    offers.extend(
        {
            "item": "activity_wages",
            "crop_or_activity": wage.crop_or_activity,
            "wage": _money(wage.rate),
        }
        for wage in terms.activity_wages
        if wage.rate.currency != "USD"
    )
    if not offers:
        return []
    evidence: Evidence = {
        "job_order_id": str(case.job_order.id),
        "job_order_version": case.job_order.version,
        "offers": offers,
    }
    return [_finding("WAGE_NOT_IN_USD", case, evidence)]
