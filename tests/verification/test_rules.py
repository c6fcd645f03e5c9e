from dataclasses import replace
from datetime import date, timedelta

import pytest

from recruitment.domain.terms import Housing, Money, PieceRate, Travel
from recruitment.verification import Finding, evaluate, packaged_reference
from recruitment.verification.facts import CaseFacts, Hire, Worker
from recruitment.verification.rules import (
    contract_due_before_visa,
    contract_language_mismatch,
    contract_not_disclosed_before_visa,
    contractor_activity_not_authorized,
    contractor_registration_expired,
    cost_balances,
    duplicate_identity,
    non_sne_channel,
    not_direct_hire,
    recruiter_agreement_lacks_fee_ban,
    recruitment_fee_charged,
    reimbursement_overdue,
    sne_channel_unverified,
    subcontracting_layers,
    terms_incomplete,
    unverified_labor_contractor,
    wage_below_floor,
    worker_bore_related_cost,
)

from .factories import (
    ARRIVED,
    AS_OF,
    GROWER_ID,
    HIRE_ID,
    PERIOD_END,
    RECRUITED,
    VISA_APPLIED,
    WORKER_ID,
    clean_case,
    contract,
    cost,
    evidence,
    intermediary,
    link,
    registry_record,
    reimbursement,
    uid,
    with_milestones,
    with_terms,
)

REFERENCE = packaged_reference()


def codes(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def test_clean_case_has_no_findings() -> None:
    assert evaluate(clean_case(), AS_OF, REFERENCE) == ()


def test_clean_case_stays_clean_long_after_the_season() -> None:
    assert evaluate(clean_case(), date(2030, 1, 1), REFERENCE) == ()


# --- Fees and costs ------------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["recruitment_fee", "illegitimate_cost"])
def test_a_fee_is_critical_one_finding_per_cost(category: str) -> None:
    case = clean_case(costs=(cost(10, category=category), cost(11, category=category)))
    findings = recruitment_fee_charged(case, AS_OF, REFERENCE)
    assert [f.subject for f in findings] == [f"cost:{uid(10)}", f"cost:{uid(11)}"]
    assert {f.severity for f in findings} == {"critical"}
    assert "20 CFR 655.135(j)" in findings[0].source


def test_a_reimbursed_fee_is_still_a_fee() -> None:
    fee = cost(10, category="recruitment_fee", amount=200000, currency="MXN")
    case = clean_case(
        costs=(fee,), reimbursements=(reimbursement(20, 200000, fee.id, currency="MXN"),)
    )
    assert codes(recruitment_fee_charged(case, AS_OF, REFERENCE)) == ["RECRUITMENT_FEE_CHARGED"]


def test_a_related_cost_is_not_a_fee() -> None:
    case = clean_case(costs=(cost(10),))
    assert recruitment_fee_charged(case, AS_OF, REFERENCE) == []


def test_an_unreimbursed_related_cost_is_reported_with_what_is_owed() -> None:
    case = clean_case(
        costs=(cost(10, amount=18500),), reimbursements=(reimbursement(20, 5000, uid(10)),)
    )
    [finding] = worker_bore_related_cost(case, AS_OF, REFERENCE)
    assert finding.subject == f"cost:{uid(10)}"
    assert evidence(finding)["reimbursed"] == 5000
    assert evidence(finding)["outstanding"] == 13500


def test_a_fully_reimbursed_related_cost_is_not_reported() -> None:
    case = clean_case(costs=(cost(10),), reimbursements=(reimbursement(20, 18500, uid(10)),))
    assert worker_bore_related_cost(case, AS_OF, REFERENCE) == []


def test_a_fee_is_not_also_a_related_cost() -> None:
    case = clean_case(costs=(cost(10, category="recruitment_fee"),))
    assert worker_bore_related_cost(case, AS_OF, REFERENCE) == []


def test_a_reimbursement_in_another_currency_is_listed_not_counted() -> None:
    case = clean_case(
        costs=(cost(10, amount=18500, currency="USD"),),
        reimbursements=(reimbursement(20, 350000, uid(10), currency="MXN"),),
    )
    [finding] = worker_bore_related_cost(case, AS_OF, REFERENCE)
    assert evidence(finding)["outstanding"] == 18500
    assert evidence(finding)["other_currency_reimbursements"] == [
        {
            "reimbursement_id": str(uid(20)),
            "amount": 350000,
            "currency": "MXN",
            "paid_on": ARRIVED.isoformat(),
        }
    ]


def test_one_reimbursement_covers_the_costs_it_lists_oldest_first() -> None:
    case = clean_case(
        costs=(
            cost(10, amount=1000, paid_on=date(2025, 2, 12)),
            cost(11, amount=1000, paid_on=date(2025, 2, 11)),
            cost(12, amount=1000),
        ),
        reimbursements=(reimbursement(20, 1500, uid(10), uid(11)),),
    )
    balances = {balance.cost.id: balance.outstanding for balance in cost_balances(case, AS_OF)}
    assert balances == {uid(10): 500, uid(11): 0, uid(12): 1000}


def test_money_counts_from_the_day_it_is_paid() -> None:
    later = date(2025, 6, 1)
    case = clean_case(
        costs=(cost(10, amount=1000), cost(11, amount=700, paid_on=later)),
        reimbursements=(reimbursement(20, 1000, uid(10), paid_on=later),),
    )
    before = {b.cost.id: b.outstanding for b in cost_balances(case, later - timedelta(days=1))}
    on_the_day = {b.cost.id: b.outstanding for b in cost_balances(case, later)}
    assert before == {uid(10): 1000}
    assert on_the_day == {uid(10): 0, uid(11): 700}


def _overdue_on(case: CaseFacts, day: date) -> list[str]:
    return codes(reimbursement_overdue(case, day, REFERENCE))


def test_a_visa_cost_is_due_at_the_end_of_the_first_workweek_of_work() -> None:
    # Arrived Wednesday 2025-03-26, started work Tuesday 2025-04-01: the first workweek of work
    # ends on Sunday 2025-04-06, not on the Sunday after arrival.
    case = clean_case(costs=(cost(10, purpose="visa"),))
    assert _overdue_on(case, date(2025, 4, 6)) == []
    assert _overdue_on(case, date(2025, 4, 7)) == ["REIMBURSEMENT_OVERDUE"]
    [finding] = reimbursement_overdue(case, date(2025, 4, 7), REFERENCE)
    assert evidence(finding)["deadline"] == {
        "due_on": "2025-04-06",
        "basis": "first_workweek",
        "source": evidence(finding)["deadline"]["source"],
    }
    assert evidence(finding)["outstanding"] == 18500


def test_with_no_hire_the_first_workweek_counts_from_arrival() -> None:
    # Arrived Wednesday 2025-03-26: the first workweek ends on Sunday 2025-03-30.
    case = clean_case(costs=(cost(10, purpose="visa"),), hire=None)
    assert _overdue_on(case, date(2025, 3, 30)) == []
    assert _overdue_on(case, date(2025, 3, 31)) == ["REIMBURSEMENT_OVERDUE"]


def test_the_evidence_of_an_overdue_cost_does_not_change_with_the_date() -> None:
    case = clean_case(costs=(cost(10),))
    [early] = reimbursement_overdue(case, date(2025, 4, 7), REFERENCE)
    [late] = reimbursement_overdue(case, date(2025, 12, 1), REFERENCE)
    assert early.fingerprint == late.fingerprint


def test_inbound_travel_is_due_when_half_the_period_is_done() -> None:
    # 2025-04-01..2025-09-30 is 183 days: half is done during day 92, 2025-07-01.
    case = clean_case(costs=(cost(10, category="travel_and_lodging", purpose="inbound_travel"),))
    assert _overdue_on(case, date(2025, 7, 1)) == []
    assert _overdue_on(case, date(2025, 7, 2)) == ["REIMBURSEMENT_OVERDUE"]


def test_outbound_travel_is_due_at_the_end_of_the_period() -> None:
    case = clean_case(costs=(cost(10, category="travel_and_lodging", purpose="outbound_travel"),))
    assert _overdue_on(case, PERIOD_END) == []
    assert _overdue_on(case, PERIOD_END + timedelta(days=1)) == ["REIMBURSEMENT_OVERDUE"]


def test_without_arrival_a_first_workweek_cost_has_no_deadline_yet() -> None:
    case = replace(with_milestones(arrived=None, hired=None), hire=None, costs=(cost(10),))
    assert _overdue_on(case, date(2026, 1, 1)) == []


def test_a_recorded_hire_stands_in_for_a_missing_arrival() -> None:
    # Hired Tuesday 2025-04-01: the workweek ends Sunday 2025-04-06.
    case = replace(with_milestones(arrived=None), hire=None, costs=(cost(10),))
    assert _overdue_on(case, date(2025, 4, 6)) == []
    assert _overdue_on(case, date(2025, 4, 7)) == ["REIMBURSEMENT_OVERDUE"]


def test_a_fully_reimbursed_cost_is_never_overdue_even_if_paid_late() -> None:
    late = reimbursement(20, 18500, uid(10), paid_on=date(2025, 5, 1))
    case = clean_case(costs=(cost(10),), reimbursements=(late,))
    assert _overdue_on(case, AS_OF) == []


def test_a_partly_reimbursed_cost_is_overdue_for_the_rest() -> None:
    case = clean_case(costs=(cost(10),), reimbursements=(reimbursement(20, 10000, uid(10)),))
    [finding] = reimbursement_overdue(case, AS_OF, REFERENCE)
    assert evidence(finding)["outstanding"] == 8500


def test_an_unreimbursed_fee_is_overdue_after_the_first_workweek() -> None:
    case = clean_case(costs=(cost(10, category="recruitment_fee", purpose="other"),))
    assert _overdue_on(case, date(2025, 4, 6)) == []
    assert _overdue_on(case, date(2025, 4, 7)) == ["REIMBURSEMENT_OVERDUE"]


# --- Channel and hire ----------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["private_recruiter", "grower_direct", "other"])
def test_a_channel_other_than_sne_is_reported(channel: str) -> None:
    [finding] = non_sne_channel(clean_case(channel=channel), AS_OF, REFERENCE)
    assert finding.evidence == {"channel": channel}


def test_the_sne_channel_is_not_reported_as_non_sne() -> None:
    assert non_sne_channel(clean_case(), AS_OF, REFERENCE) == []


@pytest.mark.parametrize("status", ["unverified", "rejected", "expired"])
def test_an_sne_claim_not_verified_is_a_warning_with_the_list_conflicts(status: str) -> None:
    conflict = "SNE referral folio MICH-2025-000123 names employer 'Other Farms', not 'Grower'."
    case = clean_case(channel_verification=status, sne_referral_conflicts=(conflict,))
    [finding] = sne_channel_unverified(case, AS_OF, REFERENCE)
    assert finding.severity == "warning"
    assert evidence(finding)["referral_conflicts"] == [conflict]
    assert evidence(finding)["channel_verification"] == status


def test_an_unverified_channel_that_is_not_sne_is_not_an_sne_warning() -> None:
    case = clean_case(channel="private_recruiter", channel_verification="unverified")
    assert sne_channel_unverified(case, AS_OF, REFERENCE) == []


def test_a_hire_by_a_contractor_is_not_direct() -> None:
    contractor = uid(50)
    hire = Hire(HIRE_ID, "intermediary", contractor, "grower", GROWER_ID, ARRIVED)
    [finding] = not_direct_hire(clean_case(hire=hire), AS_OF, REFERENCE)
    assert finding.subject == f"hire:{HIRE_ID}"
    assert evidence(finding)["not_the_grower"] == ["employer_of_record"]


def test_wages_paid_by_another_grower_are_not_a_direct_hire() -> None:
    hire = Hire(HIRE_ID, "grower", GROWER_ID, "grower", uid(99), ARRIVED)
    [finding] = not_direct_hire(clean_case(hire=hire), AS_OF, REFERENCE)
    assert evidence(finding)["not_the_grower"] == ["wages_paid_by"]


def test_no_hire_yet_is_not_a_finding() -> None:
    assert not_direct_hire(clean_case(hire=None), AS_OF, REFERENCE) == []


# --- The chain -----------------------------------------------------------------------------------


def test_an_intermediary_engaged_by_another_is_a_layer() -> None:
    first, second = intermediary(50), intermediary(51)
    chain = (
        link(first),
        link(second, engaged_by="intermediary", engaged_by_intermediary_id=first.id),
    )
    [finding] = subcontracting_layers(clean_case(chain=chain), AS_OF, REFERENCE)
    assert finding.subject == f"intermediary:{second.id}"
    assert evidence(finding)["engaged_by_intermediary_name"] == first.name


def test_intermediaries_engaged_by_the_grower_are_not_layers() -> None:
    chain = (link(intermediary(50)), link(intermediary(51, kind="sne_office")))
    assert subcontracting_layers(clean_case(chain=chain), AS_OF, REFERENCE) == []


@pytest.mark.parametrize(
    "kind", ["farm_labor_contractor", "h2a_labor_contractor", "foreign_recruiter", "agent"]
)
def test_an_unverified_contractor_or_recruiter_is_reported(kind: str) -> None:
    chain = (link(intermediary(50, kind=kind, verification="unverified")),)
    assert codes(unverified_labor_contractor(clean_case(chain=chain), AS_OF, REFERENCE)) == [
        "UNVERIFIED_LABOR_CONTRACTOR"
    ]


def test_an_sne_office_needs_no_staff_verification_of_contractors() -> None:
    chain = (link(intermediary(50, kind="sne_office", verification="unverified")),)
    assert unverified_labor_contractor(clean_case(chain=chain), AS_OF, REFERENCE) == []


def test_a_verified_contractor_is_not_reported() -> None:
    chain = (link(intermediary(50)),)
    assert unverified_labor_contractor(clean_case(chain=chain), AS_OF, REFERENCE) == []


def _registration(case_chain_link: object) -> list[Finding]:
    return contractor_registration_expired(clean_case(chain=(case_chain_link,)), AS_OF, REFERENCE)


def test_a_certificate_is_valid_through_its_last_day() -> None:
    found = intermediary(50, certificate_valid_until=date(2025, 1, 10))
    assert _registration(link(found, acted_on=date(2025, 1, 10))) == []
    [finding] = _registration(link(found, acted_on=date(2025, 1, 11)))
    assert evidence(finding)["problem"] == "expired"
    assert evidence(finding)["acted_on"] == "2025-01-11"


def test_a_certificate_is_not_valid_before_it_starts() -> None:
    found = intermediary(50, certificate_valid_from=date(2025, 1, 11))
    assert _registration(link(found, acted_on=date(2025, 1, 11))) == []
    [finding] = _registration(link(found, acted_on=date(2025, 1, 10)))
    assert evidence(finding)["problem"] == "not_yet_valid"


def test_without_an_acted_on_date_the_recruitment_date_counts() -> None:
    found = intermediary(50, certificate_valid_until=RECRUITED - timedelta(days=1))
    [finding] = _registration(link(found))
    assert evidence(finding)["acted_on"] == RECRUITED.isoformat()


def test_no_certificate_at_all_counts_as_not_valid() -> None:
    found = intermediary(50, certificate_number=None, certificate_valid_until=None)
    [finding] = _registration(link(found))
    assert evidence(finding)["problem"] == "no_certificate"
    assert evidence(finding)["certificate"] is None


def test_the_registry_record_overrides_the_declared_certificate() -> None:
    expired = registry_record(valid_until=date(2024, 12, 31))
    found = intermediary(50, registry_record=expired)  # declared valid until 2026
    [finding] = _registration(link(found))
    assert evidence(finding)["problem"] == "expired"
    assert evidence(finding)["certificate"]["origin"] == "registry"


def test_recruiters_are_not_checked_for_dol_registration() -> None:
    found = intermediary(50, kind="foreign_recruiter", certificate_number=None)
    assert _registration(link(found)) == []


@pytest.mark.parametrize(
    ("activity", "performed", "authorization"),
    [
        ("housing", "houses_workers", "authorized_to_house"),
        ("transport", "transports_workers", "authorized_to_transport"),
        ("driving", "drives_workers", "authorized_to_drive"),
    ],
)
def test_an_activity_needs_its_own_authorization(
    activity: str, performed: str, authorization: str
) -> None:
    unauthorized = link(intermediary(50), **{performed: True})
    [finding] = contractor_activity_not_authorized(
        clean_case(chain=(unauthorized,)), AS_OF, REFERENCE
    )
    assert evidence(finding)["activities_not_authorized"] == [activity]
    authorized = link(
        intermediary(50, "farm_labor_contractor", **{authorization: True}), **{performed: True}
    )
    assert (
        contractor_activity_not_authorized(clean_case(chain=(authorized,)), AS_OF, REFERENCE) == []
    )


def test_the_registry_decides_authorizations_when_found() -> None:
    found = intermediary(50, authorized_to_transport=True, registry_record=registry_record())
    case = clean_case(chain=(link(found, transports_workers=True),))
    [finding] = contractor_activity_not_authorized(case, AS_OF, REFERENCE)
    assert evidence(finding)["activities_not_authorized"] == ["transport"]


def test_a_recruiter_without_written_fee_ban_is_reported_but_not_an_sne_office() -> None:
    chain = (
        link(intermediary(50, kind="foreign_recruiter"), written_fee_ban=False),
        link(intermediary(51, kind="sne_office"), written_fee_ban=False),
        link(intermediary(52), written_fee_ban=True),
    )
    findings = recruiter_agreement_lacks_fee_ban(clean_case(chain=chain), AS_OF, REFERENCE)
    assert [f.subject for f in findings] == [f"intermediary:{uid(50)}"]
    assert findings[0].source == "20 CFR 655.135(k)"


# --- Contracts -----------------------------------------------------------------------------------


def test_a_contract_delivered_on_the_visa_day_is_in_time() -> None:
    case = clean_case(contracts=(contract(delivered_on=VISA_APPLIED),))
    assert contract_not_disclosed_before_visa(case, AS_OF, REFERENCE) == []


def test_a_contract_delivered_the_day_after_the_visa_application_is_late() -> None:
    case = clean_case(contracts=(contract(delivered_on=VISA_APPLIED + timedelta(days=1)),))
    [finding] = contract_not_disclosed_before_visa(case, AS_OF, REFERENCE)
    assert evidence(finding)["first_delivery"] == "2025-02-04"


def test_no_contract_delivered_before_the_visa_is_reported() -> None:
    case = clean_case(contracts=(contract(delivered_on=None),))
    [finding] = contract_not_disclosed_before_visa(case, AS_OF, REFERENCE)
    assert finding.evidence == {
        "visa_applied": VISA_APPLIED.isoformat(),
        "first_delivery": None,
        "contracts_issued": 1,
    }


def test_no_visa_application_yet_means_no_disclosure_finding() -> None:
    case = replace(with_milestones(visa_applied=None), contracts=())
    assert contract_not_disclosed_before_visa(case, AS_OF, REFERENCE) == []


def test_a_superseded_contract_delivered_in_time_still_disclosed_the_terms() -> None:
    case = clean_case(
        contracts=(
            contract(number=70, superseded=True),
            contract(number=71, delivered_on=date(2025, 3, 1)),
        )
    )
    assert contract_not_disclosed_before_visa(case, AS_OF, REFERENCE) == []


def test_a_contract_only_in_another_language_is_a_mismatch() -> None:
    case = clean_case(contracts=(contract("en"),))
    [finding] = contract_language_mismatch(case, AS_OF, REFERENCE)
    assert evidence(finding)["preferred_language"] == "es"
    assert evidence(finding)["delivered_languages"] == ["en"]


def test_one_contract_in_the_workers_language_is_enough() -> None:
    case = clean_case(contracts=(contract("en", number=70), contract("es", number=71)))
    assert contract_language_mismatch(case, AS_OF, REFERENCE) == []


def test_an_undelivered_contract_in_the_workers_language_does_not_count() -> None:
    case = clean_case(contracts=(contract("en", number=70), contract("es", None, number=71)))
    assert codes(contract_language_mismatch(case, AS_OF, REFERENCE)) == [
        "CONTRACT_LANGUAGE_MISMATCH"
    ]


def test_the_contract_in_force_decides_the_language() -> None:
    case = clean_case(
        contracts=(contract("es", number=70, superseded=True), contract("en", number=71))
    )
    assert codes(contract_language_mismatch(case, AS_OF, REFERENCE)) == [
        "CONTRACT_LANGUAGE_MISMATCH"
    ]


def test_a_haitian_worker_needs_a_creole_contract() -> None:
    case = clean_case(worker=Worker(WORKER_ID, "ht", "HT"), contracts=(contract("es"),))
    assert codes(contract_language_mismatch(case, AS_OF, REFERENCE)) == [
        "CONTRACT_LANGUAGE_MISMATCH"
    ]


def test_no_delivered_contract_is_not_a_language_mismatch() -> None:
    case = clean_case(contracts=(contract("en", None),))
    assert contract_language_mismatch(case, AS_OF, REFERENCE) == []


# --- Terms ---------------------------------------------------------------------------------------


def _problems(case: CaseFacts) -> list[tuple[str, str, str]]:
    findings = terms_incomplete(case, AS_OF, REFERENCE)
    if not findings:
        return []
    problems = evidence(findings[0])["problems"]
    return [(p["item"], p["problem"], p["source"]) for p in problems]


@pytest.mark.parametrize(
    ("field", "item", "source"),
    [
        ("job_title", "job_title", "20 CFR 655.122(q); 20 CFR 653.501(c)"),
        ("duties", "duties", "20 CFR 655.122(q); 20 CFR 653.501(c)"),
        ("period_start", "period", "20 CFR 655.122(i)(1)"),
        ("period_end", "period", "20 CFR 655.122(i)(1)"),
        ("hours_per_week", "hours_per_week", "20 CFR 655.122(i)(1)"),
        ("wage_offer", "wage_offer", "20 CFR 655.122(l)"),
        ("wage_unit", "wage_unit", "20 CFR 655.122(l)"),
        ("pay_frequency", "pay_frequency", "20 CFR 655.122(m)"),
        ("housing", "housing", "20 CFR 655.122(d)(1)"),
        ("workers_compensation", "workers_compensation", "20 CFR 655.122(e)"),
        ("tools_at_no_cost", "tools", "20 CFR 655.122(f)"),
        ("meals", "meals", "20 CFR 655.122(g)"),
        ("daily_transportation", "daily_transportation", "20 CFR 655.122(h)(3)"),
    ],
)
def test_each_missing_item_is_listed_with_its_paragraph(field: str, item: str, source: str) -> None:
    assert _problems(with_terms(**{field: None})) == [(item, "missing", source)]


def test_missing_travel_lists_both_directions() -> None:
    assert _problems(with_terms(travel=None)) == [
        ("inbound_travel", "missing", "20 CFR 655.122(h)(1)"),
        ("outbound_travel", "missing", "20 CFR 655.122(h)(2)"),
    ]


def test_missing_worksites_and_complaint_line_are_listed() -> None:
    items = [item for item, _, _ in _problems(with_terms(worksites=[], complaint_line=None))]
    assert items == ["worksites", "complaint_line"]


def test_housing_tools_and_travel_charged_to_the_worker_are_problems() -> None:
    housing = Housing(
        type="rented",
        address="2 Motel Rd",
        city="Immokalee",
        state="FL",
        postal_code="34142",
        capacity=10,
        at_no_cost=False,
    )
    case = with_terms(
        housing=housing,
        tools_at_no_cost=False,
        travel=Travel(inbound_paid_or_reimbursed=False),
    )
    assert [(item, problem) for item, problem, _ in _problems(case)] == [
        ("housing", "charged_to_worker"),
        ("tools", "charged_to_worker"),
        ("inbound_travel", "charged_to_worker"),
    ]


def test_housing_without_city_or_zip_hours_per_day_and_employer_phone_are_problems() -> None:
    housing = Housing(type="rented", address="2 Motel Rd", state="FL", capacity=10)
    case = with_terms(housing=housing, hours_per_day=None, employer_phone=None)
    assert [(item, problem) for item, problem, _ in _problems(case)] == [
        ("hours_per_day", "missing"),
        ("housing_address", "incomplete_address"),
        ("employer_phone", "missing"),
    ]


def test_a_piece_rate_offer_must_list_its_rates() -> None:
    assert _problems(with_terms(wage_unit="piece")) == [
        ("piece_rates", "missing", "20 CFR 655.122(l)")
    ]
    rate = PieceRate(
        crop_or_activity="tomatoes", unit="bucket (32 lb)", rate=Money(amount=65, currency="USD")
    )
    assert _problems(with_terms(wage_unit="piece", piece_rates=[rate])) == []


def test_empty_deductions_are_allowed() -> None:
    assert _problems(with_terms(deductions=[])) == []


# --- Wage floor ----------------------------------------------------------------------------------


def test_an_hourly_offer_under_the_aewr_is_reported_with_its_basis() -> None:
    # FL 2025 AEWR: 16.23, in force from 2024-12-30.
    case = with_terms(wage_offer=Money(amount=1622, currency="USD"))
    [finding] = wage_below_floor(case, AS_OF, REFERENCE)
    assert evidence(finding)["floor_cents"] == 1623
    assert evidence(finding)["offer_hourly_cents"] == 1622
    assert evidence(finding)["aewr"]["year"] == 2025
    assert evidence(finding)["aewr"]["effective_from"] == "2024-12-30"
    assert evidence(finding)["federal_minimum"]["hourly_cents"] == 725


def test_an_offer_equal_to_the_aewr_is_enough() -> None:
    case = with_terms(wage_offer=Money(amount=1623, currency="USD"))
    assert wage_below_floor(case, AS_OF, REFERENCE) == []


def test_a_weekly_offer_is_compared_per_hour() -> None:
    # 649.20 / 40 h = 16.23 exactly; one cent less a week is under the floor.
    assert (
        wage_below_floor(
            with_terms(wage_offer=Money(amount=64920, currency="USD"), wage_unit="week"),
            AS_OF,
            REFERENCE,
        )
        == []
    )
    assert codes(
        wage_below_floor(
            with_terms(wage_offer=Money(amount=64919, currency="USD"), wage_unit="week"),
            AS_OF,
            REFERENCE,
        )
    ) == ["WAGE_BELOW_FLOOR"]


def test_no_published_rate_raises_nothing_above_the_federal_minimum() -> None:
    case = with_terms(
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        wage_offer=Money(amount=800, currency="USD"),
    )
    assert wage_below_floor(case, AS_OF, REFERENCE) == []


def test_under_the_federal_minimum_is_reported_even_without_an_aewr() -> None:
    case = with_terms(
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        wage_offer=Money(amount=700, currency="USD"),
    )
    [finding] = wage_below_floor(case, AS_OF, REFERENCE)
    assert evidence(finding)["aewr"] is None
    assert evidence(finding)["floor_cents"] == 725


def test_a_piece_rate_offer_is_not_compared() -> None:
    rate = PieceRate(
        crop_or_activity="tomatoes", unit="bucket", rate=Money(amount=1, currency="USD")
    )
    case = with_terms(
        wage_offer=Money(amount=1, currency="USD"), wage_unit="piece", piece_rates=[rate]
    )
    assert wage_below_floor(case, AS_OF, REFERENCE) == []


def test_a_shared_identity_is_a_warning_listing_the_other_workers() -> None:
    worker = Worker(WORKER_ID, "es", "MX", workers_sharing_identity=(uid(9), uid(8), uid(9)))
    [finding] = duplicate_identity(clean_case(worker=worker), AS_OF, REFERENCE)
    assert finding.severity == "warning"
    assert evidence(finding)["workers_sharing_identity"] == [str(uid(8)), str(uid(9))]


def test_a_unique_identity_is_not_reported() -> None:
    assert duplicate_identity(clean_case(), AS_OF, REFERENCE) == []


# --- Whole cases ---------------------------------------------------------------------------------


def test_fee_paid_to_a_recruiter_under_layers_of_unregistered_contractors() -> None:
    """2,000 MXN paid to a recruiter engaged by an unregistered contractor, itself engaged by
    another contractor for the grower; no written fee ban anywhere; no contract; visa applied."""
    prime = intermediary(50, registry_record=registry_record("C-04-000050-A-25-R"))
    unregistered = intermediary(
        51, verification="unverified", certificate_number=None, certificate_valid_until=None
    )
    recruiter = intermediary(52, kind="foreign_recruiter", verification="unverified")
    chain = (
        link(prime, written_fee_ban=False),
        link(
            unregistered,
            engaged_by="intermediary",
            engaged_by_intermediary_id=prime.id,
            written_fee_ban=False,
        ),
        link(
            recruiter,
            engaged_by="intermediary",
            engaged_by_intermediary_id=unregistered.id,
            written_fee_ban=False,
        ),
    )
    fee = cost(
        10,
        category="recruitment_fee",
        purpose="other",
        amount=200000,
        currency="MXN",
        payee_kind="intermediary",
        payee_intermediary_id=recruiter.id,
        payee_name=recruiter.name,
    )
    case = replace(
        with_milestones(contract_disclosed=None, visa_issued=None, arrived=None, hired=None),
        channel="private_recruiter",
        channel_verification="unverified",
        sne_folio=None,
        sne_office_id=None,
        chain=chain,
        costs=(fee,),
        contracts=(),
        hire=None,
    )
    findings = evaluate(case, AS_OF, REFERENCE)
    assert {(f.code, f.subject) for f in findings} == {
        ("RECRUITMENT_FEE_CHARGED", f"cost:{fee.id}"),
        ("NON_SNE_CHANNEL", "case"),
        ("SUBCONTRACTING_LAYERS", f"intermediary:{unregistered.id}"),
        ("SUBCONTRACTING_LAYERS", f"intermediary:{recruiter.id}"),
        ("UNVERIFIED_LABOR_CONTRACTOR", f"intermediary:{unregistered.id}"),
        ("UNVERIFIED_LABOR_CONTRACTOR", f"intermediary:{recruiter.id}"),
        ("CONTRACTOR_REGISTRATION_EXPIRED", f"intermediary:{unregistered.id}"),
        ("RECRUITER_AGREEMENT_LACKS_FEE_BAN", f"intermediary:{prime.id}"),
        ("RECRUITER_AGREEMENT_LACKS_FEE_BAN", f"intermediary:{unregistered.id}"),
        ("RECRUITER_AGREEMENT_LACKS_FEE_BAN", f"intermediary:{recruiter.id}"),
        ("CONTRACT_NOT_DISCLOSED_BEFORE_VISA", "case"),
    }
    assert findings[0].code == "RECRUITMENT_FEE_CHARGED"


def test_findings_come_most_serious_first_then_by_code_and_subject() -> None:
    case = clean_case(
        channel="other",
        costs=(cost(11), cost(10, category="recruitment_fee")),
        worker=Worker(WORKER_ID, "es", "MX", workers_sharing_identity=(uid(9),)),
    )
    findings = evaluate(case, AS_OF, REFERENCE)
    assert [f.sort_key for f in findings] == sorted(f.sort_key for f in findings)
    assert findings[0].severity == "critical"
    assert findings[-1].severity == "warning"


def test_an_intermediary_listed_twice_in_the_chain_is_refused() -> None:
    twice = intermediary(50, verification="unverified")
    with pytest.raises(ValueError, match="each intermediary once"):
        evaluate(clean_case(chain=(link(twice), link(twice))), AS_OF, REFERENCE)


# --- Judged over time ----------------------------------------------------------------------------


def test_a_transporting_contractor_is_judged_on_every_day_of_the_season_up_to_as_of() -> None:
    # The season runs 2025-04-01 to 2025-09-30; the certificate ends on 2025-06-30.
    found = intermediary(
        50, certificate_valid_until=date(2025, 6, 30), authorized_to_transport=True
    )
    case = clean_case(chain=(link(found, transports_workers=True),))
    assert contractor_registration_expired(case, date(2025, 6, 30), REFERENCE) == []
    [finding] = contractor_registration_expired(case, date(2025, 7, 1), REFERENCE)
    assert evidence(finding)["judged_on"] == "2025-07-01"
    assert evidence(finding)["activity_until"] == PERIOD_END.isoformat()
    [later] = contractor_registration_expired(case, date(2025, 9, 1), REFERENCE)
    assert later.fingerprint == finding.fingerprint


def test_a_season_cut_short_ends_the_contractors_activity() -> None:
    found = intermediary(50, certificate_valid_until=date(2025, 6, 30))
    chain = (link(found, houses_workers=True),)
    case = replace(with_milestones(departed_early=date(2025, 6, 15)), chain=chain)
    assert contractor_registration_expired(case, date(2025, 9, 1), REFERENCE) == []


def test_a_planned_activity_is_not_judged_before_its_day() -> None:
    found = intermediary(50, certificate_valid_until=date(2025, 6, 30))
    planned = link(found, acted_on=date(2025, 7, 10))
    assert _registration(planned) == []  # AS_OF is 2025-05-15
    assert contractor_registration_expired(
        clean_case(chain=(planned,)), date(2025, 7, 10), REFERENCE
    )


@pytest.mark.parametrize("kind", ["foreign_recruiter", "agent"])
def test_a_recruiter_that_transports_workers_is_checked_like_a_contractor(kind: str) -> None:
    recruiter = link(intermediary(50, kind=kind, certificate_number=None), transports_workers=True)
    case = clean_case(chain=(recruiter,))
    [activity] = contractor_activity_not_authorized(case, AS_OF, REFERENCE)
    assert evidence(activity)["activities_not_authorized"] == ["transport"]
    [registration] = contractor_registration_expired(case, AS_OF, REFERENCE)
    assert evidence(registration)["problem"] == "no_certificate"


def test_a_planned_visa_application_warns_until_its_day() -> None:
    case = with_milestones(visa_applied=date(2025, 6, 1))
    case = replace(case, contracts=())
    [warning] = contract_due_before_visa(case, date(2025, 5, 31), REFERENCE)
    assert warning.severity == "warning"
    assert evidence(warning)["due_by"] == "2025-06-01"
    assert contract_not_disclosed_before_visa(case, date(2025, 5, 31), REFERENCE) == []
    assert contract_due_before_visa(case, date(2025, 6, 1), REFERENCE) == []
    [violation] = contract_not_disclosed_before_visa(case, date(2025, 6, 1), REFERENCE)
    assert violation.severity == "violation"
