"""Properties over generated cases: evaluation is deterministic, its order is stable, its evidence
changes with the date only when money moves or the half-of-period deadline passes, no payment
counts before its date, the debts the flags report are the balances the ledger reads, and
reconciliation reaches a fixed point."""

import copy
import random
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import FEE_CATEGORIES
from recruitment.verification import (
    ExistingFlag,
    cost_balances,
    evaluate,
    evaluate_all,
    fingerprint_of,
    half_of_period,
    packaged_reference,
    reconcile,
)
from recruitment.verification.facts import (
    CaseFacts,
    ChainLink,
    Cost,
    Hire,
    Intermediary,
    Milestones,
    Reimbursement,
    Worker,
)

from .factories import GROWER_ID, HIRE_ID, WORKER_ID, clean_case, clean_terms, contract, uid
from .test_reconcile import apply

REFERENCE = packaged_reference()
DAYS = st.dates(min_value=date(2024, 10, 1), max_value=date(2026, 6, 30))
OPTIONAL_DAYS = st.none() | DAYS


@st.composite
def chains(draw: st.DrawFn) -> tuple[ChainLink, ...]:
    numbers = draw(st.lists(st.integers(50, 59), unique=True, max_size=3))
    links = []
    for position, number in enumerate(numbers):
        intermediary = Intermediary(
            id=uid(number),
            kind=draw(
                st.sampled_from(
                    [
                        "sne_office",
                        "farm_labor_contractor",
                        "h2a_labor_contractor",
                        "foreign_recruiter",
                        "agent",
                    ]
                )
            ),
            name=f"Intermediary {number}",
            verification=draw(st.sampled_from(["unverified", "verified", "rejected", "expired"])),
            certificate_number=draw(st.none() | st.just(f"C-{number}")),
            certificate_valid_from=draw(OPTIONAL_DAYS),
            certificate_valid_until=draw(OPTIONAL_DAYS),
            authorized_to_house=draw(st.booleans()),
            authorized_to_transport=draw(st.booleans()),
        )
        engaged_by_intermediary = position > 0 and draw(st.booleans())
        links.append(
            ChainLink(
                intermediary=intermediary,
                engaged_by="intermediary" if engaged_by_intermediary else "grower",
                engaged_by_intermediary_id=uid(numbers[position - 1])
                if engaged_by_intermediary
                else None,
                written_fee_ban=draw(st.booleans()),
                acted_on=draw(OPTIONAL_DAYS),
                houses_workers=draw(st.booleans()),
                transports_workers=draw(st.booleans()),
                drives_workers=draw(st.booleans()),
            )
        )
    return tuple(links)


@st.composite
def cases(draw: st.DrawFn) -> CaseFacts:
    cost_numbers = draw(st.lists(st.integers(10, 19), unique=True, max_size=3))
    costs = tuple(
        Cost(
            id=uid(number),
            category=draw(
                st.sampled_from(
                    [
                        "recruitment_fee",
                        "illegitimate_cost",
                        "medical",
                        "travel_and_lodging",
                        "administrative",
                    ]
                )
            ),
            purpose=draw(
                st.sampled_from(
                    ["visa", "inbound_travel", "inbound_subsistence", "outbound_travel", "other"]
                )
            ),
            amount=draw(st.integers(1, 500_000)),
            currency=draw(st.sampled_from(["USD", "MXN"])),
            paid_on=draw(DAYS),
            payee_kind="other",
            payee_intermediary_id=None,
            payee_name=None,
            reported_by="worker",
        )
        for number in cost_numbers
    )
    reimbursements = tuple(
        Reimbursement(
            id=uid(20 + index),
            amount=draw(st.integers(1, 500_000)),
            currency=draw(st.sampled_from(["USD", "MXN"])),
            paid_on=draw(DAYS),
            cost_ids=tuple(draw(st.permutations([uid(n) for n in cost_numbers]))),
        )
        for index in range(draw(st.integers(0, 2)))
    )
    contracts = tuple(
        contract(
            draw(st.sampled_from(["es", "ht", "en"])),
            draw(OPTIONAL_DAYS),
            number=70 + index,
            superseded=draw(st.booleans()),
        )
        for index in range(draw(st.integers(0, 2)))
    )
    hire_by_grower = draw(st.booleans())
    terms = clean_terms(
        wage_offer=Money(amount=draw(st.integers(500, 2500)), currency="USD"),
        wage_unit=draw(st.sampled_from(["hour", "week", "month", "piece"])),
        hours_per_week=draw(st.none() | st.sampled_from([35, 37.5, 40])),
        complaint_line=draw(st.none() | st.just("1-800-555-0100")),
    )
    start = draw(st.sampled_from([date(2025, 4, 1), date(2026, 4, 1)]))
    terms = terms.model_copy(
        update={"period_start": start, "period_end": start + timedelta(days=182)}
    )
    return replace(
        clean_case(),
        worker=Worker(
            WORKER_ID,
            draw(st.sampled_from(["es", "ht", "en"])),
            "MX",
            tuple(uid(n) for n in draw(st.lists(st.integers(80, 89), max_size=2))),
        ),
        job_order=replace(clean_case().job_order, terms=terms),
        channel=draw(st.sampled_from(["sne", "private_recruiter", "grower_direct", "other"])),
        channel_verification=draw(
            st.sampled_from(["unverified", "verified", "rejected", "expired"])
        ),
        chain=draw(chains()),
        milestones=Milestones(
            recruited=draw(OPTIONAL_DAYS),
            visa_applied=draw(OPTIONAL_DAYS),
            arrived=draw(OPTIONAL_DAYS),
        ),
        costs=costs,
        reimbursements=reimbursements,
        contracts=contracts,
        hire=Hire(
            HIRE_ID,
            "grower",
            GROWER_ID,
            "grower",
            GROWER_ID if hire_by_grower else uid(99),
            draw(DAYS),
        ),
    )


@settings(max_examples=200)
@given(cases(), DAYS)
def test_evaluation_is_deterministic(case: CaseFacts, as_of: date) -> None:
    assert evaluate(case, as_of, REFERENCE) == evaluate(copy.deepcopy(case), as_of, REFERENCE)


@given(st.lists(cases(), min_size=1, max_size=5), DAYS, st.randoms(use_true_random=False))
def test_a_batch_judges_each_job_order_once_and_finds_what_each_case_alone_would(
    drawn: list[CaseFacts], as_of: date, rnd: random.Random
) -> None:
    # Cases of one job order share its facts, as a loaded batch does; the drawn cases also share
    # a job order id and version with different terms, which must not be confused.
    batch = [
        replace(case, job_order=drawn[0].job_order) if rnd.random() < 0.5 else case
        for case in drawn
    ]
    alone = [evaluate(copy.deepcopy(case), as_of, REFERENCE) for case in batch]
    assert evaluate_all(batch, as_of, REFERENCE) == alone


@settings(max_examples=200)
@given(cases(), DAYS, st.randoms(use_true_random=False))
def test_findings_order_does_not_depend_on_the_order_of_the_facts(
    case: CaseFacts, as_of: date, rnd: random.Random
) -> None:
    shuffled = replace(
        case,
        costs=tuple(rnd.sample(case.costs, len(case.costs))),
        reimbursements=tuple(rnd.sample(case.reimbursements, len(case.reimbursements))),
        contracts=tuple(rnd.sample(case.contracts, len(case.contracts))),
        chain=tuple(rnd.sample(case.chain, len(case.chain))),
    )
    findings = evaluate(case, as_of, REFERENCE)
    assert evaluate(shuffled, as_of, REFERENCE) == findings
    assert [f.sort_key for f in findings] == sorted(f.sort_key for f in findings)


def _moments(case: CaseFacts) -> set[date]:
    """The days on which a case's evidence may change: money moving, and the half of the period
    (when inbound travel overdue in week one becomes overdue in full)."""
    terms = case.job_order.terms
    moments = {cost.paid_on for cost in case.costs}
    moments |= {reimbursement.paid_on for reimbursement in case.reimbursements}
    if terms.period_start and terms.period_end:
        moments.add(half_of_period(terms.period_start, terms.period_end))
    return moments


@settings(max_examples=200)
@given(cases(), DAYS, DAYS)
def test_evidence_changes_with_the_date_only_when_money_moves_or_the_half_passes(
    case: CaseFacts, first: date, second: date
) -> None:
    first, second = sorted((first, second))
    on_first = {f.key: f.fingerprint for f in evaluate(case, first, REFERENCE)}
    on_second = {f.key: f.fingerprint for f in evaluate(case, second, REFERENCE)}
    if any(first < moment <= second for moment in _moments(case)):
        return
    assert {key: on_first[key] for key in on_first.keys() & on_second.keys()} == {
        key: on_second[key] for key in on_first.keys() & on_second.keys()
    }


@settings(max_examples=200)
@given(cases(), DAYS)
def test_evidence_names_the_date_judged_and_the_source_outside_the_fingerprint(
    case: CaseFacts, as_of: date
) -> None:
    for finding in evaluate(case, as_of, REFERENCE):
        assert finding.evidence["as_of"] == as_of.isoformat()
        assert finding.evidence["source"] == finding.source
        facts = {k: v for k, v in finding.evidence.items() if k not in ("as_of", "source")}
        assert finding.fingerprint == fingerprint_of(finding.code, finding.subject, facts)


@settings(max_examples=200)
@given(cases(), DAYS)
def test_no_payment_counts_before_its_date(case: CaseFacts, as_of: date) -> None:
    happened = replace(
        case,
        costs=tuple(c for c in case.costs if c.paid_on <= as_of),
        reimbursements=tuple(r for r in case.reimbursements if r.paid_on <= as_of),
    )
    assert cost_balances(case, as_of) == cost_balances(happened, as_of)
    assert evaluate(case, as_of, REFERENCE) == evaluate(happened, as_of, REFERENCE)
    paid_on = {r.id: r.paid_on for r in case.reimbursements}
    for balance in cost_balances(case, as_of):
        assert balance.cost.paid_on <= as_of
        assert all(paid_on[UUID(r)] <= as_of for r in balance.reimbursement_ids)


@settings(max_examples=200)
@given(cases(), DAYS)
def test_the_flags_report_exactly_the_debts_the_balances_hold(case: CaseFacts, as_of: date) -> None:
    balances = cost_balances(case, as_of)
    findings = evaluate(case, as_of, REFERENCE)
    borne = {
        f.subject: f.evidence["outstanding"]
        for f in findings
        if f.code == "WORKER_BORE_RELATED_COST"
    }
    owed = {
        f"cost:{b.cost.id}": b.outstanding
        for b in balances
        if b.outstanding > 0 and b.cost.category not in FEE_CATEGORIES
    }
    assert borne == owed
    overdue = {f.subject for f in findings if f.code == "REIMBURSEMENT_OVERDUE"}
    assert overdue <= {f"cost:{b.cost.id}" for b in balances if b.outstanding > 0}
    for currency in {b.cost.currency for b in balances}:
        applied = sum(b.reimbursed for b in balances if b.cost.currency == currency)
        paid_back = sum(
            r.amount for r in case.reimbursements if r.currency == currency and r.paid_on <= as_of
        )
        assert 0 <= applied <= paid_back
    assert all(0 <= b.reimbursed <= b.cost.amount for b in balances)


@settings(max_examples=100)
@given(cases(), DAYS)
def test_re_evaluating_the_same_facts_on_the_same_date_changes_no_flag(
    case: CaseFacts, as_of: date
) -> None:
    findings = evaluate(case, as_of, REFERENCE)
    flags = [
        ExistingFlag(uid(600 + index), f.code, f.subject, "open", f.fingerprint)
        for index, f in enumerate(findings)
    ]
    assert reconcile(flags, evaluate(copy.deepcopy(case), as_of, REFERENCE)).is_empty


@settings(max_examples=200)
@given(
    cases(),
    cases(),
    DAYS,
    st.lists(
        st.sampled_from(["open", "acknowledged", "resolved", "dismissed"]), min_size=30, max_size=30
    ),
)
def test_reconciliation_reaches_a_fixed_point(
    before: CaseFacts, after: CaseFacts, as_of: date, statuses: list[str]
) -> None:
    flags = [
        ExistingFlag(uid(500 + index), f.code, f.subject, statuses[index], f.fingerprint)  # type: ignore[arg-type]
        for index, f in enumerate(evaluate(before, as_of, REFERENCE)[:30])
    ]
    findings = evaluate(after, as_of, REFERENCE)
    applied = apply(flags, reconcile(flags, findings))
    assert reconcile(applied, findings).is_empty
    live = {(f.code, f.subject) for f in applied if f.status in ("open", "acknowledged")}
    assert {f.key for f in findings} <= live | {
        (f.code, f.subject) for f in applied if f.status == "dismissed"
    }
